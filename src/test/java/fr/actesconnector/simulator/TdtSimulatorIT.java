package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Secret;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.ARAnnulation;
import fr.actesconnector.protocol.jaxb.AnomalieActe;
import fr.actesconnector.signing.Signer;
import fr.actesconnector.signing.SigningKey;
import fr.actesconnector.tdt.CreateResult;
import fr.actesconnector.tdt.StatusReport;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtConfig;
import fr.actesconnector.tdt.TdtFile;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.tdt.TdtSubmission;
import fr.actesconnector.tdt.TdtUnavailableException;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's {@link TdtClient}, the same code that talks to WireMock in {@code TdtClientIT},
 * against the simulator over mutual TLS; raw reply bytes checked with a plain HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TdtSimulatorIT {
    private static final String SUBJECT = "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la "
            + "Société Promosoft Informatique.";
    private static final IdActe ID_ACTE = new IdActe("078-217803105-20260427-2026_DEC_020-CC");
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Path pki;
    private RawS2low.Pki certificates;
    private SimulatorTls tls;
    private Path clientKeystore;
    private Path clientTrust;
    private TdtSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        pki = Files.createTempDirectory("simulator-it-pki");
        certificates = RawS2low.Pki.create(pki);
        clientKeystore = certificates.clientKeystore();
        clientTrust = certificates.clientTrust();
        tls = certificates.tls();
        simulator = TdtSimulator.builder().tls(tls).pacing(Pacing.ONE_STEP_PER_POLL).start();
    }

    @AfterAll
    void stop() throws IOException {
        simulator.close();
        deleteTree(pki);
    }

    private TdtClient client() {
        return client(clientKeystore);
    }

    private TdtClient client(Path keystore) {
        TdtConfig config = TdtConfig.builder(simulator.url(), keystore, Secret.of("changeit"))
                .truststore(clientTrust, Secret.of("changeit"))
                .timeout(Duration.ofSeconds(10))
                .retry(1, Duration.ZERO, Duration.ZERO)
                .build();
        return new TdtClient(config, d -> { }, new SplittableRandom(1));
    }

    private TdtSubmission submission(String number, LocalDate date, String typologie, Path document) throws IOException {
        Path annexe = Houdan.writePdf(dir.resolve(number + "-contrat.pdf"), "Contrat P360-MAHOUDAN-PREMIUM");
        return new TdtSubmission(Nature.CC, number, date, SUBJECT, Classification.of(1, 4),
                new Piece(document, new Typologie(typologie)), List.of(new Piece(annexe, new Typologie("99_DC"))),
                Optional.empty(), List.of(), false);
    }

    private TdtSubmission submission(String number) throws IOException {
        return submission(number, Houdan.DATE_DECISION, "99_DC",
                Houdan.writePdf(dir.resolve(number + "-decision.pdf"), "Decision " + number));
    }

    private static StatusReport pollUntil(TdtClient client, long id, int expected) {
        StatusReport report = null;
        for (int i = 0; i < 10; i++) {
            report = client.getStatus(id);
            if (report.code() == expected) return report;
        }
        throw new AssertionError("status " + expected + " not reached, last " + report);
    }

    @Test
    void houdanActeIsPostedAcknowledgedStampedAndFound() throws Exception {
        try (TdtClient client = client()) {
            client.testConnection();
            assertTrue(client.testRgs().rgs());
            CreateResult created = client.create(submission("2026_DEC_020"), ID_ACTE);
            assertFalse(created.recovered());
            long id = created.transactionId();

            List<Integer> seen = new ArrayList<>();
            StatusReport report;
            do {
                report = client.getStatus(id);
                seen.add(report.code());
            } while (report.code() != 4 && seen.size() < 10);
            assertEquals(List.of(1, 2, 3, 4), seen, "one step per poll");

            ARActe ar = new ActesXml().read(report.openXml().orElseThrow(), "ARActe", ARActe.class);
            assertEquals(ID_ACTE.value(), ar.getIDActe());
            assertEquals(LocalDate.now(PARIS), ar.getDateReception());
            assertEquals(SUBJECT, ar.getActeRecu().getObjet());
            assertEquals("2026_DEC_020", ar.getActeRecu().getNumeroInterne());
            assertEquals(4, ar.getActeRecu().getCodeNatureActe());
            assertEquals(1, ar.getActeRecu().getCodeMatiere1().getCodeMatiere());
            assertEquals(4, ar.getActeRecu().getCodeMatiere2().getCodeMatiere());
            assertEquals(simulator.catalogue().dateClassification(), ar.getActeRecu().getClassificationDateVersion());
            assertEquals(simulator.catalogue().dateClassification(), ar.getClassificationDateVersionEnCours());
            assertEquals("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf", ar.getActeRecu().getDocument().getNomFichier());
            assertEquals("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf",
                    ar.getActeRecu().getAnnexes().getAnnexe().get(0).getNomFichier());
            // the objet travels as ISO-8859-1 bytes, byte for byte
            String xml = new String(report.xmlBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"), xml);
            assertTrue(indexOf(report.xmlBytes(), ("<actes:Objet>" + SUBJECT + "</actes:Objet>")
                    .getBytes(StandardCharsets.ISO_8859_1)) >= 0, xml);

            Path arFile = dir.resolve("ar.xml");
            assertTrue(client.downloadARActe(id, arFile));
            // the status reply's XML is cut at the root's end; the stored file has its final LF
            assertArrayEquals(concat(report.xmlBytes(), new byte[]{'\n'}), Files.readAllBytes(arFile));

            List<TdtFile> files = client.listFiles(id);
            assertEquals(3, files.size());
            assertEquals("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml", files.get(0).name());
            assertEquals("application/pdf", files.get(1).mimetype());
            assertEquals("99_DC", files.get(1).codePj());
            assertEquals("2026_DEC_020_decision.pdf", files.get(1).postedFilename(), "the client sends [a-zA-Z0-9._ ] names");
            Path stamped = dir.resolve("stamped.pdf");
            client.downloadFile(files.get(1).id(), true, stamped);
            String text = pdfText(stamped);
            assertTrue(text.contains("Reçu en préfecture le") && text.contains("ID : " + ID_ACTE.value()), text);
            assertTrue(text.contains("Decision 2026_DEC_020"), "the original page is kept: " + text);
            Path plain = dir.resolve("plain.pdf");
            client.downloadFile(files.get(2).id(), false, plain);
            assertArrayEquals(Files.readAllBytes(dir.resolve("2026_DEC_020-contrat.pdf")), Files.readAllBytes(plain));

            Path bordereau = dir.resolve("bordereau.pdf");
            client.downloadBordereau(id, bordereau);
            assertTrue(pdfText(bordereau).contains(ID_ACTE.value()));

            assertEquals(Optional.of(id), client.findTransaction(ID_ACTE, "2026_DEC_020"));
            assertEquals(4, client.getStatus(ID_ACTE).code(), "lookup by unique_id");

            TdtRefusedException again = assertThrows(TdtRefusedException.class,
                    () -> client.create(submission("2026_DEC_020"), ID_ACTE));
            assertTrue(again.tdtMessage().contains("existe déjà"), again.tdtMessage());
        }
    }

    @Test
    void aLargePdfIsStampedTooAndAnUnreadableOneComesBackUnstamped() throws Exception {
        try (TdtClient client = client()) {
            // Over the size stamped in memory: stamped through temporary files.
            Path large = Houdan.writePdf(dir.resolve("large.pdf"), "Grand document");
            try (PDDocument doc = Loader.loadPDF(large.toFile())) {
                byte[] noise = new byte[(int) SimulatedPdfs.STAMP_IN_MEMORY_MAX_BYTES + 1024];
                new SplittableRandom(7).nextBytes(noise);
                PDStream padding = new PDStream(doc, new java.io.ByteArrayInputStream(noise));
                doc.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("Padding"), padding.getCOSObject());
                doc.save(large.toFile());
            }
            assertTrue(Files.size(large) > SimulatedPdfs.STAMP_IN_MEMORY_MAX_BYTES);
            // A PDF the stamper cannot read (no catalogue): S²LOW answers with the file as received.
            Path unreadable = Files.writeString(dir.resolve("unreadable.pdf"), "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                    StandardCharsets.ISO_8859_1);
            for (Path document : List.of(large, unreadable)) {
                String number = document == large ? "TAMPON_1" : "TAMPON_2";
                long id = client.create(new TdtSubmission(Nature.CC, number, Houdan.DATE_DECISION, SUBJECT,
                        Classification.of(1, 4), new Piece(document, new Typologie("99_DC")), List.of(), Optional.empty(),
                        List.of(), false), new IdActe("078-217803105-20260427-" + number + "-CC")).transactionId();
                pollUntil(client, id, 4);
                TdtFile file = client.listFiles(id).get(1);
                Path stamped = dir.resolve(number + "-tampon.pdf");
                client.downloadFile(file.id(), true, stamped);
                if (document == large) {
                    assertTrue(pdfText(stamped).contains("Reçu en préfecture le"), "stamped");
                    assertFalse(Arrays.equals(Files.readAllBytes(large), Files.readAllBytes(stamped)));
                } else {
                    assertArrayEquals(Files.readAllBytes(unreadable), Files.readAllBytes(stamped));
                }
            }
        }
    }

    @Test
    void synchronousRefusalsAreFrenchKoReplies() throws Exception {
        try (TdtClient client = client()) {
            IdActe id = new IdActe("078-217803105-20260427-REFUS_1-CC");
            LocalDate tomorrow = LocalDate.now(PARIS).plusDays(1);
            TdtRefusedException future = assertThrows(TdtRefusedException.class, () -> client.create(
                    submission("REFUS_2", tomorrow, "99_DC", Houdan.writePdf(dir.resolve("r2.pdf"), "r2")), id));
            assertEquals("La date de décision est une date dans le futur", future.tdtMessage());

            Path text = Files.writeString(dir.resolve("decision.pdf"), "pas un PDF", StandardCharsets.ISO_8859_1);
            TdtRefusedException notPdf = assertThrows(TdtRefusedException.class, () -> client.create(
                    submission("REFUS_3", Houdan.DATE_DECISION, "99_DC", text), id));
            assertTrue(notPdf.tdtMessage().contains("est de type \" text/plain \". Fichier PDF ou XML requis."),
                    notPdf.tdtMessage());

            // nothing refused was recorded: the same numbers are still free
            client.create(submission("REFUS_2"), new IdActe("078-217803105-20260427-REFUS_2-CC"));
            client.create(submission("REFUS_3"), new IdActe("078-217803105-20260427-REFUS_3-CC"));
        }
    }

    @Test
    void rawReplyBytesAreS2lows() throws Exception {
        try (CloseableHttpClient http = rawClient()) {
            byte[] created = post(http, form("RAW_1", "2026-04-27", "99_DC"));
            String reply = new String(created, StandardCharsets.ISO_8859_1);
            assertTrue(reply.matches("OK\n[0-9]+\n\n"), reply);
            long id = Long.parseLong(reply.split("\n")[1]);

            String status = TdtSimulator.STATUS + "?transaction=" + id;
            assertEquals("OK\n1\n", new String(get(http, status), StandardCharsets.ISO_8859_1));
            assertEquals("OK\n2\n", new String(get(http, status), StandardCharsets.ISO_8859_1));
            assertEquals("OK\n3\n", new String(get(http, status), StandardCharsets.ISO_8859_1));
            String four = new String(get(http, status), StandardCharsets.ISO_8859_1);
            assertTrue(four.startsWith("OK\n4\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARActe "), four);
            assertTrue(four.endsWith("</actes:ARActe>\n"), four);

            // actes_transac_create.php through Helpers::returnAndExit: htmlspecialchars, ISO-8859-1, one LF
            assertArrayEquals("KO\nLe numéro n&#039;est pas correct\n".getBytes(StandardCharsets.ISO_8859_1),
                    post(http, form("raw_2", "2026-04-27", "99_DC")));

            // actes_transac_get_status.php echoes its UTF-8 literal, with its final dot and no LF
            assertEquals("KO\nNuméro de transaction invalide.",
                    new String(get(http, TdtSimulator.STATUS + "?transaction=999999"), StandardCharsets.UTF_8));
            assertEquals("OK", new String(get(http, "/api/test-connexion.php"), StandardCharsets.ISO_8859_1));
            byte[] classification = get(http, "/modules/actes/actes_classification_fetch.php?api=1");
            byte[] expected = Files.readAllBytes(TdtSimulator.DEFAULT_CLASSIFICATION);
            assertArrayEquals(concat(expected, "\r\n".getBytes(StandardCharsets.ISO_8859_1)), classification);
        }
    }

    @Test
    void cancelOnlyFromAcknowledged() throws Exception {
        try (TdtClient client = client()) {
            long id = client.create(submission("ANNUL_1"), new IdActe("078-217803105-20260427-ANNUL_1-CC")).transactionId();
            TdtRefusedException early = assertThrows(TdtRefusedException.class, () -> client.cancel(id));
            assertTrue(early.tdtMessage().contains("Acquittement reçu"), early.tdtMessage());
            pollUntil(client, id, 4);
            long cancelId = client.cancel(id);
            assertTrue(cancelId > id);
            assertThrows(TdtRefusedException.class, () -> client.cancel(id), "one cancellation at a time");
            StatusReport cancelled = pollUntil(client, id, 0);
            ARAnnulation ar = new ActesXml().read(cancelled.openXml().orElseThrow(), "ARAnnulation", ARAnnulation.class);
            assertEquals("078-217803105-20260427-ANNUL_1-CC", ar.getIDActe());
            assertEquals(4, client.getStatus(cancelId).code());
            assertThrows(TdtRefusedException.class, () -> client.cancel(cancelId), "a cancellation is not cancellable");
        }
    }

    @Test
    void plannedAnomalyEndsInMinus1WithAnomalieActe() throws Exception {
        simulator.failNextWithAnomalie("ANOMALIE_1", "002", "ODT-VERIF-01 : la date de classification n'est pas à jour");
        try (TdtClient client = client()) {
            long id = client.create(submission("ANOMALIE_1"), new IdActe("078-217803105-20260427-ANOMALIE_1-CC"))
                    .transactionId();
            StatusReport report = pollUntil(client, id, -1);
            AnomalieActe anomalie = new ActesXml().read(report.openXml().orElseThrow(), "AnomalieActe", AnomalieActe.class);
            assertEquals("002", anomalie.getNature());
            assertEquals(SUBJECT, anomalie.getActeRecu().getObjet());
            assertEquals("Anomalie signalee par le MI : 002 - ODT-VERIF-01 : la date de classification n'est pas à jour",
                    report.message());
            assertFalse(client.downloadARActe(id, dir.resolve("none.xml")));
            // actes_transac_get_files_list.php lists the files once a status other than 1, 2, 3 was reached
            assertEquals(3, client.listFiles(id).size());
        }
    }

    @Test
    void classificationIsRequestedAndFetched() throws Exception {
        try (TdtClient client = client()) {
            assertTrue(client.requestClassification() > 0);
            Path target = dir.resolve("classification.xml");
            client.fetchClassification(target);
            assertTrue(Files.readString(target, StandardCharsets.ISO_8859_1).contains("RetourClassification"));
            assertEquals("Acquittement reçu", client.statusLabels().get(4));
            assertTrue(client.listPrefectureDocuments().stream().allMatch(d -> d.type() >= 2 && d.type() <= 5));
        }
    }

    @Test
    void clientCertificateFromAnotherCaIsRejectedAtTls() throws Exception {
        Path foreign = new TestPki("Other CA").tlsClient("Intrus").writePkcs12(dir.resolve("foreign.p12"), "client", PASSWORD);
        int before = simulator.transactionCount();
        try (TdtClient client = client(foreign)) {
            // The JDK's HttpsServer closes the connection without sending a TLS alert (Apache and Jetty send
            // one), so the client sees a dropped connection rather than a refused certificate.
            TdtUnavailableException e = assertThrows(TdtUnavailableException.class, () -> client.create(
                    submission("INTRUS_1"), new IdActe("078-217803105-20260427-INTRUS_1-CC")));
            assertFalse(e.getMessage().contains("HTTP"), e.getMessage());
        }
        assertEquals(before, simulator.transactionCount(), "nothing reached the application");
    }

    @Test
    void timePacingFollowsTheClock() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-04-29T08:00:00Z"), PARIS);
        try (TdtSimulator paced = TdtSimulator.builder().tls(tls).clock(clock).pacing(Pacing.every(Duration.ofMinutes(10)))
                .start()) {
            TdtConfig config = TdtConfig.builder(paced.url(), clientKeystore, Secret.of("changeit"))
                    .truststore(clientTrust, Secret.of("changeit")).build();
            try (TdtClient client = new TdtClient(config, d -> { }, new SplittableRandom(1))) {
                long id = client.create(submission("PACE_1"), new IdActe("078-217803105-20260427-PACE_1-CC")).transactionId();
                assertEquals(1, client.getStatus(id).code());
                assertEquals(1, client.getStatus(id).code(), "polling alone does not move a time-paced acte");
                clock.advance(Duration.ofMinutes(25));
                assertEquals(3, client.getStatus(id).code());
                clock.advance(Duration.ofDays(2));
                StatusReport report = client.getStatus(id);
                assertEquals(4, report.code());
                ARActe ar = new ActesXml().read(report.openXml().orElseThrow(), "ARActe", ARActe.class);
                assertEquals(LocalDate.of(2026, 4, 29), ar.getDateReception(), "the day status 4 was due, not the day read");
                assertEquals(1, paced.transactionCount());
            }
        }
    }


    @Test
    void theArIsDatedOnTheFrenchDayWhateverTheClocksZone() throws Exception {
        // 23:30 UTC on 30 November is 00:30 on 1 December in the prefecture: the connector names its
        // archive 20261201, so an AR dated the 30th would precede the sending (the proof bundle says so).
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T23:30:00Z"), java.time.ZoneOffset.UTC);
        try (TdtSimulator utc = TdtSimulator.builder().tls(tls).clock(clock).pacing(Pacing.IMMEDIATE).start()) {
            TdtConfig config = TdtConfig.builder(utc.url(), clientKeystore, Secret.of("changeit"))
                    .truststore(clientTrust, Secret.of("changeit")).build();
            try (TdtClient client = new TdtClient(config, d -> { }, new SplittableRandom(1))) {
                long id = client.create(submission("MINUIT_1"), new IdActe("078-217803105-20260427-MINUIT_1-CC")).transactionId();
                StatusReport report = client.getStatus(id);
                assertEquals(4, report.code());
                ARActe ar = new ActesXml().read(report.openXml().orElseThrow(), "ARActe", ARActe.class);
                assertEquals(LocalDate.of(2026, 12, 1), ar.getDateReception());
            }
        }
    }

    // ---------------------------------------------------------------- S²LOW's behaviours, raw HTTP

    private RawS2low raw() throws Exception {
        return new RawS2low(simulator.url(), certificates);
    }

    private Signer signer() throws Exception {
        TestPki.Identity maire = certificates.ca().ecSigner("Maire de Houdan");
        return new Signer(new SigningKey(maire.key(), maire.chain()), Clock.systemUTC());
    }

    /** PHP's rtrim: trailing spaces, tabs, LF, CR, NUL and vertical tabs removed. */
    private static byte[] rtrim(byte[] bytes) {
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == ' ' || bytes[n - 1] == '\t' || bytes[n - 1] == '\n' || bytes[n - 1] == '\r'
                || bytes[n - 1] == 0 || bytes[n - 1] == 0x0B)) n--;
        return java.util.Arrays.copyOf(bytes, n);
    }

    /** Helpers::escapeForXML: {@code "} becomes {@code \"}, nothing else changes. */
    private static byte[] escapeQuotes(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b == '"') out.write('\\');
            out.write(b);
        }
        return out.toByteArray();
    }

    @Test
    @DisplayName("a text signature is the Signature of the message, rtrim-ed, \" as \\\" (ActesTransaction.class.php: addSign, generateActeXMLFile)")
    void textSignatureIsWrittenAsIsIntoTheMessage() throws Exception {
        String pem = signer().sign(Houdan.writePdf(dir.resolve("s.pdf"), "s")).pem();
        String annexSignature = "-----BEGIN PKCS7-----\nMIIB \"annexe\"\n-----END PKCS7-----";
        try (RawS2low raw = raw()) {
            MultipartEntityBuilder form = RawS2low.acte(dir, "SIGNE_PEM", "99_DC");
            RawS2low.bytes(form, "acte_pdf_file_sign", (pem + "\n\n \t").getBytes(StandardCharsets.US_ASCII), "acte.p7s");
            RawS2low.pdf(form, dir, "acte_attachments[]", "annexe signee");
            RawS2low.text(form, "type_pj[]", "99_DC");
            RawS2low.bytes(form, "acte_attachments_sign[]", (annexSignature + "\r\n").getBytes(StandardCharsets.US_ASCII), "a.p7s");
            long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, form));

            Path message = simulator.workDir().resolve(id + "/078-217803105-20260427-SIGNE_PEM-CC-1-1_0.xml");
            String xml = Files.readString(message, StandardCharsets.ISO_8859_1);
            assertTrue(xml.contains("<actes:Signature>" + pem.stripTrailing() + "</actes:Signature>"), xml);
            assertTrue(xml.contains("<actes:Signature>-----BEGIN PKCS7-----\nMIIB \\\"annexe\\\"\n-----END PKCS7-----</actes:Signature>"),
                    xml);

            String four = raw.pollUntil(id, 4);
            assertTrue(four.contains(pem.stripTrailing()), "the prefecture echoes the signature: " + four);
            JsonNode files = MAPPER.readTree(raw.get("/modules/actes/actes_transac_get_files_list.php?transaction=" + id).utf8());
            assertEquals("078-217803105-20260427-SIGNE_PEM-CC-1-1_0.xml", files.get(0).path("name").asText());
            assertEquals(pem.stripTrailing(), files.get(1).path("sign").asText(), "stored as the files list shows it");
            byte[] served = raw.get("/modules/actes/actes_download_file.php?file=" + files.get(0).path("id").asText()).body();
            assertArrayEquals(Files.readAllBytes(message), served, "element 0 of the files list is the message built");
        }
    }

    @Test
    @DisplayName("a DER signature makes the message unreadable: -1 \"Enveloppe invalide\", number kept (ActesTransaction.class.php, class/actes/ActesAnalyseFichierAEnvoyerWorker.php)")
    void derSignatureEndsInAnInvalidEnvelope() throws Exception {
        byte[] der = signer().sign(Houdan.writePdf(dir.resolve("d.pdf"), "d")).der();
        try (RawS2low raw = raw()) {
            MultipartEntityBuilder form = RawS2low.acte(dir, "SIGNE_DER", "99_DC");
            RawS2low.bytes(form, "acte_pdf_file_sign", der, "acte.p7s");
            long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, form));

            byte[] message = Files.readAllBytes(simulator.workDir().resolve(id + "/078-217803105-20260427-SIGNE_DER-CC-1-1_0.xml"));
            assertTrue(indexOf(message, escapeQuotes(rtrim(der))) >= 0, "the DER bytes are in the message as they came");
            assertFalse(new String(message, StandardCharsets.ISO_8859_1).contains("BEGIN PKCS7"), "not re-encoded");

            assertEquals("OK\n1\n", raw.get(TdtSimulator.STATUS + "?transaction=" + id).latin1());
            String refused = raw.get(TdtSimulator.STATUS + "?transaction=" + id).latin1();
            assertTrue(refused.startsWith("OK\n-1\nEnveloppe invalide : Le fichier 078-217803105-20260427-SIGNE_DER-CC-1-1_0.xml "
                    + "n'est pas un XML bien formé"), refused);
            assertEquals(0, raw.get("/modules/actes/actes_transac_get_files_list.php?transaction=" + id).body().length,
                    "PHP's json_encode fails on the binary signature: empty body");
            assertEquals("KO\n" + Http.htmlspecialchars(ActeUpload.NUMBER_USED) + "\n",
                    raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "SIGNE_DER", "99_DC")).latin1(), "the number stays used");
        }
    }

    @Test
    @DisplayName("typology allowed for the nature checked after the OK; only its pattern before (class/actes/ActesAnalyseFichierAEnvoyerWorker.php, actes_transac_create.php)")
    void typologyIsCheckedAfterTheOk() throws Exception {
        try (RawS2low raw = raw()) {
            long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TYPO_1", "99_DE")));
            assertEquals("OK\n1\n", raw.get(TdtSimulator.STATUS + "?transaction=" + id).latin1());
            assertEquals("OK\n-1\nEnveloppe invalide : La typologie 99_DE n'est pas permise sur le fichier "
                            + "99_DE-078-217803105-20260427-TYPO_1-CC-1-1_1.pdf pour la nature 4",
                    raw.get(TdtSimulator.STATUS + "?transaction=" + id).latin1());
            assertTrue(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TYPO_1", "99_DC")).latin1()
                    .startsWith("KO\nUn acte portant le même numéro interne existe déjà"), "the number stays used");

            assertEquals("KO\nErreur de validation du fichier de l&#039;acte :\nLe code de la PJ doit faire 5 caractères\n\n",
                    raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TYPO_2", "99-DC")).latin1());
            RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TYPO_2", "99_DC")));
        }
    }

    @Test
    @DisplayName("unique_id is set by the ARActe: get_status?unique_id= answers KO before (actes_transac_get_status.php, class/actes/ActesAnalyseFichierRecuController.php)")
    void uniqueIdIsKnownOnlyAfterTheAr() throws Exception {
        String byUniqueId = TdtSimulator.STATUS + "?unique_id=078-217803105-20260427-UNIQUE_1-CC";
        try (RawS2low raw = raw()) {
            long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "UNIQUE_1", "99_DC")));
            assertArrayEquals("KO\nNuméro de transaction invalide.".getBytes(StandardCharsets.UTF_8), raw.get(byUniqueId).body());
            raw.pollUntil(id, 3);
            assertArrayEquals("KO\nNuméro de transaction invalide.".getBytes(StandardCharsets.UTF_8), raw.get(byUniqueId).body());
            raw.pollUntil(id, 4);
            assertTrue(raw.get(byUniqueId).latin1().startsWith("OK\n4\n<?xml"), "found once acknowledged");
        }
    }

    @Test
    @DisplayName("list_actes lists every type, each with its type and the acte's number, all values strings (controller/ActesAPIController.php, class/actes/ActesTransactionsSQL.php)")
    void listActesListsEveryTransactionType() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "LISTE_1", "99_DC")));
            raw.pollUntil(acte, 4);
            MultipartEntityBuilder cancel = MultipartEntityBuilder.create();
            RawS2low.text(cancel, "api", "1");
            RawS2low.text(cancel, "id", String.valueOf(acte));
            long cancellation = RawS2low.createdId(raw.post("/modules/actes/actes_transac_cancel.php", cancel));
            long classification = RawS2low.createdId(raw.get("/modules/actes/actes_classification_request.php?api=1"));
            long letter = simulator.issueLetter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);

            JsonNode posted = MAPPER.readTree(raw.get("/modules/actes/api/list_actes.php?status_id=1").utf8());
            assertEquals("1", posted.path("status_id").asText());
            assertTrue(posted.path("status_id").isTextual() && posted.path("authority_id").isTextual()
                    && posted.path("offset").isTextual() && posted.path("limit").isTextual(), posted.toString());
            JsonNode c = find(posted, cancellation);
            assertEquals("6", c.path("type").asText());
            assertEquals("LISTE_1", c.path("number").asText());
            assertEquals("1.4", c.path("classification").asText());
            assertEquals("", c.path("date").asText());
            assertEquals("7", find(posted, classification).path("type").asText());
            assertTrue(posted.path("transactions").findValues("id").stream().noneMatch(v -> v.asText().equals(acte + "")));

            JsonNode received = MAPPER.readTree(raw.get("/modules/actes/api/list_actes.php?status_id=7").utf8());
            JsonNode l = find(received, letter);
            assertEquals("3", l.path("type").asText());
            assertEquals("LISTE_1", l.path("number").asText());
            assertEquals(SUBJECT, l.path("subject").asText());
            assertEquals(LocalDate.now(PARIS).toString(), l.path("date").asText(), "the letter's date");
            assertEquals("0", MAPPER.readTree(raw.get("/modules/actes/api/list_actes.php").utf8()).path("status_id").asText(),
                    "status_id defaults to 0 (Recuperateur::getInt)");
        }
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode t : list.path("transactions")) {
            if (t.path("id").isTextual() && t.path("id").asText().equals(String.valueOf(id))) return t;
        }
        throw new AssertionError("transaction " + id + " not in " + list);
    }

    // ---------------------------------------------------------------- raw HTTP

    private CloseableHttpClient rawClient() throws Exception {
        SSLContext ssl = SSLContexts.custom()
                .loadKeyMaterial(clientKeystore.toFile(), PASSWORD, PASSWORD)
                .loadTrustMaterial(clientTrust.toFile(), PASSWORD)
                .build();
        return HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl)).build()).build();
    }

    private MultipartEntityBuilder form(String number, String date, String typologie) throws IOException {
        ContentType latin1 = ContentType.create("text/plain", StandardCharsets.ISO_8859_1);
        Path pdf = Houdan.writePdf(dir.resolve("raw-" + number + ".pdf"), "raw " + number);
        return MultipartEntityBuilder.create()
                .addTextBody("api", "1", latin1)
                .addTextBody("nature_code", "4", latin1)
                .addTextBody("number", number, latin1)
                .addTextBody("decision_date", date, latin1)
                .addTextBody("subject", SUBJECT, latin1)
                .addTextBody("classif1", "1", latin1)
                .addTextBody("classif2", "4", latin1)
                .addTextBody("type_acte", typologie, latin1)
                .addBinaryBody("acte_pdf_file", pdf.toFile(), ContentType.create("application/pdf"), "acte.pdf");
    }

    private byte[] post(CloseableHttpClient http, MultipartEntityBuilder form) throws IOException {
        HttpPost post = new HttpPost(simulator.url().resolve("/modules/actes/actes_transac_create.php"));
        post.setEntity(form.build());
        return http.execute(post, r -> EntityUtils.toByteArray(r.getEntity()));
    }

    private byte[] get(CloseableHttpClient http, String pathAndQuery) throws IOException {
        return http.execute(new HttpGet(simulator.url().resolve(pathAndQuery)), r -> EntityUtils.toByteArray(r.getEntity()));
    }

    // ---------------------------------------------------------------- helpers

    private static String pdfText(Path pdf) throws IOException {
        byte[] head = new byte[5];
        try (var in = Files.newInputStream(pdf)) {
            assertEquals(5, in.read(head));
        }
        assertEquals("%PDF-", new String(head, StandardCharsets.ISO_8859_1));
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
