package fr.actesconnector.journal;

import static fr.actesconnector.journal.TransmissionState.ACKNOWLEDGED;
import static fr.actesconnector.journal.TransmissionState.CANCEL_REQUESTED;
import static fr.actesconnector.journal.TransmissionState.ERROR;
import static fr.actesconnector.journal.TransmissionState.POSTED;
import static fr.actesconnector.journal.TransmissionState.POSTING;
import static fr.actesconnector.journal.TransmissionState.PREPARED;
import static fr.actesconnector.journal.TransmissionState.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.MutableClock;

/**
 * What PIT found unchecked in the journal, through its public API on an H2 file: the entries the state
 * changes return, a post answered -1, the anomaly's size bound and repetition, the lease of one acte,
 * the accounts' answers, and which failures are "retry later" (UNAVAILABLE) or not; the batch reads' chunks, a
 * batch of polls naming an unknown acte, the sending queue's answers, a page exactly full, the list's cursor.
 */
class JournalSurvivorsTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(JournalContract.START);
    private JournalConfig config;
    private Journal journal;

    @BeforeEach
    void open() {
        config = JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of(""));
        journal = new Journal(config, clock);
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private long registered(String numeroInterne) {
        return journal.register(JournalContract.acte(numeroInterne)).entry().id();
    }

    private Connection raw() throws Exception {
        return DriverManager.getConnection(config.url(), config.user(), "");
    }

    @Test
    void eachStateChangeReturnsTheEntryInItsNewState() {
        long id = registered("2026_DEC_020");
        assertEquals(POSTING, journal.markPosting(id).state());
        journal.recordPosted(id, "4242");
        journal.recordAcknowledgement(id, JournalContract.AR_XML, LocalDate.of(2026, 4, 29));
        assertEquals(CANCEL_REQUESTED, journal.requestCancel(id, Actor.web("chef")).state());

        long other = registered("2026_DEC_021");
        JournalEntry marked = journal.markPosting(other, Actor.web("marie.dupont"));
        assertEquals(POSTING, marked.state());
        assertEquals(other, marked.id());
    }

    @Test
    void aPostAnsweredMinusOneEndsInErrorWithTheTdtsReason() {
        long failed = registered("2026_DEC_020");
        journal.markPosting(failed);
        JournalEntry e = journal.recordPosted(failed, "4242", -1);
        assertEquals(ERROR, e.state());
        assertEquals(Optional.of("statut -1 du TdT"), e.lastError());
        assertEquals(Optional.empty(), e.nextPollAt(), "nothing more to poll");

        long fine = registered("2026_DEC_021");
        journal.markPosting(fine);
        assertEquals(Optional.empty(), journal.recordPosted(fine, "4243").lastError());
    }

    @Test
    void aStatusThatCannotFollowAPostIsRefusedAndChangesNothing() {
        long id = registered("2026_DEC_020");
        journal.markPosting(id);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> journal.recordPosted(id, "4242", 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        JournalEntry still = journal.entries().findById(id).orElseThrow();
        assertEquals(POSTING, still.state());
        assertEquals(Optional.empty(), still.transactionId());
    }

    @Test
    void anAnomalyTooLargeIsRefusedAndTheSameAnomalyTwiceIsKeptOnce() {
        long id = registered("2026_DEC_020");
        journal.markPosting(id);
        journal.recordPosted(id, "4242");
        JournalException tooLarge = assertThrows(JournalException.class,
                () -> journal.recordAnomaly(id, "AnomalieActe", "pièce illisible", "x".repeat(Journal.MAX_XML + 1)));
        assertEquals(Reason.INVALID_INPUT, tooLarge.reason());
        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state());
        assertEquals(List.of(), journal.replies().anomalies(id));

        String xml = "<actes:AnomalieActe/>";
        assertEquals(REJECTED, journal.recordAnomaly(id, "AnomalieActe", "pièce illisible", xml).state());
        JournalEntry again = journal.recordAnomaly(id, "AnomalieActe", "pièce illisible", xml);
        assertEquals(REJECTED, again.state(), "the same anomaly again: the entry as it is");
        assertEquals(1, journal.replies().anomalies(id).size());
    }

    @Test
    void aPollerMayLeaseOneActeAtATimeButNotNone() {
        registered("2026_DEC_020");
        journal.markPosting(journal.entries().findByNumero(JournalContract.SIREN, "2026_DEC_020").orElseThrow().id());
        long second = registered("2026_DEC_021");
        journal.markPosting(second);
        clock.advance(Duration.ofHours(1));
        assertEquals(1, journal.leases().leasePending("daemon", 1, Duration.ofMinutes(5), clock.instant()).size());
        assertThrows(IllegalArgumentException.class,
                () -> journal.leases().leasePending("daemon", 0, Duration.ofMinutes(5), clock.instant()));
    }

    @Test
    void anAnswerMarkedPostingIsReturnedPosting() {
        long acte = registered("2026_DEC_020");
        Letters letters = journal.letters();
        long letter = letters.record(acte, new Letters.NewLetter("DemandePieceComplementaire", LocalDate.of(2026, 5, 12),
                Optional.of("9001"), Optional.empty(), Optional.empty())).letter().id();
        long answer = letters.registerAnswer(letter, "pieces", List.of(Path.of("/a.pdf"))).answer().id();
        Letters.Answer marked = letters.markAnswerPosting(answer);
        assertEquals(Letters.AnswerState.POSTING, marked.state());
        assertEquals(answer, marked.id());
    }

    /** No state lies strictly behind itself: a status repeating the state is not "old news". */
    @Test
    void noStateIsAheadOfItself() {
        for (TransmissionState s : TransmissionState.values()) {
            assertFalse(s.isAhead(s), s.name());
        }
        assertFalse(ACKNOWLEDGED.isAhead(ACKNOWLEDGED));
    }

    @Test
    void accountsAnswerWhetherTheyChangedSomething() {
        Users users = journal.users();
        Actor admin = Actor.commandLine();
        users.add("chef", "hash-chef", Users.Role.ADMIN, Optional.of("Jeanne Chef"), admin);
        Users.User agent = users.add("accueil", "hash", Users.Role.AGENT, Optional.of("   "), admin);
        assertFalse(agent.isAdmin());
        assertEquals(Optional.empty(), agent.fullName(), "a blank name is no name");
        assertEquals(Optional.empty(), users.find("accueil").orElseThrow().fullName());
        assertTrue(users.find("chef").orElseThrow().isAdmin());

        assertTrue(users.setPasswordHash("accueil", "hash-2", admin));
        assertFalse(users.setPasswordHash("personne", "hash-2", admin));
        assertTrue(users.setDisabled("accueil", true, admin));
        assertTrue(users.setDisabled("accueil", true, admin), "already disabled: nothing to change, the account exists");
        assertFalse(users.setDisabled("personne", true, admin));
        assertTrue(users.remove("accueil", admin));
        assertFalse(users.remove("accueil", admin));
    }

    @Test
    void theAccountsOfAClosedJournalAreUnavailable() {
        Users users = journal.users();
        journal.close();
        JournalException e = assertThrows(JournalException.class,
                () -> users.add("accueil", "hash", Users.Role.AGENT, Optional.empty(), Actor.commandLine()));
        assertEquals(Reason.UNAVAILABLE, e.reason());
    }

    /** A damaged database is not something to retry: INTERNAL, with the French message. */
    @Test
    void aMissingTableIsAnInternalFailure() throws Exception {
        long id = registered("2026_DEC_020");
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE acte_anomaly");
        }
        JournalException e = assertThrows(JournalException.class, () -> journal.replies().anomalies(id));
        assertEquals(Reason.INTERNAL, e.reason());
        assertFalse(e.userMessage().isBlank());
    }

    /** A row another program holds past the lock timeout: the journal is busy, try again later. */
    @Test
    void aRowHeldTooLongIsUnavailableNotInternal() throws Exception {
        long id = registered("2026_DEC_020");
        try (Connection c = raw()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM acte WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                ps.executeQuery().close();
            }
            JournalException e = assertThrows(JournalException.class, () -> journal.markPosting(id));
            assertEquals(Reason.UNAVAILABLE, e.reason());
            assertTrue(e.userMessage().contains("ne répond pas"), e.userMessage());
            c.rollback();
        }
        assertEquals(POSTING, journal.markPosting(id).state(), "released: the change goes through");
    }

    @Test
    void failingToOpenNamesWhatToCheckForEachDatabase() throws Exception {
        Path file = Files.writeString(dir.resolve("pas-un-dossier"), "x");
        JournalException h2 = assertThrows(JournalException.class,
                () -> new Journal(JournalConfig.of("jdbc:h2:file:" + file.resolve("j"), "", Secret.of("")), clock));
        assertTrue(h2.userMessage().contains("Vérifiez que le dossier du journal existe"), h2.userMessage());
        JournalException postgres = assertThrows(JournalException.class,
                () -> new Journal(JournalConfig.of("jdbc:postgresql://127.0.0.1:1/journal", "actes", Secret.of("x")), clock));
        assertTrue(postgres.userMessage().contains("serveur PostgreSQL"), postgres.userMessage());
    }

    @Test
    void keysFillingWholeChunksMakeNoEmptyOne() {
        assertEquals(List.of(), Sql.chunks(List.of()));
        List<Long> thousand = LongStream.rangeClosed(1, 2 * Sql.IN_CHUNK).boxed().toList();
        assertEquals(List.of(Sql.IN_CHUNK, Sql.IN_CHUNK), Sql.chunks(thousand).stream().map(List::size).toList(),
                "an empty IN () is not SQL");
        assertEquals(Map.of(), journal.entries().sentAt(thousand), "none of them in the journal");
    }

    /** The rows are locked first, in id order: an id no row answers for must not stop the batch, only fail it. */
    @Test
    void aBatchOfPollsNamingAnActeNotInTheJournalFailsAsOnePollDoesAndRecordsNothing() {
        long id = registered("2026_DEC_020");
        journal.markPosting(id);
        journal.recordPosted(id, "4242");
        Instant next = clock.instant().plusSeconds(60);
        long unknown = id + 1000;
        JournalException alone = assertThrows(JournalException.class,
                () -> journal.recordPolledAll(List.of(new Journal.Polled(unknown, 1, "", next))));
        assertEquals(Reason.INTERNAL, alone.reason());
        assertEquals(assertThrows(JournalException.class, () -> journal.recordPolled(unknown, 1, "", next)).userMessage(),
                alone.userMessage());
        assertThrows(JournalException.class, () -> journal.recordPolledAll(List.of(new Journal.Polled(id, 2, "", next),
                new Journal.Polled(unknown, 1, "", next))));
        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state(), "the whole batch rolled back");
    }

    @Test
    void queueingAnswersTheQueuedEntryAndSaysWhatIsMissing() {
        long bare = registered("2026_DEC_020");
        JournalException noArchive = assertThrows(JournalException.class, () -> journal.leases().queueForSending(bare, clock.instant()));
        assertTrue(noArchive.userMessage().endsWith(", sans archive."), noArchive.userMessage());
        long id = registered("2026_DEC_021");
        journal.recordArchive(id, Path.of("/data/out/21.tar.gz"), List.of(new ArchivedFile(ArchivedFile.Role.DOCUMENT,
                "99_DC-078-217803105-20260427-2026_DEC_021-DE-1-1_1.pdf", Path.of("/data/21.pdf"), 10, JournalContract.SHA)));
        journal.markPosting(id);
        JournalException posting = assertThrows(JournalException.class, () -> journal.leases().queueForSending(id, clock.instant()));
        assertFalse(posting.userMessage().contains("sans archive"), posting.userMessage());
        journal.revertToPrepared(id, "introuvable sur le TdT");

        Instant at = clock.instant().plusSeconds(30);
        JournalEntry queued = journal.leases().queueForSending(id, at);
        assertEquals(PREPARED, queued.state());
        assertEquals(Optional.of(at), queued.nextPollAt());
        assertEquals(Optional.of(at), journal.leases().queueForSending(id, at.plusSeconds(5)).nextPollAt(), "already queued: as it is");
    }

    @Test
    void aPageExactlyFullHasNoNextPage() {
        registered("2026_DEC_020");
        clock.advance(Duration.ofSeconds(1));
        registered("2026_DEC_021");
        assertEquals(Optional.empty(), journal.entries().listPage(EntryQuery.first(2)).next());
        assertTrue(journal.entries().listPage(EntryQuery.first(1)).next().isPresent());
    }

    @Test
    void aPageHoldsAtMostAThousandActes() {
        assertEquals(EntryQuery.MAX_LIMIT, EntryQuery.first(EntryQuery.MAX_LIMIT).limit());
        assertThrows(IllegalArgumentException.class, () -> EntryQuery.first(EntryQuery.MAX_LIMIT + 1));
    }

    /** The next-page link keeps the registration time to the microsecond (PostgreSQL's precision), before 1970 too. */
    @Test
    void theCursorsTokenKeepsItsMicroseconds() {
        EntryQuery.Cursor cursor = new EntryQuery.Cursor(Instant.parse("2026-04-28T08:00:00.123456Z"), 42);
        assertEquals("1777363200123456.42", cursor.token());
        assertEquals(Optional.of(cursor), EntryQuery.Cursor.parse(cursor.token()));
        EntryQuery.Cursor before = new EntryQuery.Cursor(Instant.parse("1969-12-31T23:59:59.999999Z"), 7);
        assertEquals("-1.7", before.token());
        assertEquals(Optional.of(before), EntryQuery.Cursor.parse(before.token()));
    }

    /** A driver's exception without SQLState (H2 and PostgreSQL give one; a pool or a bug may not). */
    @Test
    void aFailureWithoutSqlStateIsInternalAndNamesNoNull() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(config.url());
        Sql sql = new Sql(h2, "journal de test");
        JournalException e = assertThrows(JournalException.class, () -> sql.inTransaction("essai", c -> {
            throw new SQLException("refusé");
        }));
        assertEquals(Reason.INTERNAL, e.reason());
        assertFalse(e.userMessage().contains("null"), e.userMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        assertFalse(Sql.isUnavailable(new SQLException("refusé")));
    }

    /** The collectivités of an account as written by hand: a malformed SIREN is dropped, the account still reads. */
    @Test
    void aMalformedSirenWrittenByHandIsDropped() throws Exception {
        Users users = journal.users();
        users.add("accueil", "hash", Users.Role.AGENT, Optional.empty(), Users.Scope.of(List.of(JournalContract.SIREN)),
                Actor.commandLine());
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO web_user_collectivite (login, siren) VALUES ('accueil', '2178')");
        }
        assertEquals(List.of(JournalContract.SIREN), users.find("accueil").orElseThrow().scope().sirens());
        assertEquals(List.of(JournalContract.SIREN), users.list().get(0).scope().sirens());
    }
}
