package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;

/** The journal's own schema migrations on H2 (PostgreSQL runs them through {@code JournalPostgresIT}). */
class SchemaMigrationsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private JournalConfig config;

    @BeforeEach
    void database() {
        config = JournalConfig.of("jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath(), "", Secret.of(""));
    }

    @Test
    void aNewJournalRecordsEveryScriptWithItsChecksumAndAReopeningRunsNone() throws Exception {
        new Journal(config, CLOCK).close();
        List<String> rows = query("SELECT version || ' ' || description || ' ' || checksum FROM journal_schema ORDER BY version");
        List<String> expected = new ArrayList<>();
        for (SchemaMigrations.Script s : SchemaMigrations.bundled()) {
            expected.add(s.version() + " " + s.description() + " " + s.checksum());
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 8, 9, 10), SchemaMigrations.bundled().stream().map(SchemaMigrations.Script::version).toList());
        assertEquals(expected, rows);
        assertEquals("journal", SchemaMigrations.bundled().get(0).description());
        assertTrue(tableExists("ACTE") && tableExists("WEB_USER"));

        try (Journal reopened = new Journal(config, CLOCK)) {
            assertEquals(0, SchemaMigrations.migrate(dataSource(), config, SchemaMigrations.bundled(), CLOCK));
            assertEquals(List.of(String.valueOf(JournalPool.H2_CACHE_KIB)),
                    query("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'"),
                    "the journal's H2 page cache");
        }
        assertEquals(SchemaMigrations.bundled().size(), query("SELECT version FROM journal_schema").size());
    }

    @Test
    void onlyTheScriptsNotYetAppliedRun() throws Exception {
        List<SchemaMigrations.Script> all = SchemaMigrations.bundled();
        assertEquals(1, SchemaMigrations.migrate(dataSource(), config, all.subList(0, 1), CLOCK));
        assertTrue(tableExists("ACTE"));
        assertTrue(!tableExists("WEB_USER"), "V2 not run yet");
        assertEquals(all.size() - 1, SchemaMigrations.migrate(dataSource(), config, all, CLOCK));
        assertTrue(tableExists("WEB_USER"));
    }

    @Test
    void accountsMadeBeforeRolesBecomeActiveAdministratorsAndOldHistoryHasNoActor() throws Exception {
        List<SchemaMigrations.Script> all = SchemaMigrations.bundled();
        SchemaMigrations.migrate(dataSource(), config, all.subList(0, 5), CLOCK);
        execute("INSERT INTO web_user (login, password_hash, created_at) VALUES ('ancien', 'h', CURRENT_TIMESTAMP)");
        execute("INSERT INTO acte (id_acte, siren, numero, numero_interne, date_decision, nature, classification, objet,"
                + " document_papier, state, created_at, updated_at) VALUES ('078-217803105-20260427-A-CC', '217803105', 'A',"
                + " 'A', DATE '2026-04-27', 'CC', '1.4', 'objet', FALSE, 'PREPARED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        execute("INSERT INTO acte_history (acte_id, to_state, changed_at) SELECT id, 'PREPARED', CURRENT_TIMESTAMP FROM acte");

        assertEquals(all.size() - 5, SchemaMigrations.migrate(dataSource(), config, all, CLOCK), "V6 and the later scripts");

        try (Journal journal = new Journal(config, CLOCK)) {
            Users.User old = journal.users().find("ancien").orElseThrow();
            assertEquals(Users.Role.ADMIN, old.role(), "nobody is locked out of the accounts");
            assertTrue(!old.disabled());
            long id = journal.entries().list(EntryFilter.ALL).get(0).id();
            assertEquals(java.util.Optional.empty(), journal.entries().history(id).get(0).actor());
        }
    }

    @Test
    void aScriptChangedAfterItRanIsRefusedInFrench() throws Exception {
        new Journal(config, CLOCK).close();
        execute("UPDATE journal_schema SET checksum = '" + "0".repeat(64) + "' WHERE version = 1");
        JournalException e = assertThrows(JournalException.class, () -> new Journal(config, CLOCK));
        assertEquals(Reason.INTERNAL, e.reason());
        assertTrue(e.userMessage().contains("n'a pas pu être créé ou mis à jour"), e.userMessage());
        assertTrue(e.getMessage().contains("V1 differs"), e.getMessage());
    }

    @Test
    void aJournalFromANewerConnectorIsNotTouched() throws Exception {
        new Journal(config, CLOCK).close();
        execute("INSERT INTO journal_schema VALUES (99, 'future', '" + "f".repeat(64) + "', CURRENT_TIMESTAMP)");
        JournalException e = assertThrows(JournalException.class, () -> new Journal(config, CLOCK));
        assertTrue(e.userMessage().contains("version plus récente du connecteur (schéma 99"), e.userMessage());
    }

    @Test
    void aJournalCreatedByFlywayIsAdoptedWithoutRerunningItsScripts() throws Exception {
        // What Flyway left: its history table and the tables of V1 only.
        execute("CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT PRIMARY KEY, \"version\" VARCHAR(50),"
                + " \"description\" VARCHAR(200), \"success\" BOOLEAN NOT NULL)");
        execute("INSERT INTO \"flyway_schema_history\" VALUES (1, '1', 'journal', TRUE)");
        for (String statement : SchemaMigrations.statements(SchemaMigrations.bundled().get(0).sql())) execute(statement);
        execute("INSERT INTO envelope_counter VALUES ('217803105', DATE '2026-11-27', 7)");

        try (Journal journal = new Journal(config, CLOCK)) {
            assertEquals(8, journal.counters().nextEnvelopeNumber("217803105", java.time.LocalDate.of(2026, 11, 27)),
                    "the existing data is kept");
        }
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "8", "9", "10"), query("SELECT version FROM journal_schema ORDER BY version"));
        assertTrue(tableExists("WEB_USER"), "V2 and V3 ran after adoption");
    }

    @Test
    void journalsOpenedTogetherInOneProcessMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Journal>> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) opened.add(pool.submit(() -> new Journal(config, CLOCK)));
            for (Future<Journal> f : opened) f.get().close();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "8", "9", "10"), query("SELECT version FROM journal_schema ORDER BY version"));
    }

    @Test
    void statementsAreSplitOnSemicolonsWithCommentsRemoved() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)"),
                SchemaMigrations.statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT); -- trailing\n\n"
                        + "CREATE INDEX i ON a (x);\n-- end\n"));
    }

    private javax.sql.DataSource dataSource() {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(config.url());
        return ds;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(config.url());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }

    private boolean tableExists(String name) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
            return rs.next();
        }
    }
}
