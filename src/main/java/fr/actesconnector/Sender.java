package fr.actesconnector;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.journal.IllegalTransitionException;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.tdt.TdtUnavailableException;

/**
 * Posts the actes waiting in the journal's sending queue ({@code send --queue}, or an interrupted post the
 * TdT proved absent): leases a few at a time (several daemons on one PostgreSQL journal never lease the same
 * acte), posts each through the connector's write-ahead path with {@code poll.concurrency} in flight, until
 * nothing due is left. {@link Journal#markPosting} lets one process only post an acte, whatever the leases
 * did; a failure stays on its acte and the others go on.
 */
public final class Sender {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** What a pass did: actes posted, refused by the TdT, put back in the queue or left to the lookup. */
    public record Report(int posted, int refused, int failed) {
        @Override
        public String toString() {
            return posted + " acte(s) envoyé(s), " + refused + " refusé(s) par le TdT, " + failed + " échec(s)";
        }
    }

    private final ActesConnector connector;
    private final PollSettings settings;
    private final String owner;

    Sender(ActesConnector connector, PollSettings settings, String owner) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Posts every queued acte due now, then returns.
     *
     * @throws ActesException when the journal stops answering (the actes in flight finish first)
     */
    public Report sendDue() {
        Journal journal = connector.journal();
        // A few per lease, so that the daemons sharing the queue share it evenly and one killed holds few.
        int batch = 4 * settings.concurrency();
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "send-" + owner);
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(2 * batch);
        Phaser running = new Phaser(1);
        ActesException stopped = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<JournalEntry> leased;
                try {
                    leased = journal.leases().leaseQueued(owner, batch, settings.lease(), connector.clock().instant());
                } catch (ActesException e) {
                    stopped = e;
                    break;
                }
                for (JournalEntry e : leased) {
                    inFlight.acquire();
                    running.register();
                    pool.execute(() -> {
                        try {
                            postOne(e, posted, refused, failed);
                        } finally {
                            inFlight.release();
                            running.arriveAndDeregister();
                        }
                    });
                }
                if (leased.size() < batch) break;
            }
            running.arriveAndAwaitAdvance();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        if (stopped != null) throw stopped;
        return new Report(posted.get(), refused.get(), failed.get());
    }

    private void postOne(JournalEntry e, AtomicInteger posted, AtomicInteger refused, AtomicInteger failed) {
        Instant again = connector.clock().instant().plus(settings.backoff(1));
        try {
            connector.postQueued(e, again);
            posted.incrementAndGet();
        } catch (IllegalTransitionException taken) {
            LOG.debug("{}: no longer PREPARED, another process posts it", e.idActe());
        } catch (TdtRefusedException r) {
            refused.incrementAndGet(); // recorded on the acte (ERROR) by the connector
        } catch (InvalidActeException invalid) {
            // What the journal kept cannot make a submission (a file without typology): no later pass will do better.
            refused.incrementAndGet();
            LOG.warn("{}: cannot be posted: {}", e.idActe(), invalid.getMessage());
            connector.journal().recordError(e.id(), invalid.userMessage());
        } catch (TdtUnavailableException u) {
            failed.incrementAndGet();
            LOG.warn("{}: not posted ({}){}", e.idActe(), u.getMessage(), u.outcomeUnknown()
                    ? ", outcome unknown: left POSTING for the lookup on the TdT" : ", queued again for " + again);
        } catch (RuntimeException x) {
            failed.incrementAndGet();
            LOG.warn("{}: not posted: {}", e.idActe(), x.getMessage());
            quietlyPutBack(connector.journal(), e, again);
        }
    }

    /**
     * An acte this pass could not post (a file missing, the journal failing): still PREPARED, it waits in the
     * queue until {@code again} rather than being taken at every pass; the lease ends by itself otherwise.
     */
    private static void quietlyPutBack(Journal journal, JournalEntry e, Instant again) {
        try {
            if (journal.entries().findById(e.id()).map(JournalEntry::state).orElse(null) == e.state()) journal.leases().reschedule(e.id(), again);
        } catch (RuntimeException ignored) {
            LOG.debug("{}: not put back, its lease ends by itself: {}", e.idActe(), ignored.getMessage());
        }
    }
}
