package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Each rule of the password policy refuses with its French reason; a good passphrase goes through. */
class PasswordPolicyTest {
    private static final String HOUDAN = "Commune de Houdan";
    private final PasswordPolicy policy = PasswordPolicy.standard();

    private Optional<String> weakness(String password) {
        return policy.weakness(password.toCharArray(), "marie.dupont", Optional.of("Marie-Hélène Dupont"), HOUDAN);
    }

    private void refused(String password, String reason) {
        Optional<String> w = weakness(password);
        assertTrue(w.isPresent(), password + " should be refused");
        assertTrue(w.get().contains(reason), password + ": " + w.get());
    }

    @Test
    void aPassphraseOfUnrelatedWordsIsAccepted() {
        assertEquals(Optional.empty(), weakness("girafe bleue sous la pluie"));
        assertEquals(Optional.empty(), weakness("Tr0ub4dor&3x!"));
        assertEquals(Optional.empty(), policy.weakness("phrase de passe du secretariat".toCharArray(), "accueil",
                Optional.empty(), HOUDAN));
    }

    @Test
    void onlyADigitOrSignBetweenTwoLettersIsReadAsALetter() {
        assertEquals("motdepasse", PasswordPolicy.unLeet("m0tdep@sse"));
        // a letter on one side only: a digit that ends or starts a word stays a digit
        assertEquals("soleil3 2024", PasswordPolicy.unLeet("soleil3 2024"));
        assertEquals("2024 3soleil", PasswordPolicy.unLeet("2024 3soleil"));
    }

    @Test
    void shortPasswordsAreRefused() {
        refused("court", "au moins 12 caractères");
        refused("Xq7#kP2!mZ9", "au moins 12 caractères");
    }

    @Test
    void commonPasswordsAreRefusedEvenDecoratedOrWrittenWithDigits() {
        refused("motdepasse2024", "fait partie des plus courants (« motdepasse »)");
        refused("Azerty123456!", "fait partie des plus courants (« azerty »)");
        refused("2026-Soleil-!!", "fait partie des plus courants (« soleil »)");
        refused("M0tDeP@sse!!", "fait partie des plus courants (« motdepasse »)");
        refused("mot de passe", "fait partie des plus courants (« motdepasse »)");
        refused("Password1234", "fait partie des plus courants (« password »)");
    }

    @Test
    void theLoginTheNameAndTheCollectiviteAreRefusedInside() {
        refused("bonne-marie.dupont-2026", "contient votre identifiant");
        refused("le jardin de dupont en mai", "contient votre identifiant");
        refused("vive Hélène et ses chats", "contient votre nom");
        refused("la mairie de HOUDAN en mai", "contient le nom de la collectivité (« houdan »)");
        refused("h0udan est une belle ville", "contient le nom de la collectivité (« houdan »)");
        assertEquals(Optional.empty(), policy.weakness("la commune vote son budget".toCharArray(), "accueil",
                Optional.empty(), HOUDAN), "the generic words of the name are not refused");
    }

    @Test
    void repeatedPatternsAreRefused() {
        refused("azertyazerty", "répète le même motif (« azerty »)");
        refused("chatchatchatchat", "répète le même motif (« chat »)");
        refused("zebrezebre2024", "répète le même motif (« zebre »)");
    }

    @Test
    void predictableRunsAreRefused() {
        refused("abcdefghijklmn", "suite trop prévisible");
        refused("123456789012", "suite trop prévisible");
        refused("aaaaaaaaaaaab", "suite trop prévisible");
        refused("qsdfghjklmwxc", "suite trop prévisible");
        refused("lo lo lo lo lo", "suite trop prévisible");
        refused("azertyuiopqsdf", "suite trop prévisible");
    }

    @Test
    void aLongCommonPasswordAndAShortOneDecoratedAreRefused() {
        refused("administrateur", "fait partie des plus courants (« administrateur »)");
        refused("Mer-2024-2025!", "fait partie des plus courants (« mer »)");
    }

    @Test
    void aFourLetterLoginOrNameInsideIsRefused() {
        assertTrue(policy.weakness("le chat de paul dort".toCharArray(), "accueil", Optional.of("Paul Durand"), HOUDAN)
                .orElseThrow().contains("contient votre nom"));
        assertTrue(policy.weakness("la tour de eric est haute".toCharArray(), "eric", Optional.empty(), HOUDAN)
                .orElseThrow().contains("contient votre identifiant"));
    }

    /** Keys that neighbour the first key of a keyboard row (a–z, q–s, w–x) are a walk too. */
    @Test
    void aWalkFromTheFirstKeysOfTheRowsIsRefused() {
        refused("wxqsazwxcvbn", "suite trop prévisible");
    }

    /** Exactly five unpredictable characters, or five different ones, are enough. */
    @Test
    void fiveUnpredictableOrDifferentCharactersAreEnough() {
        assertEquals(5, PasswordPolicy.unpredictable("abcghimnostuz"));
        assertEquals(Optional.empty(), weakness("abcghimnostuz"));
        refused("abcghimnostu", "suite trop prévisible");
        assertEquals(5, "aqmzpaqmzpaq".chars().distinct().count());
        assertEquals(Optional.empty(), weakness("aqmzpaqmzpaq"));
    }
}
