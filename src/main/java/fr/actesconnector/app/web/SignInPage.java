package fr.actesconnector.app.web;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Collectivite;

/**
 * The sign-in, {@code /connexion}, and the sign-out, {@code /deconnexion}: the form protected by a stateless
 * token ({@link SignInTokens}, so that no flood of anonymous requests expires it), failed attempts delayed then
 * locked per account and per address ({@link LoginThrottle}, each failure logged at WARN without the password),
 * then back to the page asked for.
 */
final class SignInPage {
    private static final Logger LOG = LoggerFactory.getLogger(SignInPage.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("H' h 'mm", Locale.FRANCE);

    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final WebConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final Pages pages;
    private final List<Collectivite> configured;
    private final LoginThrottle throttle;
    private final SignInTokens tokens;

    SignInPage(Users users, Passwords passwords, Sessions sessions, WebConfig config, Clock clock, ZoneId zone,
               Pages pages, List<Collectivite> configured, SecureRandom random) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.configured = List.copyOf(configured);
        this.throttle = new LoginThrottle(clock);
        this.tokens = new SignInTokens(random, clock, Sessions.MAX_LIFETIME);
    }

    void page(HttpExchange ex) throws IOException {
        Map<String, String> q = Exchanges.query(ex);
        String next = WebServer.localPath(q.get("suite")).orElse("/suivi");
        if (Exchanges.session(ex, sessions, true).filter(Sessions.Session::loggedIn).isPresent()) {
            Exchanges.redirect(ex, next);
            return;
        }
        Optional<String> info = q.containsKey("expiree") ? Optional.of("Votre session a pris fin (au bout de "
                + minutes(config.sessionIdle()) + " sans activité, ou au redémarrage du service) : reconnectez-vous pour "
                + "continuer.") : Optional.empty();
        form(ex, 200, "", Optional.empty(), info, next);
    }

    void signIn(HttpExchange ex) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        if (!tokens.valid(Exchanges.cookie(ex, SignInTokens.COOKIE), form.get("csrf"))) throw RequestException.csrf();
        String login = form.getOrDefault("identifiant", "").trim();
        String next = WebServer.localPath(form.get("suite")).orElse("/suivi");
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        String address = remoteAddress(ex);
        String accountKey = login.toLowerCase(Locale.ROOT);
        Optional<Users.Credentials> account = login.isEmpty() ? Optional.empty() : users.credentials(login);
        boolean known = account.isPresent();
        Optional<LoginThrottle.Wait> wait = throttle.check(accountKey, known, address);
        if (wait.isPresent()) {
            java.util.Arrays.fill(password, '\0');
            LOG.warn("web: sign-in for account '{}' from {} refused, {} until {}", loggable(login), address,
                    wait.get().locked() ? "locked" : "delayed", wait.get().until());
            ex.getResponseHeaders().set("Retry-After", String.valueOf(secondsUntil(wait.get())));
            form(ex, 429, login, Optional.of("Connexion refusée pour l'instant. " + waitText(wait.get())),
                    Optional.empty(), next);
            return;
        }
        boolean ok;
        if (known) {
            ok = passwords.verify(password, account.get().passwordHash());
        } else {
            passwords.verifyDecoy(password);
            ok = false;
        }
        java.util.Arrays.fill(password, '\0');
        if (!ok) {
            LoginThrottle.Failure f = throttle.failed(accountKey, known, address);
            LOG.warn("web: failed sign-in for account '{}' from {} ({} failures for this account, {} from this address)",
                    loggable(login), address, f.accountFailures(), f.addressFailures());
            form(ex, 401, login, Optional.of("Identifiant ou mot de passe incorrect : vérifiez-les (attention aux "
                    + "majuscules) et réessayez." + f.next().map(w -> " " + waitText(w)).orElse("")), Optional.empty(), next);
            return;
        }
        throttle.succeeded(accountKey, known, address);
        if (account.get().user().disabled()) {
            // Said only once the password is right: it tells nothing to someone guessing.
            LOG.info("web: disabled account {} refused", account.get().user().login());
            form(ex, 403, login, Optional.of(
                    "Ce compte est désactivé : demandez à un administrateur de la mairie de le réactiver."), Optional.empty(), next);
            return;
        }
        if (CollectiviteAccess.of(account.get().user().scope(), configured).none()) {
            LOG.info("web: account {} refused: no collectivité of this configuration", account.get().user().login());
            form(ex, 403, login, Optional.of("Ce compte n'est rattaché à aucune collectivité de cette configuration : "
                    + "demandez à un administrateur du syndicat de l'y rattacher (sur la page « Comptes », ou avec "
                    + "« user collectivites IDENTIFIANT --collectivite SIREN »)."), Optional.empty(), next);
            return;
        }
        Exchanges.session(ex, sessions, false).ifPresent(old -> sessions.remove(old.id));
        String normalized = Users.normalizeLogin(login);
        newSession(ex, Optional.of(normalized)).credential(Passwords.fingerprint(account.get().passwordHash()));
        LOG.info("web: user {} logged in", normalized);
        Exchanges.redirect(ex, next);
    }

    /** The sign-in form, with its own CSRF cookie (the browser's nonce kept: two open forms both work). */
    private void form(HttpExchange ex, int status, String login, Optional<String> error, Optional<String> info,
                            String next) throws IOException {
        String nonce = tokens.nonce(Exchanges.cookie(ex, SignInTokens.COOKIE));
        ex.getResponseHeaders().add("Set-Cookie", SignInTokens.COOKIE + "=" + nonce + "; Path=/connexion; HttpOnly; "
                + "SameSite=Strict; Max-Age=" + tokens.lifetime().toSeconds() + (Exchanges.secure(ex, config) ? "; Secure" : ""));
        Pages.Viewer viewer = new Pages.Viewer(Optional.empty(), tokens.token(nonce), info, false);
        Exchanges.sendHtml(ex, status, pages.login(viewer, login, error, next));
    }

    /**
     * The address a sign-in comes from: the peer, or behind a reverse proxy on this machine (the peer is
     * loopback) the last address of its X-Forwarded-For.
     */
    private static String remoteAddress(HttpExchange ex) {
        InetAddress peer = ex.getRemoteAddress().getAddress();
        String forwarded = ex.getRequestHeaders().getFirst("X-Forwarded-For");
        if (peer.isLoopbackAddress() && forwarded != null) {
            String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
            if (last.matches("[0-9A-Fa-f:.]{2,45}")) return last;
        }
        return peer.getHostAddress();
    }

    /** What to wait for, in French: the delay before the next attempt, or the lock and its end. */
    private String waitText(LoginThrottle.Wait w) {
        if (!w.locked()) {
            long s = secondsUntil(w);
            return "Après plusieurs essais sans succès, patientez " + s + (s > 1 ? " secondes" : " seconde")
                    + " avant de réessayer.";
        }
        String until = HOUR.format(w.until().atZone(zone));
        String how = minutes(Duration.ofSeconds(secondsUntil(w)));
        return w.scope() == LoginThrottle.Scope.ACCOUNT
                ? "Trop d'essais sans succès pour ce compte : il est bloqué pendant " + how + ", jusqu'à " + until
                        + ". Réessayez ensuite ; si le mot de passe est perdu, demandez à un administrateur de le changer."
                : "Trop d'essais sans succès depuis ce poste : la connexion en est bloquée pendant " + how + ", jusqu'à "
                        + until + ".";
    }

    private long secondsUntil(LoginThrottle.Wait w) {
        long millis = Duration.between(clock.instant(), w.until()).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String minutes(Duration d) {
        long m = Math.max(1, (d.toSeconds() + 59) / 60);
        return m + (m > 1 ? " minutes" : " minute");
    }

    /** A login as typed, safe for one log line (no control characters, at most 64 characters). */
    private static String loggable(String login) {
        String clean = login.codePoints().map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }

    void signOut(HttpExchange ex, Sessions.Session s) throws IOException {
        Exchanges.checkCsrf(s, Exchanges.urlEncodedForm(ex).get("csrf"));
        sessions.remove(s.id);
        ex.getResponseHeaders().add("Set-Cookie", WebServer.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (Exchanges.secure(ex, config) ? "; Secure" : ""));
        Exchanges.redirect(ex, "/connexion");
    }

    private Sessions.Session newSession(HttpExchange ex, Optional<String> login) {
        Sessions.Session s = sessions.create(login);
        ex.getResponseHeaders().add("Set-Cookie", WebServer.COOKIE + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.MAX_LIFETIME.toSeconds() + (Exchanges.secure(ex, config) ? "; Secure" : ""));
        return s;
    }
}
