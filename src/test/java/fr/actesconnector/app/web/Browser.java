package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like client of the web page: its own cookies, no automatic redirects, the last CSRF token seen. */
final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final WebFixture fx;
    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    String csrf;

    Browser(WebFixture fx) {
        this.fx = fx;
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fx.base()).resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) csrf = m.group(1);
        return r;
    }

    HttpResponse<byte[]> download(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fx.base()).resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return http.send(HttpRequest.newBuilder(URI.create(fx.base()).resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postMultipart(String path, Multipart body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fx.base()).resolve(path))
                .header("Content-Type", "multipart/form-data; boundary=" + Multipart.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in with the fixture's account and opens the transmit form (its CSRF token kept). */
    Browser login() throws Exception {
        get("/connexion");
        HttpResponse<String> r = postForm("/connexion", Map.of("csrf", csrf, "identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/suivi", r.headers().firstValue("Location").orElse(""));
        get("/transmettre");
        return this;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
