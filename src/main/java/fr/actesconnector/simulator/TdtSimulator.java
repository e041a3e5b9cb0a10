package fr.actesconnector.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.ClassificationReader;
import fr.actesconnector.protocol.MinistryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's own S²LOW-compatible TdT, in process: the legacy ACTES API the connector uses
 * (spec {@code S2LOW-API.md}) with S²LOW's reply bytes, its create checks, and a simulated
 * prefecture that acknowledges each acte (1 → 2 → 3 → 4) at the configured {@link Pacing}, with a
 * realistic ARActe. Over HTTPS with client-certificate authentication, or plain HTTP on loopback.
 *
 * <p>State is in memory, thread-safe and small per transaction (posted facts, names, sizes and
 * digests); the files go to a work folder on disk. Start with {@link #builder()}, stop with
 * {@link #close()}.
 */
public final class TdtSimulator implements AutoCloseable {
    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY each small answer waits
        // for the client's delayed ACK (~40 ms). Read once when the JDK server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static final Path DEFAULT_CLASSIFICATION = Path.of("config", "classification-078.xml");
    /** S²LOW's default {@code ACTES_ARCHIVE_MAX_SIZE}. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 150L * 1024 * 1024;
    public static final int DEFAULT_MAX_TRANSACTIONS = 100_000;
    public static final int DEFAULT_THREADS = 32;
    public static final long DEFAULT_AUTHORITY_ID = 1;
    public static final int MAX_SUBJECT_LENGTH = 499;
    /** Status labels of S²LOW's {@code actes_status} table (spec §3). */
    public static final Map<Integer, String> STATUS_LABELS = statusLabels();

    static final String CREATE = "/modules/actes/actes_transac_create.php";
    static final String STATUS = "/modules/actes/actes_transac_get_status.php";
    private static final String UI = "/modules/actes/index.php";
    private static final String AR_FILE = "ARActe.xml";
    private static final String ANOMALY_FILE = "AnomalieActe.xml";
    private static final String AR_ANNULATION_FILE = "ARAnnulation.xml";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final Logger LOG = LoggerFactory.getLogger(TdtSimulator.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean tls;
    private volatile Duration delay;
    private final Pacing pacing;
    private final Clock clock;
    private final Collectivite collectivite;
    private final long authorityId;
    private final Path classificationFile;
    private final ClassificationCatalogue catalogue;
    private final long maxTotalBytes;
    private final int maxTransactions;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final SimulatedMessages messages;

    private final AtomicLong transactionIds = new AtomicLong(1000);
    private final AtomicLong fileIds = new AtomicLong(5000);
    private final ConcurrentNavigableMap<Long, Transaction> transactions = new ConcurrentSkipListMap<>();
    private final Map<String, Long> numbers = new ConcurrentHashMap<>();
    private final Map<String, Long> idActes = new ConcurrentHashMap<>();
    private final Map<Long, FileRef> files = new ConcurrentHashMap<>();
    private final Map<String, Transaction.Anomaly> plannedAnomalies = new ConcurrentHashMap<>();

    private record FileRef(Transaction transaction, int index) {
    }

    private TdtSimulator(Builder b) {
        this.tls = b.tls != null;
        this.delay = b.delay;
        this.pacing = b.pacing;
        this.clock = b.clock;
        this.collectivite = b.collectivite;
        this.authorityId = b.authorityId;
        this.classificationFile = b.classification;
        this.maxTotalBytes = b.maxTotalBytes;
        this.maxTransactions = b.maxTransactions;
        ActesXml xml = new ActesXml();
        try {
            this.catalogue = new ClassificationReader(xml).read(classificationFile);
        } catch (RuntimeException e) {
            throw new SimulatorException("Le simulateur ne peut pas lire la classification « " + classificationFile
                    + " » : indiquez un fichier RetourClassification lisible.", "cannot read classification "
                    + classificationFile + ": " + e.getMessage(), e);
        }
        this.messages = new SimulatedMessages(xml, collectivite, catalogue.dateClassification());
        try {
            this.ownsWorkDir = b.workDir == null;
            this.workDir = b.workDir == null ? Files.createTempDirectory("tdt-simulator-") : Files.createDirectories(b.workDir);
        } catch (IOException e) {
            throw new SimulatorException("Le simulateur ne peut pas créer son dossier de travail : " + e.getMessage(),
                    "cannot create work folder: " + e, e);
        }
        AtomicInteger threadCount = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "tdt-simulator-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress address = new InetSocketAddress(b.bindAddress, b.port);
        try {
            if (b.tls != null) {
                SSLContext ssl = b.tls.sslContext();
                HttpsServer https = HttpsServer.create(address, 256);
                https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
                    @Override
                    public void configure(HttpsParameters params) {
                        SSLParameters p = getSSLContext().getDefaultSSLParameters();
                        p.setNeedClientAuth(true); // as S²LOW's Apache: SSLVerifyClient require
                        params.setSSLParameters(p);
                    }
                });
                this.server = https;
            } else {
                this.server = HttpServer.create(address, 256);
            }
        } catch (IOException e) {
            executor.shutdownNow();
            throw new SimulatorException("Le simulateur ne peut pas écouter sur le port " + b.port + " (" + e.getMessage()
                    + ") : choisissez un autre port (--port).", "cannot bind " + address + ": " + e, e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("TdT simulator listening on {} (work folder {})", url(), workDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Root URL to give as {@code tdt.url}: {@code https://localhost:<port>} with TLS, else {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create((tls ? "https://localhost:" : "http://127.0.0.1:") + port());
    }

    public Path workDir() {
        return workDir;
    }

    public ClassificationCatalogue catalogue() {
        return catalogue;
    }

    /** Number of transactions held (actes, cancellations, classification requests). */
    public int transactionCount() {
        return transactions.size();
    }

    /** Current status of a transaction, without counting as a poll. */
    public Optional<Integer> status(long transactionId) {
        Transaction t = transactions.get(transactionId);
        return t == null ? Optional.empty() : Optional.of(t.advance(clock.instant(), false).status());
    }

    /**
     * The next acte posted with {@code number} will be answered by an AnomalieActe (status -1)
     * instead of an ARActe, with the given ministry nature code (e.g. {@code 002}) and detail.
     */
    public void failNextWithAnomalie(String number, String nature, String detail) {
        Objects.requireNonNull(number, "number");
        plannedAnomalies.put(number, new Transaction.Anomaly(Objects.requireNonNull(nature, "nature"),
                Objects.requireNonNull(detail, "detail")));
    }

    /** Changes the latency added to every request (benchmarks seed without it, then measure with it). */
    public void setDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("negative delay: " + delay);
        this.delay = delay;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsWorkDir) quietlyDeleteTree(workDir);
        LOG.info("TdT simulator on port {} stopped", server.getAddress().getPort());
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) {
        try (ex) {
            if (!delay.isZero()) Thread.sleep(delay.toMillis());
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            switch (path) {
                case "/api/test-connexion.php", "/api/test-rgs.php" -> send(ex, 200, "text/plain", latin1("OK"));
                case "/api/info-connexion.php" -> infoConnexion(ex);
                case "/admin/users/api-list-login.php" -> send(ex, 200, "text/plain", latin1("simulateur\n"));
                case CREATE -> create(ex, query);
                case STATUS -> status(ex, query);
                case "/modules/actes/actes_transac_get_ARActe.php" -> arActe(ex, query);
                case "/modules/actes/actes_transac_get_files_list.php" -> filesList(ex, query);
                case "/modules/actes/actes_download_file.php" -> download(ex, query);
                case "/modules/actes/actes_create_pdf.php" -> bordereau(ex, query);
                case "/modules/actes/actes_transac_cancel.php" -> cancel(ex, query);
                case "/modules/actes/actes_classification_request.php" -> classificationRequest(ex);
                case "/modules/actes/actes_classification_fetch.php" -> classificationFetch(ex);
                case "/modules/actes/actes_transac_get_document.php" -> send(ex, 200, "text/plain", new byte[0]);
                case "/modules/actes/api/list_actes.php" -> listActes(ex, query);
                case "/modules/actes/api/number_actes.php" -> numberActes(ex, query);
                case "/modules/actes/api/list_document_prefecture.php" -> send(ex, 200, "application/json", latin1("[]"));
                case "/modules/actes/api/actes_status.php" -> sendJson(ex, Json.MAPPER.valueToTree(STATUS_LABELS));
                default -> send(ex, 404, "text/plain", latin1("Not Found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client may have gone away; nothing else to tell it
            LOG.warn("simulator request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            LOG.debug("simulator failure", e);
        }
    }

    // ---------------------------------------------------------------- create (§4)

    private void create(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<MultipartReader> reader = MultipartReader.of(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Type"));
        if (!"POST".equals(ex.getRequestMethod()) || reader.isEmpty()) {
            ko(ex, "Le dépôt d'un acte se fait en POST multipart/form-data.");
            return;
        }
        if (transactions.size() >= maxTransactions) {
            ko(ex, "Le simulateur a atteint sa capacité de " + maxTransactions + " transactions.");
            return;
        }
        Path staging = Files.createTempDirectory(workDir, "upload-");
        boolean kept = false;
        try {
            ActeUpload upload;
            try {
                upload = ActeUpload.read(reader.get(), staging, maxTotalBytes);
            } catch (ActeUpload.TooLarge e) {
                ko(ex, "La taille totale des fichiers est trop importante (max : " + maxTotalBytes + " octets).");
                return;
            } catch (MultipartReader.MalformedBody e) {
                ko(ex, "Requête de dépôt illisible (" + e.getMessage() + ").");
                return;
            }
            if (!"1".equals(upload.field("api").map(String::trim).orElse(query.get("api")))) {
                redirect(ex, UI); // without api=1 S²LOW answers as to a browser
                return;
            }
            Instant now = clock.instant();
            ActeUpload.Result result = upload.check(LocalDate.ofInstant(now, clock.getZone()), catalogue,
                    numbers::containsKey, MAX_SUBJECT_LENGTH);
            if (result.refusal().isPresent()) {
                LOG.debug("create refused: {}", result.refusal().get());
                ko(ex, result.refusal().get());
                return;
            }
            ActeUpload.Checked c = result.checked().orElseThrow();
            long id = transactionIds.incrementAndGet();
            if (numbers.putIfAbsent(c.number(), id) != null) {
                ko(ex, "Le numéro interne de l'acte « " + c.number() + " » existe déjà pour cette collectivité : "
                        + "ajoutez un suffixe au numéro.");
                return;
            }
            Path dir = workDir.resolve(String.valueOf(id));
            Transaction t;
            try {
                Files.move(staging, dir);
                kept = true;
                t = register(id, c, dir, now);
            } catch (IOException | RuntimeException e) {
                numbers.remove(c.number(), id); // nothing was recorded: the number stays free
                throw e;
            }
            LOG.info("simulator: acte {} recorded as transaction {}", t.posted.orElseThrow().idActe(), id);
            send(ex, 200, "text/plain", latin1("OK\n" + id + "\n\n"));
        } finally {
            if (!kept) quietlyDeleteTree(staging);
        }
    }

    private Transaction register(long id, ActeUpload.Checked c, Path dir, Instant now) throws IOException {
        IdActe idActe = IdActe.of(collectivite.departement(), collectivite.siren(), c.decisionDate(), c.number(), c.nature());
        List<Transaction.StoredFile> stored = new ArrayList<>();
        Path message = dir.resolve(MinistryNames.message(idActe, MinistryNames.ACTE));
        long messageId = fileIds.incrementAndGet();
        // the message comes first; its size is known once the pieces are named and it is written
        stored.add(new Transaction.StoredFile(messageId, message.getFileName().toString(), "", "text/xml", 0, "", "",
                Optional.empty(), message, Optional.of(FileKind.XML)));
        stored.add(stored(c.document(), c.documentKind(), c.documentTypologie(), idActe, 1, dir, c.documentSignature()));
        for (int i = 0; i < c.annexes().size(); i++) {
            Optional<ActeUpload.UploadedFile> signature = c.annexSignatures().isEmpty()
                    ? Optional.empty() : Optional.of(c.annexSignatures().get(i));
            stored.add(stored(c.annexes().get(i), c.annexKinds().get(i), c.annexTypologies().get(i), idActe, i + 2, dir,
                    signature));
        }
        messages.writeActe(new Transaction.Posted(c.number(), c.nature(), c.decisionDate(), c.subject(),
                c.classification(), c.documentPapier(), idActe, stored), message);
        stored.set(0, new Transaction.StoredFile(messageId, message.getFileName().toString(), "", "text/xml",
                Files.size(message), "", "", Optional.empty(), message, Optional.of(FileKind.XML)));
        Transaction.Posted posted = new Transaction.Posted(c.number(), c.nature(), c.decisionDate(), c.subject(),
                c.classification(), c.documentPapier(), idActe, stored);
        Transaction t = new Transaction(id, Transaction.TYPE_ACTE, now, Optional.of(posted), Optional.empty(), dir, pacing,
                c.held(), Optional.ofNullable(plannedAnomalies.remove(c.number())), this::arrived);
        transactions.put(id, t);
        idActes.putIfAbsent(idActe.value(), id);
        for (int i = 0; i < stored.size(); i++) files.put(stored.get(i).id(), new FileRef(t, i));
        return t;
    }

    private Transaction.StoredFile stored(ActeUpload.UploadedFile f, FileKind kind, String typologie, IdActe idActe, int k,
                                          Path dir, Optional<ActeUpload.UploadedFile> signature) {
        String name = MinistryNames.piece(new Typologie(typologie), idActe, k, kind);
        Path path = dir.resolve(f.path().getFileName());
        Optional<Path> sig = signature.map(s -> dir.resolve(s.path().getFileName()));
        return new Transaction.StoredFile(fileIds.incrementAndGet(), name, f.postedName(), kind.mimeType(), f.size(),
                f.sha256(), typologie, sig, path, Optional.of(kind));
    }

    /** Writes the return flow of a transaction reaching {@code status} (called under its lock). */
    private Path arrived(Transaction t, int status, Instant at, Optional<Transaction.Anomaly> anomaly) {
        LocalDate day = LocalDate.ofInstant(at, clock.getZone());
        try {
            if (t.type == Transaction.TYPE_ACTE && status == 4) {
                Path file = t.dir.resolve(AR_FILE);
                messages.writeARActe(t.posted.orElseThrow(), day, file);
                return file;
            }
            if (t.type == Transaction.TYPE_ACTE && status == -1) {
                Path file = t.dir.resolve(ANOMALY_FILE);
                messages.writeAnomalieActe(t.posted.orElseThrow(), day, anomaly.orElseThrow(), file);
                return file;
            }
            if (t.type == Transaction.TYPE_CANCEL && status == 4) {
                Path file = t.dir.resolve(AR_ANNULATION_FILE);
                messages.writeARAnnulation(t.target.orElseThrow(), day, file);
                return file;
            }
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- status (§6), AR and files (§7)

    private Optional<Transaction> byKey(Map<String, String> query, String key) {
        String v = query.get(key);
        if (v == null || !v.trim().matches("[0-9]{1,18}")) return Optional.empty();
        return Optional.ofNullable(transactions.get(Long.parseLong(v.trim())));
    }

    private void status(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Transaction> t = query.containsKey("unique_id")
                ? Optional.ofNullable(idActes.get(query.get("unique_id").trim())).map(transactions::get)
                : byKey(query, "transaction");
        if (t.isEmpty()) {
            // this script writes its literals as UTF-8, without a final LF
            send(ex, 200, "text/plain", "KO\nNuméro de transaction invalide".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Transaction.Snapshot s = t.get().advance(clock.instant(), true);
        byte[] head = latin1("OK\n" + s.status() + "\n");
        byte[] tail = s.status() == -1 ? latin1(s.message()) : new byte[0];
        Optional<Path> flow = s.status() == 4 || s.status() == -1 || s.status() == 0 ? s.flow() : Optional.empty();
        sendStream(ex, "text/plain", Map.of(), head, flow, tail);
    }

    private void arActe(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Transaction> t = byKey(query, "id").filter(x -> x.type == Transaction.TYPE_ACTE);
        if (t.isEmpty()) {
            redirect(ex, UI);
            return;
        }
        t.get().advance(clock.instant(), false);
        Path ar = t.get().dir.resolve(AR_FILE);
        sendStream(ex, "application/xml", Map.of(), new byte[0], Files.exists(ar) ? Optional.of(ar) : Optional.empty(),
                new byte[0]);
    }

    private void filesList(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Transaction> t = byKey(query, "transaction").filter(x -> x.type == Transaction.TYPE_ACTE);
        if (t.isEmpty()) {
            ko(ex, "Transaction inconnue ou accès refusé.");
            return;
        }
        if (t.get().advance(clock.instant(), false).receivedAt().isEmpty()) {
            ko(ex, "Pas d'acquittement recu");
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Transaction.StoredFile f : t.get().posted.orElseThrow().files()) {
            ObjectNode o = list.addObject();
            o.put("id", String.valueOf(f.id()));
            o.put("name", f.name());
            o.put("posted_filename", f.postedName());
            o.put("mimetype", f.mimeType());
            o.put("size", String.valueOf(f.size()));
            o.put("sign", "");
            o.put("code_pj", f.codePj());
        }
        sendJson(ex, list);
    }

    private void download(HttpExchange ex, Map<String, String> query) throws IOException {
        String id = query.getOrDefault("file", "");
        FileRef ref = id.matches("[0-9]{1,18}") ? files.get(Long.parseLong(id)) : null;
        if (ref == null) {
            redirect(ex, UI); // also env=: envelopes are not kept by the simulator
            return;
        }
        Transaction.StoredFile f = ref.transaction().posted.orElseThrow().files().get(ref.index());
        Map<String, String> headers = Map.of("Content-Disposition", "attachment; filename=\"" + f.name() + "\"");
        Transaction.Snapshot s = ref.transaction().advance(clock.instant(), false);
        if ("true".equals(query.get("tampon")) && f.kind().filter(k -> k == FileKind.PDF).isPresent()
                && s.receivedAt().isPresent()) {
            Path stamped = Files.createTempFile(workDir, "stamped-", ".pdf");
            try {
                LocalDate sent = LocalDate.ofInstant(s.sentAt().orElse(ref.transaction().postedAt), clock.getZone());
                LocalDate received = LocalDate.ofInstant(s.receivedAt().get(), clock.getZone());
                SimulatedPdfs.stamp(f.path(), stamped, sent, received, ref.transaction().posted.orElseThrow().idActe().value());
                sendStream(ex, f.mimeType(), headers, new byte[0], Optional.of(stamped), new byte[0]);
                return;
            } catch (IOException | RuntimeException e) {
                // S²LOW returns the unstamped PDF when stamping fails
                LOG.warn("simulator: cannot stamp file {}: {}", f.id(), e.toString());
            } finally {
                Files.deleteIfExists(stamped);
            }
        }
        sendStream(ex, f.mimeType(), headers, new byte[0], Optional.of(f.path()), new byte[0]);
    }

    private void bordereau(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Transaction> t = byKey(query, "trans_id").filter(x -> x.type == Transaction.TYPE_ACTE);
        if (t.isEmpty()) {
            redirect(ex, UI);
            return;
        }
        Transaction.Snapshot s = t.get().advance(clock.instant(), false);
        Transaction.Posted p = t.get().posted.orElseThrow();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"Collectivité", collectivite.nom() + " (SIREN " + collectivite.siren() + ")"});
        rows.add(new String[]{"Identifiant de l'acte", p.idActe().value()});
        rows.add(new String[]{"Numéro de l'acte", p.number()});
        rows.add(new String[]{"Date de décision", DAY.format(p.decisionDate())});
        rows.add(new String[]{"Nature de l'acte", catalogue.nature(p.nature()).map(ClassificationCatalogue.NatureEntry::label)
                .orElse(p.nature().label())});
        rows.add(new String[]{"Matière", catalogue.matiereLabel(p.classification()).orElse(p.classification().toString())});
        rows.add(new String[]{"Objet", p.subject()});
        rows.add(new String[]{"Déposé sur le TdT le", DAY.format(LocalDate.ofInstant(t.get().postedAt, clock.getZone()))});
        rows.add(new String[]{"Statut", s.status() + " - " + STATUS_LABELS.getOrDefault(s.status(), "")});
        s.receivedAt().ifPresent(r -> rows.add(new String[]{"Reçu en préfecture le", DAY.format(LocalDate.ofInstant(r,
                clock.getZone()))}));
        for (Transaction.StoredFile f : p.files().subList(1, p.files().size())) {
            rows.add(new String[]{"Fichier", f.name() + " (" + f.size() + " octets, SHA-256 " + f.sha256() + ")"});
        }
        Path pdf = Files.createTempFile(workDir, "bordereau-", ".pdf");
        try {
            SimulatedPdfs.bordereau(pdf, rows, "Accusé de réception de la transmission - TdT simulé");
            sendStream(ex, "application/pdf", Map.of("Content-Disposition", "attachment; filename=\"acquittement.pdf\""),
                    new byte[0], Optional.of(pdf), new byte[0]);
        } finally {
            Files.deleteIfExists(pdf);
        }
    }

    // ---------------------------------------------------------------- cancel (§10), classification (§11)

    private void cancel(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<MultipartReader> reader = MultipartReader.of(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Type"));
        Map<String, String> fields = new HashMap<>(query);
        if (reader.isPresent()) {
            Optional<MultipartReader.PartHeader> part;
            while ((part = reader.get().next()).isPresent()) {
                String value = reader.get().readText(64 * 1024, StandardCharsets.ISO_8859_1);
                if (part.get().filename().isEmpty()) fields.put(part.get().name(), value);
            }
        } else if (ex.getRequestHeaders().getFirst("Content-Type") != null
                && ex.getRequestHeaders().getFirst("Content-Type").startsWith("application/x-www-form-urlencoded")) {
            try (InputStream in = ex.getRequestBody()) {
                fields.putAll(query(new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1)));
            }
        }
        Optional<Transaction> t = byKey(fields, "id");
        if (t.isEmpty()) {
            ko(ex, "La transaction à annuler n'existe pas.");
            return;
        }
        if (t.get().type != Transaction.TYPE_ACTE) {
            ko(ex, "Ce type de transaction ne peut pas être annulé.");
            return;
        }
        Instant now = clock.instant();
        Transaction.Snapshot s = t.get().advance(now, false);
        if (t.get().cancelPending()) {
            ko(ex, "Une annulation de cette transaction est déjà en cours.");
            return;
        }
        if (s.status() != 4) {
            ko(ex, "Impossible d'annuler une transaction qui n'est pas dans l'état « Acquittement reçu » (état actuel : "
                    + STATUS_LABELS.getOrDefault(s.status(), String.valueOf(s.status())) + ").");
            return;
        }
        long id = transactionIds.incrementAndGet();
        Path dir = Files.createDirectories(workDir.resolve(String.valueOf(id)));
        Transaction c = new Transaction(id, Transaction.TYPE_CANCEL, now, Optional.empty(),
                Optional.of(t.get().posted.orElseThrow().idActe()), dir, pacing, false, Optional.empty(), this::arrived);
        if (!t.get().attachCancel(c)) {
            quietlyDeleteTree(dir);
            ko(ex, "Une annulation de cette transaction est déjà en cours.");
            return;
        }
        transactions.put(id, c);
        LOG.info("simulator: cancellation {} of transaction {} recorded", id, t.get().id);
        send(ex, 200, "text/plain", latin1("OK\n" + id + "\n\n"));
    }

    private void classificationRequest(HttpExchange ex) throws IOException {
        long id = transactionIds.incrementAndGet();
        transactions.put(id, new Transaction(id, Transaction.TYPE_CLASSIFICATION, clock.instant(), Optional.empty(),
                Optional.empty(), null, pacing, false, Optional.empty(), this::arrived));
        send(ex, 200, "text/plain", latin1("OK\n" + id + "\n\n"));
    }

    private void classificationFetch(HttpExchange ex) throws IOException {
        sendStream(ex, "text/xml;charset=iso-8859-1", Map.of("Content-Disposition", "attachment; filename=\"classification.xml\""),
                new byte[0], Optional.of(classificationFile), latin1("\r\n"));
    }

    // ---------------------------------------------------------------- listings (§12, §2)

    private void listActes(HttpExchange ex, Map<String, String> query) throws IOException {
        int statusId = intParam(query, "status_id", 1);
        int offset = Math.max(0, intParam(query, "offset", 0));
        int limit = Math.max(0, intParam(query, "limit", 100));
        Instant now = clock.instant();
        ArrayNode list = Json.MAPPER.createArrayNode();
        int skipped = 0;
        for (Transaction t : transactions.descendingMap().values()) {
            if (list.size() >= limit) break;
            if (t.type != Transaction.TYPE_ACTE || t.advance(now, false).status() != statusId) continue;
            if (skipped++ < offset) continue;
            Transaction.Posted p = t.posted.orElseThrow();
            ObjectNode o = list.addObject();
            o.put("id", String.valueOf(t.id));
            o.put("subject", p.subject());
            o.put("number", p.number());
            o.put("date", p.decisionDate().toString());
            o.put("nature_descr", catalogue.nature(p.nature()).map(ClassificationCatalogue.NatureEntry::label)
                    .orElse(p.nature().label()));
            o.put("classification", p.classification().toString());
            o.put("type", String.valueOf(t.type));
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status_id", statusId);
        root.put("authority_id", authorityId);
        root.put("offset", offset);
        root.put("limit", limit);
        root.set("transactions", list);
        sendJson(ex, root);
    }

    private void numberActes(HttpExchange ex, Map<String, String> query) throws IOException {
        int statusId = intParam(query, "status_id", 1);
        Instant now = clock.instant();
        long n = transactions.values().stream()
                .filter(t -> t.type == Transaction.TYPE_ACTE && t.advance(now, false).status() == statusId).count();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status_id", statusId);
        root.put("authority_id", authorityId);
        root.put("nb_transactions", n);
        sendJson(ex, root);
    }

    private void infoConnexion(HttpExchange ex) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode user = root.putObject("user_info");
        user.put("id", "1");
        user.put("login", "simulateur");
        user.put("email", "simulateur@localhost");
        ObjectNode authority = root.putObject("authority_info");
        authority.put("id", String.valueOf(authorityId));
        authority.put("name", collectivite.nom());
        authority.put("department", collectivite.departement());
        authority.put("district", collectivite.arrondissement());
        authority.put("city", "");
        sendJson(ex, root);
    }

    // ---------------------------------------------------------------- replies (§1)

    /** {@code KO\n<message>\n}, the message HTML-escaped as PHP's htmlspecialchars does, in ISO-8859-1. */
    private static void ko(HttpExchange ex, String message) throws IOException {
        send(ex, 200, "text/plain", latin1("KO\n" + htmlspecialchars(message) + "\n"));
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

    /** Latin-1 bytes; characters outside it become {@code ?}, as PHP's utf8_decode does. */
    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private void sendJson(HttpExchange ex, Object node) throws IOException {
        send(ex, 200, "application/json", Json.MAPPER.writeValueAsBytes(node));
    }

    private static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** {@code head}, then the file streamed from disk, then {@code tail}, with an exact Content-Length. */
    private static void sendStream(HttpExchange ex, String contentType, Map<String, String> headers, byte[] head,
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

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored, as PHP would leave it garbled
            }
        }
        return params;
    }

    private static int intParam(Map<String, String> query, String key, int defaultValue) {
        String v = query.get(key);
        return v != null && v.trim().matches("-?[0-9]{1,9}") ? Integer.parseInt(v.trim()) : defaultValue;
    }

    private static Map<Integer, String> statusLabels() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(-1, "Erreur");
        m.put(0, "Annulé");
        m.put(1, "Posté");
        m.put(2, "En attente de transmission");
        m.put(3, "Transmis");
        m.put(4, "Acquittement reçu");
        m.put(5, "Validé");
        m.put(6, "Refusé");
        m.put(7, "Document reçu");
        m.put(8, "Acquittement envoyé");
        m.put(9, "Document envoyé");
        m.put(10, "Refus d'envoie");
        m.put(11, "Acquittement de document reçu");
        m.put(12, "Envoyé au SAE");
        m.put(13, "Archivé par le SAE");
        m.put(14, "Erreur lors de l'archivage");
        m.put(15, "Reçu par le SAE");
        m.put(16, "Détruite");
        m.put(17, "En attente d'être postée");
        m.put(18, "En attente d'être signé");
        m.put(19, "En attente de transmission au SAE");
        m.put(20, "Erreur lors de l'envoi au SAE");
        m.put(21, "Document reçu (pas d'AR)");
        m.put(22, "Impossible d'envoyer au SAE");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static void quietlyDeleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete simulator folder {}: {}", dir, e.toString());
        }
    }

    // ---------------------------------------------------------------- builder

    /** Settings of a simulator; {@link #start()} validates them and starts listening. Not thread-safe. */
    public static final class Builder {
        private int port;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private SimulatorTls tls;
        private Duration delay = Duration.ZERO;
        private Pacing pacing = Pacing.ONE_STEP_PER_POLL;
        private Clock clock = Clock.system(ZoneId.of("Europe/Paris"));
        private Collectivite collectivite = new Collectivite("Commune de Houdan", "217803105", "078", "1", "31");
        private long authorityId = DEFAULT_AUTHORITY_ID;
        private Path classification = DEFAULT_CLASSIFICATION;
        private long maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
        private int maxTransactions = DEFAULT_MAX_TRANSACTIONS;
        private int threads = DEFAULT_THREADS;
        private Path workDir;

        private Builder() {
        }

        /** Port to listen on; 0 (the default) picks a free one, see {@link TdtSimulator#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        /** Address to listen on; loopback by default. Plain HTTP is refused on any other address. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** HTTPS with client-certificate authentication. */
        public Builder tls(SimulatorTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Artificial latency added to every request. */
        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) throw new IllegalArgumentException("negative delay: " + delay);
            this.delay = delay;
            return this;
        }

        public Builder pacing(Pacing pacing) {
            this.pacing = Objects.requireNonNull(pacing, "pacing");
            return this;
        }

        /** Clock of the simulated TdT and prefecture; its zone gives the dates (DateReception). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The simulated authority: its département and SIREN make the IDActe. Houdan (078, 217803105) by default. */
        public Builder collectivite(Collectivite collectivite) {
            this.collectivite = Objects.requireNonNull(collectivite, "collectivite");
            return this;
        }

        public Builder authorityId(long authorityId) {
            this.authorityId = authorityId;
            return this;
        }

        /** RetourClassification served by classification_fetch and used to check typologies. */
        public Builder classification(Path retourClassification) {
            this.classification = Objects.requireNonNull(retourClassification, "retourClassification");
            return this;
        }

        /** Limit of the sum of uploaded file sizes of one post (S²LOW's ACTES_ARCHIVE_MAX_SIZE). */
        public Builder maxTotalBytes(long maxTotalBytes) {
            if (maxTotalBytes < 1) throw new IllegalArgumentException("maxTotalBytes must be positive");
            this.maxTotalBytes = maxTotalBytes;
            return this;
        }

        /** Bound of the transactions held in memory; creates beyond it are refused. */
        public Builder maxTransactions(int maxTransactions) {
            if (maxTransactions < 1) throw new IllegalArgumentException("maxTransactions must be positive");
            this.maxTransactions = maxTransactions;
            return this;
        }

        /** Request-handling threads (requests sleep during the delay, so at least the client's concurrency). */
        public Builder threads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("threads must be positive");
            this.threads = threads;
            return this;
        }

        /** Folder for the received files, kept at close; by default a temporary folder deleted at close. */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** Starts the simulator; it listens once this returns. */
        public TdtSimulator start() {
            if (tls == null && !bindAddress.isLoopbackAddress()) {
                throw new IllegalStateException("plain HTTP is served on loopback only; configure TLS to listen on "
                        + bindAddress);
            }
            return new TdtSimulator(this);
        }
    }

    /** Jackson is loaded at the first JSON answer, not at start: most runs of the demo need it late or never. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

}
