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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
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
    private static final String COLUMNS = "login, user_role, disabled, full_name, created_at, password_hash";

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

    /** An account as listed; the hash is not part of it. */
    public record User(String login, Role role, boolean disabled, Optional<String> fullName, Instant createdAt) {
        public User {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(fullName, "fullName");
            Objects.requireNonNull(createdAt, "createdAt");
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
        String l = normalizeLogin(login);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(actor, "actor");
        Optional<String> name = Objects.requireNonNull(fullName, "fullName").map(String::strip).filter(n -> !n.isEmpty())
                .map(n -> n.length() > MAX_FULL_NAME ? n.substring(0, MAX_FULL_NAME) : n);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_user (login, password_hash, created_at,"
                    + " user_role, disabled, full_name) VALUES (?, ?, ?, ?, FALSE, ?)")) {
                ps.setString(1, l);
                ps.setString(2, passwordHash);
                ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setString(4, role.word());
                if (name.isPresent()) ps.setString(5, name.get());
                else ps.setNull(5, Types.VARCHAR);
                ps.executeUpdate();
            }
            change(c, l, "compte créé (" + role.label() + ")", actor, now);
            c.commit();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new JournalException(Reason.INVALID_INPUT, "Le compte « " + l + " » existe déjà : choisissez un "
                        + "autre identifiant, ou réinitialisez le mot de passe de ce compte.", "web user already exists", e);
            }
            throw failure("add web user", e);
        }
        log.info("web user {} added as {} by {}", l, role.word(), actor.stored());
        return new User(l, role, false, name, now);
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

    /** Every account, by login. */
    public List<User> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM web_user ORDER BY login");
             ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) users.add(user(rs));
            return users;
        } catch (SQLException e) {
            throw failure("list web users", e);
        }
    }

    /** The account of this login; empty when unknown or malformed. */
    public Optional<User> find(String login) {
        return credentials(login).map(Credentials::user);
    }

    /** The account and its stored hash, disabled or not; empty when the login is unknown or malformed. */
    public Optional<Credentials> credentials(String login) {
        String l = Objects.requireNonNull(login, "login").trim().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(l).matches()) return Optional.empty();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM web_user WHERE login = ?")) {
            ps.setString(1, l);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(user(rs), rs.getString(6))) : Optional.empty();
            }
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
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
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

    private static User user(ResultSet rs) throws SQLException {
        // A role written by a newer connector reads as the narrower one.
        Role role = Role.parse(rs.getString(2)).orElse(Role.AGENT);
        return new User(rs.getString(1), role, rs.getBoolean(3), Optional.ofNullable(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant());
    }

    private static JournalException failure(String what, SQLException e) {
        return new JournalException(Reason.UNAVAILABLE, "La base du journal ne répond pas : vérifiez journal.url "
                + "et que la base est démarrée, puis réessayez.", what + " failed: SQLState " + e.getSQLState(), e);
    }
}
