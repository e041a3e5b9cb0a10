package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
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
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;

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
        return fx.connector.journal().findById(id).orElseThrow();
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
        assertTrue(list.contains("pas encore exécutoire : il manque la date de publication ou de notification ; "
                + "déféré possible jusqu&#39;au " + DAY.format(reception.plusMonths(2)) + " (indicatif)"), list);
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
        assertTrue(journal.publication(e.id()).isEmpty(), "nothing recorded");

        b.get("/actes/" + e.id());
        HttpResponse<String> bad = b.postForm(path, form("csrf", b.csrf, "date", "31/02/2026", "mode", ""));
        assertEquals(422, bad.statusCode());
        String body = bad.body();
        assertTrue(body.contains("<h2>La publication n&#39;a pas été enregistrée</h2>"), body);
        assertTrue(body.contains("<a href=\"#publication-date\">La date « 31/02/2026 » n&#39;est pas une date au format "
                + "JJ/MM/AAAA"), body);
        assertTrue(body.contains("<a href=\"#publication-mode\">Indiquez si l&#39;acte a été publié"), body);
        assertTrue(body.contains("value=\"31/02/2026\" aria-describedby=\"publication-date-aide publication-date-erreur\" "
                + "aria-invalid=\"true\""), "the field keeps what was typed and points at its message");
        HttpResponse<String> future = b.postForm(path, form("csrf", b.csrf, "date", "2099-01-01", "mode", "publication"));
        assertEquals(422, future.statusCode());
        assertTrue(future.body().contains("futur"), future.body());
        assertTrue(journal.publication(e.id()).isEmpty(), "nothing recorded");

        LocalDate reception = e.dateReception().orElseThrow();
        HttpResponse<String> ok = b.postForm(path, form("csrf", b.csrf, "date", DAY.format(reception), "mode", "notification"));
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals(new Journal.Publication(reception, "notification"), journal.publication(e.id()).orElseThrow());
        String page = b.get("/actes/" + e.id()).body();
        assertTrue(page.contains("exécutoire depuis le " + DAY.format(reception) + " (indicatif)"), "the flash: " + page);
        assertTrue(page.contains("<dd>exécutoire le " + DAY.format(reception) + "</dd>"), page);
        assertTrue(page.contains("Acte notifié aux personnes intéressées le " + DAY.format(reception)), page);
        assertTrue(page.contains("jusqu&#39;au " + DAY.format(reception.plusMonths(2))), "third parties' dates");

        HttpResponse<String> iso = b.postForm(path, form("csrf", b.csrf, "date", reception.toString(), "mode", "publication"));
        assertEquals(303, iso.statusCode(), "AAAA-MM-JJ is read too");
        assertEquals("publication", journal.publication(e.id()).orElseThrow().mode());
        assertTrue(b.get("/suivi").body().contains("exécutoire le " + DAY.format(reception) + " ; déféré possible jusqu&#39;au "
                + DAY.format(reception.plusMonths(2)) + " (indicatif)"), "the list's summary");
    }
}
