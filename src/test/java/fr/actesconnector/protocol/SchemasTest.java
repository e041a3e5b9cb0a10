package fr.actesconnector.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.xml.validation.Schema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The project schema accepts what the ministry's accepts and refuses what it refuses. */
class SchemasTest {
    private final SafeXml safeXml = new SafeXml();

    static Stream<Path> validMessages() {
        return TestMessages.validMessages();
    }

    static Stream<Path> invalidMessages() {
        return TestMessages.invalidMessages();
    }

    static Stream<Path> realSamples() throws Exception {
        if (!Files.isDirectory(TestMessages.SAMPLES)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(TestMessages.SAMPLES)) {
            return list.filter(p -> p.toString().endsWith(".xml")).sorted().toList().stream();
        }
    }

    private static Schema official() {
        assumeTrue(Files.isRegularFile(TestMessages.OFFICIAL_XSD), "ministry schema not available");
        return Schemas.load(TestMessages.OFFICIAL_XSD);
    }

    @Test
    void everyMessageTypeAndEnvelopeHasAnInstanceDocument() {
        Set<String> roots = validMessages()
                .map(p -> safeXml.parse(p).getDocumentElement().getLocalName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(TestMessages.ALL_ROOTS), roots);
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void projectSchemaAcceptsOurInstanceDocument(Path file) {
        assertEquals(List.of(), Schemas.validate(file));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void ministrySchemaAcceptsOurInstanceDocument(Path file) {
        assertEquals(List.of(), Schemas.validate(official(), file, safeXml));
    }

    @ParameterizedTest
    @MethodSource("invalidMessages")
    void projectSchemaRejectsBrokenDocument(Path file) {
        List<XmlFinding> findings = Schemas.validate(file);
        assertFalse(findings.isEmpty(), file + " should be rejected");
        assertTrue(findings.get(0).line() > 1, "finding points into the document: " + findings);
    }

    @ParameterizedTest
    @MethodSource("invalidMessages")
    void ministrySchemaRejectsBrokenDocument(Path file) {
        assertFalse(Schemas.validate(official(), file, safeXml).isEmpty(), file + " should be rejected");
    }

    @Test
    void anomalieEnveloppeNature999IsAcceptedByUsOnly() {
        Path file = TestMessages.dir("lenient").resolve("AnomalieEnveloppe-Nature999.xml");
        assertEquals(List.of(), Schemas.validate(file));
        assertFalse(Schemas.validate(official(), file, safeXml).isEmpty(), "the ministry enumerates 001-005 and 100");
    }

    @ParameterizedTest(allowZeroInvocations = true) // no samples when ../shared is absent
    @MethodSource("realSamples")
    void projectSchemaAcceptsRealMinistrySample(Path sample) {
        assertEquals(List.of(), Schemas.validate(sample));
    }

    @Test
    void realSamplesArePresentWhenSharedIs() throws Exception {
        assumeTrue(Files.isDirectory(TestMessages.SAMPLES));
        assertEquals(3, realSamples().count(), "ARActe, prefecture envelope, classification");
    }

    @Test
    void reportsEveryFindingWithItsLine() {
        String xml = """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <actes:EnveloppeMISILLCL xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216" xmlns:insee="http://xml.insee.fr/schema">
                  <actes:Emetteur>
                    <actes:IDSousPref actes:Departement="78" actes:Arrondissement="1"/>
                  </actes:Emetteur>
                  <actes:FormulairesEnvoyes>
                    <actes:Formulaire><actes:NomFichier>../../etc/passwd</actes:NomFichier></actes:Formulaire>
                  </actes:FormulairesEnvoyes>
                  <actes:Destinataire insee:SIREN="21780310"/>
                </actes:EnveloppeMISILLCL>
                """;
        List<XmlFinding> findings = Schemas.validate(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "env.xml");
        Set<Integer> lines = findings.stream().map(XmlFinding::line).collect(Collectors.toSet());
        assertTrue(lines.containsAll(Set.of(4, 7, 9)), "département, file name and SIREN: " + findings);
        assertTrue(findings.get(0).toString().startsWith("ligne 4, colonne "), findings.get(0).toString());
        assertTrue(findings.get(0).message().contains("valeur"), "French findings: " + findings.get(0));
    }

    @Test
    void notWellFormedDocumentIsUnreadableRatherThanInvalid() {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class, () -> Schemas.validate(
                new ByteArrayInputStream("<actes:Annulation xmlns:actes=\"x\">".getBytes(StandardCharsets.US_ASCII)), "t.xml"));
        assertTrue(e.userMessage().contains("mal formé ou incomplet (ligne 1"), e.userMessage());
    }

    @Test
    void hostileDocumentIsNotValidatedButRefused() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>";
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class, () -> Schemas.validate(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.US_ASCII)), "evil.xml"));
        assertTrue(e.userMessage().contains("DOCTYPE"), e.userMessage());
    }

    @Test
    void projectSchemaComesFromTheClasspath() {
        assertNotNull(Schemas.class.getResource(Schemas.PROJECT_SCHEMA_RESOURCE));
        assertNotNull(Schemas.class.getResource("/xsd/insee.xsd"));
        assertNotNull(Schemas.project());
    }
}
