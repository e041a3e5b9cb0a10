package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.JournalConfig;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;

/**
 * The sending queue ({@code send --queue}) posted by the daemons' senders against the TdT simulator: each
 * acte posted once whatever the number of senders, and a sender that dies around its POST leaves the acte
 * to the others, who post it once.
 */
class SenderIT {
    @TempDir
    Path dir;
    // Whole milliseconds: a time stored rounded up to the microsecond would make an acte queued "now" due later.
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            ZoneId.of("Europe/Paris"));
    SimulatedTdt tdt;
    Path pdf;

    @BeforeEach
    void start() throws IOException {
        tdt = new SimulatedTdt(dir, clock, Pacing.ONE_STEP_PER_POLL, Map.of("poll.lease-seconds", "60"));
        pdf = Houdan.writePdf(Files.createDirectories(dir.resolve("docs")).resolve("decision.pdf"), "Decision");
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    private ActesConnector connector(ActesConnector.SendProbe probe) {
        return new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock, probe);
    }

    private ActesConnector connector() {
        return connector((cp, id) -> { });
    }

    private Acte acte(String numero) {
        return new Acte(Houdan.collectivite(), numero, Houdan.DATE_DECISION, Nature.CC, Classification.of(1, 4),
                "Objet " + numero, new Piece(pdf, new Typologie("99_DC")), List.of(), false);
    }

    private JournalEntry queued(ActesConnector c, String numero) {
        ActesConnector.Sent s = c.send(acte(numero), false, Optional.empty(), ActesConnector.Delivery.QUEUE);
        assertFalse(s.posted());
        assertEquals(TransmissionState.PREPARED, s.entry().state());
        return s.entry();
    }

    @Test
    void queuedActesArePostedOnceBySendersSharingTheJournal() throws Exception {
        int actes = 16;
        try (ActesConnector a = connector(); ActesConnector b = connector()) {
            for (int i = 0; i < actes; i++) queued(a, "Q" + i);
            assertEquals(Map.of(), tdt.simulator().createRequests(), "queued, nothing sent yet");

            List<Sender> senders = List.of(a.sender("daemon-a"), b.sender("daemon-b"));
            CyclicBarrier together = new CyclicBarrier(2);
            List<Sender.Report> reports = concurrently(2, () -> senders.get(together.await()).sendDue());

            assertEquals(actes, reports.get(0).posted() + reports.get(1).posted(), reports.toString());
            Map<String, Integer> creates = tdt.simulator().createRequests();
            assertEquals(actes, creates.size());
            creates.forEach((number, count) -> assertEquals(1, count, number + " posted " + count + " times"));
            for (int i = 0; i < actes; i++) {
                assertEquals(TransmissionState.POSTED, a.journal().entries().findByNumero(Houdan.SIREN, "Q" + i).orElseThrow().state());
            }
            assertEquals(0, senders.get(0).sendDue().posted(), "nothing left in the queue");
        }
    }

    /** A sender dies (kill -9) after marking POSTING, before its POST: the acte is looked up, found absent, sent again once. */
    @Test
    void anActeWhoseSenderDiedBeforeThePostIsSentOnceByAnother() {
        try (ActesConnector dying = connector((cp, id) -> {
            if (cp == ActesConnector.Checkpoint.POSTING_MARKED) throw new IllegalStateException("killed");
        }); ActesConnector other = connector()) {
            JournalEntry e = queued(dying, "K1");
            assertEquals(1, dying.sender("dying").sendDue().failed());
            assertEquals(TransmissionState.POSTING, other.journal().entries().findById(e.id()).orElseThrow().state());
            assertEquals(Map.of(), tdt.simulator().createRequests());

            // Before the grace, the other daemon leaves the acte alone; after it, it looks it up on the TdT.
            other.poller("other").pollOnce();
            assertEquals(TransmissionState.POSTING, other.journal().entries().findById(e.id()).orElseThrow().state());
            clock.advance(JournalConfig.DEFAULT_POSTING_GRACE);
            other.poller("other").pollOnce();
            assertEquals(TransmissionState.PREPARED, other.journal().entries().findById(e.id()).orElseThrow().state(),
                    "absent from the TdT: back in the queue");
            assertEquals(1, other.sender("other").sendDue().posted());

            assertEquals(Map.of("K1", 1), tdt.simulator().createRequests());
            assertEquals(TransmissionState.ACKNOWLEDGED, pollUntilSettled(other, e.id()).state());
        }
    }

    /** A sender dies after the TdT accepted the POST, before the journal knew: found on the TdT, never posted again. */
    @Test
    void anActeWhoseSenderDiedAfterThePostIsFoundNotPostedAgain() {
        try (ActesConnector dying = connector((cp, id) -> {
            if (cp == ActesConnector.Checkpoint.CREATED) throw new IllegalStateException("killed");
        }); ActesConnector other = connector()) {
            JournalEntry e = queued(dying, "K2");
            dying.sender("dying").sendDue();
            clock.advance(JournalConfig.DEFAULT_POSTING_GRACE);
            other.poller("other").pollOnce();
            JournalEntry found = other.journal().entries().findById(e.id()).orElseThrow();
            assertTrue(found.transactionId().isPresent(), found.toString());
            assertEquals(0, other.sender("other").sendDue().posted());

            assertEquals(Map.of("K2", 1), tdt.simulator().createRequests());
            assertEquals(TransmissionState.ACKNOWLEDGED, pollUntilSettled(other, e.id()).state());
        }
    }

    private JournalEntry pollUntilSettled(ActesConnector c, long id) {
        JournalEntry e = c.journal().entries().findById(id).orElseThrow();
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            clock.advance(Duration.ofMinutes(10));
            c.poller("test").pollOnce();
            e = c.journal().entries().findById(id).orElseThrow();
        }
        return e;
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) futures.add(pool.submit(task));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(120, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A grace shorter than the TdT's timeout would let a daemon look up, and send again, a POST still in flight. */
    @Test
    void aPostingGraceNotAboveTheTdtTimeoutIsRefused() throws IOException {
        Path config = Files.writeString(dir.resolve("short-grace.properties"), Files.readString(tdt.config())
                + "journal.posting-grace-seconds=10\n");
        try (ActesConnector c = new ActesConnector(ConnectorConfig.load(config, Map.of()), clock)) {
            fr.actesconnector.model.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    fr.actesconnector.model.ConfigException.class, c::journal);
            assertTrue(e.userMessage().contains("journal.posting-grace-seconds (10) doit dépasser tdt.timeout-seconds (10)"),
                    e.userMessage());
        }
    }

    /**
     * A daemon's lookup of a POSTING acte outlasts its lease: meanwhile another daemon found it absent, put it back
     * and posted it again. The late "absent" leaves it as it is: not put back a second time, not posted twice.
     */
    @Test
    void aLookupThatOutlivedItsLeaseDoesNotUndoTheNextPost() {
        try (ActesConnector c = connector()) {
            fr.actesconnector.journal.Journal j = c.journal();
            JournalEntry e = queued(c, "LATE1");
            j.markPosting(e.id());
            JournalEntry stale = j.entries().findById(e.id()).orElseThrow(); // what the slow lookup read
            clock.advance(Duration.ofSeconds(1));
            j.revertToPrepared(e.id(), "introuvable (autre démon)", Optional.of(clock.instant()));
            j.markPosting(e.id()); // the sender's new attempt, its POST in flight

            Optional<JournalEntry> late = c.resolvePosting(stale);

            assertEquals(TransmissionState.POSTING, late.orElseThrow().state());
            assertEquals(TransmissionState.POSTING, j.entries().findById(e.id()).orElseThrow().state());
            assertEquals(Map.of(), tdt.simulator().createRequests());
        }
    }

    /** What the journal kept cannot make a submission: the acte ends in error with the reason, not retried forever. */
    @Test
    void aQueuedActeThatCannotBeSubmittedEndsInErrorWithItsReason() {
        try (ActesConnector c = connector()) {
            fr.actesconnector.journal.Journal j = c.journal();
            long id = j.register(fr.actesconnector.journal.NewActe.of(acte("BAD1"))).entry().id();
            j.recordArchive(id, dir.resolve("a.tar.gz"), List.of(new fr.actesconnector.journal.ArchivedFile(
                    fr.actesconnector.journal.ArchivedFile.Role.DOCUMENT, "sans-typologie.pdf", pdf, 10, "d".repeat(64))));
            j.leases().queueForSending(id, clock.instant());

            assertEquals(1, c.sender("d").sendDue().refused());
            JournalEntry e = j.entries().findById(id).orElseThrow();
            assertEquals(TransmissionState.ERROR, e.state());
            assertTrue(e.lastError().orElseThrow().contains("n'a pas de typologie lisible"), e.lastError().toString());
            assertEquals(Map.of(), tdt.simulator().createRequests());
        }
    }
}
