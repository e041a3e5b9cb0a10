package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Three {@code daemon} processes (the jar) on one embedded PostgreSQL journal, against the simulator, with
 * actes queued for sending: one daemon is killed with {@code kill -9} while the actes are being sent, then
 * PostgreSQL is stopped and started again on the same data. At the end every acte is acknowledged and each
 * reached the TdT in exactly one create request.
 */
class SeveralDaemonsIT {
    private static final int ACTES = 60;
    private static final Duration LEASE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private EmbeddedPostgres postgres;
    private final List<Process> daemons = new ArrayList<>();
    private SimulatedTdt tdt;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : daemons) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (tdt != null) tdt.close();
        if (postgres != null) postgres.close();
    }

    private EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void threeDaemonsShareTheWorkThroughAKillAndADatabaseRestartPostingEachActeOnce() throws Exception {
        int port = freePort();
        Path data = dir.resolve("pgdata");
        postgres = startPostgres(data, port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        tdt = new SimulatedTdt(dir, Clock.systemUTC(), Pacing.ONE_STEP_PER_POLL, Map.of(
                "journal.url", url, "journal.user", "postgres", "journal.password", "postgres",
                "poll.interval-seconds", "1", "poll.concurrency", "4", "poll.lease-seconds", String.valueOf(LEASE.toSeconds()),
                "journal.posting-grace-seconds", "30", "tdt.max-requests-per-second", "20"),
                b -> b.delay(Duration.ofMillis(20)));

        Path pdf = Houdan.writePdf(Files.createDirectories(dir.resolve("docs")).resolve("decision.pdf"), "Decision");
        try (ActesConnector c = new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), Clock.systemUTC())) {
            for (int i = 0; i < ACTES; i++) {
                Acte acte = new Acte(Houdan.collectivite(), "D" + i, Houdan.DATE_DECISION, Nature.CC, Classification.of(1, 4),
                        "Objet " + i, new Piece(pdf, new Typologie("99_DC")), List.of(), false);
                c.send(acte, false, Optional.empty(), ActesConnector.Delivery.QUEUE);
            }
        }
        assertEquals(Map.of("PREPARED", ACTES), states(url));

        for (int i = 0; i < 3; i++) daemons.add(daemon(i));

        // kill -9 of the first daemon while it holds actes (leased to send or to poll), halfway through the sending
        Process victim = daemons.get(0);
        String owner = victim.pid() + "@";
        await(Duration.ofMinutes(10), () -> count(url, "SELECT COUNT(*) FROM acte WHERE lease_owner LIKE ? AND lease_until > NOW()",
                owner + "%") > 0 && count(url, "SELECT COUNT(*) FROM acte WHERE state <> 'PREPARED'") >= ACTES / 4);
        victim.destroyForcibly();
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        int leftLeased = count(url, "SELECT COUNT(*) FROM acte WHERE lease_owner LIKE ?", owner + "%");
        assertTrue(leftLeased > 0, "the killed daemon left leased actes behind");

        // PostgreSQL stops and starts again on the same data while the two others work
        await(Duration.ofMinutes(10), () -> count(url, "SELECT COUNT(*) FROM acte WHERE state = 'ACKNOWLEDGED'") >= ACTES / 3);
        postgres.close();
        // Longer than the pool's wait for a connection (10 s): each daemon's round fails, says so, then resumes.
        Thread.sleep(15_000);
        postgres = startPostgres(data, port);

        await(Duration.ofMinutes(15), () -> count(url, "SELECT COUNT(*) FROM acte WHERE state = 'ACKNOWLEDGED'") == ACTES);

        assertEquals(Map.of("ACKNOWLEDGED", ACTES), states(url));
        Map<String, Integer> creates = tdt.simulator().createRequests();
        assertEquals(ACTES, creates.size(), "every acte reached the TdT");
        creates.forEach((number, n) -> assertEquals(1, n, number + " was posted " + n + " times"));
        assertEquals(0, count(url, "SELECT COUNT(*) FROM acte WHERE lease_owner LIKE ?", owner + "%"),
                "the killed daemon's leases were taken over");
        for (int i = 1; i < 3; i++) {
            String log = Files.readString(dir.resolve("daemon-" + i + ".log"), StandardCharsets.UTF_8);
            assertTrue(log.contains("WARN Sql - journal jdbc:postgresql://localhost:" + port + "/postgres unavailable"),
                    "daemon " + i + " told of the database restart:\n" + tail(log));
            assertTrue(log.contains("answering again after"), "daemon " + i + " told it resumed:\n" + tail(log));
        }
    }

    private Process daemon(int i) throws IOException {
        Path log = dir.resolve("daemon-" + i + ".log");
        return new ProcessBuilder("java", "-Xmx96m", "-jar", CliIT.JAR.toAbsolutePath().toString(), "daemon",
                "--config", tdt.config().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Map<String, Integer> states(String url) throws SQLException {
        Map<String, Integer> states = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM acte GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) states.put(rs.getString(1), rs.getInt(2));
        }
        return states;
    }

    /** A count, or -1 while the database is away. */
    private static int count(String url, String sql, String... args) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private void await(Duration timeout, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (Process p : daemons.subList(1, daemons.size())) {
                assertTrue(p.isAlive(), "a daemon stopped: " + tail(Files.readString(dir.resolve("daemon-"
                        + daemons.indexOf(p) + ".log"), StandardCharsets.UTF_8)));
            }
            assertTrue(System.nanoTime() < end, "timed out; states now " + statesQuietly());
            Thread.sleep(100);
        }
    }

    private String statesQuietly() {
        try {
            return states("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres").toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
