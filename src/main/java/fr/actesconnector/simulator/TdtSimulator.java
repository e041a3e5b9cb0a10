package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.ClassificationReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's own S²LOW-compatible TdT, in process: the legacy ACTES API (spec {@code S2LOW-API.md})
 * as S²LOW's scripts answer it, its accounts and rights, the checks it makes before its OK and the
 * validation after, and a simulated prefecture that acknowledges each acte at the configured
 * {@link Pacing}, and writes letters on request ({@link #issueLetter}). Over HTTPS with
 * client-certificate authentication, or plain HTTP on loopback.
 *
 * <p>State is in memory, thread-safe and small per transaction; the files go to a work folder on
 * disk. The scripts are served by one handler class per concern (creation, reading, letters and
 * answers, listings, cancellation and classification). Start with {@link #builder()}, stop with
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
    /** PHP's {@code max_file_uploads} on S²LOW's platform. */
    public static final int DEFAULT_MAX_FILE_UPLOADS = 200;
    /** Apache's {@code LimitRequestBody} on S²LOW's platform. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 200_486_000L;
    public static final int DEFAULT_MAX_TRANSACTIONS = 100_000;
    public static final int DEFAULT_THREADS = 32;
    public static final long DEFAULT_AUTHORITY_ID = 1;
    /** The prefecture's zone: the days it writes in its messages are French days. */
    public static final ZoneId PREFECTURE_ZONE = ZoneId.of("Europe/Paris");
    /** Login of the account of a simulator built without {@link Builder#account}. */
    public static final String DEFAULT_LOGIN = "simulateur";
    public static final int MAX_SUBJECT_LENGTH = CreateHandler.MAX_SUBJECT_LENGTH;
    /** Status labels of S²LOW's {@code actes_status} table (spec §3). */
    public static final Map<Integer, String> STATUS_LABELS = statusLabels();

    static final String CREATE = "/modules/actes/actes_transac_create.php";
    static final String STATUS = "/modules/actes/actes_transac_get_status.php";
    private static final Logger LOG = LoggerFactory.getLogger(TdtSimulator.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean tls;
    private volatile Duration delay;
    private final long maxRequestBytes;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Store store;
    private final CreateHandler create;
    private final ReadHandler read;
    private final LetterHandler letters;
    private final AnswerHandler answers;
    private final ListHandler lists;
    private final CancelHandler cancels;

    private TdtSimulator(Builder b) {
        this.tls = b.tls != null;
        this.delay = b.delay;
        this.maxRequestBytes = b.maxRequestBytes;
        ActesXml xml = new ActesXml();
        ClassificationCatalogue catalogue;
        try {
            catalogue = new ClassificationReader(xml).read(b.classification);
        } catch (RuntimeException e) {
            throw new SimulatorException("Le simulateur ne peut pas lire la classification « " + b.classification
                    + " » : indiquez un fichier RetourClassification lisible.", "cannot read classification "
                    + b.classification + ": " + e.getMessage(), e);
        }
        try {
            this.ownsWorkDir = b.workDir == null;
            this.workDir = b.workDir == null ? Files.createTempDirectory("tdt-simulator-") : Files.createDirectories(b.workDir);
        } catch (IOException e) {
            throw new SimulatorException("Le simulateur ne peut pas créer son dossier de travail : " + e.getMessage(),
                    "cannot create work folder: " + e, e);
        }
        List<Accounts.Account> accounts = b.accounts.isEmpty()
                ? List.of(new Accounts.Account(DEFAULT_LOGIN, "", Right.RW)) : b.accounts;
        Store.Settings settings = new Store.Settings(b.clock, b.collectivite, b.authorityId, catalogue, b.classification,
                workDir, b.pacing, b.maxTransactions, b.maxTotalBytes, b.maxFileUploads, b.trigramme, new Accounts(accounts),
                b.legacyArActe);
        this.store = new Store(settings, new SimulatedMessages(xml, catalogue.dateClassification()),
                new LetterMessages(xml, b.collectivite));
        Workflow workflow = new Workflow(store);
        this.create = new CreateHandler(store, workflow);
        this.read = new ReadHandler(store);
        this.letters = new LetterHandler(store, workflow);
        this.answers = new AnswerHandler(store, workflow);
        this.lists = new ListHandler(store);
        this.cancels = new CancelHandler(store, workflow);
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
        return store.settings.catalogue();
    }

    /** Number of transactions held (of every type). */
    public int transactionCount() {
        return store.size();
    }

    /** Login of the account that posted the transaction (a letter or an answer: its acte's). */
    public Optional<String> poster(long transactionId) {
        return store.get(transactionId).map(t -> t.facts.owner());
    }

    /** Logins of the accounts that read the transaction's status ({@code actes_transac_get_status.php}). */
    public java.util.Set<String> statusReaders(long transactionId) {
        return store.statusReaders(transactionId);
    }

    /**
     * How many create requests ({@code actes_transac_create.php}) each acte number reached the simulator in,
     * refused ones included (a number sent twice is refused the second time, as S²LOW does, but counted here):
     * what shows an acte posted more than once.
     */
    public Map<String, Integer> createRequests() {
        return store.createRequests();
    }

    /** Current status of a transaction, without counting as a poll. */
    public Optional<Integer> status(long transactionId) {
        return store.get(transactionId).map(t -> t.advance(store.now(), false).status());
    }

    /**
     * The next acte posted with {@code number} will be answered by an AnomalieActe (status -1)
     * instead of an ARActe, with the given ministry nature code (e.g. {@code 002}) and detail.
     */
    public void failNextWithAnomalie(String number, String nature, String detail) {
        Objects.requireNonNull(number, "number");
        store.planAnomaly(number, new Transaction.Anomaly(Objects.requireNonNull(nature, "nature"),
                Objects.requireNonNull(detail, "detail")));
    }

    /**
     * The prefecture writes about an acknowledged acte: a child transaction of type 2 to 5 holding the
     * letter's archive, shown by get_document and list_document_prefecture. Returns its id.
     *
     * @throws IllegalArgumentException when {@code acteTransactionId} is not an acte
     * @throws IllegalStateException    when the acte has no ARActe yet
     */
    public long issueLetter(long acteTransactionId, LetterType type) {
        return issueLetter(acteTransactionId, type, "");
    }

    /** As {@link #issueLetter(long, LetterType)}, with the DescriptionPieces, Motif or NatureIllegalite (blank: a default text). */
    public long issueLetter(long acteTransactionId, LetterType type, String text) {
        return letters.issue(acteTransactionId, Objects.requireNonNull(type, "type"), Objects.requireNonNull(text, "text"));
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
            if (overLimit(ex)) return;
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = Http.query(ex.getRequestURI().getRawQuery());
            switch (path) {
                case "/api/test-connexion.php", "/api/test-rgs.php" -> lists.testConnexion(ex, query);
                case "/api/info-connexion.php" -> lists.infoConnexion(ex, query);
                case "/admin/users/api-list-login.php" -> lists.listLogins(ex);
                case CREATE -> create.create(ex, query);
                case "/modules/actes/actes_transac_post_confirm_api.php" -> create.postConfirm(ex, query);
                case STATUS -> read.status(ex, query);
                case "/modules/actes/actes_transac_get_ARActe.php" -> read.arActe(ex, query);
                case "/modules/actes/actes_transac_get_files_list.php" -> read.filesList(ex, query);
                case "/modules/actes/actes_download_file.php" -> read.download(ex, query);
                case "/modules/actes/actes_create_pdf.php" -> read.bordereau(ex, query);
                case "/modules/actes/actes_transac_cancel.php" -> cancels.cancel(ex, query);
                case "/modules/actes/actes_classification_request.php" -> cancels.classificationRequest(ex, query);
                case "/modules/actes/actes_classification_fetch.php" -> cancels.classificationFetch(ex, query);
                case "/modules/actes/actes_transac_get_document.php" -> letters.getDocument(ex, query);
                case "/modules/actes/actes_transac_reponse_create.php" -> answers.create(ex, query);
                case "/modules/actes/api/list_actes.php" -> lists.listActes(ex, query);
                case "/modules/actes/api/number_actes.php" -> lists.numberActes(ex, query);
                case "/modules/actes/api/list_document_prefecture.php" -> letters.listDocumentPrefecture(ex, query);
                case "/modules/actes/api/document_prefecture_mark_as_read.php" -> letters.markAsRead(ex, query);
                case "/modules/actes/api/actes_status.php" -> lists.statusLabels(ex, query);
                default -> Http.send(ex, 404, "text/plain", Http.latin1("Not Found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client may have gone away; nothing else to tell it
            LOG.warn("simulator request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            LOG.debug("simulator failure", e);
        }
    }

    /**
     * Apache's LimitRequestBody: a declared body over the limit is answered 413 before any script
     * runs, nothing recorded. The body is then read and dropped so that a client still sending it
     * gets to read the answer (as Apache's lingering close), for at most 30 seconds.
     */
    private boolean overLimit(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length == null || !length.trim().matches("[0-9]{1,19}")) return false;
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (declared <= maxRequestBytes) return false;
        LOG.info("simulator: {} refused, body of {} bytes over {}", ex.getRequestURI().getPath(), declared, maxRequestBytes);
        byte[] page = Http.latin1("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
                + "<title>413 Request Entity Too Large</title>\n</head><body>\n<h1>Request Entity Too Large</h1>\n"
                + "The request body is larger than the server accepts (" + maxRequestBytes + " bytes).\n</body></html>\n");
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=iso-8859-1");
        ex.getResponseHeaders().set("Connection", "close");
        ex.sendResponseHeaders(413, page.length);
        OutputStream out = ex.getResponseBody();
        out.write(page);
        out.flush();
        quietlyDrain(ex.getRequestBody(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        out.close();
        return true;
    }

    private static void quietlyDrain(InputStream body, long deadline) {
        byte[] buf = new byte[64 * 1024];
        try {
            while (System.nanoTime() < deadline && body.read(buf) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            LOG.debug("simulator: client stopped sending its refused body: {}", e.toString());
        }
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
        return Collections.unmodifiableMap(m);
    }

    static void quietlyDeleteTree(Path dir) {
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
        private Clock clock = Clock.system(PREFECTURE_ZONE);
        private Collectivite collectivite = new Collectivite("Commune de Houdan", "217803105", "078", "1", "31");
        private long authorityId = DEFAULT_AUTHORITY_ID;
        private Path classification = DEFAULT_CLASSIFICATION;
        private long maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
        private int maxFileUploads = DEFAULT_MAX_FILE_UPLOADS;
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private int maxTransactions = DEFAULT_MAX_TRANSACTIONS;
        private int threads = DEFAULT_THREADS;
        private String trigramme = "TTT";
        private boolean legacyArActe;
        private final List<Accounts.Account> accounts = new ArrayList<>();
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

        /**
         * Clock of the simulated TdT and prefecture. Only its instants count: the dates the prefecture writes
         * (DateReception, DateCourrierPref) are French days ({@link #PREFECTURE_ZONE}) whatever the clock's zone,
         * as a host on UTC at 23:30 is already the next day in the prefecture.
         */
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

        /**
         * An S²LOW account bound to the client certificate. Without any, one account
         * {@link TdtSimulator#DEFAULT_LOGIN} with right {@link Right#RW} needs no password; with
         * several, each request picks one by HTTP Basic (login and password).
         */
        public Builder account(String login, String password, Right right) {
            return account(login, password, right, Optional.empty());
        }

        /**
         * An S²LOW account of another authority than {@link #collectivite}: what it posts carries that
         * collectivité's SIREN, its numbers are its own, and it sees only its authority's transactions.
         */
        public Builder account(String login, String password, Right right, Collectivite authority) {
            return account(login, password, right, Optional.of(Objects.requireNonNull(authority, "authority")));
        }

        private Builder account(String login, String password, Right right, Optional<Collectivite> authority) {
            Objects.requireNonNull(login, "login");
            if (login.isEmpty() || login.contains(":")) throw new IllegalArgumentException("login must be non-empty, without ':'");
            if (accounts.stream().anyMatch(a -> a.login().equals(login))) {
                throw new IllegalArgumentException("login already declared: " + login);
            }
            accounts.add(new Accounts.Account(login, Objects.requireNonNull(password, "password"),
                    Objects.requireNonNull(right, "right"), authority));
            return this;
        }

        /** Limit of the sum of uploaded file sizes of one post (S²LOW's ACTES_ARCHIVE_MAX_SIZE). */
        public Builder maxTotalBytes(long maxTotalBytes) {
            if (maxTotalBytes < 1) throw new IllegalArgumentException("maxTotalBytes must be positive");
            this.maxTotalBytes = maxTotalBytes;
            return this;
        }

        /** Files accepted in one request (PHP's max_file_uploads); the create refuses a post with more. */
        public Builder maxFileUploads(int maxFileUploads) {
            if (maxFileUploads < 1) throw new IllegalArgumentException("maxFileUploads must be positive");
            this.maxFileUploads = maxFileUploads;
            return this;
        }

        /** Largest request body (Apache's LimitRequestBody): a larger declared Content-Length is answered 413. */
        public Builder maxRequestBytes(long maxRequestBytes) {
            if (maxRequestBytes < 1) throw new IllegalArgumentException("maxRequestBytes must be positive");
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** The TdT's trigram, prefix of the archives it names. */
        public Builder trigramme(String trigramme) {
            this.trigramme = Objects.requireNonNull(trigramme, "trigramme");
            return this;
        }

        /**
         * Behaves as S²LOW before 5.0.47, whose {@code actes_transac_get_ARActe.php} did not serve API
         * calls: every call is redirected (302) to the web interface.
         */
        public Builder legacyArActe(boolean legacyArActe) {
            this.legacyArActe = legacyArActe;
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
}
