package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} reads the journal and the configuration only, in-process. */
class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void itNeedsNoClassificationFileWhereTheOtherCommandsDo() throws IOException {
        Path config = dir.resolve("houdan.properties");
        Files.copy(Path.of("config", "houdan.properties"), config); // without its classification-078.xml
        MainTest.Result json = MainTest.run("status", "--json", "--config", config.toString());
        assertEquals(ExitCodes.OK, json.exit(), json.err());
        assertEquals("[ ]", json.out().strip());
        MainTest.Result text = MainTest.run("status", "--config", config.toString());
        assertEquals(ExitCodes.OK, text.exit(), text.err());
        assertEquals("Aucun acte dans le journal.", text.out().strip());
        MainTest.Result cancel = MainTest.run("cancel", "--config", config.toString(), "--acte",
                "078-217803105-20260427-2026_DEC_020-CC");
        assertEquals(ExitCodes.INVALID_INPUT, cancel.exit(), "a command that may need it still refuses: " + cancel.err());
        assertTrue(cancel.err().contains("classification-078.xml"), cancel.err());
    }
}
