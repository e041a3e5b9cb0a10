package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.simulator.LetterType;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the AR, from the jar against the simulator (its clock dates the prefecture's messages): a 3-1, the
 * pieces sent and their 3-5, a 4-1 answered, the cancellation; the legal clock moving as its rules say.
 */
class AfterTheArCliIT {
    @TempDir
    Path dir;
    MutableClock prefecture;
    SimulatedTdt tdt;

    @BeforeEach
    void start() throws Exception {
        prefecture = new MutableClock(Instant.parse("2026-04-29T08:00:00Z"), ZoneId.of("Europe/Paris"));
        tdt = new SimulatedTdt(dir, prefecture, Pacing.ONE_STEP_PER_POLL, Map.of("poll.interval-seconds", "1"));
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
        Houdan.writePdf(dir.resolve("reponse.pdf"), "Reponse");
        Houdan.writePdf(dir.resolve("devis.pdf"), "Devis");
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    private CliIT.Run cli(String... args) throws Exception {
        return CliIT.runWithConfig(dir, tdt.config(), args);
    }

    private JsonNode acte() throws Exception {
        CliIT.Run status = cli("status", "--json");
        assertEquals(0, status.exit(), status.err());
        return new ObjectMapper().readTree(status.out()).get(0);
    }

    private JsonNode pollUntil(String path, String value) throws Exception {
        for (int i = 0; i < 8; i++) {
            assertEquals(0, cli("poll", "--once").exit());
            JsonNode a = acte();
            if (value.equals(a.at(path).asText())) return a;
        }
        throw new AssertionError(path + " never " + value + ": " + acte().toPrettyString());
    }

    private String text(JsonNode node, String field) {
        return node.get(field).isNull() ? null : node.get(field).asText();
    }

    @Test
    void lettersAnswersCancellationAndTheLegalClock() throws Exception {
        CliIT.Run sent = cli("send", "--number", "2026-DEC-020", "--date", "2026-04-27", "--nature", "CC",
                "--classification", "1.4", "--subject", Houdan.OBJET_DECISION, "--document", dir.resolve("decision.pdf").toString());
        assertEquals(0, sent.exit(), sent.err());
        JsonNode a = pollUntil("/state", "ACKNOWLEDGED");
        assertEquals("2026-04-29", a.get("dateReception").asText());
        assertEquals("2026-06-29", text(a, "defereJusquau"), "two months after the reception in prefecture (L.2131-6)");
        assertEquals(null, text(a, "executoire"), "not published yet (L.2131-1)");
        assertEquals(null, text(a, "publication"));

        CliIT.Run published = cli("publish", "--acte", Houdan.ID_ACTE, "--date", "2026-05-02", "--mode", "publication");
        assertEquals(0, published.exit(), published.err());
        assertEquals("2026-05-02", text(acte(), "executoire"), "the later of reception and publication");

        // a demande de pièces inside the window suspends it
        prefecture.set(Instant.parse("2026-05-12T09:00:00Z"));
        String acteTx = acte().get("transactionId").asText();
        String letter = String.valueOf(tdt.simulator().issueLetter(Long.parseLong(acteTx), LetterType.DEMANDE_PIECES_COMPLEMENTAIRES));
        assertEquals(0, cli("poll", "--once").exit());
        a = acte();
        JsonNode courrier = a.get("courriers").get(0);
        assertEquals("DemandePieceComplementaire", courrier.get("type").asText());
        assertEquals("2026-05-12", courrier.get("dateCourrierPref").asText());
        assertEquals(letter, courrier.get("transactionId").asText());
        assertTrue(courrier.get("answer").isNull());
        assertEquals(null, text(a, "defereJusquau"), "suspended until the pieces are received: " + a.get("calendrier"));

        // the wrong answer kind, or annexes on a single-document answer: exit 2, nothing sent
        int before = tdt.simulator().transactionCount();
        CliIT.Run wrongKind = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", letter, "--kind", "justification",
                "--document", dir.resolve("reponse.pdf").toString());
        assertEquals(2, wrongKind.exit(), wrongKind.out() + wrongKind.err());
        assertTrue(wrongKind.err().contains("pieces, refus-pieces"), wrongKind.err());
        CliIT.Run refusalWithAnnex = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", letter, "--kind", "refus-pieces",
                "--document", dir.resolve("reponse.pdf").toString(), "--annex", dir.resolve("devis.pdf").toString());
        assertEquals(2, refusalWithAnnex.exit(), refusalWithAnnex.err());
        assertEquals(before, tdt.simulator().transactionCount(), "nothing sent");

        CliIT.Run pieces = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", letter, "--kind", "pieces",
                "--document", dir.resolve("reponse.pdf").toString(), "--annex", dir.resolve("devis.pdf") + ":99_DC");
        assertEquals(0, pieces.exit(), pieces.out() + pieces.err());
        List<String> lines = pieces.outLines();
        assertTrue(lines.get(lines.size() - 1).matches(java.util.regex.Pattern.quote(Houdan.ID_ACTE + " " + letter) + " \\d+"),
                pieces.out());
        CliIT.Run again = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", letter, "--kind", "pieces",
                "--document", dir.resolve("reponse.pdf").toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("déjà une réponse"), again.out());
        assertEquals(before + 1, tdt.simulator().transactionCount(), "one answer on the TdT");

        // the prefecture receives the pieces on 20 May: the window restarts for two months
        prefecture.set(Instant.parse("2026-05-20T09:00:00Z"));
        a = pollUntil("/courriers/0/answer/state", "ACKNOWLEDGED");
        assertEquals("2026-05-20", a.at("/courriers/0/answer/dateReception").asText());
        assertEquals("pieces", a.at("/courriers/0/answer/kind").asText());
        assertEquals("2026-07-20", text(a, "defereJusquau"), a.get("calendrier").asText());

        // a lettre d'observations inside the new window, answered by a justification
        prefecture.set(Instant.parse("2026-06-01T09:00:00Z"));
        String observations = String.valueOf(tdt.simulator().issueLetter(Long.parseLong(acteTx), LetterType.LETTRE_OBSERVATIONS));
        assertEquals(0, cli("poll", "--once").exit());
        CliIT.Run justification = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", observations, "--kind", "justification",
                "--document", dir.resolve("reponse.pdf").toString());
        assertEquals(0, justification.exit(), justification.out() + justification.err());
        prefecture.set(Instant.parse("2026-06-05T09:00:00Z"));
        a = pollUntil("/courriers/1/answer/state", "ACKNOWLEDGED");
        assertEquals("LettreObservations", a.at("/courriers/1/type").asText());
        assertEquals("2026-08-05", text(a, "defereJusquau"), "two months after the answer to the recours gracieux: "
                + a.get("calendrier").asText());

        // cancelled, to the ARAnnulation
        CliIT.Run cancel = cli("cancel", "--acte", Houdan.ID_ACTE);
        assertEquals(0, cancel.exit(), cancel.out() + cancel.err());
        pollUntil("/state", "CANCELLED");
        CliIT.Run cancelAgain = cli("cancel", "--acte", Houdan.ID_ACTE);
        assertEquals(2, cancelAgain.exit(), cancelAgain.err());
    }

    @Test
    void publishAndCancelRefuseBadInputWithExitTwo() throws Exception {
        assertEquals(0, cli("send", "--number", "2026-DEC-020", "--date", "2026-04-27", "--nature", "CC",
                "--classification", "1.4", "--subject", Houdan.OBJET_DECISION, "--document",
                dir.resolve("decision.pdf").toString()).exit());
        CliIT.Run future = cli("publish", "--acte", Houdan.ID_ACTE, "--date", "2099-01-01", "--mode", "publication");
        assertEquals(2, future.exit(), future.err());
        assertTrue(future.err().contains("futur"), future.err());
        CliIT.Run mode = cli("publish", "--acte", Houdan.ID_ACTE, "--date", "2026-05-02", "--mode", "affichage-mairie");
        assertEquals(2, mode.exit(), mode.err());
        CliIT.Run unknown = cli("cancel", "--acte", "078-217803105-20260427-2026_DEC_099-CC");
        assertEquals(2, unknown.exit(), unknown.err());
        CliIT.Run notYet = cli("cancel", "--acte", Houdan.ID_ACTE);
        assertEquals(2, notYet.exit(), notYet.err());
        assertTrue(notYet.err().contains("accusé réception"), notYet.err());
        assertEquals(1, tdt.simulator().transactionCount(), "no cancellation sent");
    }
}
