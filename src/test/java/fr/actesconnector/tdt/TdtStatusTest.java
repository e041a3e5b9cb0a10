package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TdtStatusTest {
    @Test
    void labelsFollowTheS2lowTable() {
        assertEquals("Acquittement reçu", TdtStatus.labelOf(4));
        assertEquals("En attente d'être postée", TdtStatus.labelOf(17));
        assertEquals("Erreur", TdtStatus.labelOf(-1));
        assertEquals("Statut inconnu (99)", TdtStatus.labelOf(99));
    }

    @Test
    void everyCodeFromMinusOneTo22IsKnownOnce() {
        Set<Integer> codes = new HashSet<>();
        for (TdtStatus s : TdtStatus.values()) assertTrue(codes.add(s.code()));
        for (int c = -1; c <= 22; c++) assertTrue(codes.contains(c), "code " + c);
    }

    @Test
    void archivingStatesMeanTheArIsThere() {
        assertTrue(TdtStatus.ARCHIVE_SAE.isAcknowledged());
        assertTrue(TdtStatus.VALIDE.isAcknowledged());
        assertFalse(TdtStatus.TRANSMIS.isAcknowledged());
        assertTrue(TdtStatus.TRANSMIS.isPending());
        assertFalse(TdtStatus.ERREUR.isPending());
    }

    @Test
    void statusFourIsTheArAndIsNoLongerPolledFor() {
        TdtStatus four = TdtStatus.ofCode(4).orElseThrow(() -> new AssertionError("status 4 is known"));
        assertEquals(TdtStatus.ACQUITTEMENT_RECU, four, "4 is « Acquittement reçu » in S²LOW's actes_status");
        assertTrue(four.isAcknowledged(), "status 4 means the prefecture's AR is there");
        assertFalse(four.isPending(), "status 4 must not be polled for again as if the AR were still awaited");
        assertFalse(four.isError(), "status 4 is no error");
    }

    /** Every code S²LOW sets, and what the poller makes of it: keep asking, the AR is there, or an error. */
    @ParameterizedTest(name = "status {0}: pending {1}, acknowledged {2}, error {3}")
    @CsvSource({
            "-1, false, false, true",
            "0, false, false, false",
            "1, true, false, false",
            "2, true, false, false",
            "3, true, false, false",
            "4, false, true, false",
            "5, false, true, false",
            "6, false, false, false",
            "7, false, false, false",
            "8, false, false, false",
            "9, false, false, false",
            "10, false, false, false",
            "11, false, false, false",
            "12, false, true, false",
            "13, false, true, false",
            "14, false, true, false",
            "15, false, true, false",
            "16, false, true, false",
            "17, true, false, false",
            "18, false, false, false",
            "19, false, true, false",
            "20, false, true, false",
            "21, false, false, false",
            "22, false, true, false"})
    void everyStatusIsPendingAcknowledgedOrErrorAsS2lowMeansIt(int code, boolean pending, boolean acknowledged, boolean error) {
        TdtStatus s = TdtStatus.ofCode(code).orElseThrow(() -> new AssertionError("status " + code + " is known"));
        assertEquals(code, s.code(), s.name());
        assertEquals(pending, s.isPending(), "status " + code + " (" + s.label() + ") pending");
        assertEquals(acknowledged, s.isAcknowledged(), "status " + code + " (" + s.label() + ") acknowledged");
        assertEquals(error, s.isError(), "status " + code + " (" + s.label() + ") error");
    }
}
