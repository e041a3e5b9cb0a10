package fr.actesconnector.journal;

import fr.actesconnector.testing.LocalPostgres;
import fr.actesconnector.model.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The journal contract on a real PostgreSQL (zonky embedded binaries, nothing downloaded), one fresh
 * database per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalPostgresIT extends JournalContract {
    private LocalPostgres postgres;
    private int databases;

    @BeforeAll
    void startPostgres() throws IOException {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    JournalConfig newDatabase() throws Exception {
        return postgres.journal("journal_" + (++databases));
    }

    /**
     * {@code status --collectivite}: an index can serve the SIREN filter (uk_acte_numero's SIREN prefix; no index leads
     * with (siren, created_at)). Sequential scans are disabled for the check: on a handful of rows PostgreSQL rightly
     * prefers them, so this proves the index is usable, not that the planner picks it at scale.
     */
    @Test
    void theCollectiviteFilterCanBeReadFromAnIndex() throws Exception {
        for (int i = 0; i < 20; i++) registered("2026_DEC_" + i);
        EntryRows.Query q = Entries.listQuery(EntryFilter.ALL.withSiren(SIREN));
        StringBuilder plan = new StringBuilder();
        try (Connection c = rawConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT " + EntryRows.ACTE_COLUMNS + " FROM "
                    + q.from())) {
                Sql.bind(ps, q.args().toArray());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(plan.toString().matches("(?s).* (on|using) (uk_acte_numero|ix_acte_siren_\\w+) .*"
                + "Index Cond: \\(\\(siren\\)::text = .*"), plan.toString());
    }

    /** Two daemons starting on one new database: the advisory lock makes one of them migrate, the other wait. */
    @Test
    void journalsOpenedTogetherMigrateOnce() throws Exception {
        JournalConfig fresh = newDatabase();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            java.util.List<java.util.concurrent.Future<Journal>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    return new Journal(fresh, clock);
                }));
            }
            for (java.util.concurrent.Future<Journal> f : opened) f.get().close();
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = java.sql.DriverManager.getConnection(fresh.url(), "postgres", "postgres");
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT string_agg(version::text, ',' ORDER BY version) FROM journal_schema")) {
            rs.next();
            assertEquals("1,2,3,4,5,6,8,9,10", rs.getString(1));
        }
    }

    /** journal.url listing several hosts, the first one down: the driver goes on to the primary and the journal works. */
    @Test
    void aUrlListingSeveralHostsReachesThePrimary() throws Exception {
        JournalConfig fresh = newDatabase();
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = s.getLocalPort(); // closed at once: nothing listens there
        }
        String url = fresh.url().replace("//localhost:", "//localhost:" + nobody + ",localhost:")
                + "?targetServerType=primary&connectTimeout=5";
        try (Journal j = new Journal(JournalConfig.of(url, "postgres", Secret.of("postgres")), clock)) {
            long id = j.register(acte("MULTI_1")).entry().id();
            assertEquals("MULTI_1", j.entries().findById(id).orElseThrow().numeroInterne());
        }
    }
}
