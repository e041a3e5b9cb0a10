package fr.actesconnector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FrenchTextTest {
    @Test
    void oneIsSingularAndTwoIsPlural() {
        assertEquals("0 caractère", FrenchText.count(0, "caractère"));
        assertEquals("1 caractère", FrenchText.count(1, "caractère"));
        assertEquals("2 caractères", FrenchText.count(2, "caractère"));
        assertEquals("3 messages ACTES", FrenchText.count(3, "message ACTES", "messages ACTES"));
    }

    @Test
    void aSentenceGetsOneFullStopNeverTwo() {
        assertEquals("Le fichier est vide.", FrenchText.endSentence("Le fichier est vide"));
        assertEquals("Le fichier est vide.", FrenchText.endSentence("Le fichier est vide. "));
        assertEquals("Trois fichiers…", FrenchText.endSentence("Trois fichiers…"));
        assertEquals("Vraiment ?", FrenchText.endSentence("Vraiment ?"));
        assertEquals("Contenu non autorisé dans le prologue", FrenchText.withoutFinalStop("Contenu non autorisé dans le prologue."));
        assertEquals("voir ...", FrenchText.withoutFinalStop("voir ..."), "an ellipsis is not a full stop");
    }

    @Test
    void aWellWrittenDayTheCalendarLacksDoesNotExistRatherThanBeingBadlyWritten() {
        assertEquals(Optional.of(LocalDate.of(2026, 4, 27)), FrenchText.isoDate(" 2026-04-27 "));
        assertEquals(Optional.empty(), FrenchText.whyNotADate("2026-04-27"));
        assertEquals(Optional.empty(), FrenchText.isoDate("2026-02-30"));
        assertEquals(Optional.of("n'existe pas : février 2026 compte 28 jours"), FrenchText.whyNotADate("2026-02-30"));
        assertEquals(Optional.of("n'existe pas : février 2028 compte 29 jours"), FrenchText.whyNotADate("2028-02-30"));
        assertEquals(Optional.of("n'existe pas : avril 2026 compte 30 jours"), FrenchText.whyNotADate("2026-04-31"));
        assertEquals(Optional.of("n'existe pas : il n'y a pas de mois 13, les mois vont de 01 à 12"),
                FrenchText.whyNotADate("2026-13-01"));
        // January and December are months: their 32nd day is what is missing, and 00 is no month
        assertEquals(Optional.of("n'existe pas : janvier 2026 compte 31 jours"), FrenchText.whyNotADate("2026-01-32"));
        assertEquals(Optional.of("n'existe pas : décembre 2026 compte 31 jours"), FrenchText.whyNotADate("2026-12-32"));
        assertEquals(Optional.of("n'existe pas : il n'y a pas de mois 00, les mois vont de 01 à 12"),
                FrenchText.whyNotADate("2026-00-10"));
        assertEquals(Optional.of("n'est pas au format AAAA-MM-JJ"), FrenchText.whyNotADate("27/04/2026"));
        assertEquals(Optional.of("n'est pas au format AAAA-MM-JJ"), FrenchText.whyNotADate("2026-4-27"));
    }
}
