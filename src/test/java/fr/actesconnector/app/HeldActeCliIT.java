package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account that may create but not transmit (S²LOW right CS: actes_transac_create.php holds every acte in
 * 17), a teletransmitter's account (RW) that follows and releases them (actes_transac_post_confirm_api.php),
 * from the jar against the simulator.
 */
class HeldActeCliIT {
    @TempDir
    Path dir;

    private SimulatedTdt start(boolean confirmHeld) throws Exception {
        Map<String, String> extra = new HashMap<>(Map.of("tdt.login", "agent-cs", "tdt.password", "pw-cs",
                "tdt.confirm.login", "teletransmetteur", "tdt.confirm.password", "pw-rw", "poll.interval-seconds", "1"));
        if (confirmHeld) extra.put("tdt.confirm-held", "true");
        SimulatedTdt tdt = new SimulatedTdt(dir, Clock.systemDefaultZone(), Pacing.ONE_STEP_PER_POLL, extra,
                b -> b.account("agent-cs", "pw-cs", Right.CS).account("teletransmetteur", "pw-rw", Right.RW));
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
        return tdt;
    }

    private CliIT.Run send(SimulatedTdt tdt) throws Exception {
        return CliIT.run(dir, "send", "--config", tdt.config().toString(), "--number", "2026-DEC-020", "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", Houdan.OBJET_DECISION,
                "--document", dir.resolve("decision.pdf").toString());
    }

    private JsonNode acte(SimulatedTdt tdt) throws Exception {
        CliIT.Run status = CliIT.run(dir, "status", "--json", "--config", tdt.config().toString());
        assertEquals(0, status.exit(), status.err());
        return new ObjectMapper().readTree(status.out()).get(0);
    }

    @Test
    void aHeldActeIsShownAsSuchAndReleasedByTdtConfirm() throws Exception {
        try (SimulatedTdt tdt = start(false)) {
            CliIT.Run sent = send(tdt);
            assertEquals(0, sent.exit(), sent.out() + sent.err());
            List<String> lines = sent.outLines();
            String tx = lines.get(lines.size() - 1).split(" ")[1];

            assertEquals(0, CliIT.run(dir, "poll", "--once", "--config", tdt.config().toString()).exit());
            JsonNode held = acte(tdt);
            assertEquals("HELD", held.get("state").asText(), held.toPrettyString());
            assertEquals("En attente de validation sur le TdT par un agent télétransmetteur", held.get("stateLabel").asText());
            assertEquals(17, held.get("tdtStatus").asInt());

            CliIT.Run confirm = CliIT.run(dir, "tdt", "confirm", "--transaction", tx, "--config", tdt.config().toString());
            assertEquals(0, confirm.exit(), confirm.out() + confirm.err());
            assertTrue(confirm.out().contains("validée"), confirm.out());
            assertEquals("POSTED", acte(tdt).get("state").asText());
            assertEquals(java.util.Optional.of(1), tdt.simulator().status(Long.parseLong(tx)));

            // S²LOW refuses a transaction no longer in 17: exit 3 and its reason, in French
            CliIT.Run again = CliIT.run(dir, "tdt", "confirm", "--transaction", tx, "--config", tdt.config().toString());
            assertEquals(3, again.exit(), again.out() + again.err());
            assertTrue(again.err().contains("En attente d'être post"), again.err());
        }
    }

    @Test
    void withConfirmHeldThePollerReleasesTheActeAndItGoesOnToTheAr() throws Exception {
        try (SimulatedTdt tdt = start(true)) {
            assertEquals(0, send(tdt).exit());
            assertEquals(0, CliIT.run(dir, "poll", "--once", "--config", tdt.config().toString()).exit());
            assertEquals("POSTED", acte(tdt).get("state").asText(), "released in the same poll");
            for (int i = 0; i < 6 && !acte(tdt).get("state").asText().equals("ACKNOWLEDGED"); i++) {
                assertEquals(0, CliIT.run(dir, "poll", "--once", "--config", tdt.config().toString()).exit());
            }
            assertEquals("ACKNOWLEDGED", acte(tdt).get("state").asText());
        }
    }
}
