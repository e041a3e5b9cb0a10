package fr.actesconnector.journal;

import fr.actesconnector.model.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * Accounts of the web page, kept in the journal's database. Stores only the password hash, made and
 * checked by the caller: this package never sees a password. Obtained from {@link Journal#users()}.
 */
public final class Users {
    private static final Logger log = LoggerFactory.getLogger(Users.class);
    /** Lowercase letters, digits, {@code . _ - @}, 1 to 64 characters. */
    public static final Pattern LOGIN = Pattern.compile("^[a-z0-9._@-]{1,64}$");
    private static final String UNIQUE_VIOLATION = "23505";

    /** An account as listed; the hash is not part of it. */
    public record User(String login, Instant createdAt) {
        public User {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(createdAt, "createdAt");
        }
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
     * Creates an account.
     *
     * @throws JournalException (INVALID_INPUT) when the login is malformed or already taken
     */
    public User add(String login, String passwordHash) {
        String l = normalizeLogin(login);
        Objects.requireNonNull(passwordHash, "passwordHash");
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO web_user (login, password_hash, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, l);
            ps.setString(2, passwordHash);
            ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new JournalException(Reason.INVALID_INPUT, "L'utilisateur « " + l + " » existe déjà : "
                        + "supprimez-le d'abord (user remove " + l + ") pour changer son mot de passe.",
                        "web user already exists", e);
            }
            throw failure("add web user", e);
        }
        log.info("web user {} added", l);
        return new User(l, now);
    }

    /** Removes an account; false when there was none. */
    public boolean remove(String login) {
        String l = normalizeLogin(login);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM web_user WHERE login = ?")) {
            ps.setString(1, l);
            boolean removed = ps.executeUpdate() > 0;
            c.commit();
            if (removed) log.info("web user {} removed", l);
            return removed;
        } catch (SQLException e) {
            throw failure("remove web user", e);
        }
    }

    /** Every account, by login. */
    public List<User> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT login, created_at FROM web_user ORDER BY login");
             ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(new User(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
            }
            return users;
        } catch (SQLException e) {
            throw failure("list web users", e);
        }
    }

    /** The stored hash of an account; empty when the login is unknown or malformed. */
    public Optional<String> passwordHash(String login) {
        String l = Objects.requireNonNull(login, "login").trim().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(l).matches()) return Optional.empty();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM web_user WHERE login = ?")) {
            ps.setString(1, l);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read web user", e);
        }
    }

    private static JournalException failure(String what, SQLException e) {
        return new JournalException(Reason.UNAVAILABLE, "La base du journal ne répond pas : vérifiez journal.url "
                + "et que la base est démarrée, puis réessayez.", what + " failed: SQLState " + e.getSQLState(), e);
    }
}
