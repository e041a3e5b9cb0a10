package fr.actesconnector.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.protocol.jaxb.EnveloppeCLMISILL;
import fr.actesconnector.testing.Houdan;

class TransmissionWriterTest {
    private static final LocalDate DAY = LocalDate.of(2026, 4, 29);

    @TempDir
    Path dir;
    private final ActesXml xml = new ActesXml();
    private final TransmissionWriter writer = new TransmissionWriter(xml, new ArchiveWriter());
    private Acte acte;
    private TransmissionWriter.Sender sender;

    @BeforeEach
    void houdan() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        acte = Houdan.acte(dir.resolve("in"));
        sender = new TransmissionWriter.Sender(Houdan.collectivite(), "Secrétariat de la mairie", "0130468130",
                "secretariat@ville-houdan.fr",
                List.of("s2low@www.bl-echanges-securises.fr", "secretariat@ville-houdan.fr", "backuptdt@berger-levrault.com"));
    }

    private TransmissionWriter.Prepared write(List<String> signatures) {
        return writer.write(new TransmissionWriter.Request(acte, Houdan.CLASSIFICATION_DATE, sender, "TTT", DAY, 1, signatures),
                dir.resolve("out"), Instant.parse("2026-04-29T08:00:00Z"));
    }

    private static Map<String, byte[]> entries(Path archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) out.put(e.getName(), tar.readAllBytes());
        }
        return out;
    }

    @Test
    void houdanArchiveHoldsExactlyTheEnvelopeTheMessageTheDocumentAndTheAnnexNamedAsTheMinistryRules() throws IOException {
        TransmissionWriter.Prepared p = write(List.of());
        assertEquals(Houdan.ID_ACTE, p.idActe().value());
        assertEquals("TTT-EACT--217803105--20260429-1.tar.gz", p.archive().getFileName().toString());
        Map<String, byte[]> entries = entries(p.archive());
        assertEquals(List.of("EACT--217803105--20260429-1.xml",
                "078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml",
                "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf",
                "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf"), List.copyOf(entries.keySet()));
        assertArrayEquals(Files.readAllBytes(acte.document().file()), entries.get("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf"));
        assertArrayEquals(Files.readAllBytes(acte.annexes().get(0).file()), entries.get("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf"));
        // nothing but the archive is left in the output folder
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(p.archive()), files.toList());
        }
    }

    @Test
    void objetBytesEqualTheObjetAcknowledgedInTheSeed() throws IOException {
        byte[] message = entries(write(List.of()).archive()).get("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml");
        String latin1 = new String(message, StandardCharsets.ISO_8859_1);
        assertTrue(latin1.startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"), latin1);
        Matcher m = Pattern.compile("<actes:Objet>(.*?)</actes:Objet>", Pattern.DOTALL).matcher(latin1);
        assertTrue(m.find(), latin1);
        assertArrayEquals(Houdan.OBJET_ACKNOWLEDGED.getBytes(StandardCharsets.ISO_8859_1),
                m.group(1).getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(latin1.contains("actes:Date=\"2026-04-27\"") && latin1.contains("actes:NumeroInterne=\"2026_DEC_020\"")
                && latin1.contains("actes:CodeNatureActe=\"4\""), latin1);
        assertTrue(latin1.contains("<actes:ClassificationDateVersion>2026-03-02</actes:ClassificationDateVersion>"));
        assertTrue(latin1.contains("<actes:DocumentPapier>N</actes:DocumentPapier>"));
    }

    @Test
    void messageAndEnvelopeValidateAgainstTheProjectSchemaAndRoundTrip() throws IOException {
        Map<String, byte[]> entries = entries(write(List.of()).archive());
        byte[] message = entries.get("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml");
        byte[] envelope = entries.get("EACT--217803105--20260429-1.xml");
        assertEquals(List.of(), Schemas.validate(new ByteArrayInputStream(message), "message"));
        assertEquals(List.of(), Schemas.validate(new ByteArrayInputStream(envelope), "envelope"));

        fr.actesconnector.protocol.jaxb.Acte back = xml.read(new ByteArrayInputStream(message), "m",
                fr.actesconnector.protocol.jaxb.Acte.class);
        assertEquals(Houdan.OBJET_ACKNOWLEDGED, back.getObjet());
        assertEquals(1, back.getCodeMatiere1().getCodeMatiere());
        assertEquals(4, back.getCodeMatiere2().getCodeMatiere());
        assertNull(back.getCodeMatiere3());
        assertEquals(1, back.getAnnexes().getNombre());
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        xml.write(back, again);
        assertArrayEquals(message, again.toByteArray());

        EnveloppeCLMISILL env = xml.read(new ByteArrayInputStream(envelope), "e", EnveloppeCLMISILL.class);
        assertEquals("217803105", env.getEmetteur().getIDCL().getSIREN());
        assertEquals("078", env.getEmetteur().getIDCL().getDepartement());
        assertEquals("31", env.getEmetteur().getIDCL().getNature());
        assertEquals(3, env.getAdressesRetour().getEmail().size());
        assertEquals("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml", env.getFormulairesEnvoyes().getFormulaire().get(0).getNomFichier());
    }

    @Test
    void messageAndEnvelopeValidateAgainstTheMinistrySchema() throws IOException {
        assumeTrue(Files.isRegularFile(TestMessages.OFFICIAL_XSD), "ministry schema not available");
        javax.xml.validation.Schema official = Schemas.load(TestMessages.OFFICIAL_XSD);
        Map<String, byte[]> entries = entries(write(List.of("-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n",
                "-----BEGIN PKCS7-----\nMIIC\n-----END PKCS7-----\n")).archive());
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!e.getKey().endsWith(".xml")) continue;
            assertEquals(List.of(), Schemas.validate(official, new ByteArrayInputStream(e.getValue()), e.getKey(), new SafeXml()),
                    e.getKey());
        }
    }

    @Test
    void signaturesTravelInTheSignatureElements() throws IOException {
        String pem = "-----BEGIN PKCS7-----\nMIIBxyz\n-----END PKCS7-----";
        byte[] message = entries(write(List.of(pem + "\n", pem.replace("xyz", "abc"))).archive())
                .get("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml");
        fr.actesconnector.protocol.jaxb.Acte back = xml.read(new ByteArrayInputStream(message), "m",
                fr.actesconnector.protocol.jaxb.Acte.class);
        assertEquals(pem, back.getDocument().getSignature());
        assertEquals(pem.replace("xyz", "abc"), back.getAnnexes().getAnnexe().get(0).getSignature());
    }

    @Test
    void aPieceThatIsNoPdfXmlPngOrJpegIsRefusedByName() throws IOException {
        Files.writeString(acte.document().file(), "du texte, pas un PDF");
        ActesException e = assertThrows(ActesException.class, () -> write(List.of()));
        assertTrue(e.userMessage().contains("n'est ni un PDF, ni un XML, ni une image PNG ou JPEG"), e.userMessage());
    }

    @Test
    void anExistingArchiveIsNeverOverwritten() {
        write(List.of());
        ActesException e = assertThrows(ActesException.class, () -> write(List.of()));
        assertTrue(e.userMessage().contains("existe déjà"));
    }

    @Test
    void paperFlagAndDeeperClassification() throws IOException {
        acte = new Acte(acte.collectivite(), acte.numero(), acte.dateDecision(), acte.nature(),
                fr.actesconnector.model.Classification.of(1, 1, 3), acte.objet(), acte.document(), List.of(), true);
        byte[] message = entries(write(List.of()).archive()).get("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml");
        String text = new String(message, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("<actes:DocumentPapier>O</actes:DocumentPapier>"), text);
        assertTrue(text.contains("<actes:CodeMatiere3 actes:CodeMatiere=\"3\"/>"), text);
        assertTrue(text.contains("actes:Nombre=\"0\""), text);
        assertFalse(text.contains("Annexe>"), text);
    }

    @Test
    void theReferentHoldsOnlyWhatIsKnownAndNoReferentWhenNothingIs() {
        TransmissionWriter.Sender phoneOnly = new TransmissionWriter.Sender(Houdan.collectivite(), " ", "0130468130", null,
                List.of("secretariat@ville-houdan.fr"));
        fr.actesconnector.protocol.jaxb.Contact referent = TransmissionWriter.envelope(phoneOnly, "m.xml").getEmetteur().getReferent();
        assertNull(referent.getNom(), "a blank name is left out");
        assertEquals("0130468130", referent.getTelephone());
        assertNull(referent.getEmail());
        for (TransmissionWriter.Sender one : List.of(
                new TransmissionWriter.Sender(Houdan.collectivite(), "Secrétariat – mairie", null, "", List.of("a@b.fr")),
                new TransmissionWriter.Sender(Houdan.collectivite(), null, "", "secretariat@ville-houdan.fr", List.of("a@b.fr")))) {
            fr.actesconnector.protocol.jaxb.Contact r = TransmissionWriter.envelope(one, "m.xml").getEmetteur().getReferent();
            assertTrue(r != null, "a referent as soon as one of its fields is known: " + one);
            assertNull(r.getTelephone(), "a blank telephone is left out");
        }
        assertEquals("Secrétariat - mairie", TransmissionWriter.envelope(new TransmissionWriter.Sender(Houdan.collectivite(),
                "Secrétariat – mairie", null, null, List.of("a@b.fr")), "m.xml").getEmetteur().getReferent().getNom(),
                "the name transliterated to Latin-1");
        assertEquals("secretariat@ville-houdan.fr", TransmissionWriter.envelope(new TransmissionWriter.Sender(Houdan.collectivite(),
                null, null, "secretariat@ville-houdan.fr", List.of("a@b.fr")), "m.xml").getEmetteur().getReferent().getEmail());
        assertNull(TransmissionWriter.envelope(new TransmissionWriter.Sender(Houdan.collectivite(), "", " ", null,
                List.of("a@b.fr")), "m.xml").getEmetteur().getReferent(), "no referent at all when nothing is known");
    }

    @Test
    void theFiveLevelsOfTheClassificationGoIntoTheMessage() {
        Acte deep = new Acte(acte.collectivite(), acte.numero(), acte.dateDecision(), acte.nature(),
                fr.actesconnector.model.Classification.of(1, 4, 2, 7, 9), acte.objet(), acte.document(), acte.annexes(), false);
        fr.actesconnector.protocol.jaxb.Acte m = TransmissionWriter.acteMessage(new TransmissionWriter.Request(deep,
                Houdan.CLASSIFICATION_DATE, sender, "TTT", DAY, 1, List.of()), TransmissionWriter.name(deep, deep.idActe()));
        assertEquals(List.of(1, 4, 2, 7, 9), List.of(m.getCodeMatiere1().getCodeMatiere(), m.getCodeMatiere2().getCodeMatiere(),
                m.getCodeMatiere3().getCodeMatiere(), m.getCodeMatiere4().getCodeMatiere(), m.getCodeMatiere5().getCodeMatiere()));
        fr.actesconnector.protocol.jaxb.Acte two = TransmissionWriter.acteMessage(new TransmissionWriter.Request(acte,
                Houdan.CLASSIFICATION_DATE, sender, "TTT", DAY, 1, List.of()), TransmissionWriter.name(acte, acte.idActe()));
        assertNull(two.getCodeMatiere3(), "levels the acte does not have are left out");
    }

    @Test
    void theDocumentComesFirstThenTheAnnexesEachWithItsRole() {
        List<TransmissionWriter.ArchivedPiece> pieces = TransmissionWriter.name(acte, acte.idActe());
        assertEquals(List.of("document", "annexe"), pieces.stream().map(TransmissionWriter.ArchivedPiece::role).toList());
        assertEquals(List.of("EACT--217803105--20260429-1.xml", "078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml",
                "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf", "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf"),
                write(List.of()).entryNames());
    }

    @Test
    void anXmlDocumentIsDeflatedInTheArchiveAndItsPdfAnnexIsStored() throws IOException {
        // a budget (BF, 7.1) may be sent as XML: XML compresses, PDF does not, whatever the content
        Path budget = Files.writeString(dir.resolve("in/budget.xml"), "<?xml version=\"1.0\"?><budget>"
                + "<ligne>0</ligne>".repeat(40_000) + "</budget>");
        Path annex = Files.write(dir.resolve("in/annexe.pdf"), ("%PDF-1.4\n" + " ".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
        Acte bf = new Acte(acte.collectivite(), "2026-BU-001", acte.dateDecision(), fr.actesconnector.model.Nature.BF,
                fr.actesconnector.model.Classification.of(7, 1), "Budget primitif",
                new fr.actesconnector.model.Piece(budget, new fr.actesconnector.model.Typologie("99_BU")),
                List.of(new fr.actesconnector.model.Piece(annex, new fr.actesconnector.model.Typologie("99_BU"))), false);
        Path archive = writer.write(new TransmissionWriter.Request(bf, Houdan.CLASSIFICATION_DATE, sender, "TTT", DAY, 1, List.of()),
                dir.resolve("out"), Instant.parse("2026-04-29T08:00:00Z")).archive();
        long size = Files.size(archive);
        assertTrue(size > 20_000, "the PDF annex is stored as is: " + size);
        assertTrue(size < 40_000, "the 640 kB XML document is deflated: " + size);
    }
}
