package fr.actesconnector.protocol;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The hand-written instance documents of src/test/resources/messages and DOM comparison helpers. */
final class TestMessages {
    static final Path SHARED = Path.of("..", "shared");
    static final Path SAMPLES = SHARED.resolve("reference").resolve("samples");
    static final Path OFFICIAL_XSD = SHARED.resolve("reference").resolve("actes-schema").resolve("actesv1_1.xsd");

    /** Every root of the catalogue (section 2 of the protocol) plus the three envelope roots. */
    static final List<String> ALL_ROOTS = List.of(
            "Acte", "ARActe", "AnomalieActe", "CourrierSimple", "ReponseCourrierSimple",
            "DemandePieceComplementaire", "ARDemandePieceComplementaire", "RefusPieceComplementaire",
            "PieceComplementaire", "ARPieceComplementaire", "LettreObservations", "ARLettreObservations",
            "RejetLettreObservations", "ReponseLettreObservations", "ARReponseRejetLettreObservations",
            "DefereTA", "Annulation", "ARAnnulation", "DemandeClassification", "RetourClassification",
            "ReponseClassificationSansChangement", "EnveloppeCLMISILL", "EnveloppeMISILLCL", "AnomalieEnveloppe");

    private TestMessages() {
    }

    static Path dir(String name) {
        URL url = TestMessages.class.getResource("/messages/" + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path message(String file) {
        return dir("").resolve(file);
    }

    /** XML files directly in {@code messages/<sub>} (sub may be empty). */
    static Stream<Path> files(String sub) {
        try (Stream<Path> list = Files.list(dir(sub))) {
            return list.filter(p -> p.toString().endsWith(".xml")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> validMessages() {
        return files("");
    }

    static Stream<Path> invalidMessages() {
        return files("invalid");
    }

    /**
     * A comparable text of an element tree: qualified names, attributes sorted (namespace
     * declarations and xsi:schemaLocation left out), trimmed non-empty text.
     */
    static String canonical(Node node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(Node node, StringBuilder out) {
        if (node.getNodeType() == Node.DOCUMENT_NODE) {
            write(((org.w3c.dom.Document) node).getDocumentElement(), out);
            return;
        }
        Element element = (Element) node;
        out.append('{').append(element.getNamespaceURI()).append('}').append(element.getLocalName());
        TreeMap<String, String> attributes = new TreeMap<>();
        NamedNodeMap map = element.getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            Attr attr = (Attr) map.item(i);
            String ns = attr.getNamespaceURI();
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ns) || XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(ns)
                    && "schemaLocation".equals(attr.getLocalName())) {
                continue;
            }
            attributes.put("{" + ns + "}" + attr.getLocalName(), attr.getValue());
        }
        out.append(attributes).append('(');
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                write(child, out);
            } else if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                String text = child.getNodeValue().strip();
                if (!text.isEmpty()) {
                    out.append('"').append(text).append('"');
                }
            }
        }
        out.append(')');
    }
}
