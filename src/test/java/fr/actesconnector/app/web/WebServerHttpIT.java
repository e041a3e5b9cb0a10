package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Secret;
import fr.actesconnector.signing.TestCertificates;
import fr.actesconnector.simulator.LetterType;

/**
 * The page as an HTTP server: HEAD on every GET page, 405 with Allow for a wrong method, PDFs opened in the
 * browser in a sandbox and other files downloaded, HTTPS with the page's own (TEST) certificate, the warning
 * for a page open to the network in clear, and the upload folders removed at start and stop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebServerHttpIT {
    private static final Pattern PDF_LINK = Pattern.compile("href=\"(/actes/\\d+/document/\\d+)\">Acte tamponné");

    private WebFixture fx;
    private JournalEntry acknowledged;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new WebFixture(dir, 2L * 1024 * 1024);
        Browser b = new Browser(fx).login();
        HttpResponse<String> r = b.postMultipart("/transmettre", new Multipart().field("csrf", b.csrf)
                .field("numero", "2026-HTTP-001").field("date", "2026-04-27").field("nature", "CC")
                .field("classification", "1.4").field("objet", "Contrat de maintenance")
                .file("document", "decision.pdf", "application/pdf",
                        Files.readAllBytes(fx.pdf("decision.pdf", "Decision")))
                .field("typologie_document", "99_DC"));
        assertEquals(303, r.statusCode(), r.body());
        long id = Long.parseLong(r.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
        JournalEntry e = fx.connector.journal().entries().findById(id).orElseThrow();
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            fx.connector.poller("test").pollAllNow();
            e = fx.connector.journal().entries().findById(id).orElseThrow();
        }
        assertEquals(TransmissionState.ACKNOWLEDGED, e.state(), e.toString());
        acknowledged = e;
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    private HttpResponse<byte[]> send(Browser b, String method, String path) throws Exception {
        return b.http.send(HttpRequest.newBuilder(URI.create(fx.base()).resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------ methods

    @Test
    void headAnswersEveryGetPageWithItsHeadersAndNoBody() throws Exception {
        Browser b = new Browser(fx).login();
        String acte = "/actes/" + acknowledged.id();
        HttpResponse<byte[]> signIn = send(new Browser(fx), "HEAD", "/connexion");
        assertEquals(200, signIn.statusCode());
        assertEquals(0, signIn.body().length);
        assertEquals("text/html; charset=utf-8", signIn.headers().firstValue("Content-Type").orElse(""));
        assertTrue(Integer.parseInt(signIn.headers().firstValue("Content-Length").orElse("0")) > 500);
        for (String path : List.of("/suivi", "/suivi/lignes", "/transmettre", "/static/app.css", acte,
                acte + "/archive", acte + "/ar.xml", acte + "/document/0")) {
            HttpResponse<byte[]> get = send(b, "GET", path);
            HttpResponse<byte[]> head = send(b, "HEAD", path);
            assertEquals(200, get.statusCode(), path);
            assertEquals(200, head.statusCode(), path);
            assertEquals(0, head.body().length, path);
            assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
            assertEquals(get.headers().firstValue("Content-Disposition"), head.headers().firstValue("Content-Disposition"), path);
            if (!path.startsWith("/suivi") && !path.equals(acte) && !path.equals("/transmettre")) {
                // Pages with times or tokens differ between two requests; files and fixed pages do not.
                assertEquals(String.valueOf(get.body().length), head.headers().firstValue("Content-Length").orElse(""), path);
            }
        }
        HttpResponse<byte[]> root = send(b, "HEAD", "/");
        assertEquals(303, root.statusCode());
        assertEquals("/suivi", root.headers().firstValue("Location").orElse(""));
        HttpResponse<byte[]> anonymous = send(new Browser(fx), "HEAD", "/suivi");
        assertEquals(303, anonymous.statusCode(), "HEAD without a session is sent to the sign-in page, as GET");
    }

    @Test
    void aWrongMethodOnAKnownPageIs405WithAllowAndAnUnknownPageStays404() throws Exception {
        Browser b = new Browser(fx).login();
        String acte = "/actes/" + acknowledged.id();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("POST /suivi", "GET, HEAD"),
                Map.entry("DELETE /suivi/lignes", "GET, HEAD"),
                Map.entry("PUT /transmettre", "GET, HEAD, POST"),
                Map.entry("GET /deconnexion", "POST"),
                Map.entry("DELETE /connexion", "GET, HEAD, POST"),
                Map.entry("POST /static/app.js", "GET, HEAD"),
                Map.entry("POST /", "GET, HEAD"),
                Map.entry("POST " + acte, "GET, HEAD"),
                Map.entry("POST " + acte + "/archive", "GET, HEAD"),
                Map.entry("PUT " + acte + "/document/0", "GET, HEAD"),
                Map.entry("GET " + acte + "/publication", "POST"),
                Map.entry("DELETE " + acte + "/annuler", "GET, HEAD, POST"),
                Map.entry("GET " + acte + "/courriers/1/repondre", "POST"),
                Map.entry("POST " + acte + "/courriers/1/pdf", "GET, HEAD"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String[] request = c.getKey().split(" ");
            HttpResponse<byte[]> r = send(b, request[0], request[1]);
            assertEquals(405, r.statusCode(), c.getKey());
            assertEquals(c.getValue(), r.headers().firstValue("Allow").orElse(""), c.getKey());
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("Cette action n&#39;est pas possible"), c.getKey());
        }
        assertEquals(404, send(b, "POST", "/nulle-part").statusCode());
        assertEquals(404, send(b, "DELETE", acte + "/nulle-part").statusCode());
        assertFalse(send(b, "POST", "/nulle-part").headers().firstValue("Allow").isPresent());
    }

    // ------------------------------------------------------------------ files

    @Test
    void pdfsOpenInTheBrowserSandboxedAndOtherFilesAreDownloaded() throws Exception {
        Browser b = new Browser(fx).login();
        String acte = "/actes/" + acknowledged.id();
        String page = b.get(acte).body();
        Matcher link = PDF_LINK.matcher(page);
        assertTrue(link.find(), "the stamped PDF opens without the download attribute: " + page);
        assertTrue(page.contains("href=\"" + acte + "/archive\" download>"), "the archive is downloaded: " + page);

        HttpResponse<byte[]> pdf = b.download(link.group(1));
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        assertTrue(pdf.headers().firstValue("Content-Disposition").orElse("").startsWith("inline; filename="),
                pdf.headers().toString());
        String csp = pdf.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("sandbox;"), csp);
        assertFalse(csp.contains("allow-scripts") || csp.contains("script-src"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertEquals("nosniff", pdf.headers().firstValue("X-Content-Type-Options").orElse(""));

        for (String download : List.of(acte + "/archive", acte + "/ar.xml")) {
            HttpResponse<byte[]> r = b.download(download);
            assertEquals(200, r.statusCode(), download);
            assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename="), download);
            assertFalse(r.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"), download);
        }

        // A file named .pdf that is not one is not shown in the browser.
        List<ReceivedDocument> docs = fx.connector.journal().files().documents(acknowledged.id());
        int n = Integer.parseInt(link.group(1).substring(link.group(1).lastIndexOf('/') + 1));
        Path stamped = docs.get(n).path();
        byte[] original = Files.readAllBytes(stamped);
        try {
            Files.writeString(stamped, "<html><script>alert(1)</script></html>");
            HttpResponse<byte[]> fake = b.download(link.group(1));
            assertEquals("application/octet-stream", fake.headers().firstValue("Content-Type").orElse(""));
            assertTrue(fake.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
        } finally {
            Files.write(stamped, original);
        }
    }

    @Test
    void aLettersPdfOpensInTheBrowserToo() throws Exception {
        long tx = fx.simulator.issueLetter(Long.parseLong(acknowledged.transactionId().orElseThrow()),
                LetterType.LETTRE_OBSERVATIONS, "Observations sur le contrat");
        fx.connector.fetchPrefectureDocuments();
        Letters.Letter l = fx.connector.journal().letters().byTransactionId(String.valueOf(tx)).orElseThrow();
        assertTrue(l.pdf().isPresent(), "the simulator's letter has its PDF");
        Browser b = new Browser(fx).login();
        String path = "/actes/" + acknowledged.id() + "/courriers/" + l.id() + "/pdf";
        assertTrue(b.get("/actes/" + acknowledged.id()).body().contains("href=\"" + path + "\">Courrier de la préfecture (PDF)"));
        HttpResponse<byte[]> r = b.download(path);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("inline;"));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox;"));
    }

    // ------------------------------------------------------------------ HTTPS and the network

    /** A TEST CA, and a PKCS#12 with a server certificate it issued (localhost, 127.0.0.1), valid from {@code from} to {@code to}. */
    private record Pki(TestCertificates.Issued ca, Path keystore, String password) {
    }

    private Pki pki(Path dir, Instant from, Instant to) throws Exception {
        TestCertificates certificates = new TestCertificates(new SecureRandom());
        TestCertificates.Issued ca = certificates.authority(new X500Name("CN=Autorité TEST de la page,O=actes-connector TEST,C=FR"),
                from, to);
        TestCertificates.Issued server = certificates.issue(ca, new X500Name("CN=localhost,O=actes-connector TEST,C=FR"),
                TestCertificates.Usage.TLS_SERVER, from, to);
        String password = certificates.password();
        Path keystore = Files.write(dir.resolve("page-" + System.nanoTime() + ".p12"),
                certificates.keyStore("page", server, password.toCharArray()));
        return new Pki(ca, keystore, password);
    }

    private WebConfig config(String bind) throws Exception {
        WebConfig web = WebConfig.from(fx.connector.config(), Optional.of(0));
        return new WebConfig(InetAddress.getByName(bind), 0, web.sessionIdle(), false, Duration.ofSeconds(2),
                web.maxUploadBytes(), web.signingAvailable());
    }

    /** An HTTP client that trusts {@code ca} only. */
    private static HttpClient trusting(TestCertificates.Issued ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void thePageServesHttpsWithItsOwnCertificateAndSecureCookies(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        Pki pki = pki(dir, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        WebConfig tls = config("127.0.0.1").withTls(new WebConfig.Tls(pki.keystore(), Secret.of(pki.password())));
        try (WebServer https = new WebServer(fx.connector, tls, Clock.systemDefaultZone()).start()) {
            URI base = https.uri();
            assertEquals("https", base.getScheme());
            assertTrue(base.getPort() > 0);
            assertEquals("Page web disponible sur " + base, https.startLine());
            assertEquals(List.of(), https.warnings());

            HttpClient client = trusting(pki.ca());
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/connexion")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode());
            String cookie = login.headers().firstValue("Set-Cookie").orElse("");
            assertTrue(cookie.contains("; Secure"), cookie);
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(login.body());
            assertTrue(csrf.find());
            HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(base.resolve("/connexion"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + Browser.enc(csrf.group(1)) + "&identifiant="
                            + WebFixture.LOGIN + "&motdepasse=" + Browser.enc(WebFixture.PASSWORD))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            assertTrue(signedIn.headers().firstValue("Set-Cookie").orElse("").contains("; Secure"));
            assertEquals(200, client.send(HttpRequest.newBuilder(base.resolve("/suivi")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            // Only a client that trusts the page's certificate gets through: nothing is trusted by default.
            HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(base.resolve("/connexion"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void anUnusableKeystoreStopsTheStartInFrench(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        Pki pki = pki(dir, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        WebConfig wrong = config("127.0.0.1").withTls(new WebConfig.Tls(pki.keystore(), Secret.of("pas le bon")));
        fr.actesconnector.model.ConfigException e = assertThrows(fr.actesconnector.model.ConfigException.class,
                () -> new WebServer(fx.connector, wrong, Clock.systemDefaultZone()).start());
        assertTrue(e.userMessage().contains("web.tls.password ne permet pas d'ouvrir web.tls.keystore"), e.userMessage());
    }

    @Test
    void anExpiredCertificateIsReportedAtStart(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        Pki pki = pki(dir, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)));
        WebConfig tls = config("127.0.0.1").withTls(new WebConfig.Tls(pki.keystore(), Secret.of(pki.password())));
        try (WebServer https = new WebServer(fx.connector, tls, Clock.systemDefaultZone()).start()) {
            assertEquals(1, https.warnings().size(), https.warnings().toString());
            assertTrue(https.warnings().get(0).startsWith("Le certificat HTTPS de la page (web.tls.keystore) a expiré le "),
                    https.warnings().toString());
        }
    }

    @Test
    void aPageOpenToTheNetworkInClearIsWarnedAndItsAddressExplained(@TempDir Path dir) throws Exception {
        try (WebServer open = new WebServer(fx.connector, config("0.0.0.0"), Clock.systemDefaultZone()).start()) {
            assertEquals(1, open.warnings().size(), open.warnings().toString());
            assertTrue(open.warnings().get(0).startsWith("Attention : la page web est ouverte au réseau (web.bind=0.0.0.0) "
                    + "sans chiffrement"), open.warnings().toString());
            assertTrue(open.warnings().get(0).contains("web.tls.keystore"));
            int port = open.uri().getPort();
            assertEquals(URI.create("http://localhost:" + port + "/"), open.uri());
            assertTrue(open.startLine().startsWith("Page web disponible sur http://localhost:" + port
                    + "/ sur cette machine ; depuis les autres postes : http://"), open.startLine());
            assertTrue(open.startLine().contains(":" + port + "/ (le nom de cette machine"), open.startLine());
        }
        Instant now = Instant.now();
        Pki pki = pki(dir, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        WebConfig tls = config("0.0.0.0").withTls(new WebConfig.Tls(pki.keystore(), Secret.of(pki.password())));
        try (WebServer https = new WebServer(fx.connector, tls, Clock.systemDefaultZone()).start()) {
            assertEquals(List.of(), https.warnings(), "HTTPS on the network: nothing to warn about");
            assertTrue(https.startLine().startsWith("Page web disponible sur https://localhost:"), https.startLine());
        }
        assertEquals(List.of(), fx.server.warnings(), "the loopback page in clear is not warned about");
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void uploadFoldersLeftBehindAreRemovedAtStartAndTheServersOwnAtStop() throws Exception {
        Path uploads = fx.connector.config().dataDir().resolve(Uploads.FOLDER);
        Path running = fx.server.uploadFolder();
        assertTrue(Files.isDirectory(running) && running.getParent().equals(uploads), running.toString());
        // What a killed server leaves: its folder, a free lock, half an upload.
        Path killed = Files.createDirectories(uploads.resolve("serveur-tue").resolve("envoi-123"));
        Files.writeString(killed.getParent().resolve(".verrou"), "");
        Files.write(killed.resolve("decision.pdf"), new byte[1000]);
        Path noLock = Files.createDirectories(uploads.resolve("serveur-ancien"));

        WebServer second = new WebServer(fx.connector, config("127.0.0.1"), Clock.systemDefaultZone()).start();
        Path own;
        try {
            own = second.uploadFolder();
            assertFalse(Files.exists(killed.getParent()), "the killed server's folder is removed at start");
            assertFalse(Files.exists(noLock));
            assertTrue(Files.isDirectory(running), "a running server's folder is kept");
            assertTrue(Files.isDirectory(own));
            Files.write(Files.createDirectories(own.resolve("envoi-456")).resolve("partiel.pdf"), new byte[10]);
        } finally {
            second.close();
        }
        assertFalse(Files.exists(own), "the server's own folder, with a partial upload, is removed at stop");
        assertTrue(Files.isDirectory(running));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(running)));
    }
}
