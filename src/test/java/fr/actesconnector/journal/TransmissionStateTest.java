package fr.actesconnector.journal;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Optional;

import static fr.actesconnector.journal.TransmissionState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransmissionStateTest {

    /**
     * The whole transition table, written out: every (from, to) pair not listed here must be refused.
     * A change to the state machine changes this table on purpose, never by accident.
     */
    private static final java.util.Map<TransmissionState, EnumSet<TransmissionState>> TABLE = java.util.Map.ofEntries(
            java.util.Map.entry(PREPARED, EnumSet.of(POSTING, ERROR)),
            java.util.Map.entry(POSTING, EnumSet.of(PREPARED, HELD, POSTED, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED)),
            java.util.Map.entry(HELD, EnumSet.of(POSTED, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED)),
            java.util.Map.entry(POSTED, EnumSet.of(HELD, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED)),
            java.util.Map.entry(VALIDATED, EnumSet.of(TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED)),
            java.util.Map.entry(TRANSMITTED, EnumSet.of(ACKNOWLEDGED, ERROR, REJECTED)),
            java.util.Map.entry(ACKNOWLEDGED, EnumSet.of(CANCEL_REQUESTED, CANCELLED)),
            java.util.Map.entry(CANCEL_REQUESTED, EnumSet.of(CANCELLED, ACKNOWLEDGED)),
            java.util.Map.entry(CANCELLED, EnumSet.noneOf(TransmissionState.class)),
            java.util.Map.entry(ERROR, EnumSet.of(REJECTED)),
            java.util.Map.entry(REJECTED, EnumSet.noneOf(TransmissionState.class)));

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.MethodSource("everyPair")
    void theWholeTransitionTable(TransmissionState from, TransmissionState to) {
        assertEquals(TABLE.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyPair() {
        assertEquals(values().length, TABLE.size(), "every state has its row");
        return java.util.Arrays.stream(values()).flatMap(from -> java.util.Arrays.stream(values())
                .map(to -> org.junit.jupiter.params.provider.Arguments.of(from, to)));
    }

    @Test
    void tdtStatusCodesMapToStates() {
        assertEquals(Optional.of(ERROR), fromTdtStatus(-1));
        assertEquals(Optional.of(CANCELLED), fromTdtStatus(0));
        assertEquals(Optional.of(POSTED), fromTdtStatus(1));
        assertEquals(Optional.of(VALIDATED), fromTdtStatus(2));
        assertEquals(Optional.of(TRANSMITTED), fromTdtStatus(3));
        assertEquals(Optional.of(ACKNOWLEDGED), fromTdtStatus(4));
        assertEquals(Optional.of(HELD), fromTdtStatus(17));
        for (int afterAr : new int[] {5, 12, 13, 14, 15, 16, 19, 20, 22}) {
            assertEquals(Optional.of(ACKNOWLEDGED), fromTdtStatus(afterAr), "status " + afterAr);
        }
        for (int incoming : new int[] {7, 8, 9, 10, 11, 21, 99, -2}) {
            assertEquals(Optional.empty(), fromTdtStatus(incoming), "status " + incoming);
        }
    }

    @Test
    void everyStateWithACodeMapsBackToItself() {
        for (TransmissionState s : values()) {
            s.tdtStatus().ifPresent(code -> assertEquals(Optional.of(s), fromTdtStatus(code), s.name()));
        }
    }

    @Test
    void forwardJumpsAreAllowedAlongTheMainLine() {
        assertTrue(POSTED.canMoveTo(ACKNOWLEDGED));
        assertTrue(HELD.canMoveTo(TRANSMITTED));
        assertTrue(POSTING.canMoveTo(VALIDATED));
        assertTrue(ACKNOWLEDGED.canMoveTo(CANCEL_REQUESTED));
        assertTrue(CANCEL_REQUESTED.canMoveTo(CANCELLED));
        assertTrue(ERROR.canMoveTo(REJECTED));
    }

    @Test
    void backwardMovesAreRefusedExceptTheTwoRecoveries() {
        assertTrue(POSTING.canMoveTo(PREPARED));
        assertTrue(CANCEL_REQUESTED.canMoveTo(ACKNOWLEDGED));
        assertFalse(POSTED.canMoveTo(POSTING));
        assertFalse(TRANSMITTED.canMoveTo(VALIDATED));
        assertFalse(ACKNOWLEDGED.canMoveTo(ERROR));
        assertFalse(PREPARED.canMoveTo(POSTED), "a post must be announced by POSTING first");
        assertFalse(POSTED.canMoveTo(CANCEL_REQUESTED), "only an acknowledged acte can be cancelled");
        for (TransmissionState s : values()) assertFalse(s.canMoveTo(s), s.name());
    }

    @Test
    void finalAndPendingStates() {
        assertEquals(EnumSet.of(CANCELLED, REJECTED),
                EnumSet.copyOf(java.util.Arrays.stream(values()).filter(TransmissionState::isFinal).toList()));
        assertEquals(EnumSet.of(POSTING, HELD, POSTED, VALIDATED, TRANSMITTED, CANCEL_REQUESTED),
                EnumSet.copyOf(java.util.Arrays.stream(values()).filter(TransmissionState::isPending).toList()));
    }

    @Test
    void staleStatusesAreRecognisedAsBehind() {
        assertTrue(CANCEL_REQUESTED.isAhead(ACKNOWLEDGED));
        assertTrue(ACKNOWLEDGED.isAhead(TRANSMITTED));
        assertTrue(REJECTED.isAhead(ERROR));
        assertFalse(ACKNOWLEDGED.isAhead(ERROR));
        assertFalse(POSTED.isAhead(ACKNOWLEDGED));
        assertFalse(ERROR.isAhead(REJECTED));
    }

    @Test
    void anActeRecordedPostedOnTheOkMayTurnOutHeld() {
        // S²LOW's OK comes before its first status, which is 17 for a CS-only account (actes_transac_create.php)
        assertTrue(POSTED.canMoveTo(HELD));
        assertFalse(POSTED.isAhead(HELD), "17 after the OK is news, not a stale status");
        assertTrue(VALIDATED.isAhead(HELD));
        assertEquals("En attente de validation sur le TdT par un agent télétransmetteur", HELD.label());
    }

    @Test
    void labelsAreFrench() {
        assertEquals("Accusé de réception reçu", ACKNOWLEDGED.label());
        assertEquals("Rejeté par la préfecture", REJECTED.label());
    }

    @Test
    void eachStateTellsTheTdtStatusItStandsFor() {
        java.util.Map<TransmissionState, Optional<Integer>> expected = new java.util.EnumMap<>(java.util.Map.ofEntries(
                java.util.Map.entry(PREPARED, Optional.empty()), java.util.Map.entry(POSTING, Optional.empty()),
                java.util.Map.entry(HELD, Optional.of(17)), java.util.Map.entry(POSTED, Optional.of(1)),
                java.util.Map.entry(VALIDATED, Optional.of(2)), java.util.Map.entry(TRANSMITTED, Optional.of(3)),
                java.util.Map.entry(ACKNOWLEDGED, Optional.of(4)), java.util.Map.entry(CANCEL_REQUESTED, Optional.empty()),
                java.util.Map.entry(CANCELLED, Optional.of(0)), java.util.Map.entry(ERROR, Optional.of(-1)),
                java.util.Map.entry(REJECTED, Optional.empty())));
        for (TransmissionState s : values()) assertEquals(expected.get(s), s.tdtStatus(), s.name());
    }

    @Test
    void anErrorOrARejectionIsNeverAheadOfTheAr() {
        assertFalse(REJECTED.isAhead(ACKNOWLEDGED), "an AR after an anomaly is news");
        assertFalse(ERROR.isAhead(ACKNOWLEDGED), "an AR after -1 is news");
        assertTrue(REJECTED.isAhead(TRANSMITTED));
        assertTrue(ERROR.isAhead(TRANSMITTED));
    }
}
