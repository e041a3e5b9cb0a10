package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.JournalEntry;

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
        return fx.connector.journal().entries().list(EntryFilter.ALL).size();
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
        assertEquals("/connexion?suite=%2Fsuivi", page.headers().firstValue("Location").orElse(""));
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

    // ------------------------------------------------------------------ issue 13: the page without surprises

    /** Transmits a form; returns the acte's journal id from the redirect. */
    private long sent(HttpResponse<String> r) {
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/actes/\\d+"), location);
        return Long.parseLong(location.substring("/actes/".length()));
    }

    private List<String> typologies(long id) {
        return fx.connector.journal().files().archived(id).stream()
                .filter(f -> f.role() == ArchivedFile.Role.DOCUMENT || f.role() == ArchivedFile.Role.ANNEXE)
                .map(f -> f.ministryName().substring(0, f.ministryName().indexOf('-'))).toList();
    }

    @Test
    void theFormStartsWithoutANatureAndEachPieceTakesTheGenericTypologyOfTheNatureChosen() throws Exception {
        Browser b = new Browser(fx).login();
        String form = b.get("/transmettre").body();
        assertTrue(form.contains("<select id=\"nature\" name=\"nature\" required"), form);
        Matcher natures = Pattern.compile("<select id=\"nature\".*?</select>", Pattern.DOTALL).matcher(form);
        assertTrue(natures.find());
        assertTrue(natures.group().startsWith("<select id=\"nature\"") && !natures.group().contains(" selected"),
                "no nature chosen in advance: " + natures.group());
        assertTrue(natures.group().contains("<option value=\"CC\" data-typologie=\"99_DC\">"), natures.group());
        assertTrue(form.contains("<select id=\"typologie_document\" name=\"typologie_document\" class=\"typologie\">"
                + "<option value=\"\" selected>— selon la nature choisie —</option></select>"), form);

        // No typology sent at all (a browser without the script): the nature's generic code, never its first one.
        Multipart cc = new Multipart().field("csrf", b.csrf).field("numero", "2026-TYP-CC").field("date", "27/04/2026")
                .field("nature", "CC").field("classification", "1.4").field("objet", "Contrat de maintenance")
                .file("document", "d.pdf", "application/pdf", pdf()).file("annexe_1", "a.pdf", "application/pdf", pdf());
        assertEquals(List.of("99_DC", "99_DC"), typologies(sent(b.postMultipart("/transmettre", cc))));
        Multipart bf = new Multipart().field("csrf", b.csrf).field("numero", "2026-TYP-BF").field("date", "27/04/2026")
                .field("nature", "BF").field("classification", "7.1").field("objet", "Budget primitif")
                .file("document", "d.pdf", "application/pdf", pdf()).field("typologie_document", "")
                .file("annexe_1", "a.pdf", "application/pdf", pdf()).field("typologie_annexe_1", "");
        assertEquals(List.of("99_BU", "99_BU"), typologies(sent(b.postMultipart("/transmettre", bf))));
        Multipart chosen = new Multipart().field("csrf", b.csrf).field("numero", "2026-TYP-AE").field("date", "27/04/2026")
                .field("nature", "CC").field("classification", "1.4").field("objet", "Marché de travaux")
                .file("document", "d.pdf", "application/pdf", pdf()).field("typologie_document", "11_AE")
                .file("annexe_1", "a.pdf", "application/pdf", pdf());
        assertEquals(List.of("11_AE", "99_DC"), typologies(sent(b.postMultipart("/transmettre", chosen))),
                "a typology chosen is kept, the others follow the nature");

        // Shown again with an error: the nature's generic code selected.
        Multipart again = new Multipart().field("csrf", b.csrf).field("numero", "").field("date", "27/04/2026")
                .field("nature", "BF").field("classification", "7.1").field("objet", "Budget");
        String shown = b.postMultipart("/transmettre", again).body();
        assertTrue(shown.contains("<option value=\"99_BU\" selected>99_BU"), shown);
        assertFalse(shown.contains("<option value=\"70_DE\" selected>"), shown);

        Multipart noNature = new Multipart().field("csrf", b.csrf).field("numero", "2026-TYP-NN").field("date", "27/04/2026")
                .field("classification", "1.4").field("objet", "Sans nature").file("document", "d.pdf", "application/pdf", pdf());
        HttpResponse<String> refused = b.postMultipart("/transmettre", noNature);
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body().contains("<p class=\"erreur\" id=\"nature-erreur\"><span class=\"visuellement-cache\">"
                + "Erreur : </span>Choisissez la nature de l&#39;acte"), refused.body());
    }

    @Test
    void theListIsPagedAndSearchedWithItsCountAndNothingCut() throws Exception {
        fx.registerActes("2025_LST", 230, "Délibération de la liste");
        Browser b = new Browser(fx).login();
        int inJournal = journalSize();
        String first = b.get("/suivi").body();
        assertTrue(first.contains(inJournal + " actes dans le journal. Affichés par pages de 50."), first);

        Set<String> seen = new HashSet<>();
        String page = b.get("/suivi?numero=" + Browser.enc("2025-LST")).body();
        assertTrue(page.contains("230 actes correspondent à la recherche."), page);
        assertTrue(page.contains("(par numéro, du plus grand au plus petit)"), page);
        List<String> firstNumbers = numbers(page);
        assertEquals("2025-LST-230", firstNumbers.get(0), "highest number first");
        int pages = 0;
        while (true) {
            List<String> numbers = numbers(page);
            assertTrue(numbers.size() == 50 || numbers.size() == 30, "rows " + numbers.size());
            seen.addAll(numbers);
            pages++;
            Matcher next = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\">Page suivante</a>").matcher(page);
            if (!next.find()) break;
            page = b.get(next.group(1).replace("&amp;", "&")).body();
        }
        assertEquals(5, pages);
        assertEquals(230, seen.size(), "every acte, once");
        Matcher prev = Pattern.compile("<a rel=\"prev\" href=\"([^\"]+)\">Page précédente</a>").matcher(page);
        assertTrue(prev.find());
        List<String> back = numbers(b.get(prev.group(1).replace("&amp;", "&")).body());
        assertEquals("2025-LST-080", back.get(0), "the page before the last one");
        String rows = b.get("/suivi/lignes?numero=2025-LST&apres=" + fx.connector.journal()
                .entries().findByIdActe(new fr.actesconnector.model.IdActe("078-217803105-20260427-2025_LST_181-DE")).orElseThrow().id()).body();
        assertEquals("2025-LST-180", numbers(rows).get(0), "the refresh reads the same page");

        String objet = b.get("/suivi?objet=" + Browser.enc("LISTE n° 17") + "&etat=PREPARED").body();
        assertEquals(Set.of("2025-LST-017", "2025-LST-170", "2025-LST-171", "2025-LST-172", "2025-LST-173", "2025-LST-174",
                "2025-LST-175", "2025-LST-176", "2025-LST-177", "2025-LST-178", "2025-LST-179"), Set.copyOf(numbers(objet)), objet);
        assertTrue(objet.contains("11 actes correspondent à la recherche."), objet);
        String idActe = b.get("/suivi?idacte=078-217803105-20260427-2025_LST_042-DE").body();
        assertEquals(List.of("2025-LST-042"), numbers(idActe));
        String days = b.get("/suivi?du=01%2F01%2F2020&au=31%2F12%2F2099&numero=2025-LST-23").body();
        assertTrue(days.contains("value=\"01/01/2020\"") && days.contains("1 acte correspond à la recherche."), days);
        String wrongDay = b.get("/suivi?du=30%2F02%2F2026&numero=2025-LST-23").body();
        assertTrue(wrongDay.contains("id=\"du-erreur\"") && wrongDay.contains("La date « 30/02/2026 » n&#39;existe pas"),
                wrongDay);
        assertTrue(b.get("/suivi?numero=ZZZ-9").body().contains("Aucun acte ne correspond à la recherche."));
    }

    private static List<String> numbers(String html) {
        List<String> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("<tr><td>([^<]*)</td>").matcher(html);
        while (m.find()) numbers.add(m.group(1));
        return numbers;
    }

    @Test
    void searchTermsAreEscapedWhereverTheyAreEchoed() throws Exception {
        Browser b = new Browser(fx).login();
        String evil = "<script>&\"'";
        String page = b.get("/suivi?objet=" + Browser.enc(evil) + "&numero=" + Browser.enc(evil) + "&idacte="
                + Browser.enc(evil) + "&du=" + Browser.enc(evil)).body();
        assertFalse(page.contains(evil), "never echoed raw");
        assertFalse(page.contains("<script>"), page);
        assertTrue(page.contains("id=\"objet\" name=\"objet\" value=\"&lt;script&gt;&amp;&quot;&#39;\""), page);
        assertTrue(page.contains("id=\"numero\" name=\"numero\" value=\"&lt;script&gt;&amp;&quot;&#39;\""), page);
        assertTrue(page.contains("La date « &lt;script&gt;&amp;&quot;&#39; » n&#39;est pas une date au format JJ/MM/AAAA"), page);
        assertTrue(page.contains("data-lignes=\"/suivi/lignes?numero=%3Cscript%3E%26%22%27"), page);
    }

    @Test
    void fiveIdenticalSubmissionsAtOnceMakeOneActeAndAllShowIt() throws Exception {
        Browser b = new Browser(fx).login();
        int transactions = fx.simulator.transactionCount();
        byte[] document = pdf();
        int n = 5;
        CyclicBarrier together = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    Multipart m = acte(b.csrf, "2026-RACE-01", "d.pdf", document).field("typologie_annexe_1", "");
                    together.await();
                    return b.postMultipart("/transmettre", m);
                }));
            }
            for (Future<HttpResponse<String>> f : all) answers.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        JournalEntry e = fx.connector.journal().entries().findByNumero("217803105", "2026_RACE_01").orElseThrow();
        for (HttpResponse<String> r : answers) {
            assertEquals(303, r.statusCode(), r.body());
            assertEquals("/actes/" + e.id(), r.headers().firstValue("Location").orElseThrow());
        }
        assertEquals(transactions + 1, fx.simulator.transactionCount(), "posted once");
        String page = b.get("/actes/" + e.id()).body();
        assertFalse(page.contains("n&#39;a pas été transmis"), page);
    }

    @Test
    void anOversizedTextFieldIsNamedWithItsLimitAndNothingIsSent() throws Exception {
        Browser b = new Browser(fx).login();
        int before = journalSize();
        Multipart m = new Multipart().field("csrf", b.csrf).field("numero", "2026-LONG-1").field("date", "27/04/2026")
                .field("nature", "CC").field("classification", "1.4").field("objet", "x".repeat(70_000))
                .file("document", "d.pdf", "application/pdf", pdf());
        HttpResponse<String> r = b.postMultipart("/transmettre", m);
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("Le champ « Objet de l&#39;acte » dépasse la limite de 64 Kio (65\u202f536 octets) ; "
                + "l&#39;objet d&#39;un acte compte 499 caractères au plus : raccourcissez-le"), r.body());
        assertEquals(before, journalSize());
        HttpResponse<String> login = new Browser(fx).postForm("/connexion", Map.of("identifiant", "secretariat",
                "motdepasse", "y".repeat(70_000)));
        assertEquals(413, login.statusCode());
        assertTrue(login.body().contains("Le champ « Mot de passe » dépasse la limite de 64 Kio"), login.body());
    }

    @Test
    void theObjetsLineBreaksAndTabsBecomeSpacesAndDatesAreJjMmAaaa() throws Exception {
        Browser b = new Browser(fx).login();
        Multipart m = new Multipart().field("csrf", b.csrf).field("numero", "2026-CRLF-1").field("date", "27/04/2026")
                .field("nature", "CC").field("classification", "1.4").field("objet", "Contrat\r\nde\tmaintenance\ndu parc")
                .file("document", "d.pdf", "application/pdf", pdf());
        long id = sent(b.postMultipart("/transmettre", m));
        JournalEntry e = fx.connector.journal().entries().findById(id).orElseThrow();
        assertEquals("Contrat de maintenance du parc", e.objet());
        assertEquals(java.time.LocalDate.of(2026, 4, 27), e.dateDecision(), "typed JJ/MM/AAAA");
        String form = b.get("/transmettre").body();
        assertTrue(form.contains("id=\"date\" name=\"date\" type=\"text\""), form);
        assertTrue(form.contains("JJ/MM/AAAA (ex. 27/04/2026)"), form);

        Multipart impossible = new Multipart().field("csrf", b.csrf).field("numero", "2026-DATE-1").field("date", "30/02/2026")
                .field("nature", "CC").field("classification", "1.4").field("objet", "Contrat")
                .file("document", "d.pdf", "application/pdf", pdf());
        String shown = b.postMultipart("/transmettre", impossible).body();
        assertTrue(shown.contains("La date « 30/02/2026 » n&#39;existe pas : vérifiez le jour et le mois."), shown);
        assertTrue(shown.contains("value=\"30/02/2026\""), "kept as typed");
        Multipart iso = new Multipart().field("csrf", b.csrf).field("numero", "").field("date", "2026-04-27")
                .field("nature", "CC").field("classification", "1.4").field("objet", "Contrat");
        assertTrue(b.postMultipart("/transmettre", iso).body().contains("value=\"27/04/2026\""), "shown JJ/MM/AAAA");
        String list = b.get("/suivi").body();
        assertFalse(list.contains("type=\"date\""), "the list's days are typed JJ/MM/AAAA too");
    }

    @Test
    void theActesPageListsEachFileSentWithItsTypology() throws Exception {
        Browser b = new Browser(fx).login();
        Multipart m = acte(b.csrf, "2026-FIC-001", "d.pdf", pdf()).file("annexe_1", "a.pdf", "application/pdf", pdf())
                .field("typologie_annexe_1", "11_AE");
        long id = sent(b.postMultipart("/transmettre", m));
        String page = b.get("/actes/" + id).body();
        assertTrue(page.contains("<h2 id=\"fichiers-transmis-titre\">Fichiers transmis</h2>"), page);
        assertTrue(page.contains("<tr><td>Document principal</td><td>99_DC – Document contractuel</td><td>99_DC-078-217803105-"
                + "20260427-2026_FIC_001-CC-1-1_1.pdf</td>"), page);
        assertTrue(page.contains("<tr><td>Annexe 1</td><td>11_AE – Acte d&#39;engagement</td><td>11_AE-078-217803105-"
                + "20260427-2026_FIC_001-CC-1-1_2.pdf</td>"), page);
    }
}
