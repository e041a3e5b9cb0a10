package fr.actesconnector.tdt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Secret;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.testing.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against WireMock over HTTPS with client-certificate authentication, replaying S²LOW's bytes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TdtClientIT {
    private static final String CREATE = "/modules/actes/actes_transac_create.php";
    private static final String STATUS = "/modules/actes/actes_transac_get_status.php";
    private static final String LIST_ACTES = "/modules/actes/api/list_actes.php";
    private static final String NUMBER = "2026_DEC_020";
    private static final IdActe ID_ACTE = new IdActe("078-217803105-20260427-2026_DEC_020-CC");
    private static final String SUBJECT = "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la "
            + "Société Promosoft Informatique.";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private Path pkiDir;
    private TestPki pki;
    private WireMockServer wm;
    private Path clientKeystore;
    private Path clientTrust;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        pkiDir = Files.createTempDirectory("tdt-it-pki");
        pki = new TestPki("S2LOW Test CA");
        Path serverKeystore = pki.tlsServer().writePkcs12(pkiDir.resolve("server.p12"), "server", PASSWORD);
        Path serverTrust = pki.writeTrustStore(pkiDir.resolve("server-trust.p12"), PASSWORD);
        clientKeystore = pki.tlsClient("Mairie de Houdan").writePkcs12(pkiDir.resolve("client.p12"), "client", PASSWORD);
        clientTrust = pki.writeTrustStore(pkiDir.resolve("client-trust.p12"), PASSWORD);
        wm = new WireMockServer(wireMockConfig()
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(serverKeystore.toString())
                .keystorePassword("changeit")
                .keyManagerPassword("changeit")
                .keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(serverTrust.toString())
                .trustStorePassword("changeit")
                .trustStoreType("PKCS12"));
        wm.start();
    }

    @AfterAll
    void stopServer() throws Exception {
        wm.stop();
        try (var files = Files.walk(pkiDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
        sleeps.clear();
    }

    private TdtConfig.Builder config(Path keystore, Path trust) {
        return TdtConfig.builder(URI.create("https://localhost:" + wm.httpsPort()), keystore, Secret.of("changeit"))
                .truststore(trust, Secret.of("changeit"))
                .timeout(Duration.ofSeconds(5))
                .retry(3, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private TdtClient client() {
        return client(config(clientKeystore, clientTrust));
    }

    private TdtClient client(TdtConfig.Builder config) {
        return new TdtClient(config.build(), sleeps::add, new SplittableRandom(7));
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private Path pdf(String name) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, latin1("%PDF-1.4\n% " + name + "\n%%EOF\n"));
        return p;
    }

    private TdtSubmission houdan() throws Exception {
        return new TdtSubmission(Nature.CC, NUMBER, LocalDate.of(2026, 4, 27), SUBJECT, Classification.of(1, 4),
                new Piece(pdf("Décision 2026-DEC-020.pdf"), new Typologie("99_DC")),
                List.of(new Piece(pdf("Contrat P360 – été.pdf"), new Typologie("99_DC")),
                        new Piece(pdf("annexe+2.pdf"), new Typologie("22_AU"))),
                Optional.empty(), List.of(), false);
    }

    private void stubCreate(byte[] reply) {
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(200).withBody(reply)));
    }

    private void stubListActes(int status, String json) {
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).withQueryParam("status_id", equalTo(String.valueOf(status)))
                .atPriority(1).willReturn(aResponse().withBody(json)));
    }

    private void stubEmptyListsElsewhere() {
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).atPriority(10).willReturn(aResponse()
                .withBody("{\"status_id\":0,\"authority_id\":1,\"offset\":0,\"limit\":100,\"transactions\":[]}")));
    }

    private static String listing(long id, String number) {
        return "{\"status_id\":1,\"authority_id\":12,\"offset\":0,\"limit\":100,\"transactions\":["
                + "{\"id\":\"4100\",\"subject\":\"Autre acte\",\"number\":\"2026_DEC_019\",\"date\":\"2026-04-20\","
                + "\"nature_descr\":\"Contrats\",\"classification\":\"1.4\",\"type\":\"1\"},"
                + "{\"id\":\"" + id + "\",\"subject\":\"Contrat P360\",\"number\":\"" + number + "\",\"date\":\"2026-04-27\","
                + "\"nature_descr\":\"Contrats, conventions et avenants\",\"classification\":\"1.4\",\"type\":\"1\"}]}";
    }

    // ------------------------------------------------------------------ multipart on the wire

    record Part(String name, String filename, String headers, byte[] content) {
    }

    /** Splits the raw multipart body as received by the server. */
    static List<Part> parts(LoggedRequest request) {
        String contentType = request.getHeader("Content-Type");
        Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        assertTrue(m.find(), contentType);
        String body = new String(request.getBody(), StandardCharsets.ISO_8859_1);
        String delimiter = "--" + m.group(1);
        List<Part> parts = new ArrayList<>();
        String[] chunks = body.split(Pattern.quote(delimiter));
        for (String chunk : chunks) {
            if (!chunk.startsWith("\r\n")) continue; // preamble or closing "--"
            int headerEnd = chunk.indexOf("\r\n\r\n");
            String headers = chunk.substring(2, headerEnd);
            String content = chunk.substring(headerEnd + 4, chunk.length() - 2);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            assertTrue(name.find(), headers);
            Matcher file = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            parts.add(new Part(name.group(1), file.find() ? file.group(1) : null, headers, latin1(content)));
        }
        return parts;
    }

    private static String text(List<Part> parts, String name) {
        return parts.stream().filter(p -> p.name().equals(name)).map(p -> new String(p.content(), StandardCharsets.ISO_8859_1))
                .findFirst().orElseThrow(() -> new AssertionError("no part " + name));
    }

    @Test
    void createSendsEveryFieldAsS2lowExpectsAndReturnsTheTransactionId() throws Exception {
        stubCreate(latin1("OK\n4242\n\n"));
        try (TdtClient client = client(config(clientKeystore, clientTrust).basicAuth("mairie-houdan", Secret.of("pw")))) {
            CreateResult result = client.create(houdan(), ID_ACTE);
            assertEquals(new CreateResult(4242, false), result);
        }
        List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlPathEqualTo(CREATE)));
        assertEquals(1, posts.size());
        LoggedRequest request = posts.get(0);
        // api=1 in the body makes S²LOW read every field as ISO-8859-1 (class/Helpers.php, getVarFromPost); in the
        // query too, so that a body PHP dropped (over post_max_size) still gets a KO, not a redirect
        assertTrue(request.getUrl().endsWith("?api=1"), request.getUrl());
        assertEquals("Basic " + Base64.getEncoder().encodeToString(latin1("mairie-houdan:pw")),
                request.getHeader("Authorization"));
        List<Part> parts = parts(request);
        assertEquals(List.of("api", "nature_code", "number", "decision_date", "subject", "classif1", "classif2",
                        "type_acte", "acte_pdf_file", "acte_attachments[]", "acte_attachments[]", "type_pj[]", "type_pj[]",
                        "document_papier", "en_attente"),
                parts.stream().map(Part::name).toList());
        assertEquals("1", text(parts, "api"));
        assertEquals("4", text(parts, "nature_code"));
        assertEquals(NUMBER, text(parts, "number"));
        assertEquals("2026-04-27", text(parts, "decision_date"));
        assertEquals("1", text(parts, "classif1"));
        assertEquals("4", text(parts, "classif2"));
        assertEquals("99_DC", text(parts, "type_acte"));
        assertEquals("0", text(parts, "document_papier"));
        assertEquals("0", text(parts, "en_attente"));

        Part subject = parts.stream().filter(p -> p.name().equals("subject")).findFirst().orElseThrow();
        assertArrayEquals(latin1(SUBJECT), subject.content(), "subject as ISO-8859-1 bytes");
        String raw = new String(subject.content(), StandardCharsets.ISO_8859_1);
        int e = raw.indexOf("Soci") + 4;
        assertEquals(0xE9, subject.content()[e] & 0xFF, "é is the single byte 0xE9");
        assertFalse(new String(request.getBody(), StandardCharsets.ISO_8859_1).contains("Soci\u00C3\u00A9t"),
                "no UTF-8 C3 A9 anywhere");
        assertTrue(subject.headers().contains("charset=ISO-8859-1"), subject.headers());

        List<Part> annexes = parts.stream().filter(p -> p.name().equals("acte_attachments[]")).toList();
        assertEquals(List.of("Contrat P360 _ _t_.pdf", "annexe_2.pdf"), annexes.stream().map(Part::filename).toList());
        assertEquals(List.of("99_DC", "22_AU"), parts.stream().filter(p -> p.name().equals("type_pj[]"))
                .map(p -> new String(p.content(), StandardCharsets.ISO_8859_1)).toList());
        Part document = parts.stream().filter(p -> p.name().equals("acte_pdf_file")).findFirst().orElseThrow();
        assertEquals("D_cision 2026_DEC_020.pdf", document.filename());
        assertArrayEquals(Files.readAllBytes(dir.resolve("Décision 2026-DEC-020.pdf")), document.content());
        assertTrue(document.headers().contains("application/pdf"), document.headers());
    }

    @Test
    void createSendsSignaturesAsPemTextAndPaperFlag() throws Exception {
        // S²LOW reads each signature upload as a string and writes it, rtrimmed, as the text of Signature
        // (public.ssl/modules/actes/class/ActesTransaction.class.php, addSign/storeSign): a DER .p7s goes up as PEM.
        stubCreate(latin1("OK\n7\n\n"));
        byte[] der = {0x30, (byte) 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48};
        Path docSig = Files.write(dir.resolve("decision.p7s"), der);
        String pem = "-----BEGIN PKCS7-----\nMIIBAAYJKoZI\n-----END PKCS7-----\n";
        Path annexSig = Files.writeString(dir.resolve("contrat.pem"), pem.replace("\n", "\r\n") + "\r\n\r\n",
                StandardCharsets.US_ASCII);
        TdtSubmission s = new TdtSubmission(Nature.CC, NUMBER, LocalDate.of(2026, 4, 27), SUBJECT,
                Classification.of(1, 4, 2), new Piece(pdf("decision.pdf"), new Typologie("99_DC")),
                List.of(new Piece(pdf("contrat.pdf"), new Typologie("99_DC"))), Optional.of(docSig), List.of(annexSig), true);
        try (TdtClient client = client()) {
            assertEquals(7, client.create(s, ID_ACTE).transactionId());
        }
        List<Part> parts = parts(wm.findAll(postRequestedFor(urlPathEqualTo(CREATE))).get(0));
        Part docPart = parts.stream().filter(p -> p.name().equals("acte_pdf_file_sign")).findFirst().orElseThrow();
        assertEquals(pem, new String(docPart.content(), StandardCharsets.US_ASCII), "DER armoured as PEM text");
        assertEquals("decision.pdf.pem", docPart.filename());
        Part annexPart = parts.stream().filter(p -> p.name().equals("acte_attachments_sign[]")).findFirst().orElseThrow();
        assertEquals(pem, new String(annexPart.content(), StandardCharsets.US_ASCII), "PEM kept, line ends normalised");
        // acte_attachments_sign[i] pairs with acte_attachments[i]: the annex's signature follows the annex
        List<String> names = parts.stream().map(Part::name).toList();
        assertEquals(names.indexOf("acte_attachments[]") + 1, names.indexOf("acte_attachments_sign[]"));
        assertEquals("2", text(parts, "classif3"));
        assertEquals("1", text(parts, "document_papier"));
        assertEquals("1", wm.findAll(postRequestedFor(urlPathEqualTo(CREATE))).get(0).queryParameter("api").firstValue(),
                "api=1 also in the query, for a body PHP dropped");
    }

    @Test
    void aSignatureThatIsNeitherDerNorPemIsRefusedBeforePosting() throws Exception {
        stubCreate(latin1("OK\n7\n\n"));
        TdtSubmission s = new TdtSubmission(Nature.CC, NUMBER, LocalDate.of(2026, 4, 27), SUBJECT,
                Classification.of(1, 4), new Piece(pdf("decision.pdf"), new Typologie("99_DC")), List.of(),
                Optional.of(pdf("not-a-signature.p7s")), List.of(), false);
        try (TdtClient client = client()) {
            var e = assertThrows(fr.actesconnector.model.InvalidActeException.class, () -> client.create(s, ID_ACTE));
            assertTrue(e.userMessage().contains("n'est pas une signature CMS"), e.userMessage());
        }
        wm.verify(0, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void koInIso88591IsARefusalWithTheTdtText() throws Exception {
        stubCreate(latin1("KO\nUn acte portant le même numéro interne existe déjà. Ajoutez un suffixe.\n"));
        try (TdtClient client = client()) {
            TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> client.create(houdan(), ID_ACTE));
            assertEquals("Un acte portant le même numéro interne existe déjà. Ajoutez un suffixe.", e.tdtMessage());
            assertTrue(e.userMessage().startsWith("Le TdT a refusé"), e.userMessage());
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
        wm.verify(0, getRequestedFor(urlPathEqualTo(LIST_ACTES)));
    }

    @Test
    void koInUtf8WithHtmlEntitiesIsDecoded() throws Exception {
        stubCreate("KO\nL&#039;annexe n°2 : typologie absente&lt;br/&gt;Le fichier &quot;x&quot; n&#039;est pas un PDF\n"
                .getBytes(StandardCharsets.UTF_8));
        try (TdtClient client = client()) {
            TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> client.create(houdan(), ID_ACTE));
            assertEquals("L'annexe n°2 : typologie absente\nLe fichier \"x\" n'est pas un PDF", e.tdtMessage());
        }
    }

    @Test
    void redirectToLoginIsAnAuthenticationFailure() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/api/test-connexion.php")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/login.php?error=multiple_accounts")));
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(302).withHeader("Location", "/connexion")));
        try (TdtClient client = client()) {
            TdtAuthenticationException e = assertThrows(TdtAuthenticationException.class, client::testConnection);
            assertTrue(e.userMessage().contains("tdt.login"), e.userMessage());
            assertTrue(e.userMessage().contains("aucun compte S²LOW"), e.userMessage());
            assertThrows(TdtAuthenticationException.class, () -> client.create(houdan(), ID_ACTE));
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/test-connexion.php")));
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
        wm.verify(0, getRequestedFor(urlPathEqualTo(LIST_ACTES)));
    }

    @Test
    void statusFourReturnsTheArActeBytes() throws Exception {
        String arActe = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARActe xmlns:actes="
                + "\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\" actes:DateReception=\"2026-04-29\" actes:IDActe=\""
                + ID_ACTE + "\">\n<actes:ActeRecu actes:CodeNatureActe=\"4\" actes:Date=\"2026-04-27\" actes:NumeroInterne=\""
                + NUMBER + "\"><actes:Objet>" + SUBJECT + "</actes:Objet></actes:ActeRecu>\n</actes:ARActe>";
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo("4242"))
                .willReturn(aResponse().withBody(latin1("OK\n4\n" + arActe))));
        try (TdtClient client = client()) {
            StatusReport r = client.getStatus(4242);
            assertEquals(4, r.code());
            assertEquals("Acquittement reçu", r.label());
            assertArrayEquals(latin1(arActe), r.xmlBytes());
            assertEquals("", r.message());
        }
    }

    @Test
    void statusMinusOneByUniqueIdReturnsAnomalyThenMessage() throws Exception {
        String anomaly = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:AnomalieActe xmlns:actes=\"http://www.interieur"
                + ".gouv.fr/ACTES#v1.1-20040216\" actes:IDActe=\"" + ID_ACTE + "\"><actes:Nature>2</actes:Nature>"
                + "<actes:Detail>Typologie non autorisée</actes:Detail></actes:AnomalieActe>";
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("unique_id", equalTo(ID_ACTE.value()))
                .willReturn(aResponse().withBody(latin1("OK\n-1\n" + anomaly
                        + "Anomalie signalee par le MI : 2 - Typologie non autorisée\n"))));
        try (TdtClient client = client()) {
            StatusReport r = client.getStatus(ID_ACTE);
            assertEquals(-1, r.code());
            assertArrayEquals(latin1(anomaly), r.xmlBytes());
            assertEquals("Anomalie signalee par le MI : 2 - Typologie non autorisée", r.message());
        }
    }

    @Test
    void readsAreRetriedOn503ThenSucceed() {
        String scenario = "flaky";
        wm.stubFor(get(urlPathEqualTo(STATUS)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("one"));
        wm.stubFor(get(urlPathEqualTo(STATUS)).inScenario(scenario).whenScenarioStateIs("one")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("two"));
        wm.stubFor(get(urlPathEqualTo(STATUS)).inScenario(scenario).whenScenarioStateIs("two")
                .willReturn(aResponse().withBody(latin1("OK\n3\n"))));
        try (TdtClient client = client()) {
            assertEquals(3, client.getStatus(4242).code());
        }
        wm.verify(3, getRequestedFor(urlPathEqualTo(STATUS)));
        assertEquals(2, sleeps.size());
        assertTrue(sleeps.get(0).toMillis() >= 50 && sleeps.get(0).toMillis() <= 100, sleeps.toString());
        assertTrue(sleeps.get(1).toMillis() >= 100 && sleeps.get(1).toMillis() <= 200, sleeps.toString());
    }

    @Test
    void readsGiveUpAfterTheConfiguredAttempts() {
        wm.stubFor(get(urlPathEqualTo(STATUS)).willReturn(aResponse().withStatus(502)));
        try (TdtClient client = client()) {
            TdtUnavailableException e = assertThrows(TdtUnavailableException.class, () -> client.getStatus(4242));
            assertTrue(e.userMessage().contains("HTTP 502"), e.userMessage());
            assertFalse(e.outcomeUnknown());
        }
        wm.verify(3, getRequestedFor(urlPathEqualTo(STATUS)));
    }

    @Test
    void aServerErrorAfterTheTdtRecordedTheActeDoesNotPostTwice() throws Exception {
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));
        stubEmptyListsElsewhere();
        stubListActes(1, listing(4243, NUMBER));
        try (TdtClient client = client()) {
            assertEquals(new CreateResult(4243, true), client.create(houdan(), ID_ACTE));
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void aDroppedConnectionDoesNotPostTwice(Fault fault) throws Exception {
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withFault(fault)));
        stubEmptyListsElsewhere();
        stubListActes(17, listing(4244, NUMBER));
        try (TdtClient client = client()) {
            assertEquals(new CreateResult(4244, true), client.create(houdan(), ID_ACTE));
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void anActeCertainlyAbsentIsPostedOnceMore() throws Exception {
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario("repost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("failed once"));
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario("repost").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withBody(latin1("OK\n4245\n\n"))));
        stubEmptyListsElsewhere();
        try (TdtClient client = client()) {
            assertEquals(new CreateResult(4245, false), client.create(houdan(), ID_ACTE));
        }
        wm.verify(2, postRequestedFor(urlPathEqualTo(CREATE)));
        // S²LOW sets unique_id only from the ARActe (class/actes/ActesAnalyseFichierRecuController.php): never asked
        wm.verify(0, getRequestedFor(urlPathEqualTo(STATUS)));
        // every status of a just-posted acte was checked before posting again
        for (int status : TdtClient.LOOKUP_STATUSES) {
            wm.verify(getRequestedFor(urlPathEqualTo(LIST_ACTES)).withQueryParam("status_id", equalTo(String.valueOf(status))));
        }
    }

    @Test
    void whenTheLookupFailsTheOutcomeIsUnknownAndNothingIsResent() throws Exception {
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(500)));
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).willReturn(aResponse().withStatus(503)));
        try (TdtClient client = client()) {
            TdtUnavailableException e = assertThrows(TdtUnavailableException.class, () -> client.create(houdan(), ID_ACTE));
            assertTrue(e.outcomeUnknown());
            assertTrue(e.userMessage().contains("ne le renvoyez pas"), e.userMessage());
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void findTransactionResolvesAPostingActeAtRestart() {
        stubEmptyListsElsewhere();
        stubListActes(3, listing(4246, NUMBER));
        try (TdtClient client = client()) {
            assertEquals(Optional.of(4246L), client.findTransaction(ID_ACTE, NUMBER));
            assertEquals(Optional.empty(), client.findTransaction(ID_ACTE, "2026_DEC_021"));
        }
    }

    @Test
    void onlyATypeOneTransactionIsTheActe() {
        // api/list_actes.php lists every type; a cancellation (6) carries the acte's number
        // (controller/ActesAPIController.php, ActesTransactionsSQL::getListByStatusAndAuthority)
        stubEmptyListsElsewhere();
        stubListActes(1, listing(5001, NUMBER).replace("\"id\":\"5001\"", "\"id\":\"5001\"")
                .replace("\"classification\":\"1.4\",\"type\":\"1\"}]}", "\"classification\":\"1.4\",\"type\":\"6\"}]}"));
        stubListActes(0, listing(4247, NUMBER));
        try (TdtClient client = client()) {
            assertEquals(Optional.of(4247L), client.findTransaction(ID_ACTE, NUMBER));
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedWithAFrenchMessage() throws Exception {
        TestPki rogue = new TestPki("Rogue CA");
        Path rogueKeystore = rogue.tlsClient("Intrus").writePkcs12(dir.resolve("rogue.p12"), "client", PASSWORD);
        wm.stubFor(get(urlPathEqualTo("/api/test-connexion.php")).willReturn(aResponse().withBody("OK")));
        try (TdtClient client = client(config(rogueKeystore, clientTrust))) {
            TdtAuthenticationException e = assertThrows(TdtAuthenticationException.class, client::testConnection);
            assertTrue(e.userMessage().startsWith("Le TdT a refusé le certificat client"), e.userMessage());
            assertTrue(e.userMessage().contains("tdt.client.keystore"), e.userMessage());
        }
        assertTrue(sleeps.isEmpty(), "an authentication failure is not retried: " + sleeps);
        wm.verify(0, getRequestedFor(urlPathEqualTo("/api/test-connexion.php")));
    }

    @Test
    void aRefusedClientCertificateOnCreateIsCertainNotUnknown() throws Exception {
        TestPki rogue = new TestPki("Rogue CA");
        Path rogueKeystore = rogue.tlsClient("Intrus").writePkcs12(dir.resolve("rogue.p12"), "client", PASSWORD);
        stubCreate(latin1("OK\n1\n\n"));
        stubEmptyListsElsewhere();
        try (TdtClient client = client(config(rogueKeystore, clientTrust).retry(6, Duration.ofMillis(1), Duration.ofMillis(5)))) {
            TdtAuthenticationException e = assertThrows(TdtAuthenticationException.class, () -> client.create(houdan(), ID_ACTE));
            assertFalse(e.outcomeUnknown());
            assertTrue(e.userMessage().contains("tdt.client.keystore"), e.userMessage());
        }
        wm.verify(0, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void aServerCertificateOutsideTheTrustStoreIsRefused() throws Exception {
        Path otherTrust = new TestPki("Other CA").writeTrustStore(dir.resolve("other-trust.p12"), PASSWORD);
        try (TdtClient client = client(config(clientKeystore, otherTrust))) {
            TdtUnavailableException e = assertThrows(TdtUnavailableException.class, client::testConnection);
            assertTrue(e.userMessage().contains("certificat du serveur TdT n'est pas reconnu"), e.userMessage());
            assertTrue(e.userMessage().contains("tdt.truststore"), e.userMessage());
        }
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void connectionProbes() {
        wm.stubFor(get(urlPathEqualTo("/api/test-connexion.php")).willReturn(aResponse().withBody("OK")));
        wm.stubFor(get(urlPathEqualTo("/api/test-rgs.php")).willReturn(aResponse()
                .withBody(latin1("KO\nla télétransmission nécessite un certificat RGS"))));
        wm.stubFor(get(urlPathEqualTo("/api/info-connexion.php")).willReturn(aResponse().withBody(
                "{\"user_info\":{\"id\":\"3\",\"login\":\"mairie-houdan\",\"email\":\"secretariat@houdan.fr\"},"
                        + "\"authority_info\":{\"id\":\"12\",\"name\":\"HOUDAN\",\"department\":\"078\",\"district\":\"3\","
                        + "\"city\":\"Houdan\"}}")));
        wm.stubFor(get(urlPathEqualTo("/admin/users/api-list-login.php")).willReturn(aResponse().withBody("mairie-houdan\nadmin-houdan\n")));
        try (TdtClient client = client()) {
            client.testConnection();
            assertEquals(new RgsCheck(false, "la télétransmission nécessite un certificat RGS"), client.testRgs());
            ConnectionInfo info = client.connectionInfo();
            assertEquals("mairie-houdan", info.login());
            assertEquals(12, info.authorityId());
            assertEquals("HOUDAN", info.authorityName());
            assertEquals("078", info.department());
            assertEquals(List.of("mairie-houdan", "admin-houdan"), client.listLogins());
            assertTrue(client.clientCertificate().getSubjectX500Principal().getName().contains("Mairie de Houdan"));
        }
    }

    @Test
    void filesAreListedAndDownloadedStamped() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_transac_get_files_list.php")).withQueryParam("transaction", equalTo("4242"))
                .willReturn(aResponse().withBody("[{\"id\":\"100\",\"name\":\"078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml\","
                        + "\"posted_filename\":\"\",\"mimetype\":\"text/xml\",\"size\":\"1500\",\"sign\":\"\",\"code_pj\":\"\"},"
                        + "{\"id\":\"101\",\"name\":\"99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf\",\"posted_filename\":"
                        + "\"D_cision 2026_DEC_020.pdf\",\"mimetype\":\"application/pdf\",\"size\":\"2048\",\"sign\":\"\","
                        + "\"code_pj\":\"99_DC\"}]")));
        byte[] stamped = latin1("%PDF-1.4\n% tamponné\n%%EOF\n");
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("file", equalTo("101"))
                .withQueryParam("tampon", equalTo("true")).willReturn(aResponse()
                        .withHeader("Content-Type", "application/pdf").withBody(stamped)));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_create_pdf.php")).withQueryParam("trans_id", equalTo("4242"))
                .willReturn(aResponse().withHeader("Content-Type", "application/pdf").withBody(latin1("%PDF-1.4 bordereau"))));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("env", equalTo("9"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-gzip").withBody(new byte[]{0x1f, (byte) 0x8b, 8})));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("file", equalTo("999"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", "/modules/actes/actes_transac_show.php?id=1")));
        try (TdtClient client = client()) {
            List<TdtFile> files = client.listFiles(4242);
            assertEquals(2, files.size());
            assertEquals(new TdtFile(101, "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf", "D_cision 2026_DEC_020.pdf",
                    "application/pdf", 2048, "", "99_DC"), files.get(1));
            Path target = dir.resolve("acte-tamponne.pdf");
            client.downloadFile(101, true, target);
            assertArrayEquals(stamped, Files.readAllBytes(target));
            client.downloadBordereau(4242, dir.resolve("bordereau.pdf"));
            assertArrayEquals(latin1("%PDF-1.4 bordereau"), Files.readAllBytes(dir.resolve("bordereau.pdf")));
            client.downloadEnvelope(9, dir.resolve("env.tar.gz"));
            assertEquals(3, Files.size(dir.resolve("env.tar.gz")));
            Path missing = dir.resolve("missing.pdf");
            assertThrows(TdtRefusedException.class, () -> client.downloadFile(999, false, missing));
            assertFalse(Files.exists(missing));
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
            }
        }
    }

    /** Another process (a second daemon) downloading the same file at the same time keeps its temporary file. */
    @Test
    void aDownloadWritesItsOwnTemporaryFileNotTheOneAnotherProcessIsWriting() throws Exception {
        byte[] stamped = latin1("%PDF-1.4\n% tamponné\n%%EOF\n");
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("file", equalTo("101"))
                .withQueryParam("tampon", equalTo("true")).willReturn(aResponse()
                        .withHeader("Content-Type", "application/pdf").withBody(stamped)));
        Path target = dir.resolve("acte-tamponne.pdf");
        Path others = Files.writeString(dir.resolve("acte-tamponne.pdf.part"), "%PDF-1.4 half written by the other daemon");
        try (TdtClient client = client()) {
            client.downloadFile(101, true, target);
        }
        assertArrayEquals(stamped, Files.readAllBytes(target));
        assertEquals("%PDF-1.4 half written by the other daemon", Files.readString(others));
    }

    @Test
    void arActeDownloadIsEmptyBeforeTheAr() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_transac_get_ARActe.php")).withQueryParam("id", equalTo("1"))
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(new byte[0])));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_transac_get_ARActe.php")).withQueryParam("id", equalTo("2"))
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(latin1("<actes:ARActe/>"))));
        try (TdtClient client = client()) {
            assertFalse(client.downloadARActe(1, dir.resolve("ar1.xml")));
            assertFalse(Files.exists(dir.resolve("ar1.xml")));
            assertTrue(client.downloadARActe(2, dir.resolve("ar2.xml")));
            assertEquals("<actes:ARActe/>", Files.readString(dir.resolve("ar2.xml"), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void classificationIsRequestedOnceAndFetched() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_classification_request.php")).withQueryParam("api", equalTo("1"))
                .willReturn(aResponse().withBody(latin1("OK\n5001\n\n"))));
        byte[] xml = latin1("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:RetourClassification xmlns:actes=\"x\">"
                + "<actes:Matiere1 actes:CodeMatiere=\"1\" actes:Libelle=\"Commande publique\"/></actes:RetourClassification>\r\n");
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_classification_fetch.php")).withQueryParam("api", equalTo("1"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml;charset=iso-8859-1").withBody(xml)));
        try (TdtClient client = client()) {
            assertEquals(5001, client.requestClassification());
            Path target = dir.resolve("classification.xml");
            client.fetchClassification(target);
            assertArrayEquals(xml, Files.readAllBytes(target));
        }
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_classification_fetch.php"))
                .willReturn(aResponse().withBody(latin1("KO\nAucune classification reçue"))));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_classification_request.php")).willReturn(aResponse().withStatus(500)));
        try (TdtClient client = client()) {
            TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> client.fetchClassification(dir.resolve("c.xml")));
            assertEquals("Aucune classification reçue", e.tdtMessage());
            TdtUnavailableException unknown = assertThrows(TdtUnavailableException.class, client::requestClassification);
            assertTrue(unknown.outcomeUnknown(), "a non-idempotent request that failed ambiguously is not retried blindly");
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo("/modules/actes/actes_classification_request.php")));
    }

    @Test
    void listingsAndStatusLabels() {
        stubListActes(4, listing(4242, NUMBER));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/api/actes_status.php")).willReturn(aResponse()
                .withBody("{\"-1\":\"Erreur\",\"1\":\"Post\\u00e9\",\"4\":\"Acquittement re\\u00e7u\"}")));
        try (TdtClient client = client()) {
            ActesPage page = client.listActes(4, 0, 100);
            assertEquals(2, page.transactions().size());
            assertEquals(new TdtTransaction(4242, "Contrat P360", NUMBER, "2026-04-27", "Contrats, conventions et avenants",
                    "1.4", 1), page.transactions().get(1));
            assertEquals(Map.of(-1, "Erreur", 1, "Posté", 4, "Acquittement reçu"), client.statusLabels());
        }
        wm.verify(getRequestedFor(urlPathEqualTo(LIST_ACTES)).withQueryParam("offset", equalTo("0"))
                .withQueryParam("limit", equalTo("100")));
    }

    @Test
    void prefectureDocumentsAreListedDownloadedAndMarkedRead() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/modules/actes/api/list_document_prefecture.php")).willReturn(aResponse().withBody(
                "[{\"id\":\"57\",\"type\":\"3\",\"related_transaction_id\":\"4242\",\"number\":\"2026_DEC_020\","
                        + "\"unique_id\":\"" + ID_ACTE + "\",\"last_status_id\":\"8\"}]")));
        MappingBuilder document = get(urlPathEqualTo("/modules/actes/actes_transac_get_document.php"));
        wm.stubFor(document.withQueryParam("id", equalTo("4242")).willReturn(aResponse()
                .withHeader("Content-Type", "text/plain").withBody("3-8-57\n2--1-58\n")));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_transac_get_document.php")).withQueryParam("id", equalTo("57"))
                // S²LOW's Location is relative (public.ssl/modules/actes/actes_transac_get_document.php)
                .willReturn(aResponse().withStatus(302).withHeader("Location", "actes_download_file.php?env=77")));
        wm.stubFor(get(urlPathEqualTo("/actes_download_file.php")).willReturn(aResponse().withStatus(404)));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_transac_get_document.php")).withQueryParam("id", equalTo("58"))
                .willReturn(aResponse().withStatus(302).withHeader("Location",
                        "https://evil.example.com/modules/actes/actes_download_file.php?env=77")));
        byte[] archive = {0x1f, (byte) 0x8b, 8, 0, 1, 2};
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("env", equalTo("77"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-gzip").withBody(archive)));
        wm.stubFor(get(urlPathEqualTo("/modules/actes/api/document_prefecture_mark_as_read.php"))
                .withQueryParam("transaction_id", equalTo("57")).willReturn(aResponse().withBody("{\"result\":\"ok\"}")));
        try (TdtClient client = client(config(clientKeystore, clientTrust).basicAuth("mairie-houdan", Secret.of("pw")))) {
            assertEquals(List.of(new PrefectureDocument(57, 3, 4242, NUMBER, ID_ACTE.value(), 8)), client.listPrefectureDocuments());
            assertEquals(List.of(new ChildTransaction(3, 8, 57), new ChildTransaction(2, -1, 58)), client.childTransactions(4242));
            Path target = dir.resolve("3-1.tar.gz");
            client.downloadPrefectureDocument(57, target);
            assertArrayEquals(archive, Files.readAllBytes(target));
            assertThrows(TdtProtocolException.class, () -> client.downloadPrefectureDocument(58, dir.resolve("evil.tar.gz")));
            client.markAsRead(57);
        }
        wm.verify(getRequestedFor(urlPathEqualTo("/modules/actes/actes_download_file.php"))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(latin1("mairie-houdan:pw")))));
    }

    @Test
    void cancelAndAnswerPostApiInTheBody() throws Exception {
        wm.stubFor(post(urlPathEqualTo("/modules/actes/actes_transac_cancel.php")).willReturn(aResponse().withBody(latin1("OK\n6001\n\n"))));
        wm.stubFor(post(urlPathEqualTo("/modules/actes/actes_transac_reponse_create.php"))
                .willReturn(aResponse().withBody("OK : id généré : 6002\n".getBytes(StandardCharsets.UTF_8))));
        Path letter = pdf("réponse.pdf");
        Path piece = pdf("piece.pdf");
        try (TdtClient client = client()) {
            assertEquals(6001, client.cancel(4242));
            assertEquals(6002, client.createReponse(new ReponseSubmission(57, 3, ReponseSubmission.Kind.SEND,
                    new Piece(letter, new Typologie("99_DC")), Optional.empty(), List.of(new Piece(piece, new Typologie("22_PC"))))));
        }
        List<Part> cancel = parts(wm.findAll(postRequestedFor(urlPathEqualTo("/modules/actes/actes_transac_cancel.php"))).get(0));
        assertEquals("1", text(cancel, "api"));
        assertEquals("4242", text(cancel, "id"));
        List<Part> answer = parts(wm.findAll(postRequestedFor(urlPathEqualTo("/modules/actes/actes_transac_reponse_create.php"))).get(0));
        assertEquals(List.of("api", "id", "type_envoie", "type_acte", "acte_pdf_file", "acte_attachments[]", "type_pj[]"),
                answer.stream().map(Part::name).toList());
        assertEquals("4", text(answer, "type_envoie"));
        assertEquals("r_ponse.pdf", answer.get(4).filename());
        assertEquals("22_PC", text(answer, "type_pj[]"));
    }

    @Test
    void thePublicationDateGoesOnTheStampAsDateAffichage() throws Exception {
        // class/actes/ActeTamponne.php hands date_affichage to the stamp beside the ARActe's ISO DateReception
        wm.stubFor(get(urlPathEqualTo("/modules/actes/actes_download_file.php")).willReturn(aResponse()
                .withHeader("Content-Type", "application/pdf").withBody(latin1("%PDF-1.4\n%%EOF\n"))));
        try (TdtClient client = client()) {
            client.downloadFile(5001, true, Optional.of(LocalDate.of(2026, 5, 2)), dir.resolve("tampon.pdf"));
            client.downloadFile(5002, false, Optional.of(LocalDate.of(2026, 5, 2)), dir.resolve("brut.pdf"));
        }
        wm.verify(getRequestedFor(urlPathEqualTo("/modules/actes/actes_download_file.php")).withQueryParam("file", equalTo("5001"))
                .withQueryParam("tampon", equalTo("true")).withQueryParam("date_affichage", equalTo("2026-05-02")));
        List<LoggedRequest> unstamped = wm.findAll(getRequestedFor(urlPathEqualTo("/modules/actes/actes_download_file.php"))
                .withQueryParam("file", equalTo("5002")));
        assertFalse(unstamped.get(0).getUrl().contains("date_affichage"), "no stamp, no date: " + unstamped.get(0).getUrl());
    }

    @Test
    void aMissingFileIsReportedBeforeAnythingIsSent() throws Exception {
        TdtSubmission s = new TdtSubmission(Nature.CC, NUMBER, LocalDate.of(2026, 4, 27), SUBJECT, Classification.of(1, 4),
                new Piece(dir.resolve("absent.pdf"), new Typologie("99_DC")), List.of(), Optional.empty(), List.of(), false);
        try (TdtClient client = client()) {
            var e = assertThrows(fr.actesconnector.model.InvalidActeException.class, () -> client.create(s, ID_ACTE));
            assertTrue(e.userMessage().contains("absent.pdf"));
        }
        wm.verify(0, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void aWrongKeystorePasswordIsAConfigError() {
        var e = assertThrows(fr.actesconnector.model.ConfigException.class, () -> new TdtClient(
                TdtConfig.builder(URI.create("https://localhost:1"), clientKeystore, Secret.of("wrong")).build()));
        assertTrue(e.userMessage().contains("tdt.client.password"), e.userMessage());
        assertInstanceOf(fr.actesconnector.model.ActesException.class, e);
    }

    /** Every exchange, a retried one included, waits for the account's budget (tdt.max-requests-per-second). */
    @Test
    void requestsWaitForTheAccountsRateLimit() {
        wm.stubFor(get(urlPathEqualTo(STATUS)).willReturn(aResponse().withBody(latin1("OK\n2\n"))));
        long[] now = {0};
        List<Duration> waits = new ArrayList<>();
        TdtRateLimits limits = new TdtRateLimits(() -> now[0], d -> {
            waits.add(d);
            now[0] += d.toNanos();
        });
        TdtConfig config = config(clientKeystore, clientTrust).maxRequestsPerSecond(2).build();
        try (TdtClient one = new TdtClient(config, sleeps::add, new SplittableRandom(7), limits);
             TdtClient two = new TdtClient(config, sleeps::add, new SplittableRandom(7), limits)) {
            for (int i = 0; i < 3; i++) {
                one.getStatus(1000 + i);
                two.getStatus(2000 + i);
            }
        }
        assertEquals(6, wm.getAllServeEvents().size());
        // 6 requests on one account at 2 a second: 2 at once, then one every 500 ms, whichever client sends them.
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500)),
                waits);
    }
}
