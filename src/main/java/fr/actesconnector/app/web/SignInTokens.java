package fr.actesconnector.app.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, kept by nobody: a random nonce in a cookie of its own, and in the form
 * the same nonce with an expiry, signed (HMAC-SHA256) with a key drawn at start. A sign-in is accepted
 * only with a token signed here, unexpired, whose nonce is the one of the browser's cookie (a token taken
 * from another browser does not match its cookie).
 *
 * <p>Why not a session: anonymous sessions had to be bounded in memory, and a flood of requests to the
 * sign-in page then evicted the forms other people had open. Nothing is stored here, so a flood has
 * nothing to evict; a restart only asks to reload the form (as for sessions). Thread-safe.
 */
final class SignInTokens {
    static final String COOKIE = "actes_connexion";
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final Clock clock;
    private final Duration lifetime;
    private final SecretKeySpec key;
    private final SecureRandom random;

    SignInTokens(SecureRandom random, Clock clock, Duration lifetime) {
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    Duration lifetime() {
        return lifetime;
    }

    /** The browser's nonce when its cookie holds a well-formed one, else a new one. */
    String nonce(Optional<String> cookie) {
        if (cookie.isPresent() && NONCE.matcher(cookie.get()).matches()) return cookie.get();
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The form's token for this nonce: {@code nonce.expiry.signature}. */
    String token(String nonce) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        String payload = nonce + "." + expires;
        return payload + "." + sign(payload);
    }

    /** Whether {@code token} was signed here for the nonce of {@code cookie} and has not expired. */
    boolean valid(Optional<String> cookie, String token) {
        if (cookie.isEmpty() || token == null || !NONCE.matcher(cookie.get()).matches()) return false;
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return false;
        String payload = parts[0] + "." + parts[1];
        boolean signed = MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
        boolean same = MessageDigest.isEqual(cookie.get().getBytes(StandardCharsets.US_ASCII),
                parts[0].getBytes(StandardCharsets.US_ASCII));
        if (!signed || !same) return false;
        // Parsed only once signed: the payload is then one token() wrote, so parts[1] is its number.
        return clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(parts[1])));
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
