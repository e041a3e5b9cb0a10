package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalConfig;
import fr.actesconnector.model.Secret;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One H2 file journal, several processes: while {@code daemon} runs (a process of its own, polling the
 * simulator), {@code send}, {@code status --json}, {@code user add} and {@code user list} run beside it
 * and see what the daemon wrote; a URL that refuses sharing gets the French « verrouillé » message.
 */
class SharedJournalCliIT {
    @TempDir
    Path dir;
    SimulatedTdt tdt;
    Process daemon;

    @BeforeEach
    void start() throws Exception {
        tdt = new SimulatedTdt(dir, Clock.systemUTC(), Pacing.ONE_STEP_PER_POLL, Map.of("poll.interval-seconds", "1"));
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        tdt.close();
    }

    @Test
    void commandsWorkOnTheDaemonsH2JournalWhileItRuns() throws Exception {
        daemon = startDaemon();

        CliIT.Run sent = CliIT.runWithConfig(dir, tdt.config(), "send", "--number", "2026-DEC-020", "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", Houdan.OBJET_DECISION,
                "--document", dir.resolve("decision.pdf").toString());
        assertEquals(0, sent.exit(), sent.err());
        assertTrue(daemon.isAlive(), "the daemon must still run");

        // Only the daemon polls: the AR in the status comes from what it wrote.
        JsonNode acte = null;
        for (int i = 0; i < 30 && (acte == null || !acte.get("state").asText().equals("ACKNOWLEDGED")); i++) {
            CliIT.Run status = CliIT.runWithConfig(dir, tdt.config(), "status", "--json");
            assertEquals(0, status.exit(), status.err());
            assertFalse(status.err().contains("verrouillé"), status.err());
            acte = new ObjectMapper().readTree(status.out()).get(0);
            if (!acte.get("state").asText().equals("ACKNOWLEDGED")) Thread.sleep(1000);
        }
        assertEquals(Houdan.ID_ACTE, acte.get("idActe").asText());
        assertEquals("ACKNOWLEDGED", acte.get("state").asText(), acte.toPrettyString());

        CliIT.Run added = run("girafe bleue sous la pluie de mai\n", "user", "add", "marie", "--config", tdt.config().toString());
        assertEquals(0, added.exit(), added.err());
        CliIT.Run listed = CliIT.runWithConfig(dir, tdt.config(), "user", "list");
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().startsWith("marie\t"), listed.out());

        assertTrue(daemon.isAlive(), "the daemon must still run");
        daemon.destroy();
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
        String daemonErr = Files.readString(dir.resolve("daemon.err"), StandardCharsets.UTF_8);
        assertFalse(daemonErr.contains("Exception"), daemonErr);
    }

    @Test
    void aJournalUrlThatRefusesSharingIsRespectedAndExplainedInFrench() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data/journal").toAbsolutePath() + ";AUTO_SERVER=FALSE";
        Files.writeString(tdt.config(), "journal.url=" + url + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        try (Journal held = new Journal(JournalConfig.of(url, "", Secret.of("")), Clock.systemUTC())) {
            CliIT.Run status = CliIT.runWithConfig(dir, tdt.config(), "status", "--json");

            assertEquals(4, status.exit(), status.out() + status.err());
            assertTrue(status.err().contains("est verrouillé : un autre programme l'a ouvert sans le partager"), status.err());
            assertTrue(status.err().contains("AUTO_SERVER=FALSE"), status.err());
            assertFalse(status.err().contains("Exception"), status.err());
        }
    }

    /** The daemon as its own process; returns once it printed that it started. */
    private Process startDaemon() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", CliIT.JAR.toAbsolutePath().toString(), "daemon", "--config",
                tdt.config().toString()).directory(dir.toFile());
        pb.redirectOutput(dir.resolve("daemon.out").toFile()).redirectError(dir.resolve("daemon.err").toFile());
        Process p = pb.start();
        for (int i = 0; i < 240; i++) {
            if (Files.readString(dir.resolve("daemon.out"), StandardCharsets.UTF_8).contains("Daemon démarré")) return p;
            if (!p.isAlive()) break;
            Thread.sleep(500);
        }
        throw new AssertionError("daemon not started: " + Files.readString(dir.resolve("daemon.err"), StandardCharsets.UTF_8));
    }

    /** Like {@link CliIT#run}, with {@code input} on standard input. */
    private CliIT.Run run(String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", CliIT.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path in = Files.writeString(Files.createTempFile(dir, "in", ".txt"), input, StandardCharsets.UTF_8);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "command did not finish: " + cmd);
        return new CliIT.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
