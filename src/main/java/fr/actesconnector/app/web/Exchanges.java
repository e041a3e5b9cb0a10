package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.model.ActesException;

/**
 * What every page handler does with an exchange: read a small form or the query, check the CSRF token,
 * answer with HTML, a redirect or a file the journal recorded.
 */
final class Exchanges {
    private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);
    private static final int MAX_FORM_BYTES = 64 * 1024;
    /** After refusing an upload, bytes read and dropped so that the browser can show the answer. */
    private static final long DRAIN_MAX = 256L * 1024 * 1024;
    static final String PDF = "application/pdf";
    /**
     * A PDF shown in the browser runs in a sandbox (the {@code sandbox} directive without allow-scripts: no
     * script, an opaque origin) and may load nothing but its own inline styles and images.
     */
    static final String PDF_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: blob:;"
            + " frame-ancestors 'none'";

    private Exchanges() {
    }

    /** The HTTP status of a failure of the connector. */
    static int status(ActesException e) {
        return switch (e.reason()) {
            case INVALID_INPUT -> 400;
            case REFUSED -> 502;
            case UNAVAILABLE -> 503;
            case NOT_VERIFIED -> 422;
            case INTERNAL -> 500;
        };
    }

    static void checkCsrf(Sessions.Session s, String submitted) {
        if (!s.csrfMatches(submitted)) throw RequestException.csrf();
    }

    /** The session of this request's cookie, if it is still open ({@code activity}: see {@link Sessions#find}). */
    static Optional<Sessions.Session> session(HttpExchange ex, Sessions sessions, boolean activity) {
        for (String value : cookies(ex, WebServer.COOKIE)) {
            Optional<Sessions.Session> s = sessions.find(value, activity);
            if (s.isPresent()) return s;
        }
        return Optional.empty();
    }

    static Optional<String> cookie(HttpExchange ex, String name) {
        return cookies(ex, name).stream().findFirst();
    }

    static List<String> cookies(HttpExchange ex, String name) {
        List<String> values = new ArrayList<>();
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String c : header.split(";")) {
                String t = c.trim();
                if (t.startsWith(name + "=")) {
                    String value = t.substring(name.length() + 1);
                    // RFC 2965 clients (java.net.CookieManager) quote the value.
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** Secure cookies in HTTPS, when configured, or when a TLS proxy in front says the browser used https. */
    static boolean secure(HttpExchange ex, WebConfig config) {
        return config.secureCookies() || config.tls().isPresent()
                || "https".equalsIgnoreCase(ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
    }

    // ------------------------------------------------------------------ responses

    static void sendHtml(HttpExchange ex, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
    }

    /**
     * Streams a file the journal recorded; the request only chooses among the journal's entries. A PDF opens
     * in the browser, sandboxed (no script, no same-origin access); any other file is downloaded.
     */
    static void sendFile(HttpExchange ex, Path file, String contentType) throws IOException {
        if (!Files.isRegularFile(file)) throw RequestException.noFile();
        boolean inline = contentType.equals(PDF) && startsWithPdfMagic(file);
        ex.getResponseHeaders().set("Content-Type", inline || !contentType.equals(PDF) ? contentType : "application/octet-stream");
        ex.getResponseHeaders().set("Content-Disposition", (inline ? "inline" : "attachment")
                + disposition(file.getFileName().toString()));
        if (inline) ex.getResponseHeaders().set("Content-Security-Policy", PDF_CSP);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = ex.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    static void sendAttachment(HttpExchange ex, String xml, String name) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        ex.getResponseHeaders().set("Content-Disposition", "attachment" + disposition(name));
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The file name parameters of Content-Disposition, after {@code inline} or {@code attachment}. */
    private static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return "; filename=\"" + ascii + "\"; filename*=UTF-8''" + enc(name).replace("+", "%20");
    }

    /** Only a file that is a PDF by its first bytes is shown in the browser; the name alone does not decide. */
    private static boolean startsWithPdfMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(5), "%PDF-".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static String contentType(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".pdf")) return PDF;
        if (n.endsWith(".xml")) return "application/xml";
        if (n.endsWith(".gz")) return "application/gzip";
        return "application/octet-stream";
    }

    // ------------------------------------------------------------------ requests

    static Map<String, String> urlEncodedForm(HttpExchange ex) throws IOException {
        contentLength(ex);
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                drainQuietly(in);
                // The field being read when the limit was passed is the one too long.
                String text = new String(body, StandardCharsets.ISO_8859_1);
                String last = text.substring(text.lastIndexOf('&') + 1);
                String name = last.contains("=") ? last.substring(0, last.indexOf('=')) : "";
                try {
                    name = URLDecoder.decode(name, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    name = "";
                }
                throw fieldTooLong(name, MAX_FORM_BYTES);
            }
        }
        return decode(new String(body, StandardCharsets.ISO_8859_1));
    }

    /** A text field over {@code limit} bytes, named in French with the limit, and the rule people know for it. */
    static RequestException fieldTooLong(String field, int limit) {
        String rule = switch (field) {
            case "objet" -> " ; l'objet d'un acte compte " + fr.actesconnector.model.ActeValidator.OBJET_MAX + " caractères au plus";
            case "numero" -> " ; un numéro d'acte compte " + fr.actesconnector.model.NumeroInterne.MAX_LENGTH + " caractères au plus";
            default -> "";
        };
        String what = field.isEmpty() ? "Un des champs du formulaire" : "Le champ « " + fieldName(field) + " »";
        return new RequestException(413, "Champ trop long", what + " dépasse la limite de " + (limit / 1024) + " Kio ("
                + String.format(java.util.Locale.FRANCE, "%,d", limit) + " octets)" + rule + " : raccourcissez-le, puis recommencez.");
    }

    /** The French name of a form field, as its label shows it. */
    static String fieldName(String field) {
        return switch (field) {
            case "objet" -> "Objet de l'acte";
            case "numero" -> "Numéro de l'acte";
            case "date" -> "Date";
            case "nature" -> "Nature de l'acte";
            case "classification" -> "Matière";
            case "identifiant" -> "Identifiant";
            case "motdepasse" -> "Mot de passe";
            default -> field.length() > 40 ? field.substring(0, 40) + "…" : field;
        };
    }

    static Map<String, String> query(HttpExchange ex) {
        String raw = ex.getRequestURI().getRawQuery();
        return raw == null ? Map.of() : decode(raw);
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw new RequestException(400, "Adresse incorrecte", "La demande est mal formée : rechargez la page.");
            }
        }
        return out;
    }

    static long contentLength(HttpExchange ex) {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl == null) return -1;
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new RequestException(400, "Demande incorrecte", "La demande est mal formée : rechargez la page.");
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long sizeQuietly(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads and drops what is left of a refused upload, up to a bound, so that the browser sees the answer. */
    static void drainQuietly(InputStream in) {
        try {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while (total < DRAIN_MAX && (n = in.read(buf)) > 0) total += n;
        } catch (IOException e) {
            LOG.debug("web: drain stopped: {}", e.toString());
        }
    }
}
