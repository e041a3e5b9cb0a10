package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code bench --only P4} from the jar on an embedded PostgreSQL. By default a small run that proves the
 * mechanics within the build's time (4 collectivités × 25 actes through 3 daemons, one killed with
 * {@code kill -9} and restarted; 10 000 actes for the queries): nothing posted twice, nothing lost, every row
 * reported. Its times are not judged: the goals are for the full sizes, run by hand on a quiet machine with
 * {@code mvn verify -Dit.test=BenchP4IT -Dbench.p4=full} (or {@code quick}), or {@code bench --only P4} against
 * a server. The bench's output is kept in {@code target/bench-p4.txt}, its folder (the daemons' logs) in
 * {@code target/bench-p4/}.
 */
class BenchP4IT {
    @TempDir
    Path dir;

    @Test
    void p4SendsThroughThreeDaemonsAndAKillWithoutDoublesOrLossesAndReportsItsRows() throws Exception {
        String size = System.getProperty("bench.p4", "small");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            // The daemons' logs stay in target/bench-p4/p4/p4a for whoever reads a failure.
            Path work = Path.of("target", "bench-p4").toAbsolutePath();
            deleteTree(work);
            List<String> cmd = new ArrayList<>(List.of("java", "-Xmx64m", "-jar", CliIT.JAR.toAbsolutePath().toString(),
                    "bench", "--only", "P4", "--journal-url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "--journal-user", "postgres", "--dir", work.toString()));
            switch (size) {
                case "full" -> { }
                case "quick" -> cmd.add("--quick");
                // Sizes of one's own, to profile: -Dbench.p4="--p4-collectivites 10 --p4-actes 100 --p4-journal 1000"
                case "small" -> cmd.addAll(List.of("--p4-collectivites", "4", "--p4-actes", "25", "--p4-journal", "10000"));
                default -> cmd.addAll(List.of(size.trim().split("\\s+")));
            }
            Path out = Path.of("target", "bench-p4.txt").toAbsolutePath();
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor("full".equals(size) ? 150 : 30, TimeUnit.MINUTES), "bench did not finish");
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(text);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("P4a : démon 1 tué (kill -9)"), text);
            List<String> rows = text.lines().filter(l -> l.startsWith("| P4")).toList();
            assertEquals(4, rows.size(), text);
            assertTrue(rows.get(0).matches("\\| P4a .*\\| [0-9.]+ s, 0 postés 2×, 0 perdus .*"), rows.get(0));
            for (String row : rows.subList(1, 4)) assertTrue(row.matches("\\| P4b .*\\| p95 [0-9.]+ ms .*"), row);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
