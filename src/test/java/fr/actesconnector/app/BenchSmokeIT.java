package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the benchmark from the jar: it must run and report, not reach its goals (those are
 * measured by {@code bench} itself, on a quiet machine, not by a test).
 */
class BenchSmokeIT {
    @TempDir
    Path dir;

    @Test
    void quickP1RunsAndReportsItsMeasuresInTheTable() throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder("java", "-Xmx64m", "-jar", CliIT.JAR.toAbsolutePath().toString(),
                "bench", "--quick", "--only", "P1")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "bench did not finish");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);

        List<String> rows = text.lines().filter(l -> l.startsWith("| P1")).toList();
        assertEquals(1, rows.size(), text);
        Matcher m = Pattern.compile("\\| P1 .*\\| ([0-9.]+) s, tas max (\\d+) Mio .*\\| ([0-9.]+ s|—).*\\| ([0-9.]+|—) .*").matcher(rows.get(0));
        assertTrue(m.matches(), rows.get(0));
        assertTrue(Double.parseDouble(m.group(1)) > 0, "a measured time");
        assertTrue(Integer.parseInt(m.group(2)) > 0 && Integer.parseInt(m.group(2)) <= 64, "a heap within -Xmx64m: " + m.group(2));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "the bench leaves nothing behind in the working folder");
        }
    }
}
