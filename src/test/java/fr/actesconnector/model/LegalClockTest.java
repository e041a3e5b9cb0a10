package fr.actesconnector.model;

import static fr.actesconnector.model.LegalClock.Letter.Kind.COURRIER_SIMPLE;
import static fr.actesconnector.model.LegalClock.Letter.Kind.DEFERE;
import static fr.actesconnector.model.LegalClock.Letter.Kind.DEMANDE_PIECES;
import static fr.actesconnector.model.LegalClock.Letter.Kind.LETTRE_OBSERVATIONS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import fr.actesconnector.model.LegalClock.Answer;
import fr.actesconnector.model.LegalClock.Facts;
import fr.actesconnector.model.LegalClock.Letter;
import fr.actesconnector.model.LegalClock.Result;

class LegalClockTest {
    private static final LocalDate TODAY = d("2026-05-25");

    /** The Houdan decision of 2026-04-27: received in prefecture 2026-04-29, published 2026-05-02. */
    private static final Facts HOUDAN = Facts.asOf(TODAY).receivedOn(d("2026-04-29")).publishedOn(d("2026-05-02"));
    private static final String FROM_RECEPTION = "deux mois après la réception en préfecture du 29/04/2026 (CGCT art. L.2131-6)";

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    private static Letter letter(Letter.Kind kind, String date) {
        return Letter.of(kind, d(date));
    }

    /** One row of the table: the expected dates (null: none) and a part of the French rule. */
    record Case(String name, Facts facts, String executoire, String defereJusquau, String ruleContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> table() {
        return Stream.of(
                // Rule 1: exécutoire on the later of reception and publication or notification (CGCT L.2131-1).
                new Case("Houdan: received 29/04, published 02/05", HOUDAN,
                        "2026-05-02", "2026-06-29", FROM_RECEPTION),
                new Case("published before reception: exécutoire on reception",
                        Facts.asOf(TODAY).receivedOn(d("2026-04-29")).publishedOn(d("2026-04-28")),
                        "2026-04-29", "2026-06-29", FROM_RECEPTION),
                new Case("notified after reception: exécutoire on notification",
                        Facts.asOf(TODAY).receivedOn(d("2026-04-29")).notifiedOn(d("2026-05-10")),
                        "2026-05-10", "2026-06-29", FROM_RECEPTION),
                new Case("not yet published: not exécutoire, the window runs all the same",
                        Facts.asOf(TODAY).receivedOn(d("2026-04-29")),
                        null, "2026-06-29", FROM_RECEPTION),
                new Case("not yet received in prefecture: neither date",
                        Facts.asOf(TODAY).publishedOn(d("2026-05-02")),
                        null, null, "délai non commencé"),
                // Rule 2: two months after reception, date to date, month end clamped (CGCT L.2131-6).
                new Case("received 31/12: two months end on 28/02",
                        Facts.asOf(TODAY).receivedOn(d("2025-12-31")).publishedOn(d("2025-12-31")),
                        "2025-12-31", "2026-02-28", "réception en préfecture du 31/12/2025"),
                // Rule 3: a demande de pièces (3-1) interrupts the window.
                new Case("Houdan: 3-1 of 12/05, pieces received by the prefecture 20/05",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")
                                .answeredBy(Answer.sent(d("2026-05-15"), d("2026-05-20")))),
                        "2026-05-02", "2026-07-20", "réception des pièces par la préfecture le 20/05/2026"),
                new Case("3-1 unanswered: window suspended",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")),
                        "2026-05-02", null, "délai suspendu : pièces demandées le 12/05/2026"),
                new Case("3-1 answered, the prefecture's AR 3-5 not yet known: still suspended",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12").answeredBy(Answer.sent(d("2026-05-18")))),
                        "2026-05-02", null, "délai suspendu : pièces envoyées le 18/05/2026"),
                new Case("3-1 refused by the town: two months from the refusal",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12").answeredBy(Answer.refused(d("2026-05-22")))),
                        "2026-05-02", "2026-07-22", "refus de la commune du 22/05/2026"),
                new Case("3-1 on the window's last day counts",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-06-29")
                                .answeredBy(Answer.sent(d("2026-07-03"), d("2026-07-10")))),
                        "2026-05-02", "2026-09-10", "réception des pièces par la préfecture le 10/07/2026"),
                new Case("3-1 the day after the window changes nothing",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-06-30")
                                .answeredBy(Answer.sent(d("2026-07-03"), d("2026-07-10")))),
                        "2026-05-02", "2026-06-29", FROM_RECEPTION),
                // Rule 4: a lettre d'observations (4-1) asking to withdraw or change the acte is a recours gracieux.
                new Case("4-1 answered: two months from the prefecture's reception of the answer",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01")
                                .answeredBy(Answer.sent(d("2026-06-10"), d("2026-06-12")))),
                        "2026-05-02", "2026-08-12", "réponse de la commune du 12/06/2026"),
                new Case("4-1 answered, AR 4-5 unknown: two months from the day the answer was sent",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01").answeredBy(Answer.sent(d("2026-06-10")))),
                        "2026-05-02", "2026-08-10", "réponse de la commune du 10/06/2026"),
                new Case("4-1 refused by the town: two months from the refusal",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01").answeredBy(Answer.refused(d("2026-06-05")))),
                        "2026-05-02", "2026-08-05", "réponse de la commune du 05/06/2026"),
                new Case("4-1 unanswered: implicit rejection two months after the letter, then two months",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01")),
                        "2026-05-02", "2026-10-01", "rejet implicite du 01/08/2026"),
                new Case("4-1 asking only for explanations does not prolong (CE 2013)",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01").explanationsOnly()
                                .answeredBy(Answer.sent(d("2026-06-10"), d("2026-06-12")))),
                        "2026-05-02", "2026-06-29", FROM_RECEPTION),
                new Case("4-1 on the window's last day counts",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-29")),
                        "2026-05-02", "2026-10-29", "rejet implicite du 29/08/2026"),
                new Case("4-1 the day after the window changes nothing",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-30")),
                        "2026-05-02", "2026-06-29", FROM_RECEPTION),
                // Rule 5: a courrier simple (2-1) changes nothing.
                new Case("2-1 changes nothing",
                        HOUDAN.withLetter(letter(COURRIER_SIMPLE, "2026-05-12")),
                        "2026-05-02", "2026-06-29", FROM_RECEPTION),
                // Rules 3 and 4 in date order, each restart being the window later letters are judged against.
                new Case("4-1 after the first window but within the one restarted by a 3-1",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")
                                        .answeredBy(Answer.sent(d("2026-05-15"), d("2026-05-20"))))
                                .withLetter(letter(LETTRE_OBSERVATIONS, "2026-07-15").answeredBy(Answer.sent(d("2026-07-25")))),
                        "2026-05-02", "2026-09-25", "réponse de la commune du 25/07/2026"),
                new Case("4-1 the day after the window restarted by a 3-1 changes nothing",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")
                                        .answeredBy(Answer.sent(d("2026-05-15"), d("2026-05-20"))))
                                .withLetter(letter(LETTRE_OBSERVATIONS, "2026-07-21")),
                        "2026-05-02", "2026-07-20", "réception des pièces par la préfecture le 20/05/2026"),
                new Case("letters listed out of order are read in date order",
                        HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-07-15").answeredBy(Answer.sent(d("2026-07-25"))))
                                .withLetter(letter(DEMANDE_PIECES, "2026-05-12")
                                        .answeredBy(Answer.sent(d("2026-05-15"), d("2026-05-20")))),
                        "2026-05-02", "2026-09-25", "réponse de la commune du 25/07/2026"),
                new Case("a restart never shortens: 4-1 answered while the pieces were on their way",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")
                                        .answeredBy(Answer.sent(d("2026-06-25"), d("2026-07-01"))))
                                .withLetter(letter(LETTRE_OBSERVATIONS, "2026-05-20").answeredBy(Answer.sent(d("2026-05-25")))),
                        "2026-05-02", "2026-09-01", "réception des pièces par la préfecture le 01/07/2026"),
                // Rule 6: a déféré (5-1) stops the clock.
                new Case("5-1 stops the clock",
                        HOUDAN.withLetter(letter(DEFERE, "2026-06-10")),
                        "2026-05-02", null, "déféré au tribunal administratif le 10/06/2026 : le délai est sans objet"),
                new Case("5-1 while the pieces are awaited",
                        HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12")).withLetter(letter(DEFERE, "2026-08-10")),
                        "2026-05-02", null, "déféré au tribunal administratif le 10/08/2026"),
                // Rule 8: a cancelled acte says so; the dates still follow the facts.
                new Case("cancelled acte",
                        HOUDAN.withCancelled(true),
                        "2026-05-02", "2026-06-29", "acte annulé : " + FROM_RECEPTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theClockFollowsTheRules(Case c) {
        Result r = LegalClock.compute(c.facts());
        assertAll(
                () -> assertEquals(Optional.ofNullable(c.executoire()).map(LocalDate::parse), r.executoire(), "executoire"),
                () -> assertEquals(Optional.ofNullable(c.defereJusquau()).map(LocalDate::parse), r.defereJusquau(),
                        "defereJusquau"),
                () -> assertTrue(r.defereRule().contains(c.ruleContains()), () -> "defereRule: " + r.defereRule()));
    }

    @Test
    void deferralIsFlaggedOnlyWhenThePrefectureReferredTheActe() {
        assertTrue(LegalClock.compute(HOUDAN.withLetter(letter(DEFERE, "2026-06-10"))).defere());
        assertFalse(LegalClock.compute(HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-10"))).defere());
    }

    @Test
    void thirdPartiesCountFromPublicationForTheTribunalAndFromExecutoireForThePrefet() {
        // Published 02/05, received 10/05: exécutoire 10/05.
        Result r = LegalClock.compute(Facts.asOf(TODAY).receivedOn(d("2026-05-10")).publishedOn(d("2026-05-02")));
        assertEquals(Optional.of(d("2026-07-02")), r.recoursTiersJusquau());
        assertEquals(Optional.of(d("2026-07-10")), r.demandeDefereTiersJusquau());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("jusqu'au 02/07/2026") && n.contains("CJA art. R.421-1")),
                r.notes()::toString);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("jusqu'au 10/07/2026") && n.contains("CGCT art. L.2131-8")),
                r.notes()::toString);
    }

    @Test
    void thirdPartyDatesWaitForTheirStartingPoint() {
        Result published = LegalClock.compute(Facts.asOf(TODAY).notifiedOn(d("2026-05-02")));
        assertEquals(Optional.of(d("2026-07-02")), published.recoursTiersJusquau());
        assertEquals(Optional.empty(), published.demandeDefereTiersJusquau());
        Result received = LegalClock.compute(Facts.asOf(TODAY).receivedOn(d("2026-04-29")));
        assertEquals(Optional.empty(), received.recoursTiersJusquau());
        assertEquals(Optional.empty(), received.demandeDefereTiersJusquau());
    }

    @Test
    void missingFactsAreNamedInFrench() {
        assertEquals(List.of("la date de réception en préfecture (accusé de réception)",
                "la date de publication ou de notification"), LegalClock.compute(Facts.asOf(TODAY)).executoireMissing());
        assertEquals(List.of("la date de publication ou de notification"),
                LegalClock.compute(Facts.asOf(TODAY).receivedOn(d("2026-04-29"))).executoireMissing());
        assertEquals(List.of("la date de réception en préfecture (accusé de réception)"),
                LegalClock.compute(Facts.asOf(TODAY).publishedOn(d("2026-05-02"))).executoireMissing());
        assertEquals(List.of(), LegalClock.compute(HOUDAN).executoireMissing());
    }

    @Test
    void summaryLineForTheList() {
        assertEquals("exécutoire le 02/05/2026 ; déféré possible jusqu'au 29/06/2026 (indicatif)",
                LegalClock.compute(HOUDAN).summary());
        assertEquals("exécutoire le 02/05/2026 ; déféré possible jusqu'au 29/06/2026 (indicatif)",
                LegalClock.compute(withToday(HOUDAN, d("2026-06-29"))).summary(), "the last day is still open");
        assertEquals("exécutoire le 02/05/2026 ; délai de déféré expiré le 29/06/2026 (indicatif)",
                LegalClock.compute(withToday(HOUDAN, d("2026-06-30"))).summary());
        assertEquals("pas encore exécutoire : il manque la date de réception en préfecture (accusé de réception) et "
                + "la date de publication ou de notification ; délai de déféré non commencé (indicatif)",
                LegalClock.compute(Facts.asOf(TODAY)).summary());
        assertEquals("exécutoire le 02/05/2026 ; délai de déféré suspendu (indicatif)",
                LegalClock.compute(HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-05-12"))).summary());
        assertEquals("exécutoire le 02/05/2026 ; déféré au tribunal administratif le 10/06/2026 (indicatif)",
                LegalClock.compute(HOUDAN.withLetter(letter(DEFERE, "2026-06-10"))).summary());
        assertEquals("acte annulé ; exécutoire le 02/05/2026 ; déféré possible jusqu'au 29/06/2026 (indicatif)",
                LegalClock.compute(HOUDAN.withCancelled(true)).summary());
    }

    @Test
    void notesCiteTheSourcesAndSayTheDatesAreIndicative() {
        List<String> notes = LegalClock.compute(HOUDAN).notes();
        assertTrue(notes.stream().anyMatch(n -> n.contains("CGCT art. L.2131-1") && n.contains("(02/05/2026)")),
                notes::toString);
        assertTrue(notes.stream().anyMatch(n -> n.contains("fin des deux mois") && n.contains("indicative")),
                notes::toString);
        assertFalse(notes.stream().anyMatch(n -> n.contains("357031")), "no lettre d'observations, no CE 2013 note");
    }

    @Test
    void everyLettreObservationsBringsTheCe2013Note() {
        Result gracieux = LegalClock.compute(HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01")));
        assertTrue(gracieux.notes().stream().anyMatch(n -> n.contains("retirer ou de modifier l'acte")
                && n.contains("CE, 15 mai 2013, n° 357031")), gracieux.notes()::toString);
        Result explanations = LegalClock.compute(HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01").explanationsOnly()));
        assertTrue(explanations.notes().stream().anyMatch(n -> n.contains("du 01/06/2026 demande seulement des explications")
                && n.contains("ne prolonge pas") && n.contains("357031")), explanations.notes()::toString);
    }

    @Test
    void anUnansweredLettreObservationsSaysWhenItsImplicitRejectionIsBorn() {
        Facts facts = HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-06-01"));
        assertTrue(LegalClock.compute(withToday(facts, d("2026-07-31"))).notes().stream()
                .anyMatch(n -> n.contains("rejetée implicitement le 01/08/2026")));
        assertFalse(LegalClock.compute(withToday(facts, d("2026-08-01"))).notes().stream()
                .anyMatch(n -> n.contains("rejetée implicitement")), "once born, no answer can change it");
    }

    @Test
    void lettersWithoutEffectAreExplained() {
        Result late = LegalClock.compute(HOUDAN.withLetter(letter(DEMANDE_PIECES, "2026-06-30")));
        assertTrue(late.notes().stream().anyMatch(n -> n.contains("La demande de pièces du 30/06/2026")
                && n.contains("(29/06/2026)")), late.notes()::toString);
        Result lateDefere = LegalClock.compute(HOUDAN.withLetter(letter(DEFERE, "2026-07-10")));
        assertTrue(lateDefere.notes().stream().anyMatch(n -> n.contains("déféré du 10/07/2026 est daté après")),
                lateDefere.notes()::toString);
    }

    private static Facts withToday(Facts f, LocalDate today) {
        return new Facts(f.dateReception(), f.publication(), f.letters(), f.cancelled(), today);
    }

    @Test
    void theNoteOnObservationsComesOnlyWithALettreDObservations() {
        Result simple = LegalClock.compute(HOUDAN.withLetter(letter(COURRIER_SIMPLE, "2026-05-12")));
        assertTrue(simple.notes().stream().noneMatch(n -> n.startsWith("Seule une lettre d'observations")), simple.notes()::toString);
        Result observations = LegalClock.compute(HOUDAN.withLetter(letter(LETTRE_OBSERVATIONS, "2026-05-12")));
        assertTrue(observations.notes().stream().anyMatch(n -> n.startsWith("Seule une lettre d'observations")),
                observations.notes()::toString);
    }

    @Test
    void theDefereOfTheSummaryIsTheDefereNotAnEarlierLetter() {
        Result r = LegalClock.compute(HOUDAN.withLetter(letter(COURRIER_SIMPLE, "2026-05-05"))
                .withLetter(letter(DEFERE, "2026-05-20")));
        assertTrue(r.summary().contains("déféré au tribunal administratif le 20/05/2026"), r.summary());
    }

    @Test
    void theWordsPublicationAndNotificationAreTheRightOnes() {
        Result published = LegalClock.compute(HOUDAN);
        assertTrue(published.notes().stream().anyMatch(n -> n.contains(") et publication (02/05/2026)")), published.notes()::toString);
        Result notified = LegalClock.compute(Facts.asOf(TODAY).receivedOn(d("2026-04-29")).notifiedOn(d("2026-05-02")));
        assertTrue(notified.notes().stream().anyMatch(n -> n.contains(") et notification (02/05/2026)")), notified.notes()::toString);
        assertTrue(notified.notes().stream().anyMatch(n -> n.contains("deux mois après la notification du 02/05/2026")),
                notified.notes()::toString);
    }

    @Test
    void lettersBeforeTheReceptionIsKnownLeaveTheWindowNotStarted() {
        for (Letter.Kind kind : List.of(DEMANDE_PIECES, LETTRE_OBSERVATIONS)) {
            Result r = LegalClock.compute(Facts.asOf(TODAY).publishedOn(d("2026-05-02")).withLetter(letter(kind, "2026-05-12")));
            assertEquals(Optional.empty(), r.defereJusquau(), kind.name());
            assertTrue(r.defereRule().startsWith("délai non commencé"), kind + ": " + r.defereRule());
            assertTrue(r.summary().contains("délai de déféré non commencé"), kind + ": " + r.summary());
        }
    }
}
