package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Actor;

/**
 * Text typed by a person or sent by the prefecture, holding {@code <script>&"'}, on every page that shows it: the
 * list and its refreshed rows, the acte page, the confirmation pages, the error summaries that echo a refused
 * input. Each must show it escaped and never as markup (no page of the connector has a bare {@code <script>}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebEscapingIT {
    private static final String NASTY = "<script>&\"'";
    private static final String ESCAPED = "&lt;script&gt;&amp;&quot;&#39;";

    private WebFixture fx;
    private Browser b;
    private JournalEntry acknowledged;
    private JournalEntry refused;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new WebFixture(dir, 2L * 1024 * 1024);
        b = new Browser(fx).login();
        acknowledged = settle(transmit("2026-ESC-101", "Objet " + NASTY));
        assertEquals(TransmissionState.ACKNOWLEDGED, acknowledged.state());
        fx.simulator.failNextWithAnomalie("2026_ESC_102", "002", "Motif " + NASTY);
        refused = settle(transmit("2026-ESC-102", "Refusé " + NASTY));
        assertEquals(TransmissionState.REJECTED, refused.state());
        fx.connector.journal().users().add("zoe.esc", new Passwords(new SecureRandom()).hash(
                "le phare dort sous la lune".toCharArray()), Users.Role.AGENT, Optional.of("Zoé " + NASTY), Actor.commandLine());
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    /** The page answered, never holds the raw text, and holds each expected escaped excerpt. */
    private static void escaped(String what, HttpResponse<String> r, int status, String... excerpts) {
        String body = r.body();
        assertEquals(status, r.statusCode(), what + ": " + body);
        assertFalse(body.contains("<script>"), what + ": written as markup: " + body);
        assertFalse(body.contains(NASTY), what + ": written as is: " + body);
        for (String excerpt : excerpts) assertTrue(body.contains(excerpt), what + ": missing « " + excerpt + " » in " + body);
    }

    @Test
    void theListAndItsRefreshedRowsEscapeTheObjetAndTheRefusal() throws Exception {
        for (String path : new String[] {"/suivi", "/suivi/lignes"}) {
            HttpResponse<String> r = b.get(path);
            escaped(path, r, 200, "<td>Objet " + ESCAPED + "</td>", "<td>Refusé " + ESCAPED + "</td>", "Motif " + ESCAPED);
        }
        escaped("/suivi with forged filters", b.get("/suivi?etat=" + Browser.enc(NASTY) + "&du=" + Browser.enc(NASTY)
                + "&au=" + Browser.enc(NASTY)), 200, "<td>Objet " + ESCAPED + "</td>");
    }

    @Test
    void theActePagesEscapeTheObjetAndTheRefusal() throws Exception {
        escaped("acte page", b.get("/actes/" + acknowledged.id()), 200, "<dt>Objet</dt><dd>Objet " + ESCAPED + "</dd>");
        escaped("refused acte page", b.get("/actes/" + refused.id()), 200, "<dt>Objet</dt><dd>Refusé " + ESCAPED + "</dd>",
                "Motif " + ESCAPED);
        escaped("correction form", b.get("/actes/" + refused.id() + "/corriger"), 200, ">Refusé " + ESCAPED + "</textarea>");
    }

    @Test
    void theConfirmationPagesEscapeTheObjetAndTheName() throws Exception {
        escaped("cancel confirmation", b.get("/actes/" + acknowledged.id() + "/annuler"), 200, "« Objet " + ESCAPED + " »");
        escaped("removal confirmation", b.get("/comptes/zoe.esc/supprimer"), 200, "« zoe.esc » (Zoé " + ESCAPED + ")");
        escaped("password reset", b.get("/comptes/zoe.esc/mot-de-passe"), 200, "« zoe.esc » (Zoé " + ESCAPED + ")");
        escaped("accounts list", b.get("/comptes"), 200, "<td>Zoé " + ESCAPED + "</td>");
    }

    @Test
    void errorSummariesEscapeTheRefusedInput() throws Exception {
        b.get("/transmettre");
        HttpResponse<String> transmit = b.postMultipart("/transmettre", new Multipart().field("csrf", b.csrf)
                .field("numero", NASTY + " 2026-DELIBERATION-DU-CONSEIL-MUNICIPAL").field("date", "2026-04-27")
                .field("nature", "CC").field("classification", "1.4")
                .field("objet", "Objet " + NASTY));
        escaped("transmit form", transmit, 422, "<a href=\"#numero\">Le numéro de l&#39;acte « " + ESCAPED
                + " 2026-DELIBERATION-DU-CONSEIL-MUNICIPAL » devient", "value=\"" + ESCAPED + " 2026-",
                ">Objet " + ESCAPED + "</textarea>");
        assertTrue(transmit.body().contains("<div class=\"resume-erreurs\""), "the error summary: " + transmit.body());

        b.get("/actes/" + acknowledged.id());
        escaped("publication form", b.postForm("/actes/" + acknowledged.id() + "/publication",
                form("csrf", b.csrf, "date", NASTY, "mode", "publication")), 422, "La date « " + ESCAPED + " » n&#39;est pas");

        b.get("/comptes");
        escaped("account form", b.postForm("/comptes", form("csrf", b.csrf, "identifiant", NASTY, "nom", NASTY,
                "role", "agent", "motdepasse", "le tram passe sous la pluie", "confirmation", "le tram passe sous la pluie")),
                422, "L&#39;identifiant « " + ESCAPED + " » n&#39;est pas accepté", "value=\"" + ESCAPED + "\"");
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private long transmit(String numero, String objet) throws Exception {
        b.get("/transmettre");
        HttpResponse<String> r = b.postMultipart("/transmettre", new Multipart().field("csrf", b.csrf).field("numero", numero)
                .field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4").field("objet", objet)
                .file("document", "decision.pdf", "application/pdf", pdf()).field("typologie_document", "99_DC"));
        assertEquals(303, r.statusCode(), r.body());
        return Long.parseLong(r.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
    }

    private byte[] pdf() throws IOException {
        return Files.readAllBytes(fx.pdf("decision-" + System.nanoTime() + ".pdf", "Decision"));
    }

    private JournalEntry settle(long id) {
        for (int i = 0; i < 10 && entry(id).state().isPending(); i++) fx.connector.poller("test").pollAllNow();
        return entry(id);
    }

    private JournalEntry entry(long id) {
        return fx.connector.journal().entries().findById(id).orElseThrow();
    }
}
