package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.TestPki;

/** The constant-memory claim: a 200 MiB file signs and verifies in a JVM limited to 64 MiB of heap. */
class BigFileIT {
    private static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void signsAndVerifies200MiBUnderXmx64m() throws Exception {
        Path document = dir.resolve("annexe-volumineuse.bin");
        byte[] chunk = new byte[1024 * 1024];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(document)) {
            for (long written = 0; written < SIZE; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        assertEquals(SIZE, Files.size(document));
        TestPki pki = new TestPki("CA Big File");
        SigningConfig config = SigningFixtures.keystore(pki.signer("Jean Maire"), dir, "big");
        Path passwordFile = Files.writeString(dir.resolve("password"), SigningFixtures.PASSWORD, StandardCharsets.US_ASCII);
        Path signature = dir.resolve("annexe-volumineuse.bin.p7s");

        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", classpath,
                BigFileSigningMain.class.getName(), config.keystore().toString(), passwordFile.toString(),
                document.toString(), signature.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the forked JVM did not finish");
        System.out.println("forked JVM: " + output.strip());
        try {
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("size=" + SIZE), output);
            long maxMemory = Long.parseLong(output.replaceAll("(?s).*maxMemory=(\\d+).*", "$1"));
            assertTrue(maxMemory <= 64L * 1024 * 1024, "heap was not limited: " + maxMemory);
            assertTrue(Files.size(signature) < 16 * 1024, "a detached signature stays small");

            Process control = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", classpath,
                    BigFileSigningMain.class.getName(), "--load-whole-file", document.toString()))
                    .redirectErrorStream(true)
                    .start();
            String controlOutput = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(control.waitFor(5, TimeUnit.MINUTES), "the control JVM did not finish");
            assertTrue(control.exitValue() != 0 && controlOutput.contains("OutOfMemoryError"),
                    "loading the whole file should not fit in 64 MiB: " + controlOutput);
        } finally {
            Files.deleteIfExists(document);
        }
    }
}
