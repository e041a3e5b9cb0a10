package fr.actesconnector.app;

import java.util.List;
import java.util.Map;

/**
 * Plain values (maps with text keys, lists, strings, integers, booleans, null) as indented JSON: the very text
 * Jackson's {@code ObjectMapper} with {@code INDENT_OUTPUT} writes (its default pretty printer, its escapes), which
 * scripts read from {@code status --json}. Written here because Jackson costs a one-shot command its start: some 420
 * classes for databind, still 75 and some 50 ms for its streaming core alone.
 */
final class JsonText {
    private static final String NEWLINE = System.lineSeparator(); // as Jackson's DefaultIndenter
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    static String indented(Object value) {
        StringBuilder text = new StringBuilder();
        write(text, value, 0);
        return text.toString();
    }

    /** {@code depth}: the objects around the value (Jackson indents object entries only; arrays stay on the line). */
    private static void write(StringBuilder text, Object value, int depth) {
        if (value == null) {
            text.append("null");
        } else if (value instanceof String s) {
            string(text, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            text.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                text.append("{ }");
                return;
            }
            text.append('{');
            String separator = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) throw new IllegalArgumentException("not a text key: " + e.getKey());
                text.append(separator).append(NEWLINE).append("  ".repeat(depth + 1));
                string(text, key);
                text.append(" : ");
                write(text, e.getValue(), depth + 1);
                separator = ",";
            }
            text.append(NEWLINE).append("  ".repeat(depth)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                text.append("[ ]");
                return;
            }
            text.append('[');
            String separator = " ";
            for (Object item : list) {
                text.append(separator);
                write(text, item, depth);
                separator = ", ";
            }
            text.append(" ]");
        } else {
            throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
        }
    }

    /** Escaped as Jackson does by default: quote, backslash and the control characters; everything else as is. */
    private static void string(StringBuilder text, String s) {
        text.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
