package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(new SecureRandom());

    @Test
    void hashIsArgon2idWithAFreshSaltAndVerifiesOnlyTheRightPassword() {
        String a = passwords.hash("phrase de passe du secretariat".toCharArray());
        String b = passwords.hash("phrase de passe du secretariat".toCharArray());
        assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
        assertNotEquals(a, b, "per-hash salt");
        assertTrue(passwords.verify("phrase de passe du secretariat".toCharArray(), a));
        assertTrue(passwords.verify("phrase de passe du secretariat".toCharArray(), b));
        assertFalse(passwords.verify("phrase de passe du secretariaT".toCharArray(), a));
        assertFalse(passwords.verify("".toCharArray(), a));
    }

    @Test
    void unreadableOrAbusiveStoredStringsNeverMatch() {
        assertFalse(passwords.verify("x".toCharArray(), "not a hash"));
        assertFalse(passwords.verify("x".toCharArray(), "$argon2id$v=19$m=99999999,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertFalse(passwords.verify("x".toCharArray(), "$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }
}
