package fr.actesconnector.testing;

import fr.actesconnector.journal.JournalConfig;
import fr.actesconnector.model.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;

/** A PostgreSQL server embedded in the test (zonky), with databases made on demand and reached as its superuser. */
public final class LocalPostgres implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    public static LocalPostgres start() throws IOException {
        return new LocalPostgres(EmbeddedPostgres.start());
    }

    /** Creates the database {@code name} and returns its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("database name: " + name);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + name;
    }

    /** A new database {@code name}, as a journal's configuration. */
    public JournalConfig journal(String name) throws SQLException {
        return JournalConfig.of(createDatabase(name), "postgres", Secret.of("postgres"));
    }

    /** A new database {@code name}, as the environment a connector reads its journal from. */
    public Map<String, String> journalEnvironment(String name) throws SQLException {
        return Map.of("ACTES_JOURNAL_URL", createDatabase(name), "ACTES_JOURNAL_USER", "postgres",
                "ACTES_JOURNAL_PASSWORD", "postgres");
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
