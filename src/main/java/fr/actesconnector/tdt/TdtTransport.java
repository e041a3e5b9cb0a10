package fr.actesconnector.tdt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.model.Reason;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the client talks to S²LOW, whatever the script: mutual TLS on a pooled HttpClient, HTTP Basic
 * when the certificate is shared, redirects never followed blindly, reads retried with backoff,
 * non-idempotent requests sent once, every failure turned into one French {@code Tdt*Exception}
 * (spec {@code S2LOW-API.md} §1, §2), replies read through a size cap, downloads written to a
 * temporary file moved into place. {@link TdtClient} calls the scripts through it. Thread-safe.
 */
final class TdtTransport implements Closeable {
    /** Waits between attempts; tests pass one that does not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Reads a response; the connection is released when it returns. */
    @FunctionalInterface
    interface Handler<T> {
        T handle(ClassicHttpResponse response) throws IOException;
    }

    /** What to do with a redirect that is not to the login page. */
    enum Redirects { REFUSE, ACCEPT }

    private static final int MAX_REPLY_BYTES = 32 * 1024 * 1024;
    private static final List<String> REJECTED_CERTIFICATE_ALERTS = List.of("bad_certificate", "certificate_required",
            "unknown_ca", "certificate_unknown", "certificate_revoked", "certificate_expired", "access_denied",
            "unsupported_certificate", "handshake_failure");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(TdtTransport.class);

    private final TdtConfig config;
    private final String base;
    private final URI baseUri;
    private final TdtTls tls;
    private final CloseableHttpClient http;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final RateLimiter rate;

    TdtTransport(TdtConfig config, Sleeper sleeper, RandomGenerator random, TdtRateLimits limits) {
        this.config = Objects.requireNonNull(config, "config");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.rate = Objects.requireNonNull(limits, "limits").forAccount(config);
        String url = config.url().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.baseUri = URI.create(base + "/");
        this.tls = new TdtTls(config);
        Timeout timeout = Timeout.ofMilliseconds(config.timeout().toMillis());
        // The poller runs up to poll.concurrency requests at once (64 at most): never queue them behind the pool.
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls.context()))
                .setMaxConnPerRoute(64)
                .setMaxConnTotal(64)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .build();
        // One client identity per transport: without this, HttpClient ties each pooled TLS connection to the
        // client-certificate principal and, the requests carrying no user token, never reuses one (a new
        // handshake for every call).
        HttpClientBuilder builder = HttpClients.custom()
                .disableConnectionState()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                // S²LOW sessions are tied to a certificate; re-authenticating on each call is simpler and safe.
                .disableCookieManagement()
                .setUserAgent("actes-connector");
        config.proxy().ifPresent(p -> builder.setProxy(new HttpHost(p.getScheme(), p.getHost(), p.getPort())));
        this.http = builder.build();
    }

    TdtConfig config() {
        return config;
    }

    TdtTls tls() {
        return tls;
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    // ---------------------------------------------------------------- requests

    /** {@code <tdt.url><path>?<params>}, {@code params} as name, value pairs. */
    URI uri(String path, String... params) {
        try {
            URIBuilder b = new URIBuilder(base + path);
            for (int i = 0; i + 1 < params.length; i += 2) b.addParameter(params[i], params[i + 1]);
            return b.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad TdT URI for " + path, e);
        }
    }

    HttpGet get(String path, String... params) {
        return new HttpGet(uri(path, params));
    }

    /** The body of a read, KO included (callers decide what a KO means). */
    byte[] text(String op, ClassicHttpRequest request) {
        return read(op, request, TdtTransport::body);
    }

    /** A JSON reply; a KO is a {@link TdtRefusedException}. */
    JsonNode json(String op, ClassicHttpRequest request) {
        byte[] body = text(op, request);
        TdtReplies.koMessage(body).ifPresent(m -> {
            throw new TdtRefusedException(op, m);
        });
        try {
            return Json.MAPPER.readTree(TdtReplies.decode(body));
        } catch (JsonProcessingException e) {
            throw TdtReplies.unparseable(op, body);
        }
    }

    <T> T read(String op, ClassicHttpRequest request, Handler<T> handler) {
        return read(op, request, Redirects.REFUSE, handler);
    }

    /** A GET with bounded retries (exponential backoff, jitter) on I/O errors, timeouts and 5xx. */
    <T> T read(String op, ClassicHttpRequest request, Redirects redirects, Handler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(op, request, redirects, handler);
            } catch (AttemptFailed f) {
                if (!f.retryable || attempt >= config.maxAttempts()) throw f.failure;
                Duration delay = backoff(attempt, config.initialBackoff(), config.maxBackoff(), random);
                LOG.warn("TdT {} failed (attempt {}/{}): {}; retrying in {} ms", request.getRequestUri(), attempt,
                        config.maxAttempts(), f.failure.getMessage(), delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TdtUnavailableException("Opération interrompue (" + op + ").", "interrupted while retrying", e);
                }
            }
        }
    }

    /** Exponential delay for the given attempt, capped, with jitter in [50 %, 100 %] to spread clients. */
    static Duration backoff(int attempt, Duration initialBackoff, Duration maxBackoff, RandomGenerator random) {
        long initial = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long exp = attempt >= 31 ? cap : Math.min(cap, initial * (1L << (attempt - 1)));
        long jittered = exp / 2 + (exp <= 1 ? 0 : random.nextLong(exp - exp / 2 + 1));
        return Duration.ofMillis(Math.min(cap, jittered));
    }

    /**
     * A non-idempotent request (cancel, answer, classification request, post-confirm): one attempt.
     * After an ambiguous failure the outcome is flagged unknown so that the caller checks before
     * redoing it.
     */
    <T> T once(String op, ClassicHttpRequest request, Redirects redirects, Handler<T> handler) {
        try {
            return attempt(op, request, redirects, handler);
        } catch (AttemptFailed f) {
            if (!f.maybeProcessed) throw f.failure;
            throw new TdtUnavailableException(f.failure.userMessage() + " La demande (" + op + ") a peut-être été "
                    + "enregistrée par le TdT : vérifiez sur le TdT avant de la refaire.",
                    "outcome unknown: " + f.failure.getMessage(), f.failure, true);
        }
    }

    /**
     * One exchange, after the account's rate limit lets it go (retries count too); transport failures come
     * back as {@link AttemptFailed}, refusals as exceptions.
     */
    <T> T attempt(String op, ClassicHttpRequest request, Redirects redirects, Handler<T> handler) throws AttemptFailed {
        try {
            rate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptFailed(new TdtUnavailableException("Opération interrompue (" + op + ").",
                    "interrupted while waiting for the rate limit", e), false, false);
        }
        authorize(request);
        try {
            return http.execute(request, response -> {
                checkStatus(op, request, response, redirects);
                return handler.handle(response);
            });
        } catch (GarbledReply g) {
            throw new AttemptFailed(new TdtUnavailableException(g.reply.userMessage(), g.reply.getMessage(), g.reply),
                    false, true);
        } catch (ServerError e) {
            throw new AttemptFailed(new TdtUnavailableException("Le TdT est en erreur (HTTP " + e.code + ") pendant : " + op
                    + ". Réessayez plus tard ; si cela persiste, contactez l'exploitant du TdT.",
                    "TdT answered HTTP " + e.code + " to " + request.getRequestUri(), null), true, true);
        } catch (IOException e) {
            throw classify(op, request, e);
        }
    }

    /** One attempt failed at the transport level; decides retry and ambiguity. */
    static final class AttemptFailed extends Exception {
        final TdtUnavailableException failure;
        final boolean retryable;
        /** The request may have reached the TdT's application (so a POST may have been recorded). */
        final boolean maybeProcessed;

        AttemptFailed(TdtUnavailableException failure, boolean retryable, boolean maybeProcessed) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
            this.retryable = retryable;
            this.maybeProcessed = maybeProcessed;
        }
    }

    /** Thrown from inside a handler: a 200 whose body is not an API reply (proxy page, truncated reply). */
    static final class GarbledReply extends RuntimeException {
        final TdtProtocolException reply;

        GarbledReply(TdtProtocolException reply) {
            super(reply.getMessage(), reply, false, false);
            this.reply = reply;
        }
    }

    /** Signals a 5xx from inside a response handler. */
    private static final class ServerError extends RuntimeException {
        final int code;

        ServerError(int code) {
            super("HTTP " + code, null, false, false);
            this.code = code;
        }
    }

    private void authorize(ClassicHttpRequest request) {
        if (config.basicLogin().isEmpty() || config.basicPassword().isEmpty()) return;
        char[] password = config.basicPassword().get().reveal();
        CharBuffer credentials = CharBuffer.allocate(config.basicLogin().get().length() + 1 + password.length);
        credentials.put(config.basicLogin().get()).put(':').put(password).flip();
        Arrays.fill(password, '\0');
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(credentials);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        request.setHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(raw));
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(credentials.array(), '\0');
    }

    private void checkStatus(String op, ClassicHttpRequest request, ClassicHttpResponse response, Redirects redirects) {
        int code = response.getCode();
        if (code >= 300 && code < 400) {
            Optional<URI> location = location(request, response);
            String path = location.map(URI::getPath).orElse("");
            // Symfony's firewall of current S²LOW versions (src/Security/X509Authenticator.php) answers a
            // refused certificate or login by a redirect to its login pages.
            if (path.endsWith("/login.php") || path.contains("/connexion")) {
                String error = location.get().getQuery() == null ? "" : " (" + location.get().getQuery() + ")";
                throw new TdtAuthenticationException("Le TdT a refusé l'authentification" + error + " : aucun compte S²LOW "
                        + "n'est associé au certificat client, ou le certificat est partagé par plusieurs comptes et "
                        + "l'identifiant ou le mot de passe est faux ou absent. Vérifiez tdt.client.keystore, tdt.login "
                        + "et tdt.password.", "TdT redirected " + op + " to its login page " + path, null);
            }
            if (redirects == Redirects.ACCEPT) return;
            throw new TdtRedirectedException(op, path);
        }
        if (code == 401 || code == 403) {
            throw new TdtAuthenticationException("Le TdT a refusé l'accès (HTTP " + code + ") : vérifiez le certificat "
                    + "client (tdt.client.keystore) et, si le certificat est partagé, tdt.login et tdt.password.",
                    "TdT answered HTTP " + code + " to " + op, null);
        }
        if (code == 413) {
            // Apache's LimitRequestBody answers before PHP runs: S²LOW never saw the acte.
            throw new TdtRefusedException(op, "archive trop volumineuse pour ce TdT (limite du serveur) : réduisez la "
                    + "taille des fichiers (PDF compressés, annexes scindées) ou demandez sa limite à l'exploitant du TdT.");
        }
        if (code >= 500) {
            throw new ServerError(code);
        }
        if (code >= 400) {
            throw new TdtProtocolException("Le TdT a répondu HTTP " + code + " pendant : " + op + ". Vérifiez tdt.url "
                    + "(racine de l'instance S²LOW, ex. https://s2low.example.fr).", "TdT answered HTTP " + code + " to " + op);
        }
    }

    /**
     * The {@code Location} of a redirect resolved against the URL of the request (RFC 3986 §5): S²LOW
     * writes relative ones ({@code actes_download_file.php?env=N} from {@code /modules/actes/}).
     */
    static Optional<URI> location(ClassicHttpRequest request, ClassicHttpResponse response) {
        Header h = response.getFirstHeader(HttpHeaders.LOCATION);
        if (h == null) return Optional.empty();
        try {
            return Optional.of(request.getUri().resolve(new URI(h.getValue().trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The target of a redirect to one of the TdT's own scripts: same scheme, host and port as
     * {@code tdt.url}, path ending in {@code script}. Anything else is refused.
     */
    URI sameOriginRedirect(String op, ClassicHttpRequest request, ClassicHttpResponse response, String script) {
        Optional<URI> location = location(request, response);
        if (response.getCode() < 300 || response.getCode() >= 400 || location.isEmpty()) {
            throw protocol(op, "redirect to " + script + " expected, got HTTP " + response.getCode());
        }
        URI l = location.get();
        boolean sameOrigin = "https".equalsIgnoreCase(l.getScheme()) && baseUri.getHost().equalsIgnoreCase(l.getHost())
                && effectivePort(baseUri) == effectivePort(l);
        if (!sameOrigin || l.getPath() == null || !l.getPath().endsWith("/" + script)) {
            throw protocol(op, "redirect to another place refused: " + l.getHost() + l.getPath());
        }
        return l;
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : 443;
    }

    // ---------------------------------------------------------------- failures

    private AttemptFailed classify(String op, ClassicHttpRequest request, IOException e) {
        String target = request.getRequestUri();
        if (e instanceof SSLException) {
            if (isServerCertificateProblem(e)) {
                throw new TdtUnavailableException("Le certificat du serveur TdT n'est pas reconnu (" + rootMessage(e)
                        + ") : vérifiez tdt.url et le magasin de confiance tdt.truststore (il doit contenir l'autorité "
                        + "qui a émis le certificat du TdT).", "TdT server certificate not trusted: " + e.getMessage(), e);
            }
            Optional<String> alert = rejectedCertificateAlert(e);
            if (alert.isPresent()) throw clientCertificateRefused(alert.get(), (SSLException) e);
            boolean handshake = e instanceof SSLHandshakeException;
            return new AttemptFailed(new TdtUnavailableException("Échec de la connexion sécurisée (TLS) au TdT pendant : "
                    + op + " (" + rootMessage(e) + "). Vérifiez tdt.client.keystore et tdt.truststore ; réessayez plus tard.",
                    "TLS failure on " + target + ": " + e, e), true, !handshake);
        }
        if (e instanceof ConnectTimeoutException || e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException) {
            String why = e instanceof UnknownHostException ? "hôte inconnu" : e instanceof ConnectTimeoutException
                    ? "délai de connexion dépassé" : "connexion refusée";
            return new AttemptFailed(new TdtUnavailableException("Le TdT est injoignable (" + why + ") pendant : " + op
                    + ". Vérifiez tdt.url, tdt.proxy et le réseau ; réessayez plus tard.",
                    "cannot connect to " + target + ": " + e, e), true, false);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new AttemptFailed(new TdtUnavailableException("Le TdT n'a pas répondu dans le délai de "
                    + config.timeout().toSeconds() + " s (" + TdtConfig.KEY_TIMEOUT + ") pendant : " + op
                    + ". Réessayez plus tard.", "timeout on " + target + ": " + e, e), true, true);
        }
        if (e instanceof SocketException || e instanceof NoHttpResponseException) {
            probeClientCertificateRefusal().ifPresent(refusal -> {
                throw refusal;
            });
        }
        String what = e instanceof NoHttpResponseException ? "le TdT a fermé la connexion sans répondre"
                : "connexion interrompue (" + rootMessage(e) + ")";
        return new AttemptFailed(new TdtUnavailableException("Échange avec le TdT interrompu pendant : " + op + " : "
                + what + ". Réessayez plus tard.", "I/O failure on " + target + ": " + e, e), true, true);
    }

    /**
     * With TLS 1.3 the server checks our certificate after the handshake has completed on our side,
     * so a refusal often surfaces as a broken pipe or reset while sending the request. A fresh
     * handshake followed by a read tells the two apart: a refused certificate gets a TLS alert,
     * an accepted one gets silence until the timeout. Only run after such a failure; skipped
     * behind a proxy.
     */
    private Optional<TdtAuthenticationException> probeClientCertificateRefusal() {
        if (config.proxy().isPresent()) return Optional.empty();
        int timeout = (int) Math.min(config.timeout().toMillis(), PROBE_TIMEOUT.toMillis());
        try (SSLSocket socket = (SSLSocket) tls.context().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(baseUri.getHost(), effectivePort(baseUri)), timeout);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(timeout);
            socket.startHandshake();
            socket.getInputStream().read();
            return Optional.empty();
        } catch (SSLException e) {
            return rejectedCertificateAlert(e).map(alert -> clientCertificateRefused(alert, e));
        } catch (IOException e) {
            return Optional.empty(); // timeout (certificate accepted) or unrelated failure: no diagnosis
        }
    }

    private static TdtAuthenticationException clientCertificateRefused(String alert, SSLException e) {
        return new TdtAuthenticationException("Le TdT a refusé le certificat client (alerte TLS « " + alert
                + " ») : vérifiez tdt.client.keystore (certificat valide, non expiré, émis par une autorité "
                + "acceptée par le TdT et associé à un compte S²LOW).",
                "TLS client certificate refused by the TdT: " + e.getMessage(), e);
    }

    private static boolean isServerCertificateProblem(Throwable e) {
        if (e instanceof SSLPeerUnverifiedException) return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException) return true;
            if (t.getClass().getName().equals("sun.security.validator.ValidatorException")) return true;
        }
        return false;
    }

    /** The TLS alert by which the server refused our certificate, if that is what happened. */
    private static Optional<String> rejectedCertificateAlert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (!m.contains("received fatal alert")) continue;
            for (String alert : REJECTED_CERTIFICATE_ALERTS) {
                if (m.contains(alert)) return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static TdtProtocolException protocol(String op, String detail) {
        return new TdtProtocolException("Réponse inattendue du TdT (" + op + "). Vérifiez tdt.url ; si cela persiste, "
                + "contactez l'exploitant du TdT.", "unexpected TdT reply to " + op + ": " + detail);
    }

    // ---------------------------------------------------------------- bodies and downloads

    static byte[] body(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) return new byte[0];
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
            if (bytes.length > MAX_REPLY_BYTES) throw new IOException("TdT reply larger than " + MAX_REPLY_BYTES + " bytes");
            return bytes;
        }
    }

    /**
     * Streams the body to {@code target} through a temporary file moved into place. A body starting
     * with {@code KO} is the TdT's refusal; an HTML page is not a file. Returns false (nothing
     * written) on an empty body when {@code emptyIsNone}. The temporary file is this download's own:
     * two daemons fetching the same file at once (one's lease ran out) must not write into one file.
     */
    boolean download(String op, ClassicHttpRequest request, Path target, boolean emptyIsNone) {
        Objects.requireNonNull(target, "target");
        Path part;
        try {
            part = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw localWriteFailure(target, e);
        }
        try {
            boolean written = read(op, request, r -> {
                HttpEntity entity = r.getEntity();
                if (entity == null) {
                    if (emptyIsNone) return false;
                    throw protocol(op, "empty body");
                }
                if (entity.getContentType() != null && entity.getContentType().toLowerCase(Locale.ROOT).startsWith("text/html")) {
                    throw protocol(op, "HTML page instead of a file");
                }
                try (InputStream in = new BufferedInputStream(entity.getContent())) {
                    in.mark(8);
                    byte[] head = in.readNBytes(3);
                    in.reset();
                    if (head.length == 0) {
                        if (emptyIsNone) return false;
                        throw protocol(op, "empty body");
                    }
                    if (head.length >= 2 && head[0] == 'K' && head[1] == 'O' && (head.length == 2 || head[2] == '\n'
                            || head[2] == '\r' || head[2] == ' ')) {
                        byte[] ko = in.readNBytes(64 * 1024);
                        throw new TdtRefusedException(op, TdtReplies.koMessage(ko).orElse("(motif illisible)"));
                    }
                    copyTo(in, part);
                }
                return true;
            });
            if (written) moveIntoPlace(part, target);
            return written;
        } finally {
            deleteQuietly(part);
        }
    }

    /** Network read errors propagate as IOException; local write errors become {@link TdtFileException}. */
    private static void copyTo(InputStream in, Path part) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(part);
        } catch (IOException e) {
            throw localWriteFailure(part, e);
        }
        try (out) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw localWriteFailure(part, e);
                }
            }
        }
    }

    private static void moveIntoPlace(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw localWriteFailure(target, e);
        }
    }

    private static TdtFileException localWriteFailure(Path file, IOException e) {
        return new TdtFileException(Reason.INTERNAL, "Impossible d'écrire le fichier " + file + " reçu du TdT ("
                + e.getMessage() + ") : vérifiez que le dossier existe, les droits et l'espace disque.",
                "cannot write " + file, e);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete temporary file {}: {}", file, e.toString());
        }
    }

    /** Loaded at the first JSON reply (files list, list_actes), not with the client: a CLI run seldom needs it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
