package fr.actesconnector.tdt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict parsing of S²LOW's legacy {@code OK}/{@code KO} replies (spec §1, §6). Stateless. */
final class TdtReplies {
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);");
    private static final Pattern BR = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    /** {@code OK : id généré : 123}, the other reply form of reponse_create (api=1 in the query). */
    private static final Pattern OK_GENERATED = Pattern.compile("^OK\\s*:.*?([0-9]{1,18})\\s*$");
    private static final Pattern ROOT = Pattern.compile("<([A-Za-z_][A-Za-z0-9_.\\-]*(?::[A-Za-z_][A-Za-z0-9_.\\-]*)?)");

    private TdtReplies() {
    }

    /** UTF-8 if the bytes are valid UTF-8, else ISO-8859-1 (S²LOW mixes both). */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Undoes PHP's {@code htmlspecialchars} (and numeric entities); {@code <br/>} becomes a line break. */
    static String decodeHtml(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00A0";
                default -> {
                    int cp = e.charAt(1) == 'x' || e.charAt(1) == 'X'
                            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                    yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return BR.matcher(out.toString()).replaceAll("\n");
    }

    /**
     * The KO message when {@code body} is a {@code KO} reply ({@code KO\n<msg>} or {@code KO : <msg>}),
     * decoded and trimmed; empty when it is not a KO reply.
     */
    static Optional<String> koMessage(byte[] body) {
        String text = decode(body);
        String first = firstLine(text);
        String rest;
        if (first.equals("KO")) {
            int nl = text.indexOf('\n');
            rest = nl < 0 ? "" : text.substring(nl + 1);
        } else if (first.startsWith("KO :") || first.startsWith("KO:")) {
            rest = text.substring(text.indexOf(':') + 1);
        } else {
            return Optional.empty();
        }
        String msg = decodeHtml(rest.replace("\r\n", "\n")).strip();
        return Optional.of(msg.isEmpty() ? "(le TdT n'a donné aucun motif)" : msg);
    }

    static boolean isKo(byte[] body) {
        return koMessage(body).isPresent();
    }

    /** Lines of an {@code OK} reply after the first one; throws on KO or anything else. */
    static String[] okLines(byte[] body, String operation) {
        koMessage(body).ifPresent(msg -> {
            throw new TdtRefusedException(operation, msg);
        });
        String text = decode(body).replace("\r\n", "\n");
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals("OK")) {
            throw unparseable(operation, body);
        }
        return Arrays.copyOfRange(lines, 1, lines.length);
    }

    /** {@code OK\n<id>\n\n} → id (also {@code OK : id généré : <id>}). */
    static long parseId(byte[] body, String operation) {
        String text = decode(body).replace("\r\n", "\n");
        Matcher generated = OK_GENERATED.matcher(firstLine(text));
        if (!isKo(body) && generated.matches()) {
            return Long.parseLong(generated.group(1));
        }
        String[] lines = okLines(body, operation);
        if (lines.length == 0 || !ID.matcher(lines[0].trim()).matches()) {
            throw unparseable(operation, body);
        }
        return Long.parseLong(lines[0].trim());
    }

    /**
     * {@code OK\n<status>\n<xml?><message?>}: the XML payload is cut at the end of its root
     * element, the rest is the message (only meaningful at -1).
     */
    static StatusReport parseStatus(byte[] body, String operation) {
        okLines(body, operation); // KO and garbage checks
        int first = indexOf(body, 0);
        if (first < 0) throw unparseable(operation, body);
        int second = first < 0 ? -1 : indexOf(body, first + 1);
        int end = second < 0 ? body.length : second;
        String code = new String(body, first + 1, end - first - 1, StandardCharsets.ISO_8859_1).trim();
        if (!code.matches("-?[0-9]{1,4}")) {
            throw unparseable(operation, body);
        }
        byte[] rest = second < 0 ? new byte[0] : Arrays.copyOfRange(body, second + 1, body.length);
        int xmlEnd = xmlEnd(rest);
        byte[] xml = Arrays.copyOfRange(rest, 0, xmlEnd);
        String message = decode(Arrays.copyOfRange(rest, xmlEnd, rest.length)).strip();
        return new StatusReport(Integer.parseInt(code), xml, message);
    }

    /** Length of the XML document at the start of {@code bytes} (0 when it does not start with {@code <}). */
    static int xmlEnd(byte[] bytes) {
        // ISO-8859-1 maps each byte to one char, so string indexes are byte offsets.
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start < s.length() && Character.isWhitespace(s.charAt(start))) start++;
        if (start >= s.length() || s.charAt(start) != '<') return 0;
        int i = start;
        // skip the prolog: <?xml …?>, comments, doctype
        while (i < s.length()) {
            if (s.startsWith("<?", i)) {
                int e = s.indexOf("?>", i);
                if (e < 0) return s.length();
                i = e + 2;
            } else if (s.startsWith("<!--", i)) {
                int e = s.indexOf("-->", i);
                if (e < 0) return s.length();
                i = e + 3;
            } else if (s.startsWith("<!", i)) {
                int e = s.indexOf('>', i);
                if (e < 0) return s.length();
                i = e + 1;
            } else if (s.charAt(i) == '<') {
                break;
            } else {
                i++;
            }
        }
        Matcher m = ROOT.matcher(s);
        if (i >= s.length() || !m.find(i) || m.start() != i) return s.length();
        String root = m.group(1);
        int tagEnd = s.indexOf('>', m.end());
        if (tagEnd < 0) return s.length();
        if (s.charAt(tagEnd - 1) == '/') return tagEnd + 1;
        int close = s.indexOf("</" + root, tagEnd);
        if (close < 0) return s.length();
        int closeEnd = s.indexOf('>', close);
        return closeEnd < 0 ? s.length() : closeEnd + 1;
    }

    static TdtProtocolException unparseable(String operation, byte[] body) {
        String start = decode(Arrays.copyOf(body, Math.min(body.length, 200))).replaceAll("[\\r\\n]+", " ");
        return new TdtProtocolException("Réponse incompréhensible du TdT (" + operation + ") : ce n'est pas une "
                + "réponse OK/KO de l'API S²LOW. Vérifiez tdt.url (racine de l'instance S²LOW) et un éventuel proxy.",
                "unparseable TdT reply to " + operation + ": " + start);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') return i;
        }
        return -1;
    }
}
