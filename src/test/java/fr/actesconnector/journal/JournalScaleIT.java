package fr.actesconnector.journal;

import fr.actesconnector.testing.LocalPostgres;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import fr.actesconnector.testing.MutableClock;

/**
 * Ten years of a syndicate on PostgreSQL: 100 000 actes of 200 collectivités (P4 of the bench uses 500 000).
 * Each query the page ({@link ActeSearch}'s pages; its count reads at most {@link ActeSearch#COUNT_LIMIT} index
 * entries by construction), the keyset list by collectivité ({@link Entries#listPage}), {@code status --state},
 * the poller and the sender run is EXPLAINed (run, with its buffers)
 * as the journal builds it: none reads the acte table (or a child table) whole, whether by a sequential scan or
 * by an index scan filtering its way through: each reads at most a twentieth of the table's pages and a few
 * pages per row it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalScaleIT {
    private static final int ACTES = 100_000;
    private static final int COLLECTIVITES = 200;
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private LocalPostgres postgres;
    private JournalConfig config;
    private Journal journal;
    private SyntheticJournal.Summary summary;

    @BeforeAll
    void fill() throws Exception {
        postgres = LocalPostgres.start();
        config = postgres.journal("scale");
        journal = new Journal(config, new MutableClock(NOW));
        long t0 = System.nanoTime();
        summary = SyntheticJournal.fill(config, ACTES, COLLECTIVITES, 10, NOW);
        System.out.printf("filled %d actes (%d history rows, %d files, %d documents) in %.1f s%n", summary.actes(),
                summary.historyRows(), summary.fileRows(), summary.documentRows(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stop() throws Exception {
        if (journal != null) journal.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void theSyntheticJournalIsWhatItSays() {
        assertEquals(ACTES, summary.actes());
        assertEquals(COLLECTIVITES, summary.sirens().size());
        assertEquals(SyntheticJournal.PENDING, journal.entries().countPending());
        EntryPage newest = journal.entries().listPage(EntryQuery.first(5));
        assertEquals(TransmissionState.TRANSMITTED, newest.entries().get(0).state());
        assertEquals(3, journal.entries().history(newest.entries().get(0).id()).size(), "PREPARED, POSTING, POSTED");
        String siren = summary.sirens().get(7);
        List<JournalEntry> hers = journal.entries().listPage(EntryQuery.first(50).withSirens(Set.of(siren))).entries();
        assertEquals(50, hers.size());
        assertTrue(hers.stream().allMatch(e -> e.siren().equals(siren)));
        assertEquals(COLLECTIVITES, journal.entries().listPage(EntryQuery.first(1000).withNumero(hers.get(10).numero())).entries().size(),
                "the same number in every collectivité");
    }

    @Test
    void noQueryOfThePageTheCommandsOrTheDaemonsReadsATableWhole() throws Exception {
        List<JournalEntry> page = journal.entries().listPage(EntryQuery.first(50)).entries();
        JournalEntry deep = journal.entries().listPage(EntryQuery.first(1).after(new EntryQuery.Cursor(NOW.minus(Duration.ofDays(1500)),
                Long.MAX_VALUE))).entries().get(0);
        EntryQuery.Cursor cursor = new EntryQuery.Cursor(deep.createdAt(), deep.id());
        String one = summary.sirens().get(3);
        Set<String> three = Set.copyOf(summary.sirens().subList(10, 13));
        List<TransmissionState> pending = java.util.Arrays.stream(TransmissionState.values())
                .filter(TransmissionState::isPending).toList();

        Map<String, EntryRows.Query> queries = new LinkedHashMap<>();
        queries.put("status", Entries.listQuery(EntryFilter.ALL));
        queries.put("status --state TRANSMITTED", Entries.listQuery(EntryFilter.ALL.withStates(Set.of(TransmissionState.TRANSMITTED))));
        queries.put("status --state ACKNOWLEDGED", Entries.listQuery(EntryFilter.ALL.withStates(Set.of(TransmissionState.ACKNOWLEDGED))));
        queries.put("status --state ERROR --state REJECTED", Entries.listQuery(EntryFilter.ALL.withStates(
                Set.of(TransmissionState.ERROR, TransmissionState.REJECTED))));
        queries.put("page 1", Entries.pageQuery(EntryQuery.first(50)));
        queries.put("page after a cursor 4 years back", Entries.pageQuery(EntryQuery.first(50).after(cursor)));
        queries.put("page of one collectivité", Entries.pageQuery(EntryQuery.first(50).withSirens(Set.of(one))));
        queries.put("page of one collectivité, further", Entries.pageQuery(EntryQuery.first(50).withSirens(Set.of(one)).after(cursor)));
        queries.put("page of three collectivités", Entries.pageQuery(EntryQuery.first(50).withSirens(three)));
        queries.put("page in error", Entries.pageQuery(EntryQuery.first(50).withStates(Set.of(TransmissionState.ERROR))));
        queries.put("page by day", Entries.pageQuery(EntryQuery.first(50).between(NOW.minus(Duration.ofDays(400)),
                NOW.minus(Duration.ofDays(399)))));
        // a number of four years back: a scan of the list in its order would read the years in between
        queries.put("search by number", Entries.pageQuery(EntryQuery.first(50).withNumero(deep.numero())));
        queries.put("search by number in one collectivité", Entries.pageQuery(EntryQuery.first(50)
                .withNumero(page.get(0).numero()).withSirens(Set.of(page.get(0).siren()))));
        // The web page's list and search as it asks for them (ActeSearch), a page of 50 and one row more.
        queries.put("the page: first page", page(ActeSearch.firstPageSql(ActeSearch.Criteria.ALL, 51)));
        queries.put("the page: after a cursor 4 years back", page(ActeSearch.pageAfterSql(ActeSearch.Criteria.ALL,
                deep.createdAt(), deep.id(), 51)));
        queries.put("the page: in error", page(ActeSearch.firstPageSql(ActeSearch.Criteria.ALL.withStates(
                Set.of(TransmissionState.ERROR)), 51)));
        queries.put("the page: acknowledged, 4 years back", page(ActeSearch.pageAfterSql(ActeSearch.Criteria.ALL.withStates(
                Set.of(TransmissionState.ACKNOWLEDGED)), deep.createdAt(), deep.id(), 51)));
        queries.put("the page: one week", page(ActeSearch.firstPageSql(ActeSearch.Criteria.ALL.between(
                java.util.Optional.of(NOW.minus(Duration.ofDays(400))), java.util.Optional.of(NOW.minus(Duration.ofDays(393)))), 51)));
        queries.put("the page: a number", page(ActeSearch.firstPageSql(ActeSearch.Criteria.ALL.withNumero(deep.numeroInterne()), 51)));
        queries.put("the page: an IDActe", page(ActeSearch.firstPageSql(ActeSearch.Criteria.ALL.withIdActe(
                page.get(3).idActe().value()), 51)));
        queries.put("poller's lease", Leases.leaseQuery(pending, 200, NOW, NOW));
        queries.put("sender's lease", Leases.leaseQuery(List.of(TransmissionState.PREPARED), 32, NOW, NOW));
        queries.put("year-end export", new EntryRows.Query("acte WHERE date_decision >= ? AND date_decision <= ?"
                + " ORDER BY date_decision, id", List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31))));
        queries.put("replaced by", new EntryRows.Query("acte WHERE replaces_id = ?", List.of(12345L)));
        queries.put("by IDActe", new EntryRows.Query("acte WHERE id_acte = ?", List.of(page.get(3).idActe().value())));
        queries.put("by transaction", new EntryRows.Query("acte WHERE tdt_transaction_id = ?", List.of("1012345")));

        List<String> failures = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(config.url(), "postgres", "postgres")) {
            int table = pages(c, "acte");
            for (Map.Entry<String, EntryRows.Query> q : queries.entrySet()) {
                String plan = explain(c, "SELECT " + EntryRows.ACTE_COLUMNS + " FROM " + q.getValue().from(), q.getValue().args());
                int read = buffers(plan);
                int rows = rows(plan);
                System.out.println("-- " + q.getKey() + " (" + read + " pages read for " + rows + " rows, the table has "
                        + table + " pages)\n" + plan);
                // An index scan that filters its way through the table is a full scan too: count the pages it reads,
                // which may grow with the rows the query returns (a few pages each), not with the table.
                int budget = table / 20 + 3 * rows;
                if (plan.contains("Seq Scan on acte") || read > budget) {
                    failures.add(q.getKey() + " (" + read + " pages, budget " + budget + "):\n" + plan);
                }
            }
            long id = page.get(0).id();
            for (String child : List.of("SELECT * FROM acte_history WHERE acte_id = ? ORDER BY id",
                    "SELECT * FROM acte_file WHERE acte_id = ? ORDER BY file_order",
                    "SELECT * FROM acte_document WHERE acte_id = ? ORDER BY id",
                    "SELECT * FROM acte_letter WHERE acte_id = ? ORDER BY date_courrier_pref, id",
                    "SELECT * FROM acte_anomaly WHERE acte_id = ? ORDER BY id")) {
                String plan = explain(c, child, List.of(id));
                if (plan.contains("Seq Scan") && !child.contains("acte_letter") && !child.contains("acte_anomaly")) {
                    failures.add(child + ":\n" + plan); // the letter and anomaly tables are empty here: a scan of nothing
                }
            }
        }
        assertTrue(failures.isEmpty(), "full scans:\n" + String.join("\n", failures));
        assertFalse(queries.isEmpty());
    }

    /** An ActeSearch SELECT as a {@link EntryRows.Query}: what follows its FROM. */
    private static EntryRows.Query page(Map.Entry<String, List<Object>> sql) {
        String select = "SELECT " + EntryRows.ACTE_COLUMNS + " FROM ";
        assertTrue(sql.getKey().startsWith(select), sql.getKey());
        return new EntryRows.Query(sql.getKey().substring(select.length()), sql.getValue());
    }

    /** The table's own pages (8 KiB, indexes apart): what a sequential scan reads. */
    private static int pages(Connection c, String table) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(?) / 8192")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The pages the whole query touched: the first "Buffers:" line belongs to the top node and sums its children. */
    private static int buffers(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Buffers: shared((?: (?:hit|read|dirtied|written)=\\d+)+)")
                .matcher(plan);
        if (!m.find()) return 0;
        int total = 0;
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("(hit|read)=(\\d+)").matcher(m.group(1));
        while (n.find()) total += Integer.parseInt(n.group(2));
        return total;
    }

    /** The rows the query returned: those of its top node. */
    private static int rows(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+)").matcher(plan);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The plan as run (ANALYZE, BUFFERS): what was read, not what the planner hoped. */
    private static String explain(Connection c, String sql, List<Object> args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            Sql.bind(ps, args.toArray());
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
            return plan.toString();
        }
    }
}
