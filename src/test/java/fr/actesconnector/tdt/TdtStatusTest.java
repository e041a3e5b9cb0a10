package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
}
