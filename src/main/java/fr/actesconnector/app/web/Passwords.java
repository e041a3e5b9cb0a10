package fr.actesconnector.app.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (BouncyCastle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, with a random 16-byte salt per hash. Parameters are
 * OWASP's minimum for Argon2id; they are read back from each stored string, so they can be raised later
 * without invalidating existing accounts. Thread-safe.
 */
public final class Passwords {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Refuses stored strings that would make verification a denial of service. */
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 20;
    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random;
    /** Hash of a random password, checked when the login is unknown so that both paths cost the same. */
    private final String decoy;

    public Passwords(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
        char[] junk = new char[24];
        for (int i = 0; i < junk.length; i++) junk[i] = (char) ('a' + random.nextInt(26));
        this.decoy = hash(junk);
    }

    /**
     * A short fingerprint of a stored hash: a session keeps the one it signed in with, so that a password changed
     * or reset elsewhere ends it without the session holding the hash itself.
     */
    static String fingerprint(String stored) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(d, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * True when {@code password} matches {@code stored}; the comparison is constant-time. An unreadable
     * stored string never matches.
     */
    public boolean verify(char[] password, String stored) {
        Objects.requireNonNull(password, "password");
        Matcher m = PHC.matcher(Objects.requireNonNull(stored, "stored"));
        if (!m.matches()) return false;
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (memory < 8 || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS || parallelism < 1) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64D.decode(m.group(4));
            expected = B64D.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (expected.length < 16 || expected.length > 64) return false;
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of a real verification; used when the login is unknown. */
    public void verifyDecoy(char[] password) {
        verify(password, decoy);
    }

    private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
