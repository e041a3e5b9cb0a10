package fr.actesconnector.journal;

import fr.actesconnector.testing.MutableClock;

import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static fr.actesconnector.journal.TransmissionState.ACKNOWLEDGED;
import static fr.actesconnector.journal.TransmissionState.CANCELLED;
import static fr.actesconnector.journal.TransmissionState.CANCEL_REQUESTED;
import static fr.actesconnector.journal.TransmissionState.ERROR;
import static fr.actesconnector.journal.TransmissionState.HELD;
import static fr.actesconnector.journal.TransmissionState.POSTED;
import static fr.actesconnector.journal.TransmissionState.POSTING;
import static fr.actesconnector.journal.TransmissionState.PREPARED;
import static fr.actesconnector.journal.TransmissionState.REJECTED;
import static fr.actesconnector.journal.TransmissionState.TRANSMITTED;
import static fr.actesconnector.journal.TransmissionState.VALIDATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's contract, run on every supported database: H2 ({@code JournalH2Test}) and PostgreSQL
 * ({@code JournalPostgresIT}). Each test gets an empty database.
 */
abstract class JournalContract {
    static final String SIREN = "217803105";
    /** Maulette, Houdan's neighbour in a syndicate. */
    static final String OTHER_SIREN = "217803816";
    static final LocalDate DECISION = LocalDate.of(2026, 4, 27);
    static final Instant START = Instant.parse("2026-04-28T08:00:00Z");
    static final String SHA = "a".repeat(64);
    static final String AR_XML = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:ARActe"
            + " xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\""
            + " actes:IDActe=\"078-217803105-20260427-2026_DEC_020-CC\" actes:DateReception=\"2026-04-29\"/>";

    MutableClock clock;
    JournalConfig config;
    Journal journal;

    /** A configuration pointing at a fresh, empty database; reopening it must find the same data. */
    abstract JournalConfig newDatabase() throws Exception;

    @BeforeEach
    void openJournal() throws Exception {
        clock = new MutableClock(START);
        config = newDatabase();
        journal = new Journal(config, clock);
    }

    @AfterEach
    void closeJournal() {
        journal.close();
    }

    static NewActe acte(String numeroInterne) {
        return acte(numeroInterne, DECISION);
    }

    static NewActe acte(String numeroInterne, LocalDate decision) {
        IdActe id = IdActe.of("078", SIREN, decision, numeroInterne, Nature.CC);
        return new NewActe(id, SIREN, numeroInterne.replace('_', '-'), numeroInterne, decision, Nature.CC,
                Classification.of(1, 4), "Contrat P360 - MAHOUDAN - PREMIUM", false);
    }

    long registered(String numeroInterne) {
        return journal.register(acte(numeroInterne)).entry().id();
    }

    /** Registered, posted with transaction {@code tx}: state POSTED, due for polling now. */
    long posted(String numeroInterne, String tx) {
        long id = registered(numeroInterne);
        journal.markPosting(id);
        journal.recordPosted(id, tx);
        return id;
    }

    List<TransmissionState> states(long id) {
        return journal.entries().history(id).stream().map(StateChange::to).toList();
    }

    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(config.url(), config.user(), new String(config.password().reveal()));
    }

    // ------------------------------------------------------------------ registration

    @Test
    void registerStoresInputsInPreparedStateWithHistory() {
        Registration r = journal.register(acte("2026_DEC_020"));

        assertTrue(r.created());
        JournalEntry e = r.entry();
        assertEquals("078-217803105-20260427-2026_DEC_020-CC", e.idActe().value());
        assertEquals(SIREN, e.siren());
        assertEquals("2026-DEC-020", e.numero());
        assertEquals("2026_DEC_020", e.numeroInterne());
        assertEquals(DECISION, e.dateDecision());
        assertEquals(Nature.CC, e.nature());
        assertEquals(Classification.of(1, 4), e.classification());
        assertEquals("Contrat P360 - MAHOUDAN - PREMIUM", e.objet());
        assertFalse(e.documentPapier());
        assertEquals(PREPARED, e.state());
        assertEquals(Optional.empty(), e.transactionId());
        assertEquals(START, e.createdAt());
        List<StateChange> history = journal.entries().history(e.id());
        assertEquals(1, history.size());
        assertEquals(Optional.empty(), history.get(0).from());
        assertEquals(PREPARED, history.get(0).to());
        assertEquals(START, history.get(0).at());
    }

    @Test
    void registeringTheSameActeAgainReturnsItsCurrentStateInsteadOfANewEntry() {
        long id = posted("2026_DEC_020", "4242");

        Registration again = journal.register(acte("2026_DEC_020"));

        assertFalse(again.created());
        assertEquals(id, again.entry().id());
        assertEquals(POSTED, again.entry().state());
        assertEquals(Optional.of("4242"), again.entry().transactionId());
        assertEquals(1, journal.entries().list(EntryFilter.ALL).size());
    }

    @Test
    void aNumeroAlreadyUsedByAnotherActeIsRefusedWithAFrenchReason() {
        registered("2026_DEC_020");

        JournalException e = assertThrows(JournalException.class,
                () -> journal.register(acte("2026_DEC_020", DECISION.minusDays(1))));

        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("2026_DEC_020B"), e.userMessage());
        assertEquals(1, journal.entries().list(EntryFilter.ALL).size());
    }

    @Test
    void concurrentRegistrationsOfOneActeCreateOneEntry() throws Exception {
        int threads = 6;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<Registration> results = runConcurrently(threads, () -> {
            barrier.await();
            return journal.register(acte("2026_DEC_020"));
        });

        assertEquals(1, results.stream().filter(Registration::created).count());
        assertEquals(1, results.stream().map(r -> r.entry().id()).distinct().count());
    }

    @Test
    void keysAreReadInChunksOfAFewHundredOnceEach() {
        List<Long> ids = new ArrayList<>(java.util.stream.LongStream.rangeClosed(1, 1001).boxed().toList());
        ids.add(7L);
        List<List<Long>> chunks = Sql.chunks(ids);
        assertEquals(List.of(500, 500, 1), chunks.stream().map(List::size).toList());
        assertEquals(ids.subList(0, 1001), chunks.stream().flatMap(List::stream).toList());
    }

    /** status --json reads the facts of hundreds of actes at once: each acte's part equals what it reads alone. */
    @Test
    void factsReadForSeveralActesAtOnceAreEachOnesAlone() {
        long archived = archived("F1");
        journal.files().recordDocument(archived, ReceivedDocument.of(ReceivedDocument.Kind.AR, Path.of("/data/ar.xml"), 7, "c".repeat(64)));
        long bare = registered("F2");
        long lettered = posted("F3", "33");
        journal.publications().recordPublication(lettered, new Publications.Publication(LocalDate.of(2026, 5, 2), "publication"));
        Letters letters = journal.letters();
        long letter = letters.record(lettered, new Letters.NewLetter("DemandePieceComplementaire", LocalDate.of(2026, 5, 10),
                Optional.of("77"), Optional.empty(), Optional.empty())).letter().id();
        letters.record(lettered, new Letters.NewLetter("LettreObservations", LocalDate.of(2026, 5, 3), Optional.of("78"),
                Optional.empty(), Optional.empty()));
        letters.registerAnswer(letter, "pieces", List.of(Path.of("/data/p.pdf")));
        List<Long> ids = List.of(lettered, bare, archived);

        java.util.Map<Long, List<KeptFile>> kept = journal.files().kept(ids);
        assertEquals(ids, List.copyOf(kept.keySet()), "in the order asked");
        for (long id : ids) assertEquals(journal.files().kept(id), kept.get(id), "files of " + id);
        assertEquals(List.of("archive", "document", "ar"), kept.get(archived).stream().map(KeptFile::kind).toList());
        assertEquals(java.util.Map.of(lettered, new Publications.Publication(LocalDate.of(2026, 5, 2), "publication")),
                journal.publications().of(ids));
        java.util.Map<Long, List<Letters.Letter>> byActe = letters.ofActes(ids);
        assertEquals(java.util.Map.of(lettered, letters.ofActe(lettered)), byActe);
        assertEquals(List.of(LocalDate.of(2026, 5, 3), LocalDate.of(2026, 5, 10)),
                byActe.get(lettered).stream().map(Letters.Letter::dateCourrierPref).toList(), "oldest first");
        assertEquals(java.util.Map.of(letter, letters.answerOf(letter).orElseThrow()),
                letters.answersOf(byActe.get(lettered).stream().map(Letters.Letter::id).toList()));
        assertEquals(java.util.Map.of(), journal.files().kept(List.of()));
    }

    @Test
    void keptFilesListTheArchiveItsFilesThenWhatCameBackWithTheirTimes() {
        long id = registered("2026_DEC_020");
        journal.recordArchive(id, Path.of("/data/out/archive.tar.gz"), List.of(
                new ArchivedFile(ArchivedFile.Role.DOCUMENT, "99_DC-doc-1-1_1.pdf", Path.of("/data/out/1.bin"), 10, SHA),
                new ArchivedFile(ArchivedFile.Role.SIGNATURE, "x-1.p7s", Path.of("/data/out/x-1.p7s"), 5, "b".repeat(64))));
        Instant archived = clock.instant();
        clock.advance(Duration.ofHours(1));
        journal.files().recordDocument(id, ReceivedDocument.of(ReceivedDocument.Kind.COURRIER_FILE, Path.of("/data/recus/lettre-3-1_1.pdf"),
                7, "c".repeat(64)).withMessageType("DemandePieceComplementaire"));

        List<KeptFile> kept = journal.files().kept(id);
        assertEquals(List.of("archive", "document", "signature", "courrier_file"), kept.stream().map(KeptFile::kind).toList());
        assertEquals(List.of("archive.tar.gz", "99_DC-doc-1-1_1.pdf", "x-1.p7s", "lettre-3-1_1.pdf"),
                kept.stream().map(KeptFile::name).toList());
        assertEquals(Optional.of(archived), kept.get(0).receivedAt());
        assertEquals(Optional.of(archived), kept.get(2).receivedAt());
        assertEquals(Optional.of(archived.plus(Duration.ofHours(1))), kept.get(3).receivedAt());
        assertEquals(Optional.of("DemandePieceComplementaire"), kept.get(3).messageType());
        assertEquals(Path.of("/data/recus/lettre-3-1_1.pdf"), kept.get(3).path());
    }

    @Test
    void aRefusedActeIsNeverPutBackToPrepared() {
        long error = registered("2026_DEC_030");
        journal.markPosting(error);
        journal.recordError(error, "Refusé par le TdT : numéro déjà utilisé");
        assertThrows(IllegalTransitionException.class, () -> journal.revertToPrepared(error, "x"));
        assertEquals(ERROR, journal.entries().findById(error).orElseThrow().state());

        long rejected = posted("2026_DEC_031", "4299");
        journal.recordAnomaly(rejected, "002", "Typologie non autorisée", "<x/>");
        assertEquals(REJECTED, journal.entries().findById(rejected).orElseThrow().state());
        assertThrows(IllegalTransitionException.class, () -> journal.revertToPrepared(rejected, "x"));
        assertEquals(REJECTED, journal.entries().findById(rejected).orElseThrow().state());
    }

    @Test
    void aCancelRequestedRightAfterTheArCanBeLeasedAtOnce() {
        long id = posted("2026_DEC_020", "4242");
        assertEquals(1, journal.leases().leasePending("daemon-1", 10, Duration.ofMinutes(5), START).size());
        journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        journal.requestCancel(id);
        journal.recordCancelPosted(id, "5001");
        assertEquals(List.of(id), ids(journal.leases().leasePending("daemon-2", 10, Duration.ofMinutes(5), START)),
                "not held by the lease of the round that saw the AR");
    }

    @Test
    void aManualPollMakesEveryPendingActeDueAndOnlyThem() {
        long later = posted("2026_DEC_020", "4242");
        long due = posted("2026_DEC_021", "4243");
        long prepared = registered("2026_DEC_022");
        journal.leases().reschedule(later, START.plus(Duration.ofDays(1)));
        assertEquals(2, journal.entries().countPending());

        assertEquals(1, journal.leases().makePendingDue(START), "only the acte scheduled later moves");
        assertEquals(Set.of(later, due), Set.copyOf(ids(journal.leases().leasePending("manual", 10, Duration.ofMinutes(5), START))));
        assertEquals(Optional.empty(), journal.entries().findById(prepared).orElseThrow().nextPollAt());
    }

    @Test
    void archiveAndFilesAreRecordedAndFrozenOncePostingStarted() {
        long id = registered("2026_DEC_020");
        List<ArchivedFile> files = List.of(
                new ArchivedFile(ArchivedFile.Role.MESSAGE, "99_DE-078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml",
                        Path.of("/data/out/msg.xml"), 1234, SHA),
                new ArchivedFile(ArchivedFile.Role.DOCUMENT, "99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf",
                        Path.of("/data/out/acte.pdf"), 98765, "b".repeat(64)));

        JournalEntry e = journal.recordArchive(id, Path.of("/data/out/archive.tar.gz"), files);

        assertEquals(Optional.of(Path.of("/data/out/archive.tar.gz")), e.archivePath());
        assertEquals(files, journal.files().archived(id));
        journal.recordArchive(id, Path.of("/data/out/archive2.tar.gz"), files.subList(0, 1));
        assertEquals(files.subList(0, 1), journal.files().archived(id));

        journal.markPosting(id);
        JournalException refused = assertThrows(JournalException.class,
                () -> journal.recordArchive(id, Path.of("/x.tar.gz"), files));
        assertTrue(refused.userMessage().contains("ne peut plus"), refused.userMessage());
        assertEquals(Optional.of(Path.of("/data/out/archive2.tar.gz")), journal.entries().findById(id).orElseThrow().archivePath());
    }

    // ------------------------------------------------------------------ state machine

    @Test
    void fullLifecycleWritesEveryTransitionWithItsTime() {
        long id = registered("2026_DEC_020");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(POSTING, journal.markPosting(id).state());
        assertEquals(POSTED, journal.recordPosted(id, "4242").state());
        assertEquals(VALIDATED, journal.recordStatus(id, 2, "").state());
        assertEquals(TRANSMITTED, journal.recordStatus(id, 3, "").state());
        clock.advance(Duration.ofDays(1));
        JournalEntry ack = journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        assertEquals(ACKNOWLEDGED, ack.state());
        assertEquals(Optional.of(4), ack.tdtStatus());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), ack.dateReception());
        assertEquals(CANCEL_REQUESTED, journal.requestCancel(id).state());
        assertEquals(Optional.of("4300"), journal.recordCancelPosted(id, "4300").cancelTransactionId());
        JournalEntry cancelled = journal.recordStatus(id, 0, "ARAnnulation reçu");

        assertEquals(CANCELLED, cancelled.state());
        assertEquals(Optional.of(0), cancelled.tdtStatus());
        assertEquals(List.of(PREPARED, POSTING, POSTED, VALIDATED, TRANSMITTED, ACKNOWLEDGED, CANCEL_REQUESTED,
                CANCEL_REQUESTED, CANCELLED), states(id));
        List<StateChange> history = journal.entries().history(id);
        assertEquals(Optional.of(TRANSMITTED), history.get(5).from());
        assertEquals(START.plus(Duration.ofMinutes(1)).plus(Duration.ofDays(1)), history.get(5).at());
        assertEquals(Optional.of(4), history.get(5).tdtStatus());
        assertEquals(cancelled, journal.entries().findByTransactionId("4242").orElseThrow());
    }

    @Test
    void everyActionNamesWhoAskedForItAndWhatTheTdtOrThePrefectureDidNamesNobody() {
        Actor marie = Actor.web("marie.dupont");
        Actor cli = new Actor(Actor.Kind.COMMAND_LINE, "jdupont");
        long id = journal.register(acte("2026_DEC_020"), marie).entry().id();
        journal.markPosting(id, marie);
        journal.recordPosted(id, "4242");
        journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        journal.publications().recordPublication(id, new Publications.Publication(LocalDate.of(2026, 5, 2), "publication"), cli);
        journal.publications().recordPublication(id, new Publications.Publication(LocalDate.of(2026, 5, 3), "notification"));
        journal.recordAction(id, marie, "réponse au courrier 3-1 : envoi au TdT");
        journal.requestCancel(id, Actor.web("chef"));

        List<StateChange> h = journal.entries().history(id);
        assertEquals(List.of(Optional.of(marie), Optional.of(marie), Optional.empty(), Optional.empty(), Optional.of(cli),
                Optional.of(marie), Optional.of(Actor.web("chef"))), h.stream().map(StateChange::actor).toList(),
                "a publication recorded without naming anyone writes no line");
        assertEquals(List.of(PREPARED, POSTING, POSTED, ACKNOWLEDGED, ACKNOWLEDGED, ACKNOWLEDGED, CANCEL_REQUESTED),
                h.stream().map(StateChange::to).toList());
        assertEquals(Optional.of(ACKNOWLEDGED), h.get(4).from(), "an action leaves the state as it is");
        assertEquals(Optional.of("publication du 02/05/2026 enregistrée"), h.get(4).detail());
        assertEquals(Optional.of("réponse au courrier 3-1 : envoi au TdT"), h.get(5).detail());
        assertEquals("la ligne de commande (jdupont)", h.get(4).actor().orElseThrow().label());
        assertEquals(Optional.of(new Publications.Publication(LocalDate.of(2026, 5, 3), "notification")), journal.publications().of(id));
        assertEquals(List.of(Optional.empty()), journal.entries().history(registered("2026_DEC_021")).stream()
                .map(StateChange::actor).toList(), "the overload without an actor names nobody");
    }

    @Test
    void aPollMayJumpForwardFromPostedToAcknowledged() {
        long id = posted("2026_DEC_020", "4242");

        JournalEntry e = journal.recordStatus(id, 4, "");

        assertEquals(ACKNOWLEDGED, e.state());
        assertEquals(List.of(PREPARED, POSTING, POSTED, ACKNOWLEDGED), states(id));
    }

    @Test
    void illegalTransitionsThrowAndWriteNothing() {
        long id = posted("2026_DEC_020", "4242");
        int before = journal.entries().history(id).size();

        IllegalTransitionException twice = assertThrows(IllegalTransitionException.class, () -> journal.markPosting(id));
        assertEquals(POSTED, twice.from());
        assertEquals(POSTING, twice.to());
        assertTrue(twice.userMessage().contains("Posté sur le TdT"), twice.userMessage());
        assertThrows(IllegalTransitionException.class, () -> journal.requestCancel(id));
        assertThrows(IllegalTransitionException.class, () -> journal.revertToPrepared(id, "x"));

        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state());
        assertEquals(before, journal.entries().history(id).size());
    }

    @Test
    void postingIsResolvedAfterACrashEitherWayWithoutASecondPost() {
        long lost = registered("2026_DEC_020");
        journal.markPosting(lost);
        long arrived = registered("2026_DEC_021");
        journal.markPosting(arrived);

        // The TdT lookup found nothing for the first: it may be posted again.
        assertEquals(PREPARED, journal.revertToPrepared(lost, "aucune transaction sur le TdT").state());
        assertEquals(POSTING, journal.markPosting(lost).state());
        // It found the second, already validated.
        journal.recordPosted(arrived, "77", 2);

        assertEquals(VALIDATED, journal.entries().findById(arrived).orElseThrow().state());
        assertEquals(List.of(PREPARED, POSTING, PREPARED, POSTING), states(lost));
        assertEquals(journal.entries().findById(arrived), Optional.of(journal.recordPosted(arrived, "77")));
        JournalException other = assertThrows(JournalException.class, () -> journal.recordPosted(arrived, "78"));
        assertTrue(other.userMessage().contains("77"), other.userMessage());
    }

    @Test
    void heldTransactionMovesOnWhenConfirmed() {
        long id = registered("2026_DEC_020");
        journal.markPosting(id);

        assertEquals(HELD, journal.recordPosted(id, "4242", 17).state());
        assertEquals(POSTED, journal.recordStatus(id, 1, "").state());
    }

    @Test
    void aStatusBehindTheKnownStateChangesNothing() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        int before = journal.entries().history(id).size();

        JournalEntry e = journal.recordStatus(id, 3, "");

        assertEquals(ACKNOWLEDGED, e.state());
        assertEquals(before, journal.entries().history(id).size());
        journal.requestCancel(id);
        assertEquals(CANCEL_REQUESTED, journal.recordStatus(id, 4, "").state());
    }

    @Test
    void anErrorAfterTheAcknowledgementIsAContradiction() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordStatus(id, 4, "");

        assertThrows(IllegalTransitionException.class, () -> journal.recordStatus(id, -1, "Enveloppe invalide"));
        assertEquals(ACKNOWLEDGED, journal.entries().findById(id).orElseThrow().state());
    }

    @Test
    void unknownStatusCodeIsRefused() {
        long id = posted("2026_DEC_020", "4242");

        JournalException e = assertThrows(JournalException.class, () -> journal.recordStatus(id, 21, ""));
        assertTrue(e.userMessage().contains("21"));
        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state());
    }

    @Test
    void errorKeepsItsReasonAndTheAnomalyRefinesIt() {
        long id = posted("2026_DEC_020", "4242");

        JournalEntry error = journal.recordStatus(id, -1, "Anomalie signalee par le MI : 6 - Classification inconnue");
        assertEquals(ERROR, error.state());
        assertEquals(Optional.of(-1), error.tdtStatus());
        assertEquals(Optional.of("Anomalie signalee par le MI : 6 - Classification inconnue"), error.lastError());
        assertEquals(Optional.empty(), error.nextPollAt());

        JournalEntry rejected = journal.recordAnomaly(id, "6", "Classification inconnue", "<AnomalieActe/>");
        assertEquals(REJECTED, rejected.state());
        assertEquals(Optional.of("Anomalie 6 : Classification inconnue"), rejected.lastError());
        assertEquals(REJECTED, journal.recordStatus(id, -1, "again").state());
    }

    // ------------------------------------------------------------------ replies, idempotent

    @Test
    void recordingTheSameAcknowledgementTwiceChangesNothing() {
        long id = posted("2026_DEC_020", "4242");
        JournalEntry first = journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        clock.advance(Duration.ofHours(1));

        JournalEntry second = journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));

        assertEquals(first, second);
        assertEquals(1, states(id).stream().filter(s -> s == ACKNOWLEDGED).count());
        Acknowledgement ar = journal.replies().acknowledgement(id).orElseThrow();
        assertEquals(AR_XML, ar.arActeXml());
        assertEquals(LocalDate.of(2026, 4, 29), ar.dateReception());
        assertEquals(START, ar.recordedAt());
    }

    @Test
    void anAcknowledgementAfterStatusFourIsStoredWithoutANewState() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordStatus(id, 4, "");

        JournalEntry e = journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));

        assertEquals(ACKNOWLEDGED, e.state());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), e.dateReception());
        assertTrue(journal.replies().acknowledgement(id).isPresent());
        assertEquals(Optional.empty(), journal.replies().acknowledgement(registered("2026_DEC_021")));
    }

    @Test
    void anAcknowledgementWithAWarningIsRecordedAndTheWarningKeptInTheHistoryAndAsLastError() {
        String warning = "L'accusé de réception porte l'identifiant 078-217803105-… et non 078-217803816-… : vérifiez.";
        long warned = posted("2026_DEC_020", "4242");
        long plain = posted("2026_DEC_021", "4243");

        JournalEntry e = journal.recordAcknowledgement(warned, AR_XML, LocalDate.of(2026, 4, 29), Optional.of(warning));
        JournalEntry ok = journal.recordAcknowledgement(plain, AR_XML, LocalDate.of(2026, 4, 29), Optional.empty());

        assertEquals(ACKNOWLEDGED, e.state());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), e.dateReception());
        assertEquals(Optional.of(warning), e.lastError());
        List<StateChange> h = journal.entries().history(warned);
        assertEquals(Optional.of("ARActe reçu, DateReception 2026-04-29"), h.get(h.size() - 2).detail());
        assertEquals(Optional.of(warning), h.get(h.size() - 1).detail());
        assertEquals(List.of(PREPARED, POSTING, POSTED, ACKNOWLEDGED, ACKNOWLEDGED), states(warned));
        assertEquals(Optional.empty(), ok.lastError());
        assertEquals(List.of(PREPARED, POSTING, POSTED, ACKNOWLEDGED), states(plain));
        long afterStatus4 = posted("2026_DEC_022", "4244");
        journal.recordStatus(afterStatus4, 4, "");
        assertEquals(Optional.of(warning), journal.recordAcknowledgement(afterStatus4, AR_XML, LocalDate.of(2026, 4, 29),
                Optional.of(warning)).lastError(), "already acknowledged by the status: the warning is kept too");
    }

    @Test
    void anAcknowledgementCannotRescueARejectedActe() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordAnomaly(id, "6", "x", "<AnomalieActe/>");

        assertThrows(IllegalTransitionException.class,
                () -> journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29)));
        assertEquals(Optional.empty(), journal.replies().acknowledgement(id));
    }

    @Test
    void recordingTheSameAnomalyTwiceStoresItOnce() {
        long id = posted("2026_DEC_020", "4242");

        journal.recordAnomaly(id, "6", "Classification inconnue", "<AnomalieActe>1</AnomalieActe>");
        journal.recordAnomaly(id, "6", "Classification inconnue", "<AnomalieActe>1</AnomalieActe>");

        List<Anomaly> anomalies = journal.replies().anomalies(id);
        assertEquals(1, anomalies.size());
        assertEquals("6", anomalies.get(0).nature());
        assertEquals(Optional.of("<AnomalieActe>1</AnomalieActe>"), anomalies.get(0).rawXml());
        assertEquals(1, states(id).stream().filter(s -> s == REJECTED).count());
    }

    @Test
    void documentsAreRecordedOncePerKindAndContent() {
        long id = posted("2026_DEC_020", "4242");
        ReceivedDocument courrier = ReceivedDocument.of(ReceivedDocument.Kind.COURRIER, Path.of("/data/in/c.tar.gz"),
                4096, SHA).withMessageType("CourrierSimple").withDateCourrierPref(LocalDate.of(2026, 5, 2))
                .withTdtDocumentId("5000");

        assertTrue(journal.files().recordDocument(id, courrier));
        assertFalse(journal.files().recordDocument(id, courrier));
        assertTrue(journal.files().recordDocument(id, ReceivedDocument.of(ReceivedDocument.Kind.STAMPED_PDF,
                Path.of("/data/in/tampon.pdf"), 10, "c".repeat(64))));

        List<ReceivedDocument> documents = journal.files().documents(id);
        assertEquals(2, documents.size());
        ReceivedDocument stored = documents.get(0);
        assertEquals(ReceivedDocument.Kind.COURRIER, stored.kind());
        assertEquals(Optional.of("CourrierSimple"), stored.messageType());
        assertEquals(Path.of("/data/in/c.tar.gz"), stored.path());
        assertEquals(4096, stored.size());
        assertEquals(SHA, stored.sha256());
        assertEquals(Optional.of(LocalDate.of(2026, 5, 2)), stored.dateCourrierPref());
        assertEquals(Optional.of("5000"), stored.tdtDocumentId());
        assertEquals(START, stored.recordedAt());
        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state());
    }

    @Test
    void documentsRecordedTogetherSkipTheKnownOnesAndTheRepeated() {
        long id = posted("2026_DEC_020", "4242");
        ReceivedDocument ar = ReceivedDocument.of(ReceivedDocument.Kind.AR, Path.of("/data/in/ar.xml"), 7, SHA)
                .withMessageType("ARActe");
        ReceivedDocument stamped = ReceivedDocument.of(ReceivedDocument.Kind.STAMPED_PDF, Path.of("/data/in/tampon.pdf"),
                10, "c".repeat(64)).withTdtDocumentId("77");
        ReceivedDocument bordereau = ReceivedDocument.of(ReceivedDocument.Kind.BORDEREAU, Path.of("/data/in/b.pdf"), 12,
                "d".repeat(64));
        assertTrue(journal.files().recordDocument(id, ar));

        // The AR is there already and the bordereau comes twice: two new rows, no unique violation.
        assertEquals(2, journal.files().recordDocuments(id, List.of(ar, stamped, bordereau, bordereau)));
        assertEquals(0, journal.files().recordDocuments(id, List.of(stamped, ar)));
        assertEquals(0, journal.files().recordDocuments(id, List.of()));

        List<ReceivedDocument> documents = journal.files().documents(id);
        assertEquals(List.of(ReceivedDocument.Kind.AR, ReceivedDocument.Kind.STAMPED_PDF, ReceivedDocument.Kind.BORDEREAU),
                documents.stream().map(ReceivedDocument::kind).toList());
        assertEquals(Optional.of("77"), documents.get(1).tdtDocumentId());
        assertEquals(Path.of("/data/in/b.pdf"), documents.get(2).path());
        assertEquals(POSTED, journal.entries().findById(id).orElseThrow().state());
    }

    @Test
    void failuresCountAttemptsUntilTheTdtAnswers() {
        long id = posted("2026_DEC_020", "4242");
        Instant later = START.plus(Duration.ofMinutes(10));

        journal.leases().recordFailure(id, "Le TdT ne répond pas", later);
        JournalEntry e = journal.leases().recordFailure(id, "Le TdT ne répond pas", later);
        assertEquals(2, e.attempts());
        assertEquals(Optional.of("Le TdT ne répond pas"), e.lastError());
        assertEquals(Optional.of(later), e.nextPollAt());
        assertEquals(POSTED, e.state());

        JournalEntry answered = journal.recordStatus(id, 1, "");
        assertEquals(0, answered.attempts());
        assertEquals(Optional.empty(), answered.lastError());
    }

    @Test
    void refusedCancellationReturnsToAcknowledged() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordStatus(id, 4, "");
        journal.requestCancel(id);

        JournalEntry e = journal.recordCancelRefused(id, "annulation refusée par le TdT");

        assertEquals(ACKNOWLEDGED, e.state());
        assertEquals(Optional.of("annulation refusée par le TdT"), e.lastError());
    }

    // ------------------------------------------------------------------ queries

    @Test
    void actesAreFoundByIdActeTransactionAndNumero() {
        long id = posted("2026_DEC_020", "4242");
        registered("2026_DEC_021");

        assertEquals(id, journal.entries().findByIdActe(acte("2026_DEC_020").idActe()).orElseThrow().id());
        assertEquals(id, journal.entries().findByTransactionId("4242").orElseThrow().id());
        assertEquals(id, journal.entries().findByNumero(SIREN, "2026_DEC_020", DECISION).orElseThrow().id());
        assertEquals(Optional.empty(), journal.entries().findByNumero(SIREN, "2026_DEC_020", DECISION.plusDays(1)));
        assertEquals(Optional.empty(), journal.entries().findByNumero("000000000", "2026_DEC_020", DECISION));
        assertEquals(Optional.empty(), journal.entries().findByTransactionId("1"));
        assertEquals(Optional.empty(), journal.entries().findById(999_999));
    }

    @Test
    void listFiltersByStateAndRegistrationTimeNewestFirst() {
        long a = registered("A1");
        clock.advance(Duration.ofDays(1));
        long b = posted("A2", "2");
        clock.advance(Duration.ofDays(1));
        long c = posted("A3", "3");

        assertEquals(List.of(c, b, a), ids(journal.entries().list(EntryFilter.ALL)));
        assertEquals(List.of(c, b), ids(journal.entries().list(EntryFilter.ALL.withStates(Set.of(POSTED)))));
        assertEquals(List.of(a), ids(journal.entries().list(EntryFilter.ALL.withStates(Set.of(PREPARED, ERROR)))));
        assertEquals(List.of(b), ids(journal.entries().list(EntryFilter.ALL.between(START.plus(Duration.ofHours(1)),
                START.plus(Duration.ofDays(2))))));
        assertEquals(List.of(c), ids(journal.entries().list(EntryFilter.ALL.withLimit(1))));
    }

    /** A syndicate's journal: the same number for two collectivités, each listed on its own (status --collectivite). */
    @Test
    void listFiltersByCollectivite() {
        long houdan1 = posted("2026_DEC_001", "11");
        clock.advance(Duration.ofHours(1));
        NewActe other = acte("2026_DEC_001");
        long maulette1 = journal.register(new NewActe(IdActe.of("078", OTHER_SIREN, DECISION, "2026_DEC_001", Nature.CC),
                OTHER_SIREN, other.numero(), other.numeroInterne(), DECISION, Nature.CC, other.classification(), other.objet(),
                false)).entry().id();
        clock.advance(Duration.ofHours(1));
        long houdan2 = registered("2026_DEC_002");

        assertEquals(List.of(houdan2, maulette1, houdan1), ids(journal.entries().list(EntryFilter.ALL)));
        assertEquals(List.of(houdan2, houdan1), ids(journal.entries().list(EntryFilter.ALL.withSiren(SIREN))));
        assertEquals(List.of(maulette1), ids(journal.entries().list(EntryFilter.ALL.withSiren(OTHER_SIREN))));
        assertEquals(List.of(houdan2), ids(journal.entries().list(EntryFilter.ALL.withSiren(SIREN).withStates(Set.of(PREPARED)))));
        assertEquals(List.of(maulette1), ids(journal.entries().list(EntryFilter.ALL.withStates(Set.of(PREPARED)).withSiren(OTHER_SIREN)
                .withLimit(5))), "the SIREN kept through the other filters");
        assertEquals(List.of(), ids(journal.entries().list(EntryFilter.ALL.withSiren("200000000"))));
    }

    static List<Long> ids(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::id).toList();
    }

    // ------------------------------------------------------------------ envelope counter

    @Test
    void envelopeNumbersCountPerCollectiviteAndDay() {
        LocalDate day = LocalDate.of(2026, 4, 28);
        assertEquals(1, journal.counters().nextEnvelopeNumber(SIREN, day));
        assertEquals(2, journal.counters().nextEnvelopeNumber(SIREN, day));
        assertEquals(1, journal.counters().nextEnvelopeNumber(SIREN, day.plusDays(1)));
        assertEquals(1, journal.counters().nextEnvelopeNumber("200000000", day));
        assertEquals(3, journal.counters().nextEnvelopeNumber(SIREN, day));
    }

    @Test
    void envelopeNumbersStopAt9999() throws Exception {
        LocalDate day = LocalDate.of(2026, 4, 28);
        journal.counters().nextEnvelopeNumber(SIREN, day);
        try (Connection c = rawConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE envelope_counter SET last_number = 9998");
        }

        assertEquals(9999, journal.counters().nextEnvelopeNumber(SIREN, day));
        JournalException e = assertThrows(JournalException.class, () -> journal.counters().nextEnvelopeNumber(SIREN, day));
        assertEquals(Reason.REFUSED, e.reason());
        assertTrue(e.userMessage().contains("lendemain"), e.userMessage());
    }

    @Test
    void concurrentCallersNeverGetTheSameEnvelopeNumber() throws Exception {
        LocalDate day = LocalDate.of(2026, 4, 28);
        int threads = 8;
        int perThread = 25;
        // A second journal instance on the same database stands for a second process.
        try (Journal other = new Journal(config, clock)) {
            CyclicBarrier barrier = new CyclicBarrier(threads);
            List<List<Integer>> results = runConcurrently(threads, () -> {
                Journal mine = barrier.await() % 2 == 0 ? journal : other;
                List<Integer> numbers = new ArrayList<>();
                for (int i = 0; i < perThread; i++) numbers.add(mine.counters().nextEnvelopeNumber(SIREN, day));
                return numbers;
            });

            List<Integer> all = results.stream().flatMap(List::stream).sorted().toList();
            assertEquals(IntStream.rangeClosed(1, threads * perThread).boxed().toList(), all);
        }
    }

    // ------------------------------------------------------------------ leases

    @Test
    void onlyDuePendingActesAreLeasedAndALiveLeaseIsNotTakenTwice() {
        long due = posted("A1", "1");
        long later = posted("A2", "2");
        journal.leases().reschedule(later, START.plus(Duration.ofHours(1)));
        long acknowledged = posted("A3", "3");
        journal.recordStatus(acknowledged, 4, "");
        registered("A4");

        List<JournalEntry> leased = journal.leases().leasePending("daemon-1", 10, Duration.ofMinutes(5), START);

        assertEquals(List.of(due), ids(leased));
        assertEquals(Optional.of("daemon-1"), leased.get(0).leaseOwner());
        assertEquals(Optional.of(START.plus(Duration.ofMinutes(5))), leased.get(0).leaseUntil());
        assertEquals(List.of(), journal.leases().leasePending("daemon-2", 10, Duration.ofMinutes(5), START.plusSeconds(299)));
        assertEquals(List.of(due), ids(journal.leases().leasePending("daemon-2", 10, Duration.ofMinutes(5),
                START.plusSeconds(300))));
        assertEquals(List.of(due, later), ids(journal.leases().leasePending("daemon-3", 10, Duration.ofMinutes(5),
                START.plus(Duration.ofHours(2)))));
    }

    /** The list of the web page reads when each acte was sent and the refused ones' anomalies for a whole page at once. */
    @Test
    void sentTimesAndAnomaliesOfSeveralActesAreReadTogether() {
        long sent = posted("ST1", "31");
        clock.advance(Duration.ofMinutes(1));
        long interrupted = registered("ST2");
        journal.markPosting(interrupted);
        journal.revertToPrepared(interrupted, "introuvable sur le TdT");
        clock.advance(Duration.ofMinutes(1));
        journal.markPosting(interrupted);
        journal.recordPosted(interrupted, "32");
        long never = registered("ST3");
        long refusedAtOnce = registered("ST4");
        journal.markPosting(refusedAtOnce);
        journal.recordError(refusedAtOnce, "Refusé par le TdT : numéro déjà utilisé");

        Map<Long, Instant> at = journal.entries().sentAt(List.of(sent, interrupted, never, refusedAtOnce));
        assertEquals(Map.of(sent, START, interrupted, START.plus(Duration.ofMinutes(2)), refusedAtOnce,
                START.plus(Duration.ofMinutes(2))), at, "the put back is not a sending; the refusal is its answer");
        for (long id : List.of(sent, interrupted, never, refusedAtOnce)) {
            Optional<Instant> one = journal.entries().history(id).stream().filter(c -> c.from().filter(f -> f == POSTING).isPresent()
                    && c.to() != PREPARED).map(StateChange::at).findFirst();
            assertEquals(one, Optional.ofNullable(at.get(id)), "as read from the history of " + id);
        }

        journal.recordAnomaly(sent, "002", "classification inconnue", "<a1/>");
        clock.advance(Duration.ofMinutes(1));
        journal.recordAnomaly(sent, "003", "pièce illisible", "<a2/>");
        journal.recordAnomaly(interrupted, "002", "classification inconnue", "<b1/>");
        Map<Long, List<Anomaly>> anomalies = journal.replies().anomalies(List.of(sent, interrupted, never));
        assertEquals(Map.of(sent, journal.replies().anomalies(sent), interrupted, journal.replies().anomalies(interrupted)), anomalies);
        assertEquals(List.of("002", "003"), anomalies.get(sent).stream().map(Anomaly::nature).toList(), "oldest first");
        assertEquals(Map.of(), journal.replies().anomalies(List.of(never)));
        assertEquals(Map.of(), journal.entries().sentAt(List.of()));
    }

    /**
     * The lookup of a POSTING acte may outlast its lease: its late "absent" puts the acte back in the queue only if
     * nothing changed since it was read (lease taken by another daemon, put back and posted again meanwhile).
     */
    @Test
    void aLateLookupPutsTheActeBackOnlyIfNothingChangedSinceItWasRead() {
        long id = registered("LK1");
        journal.markPosting(id);
        Instant due = START.plus(config.postingGrace()).plusSeconds(1);
        JournalEntry seenByA = journal.leases().leasePending("daemon-a", 10, Duration.ofSeconds(10), due).get(0);
        JournalEntry seenByB = journal.leases().leasePending("daemon-b", 10, Duration.ofSeconds(10), due.plusSeconds(11)).get(0);

        assertEquals(Optional.empty(), journal.revertToPreparedIfUnchanged(seenByA, "introuvable (A)", Optional.of(due)),
                "A's lease was taken by B");
        assertEquals(POSTING, journal.entries().findById(id).orElseThrow().state());
        assertEquals(PREPARED, journal.revertToPreparedIfUnchanged(seenByB, "introuvable (B)", Optional.of(due))
                .orElseThrow().state());
        assertEquals(Optional.of(due), journal.entries().findById(id).orElseThrow().nextPollAt(), "back in the sending queue");

        // Read without a lease (send finding it POSTING), then put back and posted again by others.
        clock.advance(Duration.ofSeconds(1));
        journal.markPosting(id);
        JournalEntry seenBySend = journal.entries().findById(id).orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        journal.revertToPrepared(id, "introuvable (C)", Optional.of(due));
        journal.markPosting(id);
        assertEquals(Optional.empty(), journal.revertToPreparedIfUnchanged(seenBySend, "introuvable (send)", Optional.empty()),
                "changed since it was read");
        assertEquals(POSTING, journal.entries().findById(id).orElseThrow().state());
        assertEquals(List.of(PREPARED, POSTING, PREPARED, POSTING, PREPARED, POSTING), states(id));
    }

    /** Two daemons recording overlapping batches (one's leases ran out) in opposite orders: one waits, neither fails. */
    @Test
    void overlappingBatchesOfPollResultsWaitForEachOtherInsteadOfDeadlocking() throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long id = posted("DL" + i, String.valueOf(700 + i));
            journal.recordStatus(id, 1, "");
            ids.add(id);
        }
        Instant next = START.plus(Duration.ofMinutes(3));
        List<Journal.Polled> up = ids.stream().map(id -> new Journal.Polled(id, 1, "en attente", next)).toList();
        List<Journal.Polled> down = new java.util.ArrayList<>(up);
        java.util.Collections.reverse(down);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Future<List<TransmissionState>> a = pool.submit(() -> {
                    together.await();
                    return journal.recordPolledAll(up);
                });
                java.util.concurrent.Future<List<TransmissionState>> b = pool.submit(() -> {
                    together.await();
                    return journal.recordPolledAll(down);
                });
                assertEquals(java.util.Collections.nCopies(40, POSTED), a.get(60, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(java.util.Collections.nCopies(40, POSTED), b.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pollResultsRecordedInABatchEndAsWhenRecordedOneByOne() {
        long same = posted("B1", "11");
        journal.recordStatus(same, 1, "");
        long moved = posted("B2", "12");
        journal.recordStatus(moved, 1, "");
        long fresh = posted("B3", "13");
        long refused = posted("B4", "14");
        journal.recordStatus(refused, 1, "");
        assertEquals(4, journal.leases().leasePending("daemon-1", 10, Duration.ofMinutes(5), START).size());
        Instant next = START.plus(Duration.ofMinutes(3));

        List<TransmissionState> after = journal.recordPolledAll(List.of(
                new Journal.Polled(same, 1, "en attente", next),
                new Journal.Polled(moved, 2, "validé par le TdT", next),
                new Journal.Polled(fresh, 1, "", next),
                new Journal.Polled(refused, -1, "classification inconnue", next)));

        assertEquals(List.of(POSTED, VALIDATED, POSTED, ERROR), after);
        for (long id : List.of(same, moved, fresh)) {
            JournalEntry e = journal.entries().findById(id).orElseThrow();
            assertEquals(Optional.of(next), e.nextPollAt(), "next poll of " + id);
            assertEquals(Optional.empty(), e.leaseOwner(), "lease of " + id);
            assertEquals(Optional.empty(), e.leaseUntil(), "lease of " + id);
        }
        assertEquals(Optional.of(1), journal.entries().findById(fresh).orElseThrow().tdtStatus());
        assertEquals(List.of(PREPARED, POSTING, POSTED), states(same), "a routine poll writes no history");
        assertEquals(List.of(PREPARED, POSTING, POSTED, VALIDATED), states(moved));
        JournalEntry error = journal.entries().findById(refused).orElseThrow();
        assertEquals(ERROR, error.state());
        assertTrue(error.lastError().orElseThrow().contains("classification inconnue"), error.lastError().toString());
        assertEquals(Optional.empty(), error.nextPollAt(), "an acte in error is no longer polled");
        assertEquals(List.of(), journal.leases().leasePending("daemon-2", 10, Duration.ofMinutes(5), START.plusSeconds(60)),
                "nothing is due before the next poll time");
    }

    @Test
    void rescheduleAndReleaseEndTheLease() {
        long a = posted("A1", "1");
        long b = posted("A2", "2");
        assertEquals(2, journal.leases().leasePending("d", 5, Duration.ofMinutes(5), START).size());

        JournalEntry rescheduled = journal.leases().reschedule(a, START.plus(Duration.ofMinutes(30)));
        JournalEntry released = journal.leases().release(b);

        assertEquals(Optional.empty(), rescheduled.leaseOwner());
        assertEquals(Optional.of(START.plus(Duration.ofMinutes(30))), rescheduled.nextPollAt());
        assertEquals(Optional.empty(), released.leaseUntil());
        assertEquals(List.of(b), ids(journal.leases().leasePending("e", 5, Duration.ofMinutes(5), START.plusSeconds(1))));
    }

    @Test
    void leaseHonoursMaxAndOrderOfDueTime() {
        long a = posted("A1", "1");
        long b = posted("A2", "2");
        long c = posted("A3", "3");
        journal.leases().reschedule(a, START.plusSeconds(30));
        journal.leases().reschedule(b, START.plusSeconds(10));
        journal.leases().reschedule(c, START.plusSeconds(20));

        assertEquals(List.of(b, c), ids(journal.leases().leasePending("d", 2, Duration.ofMinutes(1), START.plusSeconds(60))));
    }

    @Test
    void aPostingActeIsLeftToItsSenderForTheGracePeriod() {
        long id = registered("A1");
        journal.markPosting(id);

        assertEquals(List.of(), journal.leases().leasePending("d", 5, Duration.ofMinutes(1), START.plusSeconds(60)));
        List<JournalEntry> leased = journal.leases().leasePending("d", 5, Duration.ofMinutes(1),
                START.plus(config.postingGrace()));
        assertEquals(List.of(id), ids(leased));
        assertEquals(POSTING, leased.get(0).state());
    }

    @Test
    void rowsLockedByAnotherTransactionAreSkippedNotAwaited() throws Exception {
        long locked = posted("A1", "1");
        long free = posted("A2", "2");
        try (Connection c = rawConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM acte WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, locked);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            long t0 = System.nanoTime();
            List<JournalEntry> leased = journal.leases().leasePending("d", 5, Duration.ofMinutes(1), START);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertEquals(List.of(free), ids(leased));
            assertTrue(millis < 5000, "waited " + millis + " ms on a locked row");
            c.rollback();
        }
        assertEquals(List.of(locked), ids(journal.leases().leasePending("d", 5, Duration.ofMinutes(1), START)));
    }

    @Test
    void twoDaemonsLeasingConcurrentlyNeverGetTheSameActe() throws Exception {
        int actes = 40;
        for (int i = 0; i < actes; i++) posted("N" + i, "t" + i);
        try (Journal second = new Journal(config, clock)) {
            List<Journal> daemons = List.of(journal, second);
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<List<Long>> results = runConcurrently(2, () -> {
                int index = barrier.await();
                Journal mine = daemons.get(index);
                List<Long> got = new ArrayList<>();
                List<JournalEntry> batch;
                do {
                    batch = mine.leases().leasePending("daemon-" + index, 3, Duration.ofMinutes(5), START);
                    for (JournalEntry e : batch) {
                        assertEquals(Optional.of("daemon-" + index), e.leaseOwner());
                        got.add(e.id());
                    }
                } while (!batch.isEmpty());
                return got;
            });
            Set<Long> union = new HashSet<>(results.get(0));
            union.addAll(results.get(1));

            assertEquals(actes, results.get(0).size() + results.get(1).size(), "an acte was leased twice");
            assertEquals(actes, union.size());
        }
    }

    // ------------------------------------------------------------------ the sending queue

    /** Registered with its archive (one document), PREPARED, not queued. */
    long archived(String numeroInterne) {
        long id = registered(numeroInterne);
        journal.recordArchive(id, Path.of("/data/out/" + numeroInterne + ".tar.gz"), List.of(new ArchivedFile(
                ArchivedFile.Role.DOCUMENT, "99_DC-078-217803105-20260427-" + numeroInterne + "-CC-1-1_1.pdf",
                Path.of("/data/" + numeroInterne + ".pdf"), 10, SHA)));
        return id;
    }

    @Test
    void queuedActesAreLeasedBySendersNotPollersAndMarkPostingEndsTheLease() {
        long due = archived("Q1");
        journal.leases().queueForSending(due, START);
        long later = archived("Q2");
        journal.leases().queueForSending(later, START.plus(Duration.ofHours(1)));
        archived("Q3"); // prepared, never queued: sent by the one who prepared it
        long pending = posted("Q4", "4");

        assertEquals(List.of(due), ids(journal.leases().leaseQueued("daemon-1", 10, Duration.ofMinutes(1), START)));
        assertEquals(List.of(pending), ids(journal.leases().leasePending("daemon-1", 10, Duration.ofMinutes(1), START)),
                "a queued acte is not polled");
        assertEquals(List.of(), journal.leases().leaseQueued("daemon-2", 10, Duration.ofMinutes(1), START.plusSeconds(59)),
                "a live lease is not taken twice");
        // daemon-1 was killed: its lease runs out and daemon-2 takes the acte over
        List<JournalEntry> takenOver = journal.leases().leaseQueued("daemon-2", 10, Duration.ofMinutes(1), START.plusSeconds(60));
        assertEquals(List.of(due), ids(takenOver));
        assertEquals(Optional.of("daemon-2"), takenOver.get(0).leaseOwner());

        JournalEntry posting = journal.markPosting(due);
        assertEquals(POSTING, posting.state());
        assertEquals(Optional.empty(), posting.leaseOwner(), "POSTING and its grace protect the acte from now on");
        assertEquals(List.of(later), ids(journal.leases().leaseQueued("daemon-3", 10, Duration.ofMinutes(1),
                START.plus(Duration.ofHours(2)))));
        assertEquals(List.of(PREPARED, PREPARED, POSTING), states(due));
        assertEquals(Optional.of("en file d'envoi"), journal.entries().history(due).get(1).detail());
    }

    @Test
    void onlyAPreparedActeWithItsArchiveIsQueued() {
        long bare = registered("R1");
        assertEquals(Reason.INTERNAL, assertThrows(JournalException.class, () -> journal.leases().queueForSending(bare, START)).reason());
        long sent = posted("R2", "2");
        assertThrows(JournalException.class, () -> journal.leases().queueForSending(sent, START));
        long id = archived("R3");
        journal.leases().queueForSending(id, START);
        journal.leases().queueForSending(id, START.plusSeconds(5));
        assertEquals(List.of(PREPARED, PREPARED), states(id), "queued once");
        assertEquals(Optional.of(START), journal.entries().findById(id).orElseThrow().nextPollAt());
    }

    @Test
    void anInterruptedPostProvedAbsentGoesBackToTheQueueWhenAsked() {
        long queued = archived("S1");
        journal.markPosting(queued);
        journal.revertToPrepared(queued, "Introuvable sur le TdT : sera renvoyé.", Optional.of(START.plusSeconds(30)));
        long told = archived("S2");
        journal.markPosting(told);
        journal.revertToPrepared(told, "Non envoyé : TdT injoignable");

        assertEquals(List.of(), journal.leases().leaseQueued("d", 10, Duration.ofMinutes(1), START.plusSeconds(29)));
        assertEquals(List.of(queued), ids(journal.leases().leaseQueued("d", 10, Duration.ofMinutes(1), START.plusSeconds(30))),
                "the acte whose sender was told of the failure stays out of the queue");
    }

    @Test
    void twoDaemonsSendingConcurrentlyMarkEachActeOnce() throws Exception {
        int actes = 30;
        for (int i = 0; i < actes; i++) journal.leases().queueForSending(archived("P" + i), START);
        try (Journal second = new Journal(config, clock)) {
            List<Journal> daemons = List.of(journal, second);
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<List<Long>> results = runConcurrently(2, () -> {
                int index = barrier.await();
                Journal mine = daemons.get(index);
                List<Long> marked = new ArrayList<>();
                List<JournalEntry> batch;
                do {
                    batch = mine.leases().leaseQueued("daemon-" + index, 2, Duration.ofMinutes(5), START);
                    for (JournalEntry e : batch) {
                        mine.markPosting(e.id()); // throws if the other one had marked it
                        marked.add(e.id());
                    }
                } while (!batch.isEmpty());
                return marked;
            });
            Set<Long> union = new HashSet<>(results.get(0));
            union.addAll(results.get(1));
            assertEquals(actes, results.get(0).size() + results.get(1).size(), "an acte was taken twice");
            assertEquals(actes, union.size());
        }
    }

    // ------------------------------------------------------------------ pages of the list

    static NewActe acteOf(String siren, String numeroInterne) {
        IdActe id = IdActe.of("078", siren, DECISION, numeroInterne, Nature.CC);
        return new NewActe(id, siren, numeroInterne.replace('_', '-'), numeroInterne, DECISION, Nature.CC,
                Classification.of(1, 4), "Objet " + numeroInterne, false);
    }

    @Test
    void pagesFollowEachOtherByTheirKeyNewestFirstWithoutGapOrRepeat() {
        List<Long> registered = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // several actes in the same microsecond: the key's id breaks the tie
            if (i % 3 == 0) clock.advance(Duration.ofSeconds(1));
            registered.add(journal.register(acteOf(i % 2 == 0 ? SIREN : "200054781", "L" + i)).entry().id());
        }
        List<Long> newestFirst = new ArrayList<>(registered);
        java.util.Collections.reverse(newestFirst);

        List<Long> walked = new ArrayList<>();
        EntryQuery query = EntryQuery.first(10);
        int pages = 0;
        while (true) {
            EntryPage page = journal.entries().listPage(query);
            pages++;
            walked.addAll(ids(page.entries()));
            if (page.next().isEmpty()) break;
            query = query.after(EntryQuery.Cursor.parse(page.next().get().token()).orElseThrow());
        }
        assertEquals(newestFirst, walked);
        assertEquals(3, pages);
        assertEquals(ids(journal.entries().list(EntryFilter.ALL)), walked, "the same order as list()");
    }

    @Test
    void aPageIsFilteredByCollectiviteStateAndNumber() {
        long a1 = journal.register(acteOf(SIREN, "2026_DEC_020")).entry().id();
        clock.advance(Duration.ofSeconds(1));
        long b1 = journal.register(acteOf("200054781", "2026_DEC_020")).entry().id();
        clock.advance(Duration.ofSeconds(1));
        long a2 = journal.register(acteOf(SIREN, "A2")).entry().id();
        journal.markPosting(a2);
        journal.recordPosted(a2, "7");
        clock.advance(Duration.ofSeconds(1));
        long b2 = journal.register(acteOf("200054781", "B2")).entry().id();

        assertEquals(List.of(a2, a1), ids(journal.entries().listPage(EntryQuery.first(10).withSirens(Set.of(SIREN))).entries()));
        assertEquals(List.of(b2, a2, b1, a1), ids(journal.entries().listPage(EntryQuery.first(10)
                .withSirens(Set.of(SIREN, "200054781"))).entries()));
        assertEquals(List.of(b2, b1, a1), ids(journal.entries().listPage(EntryQuery.first(10).withStates(Set.of(PREPARED))).entries()));
        assertEquals(List.of(b1, a1), ids(journal.entries().listPage(EntryQuery.first(10).withNumero("2026-DEC-020")).entries()),
                "the number as typed finds the numero interne");
        assertEquals(List.of(a1), ids(journal.entries().listPage(EntryQuery.first(10).withNumero("2026_dec_020")
                .withSirens(Set.of(SIREN))).entries()));
        EntryPage first = journal.entries().listPage(EntryQuery.first(1).withStates(Set.of(PREPARED)));
        assertEquals(List.of(b2), ids(first.entries()));
        assertEquals(List.of(b1), ids(journal.entries().listPage(EntryQuery.first(1).withStates(Set.of(PREPARED))
                .after(first.next().orElseThrow())).entries()));
        assertEquals(List.of(b1), ids(journal.entries().listPage(EntryQuery.first(10).between(START.plusSeconds(1),
                START.plusSeconds(2))).entries()));
    }

    /** status --state ERROR --state REJECTED: one range per state, merged, limited, in the list's order. */
    @Test
    void aListOfSeveralStatesIsMergedNewestFirstAndLimited() {
        List<Long> refused = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(1));
            long id = registered("M" + i);
            if (i % 3 == 0) {
                journal.markPosting(id);
                journal.recordError(id, "refusé");
                refused.add(id);
            } else if (i % 3 == 1) {
                journal.markPosting(id);
                journal.recordPosted(id, "t" + i);
                journal.recordAnomaly(id, "002", "typologie", "<anomalie/>");
                refused.add(id);
            }
        }
        java.util.Collections.reverse(refused);
        EntryFilter both = EntryFilter.ALL.withStates(Set.of(ERROR, REJECTED));
        assertEquals(refused, ids(journal.entries().list(both)));
        assertEquals(refused.subList(0, 3), ids(journal.entries().list(both.withLimit(3))));
        assertEquals(refused.subList(1, 3), ids(journal.entries().listPage(EntryQuery.first(2).withStates(Set.of(ERROR, REJECTED))
                .after(new EntryQuery.Cursor(journal.entries().findById(refused.get(0)).orElseThrow().createdAt(), refused.get(0))))
                .entries()));
    }

    @Test
    void theYearEndExportReadsTheActesDecidedInThePeriod() {
        long before = journal.register(acte("D1", LocalDate.of(2025, 12, 31))).entry().id();
        long first = journal.register(acte("D2", LocalDate.of(2026, 1, 1))).entry().id();
        long last = journal.register(acte("D3", LocalDate.of(2026, 12, 31))).entry().id();
        long earlier = journal.register(acte("D4", LocalDate.of(2026, 6, 1))).entry().id();

        assertEquals(List.of(first, earlier, last), ids(journal.entries().decidedBetween(LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 12, 31))));
        assertFalse(ids(journal.entries().decidedBetween(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))).contains(before));
    }

    // ------------------------------------------------------------------ durability

    @Test
    void entriesHistoryAndCounterSurviveARestart() {
        long id = posted("2026_DEC_020", "4242");
        LocalDate day = LocalDate.of(2026, 4, 28);
        journal.counters().nextEnvelopeNumber(SIREN, day);
        journal.counters().nextEnvelopeNumber(SIREN, day);
        journal.close();

        journal = new Journal(config, clock);

        JournalEntry e = journal.entries().findById(id).orElseThrow();
        assertEquals(POSTED, e.state());
        assertEquals(Optional.of("4242"), e.transactionId());
        assertEquals(List.of(PREPARED, POSTING, POSTED), states(id));
        assertEquals(3, journal.counters().nextEnvelopeNumber(SIREN, day));
        assertFalse(journal.register(acte("2026_DEC_020")).created());
    }

    static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) futures.add(pool.submit(task));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ pinned by mutation testing (PIT)

    @Test
    void aPublicationIsRecordedAndCorrected() {
        long id = registered("2026_DEC_020");
        assertEquals(Optional.empty(), journal.publications().of(id));
        journal.publications().recordPublication(id, new Publications.Publication(LocalDate.of(2026, 5, 2), "publication"));
        assertEquals(Optional.of(new Publications.Publication(LocalDate.of(2026, 5, 2), "publication")), journal.publications().of(id));
        journal.publications().recordPublication(id, new Publications.Publication(LocalDate.of(2026, 5, 3), "notification"));
        assertEquals(Optional.of(new Publications.Publication(LocalDate.of(2026, 5, 3), "notification")), journal.publications().of(id),
                "a correction replaces the first");
    }

    @Test
    void aCorrectedActeAndTheRefusedOneItReplacesAreLinkedBothWays() {
        long refused = registered("2026_DEC_020");
        long corrected = registered("2026_DEC_021");
        long other = registered("2026_DEC_022");
        journal.publications().recordReplaces(corrected, refused);
        assertEquals(new Publications.Replacement(Optional.of(refused), Optional.empty()), journal.publications().replacement(corrected));
        assertEquals(new Publications.Replacement(Optional.empty(), Optional.of(corrected)), journal.publications().replacement(refused));
        assertEquals(new Publications.Replacement(Optional.empty(), Optional.empty()), journal.publications().replacement(other));
    }

    @Test
    void aNumberTakenSuggestsOneOf15CharactersAtMost() {
        journal.register(acte("2026_DEC_020_XY"));
        JournalException e = assertThrows(JournalException.class,
                () -> journal.register(acte("2026_DEC_020_XY", DECISION.minusDays(1))));
        assertTrue(e.userMessage().contains("(par exemple 2026_DEC_020_XB)"), e.userMessage());
        journal.register(acte("2026_DEC_02_XY"));
        JournalException shorter = assertThrows(JournalException.class,
                () -> journal.register(acte("2026_DEC_02_XY", DECISION.minusDays(1))));
        assertTrue(shorter.userMessage().contains("(par exemple 2026_DEC_02_XYB)"), shorter.userMessage());
    }

    @Test
    void theSameErrorTwiceIsOneErrorAndAnotherIsRefused() {
        long id = registered("2026_DEC_020");
        journal.markPosting(id);
        JournalEntry first = journal.recordError(id, "Refusé par le TdT : numéro déjà utilisé");
        clock.advance(Duration.ofMinutes(1));
        JournalEntry again = journal.recordError(id, "Refusé par le TdT : numéro déjà utilisé");
        assertEquals(first, again, "nothing changes, not even the time");
        assertEquals(List.of(PREPARED, POSTING, ERROR), states(id));
        assertThrows(IllegalTransitionException.class, () -> journal.recordError(id, "une autre raison"),
                "an acte in error does not fail again");
        long longer = registered("2026_DEC_021");
        journal.markPosting(longer);
        JournalEntry clipped = journal.recordError(longer, "x".repeat(5000));
        assertEquals(4000, clipped.lastError().orElseThrow().length(), "clipped");
        assertTrue(clipped.lastError().orElseThrow().endsWith("x…"));
        assertEquals(clipped, journal.recordError(longer, "x".repeat(5000)), "the same long reason again: the same error");
    }

    @Test
    void aRoutinePollChangesNothingButAnotherOneReleasesTheLeaseAndSchedules() {
        long id = posted("2026_DEC_020", "4242");
        JournalEntry before = journal.entries().findById(id).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(before, journal.recordStatus(id, 1, ""), "status 1 again, no poll time: nothing written");
        journal.leases().leasePending("daemon-1", 10, Duration.ofMinutes(5), clock.instant());
        Instant next = clock.instant().plus(Duration.ofMinutes(30));
        JournalEntry polled = journal.recordPolled(id, 1, "", next);
        assertEquals(Optional.of(next), polled.nextPollAt());
        assertEquals(Optional.empty(), polled.leaseOwner(), "the lease ends with the poll");
        assertEquals(Optional.empty(), polled.leaseUntil());
        JournalEntry acknowledged = journal.recordPolled(id, 4, "", next);
        assertEquals(ACKNOWLEDGED, acknowledged.state());
        assertEquals(Optional.empty(), acknowledged.nextPollAt(), "nothing more to ask the TdT");
    }

    @Test
    void aStatusMinusOneWithoutDetailSaysSoAndAnErrorKeepsItsReasonOnOldNews() {
        long id = posted("2026_DEC_020", "4242");
        JournalEntry e = journal.recordStatus(id, -1, " ");
        assertEquals(Optional.of("statut -1 du TdT"), e.lastError());
        assertEquals(Optional.of("statut -1 du TdT"), journal.entries().history(id).get(journal.entries().history(id).size() - 1).detail());
        assertEquals(Optional.of("statut -1 du TdT"), journal.recordStatus(id, 1, "").lastError(),
                "a status behind does not wipe the reason of the error");
        long ok = posted("2026_DEC_021", "4243");
        journal.recordStatus(ok, 2, "");
        assertEquals(Optional.empty(), journal.entries().findById(ok).orElseThrow().lastError());
    }

    @Test
    void anArActeAfterStatusFourIsWrittenInTheHistory() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordStatus(id, 4, "");
        journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        StateChange last = journal.entries().history(id).get(journal.entries().history(id).size() - 1);
        assertEquals(ACKNOWLEDGED, last.to());
        assertEquals(Optional.of(ACKNOWLEDGED), last.from());
        assertEquals(Optional.of("ARActe reçu, DateReception 2026-04-29"), last.detail());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), journal.entries().findById(id).orElseThrow().dateReception());
    }

    @Test
    void messagesOverAMillionCharactersAreRefusedAndAMillionIsKept() {
        long id = posted("2026_DEC_020", "4242");
        String huge = "<a>" + "x".repeat(Journal.MAX_XML - 7 + 1) + "</a>";
        assertEquals(Journal.MAX_XML + 1, huge.length());
        JournalException e = assertThrows(JournalException.class, () -> journal.recordAcknowledgement(id, huge, LocalDate.of(2026, 4, 29)));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertThrows(JournalException.class, () -> journal.recordAnomaly(id, "002", "trop gros", huge));
        String exact = huge.substring(1);
        assertEquals(Journal.MAX_XML, exact.length());
        journal.recordAnomaly(id, "002", "juste assez", exact);
        assertEquals(REJECTED, journal.entries().findById(id).orElseThrow().state());
    }

    @Test
    void aSecondAnomalyOfARejectedActeIsKeptAndWrittenInItsHistory() {
        long id = posted("2026_DEC_020", "4242");
        journal.recordAnomaly(id, "002", "Typologie non autorisée", "<a/>");
        JournalEntry again = journal.recordAnomaly(id, "005", "Classification périmée", "<b/>");
        assertEquals(REJECTED, again.state());
        assertEquals(2, journal.replies().anomalies(id).size());
        StateChange last = journal.entries().history(id).get(journal.entries().history(id).size() - 1);
        assertEquals(Optional.of(REJECTED), last.from());
        assertEquals(Optional.of("Anomalie 005 : Classification périmée"), last.detail());
    }

    @Test
    void theCancellationsTransactionIsRecordedOnceAndOnlyOnARequestedCancel() {
        long id = posted("2026_DEC_020", "4242");
        IllegalTransitionException notRequested = assertThrows(IllegalTransitionException.class,
                () -> journal.recordCancelPosted(id, "5001"), "not requested");
        assertEquals(id, notRequested.entryId());
        journal.recordAcknowledgement(id, AR_XML, LocalDate.of(2026, 4, 29));
        journal.requestCancel(id);
        JournalEntry posted = journal.recordCancelPosted(id, "5001");
        assertEquals(Optional.of("5001"), posted.cancelTransactionId());
        int history = journal.entries().history(id).size();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(posted, journal.recordCancelPosted(id, "5001"), "the same id again changes nothing");
        assertEquals(history, journal.entries().history(id).size());
    }

    @Test
    void anEntryCanBeBuiltFromTheActe() throws Exception {
        Path docs = java.nio.file.Files.createTempDirectory("acte");
        fr.actesconnector.model.Acte a = fr.actesconnector.testing.Houdan.acte(docs);
        NewActe n = NewActe.of(a);
        assertEquals(a.idActe(), n.idActe());
        assertEquals("2026_DEC_020", n.numeroInterne());
        assertEquals(a.numero(), n.numero());
        assertEquals(a.objetLatin1(), n.objet());
        assertEquals(Classification.of(1, 4), n.classification());
    }

    @Test
    void emptyFilesAreFilesButNegativeSizesAreNot() {
        assertEquals(0, new ArchivedFile(ArchivedFile.Role.DOCUMENT, "x.pdf", Path.of("/x"), 0, SHA).size());
        assertThrows(IllegalArgumentException.class, () -> new ArchivedFile(ArchivedFile.Role.DOCUMENT, "x.pdf", Path.of("/x"), -1, SHA));
        assertEquals(0, ReceivedDocument.of(ReceivedDocument.Kind.AR, Path.of("/ar.xml"), 0, SHA).size());
        assertThrows(IllegalArgumentException.class, () -> ReceivedDocument.of(ReceivedDocument.Kind.AR, Path.of("/ar.xml"), -1, SHA));
    }

    @Test
    void aTransactionThatFailsHalfwayWritesNothing() {
        long id = registered("2026_DEC_020");
        List<ArchivedFile> two = List.of(
                new ArchivedFile(ArchivedFile.Role.DOCUMENT, "99_DC-a-1-1_1.pdf", Path.of("/a.pdf"), 1, SHA),
                new ArchivedFile(ArchivedFile.Role.ANNEXE, "99_DC-a-1-1_2.pdf", Path.of("/b.pdf"), 2, SHA));
        journal.recordArchive(id, Path.of("/archive.tar.gz"), two);
        // the old files are deleted first, then the new ones fail to insert (a name over the column's 255 characters)
        List<ArchivedFile> bad = List.of(new ArchivedFile(ArchivedFile.Role.DOCUMENT, "n".repeat(300), Path.of("/c.pdf"), 3, SHA));
        assertThrows(JournalException.class, () -> journal.recordArchive(id, Path.of("/other.tar.gz"), bad));
        assertEquals(two, journal.files().archived(id), "rolled back: the files recorded before are still there");
        assertEquals(Optional.of(Path.of("/archive.tar.gz")), journal.entries().findById(id).orElseThrow().archivePath());
    }
}
