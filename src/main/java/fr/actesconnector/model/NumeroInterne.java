package fr.actesconnector.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The collectivité's internal number of an acte. TdTs (S²LOW) accept only
 * {@code ^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$}; council numbers such as {@code 2026-DEC-020} are
 * normalised to {@code 2026_DEC_020}, as the seed's prefecture acknowledged it.
 */
public final class NumeroInterne {
    public static final Pattern PATTERN = Pattern.compile("^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$");
    public static final int MAX_LENGTH = 15;

    private NumeroInterne() {
    }

    /**
     * Transliterates accents, uppercases, turns every character outside {@code [A-Z0-9_]} into
     * {@code _} and trims leading/trailing {@code _}. The result may still be invalid (empty, too long).
     */
    public static String normalize(String raw) {
        String s = Latin1Text.transliterate(raw == null ? "" : raw.trim());
        s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        s = s.replace("ß", "SS").replace("Æ", "AE").replace("æ", "AE").replace("Ø", "O").replace("ø", "O");
        s = s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return s.replaceAll("^_+", "").replaceAll("_+$", "");
    }

    public static boolean isValid(String normalized) {
        return normalized != null && PATTERN.matcher(normalized).matches();
    }
}
