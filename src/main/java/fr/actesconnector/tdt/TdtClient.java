package fr.actesconnector.tdt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Violation;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
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
 * Client of S²LOW's legacy ACTES API over mutual TLS (spec {@code S2LOW-API.md} §2–§12).
 *
 * <p>One {@link SSLContext} built from the configured PKCS#12 and trust store is given to this
 * client's connection manager only; hostname verification stays on; redirects are never followed
 * blindly (a redirect to the login page is an authentication failure). Reads (GET) are retried
 * with exponential backoff and jitter on I/O errors, timeouts and 5xx. The create POST is never
 * re-sent blindly: after an ambiguous failure the acte is looked up on the TdT first
 * ({@link #create(TdtSubmission, IdActe)}).
 *
 * <p>Thread-safe; {@link #close()} releases the connections.
 */
public final class TdtClient implements Closeable {
    /** Waits between attempts; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Statuses in which a just-posted acte can be (spec §3, lifecycle of an outgoing acte). */
    static final List<Integer> LOOKUP_STATUSES = List.of(17, 1, 2, 3, 4, -1);
    static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 50;
    private static final int MAX_REPLY_BYTES = 32 * 1024 * 1024;
    private static final ContentType LATIN1_TEXT = ContentType.create("text/plain", StandardCharsets.ISO_8859_1);
    private static final Pattern UPLOAD_NAME_FORBIDDEN = Pattern.compile("[^a-zA-Z0-9._ ]");
    private static final List<String> REJECTED_CERTIFICATE_ALERTS = List.of("bad_certificate", "certificate_required",
            "unknown_ca", "certificate_unknown", "certificate_revoked", "certificate_expired", "access_denied",
            "unsupported_certificate", "handshake_failure");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(TdtClient.class);

    private final TdtConfig config;
    private final String base;
    private final URI baseUri;
    private final CloseableHttpClient http;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final X509Certificate clientCertificate;
    private final SSLContext ssl;

    public TdtClient(TdtConfig config) {
        this(config, d -> Thread.sleep(d.toMillis()), new SplittableRandom());
    }

    public TdtClient(TdtConfig config, Sleeper sleeper, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        String url = config.url().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.baseUri = URI.create(base + "/");
        KeyStore keyStore = loadKeyStore(config.clientKeystore(), config.clientPassword().reveal(), TdtConfig.KEY_KEYSTORE,
                TdtConfig.KEY_KEYSTORE_PASSWORD);
        this.clientCertificate = clientCertificate(keyStore);
        this.ssl = sslContext(keyStore);
        Timeout timeout = Timeout.ofMilliseconds(config.timeout().toMillis());
        // The poller runs up to poll.concurrency requests at once (64 at most): never queue them behind the pool.
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl))
                .setMaxConnPerRoute(64)
                .setMaxConnTotal(64)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .build();
        // One client identity per TdtClient: without this, HttpClient ties each pooled TLS connection to the
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

    /** The client certificate this client presents (for diagnosis: subject, issuer, expiry). */
    public X509Certificate clientCertificate() {
        return clientCertificate;
    }

    // ---------------------------------------------------------------- connection probes (§2)

    /** {@code /api/test-connexion.php}: returns normally when the TdT authenticated us. */
    public void testConnection() {
        String op = "test de connexion";
        byte[] body = read(op, get("/api/test-connexion.php"), TdtClient::body);
        Optional<String> ko = TdtReplies.koMessage(body);
        if (ko.isPresent()) {
            throw new TdtAuthenticationException("Le TdT a refusé la connexion : " + ko.get()
                    + ". Vérifiez que le certificat de tdt.client.keystore est associé à un compte S²LOW "
                    + "(et tdt.login / tdt.password si le certificat est partagé).", "test-connexion answered KO", null);
        }
        if (!TdtReplies.decode(body).startsWith("OK")) {
            throw TdtReplies.unparseable(op, body);
        }
    }

    /** {@code /api/test-rgs.php}: whether the TLS client certificate is accepted for transmission. */
    public RgsCheck testRgs() {
        byte[] body = read("test RGS", get("/api/test-rgs.php"), TdtClient::body);
        Optional<String> ko = TdtReplies.koMessage(body);
        if (ko.isPresent()) return new RgsCheck(false, ko.get());
        String text = TdtReplies.decode(body).strip();
        if (!text.startsWith("OK")) throw TdtReplies.unparseable("test RGS", body);
        return new RgsCheck(true, text.substring(2).strip());
    }

    /** {@code /api/info-connexion.php}: the account and authority bound to our certificate. */
    public ConnectionInfo connectionInfo() {
        String op = "informations de connexion";
        JsonNode root = readJson(op, get("/api/info-connexion.php"));
        JsonNode user = root.path("user_info");
        JsonNode authority = root.path("authority_info");
        return new ConnectionInfo(user.path("login").asText(""), user.path("email").asText(""),
                authority.path("id").asLong(0), authority.path("name").asText(""),
                authority.path("department").asText(""), authority.path("district").asText(""),
                authority.path("city").asText(""), root.toString());
    }

    /** {@code /admin/users/api-list-login.php}: logins bound to our certificate, one per line. */
    public List<String> listLogins() {
        String op = "liste des identifiants";
        byte[] body = read(op, get("/admin/users/api-list-login.php"), TdtClient::body);
        TdtReplies.koMessage(body).ifPresent(m -> {
            throw new TdtRefusedException(op, m);
        });
        return TdtReplies.decode(body).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    // ---------------------------------------------------------------- create (§4)

    /**
     * Posts the acte ({@code actes_transac_create.php}) and returns its transaction id. Never posts
     * twice: after an ambiguous failure (timeout, dropped connection, 5xx, garbled reply) the acte is
     * looked up on the TdT ({@link #findTransaction(IdActe, String)}, then {@code get_status?unique_id});
     * if found its id is returned flagged {@code recovered}; if certainly absent it is posted once
     * more; otherwise a {@link TdtUnavailableException} with {@code outcomeUnknown()} is thrown and the
     * caller must look it up later, never re-post.
     *
     * @throws TdtRefusedException       the TdT answered KO (nothing recorded)
     * @throws TdtAuthenticationException certificate or login refused (nothing recorded)
     * @throws TdtUnavailableException    transport failure; see {@code outcomeUnknown()}
     * @throws InvalidActeException       a file to upload is missing or unreadable
     */
    public CreateResult create(TdtSubmission submission, IdActe idActe) {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(idActe, "idActe");
        checkReadable(submission.files());
        LOG.info("{}: posting acte number {} to the TdT", idActe, submission.number());
        AttemptFailed first;
        try {
            long id = postCreate(submission);
            LOG.info("{}: TdT recorded transaction {}", idActe, id);
            return new CreateResult(id, false);
        } catch (AttemptFailed f) {
            if (!f.maybeProcessed) throw f.failure;
            first = f;
        }
        LOG.warn("{}: ambiguous failure while posting ({}); looking the acte up before any resend", idActe,
                first.failure.getMessage());
        Lookup lookup = lookup(idActe, submission.number());
        if (lookup.transactionId.isPresent()) {
            return recovered(idActe, lookup.transactionId.get());
        }
        if (!lookup.certainlyAbsent) {
            throw outcomeUnknown(idActe, first.failure, lookup.failure);
        }
        LOG.warn("{}: acte certainly absent from the TdT; posting it once more", idActe);
        try {
            long id = postCreate(submission);
            LOG.info("{}: TdT recorded transaction {} on the second post", idActe, id);
            return new CreateResult(id, false);
        } catch (TdtRefusedException ko) {
            // A KO "number already exists" would mean our lookup missed the first post: check once more.
            Lookup again = lookup(idActe, submission.number());
            if (again.transactionId.isPresent()) return recovered(idActe, again.transactionId.get());
            throw ko;
        } catch (AttemptFailed f) {
            if (!f.maybeProcessed) throw f.failure;
            Lookup again = lookup(idActe, submission.number());
            if (again.transactionId.isPresent()) return recovered(idActe, again.transactionId.get());
            if (again.certainlyAbsent) {
                throw new TdtUnavailableException("Le TdT n'a pas pu enregistrer l'acte " + idActe + " (deux tentatives "
                        + "en échec : " + f.failure.userMessage() + "). L'acte n'est pas sur le TdT : réessayez plus tard.",
                        idActe + ": two posts failed, acte absent from the TdT", f.failure);
            }
            throw outcomeUnknown(idActe, f.failure, again.failure);
        }
    }

    /**
     * Finds the transaction id of the acte numbered {@code number} among the TdT's transactions in
     * statuses 17, 1, 2, 3, 4 and -1 ({@code list_actes.php}). The number is unique per authority on
     * S²LOW, so a match is this acte. Used after an ambiguous POST and, at restart, for actes left
     * "posting" in the journal.
     */
    public Optional<Long> findTransaction(IdActe idActe, String number) {
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(number, "number");
        for (int status : LOOKUP_STATUSES) {
            for (int page = 0; page < MAX_PAGES; page++) {
                ActesPage actes = listActes(status, page * PAGE_SIZE, PAGE_SIZE);
                for (TdtTransaction t : actes.transactions()) {
                    if (number.equals(t.number())) {
                        LOG.info("{}: found on the TdT as transaction {} (status {})", idActe, t.id(), status);
                        return Optional.of(t.id());
                    }
                }
                if (actes.transactions().size() < PAGE_SIZE) break;
            }
        }
        return Optional.empty();
    }

    private long postCreate(TdtSubmission s) throws AttemptFailed {
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "nature_code", String.valueOf(s.nature().code()));
        text(form, "number", s.number());
        text(form, "decision_date", s.decisionDate().toString());
        text(form, "subject", s.subject());
        for (int level = 1; level <= s.classification().depth(); level++) {
            text(form, "classif" + level, String.valueOf(s.classification().level(level).orElseThrow()));
        }
        text(form, "type_acte", s.document().typologie().code());
        file(form, "acte_pdf_file", s.document().file());
        s.documentSignature().ifPresent(sig -> file(form, "acte_pdf_file_sign", sig));
        for (Piece annexe : s.annexes()) {
            file(form, "acte_attachments[]", annexe.file());
        }
        for (Piece annexe : s.annexes()) {
            text(form, "type_pj[]", annexe.typologie().code());
        }
        for (Path sig : s.annexSignatures()) {
            file(form, "acte_attachments_sign[]", sig);
        }
        text(form, "document_papier", s.documentPapier() ? "1" : "0");
        text(form, "en_attente", "0");
        HttpPost post = new HttpPost(uri("/modules/actes/actes_transac_create.php"));
        post.setEntity(form.build());
        String op = "dépôt de l'acte " + s.number();
        return attempt(op, post, false, r -> {
            byte[] body = body(r);
            try {
                return TdtReplies.parseId(body, op);
            } catch (TdtProtocolException garbled) {
                // 200 with an unknown body (proxy page, truncated reply): the TdT may have recorded the acte.
                throw new GarbledReply(garbled);
            }
        });
    }

    /** What the TdT says about an acte after an ambiguous post; {@code failure} explains an inconclusive lookup. */
    private record Lookup(Optional<Long> transactionId, boolean certainlyAbsent, ActesException failure) {
    }

    private Lookup lookup(IdActe idActe, String number) {
        try {
            Optional<Long> id = findTransaction(idActe, number);
            if (id.isPresent()) return new Lookup(id, false, null);
            try {
                StatusReport report = getStatus(idActe);
                // Known by IDActe but not listed in the expected statuses: id unknown to us.
                return new Lookup(Optional.empty(), false, new TdtProtocolException(
                        "L'acte " + idActe + " est connu du TdT (statut " + report.code() + " " + report.label()
                                + ") mais son numéro de transaction n'a pas été retrouvé.",
                        idActe + ": known by unique_id (status " + report.code() + ") but not listed"));
            } catch (TdtRefusedException notFound) {
                LOG.info("{}: not found on the TdT ({})", idActe, notFound.tdtMessage());
                return new Lookup(Optional.empty(), true, null);
            }
        } catch (TdtAuthenticationException e) {
            // Refused by TLS client authentication: the post, made with the same certificate moments
            // before, cannot have reached the TdT's application either (with TLS 1.3 the refusal may first
            // show as a broken pipe).
            if (e.getCause() instanceof SSLException) throw e;
            LOG.warn("{}: lookup on the TdT failed: {}", idActe, e.getMessage());
            return new Lookup(Optional.empty(), false, e);
        } catch (TdtUnavailableException | TdtProtocolException e) {
            LOG.warn("{}: lookup on the TdT failed: {}", idActe, e.getMessage());
            return new Lookup(Optional.empty(), false, e);
        }
    }

    private static CreateResult recovered(IdActe idActe, long id) {
        LOG.warn("{}: the failed post had been recorded by the TdT as transaction {}; not posting again", idActe, id);
        return new CreateResult(id, true);
    }

    private static TdtUnavailableException outcomeUnknown(IdActe idActe, TdtUnavailableException postFailure,
                                                         ActesException lookupFailure) {
        String detail = lookupFailure == null ? "" : " Vérification impossible : " + lookupFailure.userMessage();
        TdtUnavailableException e = new TdtUnavailableException("Issue inconnue de l'envoi de l'acte " + idActe + " : "
                + postFailure.userMessage() + " Le TdT a peut-être enregistré l'acte : ne le renvoyez pas, il sera "
                + "recherché sur le TdT à la prochaine tentative." + detail,
                idActe + ": outcome of the post unknown: " + postFailure.getMessage(), postFailure, true);
        if (lookupFailure != null) e.addSuppressed(lookupFailure);
        return e;
    }

    // ---------------------------------------------------------------- status (§6) and files (§7)

    /** {@code actes_transac_get_status.php?transaction=<id>}. */
    public StatusReport getStatus(long transactionId) {
        String op = "statut de la transaction " + transactionId;
        return read(op, get("/modules/actes/actes_transac_get_status.php", "transaction", String.valueOf(transactionId)),
                r -> TdtReplies.parseStatus(body(r), op));
    }

    /** {@code actes_transac_get_status.php?unique_id=<IDActe>}; KO (unknown IDActe) is a {@link TdtRefusedException}. */
    public StatusReport getStatus(IdActe idActe) {
        Objects.requireNonNull(idActe, "idActe");
        String op = "statut de l'acte " + idActe;
        return read(op, get("/modules/actes/actes_transac_get_status.php", "unique_id", idActe.value()),
                r -> TdtReplies.parseStatus(body(r), op));
    }

    /**
     * {@code actes_transac_get_ARActe.php?id=<id>}: writes the stored ARActe XML to {@code target};
     * false (nothing written) when the TdT holds none yet.
     */
    public boolean downloadARActe(long transactionId, Path target) {
        return download("AR de la transaction " + transactionId,
                get("/modules/actes/actes_transac_get_ARActe.php", "id", String.valueOf(transactionId)), target, true);
    }

    /** {@code actes_transac_get_files_list.php?transaction=<id>}: message XML, document, annexes. */
    public List<TdtFile> listFiles(long transactionId) {
        String op = "liste des fichiers de la transaction " + transactionId;
        JsonNode root = readJson(op, get("/modules/actes/actes_transac_get_files_list.php", "transaction",
                String.valueOf(transactionId)));
        if (!root.isArray()) throw protocol(op, "JSON array expected");
        List<TdtFile> files = new ArrayList<>();
        for (JsonNode f : root) {
            files.add(new TdtFile(f.path("id").asLong(0), f.path("name").asText(""), f.path("posted_filename").asText(""),
                    f.path("mimetype").asText(""), f.path("size").asLong(0), f.path("sign").asText(""),
                    f.path("code_pj").asText("")));
        }
        return List.copyOf(files);
    }

    /**
     * {@code actes_download_file.php?file=<id>[&tampon=true]}: a file of the transaction, stamped by the
     * TdT (dates of sending and reception, IDActe) when {@code stamped} and the file is a PDF.
     */
    public void downloadFile(long fileId, boolean stamped, Path target) {
        List<String> params = new ArrayList<>(List.of("file", String.valueOf(fileId)));
        if (stamped) params.addAll(List.of("tampon", "true"));
        download("téléchargement du fichier " + fileId,
                get("/modules/actes/actes_download_file.php", params.toArray(String[]::new)), target, false);
    }

    /** {@code actes_download_file.php?env=<envelope id>}: the whole {@code .tar.gz} of an envelope. */
    public void downloadEnvelope(long envelopeId, Path target) {
        download("téléchargement de l'enveloppe " + envelopeId,
                get("/modules/actes/actes_download_file.php", "env", String.valueOf(envelopeId)), target, false);
    }

    /** {@code actes_create_pdf.php?trans_id=<id>}: the TdT's acknowledgement PDF (bordereau). */
    public void downloadBordereau(long transactionId, Path target) {
        download("bordereau de la transaction " + transactionId,
                get("/modules/actes/actes_create_pdf.php", "trans_id", String.valueOf(transactionId)), target, false);
    }

    // ---------------------------------------------------------------- cancel (§10), classification (§11)

    /** {@code actes_transac_cancel.php}: asks the cancellation (6-1) of an acte in status 4; returns the cancel transaction id. */
    public long cancel(long transactionId) {
        String op = "annulation de la transaction " + transactionId;
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "id", String.valueOf(transactionId));
        HttpPost post = new HttpPost(uri("/modules/actes/actes_transac_cancel.php"));
        post.setEntity(form.build());
        return once(op, post, r -> TdtReplies.parseId(body(r), op));
    }

    /** {@code actes_classification_request.php?api=1}: asks the prefecture for its classification (7-1). Not retried. */
    public long requestClassification() {
        String op = "demande de classification";
        return once(op, get("/modules/actes/actes_classification_request.php", "api", "1"),
                r -> TdtReplies.parseId(body(r), op));
    }

    /** {@code actes_classification_fetch.php?api=1}: writes the last RetourClassification XML to {@code target}. */
    public void fetchClassification(Path target) {
        download("récupération de la classification", get("/modules/actes/actes_classification_fetch.php", "api", "1"),
                target, false);
    }

    // ---------------------------------------------------------------- listings (§12, §3)

    /** {@code api/list_actes.php}: transactions whose current status is {@code statusId}, newest first. */
    public ActesPage listActes(int statusId, int offset, int limit) {
        String op = "liste des actes au statut " + statusId;
        JsonNode root = readJson(op, get("/modules/actes/api/list_actes.php", "status_id", String.valueOf(statusId),
                "offset", String.valueOf(offset), "limit", String.valueOf(limit)));
        JsonNode list = root.path("transactions");
        if (!root.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
            throw protocol(op, "object with a transactions array expected");
        }
        List<TdtTransaction> transactions = new ArrayList<>();
        for (JsonNode t : list) {
            transactions.add(new TdtTransaction(t.path("id").asLong(0), t.path("subject").asText(""),
                    t.path("number").asText(""), t.path("date").asText(""), t.path("nature_descr").asText(""),
                    t.path("classification").asText(""), t.path("type").asInt(0)));
        }
        return new ActesPage(statusId, offset, limit, transactions);
    }

    /** {@code api/actes_status.php}: the TdT's own status labels. */
    public Map<Integer, String> statusLabels() {
        String op = "libellés des statuts";
        JsonNode root = readJson(op, get("/modules/actes/api/actes_status.php"));
        if (!root.isObject()) throw protocol(op, "JSON object expected");
        Map<Integer, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            try {
                labels.put(Integer.parseInt(e.getKey().trim()), e.getValue().asText(""));
            } catch (NumberFormatException ex) {
                throw protocol(op, "non-numeric status id " + e.getKey());
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    // ---------------------------------------------------------------- prefecture documents (§8), answers (§9)

    /** {@code api/list_document_prefecture.php}: unread incoming documents (types 2 to 5). */
    public List<PrefectureDocument> listPrefectureDocuments() {
        String op = "liste des documents de la préfecture";
        JsonNode root = readJson(op, get("/modules/actes/api/list_document_prefecture.php"));
        if (!root.isArray()) throw protocol(op, "JSON array expected");
        List<PrefectureDocument> docs = new ArrayList<>();
        for (JsonNode d : root) {
            docs.add(new PrefectureDocument(d.path("id").asLong(0), d.path("type").asInt(0),
                    d.path("related_transaction_id").asLong(0), d.path("number").asText(""),
                    d.path("unique_id").asText(""), d.path("last_status_id").asInt(0)));
        }
        return List.copyOf(docs);
    }

    /** {@code actes_transac_get_document.php?id=<acte id>}: child transactions of an acte. */
    public List<ChildTransaction> childTransactions(long acteTransactionId) {
        String op = "documents liés à la transaction " + acteTransactionId;
        byte[] body = read(op, get("/modules/actes/actes_transac_get_document.php", "id", String.valueOf(acteTransactionId)),
                TdtClient::body);
        TdtReplies.koMessage(body).ifPresent(m -> {
            throw new TdtRefusedException(op, m);
        });
        List<ChildTransaction> children = new ArrayList<>();
        for (String line : TdtReplies.decode(body).split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            children.add(parseChild(l, op, body));
        }
        return List.copyOf(children);
    }

    /** Splits {@code <type>-<status>-<id>} on the first and the last {@code -} (status may be {@code -1}). */
    static ChildTransaction parseChild(String line, String op, byte[] body) {
        int first = line.indexOf('-');
        int last = line.lastIndexOf('-');
        if (first <= 0 || last <= first + 1 || last == line.length() - 1) throw TdtReplies.unparseable(op, body);
        try {
            return new ChildTransaction(Integer.parseInt(line.substring(0, first)),
                    Integer.parseInt(line.substring(first + 1, last)), Long.parseLong(line.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw TdtReplies.unparseable(op, body);
        }
    }

    /**
     * The archive ({@code .tar.gz}) of an incoming document: {@code actes_transac_get_document.php?id=<child>}
     * answers a 302 to {@code actes_download_file.php?env=…}, followed here on the same host only.
     */
    public void downloadPrefectureDocument(long childTransactionId, Path target) {
        String op = "document de la préfecture " + childTransactionId;
        URI location = read(op, get("/modules/actes/actes_transac_get_document.php", "id", String.valueOf(childTransactionId)),
                true, r -> redirectTarget(op, r));
        download(op, new HttpGet(location), target, false);
    }

    /** {@code api/document_prefecture_mark_as_read.php}: removes the document from the unread list. */
    public void markAsRead(long childTransactionId) {
        String op = "marquage comme lu du document " + childTransactionId;
        JsonNode root = readJson(op, get("/modules/actes/api/document_prefecture_mark_as_read.php", "transaction_id",
                String.valueOf(childTransactionId)));
        if (!"ok".equalsIgnoreCase(root.path("result").asText())) throw protocol(op, "result ok expected: " + root);
    }

    /** {@code actes_transac_reponse_create.php}: answers a prefecture document; returns the answer's transaction id. Not retried. */
    public long createReponse(ReponseSubmission reponse) {
        Objects.requireNonNull(reponse, "reponse");
        List<Path> files = new ArrayList<>();
        files.add(reponse.letter().file());
        reponse.letterSignature().ifPresent(files::add);
        reponse.pieces().forEach(p -> files.add(p.file()));
        checkReadable(files);
        String op = "réponse au document " + reponse.childTransactionId();
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "id", String.valueOf(reponse.childTransactionId()));
        text(form, "type_envoie", String.valueOf(reponse.kind().code()));
        text(form, "type_acte", reponse.letter().typologie().code());
        file(form, "acte_pdf_file", reponse.letter().file());
        reponse.letterSignature().ifPresent(sig -> file(form, "acte_pdf_file_sign", sig));
        for (Piece p : reponse.pieces()) file(form, "acte_attachments[]", p.file());
        for (Piece p : reponse.pieces()) text(form, "type_pj[]", p.typologie().code());
        HttpPost post = new HttpPost(uri("/modules/actes/actes_transac_reponse_create.php"));
        post.setEntity(form.build());
        return once(op, post, r -> TdtReplies.parseId(body(r), op));
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    // ---------------------------------------------------------------- multipart

    /** Upload file name as Pastell sends it: only {@code [a-zA-Z0-9._ ]}, others become {@code _}. */
    static String uploadName(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : UPLOAD_NAME_FORBIDDEN.matcher(name.toString()).replaceAll("_");
        return n.isBlank() ? "document" : n;
    }

    private static void text(MultipartEntityBuilder form, String name, String value) {
        // Every scalar field as ISO-8859-1 bytes: with api=1, S²LOW converts them from ISO-8859-1 to UTF-8.
        form.addTextBody(name, value, LATIN1_TEXT);
    }

    private static void file(MultipartEntityBuilder form, String name, Path file) {
        form.addBinaryBody(name, file.toFile(), contentType(file), uploadName(file));
    }

    private static ContentType contentType(Path file) {
        String n = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".pdf")) return ContentType.create("application/pdf");
        if (n.endsWith(".xml")) return ContentType.create("application/xml");
        if (n.endsWith(".png")) return ContentType.IMAGE_PNG;
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return ContentType.IMAGE_JPEG;
        return ContentType.APPLICATION_OCTET_STREAM;
    }

    private static void checkReadable(List<Path> files) {
        List<Violation> violations = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                violations.add(Violation.error("fichier", "Le fichier " + f + " est introuvable ou illisible."));
            }
        }
        if (!violations.isEmpty()) throw new InvalidActeException(violations);
    }

    // ---------------------------------------------------------------- HTTP plumbing

    @FunctionalInterface
    private interface Handler<T> {
        T handle(ClassicHttpResponse response) throws IOException;
    }

    /** One attempt failed at the transport level; decides retry and ambiguity. */
    private static final class AttemptFailed extends Exception {
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

    /** Signals, from inside the create handler, a 200 whose body is not an API reply. */
    private static final class GarbledReply extends RuntimeException {
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

    private URI uri(String path, String... params) {
        try {
            URIBuilder b = new URIBuilder(base + path);
            for (int i = 0; i + 1 < params.length; i += 2) b.addParameter(params[i], params[i + 1]);
            return b.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad TdT URI for " + path, e);
        }
    }

    private HttpGet get(String path, String... params) {
        return new HttpGet(uri(path, params));
    }

    private <T> T read(String op, ClassicHttpRequest request, Handler<T> handler) {
        return read(op, request, false, handler);
    }

    /** A GET with bounded retries (exponential backoff, jitter) on I/O errors, timeouts and 5xx. */
    private <T> T read(String op, ClassicHttpRequest request, boolean acceptRedirect, Handler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(op, request, acceptRedirect, handler);
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
     * A non-idempotent request (cancel, answer, classification request): one attempt. After an
     * ambiguous failure the outcome is flagged unknown so that the caller checks before redoing it.
     */
    private <T> T once(String op, ClassicHttpRequest request, Handler<T> handler) {
        try {
            return attempt(op, request, false, handler);
        } catch (AttemptFailed f) {
            if (!f.maybeProcessed) throw f.failure;
            throw new TdtUnavailableException(f.failure.userMessage() + " La demande (" + op + ") a peut-être été "
                    + "enregistrée par le TdT : vérifiez sur le TdT avant de la refaire.",
                    "outcome unknown: " + f.failure.getMessage(), f.failure, true);
        }
    }

    private <T> T attempt(String op, ClassicHttpRequest request, boolean acceptRedirect, Handler<T> handler)
            throws AttemptFailed {
        authorize(request);
        try {
            return http.execute(request, response -> {
                checkStatus(op, response, acceptRedirect);
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

    private void authorize(ClassicHttpRequest request) {
        if (config.basicLogin().isEmpty() || config.basicPassword().isEmpty()) return;
        char[] password = config.basicPassword().get().reveal();
        CharBuffer credentials = CharBuffer.allocate(config.basicLogin().get().length() + 1 + password.length);
        credentials.put(config.basicLogin().get()).put(':').put(password).flip();
        Arrays.fill(password, '\0');
        java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(credentials);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        request.setHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(raw));
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(credentials.array(), '\0');
    }

    private void checkStatus(String op, ClassicHttpResponse response, boolean acceptRedirect) {
        int code = response.getCode();
        if (code >= 300 && code < 400) {
            URI location = location(response);
            String path = location == null || location.getPath() == null ? "" : location.getPath();
            if (path.endsWith("/login.php") || path.contains("/connexion")) {
                String error = location.getQuery() == null ? "" : " (" + location.getQuery() + ")";
                throw new TdtAuthenticationException("Le TdT a refusé l'authentification" + error + " : aucun compte S²LOW "
                        + "n'est associé au certificat client, ou le certificat est partagé par plusieurs comptes et "
                        + "l'identifiant ou le mot de passe est faux ou absent. Vérifiez tdt.client.keystore, tdt.login "
                        + "et tdt.password.", "TdT redirected " + op + " to its login page " + path, null);
            }
            if (acceptRedirect) return;
            throw new TdtRefusedException(op, "le TdT a renvoyé vers son interface web (" + path + ") au lieu de répondre : "
                    + "identifiant inconnu, document absent ou droits insuffisants sur ce compte.");
        }
        if (code == 401 || code == 403) {
            throw new TdtAuthenticationException("Le TdT a refusé l'accès (HTTP " + code + ") : vérifiez le certificat "
                    + "client (tdt.client.keystore) et, si le certificat est partagé, tdt.login et tdt.password.",
                    "TdT answered HTTP " + code + " to " + op, null);
        }
        if (code >= 500) {
            throw new ServerError(code);
        }
        if (code >= 400) {
            throw new TdtProtocolException("Le TdT a répondu HTTP " + code + " pendant : " + op + ". Vérifiez tdt.url "
                    + "(racine de l'instance S²LOW, ex. https://s2low.example.fr).", "TdT answered HTTP " + code + " to " + op);
        }
    }

    private URI location(ClassicHttpResponse response) {
        Header h = response.getFirstHeader(HttpHeaders.LOCATION);
        if (h == null) return null;
        try {
            return baseUri.resolve(new URI(h.getValue().trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The 302 of get_document: only to the TdT's own download script, same scheme, host and port. */
    private URI redirectTarget(String op, ClassicHttpResponse response) {
        URI location = location(response);
        if (response.getCode() < 300 || response.getCode() >= 400 || location == null) {
            throw protocol(op, "redirect to actes_download_file.php expected, got HTTP " + response.getCode());
        }
        boolean sameOrigin = "https".equalsIgnoreCase(location.getScheme())
                && baseUri.getHost().equalsIgnoreCase(location.getHost())
                && effectivePort(baseUri) == effectivePort(location);
        if (!sameOrigin || location.getPath() == null || !location.getPath().endsWith("/actes_download_file.php")) {
            throw protocol(op, "redirect to another place refused: " + location.getHost() + location.getPath());
        }
        return location;
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : 443;
    }

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
        if (e instanceof java.net.SocketException || e instanceof NoHttpResponseException) {
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
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket()) {
            socket.connect(new java.net.InetSocketAddress(baseUri.getHost(), effectivePort(baseUri)), timeout);
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
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

    private static TdtProtocolException protocol(String op, String detail) {
        return new TdtProtocolException("Réponse inattendue du TdT (" + op + "). Vérifiez tdt.url ; si cela persiste, "
                + "contactez l'exploitant du TdT.", "unexpected TdT reply to " + op + ": " + detail);
    }

    private static byte[] body(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) return new byte[0];
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
            if (bytes.length > MAX_REPLY_BYTES) throw new IOException("TdT reply larger than " + MAX_REPLY_BYTES + " bytes");
            return bytes;
        }
    }

    private JsonNode readJson(String op, ClassicHttpRequest request) {
        byte[] body = read(op, request, TdtClient::body);
        TdtReplies.koMessage(body).ifPresent(m -> {
            throw new TdtRefusedException(op, m);
        });
        try {
            return Json.MAPPER.readTree(TdtReplies.decode(body));
        } catch (JsonProcessingException e) {
            throw TdtReplies.unparseable(op, body);
        }
    }

    /**
     * Streams the body to {@code target} through a temporary file moved into place. A body starting
     * with {@code KO} is the TdT's refusal; an HTML page is not a file. Returns false (nothing
     * written) on an empty body when {@code emptyIsNone}.
     */
    private boolean download(String op, ClassicHttpRequest request, Path target, boolean emptyIsNone) {
        Objects.requireNonNull(target, "target");
        Path part = target.resolveSibling(target.getFileName() + ".part");
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

    // ---------------------------------------------------------------- TLS material

    private static KeyStore loadKeyStore(Path file, char[] password, String key, String passwordKey) {
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new ConfigException(badPassword
                    ? passwordKey + " ne permet pas d'ouvrir " + key + " (" + file + ") : mot de passe incorrect."
                    : key + " : fichier introuvable ou illisible (" + file + ") : " + e.getMessage(),
                    "cannot load " + key + " " + file + ": " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " (" + file + ") n'est pas un magasin PKCS#12 ou JKS lisible : " + e.getMessage(),
                    "cannot load " + key + " " + file + ": " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private X509Certificate clientCertificate(KeyStore keyStore) {
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate c) return c;
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(TdtConfig.KEY_KEYSTORE + " est illisible : " + e.getMessage(), "keystore: " + e);
        }
        throw new ConfigException(TdtConfig.KEY_KEYSTORE + " (" + config.clientKeystore() + ") ne contient aucune clé "
                + "privée avec son certificat : exportez le certificat client avec sa clé (fichier .p12).",
                "no key entry in " + config.clientKeystore());
    }

    private SSLContext sslContext(KeyStore keyStore) {
        char[] password = config.clientPassword().reveal();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.truststore().isPresent()) {
                tmf.init(loadKeyStore(config.truststore().get(), config.truststorePassword().orElseThrow().reveal(),
                        TdtConfig.KEY_TRUSTSTORE, TdtConfig.KEY_TRUSTSTORE_PASSWORD));
            } else {
                tmf.init((KeyStore) null); // the JDK's default trust
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.UnrecoverableKeyException e) {
            throw new ConfigException("La clé privée de " + TdtConfig.KEY_KEYSTORE + " ne s'ouvre pas avec "
                    + TdtConfig.KEY_KEYSTORE_PASSWORD + " : la clé doit avoir le même mot de passe que le fichier.",
                    "cannot recover client key: " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Impossible de préparer la connexion TLS au TdT : " + e.getMessage(), "TLS setup: " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Loaded at the first JSON reply (files list, list_actes), not with the client: a CLI run seldom needs it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

}
