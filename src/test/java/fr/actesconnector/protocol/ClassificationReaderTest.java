package fr.actesconnector.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Typologie;

/** The prefecture's RetourClassification (7-2) read into the catalogue the validator checks actes against. */
class ClassificationReaderTest {
    private static final String NS = "xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\"";
    private final ClassificationReader reader = new ClassificationReader(new ActesXml());

    private ClassificationCatalogue read(String body) {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:RetourClassification " + NS + ">" + body
                + "</actes:RetourClassification>";
        return reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "classification.xml");
    }

    private static String label(ClassificationCatalogue c, Integer... code) {
        return c.matiere(Classification.of(code)).orElseThrow(() -> new AssertionError(java.util.Arrays.toString(code))).label();
    }

    @Test
    void theShippedYvelinesClassificationGivesItsDateNaturesTypologiesAndMatieres() {
        ClassificationCatalogue c = reader.read(Path.of("config", "classification-078.xml"));
        assertEquals(LocalDate.of(2026, 11, 20), c.dateClassification());
        assertEquals("Délibérations", c.nature(Nature.DE).orElseThrow().label(), "labels read as ISO-8859-1");
        assertEquals("Délibération", c.nature(Nature.DE).orElseThrow().typologies().get("99_DE"));
        assertTrue(c.allowsTypologie(Nature.CC, new Typologie("99_DC")), "99_DC for a contract");
        assertFalse(c.allowsTypologie(Nature.CC, new Typologie("99_DE")), "99_DE is not a contract's typology");
        assertTrue(c.matiere(Classification.of(1, 4)).isPresent(), "1.4 of the Houdan contract");
        assertEquals(Optional.of("1-Commande publique"), c.matiereLabel(Classification.of(1)), "as the AR e-mail shows it");
    }

    @Test
    void everyLevelDownToTheFifthIsRead() {
        ClassificationCatalogue c = read("<actes:DateClassification>2026-11-20</actes:DateClassification>"
                + "<actes:NaturesActes><actes:NatureActe actes:CodeNatureActe=\"4\" actes:Libelle=\"Contrats\">"
                + "<actes:TypePJNatureActe actes:CodeTypePJ=\"99_DC\" actes:Libelle=\"Document contractuel\"/>"
                + "</actes:NatureActe></actes:NaturesActes>"
                + "<actes:Matieres><actes:Matiere1 actes:CodeMatiere=\"1\" actes:Libelle=\"Un\">"
                + "<actes:Matiere2 actes:CodeMatiere=\"4\" actes:Libelle=\"Deux\">"
                + "<actes:Matiere3 actes:CodeMatiere=\"2\" actes:Libelle=\"Trois\">"
                + "<actes:Matiere4 actes:CodeMatiere=\"7\" actes:Libelle=\"Quatre\">"
                + "<actes:Matiere5 actes:CodeMatiere=\"9\" actes:Libelle=\"Cinq\"/>"
                + "</actes:Matiere4></actes:Matiere3></actes:Matiere2></actes:Matiere1></actes:Matieres>");
        assertEquals("Un", label(c, 1));
        assertEquals("Deux", label(c, 1, 4));
        assertEquals("Trois", label(c, 1, 4, 2));
        assertEquals("Quatre", label(c, 1, 4, 2, 7));
        assertEquals("Cinq", label(c, 1, 4, 2, 7, 9));
        assertEquals(List.of(Classification.of(1, 4, 2, 7, 9)), c.matiere(Classification.of(1, 4, 2, 7)).orElseThrow()
                .children().stream().map(ClassificationCatalogue.Matiere::code).toList());
        assertEquals(List.of(), c.matiere(Classification.of(1, 4, 2, 7, 9)).orElseThrow().children());
    }

    @Test
    void missingLabelsAndUnknownNaturesAreToleratedNeverInvented() {
        ClassificationCatalogue c = read("<actes:DateClassification>2026-11-20</actes:DateClassification>"
                + "<actes:NaturesActes>"
                + "<actes:NatureActe actes:CodeNatureActe=\"1\"><actes:TypePJNatureActe actes:CodeTypePJ=\"99_DE\"/></actes:NatureActe>"
                + "<actes:NatureActe actes:CodeNatureActe=\"42\"><actes:TypePJNatureActe actes:CodeTypePJ=\"99_XX\"/></actes:NatureActe>"
                + "<actes:NatureActe><actes:TypePJNatureActe actes:CodeTypePJ=\"99_YY\"/></actes:NatureActe>"
                + "</actes:NaturesActes>"
                + "<actes:Matieres><actes:Matiere1 actes:CodeMatiere=\"3\"><actes:Matiere2 actes:CodeMatiere=\"1\"/>"
                + "</actes:Matiere1></actes:Matieres>");
        assertEquals(Nature.DE.label(), c.nature(Nature.DE).orElseThrow().label(), "a nature without label takes the ministry's own");
        assertEquals(Map.of("99_DE", ""), c.nature(Nature.DE).orElseThrow().typologies(), "a typology without label: empty");
        assertEquals(1, c.natures().size(), "the nature code 42 and the nature without code are left out: " + c.natures());
        assertEquals("", label(c, 3));
        assertEquals("", label(c, 3, 1));
    }

    @Test
    void aClassificationWithoutItsDateIsRefused() {
        String xml = "<actes:RetourClassification " + NS + "><actes:NaturesActes/></actes:RetourClassification>";
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class, () -> reader.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "sans-date.xml"));
        assertTrue(e.userMessage().contains("sans-date.xml") && e.userMessage().contains("DateClassification"), e.userMessage());
    }

    @Test
    void aClassificationWithoutNaturesOrMatieresGivesAnEmptyCatalogue() {
        ClassificationCatalogue c = read("<actes:DateClassification>2026-11-20</actes:DateClassification>");
        assertEquals(Map.of(), c.natures());
        assertEquals(List.of(), c.matieres());
    }
}
