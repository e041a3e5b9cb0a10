package fr.actesconnector.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.model.Reason;

/**
 * Brings the journal's schema up to date from the numbered SQL scripts of {@code db/migration}, each
 * recorded in {@code journal_schema} with its SHA-256 so that a script edited after it ran is caught.
 *
 * <p>A few scripts, two databases: a migration library (Flyway) cost 0.7 s and 950 classes at every start
 * of the CLI for this, so the journal keeps its own ~200 lines. On PostgreSQL the whole migration runs
 * under a session advisory lock (two daemons starting together migrate once) and each script in one
 * transaction with its record; H2 commits DDL at once, and an H2 file is opened by one process at a
 * time, so a JVM-wide lock per URL suffices there.
 * A journal created by the earlier Flyway versions is adopted from its {@code flyway_schema_history}.
 */
final class SchemaMigrations {
    /** The scripts in order; a new one is appended here with the next number, never edited once released. */
    static final List<String> SCRIPTS = List.of("V1__journal.sql", "V2__users.sql", "V3__poll_index.sql",
            "V4__file_recorded_at.sql", "V5__letters_answers.sql", "V6__roles_audit.sql",
            "V8__list_indexes.sql", "V9__scale_indexes.sql", "V10__collectivite_accounts.sql");

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    private static final String LOCATION = "/db/migration/";
    private static final long ADVISORY_LOCK = 0x61637465734A4CL; // "actesJL": any constant shared by all connectors
    private static final Map<String, ReentrantLock> H2_LOCKS = new ConcurrentHashMap<>();

    record Script(int version, String description, String sql, String checksum) {
    }

    private SchemaMigrations() {
    }

    /** The scripts bundled with this version of the connector. */
    static List<Script> bundled() {
        List<Script> scripts = new ArrayList<>();
        for (String name : SCRIPTS) {
            try (InputStream in = SchemaMigrations.class.getResourceAsStream(LOCATION + name)) {
                if (in == null) throw new IllegalStateException("migration script missing from the jar: " + name);
                scripts.add(script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scripts;
    }

    static Script script(String name, String sql) {
        int sep = name.indexOf("__");
        int version = Integer.parseInt(name.substring(1, sep));
        String description = name.substring(sep + 2, name.length() - ".sql".length()).replace('_', ' ');
        return new Script(version, description, sql, sha256(sql));
    }

    /**
     * Applies the scripts not yet recorded, in order, and returns how many ran.
     *
     * @throws JournalException (INTERNAL) when the database holds a newer schema, a recorded script differs
     *                          from the bundled one, or a script fails
     */
    static int migrate(DataSource dataSource, JournalConfig config, List<Script> scripts, Clock clock) {
        ReentrantLock jvmLock = config.isH2() ? H2_LOCKS.computeIfAbsent(config.url(), u -> new ReentrantLock()) : null;
        if (jvmLock != null) jvmLock.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // Before anything else: even CREATE TABLE IF NOT EXISTS collides when two PostgreSQL sessions race.
            if (config.isPostgreSql()) advisoryLock(c, "pg_advisory_lock");
            try {
                return migrate(c, config, scripts, clock);
            } finally {
                c.rollback(); // nothing pending after success; clears a failed transaction before the unlock
                if (config.isPostgreSql()) advisoryLock(c, "pg_advisory_unlock"); // the pool keeps the session open
                c.commit();
            }
        } catch (SQLException e) {
            throw failure(config, e.getSQLState() + " " + e.getMessage(), e);
        } finally {
            if (jvmLock != null) jvmLock.unlock();
        }
    }

    private static int migrate(Connection c, JournalConfig config, List<Script> scripts, Clock clock) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS journal_schema (version INTEGER PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        Map<Integer, String> done = applied(c);
        if (done.isEmpty()) done = adoptFlywayHistory(c, scripts, clock);
        c.commit();
        check(done, scripts, config);
        int applied = 0;
        for (Script script : scripts) {
            if (done.containsKey(script.version())) continue;
            run(c, script);
            record(c, script, clock);
            c.commit(); // PostgreSQL: the script and its record, all or nothing
            applied++;
            log.info("journal: schema version {} ({}) applied", script.version(), script.description());
        }
        return applied;
    }

    private static void advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, ADVISORY_LOCK);
            ps.execute();
        }
    }

    private static Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> done = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, checksum FROM journal_schema")) {
            while (rs.next()) done.put(rs.getInt(1), rs.getString(2));
        }
        return done;
    }

    /** A journal made by Flyway: its successful versions count as applied, with today's checksums. */
    private static Map<Integer, String> adoptFlywayHistory(Connection c, List<Script> scripts, Clock clock) throws SQLException {
        if (!tableExists(c, "flyway_schema_history")) return Map.of();
        List<Integer> versions = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE"
                     + " AND \"version\" IS NOT NULL")) {
            while (rs.next()) versions.add(Integer.parseInt(rs.getString(1).trim()));
        }
        Map<Integer, String> done = new TreeMap<>();
        for (Script script : scripts) {
            if (versions.contains(script.version())) {
                record(c, script, clock);
                done.put(script.version(), script.checksum());
            }
        }
        log.info("journal: adopted schema versions {} recorded by Flyway", done.keySet());
        return done;
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String candidate : new String[] {name, name.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, null, candidate, new String[] {"TABLE"})) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    private static void check(Map<Integer, String> done, List<Script> scripts, JournalConfig config) {
        int newest = scripts.get(scripts.size() - 1).version();
        for (Map.Entry<Integer, String> e : done.entrySet()) {
            if (e.getKey() > newest) {
                throw new JournalException(Reason.INTERNAL, "Le journal " + config.displayUrl() + " a été créé par une"
                        + " version plus récente du connecteur (schéma " + e.getKey() + ", celle-ci connaît jusqu'au "
                        + newest + ") : utilisez la version la plus récente.",
                        "journal: schema version " + e.getKey() + " is newer than " + newest);
            }
            Script script = scripts.stream().filter(s -> s.version() == e.getKey()).findFirst().orElse(null);
            if (script != null && !script.checksum().equals(e.getValue())) {
                throw failure(config, "script V" + script.version() + " differs from the one applied (checksum "
                        + e.getValue() + ", bundled " + script.checksum() + ")", null);
            }
        }
    }

    private static void run(Connection c, Script script) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements(script.sql())) s.execute(statement);
        }
    }

    private static void record(Connection c, Script script, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO journal_schema (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, script.version());
            ps.setString(2, script.description());
            ps.setString(3, script.checksum());
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }

    /** Our scripts' grammar: {@code --} comments to the end of the line, statements ended by {@code ;}. */
    static List<String> statements(String sql) {
        StringBuilder text = new StringBuilder();
        for (String line : sql.split("\r?\n")) {
            int comment = line.indexOf("--");
            text.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.toString().split(";")) {
            if (!part.isBlank()) statements.add(part.strip());
        }
        return statements;
    }

    private static JournalException failure(JournalConfig config, String detail, Throwable cause) {
        return new JournalException(Reason.INTERNAL,
                "Le schéma du journal " + config.displayUrl() + " n'a pas pu être créé ou mis à jour. Vérifiez"
                        + " que le compte journal.user a le droit de créer des tables et que la base n'a pas été"
                        + " modifiée à la main.",
                "journal: migration failed on " + config.displayUrl() + ": " + detail, cause);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
