package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The page's days: typed JJ/MM/AAAA (or AAAA-MM-JJ), shown JJ/MM/AAAA, and why a text is not one. */
class DatesTest {
    @Test
    void daysAreTypedJjMmAaaaOrAaaaMmJj() {
        assertEquals(Optional.of(LocalDate.of(2026, 4, 27)), Dates.parse(" 27/04/2026 "));
        assertEquals(Optional.of(LocalDate.of(2026, 4, 7)), Dates.parse("7/4/2026"));
        assertEquals(Optional.of(LocalDate.of(2026, 4, 27)), Dates.parse("2026-04-27"));
        assertEquals(Optional.empty(), Dates.parse("27-04-2026"));
        assertEquals(Optional.empty(), Dates.parse("30/02/2026"));
        assertEquals(Optional.empty(), Dates.parse(""));
        assertEquals("27/04/2026", Dates.show(LocalDate.of(2026, 4, 27)));
        assertEquals("27/04/2026", Dates.shown("2026-04-27"));
        assertEquals("demain", Dates.shown(" demain "));
    }

    @Test
    void aDayThatDoesNotExistIsNotAFormatProblem() {
        assertEquals("La date « 30/02/2026 » n'existe pas : vérifiez le jour et le mois.", Dates.problem("30/02/2026", "x"));
        assertEquals("La date « 2026-13-01 » n'existe pas : vérifiez le jour et le mois.", Dates.problem("2026-13-01", "x"));
        assertEquals("La date « avril » n'est pas une date au format JJ/MM/AAAA (ex. 27/04/2026) ou AAAA-MM-JJ.",
                Dates.problem("avril", "27/04/2026"));
    }
}
