package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
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

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Violation;

/**
 * The secretariat's web page on the JDK's HTTP server: transmit an acte, follow the actes, see one
 * acte and its documents, cancel it. Server-rendered French HTML with a little JavaScript; sessions in
 * memory; a CSRF token on every form; uploads streamed to a private folder and deleted after the
 * request; files served only from paths the journal recorded; HTTPS itself when {@code web.tls.*} is set.
 * {@link #start()} binds (removing the upload folders of servers that were killed), {@link #close()} stops
 * and removes its own. The connector is not closed here: its owner closes it.
 *
 * <p>This class is the router, the sessions (login, logout) and the list of actes; each other page is
 * a handler of its own: {@link TransmitPage}, {@link ActePage}.
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
    private static final int SUIVI_ROWS = 200;
    private static final Pattern ACTE = Pattern.compile("^/actes/(\\d{1,18})(/.*)?$");
    private static final String CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Set<String> STATIC = Set.of("app.js", "app.css");
    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final Set<String> GET_POST = Set.of("GET", "POST");
    /** The methods of each page of {@link #route}'s switch: another method gets 405 and Allow, not 404. */
    private static final Map<String, Set<String>> METHODS = Map.of("/", GET, "/connexion", GET_POST,
            "/deconnexion", POST, "/transmettre", GET_POST, "/apercu", GET, "/suivi", GET, "/suivi/lignes", GET);

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
    private Uploads uploads;
    private List<String> warnings = List.of();
    private TransmitPage transmit;
    private ActePage acte;
    private AccountsPage accounts;

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

    /**
     * Binds and starts serving, in HTTPS when {@code web.tls.keystore} is set; fails with a French message
     * when the port is taken or the keystore unusable. Upload folders left by a server that was killed are
     * removed first.
     */
    public synchronized WebServer start() {
        if (server != null) throw new IllegalStateException("already started");
        Optional<PageTls> tls = config.tls().map(PageTls::new);
        Path uploadRoot = connector.config().dataDir().resolve(Uploads.FOLDER);
        try {
            uploads = Uploads.open(uploadRoot, config.maxUploadBytes());
        } catch (IOException e) {
            throw new ActesException(fr.actesconnector.model.Reason.INTERNAL, "La page web ne peut pas démarrer : le dossier "
                    + "des envois en cours « " + uploadRoot + " » n'est pas utilisable (droits d'écriture sur data.dir ?).",
                    "cannot open the upload folder " + uploadRoot + ": " + e, e);
        }
        try {
            InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.get().context()));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            uploads.close();
            throw new ActesException(fr.actesconnector.model.Reason.UNAVAILABLE, "La page web ne peut pas démarrer sur "
                    + config.bind().getHostAddress() + ":" + config.port() + " (port déjà utilisé ?) : choisissez un autre "
                    + "port avec --port ou web.port.", "cannot bind web server: " + e, e);
        }
        transmit = new TransmitPage(connector, config, pages, uploads);
        acte = new ActePage(connector, config, pages, uploads, transmit);
        accounts = new AccountsPage(users, passwords, sessions, pages, connector.config().collectivite().nom());
        executor = Executors.newFixedThreadPool(8, new NamedThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        List<String> found = new ArrayList<>();
        if (tls.isEmpty() && config.reachableFromNetwork()) {
            LOG.warn("web: serving plain HTTP on {}, reachable from the network: passwords and actes travel in clear",
                    config.bind().getHostAddress());
            found.add("Attention : la page web est ouverte au réseau (web.bind=" + config.bind().getHostAddress() + ") sans "
                    + "chiffrement : les mots de passe et les actes y circulent en clair. Indiquez web.tls.keystore et "
                    + "web.tls.password pour la servir en HTTPS, ou gardez web.bind=127.0.0.1 derrière un proxy TLS.");
        }
        tls.flatMap(t -> t.validityWarning(clock.instant())).ifPresent(w -> {
            LOG.warn("web: the page's TLS certificate is not valid now");
            found.add(w);
        });
        warnings = List.copyOf(found);
        LOG.info("web: serving on {}", uri());
        return this;
    }

    /** Where the page is served on this machine, e.g. {@code https://127.0.0.1:8443/} (localhost for a wildcard bind). */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://" + host + ":" + a.getPort() + "/");
    }

    /**
     * The French line that says where to open the page: its address with the real port and, when it listens
     * on every interface, the one other computers use (this machine's name).
     */
    public String startLine() {
        URI here = uri();
        if (!server.getAddress().getAddress().isAnyLocalAddress()) return "Page web disponible sur " + here;
        String name = machineName().orElse("<nom de cette machine>");
        return "Page web disponible sur " + here + " sur cette machine ; depuis les autres postes : " + here.getScheme()
                + "://" + name + ":" + here.getPort() + "/ (le nom de cette machine sur le réseau, ou son adresse IP)";
    }

    /** The French warnings of the start (page open to the network without HTTPS, certificate not valid). */
    public List<String> warnings() {
        return warnings;
    }

    private static Optional<String> machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || name.equals("localhost") ? Optional.empty() : Optional.of(name);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The private folder of this server's uploads. */
    Path uploadFolder() {
        return uploads.folder();
    }

    @Override
    public synchronized void close() {
        if (server == null) return;
        server.stop(1);
        executor.shutdownNow();
        uploads.close();
        server = null;
        LOG.info("web: stopped");
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange exchange) {
        // HEAD is answered as GET, headers only: the pages need not know it.
        try (HttpExchange ex = exchange.getRequestMethod().equals("HEAD") ? new HeadExchange(exchange) : exchange) {
            securityHeaders(ex);
            try {
                route(ex);
            } catch (RequestException e) {
                if (!e.allowed.isEmpty()) ex.getResponseHeaders().set("Allow", allowHeader(e.allowed));
                sendError(ex, e.status, e.title, e.getMessage());
            } catch (InvalidActeException e) {
                sendError(ex, 400, "Acte non valide", e.violations().stream().filter(Violation::isError)
                        .map(Violation::message).findFirst().orElse(e.userMessage()));
            } catch (ActesException e) {
                LOG.warn("web: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage());
                LOG.debug("web: failure detail", e);
                sendError(ex, Exchanges.status(e), "L'opération n'a pas abouti", e.userMessage());
            } catch (IOException e) {
                LOG.info("web: {} {} interrupted: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            } catch (RuntimeException e) {
                LOG.error("web: unexpected failure on {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                sendError(ex, 500, "Erreur interne", "Une erreur inattendue s'est produite. Réessayez dans un instant ; "
                        + "si elle se reproduit, prévenez l'assistance en indiquant l'heure.");
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith("/static/")) {
            allow(GET, method);
            staticFile(ex, path.substring("/static/".length()));
            return;
        }
        if (METHODS.containsKey(path)) allow(METHODS.get(path), method);
        if (path.equals("/connexion")) {
            if (method.equals("GET")) loginPage(ex);
            else login(ex);
            return;
        }
        Optional<Sessions.Session> found = session(ex).filter(Sessions.Session::loggedIn).filter(this::accountStillValid);
        if (found.isEmpty()) {
            if (method.equals("GET") && !path.startsWith("/suivi/lignes") && !path.equals("/apercu")) {
                Exchanges.redirect(ex, "/connexion");
                return;
            }
            throw new RequestException(401, "Session expirée", "Votre session a expiré ou vous n'êtes pas connecté : "
                    + "reconnectez-vous, puis recommencez.");
        }
        Sessions.Session s = found.get();
        Matcher one = ACTE.matcher(path);
        switch (method + " " + path) {
            case "GET /" -> Exchanges.redirect(ex, "/suivi");
            case "POST /deconnexion" -> logout(ex, s);
            case "GET /transmettre" -> transmit.form(ex, s);
            case "POST /transmettre" -> transmit.submit(ex, s);
            case "GET /apercu" -> transmit.preview(ex);
            case "GET /suivi" -> suivi(ex, s, false);
            case "GET /suivi/lignes" -> suivi(ex, s, true);
            default -> {
                if (AccountsPage.owns(path)) {
                    accounts.handle(ex, s, path);
                    return;
                }
                if (!one.matches()) throw RequestException.notFound();
                acte.handle(ex, s, Long.parseLong(one.group(1)), Optional.ofNullable(one.group(2)).orElse(""));
            }
        }
    }

    /** Refuses {@code method} with 405 unless {@code allowed} has it. */
    static void allow(Set<String> allowed, String method) {
        if (!allowed.contains(method)) throw RequestException.methodNotAllowed(allowed);
    }

    /** The Allow header: HEAD wherever GET is. */
    static String allowHeader(Set<String> allowed) {
        Set<String> all = new LinkedHashSet<>();
        for (String m : List.of("GET", "HEAD", "POST")) {
            if (allowed.contains(m) || (m.equals("HEAD") && allowed.contains("GET"))) all.add(m);
        }
        return String.join(", ", all);
    }

    // ------------------------------------------------------------------ access

    /**
     * The session's account, read at each request: removed, disabled or given another password since the session
     * signed in, the session ends now; else its role is refreshed.
     */
    private boolean accountStillValid(Sessions.Session s) {
        Optional<Users.Credentials> account = users.credentials(s.login.orElseThrow());
        if (account.isEmpty() || account.get().user().disabled()
                || !Passwords.fingerprint(account.get().passwordHash()).equals(s.credential())) {
            sessions.remove(s.id);
            LOG.info("web: session of {} ended: account removed, disabled or password changed", s.login.get());
            return false;
        }
        s.admin(account.get().user().isAdmin());
        return true;
    }

    private void loginPage(HttpExchange ex) throws IOException {
        Sessions.Session s = session(ex).orElseGet(() -> newSession(ex, Optional.empty()));
        if (s.loggedIn()) {
            Exchanges.redirect(ex, "/suivi");
            return;
        }
        Exchanges.sendHtml(ex, 200, pages.login(Pages.Viewer.of(s), "", Optional.empty()));
    }

    private void login(HttpExchange ex) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Sessions.Session anonymous = session(ex).orElseThrow(RequestException::csrf);
        Exchanges.checkCsrf(anonymous, form.get("csrf"));
        String login = form.getOrDefault("identifiant", "").trim();
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        boolean ok;
        Optional<Users.Credentials> account = login.isEmpty() ? Optional.empty() : users.credentials(login);
        if (account.isPresent()) {
            ok = passwords.verify(password, account.get().passwordHash());
        } else {
            passwords.verifyDecoy(password);
            ok = false;
        }
        java.util.Arrays.fill(password, '\0');
        if (!ok) {
            LOG.info("web: failed login");
            Exchanges.sendHtml(ex, 401, pages.login(Pages.Viewer.of(anonymous), login, Optional.of(
                    "Identifiant ou mot de passe incorrect : vérifiez-les (attention aux majuscules) et réessayez.")));
            return;
        }
        if (account.get().user().disabled()) {
            // Said only once the password is right: it tells nothing to someone guessing.
            LOG.info("web: disabled account {} refused", account.get().user().login());
            Exchanges.sendHtml(ex, 403, pages.login(Pages.Viewer.of(anonymous), login, Optional.of(
                    "Ce compte est désactivé : demandez à un administrateur de la mairie de le réactiver.")));
            return;
        }
        sessions.remove(anonymous.id);
        String normalized = Users.normalizeLogin(login);
        newSession(ex, Optional.of(normalized)).credential(Passwords.fingerprint(account.get().passwordHash()));
        LOG.info("web: user {} logged in", normalized);
        Exchanges.redirect(ex, "/suivi");
    }

    private void logout(HttpExchange ex, Sessions.Session s) throws IOException {
        Exchanges.checkCsrf(s, Exchanges.urlEncodedForm(ex).get("csrf"));
        sessions.remove(s.id);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure(ex) ? "; Secure" : ""));
        Exchanges.redirect(ex, "/connexion");
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

    /** Secure cookies in HTTPS, when configured, or when a TLS proxy in front says the browser used https. */
    private boolean secure(HttpExchange ex) {
        return config.secureCookies() || config.tls().isPresent()
                || "https".equalsIgnoreCase(ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
    }

    // ------------------------------------------------------------------ suivi

    private void suivi(HttpExchange ex, Sessions.Session s, boolean rowsOnly) throws IOException {
        Map<String, String> q = Exchanges.query(ex);
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
            Optional<String> calendrier = e.state() == TransmissionState.REJECTED || e.state() == TransmissionState.ERROR
                    ? Optional.empty() : Optional.of(connector.legalClock(e).summary());
            rows.add(new Pages.Row(e, sentAt, anomalies, calendrier));
        }
        if (rowsOnly) {
            Exchanges.sendHtml(ex, 200, pages.rows(rows));
            return;
        }
        String refreshQuery = "etat=" + Exchanges.enc(state) + "&du=" + Exchanges.enc(fromDay.map(LocalDate::toString).orElse(""))
                + "&au=" + Exchanges.enc(toDay.map(LocalDate::toString).orElse(""));
        Exchanges.sendHtml(ex, 200, pages.suivi(Pages.Viewer.of(s), state, fromDay.map(LocalDate::toString).orElse(""),
                toDay.map(LocalDate::toString).orElse(""), rows, refreshQuery, config.refresh().toSeconds()));
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

    private void sendError(HttpExchange ex, int status, String title, String message) {
        try {
            Pages.Viewer v = session(ex).map(Pages.Viewer::of).orElse(new Pages.Viewer(Optional.empty(), "", Optional.empty(), false));
            Exchanges.sendHtml(ex, status, pages.error(v, title, message));
        } catch (IOException | RuntimeException e) {
            LOG.debug("web: could not send the error page: {}", e.toString());
        }
    }

    private static void staticFile(HttpExchange ex, String name) throws IOException {
        if (!STATIC.contains(name)) throw RequestException.notFound();
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

    private static Optional<LocalDate> day(String text) {
        if (text.isBlank()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(text.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
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
