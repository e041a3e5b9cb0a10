package fr.actesconnector.app.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which new passwords are refused, and why, in French: too short, among the most common ones (even decorated
 * with digits and signs, or with a few letters written as digits), a repeated pattern, a predictable run
 * (consecutive characters, neighbouring keys, one character repeated), or holding the login, the person's name
 * or the collectivité's name. Length alone lets "motdepasse2024" and "azertyazerty" through; these are the
 * first guesses of anyone who tries. Thread-safe.
 */
public final class PasswordPolicy {
    /** The minimum length asked of new passwords. */
    public static final int MIN_LENGTH = 12;
    /**
     * Fewer characters than this that do not follow from the previous one, or fewer different characters, make
     * a predictable password.
     */
    static final int MIN_UNPREDICTABLE = 5;
    private static final String COMMON = "/security/mots-de-passe-courants.txt";
    private static final String ADVICE = " Une phrase de plusieurs mots sans rapport entre eux convient.";
    private static final List<String> KEYBOARD_ROWS = List.of("azertyuiop", "qsdfghjklm", "wxcvbn", "qwertyuiop",
            "asdfghjkl", "zxcvbnm", "1234567890");
    /** Words of a collectivité's name that say nothing of it. */
    private static final Set<String> GENERIC = Set.of("commune", "communes", "ville", "mairie", "syndicat",
            "intercommunal", "intercommunale", "communaute", "agglomeration", "metropole", "departement", "region",
            "conseil", "centre", "communal", "communale", "action", "sociale", "etablissement", "public", "publique",
            "cooperation", "sivom", "sivu", "ccas", "pays", "saint", "sainte");

    private static final class Holder {
        static final PasswordPolicy DEFAULT = new PasswordPolicy(readCommon());
    }

    private final Set<String> common;

    PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    /** The policy with the bundled list of common passwords. */
    public static PasswordPolicy standard() {
        return Holder.DEFAULT;
    }

    /**
     * French reason why {@code password} may not be set for the account {@code login} (whose person is
     * {@code fullName}) of the collectivité {@code collectivite}, if it may not.
     */
    public Optional<String> weakness(char[] password, String login, Optional<String> fullName, String collectivite) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(collectivite, "collectivite");
        if (password.length < MIN_LENGTH) {
            return Optional.of("Le mot de passe doit compter au moins " + MIN_LENGTH + " caractères (une phrase courte "
                    + "de plusieurs mots convient).");
        }
        String plain = normalize(new String(password));
        List<String> variants = List.of(plain, unLeet(plain));
        for (String v : variants) {
            Optional<String> word = commonWord(v);
            if (word.isPresent()) {
                return Optional.of("Ce mot de passe fait partie des plus courants (« " + word.get() + " »), même avec des "
                        + "chiffres ou des signes autour : c'est ce qu'on essaie en premier." + ADVICE);
            }
        }
        for (String v : variants) {
            String squeezed = v.replaceAll("[^a-z0-9]", "");
            if (contains(squeezed, normalize(login.trim()).replaceAll("[^a-z0-9]", ""), 4)
                    || words(login).stream().anyMatch(w -> contains(squeezed, w, 4))) {
                return Optional.of("Le mot de passe contient votre identifiant : il se devinerait facilement." + ADVICE);
            }
            if (fullName.map(PasswordPolicy::words).orElse(List.of()).stream().anyMatch(w -> contains(squeezed, w, 4))) {
                return Optional.of("Le mot de passe contient votre nom : il se devinerait facilement." + ADVICE);
            }
            for (String w : words(collectivite)) {
                if (!GENERIC.contains(w) && contains(squeezed, w, 4)) {
                    return Optional.of("Le mot de passe contient le nom de la collectivité (« " + w + " ») : c'est ce "
                            + "qu'on essaie en premier pour une mairie." + ADVICE);
                }
            }
        }
        Optional<String> unit = repeatedUnit(plain).or(() -> repeatedUnit(core(plain).orElse("")));
        if (unit.isPresent()) {
            return Optional.of("Ce mot de passe répète le même motif (« " + unit.get() + " ») : il se devine aussi vite "
                    + "que le motif seul." + ADVICE);
        }
        if (unpredictable(plain) < MIN_UNPREDICTABLE || plain.chars().distinct().count() < MIN_UNPREDICTABLE) {
            return Optional.of("Ce mot de passe est une suite trop prévisible (caractères qui se suivent, touches voisines "
                    + "du clavier ou caractère répété)." + ADVICE);
        }
        return Optional.empty();
    }

    /** The common password {@code v} is, or decorates with digits and signs around its letters. */
    private Optional<String> commonWord(String v) {
        if (common.contains(v)) return Optional.of(v);
        String squeezed = v.replaceAll("[\\s._-]", "");
        if (common.contains(squeezed)) return Optional.of(squeezed);
        return core(v).filter(c -> c.length() >= 3 && common.contains(c));
    }

    /** The letters of {@code v} when they form one run (the rest is before or after them), else empty. */
    private static Optional<String> core(String v) {
        String letters = v.replaceAll("[^a-z]", "");
        return !letters.isEmpty() && v.contains(letters) ? Optional.of(letters) : Optional.empty();
    }

    /** The shortest pattern {@code v} is made of, repeated at least twice. */
    static Optional<String> repeatedUnit(String v) {
        int n = v.length();
        for (int u = 1; u <= n / 2; u++) {
            if (n % u == 0 && v.substring(0, u).repeat(n / u).equals(v)) return Optional.of(v.substring(0, u));
        }
        return Optional.empty();
    }

    /** How many characters do not follow from the one before (same, next or previous, neighbouring key). */
    static int unpredictable(String v) {
        int count = 0;
        for (int i = 0; i < v.length(); i++) {
            if (i == 0 || !follows(v.charAt(i - 1), v.charAt(i))) count++;
        }
        return count;
    }

    private static boolean follows(char prev, char c) {
        if (c == prev || Math.abs(c - prev) == 1 && Character.isLetterOrDigit(c) && Character.isLetterOrDigit(prev)) {
            return true;
        }
        for (String row : KEYBOARD_ROWS) {
            int i = row.indexOf(prev);
            if (i >= 0 && (i > 0 && row.charAt(i - 1) == c || i + 1 < row.length() && row.charAt(i + 1) == c)) return true;
        }
        return false;
    }

    private static boolean contains(String text, String word, int minLength) {
        return word.length() >= minLength && text.contains(word);
    }

    /** The words of a name or login, normalized, of 4 letters or more. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : normalize(text).split("[^a-z0-9]+")) if (w.length() >= 4) words.add(w);
        return words;
    }

    /** Lowercase, accents removed. */
    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    }

    /** Digits and signs written for letters ({@code m0tdep@sse}), when they sit between two letters. */
    static String unLeet(String v) {
        StringBuilder b = new StringBuilder(v);
        for (int i = 1; i + 1 < v.length(); i++) {
            char c = v.charAt(i);
            char letter = switch (c) {
                case '0' -> 'o';
                case '1', '!' -> 'i';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                case '8' -> 'b';
                default -> c;
            };
            if (letter != c && Character.isLetter(v.charAt(i - 1)) && Character.isLetter(v.charAt(i + 1))) {
                b.setCharAt(i, letter);
            }
        }
        return b.toString();
    }

    private static Set<String> readCommon() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON)) {
            if (in == null) throw new IllegalStateException("missing resource " + COMMON);
            Set<String> words = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) words.add(normalize(w));
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
