package fr.actesconnector.app;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.Poller;
import fr.actesconnector.inbox.IntakeResult;
import fr.actesconnector.Sender;
import fr.actesconnector.journal.JournalException;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * The long-running loop: posts the queued actes, polls the due ones, refreshes the classification once a
 * day, and keeps going whatever a round throws (each failure is already recorded on its acte). Several
 * daemons may share one PostgreSQL journal: each takes the actes it works on by a lease. When the journal
 * stops answering (a database restart, a failover), it warns once, the round ends, and a later round finds
 * the database again through the pool's new connections (the journal then warns that it answers again). {@link #stop()} ends it cleanly between
 * two rounds.
 */
public final class Daemon implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration CLASSIFICATION_REFRESH = Duration.ofDays(1);
    private static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private final ActesConnector connector;
    private final Sender sender;
    private final Poller poller;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private Instant lastClassification = Instant.EPOCH;

    public Daemon(ActesConnector connector, Sender sender, Poller poller) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /** Name of this process as a lease owner: host and pid. */
    static String ownerName() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    @Override
    public void run() {
        try {
            while (running) {
                round();
                sleepQuietly(idle());
            }
        } finally {
            stopped.countDown();
        }
    }

    void round() {
        try {
            Sender.Report s = sender.sendDue();
            if (s.posted() + s.refused() + s.failed() > 0) LOG.info("send round: {}", s);
            Poller.Report r = poller.pollOnce();
            if (r.polled() > 0) LOG.info("poll round: {}", r);
        } catch (ActesException e) {
            if (e.reason() == Reason.UNAVAILABLE && e instanceof JournalException) {
                // The journal warned once when the outage began and warns again when it ends; until then each
                // round ends here and the next one tries again.
                LOG.info("round ended, journal unavailable; next round in {} s", idle().toSeconds());
                return;
            }
            LOG.warn("round failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("round failed unexpectedly", e);
        }
        try {
            connector.ingestImap().ifPresent(r -> {
                if (!r.processed().isEmpty()) LOG.info("mail: {} processed, {} left alone", r.processed().size(), r.leftAlone().size());
                r.leftAlone().stream().filter(l -> l.why() == IntakeResult.Why.NOT_IN_JOURNAL)
                        .forEach(l -> LOG.warn("mail {} left in the mailbox: about no acte of the journal", l.source()));
            });
        } catch (ActesException e) {
            LOG.warn("mail intake failed: {}", e.getMessage());
        }
        if (connector.config().get("tdt.url").isPresent()) {
            try {
                int n = connector.fetchPrefectureDocuments();
                if (n > 0) LOG.info("{} prefecture document(s) recorded", n);
            } catch (ActesException e) {
                LOG.warn("prefecture documents not fetched: {}", e.getMessage());
            }
        }
        Instant now = connector.clock().instant();
        if (Duration.between(lastClassification, now).compareTo(CLASSIFICATION_REFRESH) >= 0
                && connector.config().get("tdt.url").isPresent()) {
            lastClassification = now;
            // Once per file: collectivités of one prefecture may share theirs. One failing does not stop the others.
            java.util.Set<java.nio.file.Path> done = new java.util.HashSet<>();
            for (fr.actesconnector.CollectiviteConfig c : connector.config().collectivites()) {
                if (!done.add(c.classificationFile())) continue;
                try {
                    connector.updateClassification(c.siren(), false);
                } catch (ActesException e) {
                    lastClassification = now.minus(CLASSIFICATION_REFRESH).plus(Duration.ofHours(1)); // retry in an hour
                    LOG.warn("classification refresh of {} failed: {}", c.siren(), e.getMessage());
                }
            }
        }
    }

    private Duration idle() {
        Duration interval = poller.settings().interval();
        return interval.compareTo(MAX_IDLE) < 0 ? interval : MAX_IDLE;
    }

    private void sleepQuietly(Duration d) {
        try {
            long end = System.nanoTime() + d.toNanos();
            while (running && System.nanoTime() < end) {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Asks the loop to end after the current round and waits for it (at most {@code timeout}). */
    public boolean stop(Duration timeout) {
        running = false;
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
