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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code bench --only P4} on an embedded PostgreSQL, for whoever has no server at hand:
 * {@code mvn verify -Dit.test=BenchP4IT -Dbench.p4=full} (or {@code quick}). Skipped otherwise: it takes minutes.
 * The bench's output is kept in {@code target/bench-p4.txt}.
 */
@EnabledIfSystemProperty(named = "bench.p4", matches = "quick|full")
class BenchP4IT {
    @TempDir
    Path dir;

    @Test
    void p4RunsOnAnEmbeddedPostgresqlAndReportsItsRows() throws Exception {
        boolean quick = "quick".equals(System.getProperty("bench.p4"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            List<String> cmd = new ArrayList<>(List.of("java", "-Xmx64m", "-jar", CliIT.JAR.toAbsolutePath().toString(),
                    "bench", "--only", "P4", "--journal-url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "--journal-user", "postgres"));
            if (quick) cmd.add("--quick");
            Path out = Path.of("target", "bench-p4.txt").toAbsolutePath();
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(quick ? 30 : 150, TimeUnit.MINUTES), "bench did not finish");
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(text);
            assertEquals(0, p.exitValue(), text);
            List<String> rows = text.lines().filter(l -> l.startsWith("| P4")).toList();
            assertEquals(4, rows.size(), text);
            assertTrue(rows.get(0).matches("\\| P4a .*\\| [0-9.]+ s, \\d+ postés 2×, \\d+ perdus .*"), rows.get(0));
        }
    }
}
