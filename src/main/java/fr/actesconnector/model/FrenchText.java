package fr.actesconnector.model;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small rules of the French sentences people read: plurals, sentence ends, why a date is refused. */
public final class FrenchText {
    private static final Pattern ISO_DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");

    private FrenchText() {
    }

    /**
     * {@code n} and the noun, singular for 0 and 1 as French wants: « 1 caractère », « 2 caractères ».
     * {@code plural} is the noun's plural; most nouns take an « s ».
     */
    public static String count(long n, String singular, String plural) {
        return n + " " + (Math.abs(n) < 2 ? singular : plural);
    }

    /** As {@link #count(long, String, String)} for a noun whose plural takes an « s ». */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** {@code text} ended by a full stop, unless it already ends with one (or « … », « ? », « ! »). */
    public static String endSentence(String text) {
        String t = text.stripTrailing();
        if (t.isEmpty() || t.endsWith(".") || t.endsWith("…") || t.endsWith("?") || t.endsWith("!")) return t;
        return t + ".";
    }

    /** {@code text} without the full stop that ends it (an ellipsis « ... » stays), to be continued by another clause. */
    public static String withoutFinalStop(String text) {
        String t = text.stripTrailing();
        return t.endsWith(".") && !t.endsWith("..") ? t.substring(0, t.length() - 1).stripTrailing() : t;
    }

    /** The day written {@code AAAA-MM-JJ} (surrounding blanks ignored), if it is one that exists. */
    public static Optional<LocalDate> isoDate(String text) {
        Matcher m = ISO_DATE.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@code text} is no {@code AAAA-MM-JJ} date, completing « La date « … » »: « n'existe pas : février
     * 2026 compte 28 jours » for a well-written day that the calendar lacks, else « n'est pas au format
     * AAAA-MM-JJ ». No final stop. For a real date, empty.
     */
    public static Optional<String> whyNotADate(String text) {
        if (isoDate(text).isPresent()) return Optional.empty();
        Matcher m = ISO_DATE.matcher(text.strip());
        if (!m.matches()) return Optional.of("n'est pas au format AAAA-MM-JJ");
        int month = Integer.parseInt(m.group(2));
        if (month < 1 || month > 12) {
            return Optional.of("n'existe pas : il n'y a pas de mois " + m.group(2) + ", les mois vont de 01 à 12");
        }
        YearMonth ym = YearMonth.of(Integer.parseInt(m.group(1)), month);
        return Optional.of("n'existe pas : " + Month.of(month).getDisplayName(TextStyle.FULL, Locale.FRENCH) + " "
                + ym.getYear() + " compte " + count(ym.lengthOfMonth(), "jour"));
    }
}
