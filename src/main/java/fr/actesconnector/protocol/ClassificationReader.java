package fr.actesconnector.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.ClassificationCatalogue.Matiere;
import fr.actesconnector.model.Nature;
import fr.actesconnector.protocol.jaxb.MatiereNode;
import fr.actesconnector.protocol.jaxb.MatiereNodeLevel1;
import fr.actesconnector.protocol.jaxb.MatiereNodeLevel2;
import fr.actesconnector.protocol.jaxb.MatiereNodeLevel3;
import fr.actesconnector.protocol.jaxb.MatiereNodeLevel4;
import fr.actesconnector.protocol.jaxb.NatureEntry;
import fr.actesconnector.protocol.jaxb.RetourClassification;

/** Reads a prefecture's RetourClassification (7-2) into a {@link ClassificationCatalogue}. */
public final class ClassificationReader {
    private static final Logger LOG = LoggerFactory.getLogger(ClassificationReader.class);

    private final ActesXml xml;

    public ClassificationReader(ActesXml xml) {
        this.xml = Objects.requireNonNull(xml, "xml");
    }

    /**
     * @throws UnreadableMessageException when the file is not a readable RetourClassification
     */
    public ClassificationCatalogue read(Path file) {
        return toCatalogue(xml.read(file, RetourClassification.class), file.getFileName().toString());
    }

    public ClassificationCatalogue read(java.io.InputStream in, String name) {
        return toCatalogue(xml.read(in, name, RetourClassification.class), name);
    }

    static ClassificationCatalogue toCatalogue(RetourClassification rc, String source) {
        if (rc.getDateClassification() == null) {
            throw new UnreadableMessageException(source, "la classification n'a pas de DateClassification",
                    "RetourClassification without DateClassification", null);
        }
        ClassificationCatalogue.Builder b = ClassificationCatalogue.builder(rc.getDateClassification());
        if (rc.getNaturesActes() != null) {
            for (NatureEntry n : rc.getNaturesActes().getNatureActe()) {
                Optional<Nature> nature = n.getCodeNatureActe() == null ? Optional.empty() : Nature.ofCode(n.getCodeNatureActe());
                if (nature.isEmpty()) {
                    LOG.warn("classification {}: nature code {} unknown, ignored", source, n.getCodeNatureActe());
                    continue;
                }
                Map<String, String> typologies = new LinkedHashMap<>();
                n.getTypePJNatureActe().forEach(t -> typologies.put(t.getCodeTypePJ(), Objects.toString(t.getLibelle(), "")));
                b.nature(nature.get(), Objects.toString(n.getLibelle(), nature.get().label()), typologies);
            }
        }
        if (rc.getMatieres() != null) {
            for (MatiereNodeLevel1 m1 : rc.getMatieres().getMatiere1()) {
                b.matiere(node(m1, List.of(), n -> ((MatiereNodeLevel1) n).getMatiere2(),
                        n -> ((MatiereNodeLevel2) n).getMatiere3(), n -> ((MatiereNodeLevel3) n).getMatiere4(),
                        n -> ((MatiereNodeLevel4) n).getMatiere5()));
            }
        }
        return b.build();
    }

    @SafeVarargs
    private static Matiere node(MatiereNode n, List<Integer> parent,
                                Function<MatiereNode, List<? extends MatiereNode>>... childrenByLevel) {
        List<Integer> code = new ArrayList<>(parent);
        code.add(n.getCodeMatiere());
        List<Matiere> children = new ArrayList<>();
        if (childrenByLevel.length > 0) {
            Function<MatiereNode, List<? extends MatiereNode>>[] rest =
                    java.util.Arrays.copyOfRange(childrenByLevel, 1, childrenByLevel.length);
            for (MatiereNode child : childrenByLevel[0].apply(n)) {
                children.add(node(child, code, rest));
            }
        }
        return new Matiere(new Classification(code), Objects.toString(n.getLibelle(), ""), children);
    }
}
