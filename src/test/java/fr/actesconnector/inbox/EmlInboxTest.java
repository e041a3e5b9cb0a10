package fr.actesconnector.inbox;

import fr.actesconnector.testing.Houdan;
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
        assertEquals(IntakeResult.Why.UNREADABLE, result.leftAlone().get(0).why());
        assertTrue(Files.exists(ar), "the file itself is left untouched");
    }

    @Test
    void aMailAboutNoActeOfTheJournalNamesTheActeAndWhatToDo(@TempDir Path tmp) throws IOException {
        Path ar = tmp.resolve("ar.eml");
        Files.write(ar, InboxFixtures.toBytes(InboxFixtures.houdanArMail(InboxFixtures.session())));
        IntakeResult result = new EmlInbox(new MessageParser(), Optional.of(tmp.resolve("pieces")))
                .ingest(List.of(ar), messages -> false);
        assertEquals(List.of(), result.processed());
        IntakeResult.LeftAlone left = result.leftAlone().get(0);
        assertEquals(IntakeResult.Why.NOT_IN_JOURNAL, left.why());
        assertEquals("Acte " + Houdan.ID_ACTE + " inconnu du journal : courriel laissé de côté. Vérifiez collectivite.siren"
                + " dans la configuration (ce message concerne le SIREN " + Houdan.SIREN + ") ; si l'acte a été transmis"
                + " sans le connecteur, suivez-le sur le TdT.", left.reason(), "the envelope adds no sentence of its own");
    }
}
