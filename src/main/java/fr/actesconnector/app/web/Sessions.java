package fr.actesconnector.app.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import fr.actesconnector.model.Actor;

/**
 * Server-side sessions kept in memory: a random id (the cookie), the logged-in user if any, a CSRF
 * token for every form of the session, an idle timeout and an absolute lifetime. A restart logs
 * everybody out, which is acceptable for a secretariat's page. Thread-safe.
 */
final class Sessions {
    /** Longest a session lives, however active. */
    static final Duration MAX_LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    /** The header's choice of every collectivité, for the syndicate. */
    static final String ALL = "toutes";

    static final class Session {
        final String id;
        final String csrf;
        final Optional<String> login;
        final Instant created;
        private volatile Instant lastSeen;
        private volatile String flash;
        /** {@link Passwords#fingerprint} of the hash the account had when this session signed in. */
        private volatile String credential = "";
        /** The account's role, read from the journal at each request. */
        private volatile boolean admin;
        /** The account's collectivités, read from the journal at each request; none until then. */
        private volatile CollectiviteAccess access;
        /** The collectivité chosen in the header: a SIREN, {@link #ALL}, or null before the first request. */
        private volatile String current;

        private Session(String id, String csrf, Optional<String> login, Instant now) {
            this.id = id;
            this.csrf = csrf;
            this.login = login;
            this.created = now;
            this.lastSeen = now;
        }

        boolean loggedIn() {
            return login.isPresent();
        }

        /** Who acts through this session, for the journal. */
        Actor actor() {
            return Actor.web(login.orElseThrow());
        }

        boolean admin() {
            return admin;
        }

        void admin(boolean admin) {
            this.admin = admin;
        }

        /** What the account sees; empty before its first request is checked. */
        Optional<CollectiviteAccess> access() {
            return Optional.ofNullable(access);
        }

        /**
         * The account's collectivités, read now; the chosen one stays when still among them, else the first of
         * them (the syndicate too starts on one collectivité, the one its transmit form is for).
         */
        synchronized void access(CollectiviteAccess now) {
            this.access = Objects.requireNonNull(now, "now");
            if (now.none()) return;
            boolean stays = current != null && (current.equals(ALL) ? now.listsAll() : now.find(current).isPresent());
            if (!stays) current = now.collectivites().get(0).siren();
        }

        /**
         * Chooses the collectivité of the pages ({@code siren}, or {@link #ALL}); false, nothing changed, when the
         * account does not have it.
         */
        synchronized boolean choose(String siren) {
            CollectiviteAccess a = access;
            if (a == null || !(siren.equals(ALL) ? a.listsAll() : a.find(siren).isPresent())) return false;
            current = siren;
            return true;
        }

        /** The SIREN of the collectivité chosen; empty for every collectivité (the syndicate only) or no access yet. */
        Optional<String> current() {
            String c = current;
            return c == null || c.equals(ALL) ? Optional.empty() : Optional.of(c);
        }

        String credential() {
            return credential;
        }

        void credential(String fingerprint) {
            this.credential = Objects.requireNonNull(fingerprint, "fingerprint");
        }

        /** A one-shot message shown on the next page. */
        void flash(String message) {
            this.flash = message;
        }

        Optional<String> takeFlash() {
            String f = flash;
            flash = null;
            return Optional.ofNullable(f);
        }

        /** Constant-time check of a submitted token. */
        boolean csrfMatches(String submitted) {
            if (submitted == null) return false;
            return MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final Duration idle;

    Sessions(SecureRandom random, Clock clock, Duration idle) {
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idle = Objects.requireNonNull(idle, "idle");
    }

    Duration idle() {
        return idle;
    }

    /** A new session; on login the old one is dropped and a new id issued (no fixation). */
    Session create(Optional<String> login) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) purge(now);
        Session s = new Session(token(), token(), login, now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session of this id, touched; expired ones are removed. */
    Optional<Session> find(String id) {
        return find(id, true);
    }

    /**
     * The live session of this id; expired ones are removed. Only what the person does is {@code activity}:
     * a page refreshing itself reads the session without keeping it alive, so that the idle timeout applies
     * to the person, not to a page left open.
     */
    Optional<Session> find(String id, boolean activity) {
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        if (activity) s.lastSeen = now;
        return Optional.of(s);
    }

    void remove(String id) {
        if (id != null) sessions.remove(id);
    }

    /** Ends every session of {@code login} but {@code keepId} (may be null); returns how many ended. */
    int endAll(String login, String keepId) {
        int[] ended = {0};
        sessions.values().removeIf(s -> {
            boolean end = s.login.filter(login::equals).isPresent() && !s.id.equals(keepId);
            if (end) ended[0]++;
            return end;
        });
        return ended[0];
    }

    private boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen.plus(idle)) || now.isAfter(s.created.plus(MAX_LIFETIME));
    }

    private void purge(Instant now) {
        sessions.values().removeIf(s -> expired(s, now) || !s.loggedIn());
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
