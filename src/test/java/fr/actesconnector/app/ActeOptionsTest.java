package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Violation;

class ActeOptionsTest {
    @TempDir
    Path dir;

    private ActeOptions options(String date) {
        ActeOptions o = new ActeOptions();
        o.number = "2026-DEC-020";
        o.date = date;
        o.nature = "CC";
        o.classification = "1.4";
        o.subject = "Contrat";
        o.document = dir.resolve("decision.pdf").toString();
        return o;
    }

    private static String messageOf(ActeOptions o) {
        Collectivite houdan = new Collectivite("Commune de Houdan", "217803105", "078", "1", "31");
        InvalidActeException e = assertThrows(InvalidActeException.class, () -> o.toActe(houdan, acte -> List.of()));
        Violation v = e.violations().get(0);
        assertEquals("--date", v.field());
        return v.message();
    }

    @Test
    void aDateTheCalendarLacksIsSaidToNotExist() {
        String message = messageOf(options("2026-02-30"));
        assertEquals("La date « 2026-02-30 » n'existe pas : février 2026 compte 28 jours (ex. 2026-04-27).", message);
        assertFalse(message.contains("format"), message);
    }

    @Test
    void aBadlyWrittenDateIsSaidToBeBadlyWritten() {
        assertTrue(messageOf(options("27/04/2026")).startsWith("La date « 27/04/2026 » n'est pas au format AAAA-MM-JJ"));
    }
}
