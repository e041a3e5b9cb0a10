package fr.actesconnector.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.actesconnector.model.LegalClock;
import fr.actesconnector.model.Secret;
import fr.actesconnector.signing.Signer;
import fr.actesconnector.signing.SigningConfig;
import fr.actesconnector.simulator.SimulatedTsa;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.TestPki;
import fr.actesconnector.testing.Zips;

/** The verifier's checks on a bundle written by {@link BundleWriter}, and each kind of tampering. */
class BundleVerifierTest {
    static final String ARCHIVE = "TTT-EACT--217803105--20260429-1.tar.gz";
    static final String DOCUMENT = "99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf";
    static final String ANNEX = "99_DC-" + Houdan.ID_ACTE + "-1-1_2.pdf";
    static final String AR = "accuse/" + Houdan.ID_ACTE + "-1-2.xml";

    @TempDir
    Path dir;
    Path bundle;

    @BeforeEach
    void writeBundle() throws Exception {
        bundle = write(Optional.empty());
    }

    private Path write(Optional<BundleWriter.TimeStamper> tsa) throws Exception {
        return write(tsa, "");
    }

    /** {@code prefix} "./": the archive's entries named as {@code tar czf x.tar.gz -C dir .} names them. */
    private Path write(Optional<BundleWriter.TimeStamper> tsa, String prefix) throws Exception {
        Path src = Files.createTempDirectory(dir, "src");
        Path document = Houdan.writePdf(src.resolve("1.pdf"), "Decision 2026-DEC-020");
        Path annex = Houdan.writePdf(src.resolve("2.pdf"), "Contrat P360");
        TestPki pki = new TestPki("CA de test");
        Path p12 = pki.signer("Commune de Houdan - TEST").writePkcs12(src.resolve("s.p12"), "s", "pw".toCharArray());
        Signer signer = new Signer(new SigningConfig(p12, Secret.of("pw"), Optional.empty()), Clock.systemUTC());
        Path p7s = src.resolve("1.p7s");
        String pem = signer.signTo(document, p7s).pem();
        // the message carries the document's signature as PEM text, as the connector sends it
        Path message = resource("1-1_Acte.xml", src.resolve("message.xml"));
        String documentName = "<actes:NomFichier>" + DOCUMENT + "</actes:NomFichier>";
        Files.writeString(message, Files.readString(message, StandardCharsets.ISO_8859_1).replace(documentName,
                documentName + "\n      <actes:Signature>" + pem.strip() + "</actes:Signature>"), StandardCharsets.ISO_8859_1);
        Path ar = resource("1-2_ARActe.xml", src.resolve("ar.xml"));
        Path archive = src.resolve(ARCHIVE);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            if (!prefix.isEmpty()) {
                tar.putArchiveEntry(new TarArchiveEntry(prefix, true)); // the "./" folder entry itself
                tar.closeArchiveEntry();
            }
            put(tar, prefix + "EACT--217803105--20260429-1.xml", resource("EnveloppeCLMISILL.xml", src.resolve("env.xml")));
            put(tar, prefix + Houdan.ID_ACTE + "-1-1_0.xml", message);
            put(tar, prefix + DOCUMENT, document);
            put(tar, prefix + ANNEX, annex);
        }
        List<BundleSource.Item> items = List.of(
                BundleSource.Item.ofFile("envoi/" + ARCHIVE, "archive", archive),
                BundleSource.Item.ofFile("envoi/" + DOCUMENT, "document", document),
                BundleSource.Item.ofFile("envoi/" + ANNEX, "annexe", annex),
                BundleSource.Item.ofFile("signatures/" + DOCUMENT + ".p7s", "signature", p7s).signing("envoi/" + DOCUMENT),
                BundleSource.Item.ofBytes("signatures/" + DOCUMENT + ".pem", "signature-pem",
                        fr.actesconnector.signing.DetachedSignature.read(p7s).pem().getBytes(StandardCharsets.US_ASCII))
                        .signing("envoi/" + DOCUMENT),
                BundleSource.Item.ofFile(AR, "ar", ar));
        BundleSource source = new BundleSource(
                new BundleSource.Acte(Houdan.ID_ACTE, "Commune de Houdan", Houdan.SIREN, Houdan.NUMERO, Houdan.NUMERO_INTERNE,
                        Houdan.OBJET_ACKNOWLEDGED, "CC — Contrats, conventions et avenants", "1.4 — Autres types de contrats",
                        Houdan.DATE_DECISION),
                new BundleSource.Transmission("Accusé de réception reçu", Optional.of("42"),
                        Optional.of(Instant.parse("2026-04-29T08:00:00Z")), Optional.of(Houdan.DATE_RECEPTION), Optional.empty()),
                LegalClock.compute(LegalClock.Facts.asOf(LocalDate.of(2026, 5, 2)).receivedOn(Houdan.DATE_RECEPTION)),
                items,
                List.of(new BundleSource.Event(Instant.parse("2026-04-29T08:00:00Z"), "le TdT", "Envoi en cours → Posté sur le TdT",
                        Optional.empty())),
                Instant.parse("2026-05-02T10:00:00Z"));
        return new BundleWriter(tsa).write(source, dir.resolve("out"));
    }

    private static void put(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(Files.size(file));
        tar.putArchiveEntry(e);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static Path resource(String name, Path target) throws IOException {
        try (InputStream in = BundleVerifierTest.class.getResourceAsStream("/messages/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private BundleVerifier.Report verify(Path zip) throws IOException {
        return new BundleVerifier(Clock.systemUTC(), SafeZip.Limits.DEFAULT, Files.createDirectories(dir.resolve("tmp")))
                .verify(zip);
    }

    private static List<BundleVerifier.Check> failed(BundleVerifier.Report r, String subject) {
        return r.failures().stream().filter(c -> c.subject().equals(subject)).toList();
    }

    /** An edited copy whose manifest is updated to match, as a careful forger would do. */
    private Path forged(String name, UnaryOperator<byte[]> edit) throws IOException {
        Map<String, byte[]> entries = Zips.read(bundle);
        byte[] edited = edit.apply(entries.get(name));
        entries.put(name, edited);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(entries.get(Manifest.NAME));
        manifest.get("files").forEach(f -> {
            if (f.get("path").asText().equals(name)) {
                ((ObjectNode) f).put("sha256", HexFormat.of().formatHex(BundleWriter.sha256(edited)));
                ((ObjectNode) f).put("size", edited.length);
            }
        });
        entries.put(Manifest.NAME, json.writeValueAsBytes(manifest));
        return Zips.write(dir.resolve("forged.zip"), entries);
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from), from);
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aBundleAsWrittenHoldsEveryCheck() throws IOException {
        BundleVerifier.Report r = verify(bundle);
        assertTrue(r.verified(), r.failures().toString());
        assertEquals(Houdan.ID_ACTE, r.idActe());
        List<String> subjects = r.checks().stream().filter(c -> c.status() == BundleVerifier.Status.OK)
                .map(BundleVerifier.Check::subject).distinct().toList();
        assertTrue(subjects.containsAll(List.of("Manifeste", "Empreinte", "Contenu", "Signature", "Archive transmise",
                "Accusé de réception", "Dates")), subjects.toString());
        String signature = r.checks().stream().filter(c -> c.subject().equals("Signature")).findFirst().orElseThrow().message();
        assertTrue(signature.contains("Commune de Houdan - TEST") && signature.contains("non contrôlée"), signature);
        Map<String, byte[]> entries = Zips.read(bundle);
        assertTrue(entries.containsKey("fiche.pdf") && entries.containsKey("historique.json"), entries.keySet().toString());
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(bundle.toFile())) {
            z.stream().forEach(e -> assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod(), e.getName()));
        }
    }

    @Test
    void anArchiveWhoseEntriesStartWithDotSlashIsTheSameFlatArchive() throws Exception {
        BundleVerifier.Report r = verify(write(Optional.empty(), "./"));
        assertTrue(r.verified(), r.failures().toString());
        assertTrue(r.checks().stream().anyMatch(c -> c.subject().equals("Archive transmise") && c.status() == BundleVerifier.Status.OK
                && c.message().equals("envoi/" + DOCUMENT + " est identique au fichier transmis.")), r.checks().toString());
    }

    @Test
    void aByteOfAPdfChangedFailsItsHashItsSignatureAndTheArchive() throws IOException {
        Path z = Zips.edit(bundle, dir.resolve("pdf.zip"), "envoi/" + DOCUMENT, b -> {
            byte[] c = b.clone();
            c[c.length / 2] ^= 1;
            return c;
        });
        BundleVerifier.Report r = verify(z);
        assertFalse(r.verified());
        assertTrue(failed(r, "Empreinte").get(0).message().contains("envoi/" + DOCUMENT), r.failures().toString());
        assertTrue(failed(r, "Signature").get(0).message().contains("a été modifié"), r.failures().toString());
        assertEquals(1, failed(r, "Archive transmise").size(), r.failures().toString());
    }

    @Test
    void aByteChangedInTheZipFileItselfNamesTheFile() throws IOException {
        BundleVerifier.Report r = verify(Zips.corruptInPlace(bundle, dir.resolve("raw.zip"), "envoi/" + DOCUMENT, -1, 1));
        assertFalse(r.verified());
        assertTrue(failed(r, "Empreinte").get(0).message().startsWith("envoi/" + DOCUMENT), r.failures().toString());
        BundleVerifier.Report m = verify(Zips.corruptInPlace(bundle, dir.resolve("raw-manifest.zip"), Manifest.NAME, -1, 1));
        assertFalse(m.verified());
    }

    @Test
    void aChangedManifestFailsTheHashItNoLongerMatches() throws IOException {
        Path z = Zips.edit(bundle, dir.resolve("manifest.zip"), Manifest.NAME, b -> {
            String s = new String(b, StandardCharsets.UTF_8);
            int i = s.indexOf("\"sha256\" : \"") + "\"sha256\" : \"".length();
            char c = s.charAt(i) == '0' ? '1' : '0';
            return (s.substring(0, i) + c + s.substring(i + 1)).getBytes(StandardCharsets.UTF_8);
        });
        BundleVerifier.Report r = verify(z);
        assertFalse(r.verified());
        assertEquals(1, failed(r, "Empreinte").size(), r.failures().toString());
    }

    @Test
    void anUnreadableManifestIsAFailureNotACrash() throws IOException {
        Path z = Zips.edit(bundle, dir.resolve("garbled.zip"), Manifest.NAME, b -> "{ pas du json".getBytes(StandardCharsets.UTF_8));
        BundleVerifier.Report r = verify(z);
        assertFalse(r.verified());
        assertEquals("Manifeste", r.failures().get(0).subject());
    }

    @Test
    void anArActeWhoseObjetDiffersFromTheMessageSentFailsEvenWithTheManifestUpdated() throws IOException {
        Path z = forged(AR, b -> replace(b, "Contrat P360 - MAHOUDAN", "Contrat P361 - MAHOUDAN"));
        BundleVerifier.Report r = verify(z);
        assertFalse(r.verified());
        assertTrue(failed(r, "Empreinte").isEmpty(), r.failures().toString());
        String ar = failed(r, "Accusé de réception").get(0).message();
        assertTrue(ar.contains("Objet") && ar.contains("P361"), ar);
    }

    @Test
    void anArActeForAnotherNumberOrMatiereFails() throws IOException {
        Path z = forged(AR, b -> replace(replace(b, "actes:NumeroInterne=\"2026_DEC_020\"", "actes:NumeroInterne=\"2026_DEC_021\""),
                "<actes:CodeMatiere2 actes:CodeMatiere=\"4\"/>", "<actes:CodeMatiere2 actes:CodeMatiere=\"1\"/>"));
        String ar = failed(verify(z), "Accusé de réception").get(0).message();
        assertTrue(ar.contains("NumeroInterne") && ar.contains("CodeMatiere2"), ar);
    }

    @Test
    void aReceptionBeforeTheSendingDayFailsTheDates() throws IOException {
        Path z = forged(AR, b -> replace(b, "actes:DateReception=\"2026-04-29\"", "actes:DateReception=\"2026-04-28\""));
        String dates = failed(verify(z), "Dates").get(0).message();
        assertTrue(dates.contains("28/04/2026") && dates.contains("l'envoi"), dates);
    }

    @Test
    void aPemSignatureThatIsNotTheOneTheMessageCarriedFails() throws Exception {
        Path other = Houdan.writePdf(dir.resolve("autre.pdf"), "Autre");
        TestPki pki = new TestPki("Autre CA");
        Path p12 = pki.signer("Quelqu'un d'autre").writePkcs12(dir.resolve("o.p12"), "o", "pw".toCharArray());
        String pem = new Signer(new SigningConfig(p12, Secret.of("pw"), Optional.empty()), Clock.systemUTC()).sign(other).pem();
        BundleVerifier.Report r = verify(forged("signatures/" + DOCUMENT + ".pem", b -> pem.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(failed(r, "Archive transmise").get(0).message().contains("n'est pas la signature que le message"),
                r.failures().toString());
    }

    @Test
    void anExtraFileIsNamed() throws IOException {
        Path z = Zips.add(bundle, dir.resolve("extra.zip"), "accuse/autre.pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        BundleVerifier.Report r = verify(z);
        assertFalse(r.verified());
        assertTrue(failed(r, "Contenu").get(0).message().contains("accuse/autre.pdf"), r.failures().toString());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        Map<String, byte[]> entries = Zips.read(bundle);
        entries.remove("envoi/" + ANNEX);
        BundleVerifier.Report r = verify(Zips.write(dir.resolve("missing.zip"), entries));
        assertTrue(failed(r, "Empreinte").get(0).message().contains("absent"), r.failures().toString());
    }

    @Test
    void aZipWithoutManifestIsNotABundle() throws IOException {
        Path z = Zips.write(dir.resolve("plain.zip"), Map.of("photo.jpg", new byte[10]));
        NotABundleException e = assertThrows(NotABundleException.class, () -> verify(z));
        assertTrue(e.userMessage().contains("manifest.json"), e.userMessage());
    }

    @Test
    void aTimeStampedManifestIsCheckedAndATamperedOneFails() throws Exception {
        try (SimulatedTsa tsa = SimulatedTsa.start(Clock.system(ZoneId.of("Europe/Paris")))) {
            Files.delete(bundle);
            bundle = write(Optional.of(new TsaClient(tsa.url(), Duration.ofSeconds(10))));
        }
        assertTrue(Zips.read(bundle).containsKey(Manifest.TIMESTAMP_NAME));
        BundleVerifier.Report r = verify(bundle);
        assertTrue(r.verified(), r.failures().toString());
        String stamp = r.checks().stream().filter(c -> c.subject().equals("Horodatage")).findFirst().orElseThrow().message();
        assertTrue(stamp.contains("Autorité d'horodatage de TEST"), stamp);
        // a forger updates the manifest after changing the AR: the token no longer matches
        BundleVerifier.Report forged = verify(forged(AR, b -> replace(b, "Contrat P360 - MAHOUDAN", "Contrat P361 - MAHOUDAN")));
        assertTrue(failed(forged, "Horodatage").get(0).message().contains("modifié après son horodatage"), forged.failures().toString());
    }

    @Test
    void aTokenThatIsNotOneFails() throws IOException {
        Path z = Zips.add(bundle, dir.resolve("tsr.zip"), Manifest.TIMESTAMP_NAME, new byte[]{0x30, 0x03, 0x02, 0x01, 0x01});
        assertEquals(1, failed(verify(z), "Horodatage").size());
    }

}
