package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.testing.MutableClock;

/** The sign-in form's token: valid only signed here, for the browser's own cookie, before it expires. */
class SignInTokensTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));
    private final SignInTokens tokens = new SignInTokens(new SecureRandom(), clock, Duration.ofHours(12));

    @Test
    void aTokenHoldsForItsCookieOnlyUntilItExpires() {
        String nonce = tokens.nonce(Optional.empty());
        String token = tokens.token(nonce);
        assertTrue(tokens.valid(Optional.of(nonce), token));
        assertEquals(nonce, tokens.nonce(Optional.of(nonce)), "the browser's nonce is kept: its other forms stay valid");
        String other = tokens.nonce(Optional.of("not a nonce"));
        assertNotEquals(nonce, other);
        assertFalse(tokens.valid(Optional.of(other), token), "another browser's cookie");
        assertFalse(tokens.valid(Optional.empty(), token), "no cookie");
        assertFalse(tokens.valid(Optional.of(nonce), token.substring(0, token.length() - 2) + "AA"), "signature changed");
        String[] parts = token.split("\\.");
        assertFalse(tokens.valid(Optional.of(nonce), parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2]),
                "expiry pushed back");
        assertFalse(new SignInTokens(new SecureRandom(), clock, Duration.ofHours(12)).valid(Optional.of(nonce), token),
                "signed with another key (another start)");
        clock.advance(Duration.ofHours(12));
        assertFalse(tokens.valid(Optional.of(nonce), token), "expired");
    }

    @Test
    void aTokenCutOrPaddedIsRefused() {
        assertEquals(Duration.ofHours(12), tokens.lifetime());
        String nonce = tokens.nonce(Optional.empty());
        String token = tokens.token(nonce);
        String[] parts = token.split("\\.");
        assertFalse(tokens.valid(Optional.of(nonce), parts[0] + "." + parts[1]), "without its signature");
        assertFalse(tokens.valid(Optional.of(nonce), token + ".x"), "a fourth part");
        assertFalse(tokens.valid(Optional.of(nonce), null), "no token");
        assertFalse(tokens.valid(Optional.of("court"), tokens.token("court")), "a cookie that is not a nonce");
        for (String expiry : new String[] {"", "demain", "99999999999999999999", "1e9", parts[1] + " "}) {
            assertFalse(tokens.valid(Optional.of(nonce), parts[0] + "." + expiry + "." + parts[2]),
                    "an expiry that is not a number is refused, not thrown: " + expiry);
        }
    }
}
