package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.simulator.LetterType;

/**
 * After the AR, on the web page, against the TdT simulator: the legal clock, the publication, the
 * prefecture's letters and their answers, the correction of a refused acte; every form refused without
 * this session's CSRF token, and every text escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAfterArIT {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final String CSRF_MESSAGE = "jeton de sécurité absent ou incorrect";

    private WebFixture fx;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new WebFixture(dir, 2L * 1024 * 1024);
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    private byte[] pdf(String title) throws IOException {
        return Files.readAllBytes(fx.pdf("piece-" + System.nanoTime() + ".pdf", title));
    }

    private Multipart acte(String csrf, String numero, String objet) throws IOException {
        return new Multipart().field("csrf", csrf).field("numero", numero).field("date", "2026-04-27").field("nature", "CC")
                .field("classification", "1.4").field("objet", objet)
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")).field("typologie_document", "99_DC");
    }

    /** Transmits an acte through the form; returns its journal id. */
    private long transmit(Browser b, String numero, String objet) throws Exception {
        HttpResponse<String> r = b.postMultipart("/transmettre", acte(b.csrf, numero, objet));
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/actes/\\d+"), location);
        return Long.parseLong(location.substring("/actes/".length()));
    }

    /** Polls the simulator until the acte leaves the pending states. */
    private JournalEntry settle(long id) {
        JournalEntry e = entry(id);
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            fx.connector.poller("test").pollAllNow();
            e = entry(id);
        }
        return e;
    }

    private JournalEntry entry(long id) {
        return fx.connector.journal().entries().findById(id).orElseThrow();
    }

    private JournalEntry acknowledged(Browser b, String numero, String objet) throws Exception {
        JournalEntry e = settle(transmit(b, numero, objet));
        assertEquals(TransmissionState.ACKNOWLEDGED, e.state(), e.toString());
        return e;
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void theActePageAndTheListShowTheIndicativeLegalClock() throws Exception {
        Browser b = new Browser(fx).login();
        JournalEntry e = acknowledged(b, "2026-CAL-001", "Délibération calendrier");
        LocalDate reception = e.dateReception().orElseThrow();
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Calendrier légal (indicatif)"), page);
        assertTrue(page.contains("pas encore exécutoire : il manque la date de publication ou de notification"), page);
        assertTrue(page.contains("déféré possible jusqu&#39;au " + DAY.format(reception.plusMonths(2))
                + " (règle appliquée : deux mois après la réception en préfecture du " + DAY.format(reception)
                + " (CGCT art. L.2131-6))"), page);
        assertTrue(page.contains("seul le juge administratif apprécie les délais"), page);
        assertTrue(page.contains("action=\"/actes/" + e.id() + "/publication\""), "the publication form");

        String list = b.get("/suivi").body();
        assertTrue(list.contains("<th scope=\"col\">Calendrier légal (indicatif)</th>"), list);
        java.time.Instant sentAt = fx.connector.journal().entries().history(e.id()).stream()
                .filter(c -> c.to() == TransmissionState.POSTED).findFirst().orElseThrow().at();
        assertTrue(list.contains("</td><td>" + java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm")
                .format(sentAt.atZone(fx.connector.config().validationSettings().zone())) + "</td><td>"
                + DAY.format(reception) + "</td>"), "sent, then received: " + list);
        assertTrue(list.contains("pas encore exécutoire : il manque la date de publication ou de notification ; "
                + "déféré possible jusqu&#39;au " + DAY.format(reception.plusMonths(2)) + " (indicatif)"), list);
    }

    @Test
    void anArUnderAnotherIdActeIsShownOnTheActesPageAndInTheList() throws Exception {
        Browser b = new Browser(fx).login();
        Journal journal = fx.connector.journal();
        long id = fx.registerActes("2026_SRN", 1, "Acte reçu sous un autre SIREN").get(0);
        long plain = fx.registerActes("2026_OK", 1, "Acte reçu sous son SIREN").get(0);
        String warning = "L'accusé de réception porte l'identifiant 078-200000172-20260427-2026_SRN_001-DE et non "
                + journal.entries().findById(id).orElseThrow().idActe() + " : l'acte a été transmis sous le SIREN 200000172.";
        for (long acte : new long[] {id, plain}) {
            journal.markPosting(acte);
            journal.recordPosted(acte, String.valueOf(900_000 + acte));
            journal.recordAcknowledgement(acte, "<ARActe/>", LocalDate.of(2026, 4, 29),
                    acte == id ? java.util.Optional.of(warning) : java.util.Optional.empty());
        }
        String page = b.get("/actes/" + id).body();
        assertTrue(page.contains("<p class=\"avertissements\" id=\"a-verifier\">" + Html.esc(warning) + "</p>"), page);
        assertFalse(b.get("/actes/" + plain).body().contains("id=\"a-verifier\""), "nothing to check on the other");
        assertTrue(b.get("/suivi").body().contains("<p class=\"explication\">" + Html.esc(warning) + "</p>"), "the list");
    }

    @Test
    void anAcknowledgedActesProofBundleIsDownloadedAndVerifiesOffline(@TempDir Path out) throws Exception {
        Browser b = new Browser(fx).login();
        long pending = transmit(b, "2026-PRV-000", "Acte pas encore reçu");
        assertEquals(409, b.get("/actes/" + pending + "/preuve").statusCode(), "no bundle before the AR");
        JournalEntry e = acknowledged(b, "2026-PRV-001", "Acte <script>&\"' prouvé");
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("href=\"/actes/" + e.id() + "/preuve\" download>Télécharger le dossier de preuve</a>"), page);
        HttpResponse<byte[]> zip = b.download("/actes/" + e.id() + "/preuve");
        assertEquals(200, zip.statusCode());
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
        Path file = Files.write(out.resolve("preuve.zip"), zip.body());
        fr.actesconnector.bundle.BundleVerifier.Report report = new fr.actesconnector.bundle.BundleVerifier(
                java.time.Clock.systemUTC(), fr.actesconnector.bundle.SafeZip.Limits.DEFAULT, out).verify(file);
        assertTrue(report.verified(), report.failures().toString());
        assertEquals(e.idActe().value(), report.idActe());
    }

    @Test
    void publicationIsRecordedOnlyWithThisSessionsTokenAndMakesTheActeExecutoire() throws Exception {
        Browser b = new Browser(fx).login();
        JournalEntry e = acknowledged(b, "2026-PUB-001", "Arrêté de publication");
        Journal journal = fx.connector.journal();
        String path = "/actes/" + e.id() + "/publication";

        HttpResponse<String> missing = b.postForm(path, form("date", "02/05/2026", "mode", "publication"));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
        Browser other = new Browser(fx).login();
        HttpResponse<String> foreign = b.postForm(path, form("csrf", other.csrf, "date", "02/05/2026", "mode", "publication"));
        assertEquals(403, foreign.statusCode(), "another session's token is refused");
        assertTrue(journal.publications().of(e.id()).isEmpty(), "nothing recorded");

        b.get("/actes/" + e.id());
        HttpResponse<String> bad = b.postForm(path, form("csrf", b.csrf, "date", "31/02/2026", "mode", ""));
        assertEquals(422, bad.statusCode());
        String body = bad.body();
        assertTrue(body.contains("<h2>La publication n&#39;a pas été enregistrée</h2>"), body);
        assertTrue(body.contains("<a href=\"#publication-date\">La date « 31/02/2026 » n&#39;existe pas : vérifiez le jour "
                + "et le mois."), body);
        assertTrue(body.contains("<a href=\"#publication-mode\">Indiquez si l&#39;acte a été publié"), body);
        assertTrue(body.contains("value=\"31/02/2026\" aria-describedby=\"publication-date-aide publication-date-erreur\" "
                + "aria-invalid=\"true\""), "the field keeps what was typed and points at its message");
        HttpResponse<String> future = b.postForm(path, form("csrf", b.csrf, "date", "2099-01-01", "mode", "publication"));
        assertEquals(422, future.statusCode());
        assertTrue(future.body().contains("futur"), future.body());
        assertTrue(journal.publications().of(e.id()).isEmpty(), "nothing recorded");

        LocalDate reception = e.dateReception().orElseThrow();
        HttpResponse<String> ok = b.postForm(path, form("csrf", b.csrf, "date", DAY.format(reception), "mode", "notification"));
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals(new Publications.Publication(reception, "notification"), journal.publications().of(e.id()).orElseThrow());
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("exécutoire depuis le " + DAY.format(reception) + " (indicatif)"), "the flash: " + page);
        assertTrue(page.contains("<dd>exécutoire le " + DAY.format(reception) + "</dd>"), page);
        assertTrue(page.contains("Acte notifié aux personnes intéressées le " + DAY.format(reception)), page);
        assertTrue(page.contains("jusqu&#39;au " + DAY.format(reception.plusMonths(2))), "third parties' dates");
        assertTrue(page.contains("<td>notification du " + DAY.format(reception) + " enregistrée <span class=\"acteur\">(par "
                + WebFixture.LOGIN + ")</span></td>"), "the history names who recorded it: " + page);

        HttpResponse<String> iso = b.postForm(path, form("csrf", b.csrf, "date", reception.toString(), "mode", "publication"));
        assertEquals(303, iso.statusCode(), "AAAA-MM-JJ is read too");
        assertEquals("publication", journal.publications().of(e.id()).orElseThrow().mode());
        assertTrue(b.get("/suivi").body().contains("exécutoire le " + DAY.format(reception) + " ; déféré possible jusqu&#39;au "
                + DAY.format(reception.plusMonths(2)) + " (indicatif)"), "the list's summary");
    }

    /** The prefecture writes about the acte on the simulator and the connector records the letter. */
    private Letters.Letter letter(JournalEntry e, LetterType type, String text) {
        long tx = fx.simulator.issueLetter(Long.parseLong(e.transactionId().orElseThrow()), type, text);
        assertEquals(1, fx.connector.fetchPrefectureDocuments());
        return fx.connector.journal().letters().byTransactionId(String.valueOf(tx)).orElseThrow();
    }

    private Multipart answer(String csrf, String genre, boolean withPiece) throws IOException {
        Multipart m = new Multipart();
        if (csrf != null) m.field("csrf", csrf);
        m.field("genre", genre).file("document", "reponse.pdf", "application/pdf", pdf("Reponse"));
        if (withPiece) m.file("piece_1", "devis.pdf", "application/pdf", pdf("Devis"));
        return m;
    }

    @Test
    void aDemandeDePiecesIsAnsweredOnceFromTheActePage() throws Exception {
        Browser b = new Browser(fx).login();
        JournalEntry e = acknowledged(b, "2026-LET-001", "Marché de voirie");
        Letters.Letter l = letter(e, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES, "Le plan de financement et l'avis du comité");
        String base = "/actes/" + e.id() + "/courriers/" + l.id();
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Demande de pièces complémentaires (3-1) du " + DAY.format(l.dateCourrierPref())), page);
        assertTrue(page.contains("<dt>Pièces demandées</dt><dd class=\"texte\">Le plan de financement et l&#39;avis du "
                + "comité</dd>"), page);
        assertTrue(page.contains("<a href=\"" + base + "/pdf\">Courrier de la préfecture (PDF)</a>"), page);
        assertTrue(page.contains("<form method=\"post\" action=\"" + base + "/repondre\""), "the Répondre form");
        assertTrue(page.contains("<h4>Répondre</h4>"), page);
        assertTrue(page.contains("value=\"pieces\" checked><label for=\"reponse-" + l.id() + "-genre-pieces\">Envoi des "
                + "pièces complémentaires (3-4)</label>"), page);
        assertTrue(page.contains("value=\"refus-pieces\"><label"), "the refusal is offered too");
        assertFalse(page.contains("value=\"justification\""), "only the kinds that answer a 3-1");
        assertTrue(page.contains("name=\"piece_1\""), "extra files for the pièces");
        assertTrue(page.contains("délai suspendu"), "the clock follows the letter: " + page);
        HttpResponse<byte[]> letterPdf = b.download(base + "/pdf");
        assertEquals(200, letterPdf.statusCode());
        assertEquals("%PDF", new String(letterPdf.body(), 0, 4, StandardCharsets.ISO_8859_1));

        int before = fx.simulator.transactionCount();
        HttpResponse<String> missing = b.postMultipart(base + "/repondre", answer(null, "pieces", true));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
        Browser other = new Browser(fx).login();
        HttpResponse<String> foreign = b.postMultipart(base + "/repondre", answer(other.csrf, "pieces", true));
        assertEquals(403, foreign.statusCode(), "another session's token is refused");
        HttpResponse<String> wrong = b.postMultipart(base + "/repondre", answer(b.csrf, "refus-pieces", true));
        assertEquals(422, wrong.statusCode());
        assertTrue(wrong.body().contains("<a href=\"#reponse-" + l.id() + "-pieces\">Seul l&#39;envoi des pièces "
                + "complémentaires (3-4) porte des pièces jointes"), wrong.body());
        HttpResponse<String> notForThisLetter = b.postMultipart(base + "/repondre", answer(b.csrf, "justification", false));
        assertEquals(422, notForThisLetter.statusCode());
        assertTrue(notForThisLetter.body().contains("Choisissez la réponse à envoyer : « Envoi des pièces complémentaires » "
                + "ou « Refus d&#39;envoi des pièces complémentaires »."), notForThisLetter.body());
        assertEquals(before, fx.simulator.transactionCount(), "nothing sent");
        assertTrue(fx.connector.journal().letters().answerOf(l.id()).isEmpty(), "nothing journaled");

        HttpResponse<String> sent = b.postMultipart(base + "/repondre", answer(b.csrf, "pieces", true));
        assertEquals(303, sent.statusCode(), sent.body());
        assertEquals("/actes/" + e.id() + "#courrier-" + l.id(), sent.headers().firstValue("Location").orElse(""));
        assertEquals(before + 1, fx.simulator.transactionCount(), "posted once");
        HttpResponse<String> again = b.postMultipart(base + "/repondre", answer(b.csrf, "pieces", true));
        assertEquals(303, again.statusCode(), again.body());
        assertEquals(before + 1, fx.simulator.transactionCount(), "the same POST again posts nothing");
        page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Ce courrier avait déjà une réponse : elle n&#39;a pas été renvoyée"), page);
        assertTrue(page.contains("<h4>Réponse de la commune</h4>"), page);
        assertTrue(page.contains("<dd>Envoi des pièces complémentaires (3-4)</dd>"), page);
        assertTrue(page.contains("Reçue par le TdT"), page);
        assertFalse(page.contains(base + "/repondre"), "answered: no form any more");
        assertTrue(page.contains("(3-4) au courrier 3-1 du " + DAY.format(l.dateCourrierPref()) + " : envoi au TdT "
                + "<span class=\"acteur\">(par " + WebFixture.LOGIN + ")</span></td>"), "the history names who answered: " + page);

        for (int i = 0; i < 5 && fx.connector.journal().letters().answerOf(l.id()).orElseThrow().state()
                != Letters.AnswerState.ACKNOWLEDGED; i++) {
            fx.connector.poller("test").pollAllNow();
        }
        Letters.Answer a = fx.connector.journal().letters().answerOf(l.id()).orElseThrow();
        assertEquals(Letters.AnswerState.ACKNOWLEDGED, a.state());
        page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Accusé de réception reçu"), page);
        assertTrue(page.contains("<dt>Reçue par la préfecture le</dt><dd>" + DAY.format(a.dateReception().orElseThrow())
                + "</dd>"), page);
    }

    @Test
    void aLettreObservationsIsMarkedAsRecoursGracieuxOrNotAndADefereCallsForNoAnswer() throws Exception {
        Browser b = new Browser(fx).login();
        JournalEntry e = acknowledged(b, "2026-OBS-001", "Recrutement d'un agent");
        Letters.Letter l = letter(e, LetterType.LETTRE_OBSERVATIONS, "Illégalité de la délibération");
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Lettre d&#39;observations (4-1) du "), page);
        assertTrue(page.contains("<dt>Motif</dt><dd class=\"texte\">Illégalité de la délibération</dd>"), page);
        assertTrue(page.contains("name=\"recours_gracieux\" value=\"oui\" checked"), page);
        assertTrue(page.contains("Cette lettre demande le retrait ou la modification de l&#39;acte (recours gracieux)"), page);
        assertTrue(page.contains("CE, 15 mai 2013, n° 357031"), page);
        assertTrue(page.contains("Seule une lettre d&#39;observations qui demande de retirer ou de modifier l&#39;acte "
                + "(recours gracieux) prolonge le délai du déféré"), "the clock's caveat: " + page);
        assertTrue(page.contains("value=\"justification\" checked") && page.contains("value=\"rejet-observations\""), page);

        String toggle = "/actes/" + e.id() + "/courriers/" + l.id() + "/recours-gracieux";
        assertEquals(403, b.postForm(toggle, form()).statusCode());
        assertTrue(fx.connector.journal().letters().byId(l.id()).orElseThrow().recoursGracieux(), "unchanged");
        HttpResponse<String> off = b.postForm(toggle, form("csrf", b.csrf));
        assertEquals(303, off.statusCode(), off.body());
        assertFalse(fx.connector.journal().letters().byId(l.id()).orElseThrow().recoursGracieux());
        page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("name=\"recours_gracieux\" value=\"oui\" aria-describedby"), "unchecked: " + page);
        assertTrue(page.contains("demande seulement des explications, sans demander de retirer ou de modifier l&#39;acte : "
                + "elle ne prolonge pas le délai du déféré"), page);
        assertEquals(303, b.postForm(toggle, form("csrf", b.csrf, "recours_gracieux", "oui")).statusCode());
        assertTrue(fx.connector.journal().letters().byId(l.id()).orElseThrow().recoursGracieux());

        Letters.Letter defere = letter(e, LetterType.DEFERE_TRIBUNAL_ADMINISTRATIF, "Incompétence");
        page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("Déféré au tribunal administratif (5-1) du "), page);
        assertTrue(page.contains("<dt>Nature de l&#39;illégalité</dt><dd class=\"texte\">Incompétence</dd>"), page);
        assertTrue(page.contains("Un déféré au tribunal administratif n&#39;appelle pas de réponse par le TdT"), page);
        assertFalse(page.contains("/courriers/" + defere.id() + "/repondre"), "no answer form for a 5-1");
        assertTrue(page.contains("déféré au tribunal administratif le "), "the clock: " + page);
    }

    /** An objet (and a letter's text) that would break the page if anything were written unescaped. */
    private static final String NASTY = "<script>&\"'";
    private static final String ESCAPED = "&lt;script&gt;&amp;&quot;&#39;";

    private static void escaped(HttpResponse<String> r) {
        assertFalse(r.body().contains(NASTY), "written as is: " + r.body());
        assertTrue(r.body().contains(ESCAPED), "not shown: " + r.body());
    }

    @Test
    void aRefusedActeIsCorrectedAndSentAgainUnderANewNumberBothLinked() throws Exception {
        Browser b = new Browser(fx).login();
        fx.simulator.failNextWithAnomalie("2026_COR_001", "002", "classification date not up to date");
        JournalEntry refused = settle(transmit(b, "2026-COR-001", "Marché " + NASTY + " de voirie"));
        assertEquals(TransmissionState.REJECTED, refused.state());
        String refusedPage = "/actes/" + refused.id();
        HttpResponse<String> page = b.get(refusedPage);
        escaped(page);
        assertTrue(page.body().contains("Classification envoyée : 1.4, version du "), "what the refused acte carried: "
                + page.body());
        assertTrue(page.body().contains("<a class=\"bouton\" href=\"" + refusedPage + "/corriger\">Corriger et renvoyer…</a>"),
                page.body());
        assertFalse(page.body().contains("Calendrier légal"), "a refused acte never becomes exécutoire");
        String list = b.get("/suivi").body();
        assertTrue(list.contains("<p class=\"explication\">La préfecture a refusé l&#39;acte parce que la classification"
                + " utilisée n&#39;était plus à jour (anomalie 002)"), "the refusal explained on its row: " + list);

        HttpResponse<String> form = b.get(refusedPage + "/corriger");
        assertEquals(200, form.statusCode());
        escaped(form);
        String body = form.body();
        assertTrue(body.contains("action=\"" + refusedPage + "/corriger\""), body);
        assertTrue(body.contains("name=\"numero\" type=\"text\" value=\"\""), "the number emptied: " + body);
        assertTrue(body.contains("name=\"date\" type=\"text\" value=\"27/04/2026\""), body);
        assertTrue(body.contains("<option value=\"CC\" data-typologie=\"99_DC\" selected>"), body);
        assertTrue(body.contains("<option value=\"1.4\" selected>"), body);
        assertTrue(body.contains(">Marché " + ESCAPED + " de voirie</textarea>"), body);
        assertTrue(body.contains("Le TdT n&#39;accepte jamais deux fois le même numéro, même après un refus : donnez un "
                + "nouveau numéro à l&#39;acte corrigé (par exemple « 2026-COR-001B »)"), body);

        int before = fx.simulator.transactionCount();
        HttpResponse<String> missing = b.postMultipart(refusedPage + "/corriger", new Multipart().field("numero", "2026-COR-001B")
                .field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4").field("objet", "Marché")
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")));
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
        HttpResponse<String> sameNumber = b.postMultipart(refusedPage + "/corriger", acte(b.csrf, "2026-COR-001",
                "Marché " + NASTY + " de voirie"));
        assertEquals(422, sameNumber.statusCode());
        escaped(sameNumber);
        assertTrue(sameNumber.body().contains("<a href=\"#numero\">Le numéro 2026_COR_001 est celui de l&#39;acte refusé"),
                sameNumber.body());
        assertTrue(sameNumber.body().contains("action=\"" + refusedPage + "/corriger\""), "still the correction form");
        assertEquals(before, fx.simulator.transactionCount(), "nothing sent");

        HttpResponse<String> sent = b.postMultipart(refusedPage + "/corriger", acte(b.csrf, "2026-COR-001B", "Marché de voirie"));
        assertEquals(303, sent.statusCode(), sent.body());
        assertEquals(before + 1, fx.simulator.transactionCount(), "posted once");
        long id = Long.parseLong(sent.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
        assertEquals(java.util.Optional.of(refused.id()), fx.connector.journal().publications().replacement(id).replaces());

        String corrected = b.get("/actes/" + id).body();
        assertTrue(corrected.contains("il remplace l&#39;acte refusé 2026-COR-001"), "the flash: " + corrected);
        assertTrue(corrected.contains("<dt>Remplace l&#39;acte refusé</dt><dd id=\"remplace\"><a href=\"" + refusedPage
                + "\">2026-COR-001</a> (IDActe " + refused.idActe().value() + ", rejeté par la préfecture)</dd>"), corrected);
        page = b.get(refusedPage);
        escaped(page);
        assertTrue(page.body().contains("<dt>Remplacé par l&#39;acte</dt><dd id=\"remplace-par\"><a href=\"/actes/" + id
                + "\">2026-COR-001B</a>"), page.body());
        assertFalse(page.body().contains("Corriger et renvoyer"), "corrected once");
        HttpResponse<String> again = b.get(refusedPage + "/corriger");
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("déjà été corrigé et renvoyé sous le numéro 2026-COR-001B"), again.body());
        escaped(b.get("/suivi"));
    }

    @Test
    void everyNewPartOfTheActePageEscapesWhatItShows() throws Exception {
        Browser b = new Browser(fx).login();
        JournalEntry e = acknowledged(b, "2026-ESC-001", "Objet " + NASTY);
        Letters.Letter l = letter(e, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES, "Pièces " + NASTY);
        HttpResponse<String> page = b.get("/actes/" + e.id());
        escaped(page);
        assertTrue(page.body().contains("<dd class=\"texte\">Pièces " + ESCAPED + "</dd>"), page.body());
        HttpResponse<String> publication = b.postForm("/actes/" + e.id() + "/publication",
                form("csrf", b.csrf, "date", NASTY, "mode", NASTY));
        assertEquals(422, publication.statusCode());
        escaped(publication);
        assertTrue(publication.body().contains("La date « " + ESCAPED + " » n&#39;est pas une date"), publication.body());
        assertTrue(publication.body().contains("value=\"" + ESCAPED + "\""), "typed again, escaped");
        HttpResponse<String> reply = b.postMultipart("/actes/" + e.id() + "/courriers/" + l.id() + "/repondre",
                new Multipart().field("csrf", b.csrf).field("genre", NASTY)
                        .file("document", NASTY + ".pdf", "application/pdf", "pas un PDF".getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, reply.statusCode());
        escaped(reply);
        escaped(b.get("/suivi"));
    }
}
