package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.EntryFilter;

/** The web page's refusals over plain HTTP: each one with its French message, and nothing sent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebServerIT {
    private static final long LIMIT = 200_000;
    private static final String CSRF_MESSAGE = "jeton de sécurité absent ou incorrect";

    private WebFixture fx;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new WebFixture(dir, LIMIT);
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    private Multipart acte(String csrf, String numero, String documentName, byte[] document) throws IOException {
        Multipart m = new Multipart();
        if (csrf != null) m.field("csrf", csrf);
        return m.field("numero", numero).field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4")
                .field("objet", "Contrat P360 \u2013 MAHOUDAN \u2013 PREMIUM du parc informatique de la Mairie")
                .file("document", documentName, "application/pdf", document).field("typologie_document", "99_DC");
    }

    private byte[] pdf() throws IOException {
        return Files.readAllBytes(fx.pdf("decision-" + System.nanoTime() + ".pdf", "Decision"));
    }

    private int journalSize() {
        return fx.connector.journal().list(EntryFilter.ALL).size();
    }

    @Test
    void wrongPasswordIsRefusedWithAFrenchMessageAndNoSession() throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        HttpResponse<String> r = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", WebFixture.LOGIN,
                "motdepasse", "pas le bon mot de passe"));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Identifiant ou mot de passe incorrect"), r.body());
        assertTrue(r.body().contains("aria-invalid=\"true\""), "the field is marked invalid");
        HttpResponse<String> unknown = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", "inconnu",
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("Identifiant ou mot de passe incorrect"), "same answer for an unknown login");
        HttpResponse<String> page = b.get("/suivi");
        assertEquals(303, page.statusCode());
        assertEquals("/connexion", page.headers().firstValue("Location").orElse(""));
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieAndSecurityHeaders() throws Exception {
        Browser b = new Browser(fx);
        HttpResponse<String> r = b.get("/connexion");
        String cookie = r.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: no Secure flag");
        assertEquals("default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                r.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
        HttpResponse<String> after = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        String newCookie = after.headers().firstValue("Set-Cookie").orElse("");
        assertFalse(newCookie.isEmpty() || newCookie.equals(cookie), "a new session id after login");
    }

    @Test
    void loginWithoutOrWithAWrongCsrfTokenIsRefused() throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        HttpResponse<String> missing = b.postForm("/connexion", Map.of("identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
        HttpResponse<String> wrong = b.postForm("/connexion", Map.of("csrf", b.csrf + "x", "identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body().contains(CSRF_MESSAGE), wrong.body());
    }

    @Test
    void transmitWithoutOrWithAWrongCsrfTokenSendsNothing() throws Exception {
        Browser b = new Browser(fx).login();
        int before = journalSize();
        int transactions = fx.simulator.transactionCount();
        HttpResponse<String> missing = b.postMultipart("/transmettre", acte(null, "2026-CSRF-1", "d.pdf", pdf()));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
        HttpResponse<String> wrong = b.postMultipart("/transmettre", acte("forged-token", "2026-CSRF-2", "d.pdf", pdf()));
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body().contains(CSRF_MESSAGE), wrong.body());
        Browser other = new Browser(fx).login();
        HttpResponse<String> foreign = b.postMultipart("/transmettre", acte(other.csrf, "2026-CSRF-3", "d.pdf", pdf()));
        assertEquals(403, foreign.statusCode(), "another session's token is refused");
        assertEquals(before, journalSize());
        assertEquals(transactions, fx.simulator.transactionCount());
    }

    @Test
    void oversizedUploadIsCutWith413AndAFrenchMessage() throws Exception {
        Browser b = new Browser(fx).login();
        int before = journalSize();
        byte[] big = new byte[(int) LIMIT + 100_000];
        System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.ISO_8859_1), 0, big, 0, 9);
        HttpResponse<String> r = b.postMultipart("/transmettre", acte(b.csrf, "2026-BIG-001", "gros.pdf", big));
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("dépassent la limite de 0,2 Mio par acte (limits.max-archive-bytes)"), r.body());
        assertEquals(before, journalSize());
        HttpResponse<String> still = b.get("/suivi");
        assertEquals(200, still.statusCode(), "the session survives a refused upload");
    }

    @Test
    void nonPdfDocumentIsShownBesideTheFieldAndNotSent() throws Exception {
        Browser b = new Browser(fx).login();
        int before = journalSize();
        byte[] text = "Ceci est un fichier texte, pas un PDF.\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = b.postMultipart("/transmettre", acte(b.csrf, "2026-TXT-001", "decision.pdf", text));
        assertEquals(422, r.statusCode());
        String body = r.body();
        assertTrue(body.contains("Le document principal « decision.pdf » n&#39;est pas un PDF"), body);
        assertTrue(body.contains("id=\"document-erreur\""), "the message sits beside the document field");
        assertTrue(Pattern.compile("id=\"document\"[^>]*aria-describedby=\"document-aide document-erreur\"[^>]*aria-invalid=\"true\"")
                .matcher(body).find(), "the field points at its message");
        assertTrue(body.contains("value=\"2026-TXT-001\""), "typed values are kept");
        assertEquals(before, journalSize());
    }

    @Test
    void everyMissingFieldIsReportedAtOnce() throws Exception {
        Browser b = new Browser(fx).login();
        Multipart m = new Multipart().field("csrf", b.csrf).field("numero", "").field("date", "").field("nature", "")
                .field("classification", "").field("objet", "");
        HttpResponse<String> r = b.postMultipart("/transmettre", m);
        assertEquals(422, r.statusCode());
        for (String id : new String[] {"numero", "date", "nature", "classification", "objet", "document"}) {
            assertTrue(r.body().contains("id=\"" + id + "-erreur\""), "error beside " + id);
        }
        assertTrue(r.body().contains("Aucun document principal : joignez le PDF de l&#39;acte."), r.body());
    }

    @Test
    void previewGivesTheNormalisedNumberAndTheTransliterations() throws Exception {
        Browser b = new Browser(fx).login();
        HttpResponse<String> r = b.get("/apercu?numero=" + Browser.enc("2026-DEC-020") + "&objet="
                + Browser.enc("Contrat P360 \u2013 MAHOUDAN"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"numero\":\"2026_DEC_020\""), r.body());
        assertTrue(r.body().contains("\"objetLongueur\":23"), r.body());
        assertTrue(r.body().contains("\u2013 \u2192 -"), r.body());
    }

    @Test
    void filesAreOnlyThoseTheJournalRecorded() throws Exception {
        Browser b = new Browser(fx).login();
        assertEquals(404, b.get("/actes/999999").statusCode());
        assertEquals(404, b.get("/actes/1/document/..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(404, b.get("/static/..%2Factes.properties").statusCode());
        HttpResponse<String> r = b.get("/nulle-part");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("Cette page n&#39;existe pas."));
        assertFalse(r.body().contains("Exception"));
    }

    @Test
    void unauthenticatedPostsAreRefused() throws Exception {
        Browser b = new Browser(fx);
        HttpResponse<String> r = b.postForm("/actes/1/annuler", new LinkedHashMap<>(Map.of("csrf", "x")));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Votre session a expiré"), r.body());
    }
}
