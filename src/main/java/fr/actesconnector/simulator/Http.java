package fr.actesconnector.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reply forms of S²LOW's legacy scripts, byte for byte: the generic exit helper (OK/KO or a
 * redirect), the literal echoes, JSON, files streamed from disk. Stateless.
 */
final class Http {
    /** Pages S²LOW redirects browsers to. */
    static final String UI = "/modules/actes/index.php";
    static final String ADD_PAGE = "/modules/actes/actes_transac_add.php";
    static final String SHOW_PAGE = "/modules/actes/actes_transac_show.php?id=";

    /** What PHP sends when a script sets no Content-Type (default_charset UTF-8, whatever the bytes are). */
    static final String PHP_DEFAULT_TYPE = "text/html; charset=UTF-8";

    private Http() {
    }

    /**
     * S²LOW's generic exit helper (class/Helpers.php, returnAndExit): with {@code api} ("1" in the
     * body, else in the query) {@code OK\n}/{@code KO\n} then {@code apiMsg} or the HTML-escaped
     * message, in ISO-8859-1, each followed by LF; without it a 302 to {@code redirect}.
     */
    static void exit(HttpExchange ex, boolean api, boolean ok, String message, String redirect, String apiMsg)
            throws IOException {
        if (api) {
            StringBuilder body = new StringBuilder(ok ? "OK\n" : "KO\n");
            if (apiMsg != null && !apiMsg.isEmpty()) {
                body.append(apiMsg).append('\n');
            } else if (!message.isEmpty()) {
                body.append(htmlspecialchars(message)).append('\n');
            }
            send(ex, 200, PHP_DEFAULT_TYPE, latin1(body.toString()));
        } else {
            redirect(ex, redirect);
        }
    }

    /**
     * The account of the request, or empty after answering the failure as S²LOW's authentication
     * does it (class/Authentification.php: the generic exit helper, a redirect to the login page).
     */
    static Optional<Accounts.Account> authenticate(Accounts accounts, HttpExchange ex, boolean api) throws IOException {
        Accounts.Auth auth = accounts.authenticate(ex);
        if (auth.account().isEmpty()) exit(ex, api, false, auth.failure(), auth.redirectPath(), null);
        return auth.account();
    }

    /** returnAndExit's api flag: "api" of the body when not empty, else of the query. */
    static boolean api(Optional<String> posted, Map<String, String> query) {
        String v = posted.filter(p -> !p.isEmpty()).orElse(query.getOrDefault("api", ""));
        return "1".equals(v.trim());
    }

    /** {@code KO\n<message>\n}, the generic helper's failure in api mode. */
    static void ko(HttpExchange ex, String message) throws IOException {
        exit(ex, true, false, message, null, null);
    }

    /** A literal a script echoes as its source file holds it: UTF-8, no final LF. */
    static void echoUtf8(HttpExchange ex, String contentType, String text) throws IOException {
        send(ex, 200, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static String htmlspecialchars(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#039;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Latin-1 bytes; characters outside it become {@code ?}, as PHP's mb_convert_encoding does. */
    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A {@code Location} whose bytes are the UTF-8 of {@code target}, unencoded, as PHP sends a
     * header built from a UTF-8 literal (the JDK server writes header values as ISO-8859-1).
     */
    static void redirect(HttpExchange ex, String target) throws IOException {
        ex.getResponseHeaders().set("Location", new String((target == null ? "" : target).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1));
        ex.sendResponseHeaders(302, -1);
    }

    static void sendJson(HttpExchange ex, Object node) throws IOException {
        send(ex, 200, "application/json", Json.MAPPER.writeValueAsBytes(node));
    }

    static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** {@code head}, then the file streamed from disk, then {@code tail}, with an exact Content-Length. */
    static void sendStream(HttpExchange ex, String contentType, Map<String, String> headers, byte[] head,
                           Optional<Path> file, byte[] tail) throws IOException {
        long length = head.length + tail.length + (file.isPresent() ? Files.size(file.get()) : 0);
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(200, length == 0 ? -1 : length);
        if (length == 0) return;
        try (OutputStream out = ex.getResponseBody()) {
            out.write(head);
            if (file.isPresent()) Files.copy(file.get(), out);
            out.write(tail);
        }
    }

    /** Query or urlencoded parameters; as in PHP the last value of a repeated key wins; malformed escapes are dropped. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored, as PHP would leave it garbled
            }
        }
        return params;
    }

    /** The fields of a small urlencoded POST body (at most 64 KiB). */
    static Map<String, String> urlencodedBody(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) return Map.of();
        try (InputStream in = ex.getRequestBody()) {
            return query(new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1));
        }
    }

    /** PHP's intval of a parameter, {@code defaultValue} when absent or not a number. */
    static int intParam(Map<String, String> query, String key, int defaultValue) {
        String v = query.get(key);
        return v != null && v.trim().matches("-?[0-9]{1,9}") ? Integer.parseInt(v.trim()) : defaultValue;
    }

    /** A positive id parameter. */
    static Optional<Long> idParam(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v == null || !v.trim().matches("[0-9]{1,18}")) return Optional.empty();
        long id = Long.parseLong(v.trim());
        return id == 0 ? Optional.empty() : Optional.of(id);
    }

    /** Jackson is loaded at the first JSON answer, not at start: most runs of the demo need it late or never. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }
    }
}
