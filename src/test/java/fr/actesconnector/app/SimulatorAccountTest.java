package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import fr.actesconnector.simulator.Right;

/** {@code simulator --account LOGIN:MOT_DE_PASSE:DROIT[:SIREN]}: each account bound to its collectivité. */
class SimulatorAccountTest {
    @Test
    void aSirenBindsTheAccountToItsCollectivite() {
        SimulatorCommand.AccountSpec maulette = SimulatorCommand.account("maulette:mdp-maulette:RW:217803816");
        assertEquals("maulette", maulette.login());
        assertEquals("mdp-maulette", maulette.password());
        assertEquals(Right.RW, maulette.right());
        assertEquals("217803816", maulette.authority().siren());
        assertEquals("078", maulette.authority().departement(), "the simulator's département");
        assertEquals(SimulatorCommand.HOUDAN, SimulatorCommand.account("houdan:x:CS:217803105").authority());
        assertEquals("maulette (RW, Collectivité 217803816, SIREN 217803816)", maulette.toString(), "never the password");
    }

    @Test
    void withoutSirenTheAccountIsHoudansAndThePasswordMayHoldColons() {
        SimulatorCommand.AccountSpec a = SimulatorCommand.account("agent:a:b:217803816:tt");
        assertEquals("a:b:217803816", a.password(), "9 digits before the right belong to the password");
        assertEquals(Right.TT, a.right());
        assertEquals(SimulatorCommand.HOUDAN, a.authority());
        SimulatorCommand.AccountSpec b = SimulatorCommand.account("agent:x:RW:CS:217803816");
        assertEquals("x:RW", b.password());
        assertEquals(Right.CS, b.right());
        assertEquals("217803816", b.authority().siren());
        SimulatorCommand.AccountSpec digits = SimulatorCommand.account("agent:123456789:RW");
        assertEquals("123456789", digits.password());
        assertEquals(SimulatorCommand.HOUDAN, digits.authority());
    }

    @Test
    void aWrongRightOrSirenIsRefusedInFrenchWithoutThePassword() {
        IllegalArgumentException right = assertThrows(IllegalArgumentException.class,
                () -> SimulatorCommand.account("agent:s3cret:XX:217803816"));
        assertEquals("--account attend LOGIN:MOT_DE_PASSE:DROIT[:SIREN] avec DROIT parmi RW, CS et TT (compte « agent »).",
                right.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimulatorCommand.account("agent:RW:217803816"),
                "the password field is required");
        IllegalArgumentException luhn = assertThrows(IllegalArgumentException.class,
                () -> SimulatorCommand.account("agent:s3cret:RW:217803817"));
        assertTrue(luhn.getMessage().startsWith("Compte « agent » (--account) : ") && luhn.getMessage().contains("Luhn"),
                luhn.getMessage());
        assertFalse(luhn.getMessage().contains("s3cret"));
    }
}
