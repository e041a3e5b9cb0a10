package fr.actesconnector.inbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmlInboxTest {
    @Test
    void emlFilesAreHandedOverOrReported(@TempDir Path tmp) throws IOException {
        Path ar = tmp.resolve("ar.eml");
        Files.write(ar, InboxFixtures.toBytes(InboxFixtures.houdanArMail(InboxFixtures.session())));
        Path other = tmp.resolve("autre.eml");
        Files.write(other, "From: a@b.fr\r\nSubject: bonjour\r\n\r\ncorps\r\n".getBytes(StandardCharsets.US_ASCII));
        EmlInbox inbox = new EmlInbox(new MessageParser(), Optional.of(tmp.resolve("pieces")));
        IntakeResult result = inbox.ingest(List.of(ar, other), messages -> true);
        assertEquals(1, result.processed().size());
        assertEquals(2, result.processed().get(0).replies().size());
        assertEquals(1, result.leftAlone().size());
        assertEquals("autre.eml", result.leftAlone().get(0).source());
        assertTrue(result.leftAlone().get(0).reason().contains("aucun message ACTES"), result.leftAlone().get(0).reason());
        assertTrue(Files.exists(ar), "the file itself is left untouched");
    }
}
