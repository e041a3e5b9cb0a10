package fr.actesconnector.tdt;

import com.fasterxml.jackson.databind.JsonNode;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.PemText;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Violation;
import fr.actesconnector.tdt.TdtTransport.AttemptFailed;
import fr.actesconnector.tdt.TdtTransport.Redirects;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S²LOW's legacy ACTES API, one method per script (spec {@code S2LOW-API.md} §2–§12; each method
 * names the script of {@code libriciel/s2low} it calls and what of its behaviour it relies on). The
 * transport under it ({@link TdtTransport}) holds TLS, authentication, retries and the failures.
 *
 * <p>Reads (GET) are retried; the create POST is never re-sent blindly: after an ambiguous failure
 * the acte is looked up on the TdT first ({@link #create(TdtSubmission, IdActe)}); other
 * state-changing calls are sent once. Thread-safe; {@link #close()} releases the connections.
 */
public final class TdtClient implements Closeable {
    /** Waits between attempts; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Every status a type-1 transaction can be in (S²LOW {@code class/actes/ActesStatusSQL.php}), the
     * likeliest for a just-posted acte first: an acte is only "certainly absent" when none lists it.
     */
    static final List<Integer> LOOKUP_STATUSES = List.of(17, 1, -1, 2, 3, 4, 5, 0, 18, 19, 12, 13, 14, 15, 16, 20, 22);
    static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 50;
    private static final int MAX_SIGNATURE_BYTES = 1024 * 1024;
    private static final ContentType LATIN1_TEXT = ContentType.create("text/plain", StandardCharsets.ISO_8859_1);
    private static final ContentType PEM = ContentType.create("application/x-pem-file", StandardCharsets.US_ASCII);
    private static final Pattern UPLOAD_NAME_FORBIDDEN = Pattern.compile("[^a-zA-Z0-9._ ]");
    /** Where post_confirm_api sends us back; never fetched, only read from the Location header. */
    static final String CONFIRM_RETURN = "https://actes-connector.invalid/post-confirm?error=%%ERROR%%&message=%%MESSAGE%%";
    private static final Pattern CONFIRM_OUTCOME = Pattern.compile("[?&]error=([0-9])&message=(.*)$", Pattern.DOTALL);
    private static final Logger LOG = LoggerFactory.getLogger(TdtClient.class);

    private final TdtTransport transport;

    public TdtClient(TdtConfig config) {
        this(config, new TdtRateLimits());
    }

    /** A client whose account shares its request budget with the other clients given {@code limits}. */
    public TdtClient(TdtConfig config, TdtRateLimits limits) {
        this(config, d -> Thread.sleep(d.toMillis()), new SplittableRandom(), limits);
    }

    public TdtClient(TdtConfig config, Sleeper sleeper, RandomGenerator random) {
        this(config, sleeper, random, new TdtRateLimits());
    }

    TdtClient(TdtConfig config, Sleeper sleeper, RandomGenerator random, TdtRateLimits limits) {
        Objects.requireNonNull(sleeper, "sleeper");
        this.transport = new TdtTransport(config, sleeper::sleep, random, limits);
    }

    /** The client certificate this client presents (for diagnosis: subject, issuer, expiry). */
    public X509Certificate clientCertificate() {
        return transport.tls().clientCertificate();
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---------------------------------------------------------------- connection probes (§2)

    /** {@code /api/test-connexion.php}: returns normally when the TdT authenticated us. */
    public void testConnection() {
        String op = "test de connexion";
        byte[] body = transport.text(op, transport.get("/api/test-connexion.php"));
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
        byte[] body = transport.text("test RGS", transport.get("/api/test-rgs.php"));
        Optional<String> ko = TdtReplies.koMessage(body);
        if (ko.isPresent()) return new RgsCheck(false, ko.get());
        String text = TdtReplies.decode(body).strip();
        if (!text.startsWith("OK")) throw TdtReplies.unparseable("test RGS", body);
        return new RgsCheck(true, text.substring(2).strip());
    }

    /** {@code /api/info-connexion.php}: the account and authority bound to our certificate. */
    public ConnectionInfo connectionInfo() {
        JsonNode root = transport.json("informations de connexion", transport.get("/api/info-connexion.php"));
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
        byte[] body = transport.text(op, transport.get("/admin/users/api-list-login.php"));
        TdtReplies.koMessage(body).ifPresent(m -> {
            throw new TdtRefusedException(op, m);
        });
        return TdtReplies.decode(body).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    // ---------------------------------------------------------------- create (§4)

    /**
     * Posts the acte ({@code actes_transac_create.php}) and returns its transaction id. Never posts
     * twice: after an ambiguous failure (timeout, dropped connection, 5xx, garbled reply) the acte is
     * looked up on the TdT ({@link #findTransaction(IdActe, String)}); if found its id is returned
     * flagged {@code recovered}; if certainly absent it is posted once more; otherwise a
     * {@link TdtUnavailableException} with {@code outcomeUnknown()} is thrown and the caller must look
     * it up later, never re-post. {@code OK} is not acceptance: S²LOW checks the typologies and the
     * archive afterwards (status 1 → 2, or -1 with the number used for good).
     *
     * @throws TdtRefusedException       the TdT answered KO, or the body was over the server's limit (nothing recorded)
     * @throws TdtAuthenticationException certificate or login refused (nothing recorded)
     * @throws TdtUnavailableException    transport failure; see {@code outcomeUnknown()}
     * @throws InvalidActeException       a file to upload is missing or unreadable, a signature is not CMS
     */
    public CreateResult create(TdtSubmission submission, IdActe idActe) {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(idActe, "idActe");
        checkReadable(submission.files());
        Upload upload = new Upload(submission);
        LOG.info("{}: posting acte number {} to the TdT", idActe, submission.number());
        AttemptFailed first;
        try {
            long id = postCreate(upload);
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
            long id = postCreate(upload);
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

    /** The submission with its signatures read once, as the text S²LOW will embed. */
    private record Upload(TdtSubmission submission, Optional<String> documentSignature, List<String> annexSignatures) {
        Upload(TdtSubmission s) {
            this(s, s.documentSignature().map(TdtClient::signatureText),
                    s.annexSignatures().stream().map(TdtClient::signatureText).toList());
        }
    }

    private long postCreate(Upload upload) throws AttemptFailed {
        TdtSubmission s = upload.submission();
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
        upload.documentSignature().ifPresent(sig -> signature(form, "acte_pdf_file_sign", sig, s.document().file()));
        for (int i = 0; i < s.annexes().size(); i++) {
            Piece annexe = s.annexes().get(i);
            file(form, "acte_attachments[]", annexe.file());
            // S²LOW pairs acte_attachments_sign[i] with acte_attachments[i] by index (actes_transac_create.php).
            if (!upload.annexSignatures().isEmpty()) {
                signature(form, "acte_attachments_sign[]", upload.annexSignatures().get(i), annexe.file());
            }
        }
        for (Piece annexe : s.annexes()) {
            text(form, "type_pj[]", annexe.typologie().code());
        }
        text(form, "document_papier", s.documentPapier() ? "1" : "0");
        text(form, "en_attente", "0");
        // api=1 in the query too: over PHP's post_max_size the body's fields are lost and only the query
        // keeps S²LOW answering KO text rather than a redirect (class/Helpers.php, returnAndExit).
        HttpPost post = new HttpPost(transport.uri("/modules/actes/actes_transac_create.php", "api", "1"));
        post.setEntity(form.build());
        String op = "dépôt de l'acte " + s.number();
        return transport.attempt(op, post, Redirects.REFUSE, r -> {
            byte[] body = TdtTransport.body(r);
            try {
                return TdtReplies.parseId(body, op);
            } catch (TdtProtocolException garbled) {
                // 200 with an unknown body (proxy page, truncated reply): the TdT may have recorded the acte.
                throw new TdtTransport.GarbledReply(garbled);
            }
        });
    }

    /**
     * Finds the transaction id of the acte numbered {@code number} ({@code api/list_actes.php}, status
     * by status). That script lists every transaction type of the authority (cancellations and answers
     * carry the acte's number): only type 1 is the acte. The number is unique per authority on S²LOW
     * for good ({@code ActesTransaction::isUnique}), so a type-1 match is this acte. The IDActe cannot
     * serve: S²LOW learns it from the ARActe ({@code ActesAnalyseFichierRecuController}).
     */
    public Optional<Long> findTransaction(IdActe idActe, String number) {
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(number, "number");
        for (int status : LOOKUP_STATUSES) {
            for (int page = 0; page < MAX_PAGES; page++) {
                ActesPage actes = listActes(status, page * PAGE_SIZE, PAGE_SIZE);
                for (TdtTransaction t : actes.transactions()) {
                    // Versions without "type" in list_actes listed actes only.
                    boolean acte = t.type() == 1 || t.type() == 0;
                    if (acte && number.equals(t.number())) {
                        LOG.info("{}: found on the TdT as transaction {} (status {})", idActe, t.id(), status);
                        return Optional.of(t.id());
                    }
                }
                if (actes.transactions().size() < PAGE_SIZE) break;
            }
        }
        return Optional.empty();
    }

    /** What the TdT says about an acte after an ambiguous post; {@code failure} explains an inconclusive lookup. */
    private record Lookup(Optional<Long> transactionId, boolean certainlyAbsent, ActesException failure) {
    }

    private Lookup lookup(IdActe idActe, String number) {
        try {
            Optional<Long> id = findTransaction(idActe, number);
            if (id.isPresent()) return new Lookup(id, false, null);
            LOG.info("{}: number {} listed in no status on the TdT", idActe, number);
            return new Lookup(Optional.empty(), true, null);
        } catch (TdtAuthenticationException e) {
            // Refused by TLS client authentication: the post, made with the same certificate moments
            // before, cannot have reached the TdT's application either (with TLS 1.3 the refusal may first
            // show as a broken pipe).
            if (e.getCause() instanceof javax.net.ssl.SSLException) throw e;
            LOG.warn("{}: lookup on the TdT failed: {}", idActe, e.getMessage());
            return new Lookup(Optional.empty(), false, e);
        } catch (TdtUnavailableException | TdtProtocolException | TdtRefusedException e) {
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

    // ---------------------------------------------------------------- held actes (§5)

    /**
     * {@code actes_transac_post_confirm_api.php?id=<id>&url_return=…}: releases an acte held in status 17
     * (created by an account with the CS right only) to status 1. Needs an account with the TT right.
     * S²LOW always answers by a redirect to {@code url_return}, its {@code %%ERROR%%} replaced by 0 or 1
     * and {@code %%MESSAGE%%} by the reason, not URL-encoded; the redirect is read, never followed.
     *
     * @throws TdtRefusedException the TdT refused (not in status 17, no TT right, RGS certificate…)
     */
    public void confirmHeld(long transactionId) {
        String op = "validation de la transaction " + transactionId + " en attente";
        HttpGet get = transport.get("/modules/actes/actes_transac_post_confirm_api.php", "id", String.valueOf(transactionId),
                "url_return", CONFIRM_RETURN);
        ConfirmOutcome outcome = transport.once(op, get, Redirects.ACCEPT, r -> confirmOutcome(r.getFirstHeader(HttpHeaders.LOCATION)));
        if (outcome == null) throw TdtTransport.protocol(op, "no redirect to url_return");
        if (!outcome.ok()) throw new TdtRefusedException(op, outcome.message().isBlank() ? "(motif non précisé)" : outcome.message());
        LOG.info("transaction {} released from status 17 on the TdT", transactionId);
    }

    record ConfirmOutcome(boolean ok, String message) {
    }

    /** Reads our url_return back from S²LOW's raw Location header; null when it is not ours. */
    static ConfirmOutcome confirmOutcome(Header location) {
        if (location == null) return null;
        // PHP writes the header's bytes as they are (UTF-8 text); HttpClient read them as ISO-8859-1.
        String raw = TdtReplies.decode(location.getValue().strip().getBytes(StandardCharsets.ISO_8859_1));
        if (!raw.startsWith("https://actes-connector.invalid/post-confirm")) return null;
        Matcher m = CONFIRM_OUTCOME.matcher(raw);
        if (!m.find()) return null;
        String message = TdtReplies.decodeHtml(m.group(2).replaceAll("(?i)<br\\s*/?>", "\n")).strip();
        return new ConfirmOutcome("0".equals(m.group(1)), message);
    }

    // ---------------------------------------------------------------- status (§6) and files (§7)

    /** {@code actes_transac_get_status.php?transaction=<id>}: {@code OK\n<status>\n} then the return flow of that status. */
    public StatusReport getStatus(long transactionId) {
        String op = "statut de la transaction " + transactionId;
        return transport.read(op, transport.get("/modules/actes/actes_transac_get_status.php", "transaction",
                String.valueOf(transactionId)), r -> TdtReplies.parseStatus(TdtTransport.body(r), op));
    }

    /**
     * {@code actes_transac_get_status.php?unique_id=<IDActe>}; KO (unknown IDActe) is a {@link TdtRefusedException}.
     * Only answers once the AR is in: S²LOW sets {@code unique_id} from the ARActe.
     */
    public StatusReport getStatus(IdActe idActe) {
        Objects.requireNonNull(idActe, "idActe");
        String op = "statut de l'acte " + idActe;
        return transport.read(op, transport.get("/modules/actes/actes_transac_get_status.php", "unique_id", idActe.value()),
                r -> TdtReplies.parseStatus(TdtTransport.body(r), op));
    }

    /**
     * {@code actes_transac_get_ARActe.php?id=<id>}: writes the stored ARActe XML to {@code target};
     * false (nothing written) when the TdT holds none yet, or when it answers by a redirect, as S²LOW
     * did before 5.0.47 (CHANGELOG): then the ARActe that get_status carries at status 4 is the one to use.
     */
    public boolean downloadARActe(long transactionId, Path target) {
        String op = "AR de la transaction " + transactionId;
        try {
            return transport.download(op, transport.get("/modules/actes/actes_transac_get_ARActe.php", "id",
                    String.valueOf(transactionId)), target, true);
        } catch (TdtRefusedException e) {
            if (e instanceof TdtRedirectedException) {
                LOG.info("transaction {}: get_ARActe answered a redirect (S²LOW before 5.0.47)", transactionId);
                return false;
            }
            throw e;
        }
    }

    /** {@code actes_transac_get_files_list.php?transaction=<id>}: message XML, document, annexes. */
    public List<TdtFile> listFiles(long transactionId) {
        String op = "liste des fichiers de la transaction " + transactionId;
        JsonNode root = transport.json(op, transport.get("/modules/actes/actes_transac_get_files_list.php", "transaction",
                String.valueOf(transactionId)));
        if (!root.isArray()) throw TdtTransport.protocol(op, "JSON array expected");
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
        downloadFile(fileId, stamped, Optional.empty(), target);
    }

    /**
     * As {@link #downloadFile(long, boolean, Path)}; {@code dateAffichage} (publication or display) goes on
     * the stamp beside the dates of sending and reception ({@code class/actes/ActeTamponne.php} hands it to
     * the stamp as is, beside the ARActe's DateReception: the same ISO form).
     */
    public void downloadFile(long fileId, boolean stamped, Optional<java.time.LocalDate> dateAffichage, Path target) {
        List<String> params = new ArrayList<>(List.of("file", String.valueOf(fileId)));
        if (stamped) params.addAll(List.of("tampon", "true"));
        dateAffichage.filter(d -> stamped).ifPresent(d -> params.addAll(List.of("date_affichage", d.toString())));
        transport.download("téléchargement du fichier " + fileId,
                transport.get("/modules/actes/actes_download_file.php", params.toArray(String[]::new)), target, false);
    }

    /** {@code actes_download_file.php?env=<envelope id>}: the whole {@code .tar.gz} of an envelope. */
    public void downloadEnvelope(long envelopeId, Path target) {
        transport.download("téléchargement de l'enveloppe " + envelopeId,
                transport.get("/modules/actes/actes_download_file.php", "env", String.valueOf(envelopeId)), target, false);
    }

    /** {@code actes_create_pdf.php?trans_id=<id>}: the TdT's acknowledgement PDF (bordereau). */
    public void downloadBordereau(long transactionId, Path target) {
        transport.download("bordereau de la transaction " + transactionId,
                transport.get("/modules/actes/actes_create_pdf.php", "trans_id", String.valueOf(transactionId)), target, false);
    }

    // ---------------------------------------------------------------- cancel (§10), classification (§11)

    /** {@code actes_transac_cancel.php}: asks the cancellation (6-1) of an acte in status 4; returns the cancel transaction id. */
    public long cancel(long transactionId) {
        String op = "annulation de la transaction " + transactionId;
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "id", String.valueOf(transactionId));
        HttpPost post = new HttpPost(transport.uri("/modules/actes/actes_transac_cancel.php"));
        post.setEntity(form.build());
        return transport.once(op, post, Redirects.REFUSE, r -> TdtReplies.parseId(TdtTransport.body(r), op));
    }

    /** {@code actes_classification_request.php?api=1}: asks the prefecture for its classification (7-1). Not retried. */
    public long requestClassification() {
        String op = "demande de classification";
        return transport.once(op, transport.get("/modules/actes/actes_classification_request.php", "api", "1"),
                Redirects.REFUSE, r -> TdtReplies.parseId(TdtTransport.body(r), op));
    }

    /** {@code actes_classification_fetch.php?api=1}: writes the last RetourClassification XML to {@code target}. */
    public void fetchClassification(Path target) {
        transport.download("récupération de la classification",
                transport.get("/modules/actes/actes_classification_fetch.php", "api", "1"), target, false);
    }

    // ---------------------------------------------------------------- listings (§12, §3)

    /**
     * {@code api/list_actes.php}: transactions of every type whose current status is {@code statusId},
     * newest first (S²LOW {@code controller/ActesAPIController.php}, values as JSON strings).
     */
    public ActesPage listActes(int statusId, int offset, int limit) {
        String op = "liste des actes au statut " + statusId;
        JsonNode root = transport.json(op, transport.get("/modules/actes/api/list_actes.php", "status_id",
                String.valueOf(statusId), "offset", String.valueOf(offset), "limit", String.valueOf(limit)));
        JsonNode list = root.path("transactions");
        if (!root.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
            throw TdtTransport.protocol(op, "object with a transactions array expected");
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
        JsonNode root = transport.json(op, transport.get("/modules/actes/api/actes_status.php"));
        if (!root.isObject()) throw TdtTransport.protocol(op, "JSON object expected");
        Map<Integer, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            try {
                labels.put(Integer.parseInt(e.getKey().trim()), e.getValue().asText(""));
            } catch (NumberFormatException ex) {
                throw TdtTransport.protocol(op, "non-numeric status id " + e.getKey());
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    // ---------------------------------------------------------------- prefecture documents (§8), answers (§9)

    /**
     * {@code api/list_document_prefecture.php}: unread incoming documents (types 2 to 5, answers
     * excluded), whatever their status ({@code ActesTransactionsSQL::listDocumentPrefectureNonLu}).
     */
    public List<PrefectureDocument> listPrefectureDocuments() {
        String op = "liste des documents de la préfecture";
        JsonNode root = transport.json(op, transport.get("/modules/actes/api/list_document_prefecture.php"));
        if (!root.isArray()) throw TdtTransport.protocol(op, "JSON array expected");
        List<PrefectureDocument> docs = new ArrayList<>();
        for (JsonNode d : root) {
            docs.add(new PrefectureDocument(d.path("id").asLong(0), d.path("type").asInt(0),
                    d.path("related_transaction_id").asLong(0), d.path("number").asText(""),
                    d.path("unique_id").asText(""), d.path("last_status_id").asInt(0)));
        }
        return List.copyOf(docs);
    }

    /** {@code actes_transac_get_document.php?id=<acte id>}: one {@code <type>-<status>-<id>} line per child transaction. */
    public List<ChildTransaction> childTransactions(long acteTransactionId) {
        String op = "documents liés à la transaction " + acteTransactionId;
        byte[] body = transport.text(op, transport.get("/modules/actes/actes_transac_get_document.php", "id",
                String.valueOf(acteTransactionId)));
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
     * answers {@code Location: actes_download_file.php?env=N}, relative, so resolved against the script's
     * own URL ({@code …/modules/actes/}); followed on the same host only.
     */
    public void downloadPrefectureDocument(long childTransactionId, Path target) {
        String op = "document de la préfecture " + childTransactionId;
        HttpGet request = transport.get("/modules/actes/actes_transac_get_document.php", "id", String.valueOf(childTransactionId));
        java.net.URI location = transport.read(op, request, Redirects.ACCEPT,
                r -> transport.sameOriginRedirect(op, request, r, "actes_download_file.php"));
        transport.download(op, new HttpGet(location), target, false);
    }

    /** {@code api/document_prefecture_mark_as_read.php}: removes the document from the unread list. */
    public void markAsRead(long childTransactionId) {
        String op = "marquage comme lu du document " + childTransactionId;
        JsonNode root = transport.json(op, transport.get("/modules/actes/api/document_prefecture_mark_as_read.php",
                "transaction_id", String.valueOf(childTransactionId)));
        if (!"ok".equalsIgnoreCase(root.path("result").asText())) throw TdtTransport.protocol(op, "result ok expected: " + root);
    }

    /**
     * {@code actes_transac_reponse_create.php?api=1}: answers a prefecture letter; returns the answer's
     * transaction id. This script reads {@code api} from the query and then answers
     * {@code OK : id généré : <id>} / {@code KO : <motif>} (a few early refusals keep {@code KO\n…}). Not retried.
     */
    public long createReponse(ReponseSubmission reponse) {
        Objects.requireNonNull(reponse, "reponse");
        List<Path> files = new ArrayList<>();
        files.add(reponse.letter().file());
        reponse.letterSignature().ifPresent(files::add);
        reponse.pieces().forEach(p -> files.add(p.file()));
        checkReadable(files);
        Optional<String> signature = reponse.letterSignature().map(TdtClient::signatureText);
        String op = "réponse " + reponse.messageCode() + " au document " + reponse.childTransactionId();
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        text(form, "api", "1");
        text(form, "id", String.valueOf(reponse.childTransactionId()));
        text(form, "type_envoie", String.valueOf(reponse.kind().code()));
        text(form, "type_acte", reponse.letter().typologie().code());
        file(form, "acte_pdf_file", reponse.letter().file());
        signature.ifPresent(sig -> signature(form, "acte_pdf_file_sign", sig, reponse.letter().file()));
        for (Piece p : reponse.pieces()) file(form, "acte_attachments[]", p.file());
        for (Piece p : reponse.pieces()) text(form, "type_pj[]", p.typologie().code());
        HttpPost post = new HttpPost(transport.uri("/modules/actes/actes_transac_reponse_create.php", "api", "1"));
        post.setEntity(form.build());
        return transport.once(op, post, Redirects.REFUSE, r -> TdtReplies.parseId(TdtTransport.body(r), op));
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

    /**
     * A signature goes up as a file whose content is PEM text: S²LOW reads the upload as a string,
     * rtrims it and writes it as is in {@code Signature} ({@code ActesTransaction.class.php}, addSign).
     */
    private static void signature(MultipartEntityBuilder form, String name, String pem, Path signed) {
        form.addBinaryBody(name, pem.getBytes(StandardCharsets.US_ASCII), PEM, uploadName(signed) + ".pem");
    }

    /**
     * The PEM text of a detached signature file: kept as it is when already PEM, armoured when DER.
     * Anything else is refused before posting, since S²LOW would embed it blindly.
     */
    static String signatureText(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidActeException(List.of(Violation.error("signature", "La signature " + file
                    + " est illisible : " + e.getMessage())));
        }
        if (bytes.length > MAX_SIGNATURE_BYTES) {
            throw notASignature(file, "plus de " + MAX_SIGNATURE_BYTES + " octets");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String stripped = text.strip();
        if (stripped.startsWith("-----BEGIN ")) {
            if (!stripped.matches("(?s)-----BEGIN (PKCS7|CMS)-----[A-Za-z0-9+/=\\r\\n]+-----END (PKCS7|CMS)-----")) {
                throw notASignature(file, "armure PEM incorrecte");
            }
            return stripped.replace("\r\n", "\n") + "\n";
        }
        if (bytes.length < 2 || bytes[0] != 0x30) throw notASignature(file, "ni PEM ni DER");
        return PemText.of(bytes);
    }

    private static InvalidActeException notASignature(Path file, String why) {
        return new InvalidActeException(List.of(Violation.error("signature", "Le fichier " + file + " n'est pas une "
                + "signature CMS détachée (" + why + ") : le TdT l'insérerait tel quel dans le message.")));
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
}
