package fr.actesconnector.protocol;

import fr.actesconnector.model.Reason;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.Acte;
import fr.actesconnector.protocol.jaxb.AnomalieEnveloppe;
import fr.actesconnector.protocol.jaxb.EnveloppeMISILLCL;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.RetourClassification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ActesXmlTest {
    private static final String ID_ACTE = "078-217803105-20260427-2026_DEC_020-CC";
    private static final String OBJET = "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie"
            + " avec la Société Promosoft Informatique.";

    private final ActesXml xml = new ActesXml();
    private final SafeXml safeXml = new SafeXml();

    static Stream<Path> validMessages() {
        return TestMessages.validMessages();
    }

    private byte[] write(Object message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.write(message, out);
        return out.toByteArray();
    }

    private Object read(byte[] bytes) {
        return xml.read(new ByteArrayInputStream(bytes), "test.xml");
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void roundTripIsLossless(Path file) {
        Object message = xml.read(file);
        byte[] written = write(message);

        String original = TestMessages.canonical(safeXml.parse(file));
        String rewritten = TestMessages.canonical(safeXml.parse(new ByteArrayInputStream(written), "rewritten.xml"));
        assertEquals(original, rewritten);
        assertArrayEquals(written, write(read(written)), "writing is stable");
        assertEquals(java.util.List.of(), Schemas.validate(new ByteArrayInputStream(written), "rewritten.xml"));
    }

    @Test
    void writesIso88591WithQualifiedPrefixedAttributes() {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        byte[] bytes = write(acte);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);

        assertTrue(text.startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:Acte "), text);
        assertTrue(text.contains("actes:Date=\"2026-04-27\""), text);
        assertTrue(text.contains("actes:NumeroInterne=\"2026_DEC_020\""), text);
        assertTrue(text.contains("xmlns:insee=\"http://xml.insee.fr/schema\""), text);
        assertTrue(text.contains("xsi:schemaLocation=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216 actesv1_1.xsd\""), text);
        assertTrue(text.contains("<actes:CodeMatiere2 actes:CodeMatiere=\"4\"/>"), text);
        assertFalse(text.contains("standalone"), text);

        int e = text.indexOf("Soci") + 4;
        assertEquals((byte) 0xE9, bytes[e], "é is the single byte 0xE9");
        assertEquals('t', (char) bytes[e + 1]);
    }

    @Test
    void writesInseeSirenAttribute() {
        EnveloppeMISILLCL envelope = xml.read(TestMessages.message("EnveloppeMISILLCL.xml"), EnveloppeMISILLCL.class);
        String text = new String(write(envelope), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("<actes:Destinataire insee:SIREN=\"217803105\"/>"), text);
        assertTrue(text.contains("<actes:IDSousPref actes:Departement=\"078\" actes:Arrondissement=\"1\"/>"), text);
    }

    @Test
    void readsDatesSignatureAndLatin1Text() {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        assertEquals(LocalDate.of(2026, 4, 27), acte.getDate());
        assertEquals(LocalDate.of(2025, 11, 14), acte.getClassificationDateVersion());
        assertEquals(4, acte.getCodeNatureActe());
        assertEquals(OBJET, acte.getObjet());
        assertEquals(1, acte.getAnnexes().getNombre());
        String signature = acte.getAnnexes().getAnnexe().get(0).getSignature();
        assertTrue(signature.startsWith("-----BEGIN PKCS7-----\n") && signature.endsWith("-----END PKCS7-----"), signature);
        assertNull(acte.getDocument().getSignature());
    }

    @Test
    void buildsAnActeFromScratch() {
        Acte acte = new Acte();
        acte.setDate(LocalDate.of(2026, 4, 27));
        acte.setNumeroInterne("2026_DEC_020");
        acte.setCodeNatureActe(4);
        acte.setCodeMatiere1(matiere(1));
        acte.setCodeMatiere2(matiere(4));
        acte.setObjet(OBJET);
        acte.setClassificationDateVersion(LocalDate.of(2025, 11, 14));
        fr.actesconnector.protocol.jaxb.SignedFile document = new fr.actesconnector.protocol.jaxb.SignedFile();
        document.setNomFichier("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf");
        acte.setDocument(document);
        fr.actesconnector.protocol.jaxb.AnnexList annexes = new fr.actesconnector.protocol.jaxb.AnnexList();
        acte.setAnnexes(annexes);
        acte.setDocumentPapier("N");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.writeValidated(acte, out);
        String text = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("<actes:ClassificationDateVersion>2025-11-14</actes:ClassificationDateVersion>"), text);
        assertTrue(text.contains("<actes:Annexes actes:Nombre=\"0\"/>"), text);
    }

    private static MatiereCodeEntry matiere(int code) {
        MatiereCodeEntry entry = new MatiereCodeEntry();
        entry.setCodeMatiere(code);
        return entry;
    }

    @Test
    void validatedWriteRefusesAnInvalidMessageAndLeavesNoFile(@TempDir Path dir) {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        acte.setObjet("x".repeat(501));
        Path target = dir.resolve("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml");

        MessageWriteException e = assertThrows(MessageWriteException.class, () -> xml.writeValidated(acte, target));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.findings().stream().anyMatch(f -> f.message().contains("500")), e.findings().toString());
        assertTrue(e.userMessage().startsWith("Le message « 078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml »"), e.userMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, dir.toFile().list().length, "temporary file removed");
    }

    @Test
    void writesAFileAtomically(@TempDir Path dir) throws Exception {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        Path target = dir.resolve("acte.xml");
        xml.writeValidated(acte, target);
        assertEquals(1, dir.toFile().list().length);
        try (var in = Files.newInputStream(target)) {
            assertArrayEquals(write(acte), in.readAllBytes());
        }
    }

    @Test
    void nonLatin1CharacterIsRefusedByValidatedWrite() {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        acte.setObjet("Contrat \u0152uvre \u20ac");
        assertThrows(MessageWriteException.class, () -> xml.writeValidated(acte, new ByteArrayOutputStream()));
    }

    @Test
    void readsTheRealArActeSample() {
        Path sample = TestMessages.SAMPLES.resolve("006-210600235-20180522-684-AI-1-2_5279.xml");
        assumeTrue(Files.isRegularFile(sample));
        ARActe ar = xml.read(sample, ARActe.class);
        assertEquals("006-210600235-20180522-684-AI", ar.getIDActe());
        assertEquals(LocalDate.of(2018, 5, 28), ar.getDateReception());
        assertEquals("Contrat à durée déterminée - Jean Dupont", ar.getActeRecu().getObjet());
        assertEquals("0", ar.getActeRecu().getDocumentPapier(), "odd echoes are kept as they are");
    }

    @Test
    void readsTheRealCrlfEnvelopeAndUtf8ClassificationSamples() {
        Path envelope = TestMessages.SAMPLES.resolve("EACT--SPREF0441-214400152-20181012-9.xml");
        Path classification = TestMessages.SAMPLES.resolve("exemple_codes_matieres.xml");
        assumeTrue(Files.isRegularFile(envelope) && Files.isRegularFile(classification));

        EnveloppeMISILLCL env = xml.read(envelope, EnveloppeMISILLCL.class);
        assertEquals("214400152", env.getDestinataire().getSIREN());
        assertEquals("044", env.getEmetteur().getIDSousPref().getDepartement());

        RetourClassification retour = xml.read(classification, RetourClassification.class);
        assertEquals(LocalDate.of(2017, 12, 8), retour.getDateClassification());
        assertTrue(retour.getNaturesActes().getNatureActe().stream()
                .flatMap(n -> n.getTypePJNatureActe().stream())
                .anyMatch(t -> t.getLibelle().equals("Délibération")), "UTF-8 without declaration decoded");
    }

    @Test
    void unknownCodeAndUnknownElementAreKept() {
        AnomalieEnveloppe anomalie = xml.read(TestMessages.dir("lenient").resolve("AnomalieEnveloppe-Nature999.xml"),
                AnomalieEnveloppe.class);
        assertEquals("999", anomalie.getNature());

        String withExtra = """
                <?xml version="1.0" encoding="UTF-8"?>
                <actes:ARAnnulation xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
                  actes:IDActe="%s" actes:DateReception="2026-05-04+02:00">
                  <actes:CommentaireFutur>élément d'une version future</actes:CommentaireFutur>
                </actes:ARAnnulation>
                """.formatted(ID_ACTE);
        var ar = (fr.actesconnector.protocol.jaxb.ARAnnulation) read(withExtra.getBytes(StandardCharsets.UTF_8));
        assertEquals(ID_ACTE, ar.getIDActe());
        assertEquals(LocalDate.of(2026, 5, 4), ar.getDateReception(), "time zone of xs:date dropped");
    }

    @Test
    void utf8BodyDeclaringIso88591IsReadAsDeclared() {
        String doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:DemandeClassification"
                + " xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\"/>";
        // documented behaviour: the declaration wins; here only ASCII, so nothing to mangle
        assertInstanceOf(fr.actesconnector.protocol.jaxb.DemandeClassification.class, read(doc.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void utf8BodyDeclaringIso88591HeldInMemoryIsReadAsUtf8() throws Exception {
        byte[] latin1 = Files.readAllBytes(TestMessages.message("1-3_AnomalieActe.xml"));
        byte[] utf8 = new String(latin1, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        assertTrue(new String(utf8, StandardCharsets.ISO_8859_1).contains("SociÃ©tÃ©"), "the bytes are UTF-8");
        var read = xml.read(utf8, "ano.xml", fr.actesconnector.protocol.jaxb.AnomalieActe.class);
        assertEquals("Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la Société Promosoft"
                + " Informatique.", read.getActeRecu().getObjet());
        assertEquals("ODT-VERIF-01 : la date de classification n'est pas à jour", read.getDetail());
        var genuine = xml.read(latin1, "ano.xml", fr.actesconnector.protocol.jaxb.AnomalieActe.class);
        assertTrue(genuine.getActeRecu().getObjet().contains("Société"), "genuine Latin-1 still read as declared");
    }

    @Test
    void aDateTheCalendarLacksIsSaidToNotExist() {
        String doc = "<actes:ARAnnulation xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\""
                + " actes:IDActe=\"" + ID_ACTE + "\" actes:DateReception=\"2026-02-30\"/>";
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> read(doc.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.userMessage().contains("la date « 2026-02-30 » qu'il contient n'existe pas : février 2026 compte 28"
                + " jours. Vérifiez"), e.userMessage());
        assertFalse(e.userMessage().contains("Text '") || e.userMessage().contains("parsed"), e.userMessage());
    }

    @Test
    void malformedDateMakesTheMessageUnreadable() {
        String doc = "<actes:ARAnnulation xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\""
                + " actes:IDActe=\"" + ID_ACTE + "\" actes:DateReception=\"04/05/2026\"/>";
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> read(doc.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().startsWith("Le fichier « test.xml » n'est pas un message ACTES lisible : "), e.userMessage());
        assertTrue(e.userMessage().contains("la date « 04/05/2026 » qu'il contient n'est pas au format AAAA-MM-JJ"),
                e.userMessage());
    }

    @Test
    void foreignRootIsRefused() {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> read("<Acte xmlns=\"urn:other\"/>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.userMessage().contains("ce n'est pas un message ACTES connu (élément racine « Acte »). Vérifiez"),
                e.userMessage());
        assertFalse(e.userMessage().contains("unexpected") || e.userMessage().contains("Expected"), e.userMessage());
    }

    @Test
    void unexpectedMessageTypeIsRefused() {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> xml.read(TestMessages.message("6-1_Annulation.xml"), ARActe.class));
        assertTrue(e.userMessage().contains("un message Annulation alors qu'un message ARActe était attendu"), e.userMessage());
    }

    @Test
    void missingFileIsReportedInFrench(@TempDir Path dir) {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> xml.read(dir.resolve("absent.xml")));
        assertTrue(e.userMessage().contains("introuvable"), e.userMessage());
    }

    @Test
    void rootNameOfAGeneratedObject() {
        assertEquals("ARActe", ActesXml.rootName(new ARActe()).getLocalPart());
        assertEquals(ActesXml.ACTES_NS, ActesXml.rootName(new Acte()).getNamespaceURI());
        assertThrows(IllegalArgumentException.class, () -> ActesXml.rootName("not a message"));
    }

    @Test
    void writtenMessagesAreIndentedEndWithANewLineAndAreFlushed() throws Exception {
        Acte acte = xml.read(TestMessages.message("1-1_Acte.xml"), Acte.class);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(sink, 1 << 20);
        xml.write(acte, buffered); // the caller does not flush: write does
        String text = sink.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(">\n    <actes:") || text.contains(">\n  <actes:"), "one element per line, indented: " + text);
        assertTrue(text.endsWith("</actes:Acte>\n"), "ends with the root's end tag and a new line: " + text);
        String root = text.substring(text.indexOf("<actes:Acte "), text.indexOf('>', text.indexOf("<actes:Acte ")));
        assertTrue(root.contains("xmlns:actes=") && root.contains("xmlns:insee=") && root.contains("xmlns:xsi="),
                "every prefix declared on the root: " + root);
    }

    @Test
    void aRootThatIsNoActesMessageIsToldApartFromAMalformedFile() {
        UnreadableMessageException foreign = assertThrows(UnreadableMessageException.class,
                () -> read("<Acte xmlns=\"urn:other\"/>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(foreign.userMessage().contains("ce n'est pas un message ACTES connu"), foreign.userMessage());
        UnreadableMessageException malformed = assertThrows(UnreadableMessageException.class,
                () -> read(("<actes:ARActe xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\">"
                        + "<actes:ActeRecu></actes:ARActe>").getBytes(StandardCharsets.UTF_8)));
        assertTrue(malformed.userMessage().contains("mal formé ou incomplet"), malformed.userMessage());
        assertFalse(malformed.userMessage().contains("message ACTES connu"), malformed.userMessage());
    }
}
