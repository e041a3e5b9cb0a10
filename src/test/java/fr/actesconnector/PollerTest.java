package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.model.IdActe;

/** The AR's IDActe against the acte's: the French warning when they differ. */
class PollerTest {
    private static final IdActe MAULETTE = new IdActe("078-217803816-20260427-2026_DEC_001-CC");

    @Test
    void theSameIdActeWarnsOfNothing() {
        assertEquals(Optional.empty(), Poller.otherIdActe(MAULETTE, "078-217803816-20260427-2026_DEC_001-CC"));
        assertEquals(Optional.empty(), Poller.otherIdActe(MAULETTE, null), "no IDActe read: nothing to compare");
    }

    @Test
    void anotherSirenNamesBothIdentifiersAndTheSirenTheActeWentUnder() {
        assertEquals(Optional.of("L'accusé de réception porte l'identifiant 078-217803105-20260427-2026_DEC_001-CC et non "
                + "078-217803816-20260427-2026_DEC_001-CC : l'acte a été transmis sous le SIREN 217803105. Vérifiez le "
                + "compte TdT configuré pour cette collectivité."),
                Poller.otherIdActe(MAULETTE, "078-217803105-20260427-2026_DEC_001-CC"));
    }

    @Test
    void theSameSirenWithAnotherNumberOrDateIsWrongToo() {
        assertEquals(Optional.of("L'accusé de réception porte l'identifiant 078-217803816-20260428-2026_DEC_001-CC et non "
                + "078-217803816-20260427-2026_DEC_001-CC : la préfecture a enregistré l'acte sous un autre identifiant. "
                + "Vérifiez l'acte sur le TdT."), Poller.otherIdActe(MAULETTE, "078-217803816-20260428-2026_DEC_001-CC"));
        assertEquals(Optional.of("L'accusé de réception porte l'identifiant 078-217803816-20260427-2026_DEC_002-CC et non "
                + "078-217803816-20260427-2026_DEC_001-CC : la préfecture a enregistré l'acte sous un autre identifiant. "
                + "Vérifiez l'acte sur le TdT."), Poller.otherIdActe(MAULETTE, "078-217803816-20260427-2026_DEC_002-CC"));
    }
}
