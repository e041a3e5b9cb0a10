package fr.actesconnector.simulator;

import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.ssl.SSLContexts;

/**
 * Raw HTTP to the simulator over mutual TLS, redirects not followed: what S²LOW's scripts send,
 * byte for byte, for the tests that pin them. Optional HTTP Basic picks an account.
 */
final class RawS2low implements AutoCloseable {
    static final char[] PASSWORD = "changeit".toCharArray();
    static final String SUBJECT = "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la "
            + "Société Promosoft Informatique.";
    private static final ContentType LATIN1 = ContentType.create("text/plain", StandardCharsets.ISO_8859_1);

    /** TEST certificates: the simulator's TLS settings and the client's stores (password {@code changeit}). */
    record Pki(TestPki ca, SimulatorTls tls, Path clientKeystore, Path clientTrust) {
        static Pki create(Path dir) throws IOException, GeneralSecurityException {
            TestPki ca = new TestPki("Simulated S2LOW CA");
            Path serverKeystore = ca.tlsServer().writePkcs12(dir.resolve("server.p12"), "server", PASSWORD);
            Path serverTrust = ca.writeTrustStore(dir.resolve("server-trust.p12"), PASSWORD);
            Path clientKeystore = ca.tlsClient("Mairie de Houdan").writePkcs12(dir.resolve("client.p12"), "client", PASSWORD);
            Path clientTrust = ca.writeTrustStore(dir.resolve("client-trust.p12"), PASSWORD);
            SimulatorTls tls = new SimulatorTls(serverKeystore, Secret.of("changeit"), serverTrust, Secret.of("changeit"));
            return new Pki(ca, tls, clientKeystore, clientTrust);
        }
    }

    /** One HTTP answer: status, headers (first value, lower-case names) and body bytes. */
    record Reply(int code, Map<String, String> headers, byte[] body) {
        String latin1() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String utf8() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** The Location as the bytes sent, read as UTF-8 (PHP sends its UTF-8 literals unencoded). */
        String location() {
            String raw = header("Location").orElseThrow(() -> new AssertionError("no Location in HTTP " + code));
            return new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }

    private final URI base;
    private final CloseableHttpClient http;
    private final Optional<String> authorization;

    RawS2low(URI base, Pki pki) throws GeneralSecurityException, IOException {
        this(base, pki, null, null);
    }

    RawS2low(URI base, Pki pki, String login, String password) throws GeneralSecurityException, IOException {
        this.base = base;
        SSLContext ssl = SSLContexts.custom()
                .loadKeyMaterial(pki.clientKeystore().toFile(), PASSWORD, PASSWORD)
                .loadTrustMaterial(pki.clientTrust().toFile(), PASSWORD)
                .build();
        this.http = HttpClients.custom().disableRedirectHandling().disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl)).build()).build();
        this.authorization = login == null ? Optional.empty() : Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((login + ":" + password).getBytes(StandardCharsets.ISO_8859_1)));
    }

    Reply get(String pathAndQuery) throws IOException {
        return execute(new HttpGet(base.resolve(pathAndQuery)));
    }

    Reply post(String pathAndQuery, HttpEntity entity) throws IOException {
        HttpPost post = new HttpPost(base.resolve(pathAndQuery));
        post.setEntity(entity);
        return execute(post);
    }

    Reply post(String pathAndQuery, MultipartEntityBuilder form) throws IOException {
        return post(pathAndQuery, form.build());
    }

    private Reply execute(HttpUriRequestBase request) throws IOException {
        authorization.ifPresent(a -> request.setHeader("Authorization", a));
        return http.execute(request, r -> {
            Map<String, String> headers = new TreeMap<>();
            for (Header h : r.getHeaders()) headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
            return new Reply(r.getCode(), headers, r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity()));
        });
    }

    /** A text field as a client sends it in api mode: ISO-8859-1. */
    static MultipartEntityBuilder text(MultipartEntityBuilder form, String name, String value) {
        return form.addTextBody(name, value, LATIN1);
    }

    /** The Houdan acte's fields (nature CC, matière 1.4) with a one-page PDF document, api=1. */
    static MultipartEntityBuilder acte(Path dir, String number, String typologie) throws IOException {
        Path pdf = Houdan.writePdf(dir.resolve("acte-" + number + ".pdf"), "Decision " + number);
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "nature_code", "4");
        text(form, "number", number);
        text(form, "decision_date", Houdan.DATE_DECISION.toString());
        text(form, "subject", SUBJECT);
        text(form, "classif1", "1");
        text(form, "classif2", "4");
        text(form, "type_acte", typologie);
        text(form, "en_attente", "0");
        return form.addBinaryBody("acte_pdf_file", pdf.toFile(), ContentType.create("application/pdf"), "acte.pdf");
    }

    /** A PDF file part named {@code field}. */
    static MultipartEntityBuilder pdf(MultipartEntityBuilder form, Path dir, String field, String text) throws IOException {
        Path pdf = Houdan.writePdf(dir.resolve(field.replaceAll("[^a-z]", "") + "-" + text.hashCode() + ".pdf"), text);
        return form.addBinaryBody(field, pdf.toFile(), ContentType.create("application/pdf"), pdf.getFileName().toString());
    }

    static MultipartEntityBuilder bytes(MultipartEntityBuilder form, String field, byte[] content, String fileName) {
        return form.addBinaryBody(field, content, ContentType.APPLICATION_OCTET_STREAM, fileName);
    }

    /** The transaction id of {@code OK\n<id>\n\n}. */
    static long createdId(Reply reply) {
        String text = reply.latin1();
        if (!text.matches("OK\n[0-9]+\n\n")) throw new AssertionError("not an OK with an id: " + text);
        return Long.parseLong(text.split("\n")[1]);
    }

    /** Reads the status until it is {@code expected} (one step per read with the default pacing). */
    String pollUntil(long id, int expected) throws IOException {
        String last = "";
        for (int i = 0; i < 12; i++) {
            last = get(TdtSimulator.STATUS + "?transaction=" + id).latin1();
            if (last.startsWith("OK\n" + expected + "\n")) return last;
        }
        throw new AssertionError("status " + expected + " not reached for " + id + ", last " + last);
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
