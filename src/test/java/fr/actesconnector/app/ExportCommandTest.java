package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code export} and {@code verify-bundle}, refused in French before anything is opened. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void neitherAnActeNorAPeriodIsExplained() {
        MainTest.Result r = MainTest.run("export", "--config", dir.resolve("absent.properties").toString(), "--out", dir.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("Indiquez --acte IDACTE, ou une période"), r.err());
    }

    @Test
    void everyMistakeIsReportedAtOnce() {
        MainTest.Result r = MainTest.run("export", "--config", dir.resolve("absent.properties").toString(), "--acte", "2026-DEC-020",
                "--since", "2026-01-01", "--out", dir.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        for (String expected : new String[]{"ne vont pas ensemble", "indiquez --since et --until", "n'est pas un identifiant d'acte"}) {
            assertTrue(r.err().contains(expected), expected + " in " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void verifyBundleOnAMissingFileIsExitTwo() {
        MainTest.Result r = MainTest.run("verify-bundle", dir.resolve("absent.zip").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("introuvable"), r.err());
    }
}
