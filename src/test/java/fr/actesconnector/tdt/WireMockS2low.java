package fr.actesconnector.tdt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Secret;
import fr.actesconnector.protocol.ArchiveWriter;
import fr.actesconnector.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * WireMock answering as S²LOW does, byte for byte, each stub citing the S²LOW file it replays
 * ({@code libriciel/s2low}). It holds no logic of its own: every answer is what S²LOW's code prints in
 * the state the contract describes (scenarios stand for that state).
 */
final class WireMockS2low implements S2low {
    private static final String MODULE = "/modules/actes/";
    private static final String CREATE = MODULE + "actes_transac_create.php";
    private static final String STATUS = MODULE + "actes_transac_get_status.php";
    private static final String LIST_ACTES = MODULE + "api/list_actes.php";
    private static final String ACTE = "acte";
    private static final String ACKNOWLEDGED = "acknowledged";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path dir;
    private final Options options;
    private final WireMockServer wm;
    private final TdtClient client;
    private final TdtClient csClient;
    private final byte[] arActe;
    private String number = S2lowContract.NUMBER;

    WireMockS2low(Path dir, Options options) throws Exception {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.options = Objects.requireNonNull(options, "options");
        TestPki pki = new TestPki("S2LOW Contract CA");
        TestPki.TlsStores stores = pki.writeTlsStores(dir.resolve("wm-pki"), "Mairie de Houdan", PASSWORD);
        wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(stores.serverKeystore().toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                .keystoreType("PKCS12").needClientAuth(true)
                .trustStorePath(stores.serverTrust().toString()).trustStorePassword("changeit").trustStoreType("PKCS12"));
        wm.start();
        TdtConfig.Builder config = TdtConfig.builder(URI.create("https://localhost:" + wm.httpsPort()), stores.clientKeystore(),
                        Secret.of("changeit")).truststore(stores.clientTrust(), Secret.of("changeit"))
                .timeout(Duration.ofSeconds(5)).retry(2, Duration.ofMillis(10), Duration.ofMillis(20));
        client = new TdtClient(config.build(), d -> { }, new SplittableRandom(1));
        csClient = new TdtClient(config.basicAuth("agent-cs", Secret.of("pw")).build(), d -> { }, new SplittableRandom(1));
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/messages/1-2_ARActe.xml"))) {
            arActe = in.readAllBytes();
        }
        // api/list_actes.php with nothing in a status (controller/ActesAPIController.php: every value a string)
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).atPriority(10).willReturn(ok(latin1(
                "{\"status_id\":\"0\",\"authority_id\":\"1\",\"offset\":\"0\",\"limit\":\"100\",\"transactions\":[]}"))));
        // api/list_document_prefecture.php: nothing unread
        wm.stubFor(get(urlPathEqualTo(MODULE + "api/list_document_prefecture.php")).atPriority(10).willReturn(ok(latin1("[]"))));
    }

    @Override
    public TdtClient client() {
        return client;
    }

    @Override
    public TdtClient csClient() {
        return csClient;
    }

    // ------------------------------------------------------------------ acte lifecycle

    @Override
    public void willCreate(String number) {
        this.number = number;
        long id = 4301;
        // actes_transac_create.php: returnAndExit(0, …, "<id>\n") prints OK, the id line, one more LF
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(ok(latin1("OK\n" + id + "\n\n"))));
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).withQueryParam("status_id", equalTo("1")).inScenario(ACTE)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(ok(listing(1, id, number, 1))));
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).withQueryParam("status_id", equalTo("4")).inScenario(ACTE)
                .whenScenarioStateIs(ACKNOWLEDGED).willReturn(ok(listing(4, id, number, 1))));
        // actes_transac_get_status.php: "OK\n<status>\n" then the status's flux_retour (the ARActe at 4)
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo(String.valueOf(id))).inScenario(ACTE)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(ok(latin1("OK\n1\n"))));
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo(String.valueOf(id))).inScenario(ACTE)
                .whenScenarioStateIs(ACKNOWLEDGED).willReturn(ok(concat(latin1("OK\n4\n"), arActe))));
        // unique_id is set from the ARActe (class/actes/ActesAnalyseFichierRecuController.php); before, the
        // script echoes its UTF-8 literal
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("unique_id", matching(".+")).inScenario(ACTE)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("KO\nNuméro de transaction invalide.".getBytes(StandardCharsets.UTF_8))));
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("unique_id", matching(".+")).inScenario(ACTE)
                .whenScenarioStateIs(ACKNOWLEDGED).willReturn(ok(concat(latin1("OK\n4\n"), arActe))));
        if (options.arActeBefore5047()) {
            // before 5.0.47 the script had no API mode: a redirect to the web interface
            wm.stubFor(get(urlPathEqualTo(MODULE + "actes_transac_get_ARActe.php"))
                    .willReturn(aResponse().withStatus(302).withHeader("Location", "/modules/actes/index.php")));
        } else {
            wm.stubFor(get(urlPathEqualTo(MODULE + "actes_transac_get_ARActe.php")).withQueryParam("id", equalTo(String.valueOf(id)))
                    .willReturn(aResponse().withHeader("Content-type", "application/xml").withBody(arActe)));
        }
    }

    @Override
    public long acknowledgedActe(TdtSubmission submission, IdActe idActe) {
        willCreate(submission.number());
        long tx = client.create(submission, idActe).transactionId();
        wm.setScenarioState(ACTE, ACKNOWLEDGED);
        return tx;
    }

    @Override
    public StatusReport awaitStatus(long transaction, Set<Integer> codes) {
        if (wm.getAllScenarios().getScenarios().stream().anyMatch(s -> s.getName().equals(ACTE))) {
            wm.setScenarioState(ACTE, ACKNOWLEDGED);
        }
        return client.getStatus(transaction);
    }

    @Override
    public void willHold(String number) {
        long id = 4501;
        String held = "held";
        // actes_transac_create.php: an account whose right is exactly CS gets setEnAttente(true)
        wm.stubFor(post(urlPathEqualTo(CREATE)).withHeader("Authorization", matching("Basic .+"))
                .willReturn(ok(latin1("OK\n" + id + "\n\n"))));
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo(String.valueOf(id))).inScenario(held)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(ok(latin1("OK\n17\n"))));
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo(String.valueOf(id))).inScenario(held)
                .whenScenarioStateIs("released").willReturn(ok(latin1("OK\n1\n"))));
        // actes_transac_post_confirm_api.php: always a redirect to url_return, %%ERROR%% and %%MESSAGE%% replaced
        // (str_replace, no URL encoding); the header carries PHP's UTF-8 bytes as they are
        String confirm = MODULE + "actes_transac_post_confirm_api.php";
        wm.stubFor(get(urlPathEqualTo(confirm)).withQueryParam("id", equalTo(String.valueOf(id))).inScenario(held)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("released")
                .willReturn(aResponse().withStatus(302).withHeader("Location", returnUrl("0", ""))));
        wm.stubFor(get(urlPathEqualTo(confirm)).withQueryParam("id", equalTo(String.valueOf(id))).inScenario(held)
                .whenScenarioStateIs("released").willReturn(aResponse().withStatus(302).withHeader("Location",
                        returnUrl("1", "La transaction n'est pas dans le statut « En attente d'être posté»"))));
    }

    @Override
    public void willRefuseTypologyLater(String number, String typologie) {
        long id = 4601;
        String typo = "typology";
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario(typo).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("used").willReturn(ok(latin1("OK\n" + id + "\n\n"))));
        // ActesTransaction::isUnique counts every transaction of the authority, whatever its status
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario(typo).whenScenarioStateIs("used").willReturn(ok(latin1(
                "KO\nUn acte portant le même numéro interne existe déjà dans la base de données.\n"
                        + "Il faut peut-être ajouter un suffixe au numéro.\n"))));
        // class/actes/ActesAnalyseFichierAEnvoyerWorker.php: -1 and "Enveloppe invalide : <lib-actes message>"
        // (the wording its test expects), appended after "OK\n-1\n" in ISO-8859-1
        wm.stubFor(get(urlPathEqualTo(STATUS)).withQueryParam("transaction", equalTo(String.valueOf(id))).willReturn(ok(latin1(
                "OK\n-1\nEnveloppe invalide : La typologie " + typologie + " n'est pas permise sur le fichier "
                        + typologie + "-" + S2lowContract.ID_ACTE + "-1-1_1.pdf"))));
    }

    @Override
    public void willCancel(long acteTransaction) {
        long id = 4302;
        // actes_transac_cancel.php: returnAndExit(0, …, "<id>\n")
        wm.stubFor(post(urlPathEqualTo(MODULE + "actes_transac_cancel.php")).willReturn(ok(latin1("OK\n" + id + "\n\n"))));
        // the cancellation (type 6) copies the acte's number and is listed with the actes
        wm.stubFor(get(urlPathEqualTo(LIST_ACTES)).withQueryParam("status_id", equalTo("1")).atPriority(1)
                .willReturn(ok(listing(1, id, number, 6))));
    }

    // ------------------------------------------------------------------ letters and answers

    @Override
    public long issueLetter(long acteTransaction, int type) throws IOException {
        long id = 4401;
        long envelope = 77;
        String code = type + "-1";
        String resource = switch (type) {
            case 2 -> "2-1_CourrierSimple.xml";
            case 3 -> "3-1_DemandePieceComplementaire.xml";
            case 4 -> "4-1_LettreObservations.xml";
            case 5 -> "5-1_DefereTA.xml";
            default -> throw new IllegalArgumentException("letter type " + type);
        };
        Path message = dir.resolve("wm-" + resource);
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/messages/" + resource))) {
            Files.write(message, in.readAllBytes());
        }
        Path envelopeXml = dir.resolve("wm-envelope.xml");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/messages/EnveloppeMISILLCL.xml"))) {
            Files.write(envelopeXml, in.readAllBytes());
        }
        Path letterPdf = Files.writeString(dir.resolve("wm-letter.pdf"), "%PDF-1.4\n% courrier\n%%EOF\n", StandardCharsets.ISO_8859_1);
        String base = S2lowContract.ID_ACTE.value().replace("20260427", "20260512");
        Path archive = new ArchiveWriter().write(dir.resolve("wm-letter.tar.gz"), List.of(
                new ArchiveWriter.Entry("EACT--SPREF0781-217803105-20260512-1.xml", envelopeXml),
                new ArchiveWriter.Entry(base + "-" + code + "_0.xml", message),
                new ArchiveWriter.Entry("99_AU-" + base + "-" + code + "_1.pdf", letterPdf)), Instant.now());
        int status = type == 3 || type == 4 ? 7 : 21;
        String letters = "letters";
        // api/list_document_prefecture.php: unread documents of types 2 to 5 (ActesTransactionsSQL::listDocumentPrefectureNonLu)
        wm.stubFor(get(urlPathEqualTo(MODULE + "api/list_document_prefecture.php")).inScenario(letters)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(ok(latin1("[{\"id\":" + id + ",\"type\":\"" + type
                        + "\",\"related_transaction_id\":" + acteTransaction + ",\"number\":\"" + number + "\",\"unique_id\":\""
                        + S2lowContract.ID_ACTE + "\",\"last_status_id\":" + status + "}]"))));
        // api/document_prefecture_mark_as_read.php: always {"result":"ok"}
        wm.stubFor(get(urlPathEqualTo(MODULE + "api/document_prefecture_mark_as_read.php"))
                .withQueryParam("transaction_id", equalTo(String.valueOf(id))).inScenario(letters).willSetStateTo("read")
                .willReturn(ok(latin1("{\"result\":\"ok\"}"))));
        // actes_transac_get_document.php: for the acte, "<type>-<status>-<id>\n" per child; for a child, a
        // RELATIVE Location to actes_download_file.php?env=N
        wm.stubFor(get(urlPathEqualTo(MODULE + "actes_transac_get_document.php")).withQueryParam("id",
                equalTo(String.valueOf(acteTransaction))).willReturn(aResponse().withHeader("Content-type", "text/plain")
                .withBody(latin1(type + "-" + status + "-" + id + "\n"))));
        wm.stubFor(get(urlPathEqualTo(MODULE + "actes_transac_get_document.php")).withQueryParam("id",
                equalTo(String.valueOf(id))).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "actes_download_file.php?env=" + envelope)));
        wm.stubFor(get(urlPathEqualTo("/actes_download_file.php")).willReturn(aResponse().withStatus(404)));
        // actes_download_file.php?env=N: the envelope's tar.gz (ActesEnvelope.class.php, sendFile)
        wm.stubFor(get(urlPathEqualTo(MODULE + "actes_download_file.php")).withQueryParam("env", equalTo(String.valueOf(envelope)))
                .willReturn(aResponse().withHeader("Content-type", "application/x-gzip").withBody(Files.readAllBytes(archive))));
        return id;
    }

    @Override
    public void willAnswer(long letterTransaction) {
        // actes_transac_reponse_create.php reads api from the query and then echoes its UTF-8 literal
        wm.stubFor(post(urlPathEqualTo(MODULE + "actes_transac_reponse_create.php")).withQueryParam("api", equalTo("1"))
                .willReturn(ok("OK : id généré : 4701\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public void willRefuseBody() {
        // Apache's LimitRequestBody: 413 and its own HTML page, PHP never runs
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(413).withHeader("Content-Type",
                "text/html; charset=iso-8859-1").withBody("<html><head><title>413 Request Entity Too Large</title></head></html>")));
    }

    @Override
    public String signatureInMessage(long transaction, int index) {
        // ActesTransaction.class.php addSign: the upload's content as a string, rtrim()med, written in Signature
        List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlPathEqualTo(CREATE)));
        List<TdtClientIT.Part> parts = TdtClientIT.parts(creates.get(creates.size() - 1));
        List<TdtClientIT.Part> signatures = parts.stream().filter(p -> index == 1 ? p.name().equals("acte_pdf_file_sign")
                : p.name().equals("acte_attachments_sign[]")).toList();
        TdtClientIT.Part part = signatures.get(index == 1 ? 0 : index - 2);
        return new String(part.content(), StandardCharsets.ISO_8859_1).replaceAll("[ \\t\\n\\r\\x0B\\x00]+$", "");
    }

    @Override
    public void close() {
        client.close();
        csClient.close();
        wm.stop();
    }

    // ------------------------------------------------------------------ bytes

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(byte[] body) {
        return aResponse().withStatus(200).withBody(body);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The header as PHP sends it: the UTF-8 bytes of the text, one char per byte for the HTTP layer. */
    private static String returnUrl(String error, String message) {
        String url = TdtClient.CONFIRM_RETURN.replace("%%ERROR%%", error).replace("%%MESSAGE%%", message);
        return new String(url.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static byte[] listing(int status, long id, String number, int type) {
        return latin1("{\"status_id\":\"" + status + "\",\"authority_id\":\"1\",\"offset\":\"0\",\"limit\":\"100\","
                + "\"transactions\":[{\"id\":\"" + id + "\",\"subject\":\"Contrat P360\",\"number\":\"" + number
                + "\",\"date\":\"2026-04-27\",\"nature_descr\":\"Contrats, conventions et avenants\",\"classification\":\"1.4\","
                + "\"type\":\"" + type + "\"}]}");
    }
}
