package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
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
 * <p>This class is the router and the sessions' checks (each request's account read again, the redirect to the
 * sign-in and back, the header's choice of collectivité); each page is a handler of its own: {@link SignInPage},
 * {@link SuiviPage}, {@link TransmitPage}, {@link ActePage} (with {@link LettersPage}), {@link AccountsPage}.
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
    /** In the query of a page that reloads itself: not the person's activity (see {@link Sessions#find(String, boolean)}). */
    static final String AUTO_RELOAD = "actualisation=auto";
    private static final Pattern ACTE = Pattern.compile("^/actes/(\\d{1,18})(/.*)?$");
    private static final String CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Set<String> STATIC = Set.of("app.js", "app.css");
    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final Set<String> GET_POST = Set.of("GET", "POST");
    /** The methods of each page of {@link #route}'s switch: another method gets 405 and Allow, not 404. */
    private static final Map<String, Set<String>> METHODS = Map.of("/", GET, "/connexion", GET_POST,
            "/deconnexion", POST, "/transmettre", GET_POST, "/apercu", GET, "/suivi", GET, "/suivi/lignes", GET,
            "/collectivite", POST);

    private final ActesConnector connector;
    private final WebConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final SignInPage signIn;
    private final Pages pages;
    /** The collectivités configured, in their files' order: what accounts are given. */
    private final List<fr.actesconnector.model.Collectivite> configured;
    private HttpServer server;
    private ExecutorService executor;
    private Uploads uploads;
    private List<String> warnings = List.of();
    private TransmitPage transmit;
    private ActePage acte;
    private AccountsPage accounts;
    private SuiviPage suivi;

    public WebServer(ActesConnector connector, WebConfig config, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = connector.config().validationSettings().zone();
        SecureRandom random = new SecureRandom();
        this.users = connector.journal().users();
        this.passwords = new Passwords(random);
        this.sessions = new Sessions(random, clock, config.sessionIdle());
        this.configured = connector.config().collectivites().stream().map(fr.actesconnector.CollectiviteConfig::collectivite)
                .toList();
        this.pages = new Pages(configured, zone);
        this.signIn = new SignInPage(users, passwords, sessions, config, clock, zone, pages, configured, random);
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
        accounts = new AccountsPage(users, passwords, sessions, pages, configured);
        suivi = new SuiviPage(connector, config, pages);
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
            if (method.equals("GET")) signIn.page(ex);
            else signIn.signIn(ex);
            return;
        }
        // A list or an acte's page refreshing itself is not the person's activity.
        String rawQuery = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
        boolean activity = !path.equals("/suivi/lignes") && !rawQuery.contains(AUTO_RELOAD);
        Optional<Sessions.Session> found = Exchanges.session(ex, sessions, activity).filter(Sessions.Session::loggedIn)
                .filter(this::accountStillValid);
        if (found.isEmpty()) {
            if (method.equals("GET") && !path.startsWith("/suivi/lignes") && !path.equals("/apercu")) {
                Exchanges.redirect(ex, signInLocation(ex));
                return;
            }
            throw new RequestException(401, "Session expirée", "Votre session a expiré ou vous n'êtes pas connecté : "
                    + "reconnectez-vous, puis recommencez.");
        }
        Sessions.Session s = found.get();
        Matcher one = ACTE.matcher(path);
        switch (method + " " + path) {
            case "GET /" -> Exchanges.redirect(ex, "/suivi");
            case "POST /deconnexion" -> signIn.signOut(ex, s);
            case "GET /transmettre" -> transmit.form(ex, s);
            case "POST /transmettre" -> transmit.submit(ex, s);
            case "GET /apercu" -> transmit.preview(ex);
            case "GET /suivi" -> suivi.page(ex, s, false);
            case "GET /suivi/lignes" -> suivi.page(ex, s, true);
            case "POST /collectivite" -> chooseCollectivite(ex, s);
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
     * The session's account, read at each request: removed, disabled, given another password or left without
     * collectivité since the session signed in, the session ends now; else its role and collectivités are refreshed.
     */
    private boolean accountStillValid(Sessions.Session s) {
        Optional<Users.Credentials> account = users.credentials(s.login.orElseThrow());
        Optional<CollectiviteAccess> access = account.map(a -> CollectiviteAccess.of(a.user().scope(), configured));
        if (account.isEmpty() || account.get().user().disabled()
                || !Passwords.fingerprint(account.get().passwordHash()).equals(s.credential()) || access.get().none()) {
            sessions.remove(s.id);
            LOG.info("web: session of {} ended: account removed, disabled, password changed or no collectivité",
                    s.login.get());
            return false;
        }
        s.admin(account.get().user().isAdmin());
        s.access(access.get());
        return true;
    }

    /** POST /collectivite: the collectivité of the pages, one of the account's (or all, for the syndicate). */
    private void chooseCollectivite(HttpExchange ex, Sessions.Session s) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        String chosen = form.getOrDefault("collectivite", "").trim();
        if (!s.choose(chosen)) {
            throw new RequestException(403, "Collectivité non autorisée", "Cette collectivité n'est pas l'une de celles de "
                    + "votre compte : choisissez-en une dans la liste.");
        }
        LOG.info("web: {} now views {}", s.login.orElse("?"), chosen);
        Exchanges.redirect(ex, localPath(form.get("suite")).orElse("/suivi"));
    }

    /** Where an anonymous GET is sent: the sign-in, then back to the page asked for. */
    private String signInLocation(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        String query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("")
                .replace("&" + AUTO_RELOAD, "").replace(AUTO_RELOAD, "");
        String asked = path + (query.isEmpty() || query.equals("&") ? "" : "?" + query);
        boolean hadSession = !Exchanges.cookies(ex, COOKIE).isEmpty();
        StringBuilder location = new StringBuilder("/connexion");
        if (!asked.equals("/") && localPath(asked).isPresent()) location.append("?suite=").append(Exchanges.enc(asked));
        if (hadSession) location.append(location.indexOf("?") < 0 ? "?" : "&").append("expiree=1");
        return location.toString();
    }

    /**
     * {@code asked} when it is a path of this site (no scheme, no host, no {@code //} or backslash that a
     * browser would read as another site, no control character): never an open redirect.
     */
    static Optional<String> localPath(String asked) {
        if (asked == null || asked.isEmpty() || asked.length() > 2000 || !asked.startsWith("/")) return Optional.empty();
        if (asked.startsWith("//") || asked.contains("\\") || asked.startsWith("/connexion")) return Optional.empty();
        if (asked.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) return Optional.empty();
        try {
            URI u = new URI(asked);
            if (u.getScheme() != null || u.getRawAuthority() != null || u.getRawPath() == null) return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        return Optional.of(asked);
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
            Pages.Viewer v = Exchanges.session(ex, sessions, false).map(Pages.Viewer::of).orElse(new Pages.Viewer(Optional.empty(), "", Optional.empty(), false));
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
