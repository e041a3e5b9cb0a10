package fr.actesconnector.model;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;

/**
 * Text that must travel as ISO-8859-1 (objet, names). Characters outside Latin-1 are
 * transliterated the way the prefecture received the seed's title (en-dash → {@code -}), never
 * replaced by {@code ?} as S²LOW's conversion would do.
 */
public final class Latin1Text {
    private static final Map<Integer, String> REPLACEMENTS = Map.ofEntries(
            Map.entry(0x2010, "-"), Map.entry(0x2011, "-"), Map.entry(0x2012, "-"), Map.entry(0x2013, "-"),
            Map.entry(0x2014, "-"), Map.entry(0x2015, "-"), Map.entry(0x2212, "-"),
            Map.entry(0x2018, "'"), Map.entry(0x2019, "'"), Map.entry(0x201A, "'"), Map.entry(0x201B, "'"),
            Map.entry(0x2032, "'"), Map.entry(0x02BC, "'"),
            Map.entry(0x201C, "\""), Map.entry(0x201D, "\""), Map.entry(0x201E, "\""), Map.entry(0x201F, "\""),
            Map.entry(0x2033, "\""),
            Map.entry(0x2026, "..."), Map.entry(0x0153, "oe"), Map.entry(0x0152, "OE"), Map.entry(0x20AC, "EUR"),
            Map.entry(0x2022, "-"), Map.entry(0x2122, "TM"), Map.entry(0x2030, "o/oo"),
            Map.entry(0x2039, "<"), Map.entry(0x203A, ">"),
            Map.entry(0x0178, "Y"), Map.entry(0x0160, "S"), Map.entry(0x0161, "s"), Map.entry(0x017D, "Z"),
            Map.entry(0x017E, "z"), Map.entry(0x0192, "f"), Map.entry(0x02C6, "^"), Map.entry(0x02DC, "~"),
            Map.entry(0x0141, "L"), Map.entry(0x0142, "l"), Map.entry(0x0110, "D"), Map.entry(0x0111, "d"),
            Map.entry(0x0131, "i"), Map.entry(0x0126, "H"), Map.entry(0x0127, "h"),
            // spaces: narrow no-break, thin, figure, em/en spaces
            Map.entry(0x202F, " "), Map.entry(0x2009, " "), Map.entry(0x2007, " "), Map.entry(0x2002, " "),
            Map.entry(0x2003, " "), Map.entry(0x200A, " "), Map.entry(0x2008, " "),
            Map.entry(0x200B, ""), Map.entry(0xFEFF, ""));

    private Latin1Text() {
    }

    /** True when every character of {@code text} exists in ISO-8859-1. */
    public static boolean isLatin1(String text) {
        return StandardCharsets.ISO_8859_1.newEncoder().canEncode(text);
    }

    /**
     * Returns {@code text} with every character outside ISO-8859-1 replaced by its closest Latin-1
     * spelling: the table above first, then the base letter of a decomposable character (ā → a),
     * then, as last resort, {@code _} (never {@code ?}, which would look like a real question mark).
     */
    public static String transliterate(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp <= 0xFF) {
                out.appendCodePoint(cp);
                return;
            }
            String r = REPLACEMENTS.get(cp);
            if (r != null) {
                out.append(r);
                return;
            }
            String base = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD)
                    .replaceAll("\\p{M}+", "");
            if (!base.isEmpty() && base.chars().allMatch(c -> c <= 0xFF)) {
                out.append(base);
            } else {
                out.append('_');
            }
        });
        return out.toString();
    }

    /** The characters of {@code text} that {@link #transliterate(String)} would change, in order, once each. */
    public static String outsideLatin1(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().filter(cp -> cp > 0xFF).distinct().forEach(out::appendCodePoint);
        return out.toString();
    }
}
