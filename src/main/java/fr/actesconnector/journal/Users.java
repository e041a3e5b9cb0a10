package fr.actesconnector.journal;

import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Accounts of the web page, kept in the journal's database, with their role, whether they are disabled, and
 * every change made to them with who made it. Stores only the password hash, made and checked by the caller:
 * this package never sees a password. Obtained from {@link Journal#users()}.
 */
public final class Users {
    private static final Logger log = LoggerFactory.getLogger(Users.class);
    /** Lowercase letters, digits, {@code . _ - @}, 1 to 64 characters. */
    public static final Pattern LOGIN = Pattern.compile("^[a-z0-9._@-]{1,64}$");
    static final int MAX_FULL_NAME = 200;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "login, user_role, disabled, full_name, created_at, syndicate_wide, password_hash";
    private static final Pattern SIREN = Pattern.compile("\\d{9}");

    /** What an account may do on the web page. */
    public enum Role {
        /** Sends actes, follows them, answers the prefecture's letters, records publications. */
        AGENT("agent", "agent"),
        /** Also manages the accounts and asks for cancellations. */
        ADMIN("admin", "administrateur");

        private final String word;
        private final String label;

        Role(String word, String label) {
            this.word = word;
            this.label = label;
        }

        /** As stored and typed ({@code agent}, {@code admin}). */
        public String word() {
            return word;
        }

        /** In French, for people. */
        public String label() {
            return label;
        }

        public static Optional<Role> parse(String word) {
            if (word == null) return Optional.empty();
            String w = word.trim().toLowerCase(Locale.ROOT);
            for (Role r : values()) if (r.word.equals(w)) return Optional.of(r);
            return Optional.empty();
        }
    }

    /**
     * The collectivités an account belongs to: the whole syndicate, or the listed SIRENs (sorted, distinct);
     * {@link #NONE} for an account made before they were kept (what it may see is decided by the page).
     */
    public record Scope(boolean syndicate, List<String> sirens) {
        public static final Scope NONE = new Scope(false, List.of());
        /** Longest description kept in the accounts' history. */
        private static final int SHOWN = 20;

        public Scope {
            sirens = List.copyOf(new TreeSet<>(Objects.requireNonNull(sirens, "sirens")));
            if (syndicate && !sirens.isEmpty()) throw new IllegalArgumentException("syndicate-wide with SIRENs");
            for (String s : sirens) {
                if (!SIREN.matcher(s).matches()) throw new IllegalArgumentException("not a SIREN: " + s);
            }
        }

        /** The whole syndicate: every collectivité configured. */
        public static Scope syndicateWide() {
            return new Scope(true, List.of());
        }

        /** These collectivités (at least one). */
        public static Scope of(Collection<String> sirens) {
            if (sirens.isEmpty()) throw new IllegalArgumentException("no SIREN");
            return new Scope(false, List.copyOf(sirens));
        }

        /** Neither the syndicate nor any collectivité. */
        public boolean none() {
            return !syndicate && sirens.isEmpty();
        }

        /** In French: « tout le syndicat », « 217803105, 217803816 », « aucune collectivité ». */
        public String describe() {
            if (syndicate) return "tout le syndicat";
            if (sirens.isEmpty()) return "aucune collectivité";
            String shown = String.join(", ", sirens.subList(0, Math.min(SHOWN, sirens.size())));
            return sirens.size() > SHOWN ? shown + "… (" + sirens.size() + " en tout)" : shown;
        }
    }

    /** An account as listed, with the collectivités it belongs to; the hash is not part of it. */
    public record User(String login, Role role, boolean disabled, Optional<String> fullName, Instant createdAt,
                       Scope scope) {
        public User {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(fullName, "fullName");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(scope, "scope");
        }

        /** An account without collectivités ({@link Scope#NONE}). */
        public User(String login, Role role, boolean disabled, Optional<String> fullName, Instant createdAt) {
            this(login, role, disabled, fullName, createdAt, Scope.NONE);
        }

        public boolean isAdmin() {
            return role == Role.ADMIN;
        }
    }

    /** An account with its stored hash, for signing in and for checking a session is still its own. */
    public record Credentials(User user, String passwordHash) {
        public Credentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordHash, "passwordHash");
        }
    }

    /** One change made to an account: which, what, by whom, when. */
    public record Change(String login, String detail, Actor actor, Instant at) {
    }

    /** Connections of the journal's pool, auto-commit off: each write commits itself. */
    private final DataSource dataSource;
    private final Clock clock;

    Users(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The login as stored (trimmed, lowercase), or a French explanation of why it is not acceptable. */
    public static String normalizeLogin(String login) {
        String l = Objects.requireNonNull(login, "login").trim().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(l).matches()) {
            throw new JournalException(Reason.INVALID_INPUT, "L'identifiant « " + login + " » n'est pas accepté : "
                    + "1 à 64 caractères parmi les lettres minuscules, les chiffres et . _ - @ (ex. secretariat).",
                    "invalid login syntax");
        }
        return l;
    }

    /**
     * Creates an account with its role; {@code fullName} (may be empty) is what the accounts' page shows beside
     * the login.
     *
     * @throws JournalException (INVALID_INPUT) when the login is malformed or already taken
     */
    public User add(String login, String passwordHash, Role role, Optional<String> fullName, Actor actor) {
        return add(login, passwordHash, role, fullName, Scope.NONE, actor);
    }

    /**
     * Creates an account with its role and the collectivités it belongs to ({@code scope}).
     *
     * @throws JournalException (INVALID_INPUT) when the login is malformed or already taken
     */
    public User add(String login, String passwordHash, Role role, Optional<String> fullName, Scope scope, Actor actor) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(actor, "actor");
        Optional<String> name = Objects.requireNonNull(fullName, "fullName").map(String::strip).filter(n -> !n.isEmpty())
                .map(n -> n.length() > MAX_FULL_NAME ? n.substring(0, MAX_FULL_NAME) : n);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_user (login, password_hash, created_at,"
                    + " user_role, disabled, full_name, syndicate_wide) VALUES (?, ?, ?, ?, FALSE, ?, ?)")) {
                ps.setString(1, l);
                ps.setString(2, passwordHash);
                ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setString(4, role.word());
                if (name.isPresent()) ps.setString(5, name.get());
                else ps.setNull(5, Types.VARCHAR);
                ps.setBoolean(6, scope.syndicate());
                ps.executeUpdate();
            }
            insertSirens(c, l, scope);
            change(c, l, "compte créé (" + role.label() + (scope.none() ? "" : " ; " + scope.describe()) + ")", actor, now);
            c.commit();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new JournalException(Reason.INVALID_INPUT, "Le compte « " + l + " » existe déjà : choisissez un "
                        + "autre identifiant, ou réinitialisez le mot de passe de ce compte.", "web user already exists", e);
            }
            throw failure("add web user", e);
        }
        log.info("web user {} added as {} for {} by {}", l, role.word(), scope.describe(), actor.stored());
        return new User(l, role, false, name, now, scope);
    }

    /**
     * Replaces the collectivités of an account; false when there is no such account. Setting the ones it has
     * changes nothing.
     */
    public boolean setScope(String login, Scope scope, Actor actor) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(actor, "actor");
        try (Connection c = dataSource.getConnection()) {
            Optional<User> user = lockUser(c, l);
            if (user.isEmpty() || user.get().scope().equals(scope)) {
                c.rollback();
                return user.isPresent();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE web_user SET syndicate_wide = ? WHERE login = ?")) {
                ps.setBoolean(1, scope.syndicate());
                ps.setString(2, l);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_user_collectivite WHERE login = ?")) {
                ps.setString(1, l);
                ps.executeUpdate();
            }
            insertSirens(c, l, scope);
            change(c, l, "collectivités : " + scope.describe(), actor, clock.instant());
            c.commit();
        } catch (SQLException e) {
            throw failure("set web user collectivités", e);
        }
        log.info("web user {}: collectivités set to {} by {}", l, scope.describe(), actor.stored());
        return true;
    }

    private static void insertSirens(Connection c, String login, Scope scope) throws SQLException {
        if (scope.sirens().isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_user_collectivite (login, siren) VALUES (?, ?)")) {
            for (String siren : scope.sirens()) {
                ps.setString(1, login);
                ps.setString(2, siren);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Removes an account; false when there was none. Its changes stay in the accounts' history and its name in
     * the actes' history.
     *
     * @throws JournalException (INVALID_INPUT) when it is the last administrator still active
     */
    public boolean remove(String login, Actor actor) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(actor, "actor");
        try (Connection c = dataSource.getConnection()) {
            Optional<User> user = lockUser(c, l);
            if (user.isEmpty()) {
                c.rollback();
                return false;
            }
            if (user.get().isAdmin() && !user.get().disabled()) requireAnotherActiveAdmin(c, l, "supprimé");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_user WHERE login = ?")) {
                ps.setString(1, l);
                ps.executeUpdate();
            }
            change(c, l, "compte supprimé", actor, clock.instant());
            c.commit();
        } catch (SQLException e) {
            throw failure("remove web user", e);
        }
        log.info("web user {} removed by {}", l, actor.stored());
        return true;
    }

    /**
     * Disables (the account can no longer sign in, its sessions end at their next request) or enables an account;
     * false when there is no such account. Setting the state it already has changes nothing.
     *
     * @throws JournalException (INVALID_INPUT) when disabling the last administrator still active
     */
    public boolean setDisabled(String login, boolean disabled, Actor actor) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(actor, "actor");
        try (Connection c = dataSource.getConnection()) {
            Optional<User> user = lockUser(c, l);
            if (user.isEmpty()) {
                c.rollback();
                return false;
            }
            if (user.get().disabled() == disabled) {
                c.rollback();
                return true;
            }
            if (disabled && user.get().isAdmin()) requireAnotherActiveAdmin(c, l, "désactivé");
            try (PreparedStatement ps = c.prepareStatement("UPDATE web_user SET disabled = ? WHERE login = ?")) {
                ps.setBoolean(1, disabled);
                ps.setString(2, l);
                ps.executeUpdate();
            }
            change(c, l, disabled ? "compte désactivé" : "compte réactivé", actor, clock.instant());
            c.commit();
        } catch (SQLException e) {
            throw failure("disable web user", e);
        }
        log.info("web user {} {} by {}", l, disabled ? "disabled" : "enabled", actor.stored());
        return true;
    }

    /**
     * Replaces the password hash of an account (its own change, or a reset by an administrator); false when there
     * is no such account. The sessions opened with the former password end at their next request.
     */
    public boolean setPasswordHash(String login, String passwordHash, Actor actor) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(actor, "actor");
        try (Connection c = dataSource.getConnection()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE web_user SET password_hash = ? WHERE login = ?")) {
                ps.setString(1, passwordHash);
                ps.setString(2, l);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                c.rollback();
                return false;
            }
            boolean own = actor.kind() == Actor.Kind.WEB && actor.name().equals(l);
            change(c, l, own ? "mot de passe changé par la personne" : "mot de passe réinitialisé", actor, clock.instant());
            c.commit();
        } catch (SQLException e) {
            throw failure("change web user password", e);
        }
        log.info("web user {}: password changed by {}", l, actor.stored());
        return true;
    }

    /** Every account, by login, with its collectivités. */
    public List<User> list() {
        try (Connection c = dataSource.getConnection()) {
            Map<String, List<String>> sirens = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT login, siren FROM web_user_collectivite");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sirens.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM web_user ORDER BY login");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) users.add(user(rs, sirens.getOrDefault(rs.getString(1), List.of())));
            }
            c.rollback();
            return users;
        } catch (SQLException e) {
            throw failure("list web users", e);
        }
    }

    /** The account of this login; empty when unknown or malformed. */
    public Optional<User> find(String login) {
        return credentials(login).map(Credentials::user);
    }

    /** The account, with its collectivités, and its stored hash, disabled or not; empty when the login is unknown or malformed. */
    public Optional<Credentials> credentials(String login) {
        String l = Objects.requireNonNull(login, "login").trim().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(l).matches()) return Optional.empty();
        try (Connection c = dataSource.getConnection()) {
            Optional<Credentials> found = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM web_user WHERE login = ?")) {
                ps.setString(1, l);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) found = Optional.of(new Credentials(user(rs, sirens(c, l)), rs.getString(7)));
                }
            }
            c.rollback();
            return found;
        } catch (SQLException e) {
            throw failure("read web user", e);
        }
    }

    /** The stored hash of an account, disabled or not; empty when the login is unknown or malformed. */
    public Optional<String> passwordHash(String login) {
        return credentials(login).map(Credentials::passwordHash);
    }

    /** True when some account is an administrator and is not disabled. */
    public boolean anyActiveAdmin() {
        try (Connection c = dataSource.getConnection()) {
            return activeAdmins(c, "") > 0;
        } catch (SQLException e) {
            throw failure("count web admins", e);
        }
    }

    /** The latest changes made to the accounts, newest first. */
    public List<Change> changes(int max) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT login, detail, actor, changed_at FROM web_user_history"
                     + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                List<Change> changes = new ArrayList<>();
                while (rs.next()) {
                    changes.add(new Change(rs.getString(1), rs.getString(2), Actor.parse(rs.getString(3)),
                            rs.getObject(4, OffsetDateTime.class).toInstant()));
                }
                return changes;
            }
        } catch (SQLException e) {
            throw failure("read web user history", e);
        }
    }

    private Optional<User> lockUser(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM web_user WHERE login = ? FOR UPDATE")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs, sirens(c, login))) : Optional.empty();
            }
        }
    }

    private static List<String> sirens(Connection c, String login) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT siren FROM web_user_collectivite WHERE login = ?")) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> sirens = new ArrayList<>();
                while (rs.next()) sirens.add(rs.getString(1));
                return sirens;
            }
        }
    }

    /** Nobody would be left to manage the accounts on the web page. */
    private void requireAnotherActiveAdmin(Connection c, String login, String what) throws SQLException {
        // The administrators' rows locked first: two of them disabling each other at once cannot both pass.
        try (PreparedStatement ps = c.prepareStatement("SELECT login FROM web_user WHERE user_role = ? FOR UPDATE")) {
            ps.setString(1, Role.ADMIN.word());
            ps.executeQuery().close();
        }
        if (activeAdmins(c, login) == 0) {
            c.rollback();
            throw new JournalException(Reason.INVALID_INPUT, "« " + login + " » est le seul administrateur actif : il ne "
                    + "peut pas être " + what + ", sinon plus personne ne pourrait gérer les comptes. Créez ou réactivez "
                    + "d'abord un autre compte administrateur.", "last active admin " + login + " kept");
        }
    }

    private static int activeAdmins(Connection c, String except) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM web_user WHERE user_role = ?"
                + " AND disabled = FALSE AND login <> ?")) {
            ps.setString(1, Role.ADMIN.word());
            ps.setString(2, except);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void change(Connection c, String login, String detail, Actor actor, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_user_history (login, detail, actor, changed_at)"
                + " VALUES (?, ?, ?, ?)")) {
            ps.setString(1, login);
            ps.setString(2, detail);
            ps.setString(3, actor.stored());
            ps.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static User user(ResultSet rs, List<String> sirens) throws SQLException {
        // A role written by a newer connector reads as the narrower one.
        Role role = Role.parse(rs.getString(2)).orElse(Role.AGENT);
        // Written by hand: a malformed SIREN is dropped, and both set reads as the narrower, the listed collectivités.
        sirens = sirens.stream().filter(s -> SIREN.matcher(s).matches()).toList();
        boolean syndicate = rs.getBoolean(6) && sirens.isEmpty();
        return new User(rs.getString(1), role, rs.getBoolean(3), Optional.ofNullable(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant(), new Scope(syndicate, sirens));
    }

    private static JournalException failure(String what, SQLException e) {
        return new JournalException(Reason.UNAVAILABLE, "La base du journal ne répond pas : vérifiez journal.url "
                + "et que la base est démarrée, puis réessayez.", what + " failed: SQLState " + e.getSQLState(), e);
    }
}
