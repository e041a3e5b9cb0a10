package fr.actesconnector.journal;

import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal contract on an H2 file in a temporary folder, plus what only H2 and opening concern. */
class JournalH2Test extends JournalContract {
    @TempDir
    Path dir;

    @Override
    JournalConfig newDatabase() {
        return JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of(""));
    }

    private String plan(EntryFilter filter) throws Exception {
        EntryRows.Query q = Entries.listQuery(filter);
        try (java.sql.Connection c = rawConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT " + EntryRows.ACTE_COLUMNS + " FROM "
                     + q.from())) {
            Sql.bind(ps, q.args().toArray());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * {@code status --collectivite} and {@code --state}: read from an index, never by a scan of the table. No index
     * leads with (siren, created_at): a SIREN alone is found through uk_acte_numero's SIREN prefix, then sorted.
     */
    @Test
    void theListsFiltersReadAnIndex() throws Exception {
        for (int i = 0; i < 20; i++) registered("2026_DEC_" + i);
        for (EntryFilter f : List.of(EntryFilter.ALL.withSiren(SIREN),
                EntryFilter.ALL.withSiren(SIREN).withStates(Set.of(TransmissionState.ERROR)),
                EntryFilter.ALL.withSiren(SIREN).withStates(Set.of(TransmissionState.ERROR, TransmissionState.POSTED)))) {
            String plan = plan(f);
            assertTrue(plan.matches("(?s).*(UK_ACTE_NUMERO\\w*|IX_ACTE_SIREN_\\w+): SIREN = \\?.*"), plan);
        }
        String state = plan(EntryFilter.ALL.withStates(Set.of(TransmissionState.ERROR)));
        assertTrue(state.contains("IX_ACTE_STATE_CREATED: STATE = ?"), state);
    }

    @Test
    void defaultUrlCreatesTheFileUnderTheBaseDirectory() throws Exception {
        Path base = Files.createDirectory(dir.resolve("conf"));
        JournalConfig defaults = JournalConfig.fromProperties(Map.of(), base);

        try (Journal j = new Journal(defaults, clock)) {
            j.register(acte("2026_DEC_020"));
        }

        assertTrue(Files.isRegularFile(base.resolve("data/journal.mv.db")));
        try (Journal reopened = new Journal(defaults, clock)) {
            assertFalse(reopened.register(acte("2026_DEC_020")).created());
        }
    }

    @Test
    void unreachablePostgresqlFailsAtConstructionInFrench() {
        JournalConfig unreachable = JournalConfig.of("jdbc:postgresql://127.0.0.1:1/journal?password=hidden",
                "actes", Secret.of("s3cret"));

        JournalException e = assertThrows(JournalException.class, () -> new Journal(unreachable, clock));

        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.userMessage().startsWith("Impossible d'ouvrir le journal jdbc:postgresql://127.0.0.1:1/journal."),
                e.userMessage());
        assertFalse(e.userMessage().contains("hidden") || e.getMessage().contains("hidden"));
        assertFalse(e.userMessage().contains("s3cret") || e.getMessage().contains("s3cret"));
    }

    @Test
    void aFolderThatCannotHoldTheDatabaseFailsAtConstruction() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        JournalConfig config = JournalConfig.of("jdbc:h2:file:" + file.resolve("j"), "", Secret.of(""));

        JournalException e = assertThrows(JournalException.class, () -> new Journal(config, clock));

        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.userMessage().contains("Impossible d'ouvrir le journal"), e.userMessage());
    }

    @Test
    void anInMemoryJournalOpensAsWritten() {
        JournalConfig memory = JournalConfig.of("jdbc:h2:mem:journal-h2-test;DB_CLOSE_DELAY=-1", "", Secret.of(""));

        try (Journal j = new Journal(memory, clock)) {
            assertTrue(j.register(acte("2026_DEC_030")).created());
        }
    }

    @Test
    void theJournalConnectsAsTheConfiguredUser() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("owned");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "actes", "motdepasse")) {
            c.createStatement().execute("SELECT 1"); // the database now belongs to actes/motdepasse
        }
        try (Journal owned = new Journal(JournalConfig.of(url, "actes", Secret.of("motdepasse")), clock)) {
            assertTrue(owned.register(acte("2026_DEC_020")).created());
        }
        JournalException wrong = assertThrows(JournalException.class,
                () -> new Journal(JournalConfig.of(url, "actes", Secret.of("pas-le-bon")), clock));
        assertEquals(Reason.UNAVAILABLE, wrong.reason());
        assertFalse(wrong.userMessage().contains("pas-le-bon"));
    }
}
