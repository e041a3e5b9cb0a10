package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Latin1Text;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Violation;

/**
 * The secretariat's web page on the JDK's HTTP server: transmit an acte, follow the actes, see one
 * acte and its documents, cancel it. Server-rendered French HTML with a little JavaScript; sessions in
 * memory; a CSRF token on every form; uploads streamed to a private folder and deleted after the
 * request; files served only from paths the journal recorded. {@link #start()} binds, {@link #close()}
 * stops and removes the upload folder. The connector is not closed here: its owner closes it.
 */
public final class WebServer implements AutoCloseable {
    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY each small answer waits
        // for the client's delayed ACK (~40 ms). Read once when the JDK server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final String COOKIE = "actes_session";
    private static final int MAX_FORM_BYTES = 64 * 1024;
    /** Room for the text fields and part headers of the transmit form, on top of the files. */
    private static final long FORM_OVERHEAD = 1024 * 1024;
    /** After refusing an upload, bytes read and dropped so that the browser can show the answer. */
    private static final long DRAIN_MAX = 256L * 1024 * 1024;
    private static final int SUIVI_ROWS = 200;
    private static final Pattern ACTE = Pattern.compile("^/actes/(\\d{1,18})(/.*)?$");
    private static final String CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATIC = Set.of("app.js", "app.css");

    private final ActesConnector connector;
    private final WebConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final Pages pages;
    private HttpServer server;
    private ExecutorService executor;
    private Path uploads;

    public WebServer(ActesConnector connector, WebConfig config, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = connector.config().validationSettings().zone();
        SecureRandom random = new SecureRandom();
        this.users = connector.journal().users();
        this.passwords = new Passwords(random);
        this.sessions = new Sessions(random, clock, config.sessionIdle());
        this.pages = new Pages(connector.config().collectivite().nom(), zone);
    }

    /** Binds and starts serving; fails with a French message when the port is taken. */
    public synchronized WebServer start() {
        if (server != null) throw new IllegalStateException("already started");
        try {
            uploads = privateTempDir();
            server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        } catch (IOException e) {
            throw new ActesException(fr.actesconnector.model.Reason.UNAVAILABLE, "La page web ne peut pas démarrer sur "
                    + config.bind().getHostAddress() + ":" + config.port() + " (port déjà utilisé ?) : choisissez un autre "
                    + "port avec --port ou web.port.", "cannot bind web server: " + e, e);
        }
        executor = Executors.newFixedThreadPool(8, new NamedThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("web: serving on {}", uri());
        return this;
    }

    /** Where the page is served, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    @Override
    public synchronized void close() {
        if (server == null) return;
        server.stop(1);
        executor.shutdownNow();
        deleteQuietly(uploads);
        server = null;
        LOG.info("web: stopped");
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) {
        try (ex) {
            securityHeaders(ex);
            try {
                route(ex);
            } catch (RequestException e) {
                sendError(ex, e.status, e.title, e.getMessage());
            } catch (InvalidActeException e) {
                sendError(ex, 400, "Acte non valide", e.violations().stream().filter(Violation::isError)
                        .map(Violation::message).findFirst().orElse(e.userMessage()));
            } catch (ActesException e) {
                LOG.warn("web: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage());
                LOG.debug("web: failure detail", e);
                sendError(ex, status(e), "L'opération n'a pas abouti", e.userMessage());
            } catch (IOException e) {
                LOG.info("web: {} {} interrupted: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            } catch (RuntimeException e) {
                LOG.error("web: unexpected failure on {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                sendError(ex, 500, "Erreur interne", "Une erreur inattendue s'est produite. Réessayez dans un instant ; "
                        + "si elle se reproduit, prévenez l'assistance en indiquant l'heure.");
            }
        }
    }

    private static int status(ActesException e) {
        return switch (e.reason()) {
            case INVALID_INPUT -> 400;
            case REFUSED -> 502;
            case UNAVAILABLE -> 503;
            case NOT_VERIFIED -> 422;
            case INTERNAL -> 500;
        };
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith("/static/")) {
            staticFile(ex, path.substring("/static/".length()));
            return;
        }
        if (path.equals("/connexion")) {
            if (method.equals("GET")) loginPage(ex);
            else if (method.equals("POST")) login(ex);
            else throw methodNotAllowed();
            return;
        }
        Optional<Sessions.Session> found = session(ex).filter(Sessions.Session::loggedIn);
        if (found.isEmpty()) {
            if (method.equals("GET") && !path.startsWith("/suivi/lignes") && !path.equals("/apercu")) {
                redirect(ex, "/connexion");
                return;
            }
            throw new RequestException(401, "Session expirée", "Votre session a expiré ou vous n'êtes pas connecté : "
                    + "reconnectez-vous, puis recommencez.");
        }
        Sessions.Session s = found.get();
        Matcher acte = ACTE.matcher(path);
        switch (method + " " + path) {
            case "GET /" -> redirect(ex, "/suivi");
            case "POST /deconnexion" -> logout(ex, s);
            case "GET /transmettre" -> transmitPage(ex, s);
            case "POST /transmettre" -> transmit(ex, s);
            case "GET /apercu" -> preview(ex);
            case "GET /suivi" -> suivi(ex, s, false);
            case "GET /suivi/lignes" -> suivi(ex, s, true);
            default -> {
                if (acte.matches()) acte(ex, s, Long.parseLong(acte.group(1)), Optional.ofNullable(acte.group(2)).orElse(""));
                else throw new RequestException(404, "Page introuvable", "Cette page n'existe pas.");
            }
        }
    }

    private void acte(HttpExchange ex, Sessions.Session s, long id, String rest) throws IOException {
        String method = ex.getRequestMethod();
        JournalEntry e = connector.journal().findById(id)
                .orElseThrow(() -> new RequestException(404, "Acte introuvable", "Aucun acte n° " + id + " dans le journal."));
        Matcher doc = Pattern.compile("^/document/(\\d{1,4})$").matcher(rest);
        Matcher sig = Pattern.compile("^/signature/(\\d{1,4})$").matcher(rest);
        if (method.equals("GET") && rest.isEmpty()) {
            fiche(ex, s, e);
        } else if (method.equals("GET") && rest.equals("/archive")) {
            Path archive = e.archivePath().orElseThrow(RequestException::noFile);
            sendFile(ex, archive, "application/gzip");
        } else if (method.equals("GET") && rest.equals("/ar.xml")) {
            String xml = connector.journal().acknowledgement(id).orElseThrow(RequestException::noFile).arActeXml();
            sendAttachment(ex, xml, e.idActe().value() + "-ARActe.xml");
        } else if (method.equals("GET") && doc.matches()) {
            List<ReceivedDocument> docs = connector.journal().documents(id);
            int n = Integer.parseInt(doc.group(1));
            if (n >= docs.size()) throw RequestException.noFile();
            ReceivedDocument d = docs.get(n);
            sendFile(ex, d.path(), contentType(d.path()));
        } else if (method.equals("GET") && sig.matches()) {
            List<ArchivedFile> sigs = signatures(id);
            int n = Integer.parseInt(sig.group(1));
            if (n >= sigs.size()) throw RequestException.noFile();
            sendFile(ex, sigs.get(n).path(), "application/pkcs7-signature");
        } else if (rest.equals("/annuler")) {
            if (e.state() != TransmissionState.ACKNOWLEDGED) {
                throw new RequestException(409, "Annulation impossible", "L'acte ne peut être annulé que lorsque la "
                        + "préfecture en a accusé réception (état actuel : " + Plain.state(e.state()) + ").");
            }
            if (method.equals("GET")) {
                sendHtml(ex, 200, pages.confirmCancel(viewer(s), e));
            } else if (method.equals("POST")) {
                Map<String, String> form = urlEncodedForm(ex);
                checkCsrf(s, form.get("csrf"));
                JournalEntry after = connector.cancel(id);
                s.flash("La demande d'annulation a été envoyée : " + Plain.state(after.state()) + ".");
                redirect(ex, "/actes/" + id);
            } else {
                throw methodNotAllowed();
            }
        } else {
            throw new RequestException(404, "Page introuvable", "Cette page n'existe pas.");
        }
    }

    // ------------------------------------------------------------------ access

    private void loginPage(HttpExchange ex) throws IOException {
        Sessions.Session s = session(ex).orElseGet(() -> newSession(ex, Optional.empty()));
        if (s.loggedIn()) {
            redirect(ex, "/suivi");
            return;
        }
        sendHtml(ex, 200, pages.login(viewer(s), "", Optional.empty()));
    }

    private void login(HttpExchange ex) throws IOException {
        Map<String, String> form = urlEncodedForm(ex);
        Sessions.Session anonymous = session(ex).orElseThrow(() -> new RequestException(403, "Formulaire expiré",
                csrfMessage()));
        checkCsrf(anonymous, form.get("csrf"));
        String login = form.getOrDefault("identifiant", "").trim();
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        boolean ok;
        Optional<String> hash = login.isEmpty() ? Optional.empty() : users.passwordHash(login);
        if (hash.isPresent()) {
            ok = passwords.verify(password, hash.get());
        } else {
            passwords.verifyDecoy(password);
            ok = false;
        }
        java.util.Arrays.fill(password, '\0');
        if (!ok) {
            LOG.info("web: failed login");
            sendHtml(ex, 401, pages.login(viewer(anonymous), login, Optional.of(
                    "Identifiant ou mot de passe incorrect : vérifiez-les (attention aux majuscules) et réessayez.")));
            return;
        }
        sessions.remove(anonymous.id);
        String normalized = Users.normalizeLogin(login);
        newSession(ex, Optional.of(normalized));
        LOG.info("web: user {} logged in", normalized);
        redirect(ex, "/suivi");
    }

    private void logout(HttpExchange ex, Sessions.Session s) throws IOException {
        checkCsrf(s, urlEncodedForm(ex).get("csrf"));
        sessions.remove(s.id);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure(ex) ? "; Secure" : ""));
        redirect(ex, "/connexion");
    }

    private Optional<Sessions.Session> session(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String c : header.split(";")) {
                String t = c.trim();
                if (t.startsWith(COOKIE + "=")) {
                    String value = t.substring(COOKIE.length() + 1);
                    // RFC 2965 clients (java.net.CookieManager) quote the value.
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    Optional<Sessions.Session> s = sessions.find(value);
                    if (s.isPresent()) return s;
                }
            }
        }
        return Optional.empty();
    }

    private Sessions.Session newSession(HttpExchange ex, Optional<String> login) {
        Sessions.Session s = sessions.create(login);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.MAX_LIFETIME.toSeconds() + (secure(ex) ? "; Secure" : ""));
        return s;
    }

    /** Secure cookies when configured, or when a TLS proxy in front says the browser used https. */
    private boolean secure(HttpExchange ex) {
        return config.secureCookies()
                || "https".equalsIgnoreCase(ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
    }

    private static void checkCsrf(Sessions.Session s, String submitted) {
        if (!s.csrfMatches(submitted)) throw new RequestException(403, "Formulaire expiré", csrfMessage());
    }

    private static String csrfMessage() {
        return "Le formulaire a expiré ou ne vient pas de cette page (jeton de sécurité absent ou incorrect) : "
                + "rechargez la page, puis recommencez.";
    }

    private Pages.Viewer viewer(Sessions.Session s) {
        return new Pages.Viewer(s.login, s.csrf, s.takeFlash());
    }

    // ------------------------------------------------------------------ transmit

    private void transmitPage(HttpExchange ex, Sessions.Session s) throws IOException {
        ClassificationCatalogue catalogue = connector.catalogue();
        Nature first = catalogue.natures().keySet().stream().findFirst().orElse(Nature.AU);
        sendHtml(ex, 200, pages.transmit(viewer(s), catalogue, Pages.FormValues.empty(first), List.of(), Map.of(),
                Optional.empty(), config.signingAvailable(), catalogueJson(catalogue), config.maxUploadBytes()));
    }

    private void transmit(HttpExchange ex, Sessions.Session s) throws IOException {
        String boundary = MultipartParser.boundary(ex.getRequestHeaders().getFirst("Content-Type"))
                .orElseThrow(() -> new RequestException(400, "Formulaire illisible",
                        "Le formulaire n'a pas été envoyé comme prévu : rechargez la page, puis recommencez."));
        long declared = contentLength(ex);
        if (declared > config.maxUploadBytes() + FORM_OVERHEAD) {
            tooLarge(ex);
            return;
        }
        Path dir = Files.createTempDirectory(uploads, "envoi-");
        try {
            MultipartParser.Form form;
            // Not closed here: a refused upload is drained from this stream before answering.
            InputStream body = ex.getRequestBody();
            try {
                form = MultipartParser.parse(body, boundary, dir, config.maxUploadBytes(),
                        (name, value) -> {
                            if (!name.equals("csrf") || !s.csrfMatches(value)) {
                                throw new RequestException(403, "Formulaire expiré", csrfMessage());
                            }
                        });
            } catch (MultipartParser.TooLargeException e) {
                tooLarge(ex);
                return;
            } catch (RequestException e) {
                drainQuietly(ex.getRequestBody());
                throw e;
            } catch (MultipartParser.MalformedException e) {
                LOG.info("web: malformed upload: {}", e.getMessage());
                throw new RequestException(400, "Formulaire illisible",
                        "Le formulaire est arrivé incomplet : vérifiez la connexion, puis recommencez.");
            }
            submit(ex, s, form, dir);
        } finally {
            deleteQuietly(dir);
        }
    }

    private void submit(HttpExchange ex, Sessions.Session s, MultipartParser.Form form, Path dir) throws IOException {
        ClassificationCatalogue catalogue = connector.catalogue();
        ActeForm.Result result = ActeForm.read(form, connector.config().collectivite(), dir.resolve("absent"),
                connector::validate);
        boolean sign = config.signingAvailable() && !form.field("signer").isEmpty();
        Pages.FormValues values = values(form, sign);
        if (result.hasErrors()) {
            sendHtml(ex, 422, pages.transmit(viewer(s), catalogue, values, result.violations(), result.controls(),
                    Optional.empty(), config.signingAvailable(), catalogueJson(catalogue), config.maxUploadBytes()));
            return;
        }
        Acte acte = result.acte().orElseThrow();
        ActesConnector.Sent sent;
        try {
            sent = connector.send(acte, sign);
        } catch (InvalidActeException e) {
            sendHtml(ex, 422, pages.transmit(viewer(s), catalogue, values, e.violations(), Map.of(), Optional.empty(),
                    config.signingAvailable(), catalogueJson(catalogue), config.maxUploadBytes()));
            return;
        } catch (ActesException e) {
            LOG.warn("{}: web send failed: {}", acte.idActe(), e.getMessage());
            Optional<JournalEntry> known = connector.journal().findByIdActe(acte.idActe());
            String more = known.map(k -> " État de l'acte dans le journal : " + Plain.state(k.state()) + ".").orElse("");
            sendHtml(ex, status(e), pages.transmit(viewer(s), catalogue, values, result.violations(), result.controls(),
                    Optional.of(e.userMessage() + more), config.signingAvailable(), catalogueJson(catalogue),
                    config.maxUploadBytes()));
            return;
        }
        JournalEntry e = sent.entry();
        s.flash(sent.posted()
                ? "L'acte a été transmis au TdT (IDActe " + e.idActe() + ", transaction " + sent.transactionId() + ")."
                : "Cet acte était déjà dans le journal : il n'a pas été renvoyé.");
        LOG.info("{}: sent from the web page by {}", e.idActe(), s.login.orElse("?"));
        redirect(ex, "/actes/" + e.id());
    }

    private static Pages.FormValues values(MultipartParser.Form form, boolean sign) {
        Map<String, String> typologies = new HashMap<>();
        int slots = 3;
        for (Map.Entry<String, String> f : form.fields().entrySet()) {
            if (f.getKey().startsWith("typologie_")) typologies.put(f.getKey(), f.getValue());
            if (f.getKey().startsWith("typologie_annexe_")) {
                try {
                    slots = Math.max(slots, Math.min(ActeForm.MAX_ANNEXES,
                            Integer.parseInt(f.getKey().substring("typologie_annexe_".length()))));
                } catch (NumberFormatException ignored) {
                    // a forged field name: ignored
                }
            }
        }
        return new Pages.FormValues(form.field("numero"), form.field("date"), form.field("nature"),
                form.field("classification"), form.field("objet"), typologies, !form.field("papier").isEmpty(), sign, slots);
    }

    private void tooLarge(HttpExchange ex) throws IOException {
        drainQuietly(ex.getRequestBody());
        LOG.info("web: upload refused, over {} bytes", config.maxUploadBytes());
        sendError(ex, 413, "Fichiers trop volumineux", "Les fichiers envoyés dépassent la limite de "
                + Pages.mib(config.maxUploadBytes()) + " par acte (limits.max-archive-bytes) : retirez ou compressez "
                + "des annexes, puis recommencez.");
    }

    /** Live help of the form: the normalised number, the objet's length once in ISO-8859-1, what will change. */
    private void preview(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        String numero = q.getOrDefault("numero", "");
        String normalized = NumeroInterne.normalize(numero);
        out.put("numero", normalized);
        out.put("numeroValide", NumeroInterne.isValid(normalized));
        String objet = q.getOrDefault("objet", "");
        out.put("objetLongueur", Latin1Text.transliterate(objet.trim()).length());
        out.put("objetMax", ActeValidator.OBJET_MAX);
        List<String> changes = new ArrayList<>();
        Latin1Text.outsideLatin1(objet).codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            changes.add(c + " → " + Latin1Text.transliterate(c));
        });
        out.put("remplacements", changes);
        byte[] body = JSON.writeValueAsBytes(out);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    /** Typology codes allowed per nature, for the script that filters the selects; safe inside a script element. */
    private static String catalogueJson(ClassificationCatalogue catalogue) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        catalogue.natures().forEach((n, e) -> m.put(n.name(), e.typologies()));
        try {
            return JSON.writeValueAsString(m).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write catalogue JSON", e);
        }
    }

    // ------------------------------------------------------------------ suivi and fiche

    private void suivi(HttpExchange ex, Sessions.Session s, boolean rowsOnly) throws IOException {
        Map<String, String> q = query(ex);
        String state = q.getOrDefault("etat", "");
        String from = q.getOrDefault("du", "");
        String to = q.getOrDefault("au", "");
        EntryFilter filter = EntryFilter.ALL.withLimit(SUIVI_ROWS);
        Set<TransmissionState> states = EnumSet.noneOf(TransmissionState.class);
        for (TransmissionState t : TransmissionState.values()) if (t.name().equals(state)) states.add(t);
        if (!states.isEmpty()) filter = filter.withStates(states);
        else state = "";
        Optional<LocalDate> fromDay = day(from);
        Optional<LocalDate> toDay = day(to);
        if (fromDay.isPresent() || toDay.isPresent()) {
            Instant start = fromDay.map(d -> d.atStartOfDay(zone).toInstant()).orElse(Instant.EPOCH);
            Instant end = toDay.map(d -> d.plusDays(1).atStartOfDay(zone).toInstant())
                    .orElse(Instant.parse("9999-12-31T00:00:00Z"));
            filter = filter.between(start, end);
        }
        Journal journal = connector.journal();
        List<Pages.Row> rows = new ArrayList<>();
        for (JournalEntry e : journal.list(filter)) {
            Optional<Instant> sentAt = journal.history(e.id()).stream()
                    .filter(c -> c.from().filter(f -> f == TransmissionState.POSTING).isPresent()
                            && c.to() != TransmissionState.PREPARED)
                    .map(StateChange::at).findFirst();
            List<Anomaly> anomalies = e.state() == TransmissionState.REJECTED || e.state() == TransmissionState.ERROR
                    ? journal.anomalies(e.id()) : List.of();
            rows.add(new Pages.Row(e, sentAt, anomalies));
        }
        if (rowsOnly) {
            sendHtml(ex, 200, pages.rows(rows));
            return;
        }
        String refreshQuery = "etat=" + enc(state) + "&du=" + enc(fromDay.map(LocalDate::toString).orElse(""))
                + "&au=" + enc(toDay.map(LocalDate::toString).orElse(""));
        sendHtml(ex, 200, pages.suivi(viewer(s), state, fromDay.map(LocalDate::toString).orElse(""),
                toDay.map(LocalDate::toString).orElse(""), rows, refreshQuery, config.refresh().toSeconds()));
    }

    private void fiche(HttpExchange ex, Sessions.Session s, JournalEntry e) throws IOException {
        Journal journal = connector.journal();
        long id = e.id();
        List<Pages.Download> downloads = new ArrayList<>();
        List<ReceivedDocument> docs = journal.documents(id);
        boolean arFile = false;
        Map<ReceivedDocument.Kind, Integer> perKind = new HashMap<>();
        docs.forEach(d -> perKind.merge(d.kind(), 1, Integer::sum));
        Map<ReceivedDocument.Kind, Integer> seen = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            ReceivedDocument d = docs.get(i);
            if (!Files.isRegularFile(d.path())) continue;
            arFile |= d.kind() == ReceivedDocument.Kind.AR;
            int n = seen.merge(d.kind(), 1, Integer::sum);
            String label = Pages.fileLabel(d.kind()) + (perKind.get(d.kind()) > 1 ? " n° " + n : "");
            downloads.add(new Pages.Download(label, "/actes/" + id + "/document/" + i, d.size()));
        }
        if (!arFile) {
            journal.acknowledgement(id).ifPresent(a -> downloads.add(new Pages.Download(
                    Pages.fileLabel(ReceivedDocument.Kind.AR), "/actes/" + id + "/ar.xml",
                    a.arActeXml().getBytes(StandardCharsets.UTF_8).length)));
        }
        e.archivePath().filter(Files::isRegularFile).ifPresent(p -> downloads.add(new Pages.Download(
                "Archive transmise (.tar.gz)", "/actes/" + id + "/archive", sizeQuietly(p))));
        List<ArchivedFile> sigs = signatures(id);
        for (int i = 0; i < sigs.size(); i++) {
            if (Files.isRegularFile(sigs.get(i).path())) {
                downloads.add(new Pages.Download(Pages.fileLabel(ArchivedFile.Role.SIGNATURE) + " " + (i + 1),
                        "/actes/" + id + "/signature/" + i, sigs.get(i).size()));
            }
        }
        sendHtml(ex, 200, pages.fiche(viewer(s), e, connector.catalogue().matiereLabel(e.classification()),
                journal.history(id), journal.anomalies(id), downloads, config.refresh().toSeconds()));
    }

    private List<ArchivedFile> signatures(long id) {
        return connector.journal().files(id).stream().filter(f -> f.role() == ArchivedFile.Role.SIGNATURE).toList();
    }

    // ------------------------------------------------------------------ responses

    private static void securityHeaders(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static void sendHtml(HttpExchange ex, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void sendError(HttpExchange ex, int status, String title, String message) {
        try {
            Pages.Viewer v = session(ex).map(this::viewer).orElse(new Pages.Viewer(Optional.empty(), "", Optional.empty()));
            sendHtml(ex, status, pages.error(v, title, message));
        } catch (IOException | RuntimeException e) {
            LOG.debug("web: could not send the error page: {}", e.toString());
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
    }

    /** Streams a file the journal recorded; the request only chooses among the journal's entries. */
    private static void sendFile(HttpExchange ex, Path file, String contentType) throws IOException {
        if (!Files.isRegularFile(file)) throw RequestException.noFile();
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Content-Disposition", disposition(file.getFileName().toString()));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = ex.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    private static void sendAttachment(HttpExchange ex, String xml, String name) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        ex.getResponseHeaders().set("Content-Disposition", disposition(name));
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + enc(name).replace("+", "%20");
    }

    private static String contentType(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".pdf")) return "application/pdf";
        if (n.endsWith(".xml")) return "application/xml";
        if (n.endsWith(".gz")) return "application/gzip";
        return "application/octet-stream";
    }

    private static void staticFile(HttpExchange ex, String name) throws IOException {
        if (!STATIC.contains(name)) throw new RequestException(404, "Page introuvable", "Cette page n'existe pas.");
        try (InputStream in = WebServer.class.getResourceAsStream("/web/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource /web/" + name);
            byte[] body = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", name.endsWith(".js")
                    ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    // ------------------------------------------------------------------ request helpers

    private static Map<String, String> urlEncodedForm(HttpExchange ex) throws IOException {
        if (contentLength(ex) > MAX_FORM_BYTES) {
            throw new RequestException(413, "Formulaire trop long", "Le formulaire envoyé est trop long.");
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) throw new RequestException(413, "Formulaire trop long", "Le formulaire envoyé est trop long.");
        return decode(new String(body, StandardCharsets.ISO_8859_1));
    }

    private static Map<String, String> query(HttpExchange ex) {
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

    private static long contentLength(HttpExchange ex) {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl == null) return -1;
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new RequestException(400, "Demande incorrecte", "La demande est mal formée : rechargez la page.");
        }
    }

    private static Optional<LocalDate> day(String text) {
        if (text.isBlank()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(text.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static RequestException methodNotAllowed() {
        return new RequestException(405, "Action impossible", "Cette action n'est pas possible sur cette page.");
    }

    private static long sizeQuietly(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads and drops what is left of a refused upload, up to a bound, so that the browser sees the answer. */
    private static void drainQuietly(InputStream in) {
        try {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while (total < DRAIN_MAX && (n = in.read(buf)) > 0) total += n;
        } catch (IOException e) {
            LOG.debug("web: drain stopped: {}", e.toString());
        }
    }

    private static Path privateTempDir() throws IOException {
        try {
            return Files.createTempDirectory("actes-web-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory("actes-web-");
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("web: could not delete upload folder {}: {}", dir, e.toString());
        }
    }

    /** A request refused with an HTTP status and a French message for the page. */
    static final class RequestException extends RuntimeException {
        final int status;
        final String title;

        RequestException(int status, String title, String message) {
            super(message);
            this.status = status;
            this.title = title;
        }

        static RequestException noFile() {
            return new RequestException(404, "Document introuvable",
                    "Ce document n'est pas (ou plus) disponible pour cet acte.");
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "actes-web-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
