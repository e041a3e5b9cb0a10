package fr.actesconnector.app.web;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The page's days: shown JJ/MM/AAAA, typed JJ/MM/AAAA (or J/M/AAAA) or AAAA-MM-JJ. */
final class Dates {
    static final String HINT = "JJ/MM/AAAA";
    private static final Pattern FRENCH = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd/MM/uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    private Dates() {
    }

    /** The day typed, when it is one. */
    static Optional<LocalDate> parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher f = FRENCH.matcher(t);
        Matcher i = ISO.matcher(t);
        try {
            if (f.matches()) return Optional.of(LocalDate.of(num(f, 3), num(f, 2), num(f, 1)));
            if (i.matches()) return Optional.of(LocalDate.of(num(i, 1), num(i, 2), num(i, 3)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Written like a date (JJ/MM/AAAA or AAAA-MM-JJ) but no such day (30/02/2026): "n'existe pas", not "format". */
    static boolean shapedButImpossible(String text) {
        String t = text == null ? "" : text.trim();
        return (FRENCH.matcher(t).matches() || ISO.matcher(t).matches()) && parse(t).isEmpty();
    }

    /** Why {@code text} is not a day, in French; {@code example} is a day of the same kind. */
    static String problem(String text, String example) {
        if (shapedButImpossible(text)) return "La date « " + text.trim() + " » n'existe pas : vérifiez le jour et le mois.";
        return "La date « " + text.trim() + " » n'est pas une date au format " + HINT + " (ex. " + example + ") ou AAAA-MM-JJ.";
    }

    static String show(LocalDate day) {
        return SHOWN.format(day);
    }

    /** As the user typed it when it is not a day; else shown JJ/MM/AAAA. */
    static String shown(String typed) {
        return parse(typed).map(Dates::show).orElse(typed == null ? "" : typed.trim());
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}
