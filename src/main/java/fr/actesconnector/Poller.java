package fr.actesconnector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.protocol.UnreadableMessageException;
import fr.actesconnector.protocol.XmlEncoding;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.AnomalieActe;
import fr.actesconnector.protocol.jaxb.AnomalieEnveloppe;
import fr.actesconnector.tdt.StatusReport;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtFile;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.tdt.TdtStatus;

/**
 * One polling round over the journal: leases the actes whose next poll time has come (several
 * pollers may share one PostgreSQL journal), asks the TdT for each one's status with bounded
 * concurrency, records every change, and at status 4 stores the ARActe, the stamped PDFs and the
 * bordereau. Each acte is asked about with the TdT account of its own collectivité (its SIREN). A
 * failure on one acte is recorded on that acte and the round goes on.
 */
public final class Poller {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final int BATCH = 200;

    /**
     * What a round did; {@code pending} is the number of pending actes when the round began, or -1 when
     * not counted (the daemon's rounds).
     */
    public record Report(int pending, int polled, int changed, int acknowledged, int failed) {
        @Override
        public String toString() {
            return (pending >= 0 ? pending + " acte(s) en attente, " : "") + polled + " acte(s) interrogé(s), " + changed
                    + " changement(s) d'état, " + acknowledged + " accusé(s) de réception, " + failed + " échec(s)";
        }
    }

    /** A change worth telling the secretariat about (AR, anomaly, error, cancellation). */
    public record Event(JournalEntry entry, TransmissionState state, Path arXml) {
    }

    private final ActesConnector connector;
    private final PollSettings settings;
    private final String owner;
    private volatile Consumer<Event> listener = e -> { };

    Poller(ActesConnector connector, PollSettings settings, String owner) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    public PollSettings settings() {
        return settings;
    }

    /** Receives each notable change (used for the secretariat's e-mail notifications). */
    public Poller onEvent(Consumer<Event> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Polls every pending acte now, whatever its schedule (the schedule is the daemon's), then
     * returns: a person asking for a poll wants the TdT asked.
     */
    public Report pollAllNow() {
        Journal journal = connector.journal();
        int pending = journal.entries().countPending();
        journal.leases().makePendingDue(connector.clock().instant());
        return round(pending);
    }

    /** Polls every acte due now, then returns. */
    public Report pollOnce() {
        return round(-1);
    }

    private Report round(int pending) {
        Journal journal = connector.journal();
        AtomicInteger polled = new AtomicInteger();
        AtomicInteger changed = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "poll-" + owner);
            t.setDaemon(true);
            return t;
        });
        // At most two batches in flight: the next lease is taken while the last one is being polled.
        Semaphore inFlight = new Semaphore(2 * BATCH);
        Phaser running = new Phaser(1);
        Writer writer = new Writer(journal, changed, failed);
        Thread writerThread = new Thread(writer, "poll-writer-" + owner);
        writerThread.setDaemon(true);
        writerThread.start();
        ActesException stopped = null;
        try {
            // One round = the actes due when it starts; one rescheduled during the round waits for the next.
            Instant roundStart = connector.clock().instant();
            while (!Thread.currentThread().isInterrupted()) {
                List<JournalEntry> batch;
                try {
                    batch = journal.leases().leasePending(owner, BATCH, settings.lease(), roundStart, connector.clock().instant());
                } catch (ActesException e) {
                    // The journal stopped answering (a database restart): the polls in flight end, then the caller is told.
                    stopped = e;
                    break;
                }
                for (JournalEntry e : batch) {
                    inFlight.acquire();
                    running.register();
                    pool.execute(() -> {
                        polled.incrementAndGet();
                        try {
                            TransmissionState after = pollOne(journal, e, writer);
                            if (after != null && after != e.state()) changed.incrementAndGet();
                            if (after == TransmissionState.ACKNOWLEDGED && e.state() != TransmissionState.ACKNOWLEDGED) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (RuntimeException ex) {
                            failed.incrementAndGet();
                            recordFailure(journal, e, ex);
                        } finally {
                            inFlight.release();
                            running.arriveAndDeregister();
                        }
                    });
                }
                if (batch.size() < BATCH) break;
            }
            running.arriveAndAwaitAdvance();
            writer.finish();
            writerThread.join();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            writer.finish();
            pool.shutdownNow();
        }
        if (stopped != null) throw stopped;
        try {
            int answers = connector.answers().pollAnswers();
            if (answers > 0) LOG.info("{} answer(s) to prefecture letters changed", answers);
        } catch (ActesException e) {
            LOG.warn("answers not polled: {}", e.getMessage());
        }
        return new Report(pending, polled.get(), changed.get(), acknowledged.get(), failed.get());
    }

    private void recordFailure(Journal journal, JournalEntry e, RuntimeException ex) {
        String message = ex instanceof ActesException ae ? ae.userMessage() : ex.getClass().getSimpleName();
        Instant next = connector.clock().instant().plus(settings.backoff(e.attempts() + 1));
        LOG.warn("{}: poll failed ({}), next try at {}", e.idActe(), ex.getMessage(), next);
        try {
            journal.leases().recordFailure(e.id(), message, next);
        } catch (ActesException again) {
            // The journal itself is away (a database restart): the lease runs out and the acte is polled again.
            LOG.warn("{}: poll failure not recorded: {}", e.idActe(), again.getMessage());
        } catch (RuntimeException again) {
            LOG.error("{}: cannot record the poll failure", e.idActe(), again);
        }
    }

    /**
     * Writes the routine outcomes (status read, still pending) in batches, one transaction each,
     * so that the polling threads spend their time on the TdT, not on commits.
     */
    private static final class Writer implements Runnable {
        private record Item(JournalEntry before, Journal.Polled polled) {
        }

        private static final Duration GATHER = Duration.ofMillis(100);

        private final Journal journal;
        private final AtomicInteger changed;
        private final AtomicInteger failed;
        private final java.util.concurrent.BlockingQueue<Item> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private volatile boolean finishing;

        Writer(Journal journal, AtomicInteger changed, AtomicInteger failed) {
            this.journal = journal;
            this.changed = changed;
            this.failed = failed;
        }

        void add(JournalEntry before, Journal.Polled polled) {
            queue.add(new Item(before, polled));
        }

        void finish() {
            finishing = true;
        }

        @Override
        public void run() {
            List<Item> batch = new ArrayList<>();
            while (!(finishing && queue.isEmpty())) {
                try {
                    Item first = queue.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    // Gather for a moment: one commit per ~100 ms rather than one per few polls (each commit
                    // costs the database more than the rows it carries). A crash loses at most that moment's
                    // routine results, which the next round reads again.
                    long until = System.nanoTime() + GATHER.toNanos();
                    while (batch.size() < BATCH && !finishing) {
                        long left = until - System.nanoTime();
                        if (left <= 0) break;
                        // 20 ms steps at most, so that the end of a round is not held up by the gathering
                        Item next = queue.poll(Math.min(left, 20_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
                        if (next == null) continue;
                        batch.add(next);
                        queue.drainTo(batch, BATCH - batch.size());
                    }
                    queue.drainTo(batch, BATCH - batch.size());
                    List<TransmissionState> after = journal.recordPolledAll(batch.stream().map(Item::polled).toList());
                    for (int i = 0; i < after.size(); i++) {
                        if (after.get(i) != batch.get(i).before().state()) changed.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // Leases run out and the actes are polled again next round.
                    failed.addAndGet(batch.size());
                    LOG.warn("poll results not recorded for {} acte(s): {}", batch.size(), e.getMessage());
                } finally {
                    batch.clear();
                }
            }
        }
    }

    /** Polls one acte; returns its state after, or null when the outcome was handed to the writer. */
    private TransmissionState pollOne(Journal journal, JournalEntry e, Writer writer) {
        if (e.state() == TransmissionState.POSTING) {
            return connector.resolvePosting(e).map(JournalEntry::state).orElse(TransmissionState.PREPARED);
        }
        TdtClient tdt = connector.followTdt(e.siren());
        if (e.state() == TransmissionState.CANCEL_REQUESTED) {
            StatusReport r = tdt.getStatus(Long.parseLong(e.transactionId().orElseThrow()));
            if (r.code() == TdtStatus.ANNULE.code()) {
                JournalEntry after = journal.recordStatus(e.id(), r.code(), "annulation confirmée par la préfecture");
                listener.accept(new Event(after, after.state(), null));
                return after.state();
            }
            reschedule(journal, e);
            return e.state();
        }
        long tx = Long.parseLong(e.transactionId().orElseThrow());
        StatusReport r = tdt.getStatus(tx);
        int code = r.code();
        if (code == TdtStatus.ERREUR.code()) {
            return recordRejection(journal, e, r);
        }
        if (TdtStatus.ofCode(code).map(TdtStatus::isAcknowledged).orElse(false)) {
            return recordAcknowledgement(journal, tdt, e, tx, r);
        }
        if (code == TdtStatus.EN_ATTENTE_POSTEE.code() && settings.confirmHeld()) {
            return confirmHeld(journal, e, tx);
        }
        if (TdtStatus.ofCode(code).map(TdtStatus::isPending).orElse(false)) {
            writer.add(e, new Journal.Polled(e.id(), code, TdtStatus.labelOf(code), nextPoll(e)));
            return null;
        }
        JournalEntry after = journal.recordPolled(e.id(), code, TdtStatus.labelOf(code), nextPoll(e));
        if (!after.state().isPending()) listener.accept(new Event(after, after.state(), null));
        return after.state();
    }

    /**
     * An acte the TdT holds in 17 (the account may create, not transmit), released with the TT account
     * ({@code tdt.confirm-held=true}). A refusal stays on the acte as its last error; it is tried again
     * at the next polls.
     */
    private TransmissionState confirmHeld(Journal journal, JournalEntry e, long tx) {
        if (e.state() != TransmissionState.HELD && e.state().canMoveTo(TransmissionState.HELD)) {
            journal.recordStatus(e.id(), TdtStatus.EN_ATTENTE_POSTEE.code(), "en attente sur le TdT");
        }
        try {
            JournalEntry after = connector.confirmHeld(e.siren(), tx).orElseThrow();
            journal.leases().reschedule(after.id(), nextPoll(after));
            LOG.info("{}: held acte released on the TdT", e.idActe());
            return after.state();
        } catch (TdtRefusedException refused) {
            LOG.warn("{}: held acte not released: {}", e.idActe(), refused.tdtMessage());
            journal.leases().recordFailure(e.id(), "Validation de l'acte en attente refusée par le TdT : " + refused.tdtMessage()
                    + " Vérifiez que tdt.confirm.login désigne un compte télétransmetteur (droit TT).",
                    connector.clock().instant().plus(settings.backoff(e.attempts() + 1)));
            return TransmissionState.HELD;
        }
    }

    private void reschedule(Journal journal, JournalEntry e) {
        journal.leases().reschedule(e.id(), nextPoll(e));
    }

    private Instant nextPoll(JournalEntry e) {
        Instant now = connector.clock().instant();
        Duration age = Duration.between(e.createdAt(), now);
        return now.plus(settings.nextAfter(age.isNegative() ? Duration.ZERO : age));
    }

    private TransmissionState recordAcknowledgement(Journal journal, TdtClient tdt, JournalEntry e, long tx, StatusReport r) {
        Path dir = connector.transmissionDir(e.idActe());
        byte[] xml = r.xmlBytes();
        if (xml.length == 0) {
            // Past status 4 the TdT no longer echoes the AR in get_status: fetch it.
            Path target = dir.resolve(e.idActe().value() + "-1-2_AR.xml");
            if (tdt.downloadARActe(tx, target)) xml = read(target);
        }
        LocalDate dateReception = null;
        String arIdActe = null;
        if (xml.length > 0) {
            try {
                ARActe ar = connector.xml().read(xml, "ARActe " + e.idActe(), ARActe.class);
                warnIfMisencoded(e, "ARActe", xml);
                dateReception = ar.getDateReception();
                arIdActe = ar.getIDActe();
            } catch (UnreadableMessageException ex) {
                LOG.warn("{}: ARActe from the TdT unreadable: {}", e.idActe(), ex.getMessage());
            }
        }
        if (dateReception == null) {
            // The TdT says 4 without a readable AR: keep polling rather than invent a date.
            JournalEntry after = journal.recordStatus(e.id(), TdtStatus.TRANSMIS.code(), "statut 4 sans accusé lisible");
            reschedule(journal, after);
            return after.state();
        }
        Path arFile = dir.resolve(e.idActe().value() + "-1-2_AR.xml");
        write(arFile, xml);
        // The files first, the state last: if the journal fails in between, the acte is still pending and
        // its next poll records them (each once); recorded after the AR, they would be lost with the failure.
        // All in one transaction: one commit per acknowledged acte rather than one per file.
        List<ReceivedDocument> documents = new ArrayList<>();
        documents.add(document(ReceivedDocument.Kind.AR, arFile).withMessageType("ARActe"));
        fetchStampedFiles(journal, tdt, e, tx, dir, documents);
        journal.files().recordDocuments(e.id(), documents);
        Optional<String> warning = otherIdActe(e.idActe(), arIdActe);
        JournalEntry after = journal.recordAcknowledgement(e.id(), XmlEncoding.of(xml).decode(xml), dateReception, warning);
        LOG.info("{}: acknowledged, DateReception {}", e.idActe(), dateReception);
        if (warning.isPresent()) {
            // Recorded all the same (the prefecture received it on that date), but someone must look at the account.
            LOG.error("{}: the ARActe names IDActe {}: the prefecture registered the acte under that identifier;"
                    + " check the TdT account configured for SIREN {}", e.idActe(), arIdActe, e.siren());
        }
        connector.notifyFromTdt(after, xml, arFile.getFileName().toString(), warning);
        listener.accept(new Event(after, after.state(), arFile));
        return after.state();
    }

    /**
     * Stamped PDFs and bordereau, added to {@code documents} as they come: useful, not vital; a failure of the TdT
     * is logged and the AR is recorded without the rest. A failure of the journal is not swallowed: the acte is
     * polled again.
     */
    private void fetchStampedFiles(Journal journal, TdtClient tdt, JournalEntry e, long tx, Path dir,
                                   List<ReceivedDocument> documents) {
        try {
            List<TdtFile> files = tdt.listFiles(tx);
            Optional<LocalDate> affichage = files.stream().skip(1).anyMatch(TdtFile::isPdf)
                    ? journal.publications().of(e.id()).map(Publications.Publication::date) : Optional.empty();
            for (int i = 1; i < files.size(); i++) {
                TdtFile f = files.get(i);
                if (!f.isPdf()) continue;
                Path target = dir.resolve("tampon-" + safe(f.name()));
                tdt.downloadFile(f.id(), true, affichage, target);
                documents.add(document(ReceivedDocument.Kind.STAMPED_PDF, target).withTdtDocumentId(String.valueOf(f.id())));
            }
            Path bordereau = dir.resolve(e.idActe().value() + "-bordereau.pdf");
            tdt.downloadBordereau(tx, bordereau);
            documents.add(document(ReceivedDocument.Kind.BORDEREAU, bordereau));
        } catch (ActesException ex) {
            if (ex instanceof fr.actesconnector.journal.JournalException) throw ex;
            LOG.warn("{}: stamped files not fetched: {}", e.idActe(), ex.getMessage());
        }
    }

    private TransmissionState recordRejection(Journal journal, JournalEntry e, StatusReport r) {
        byte[] xml = r.xmlBytes();
        String message = r.message().isBlank() ? "Erreur signalée par le TdT" : r.message().strip();
        JournalEntry after = null;
        if (xml.length > 0) {
            try {
                Object root = connector.xml().read(xml, "anomalie " + e.idActe());
                warnIfMisencoded(e, "anomaly", xml);
                String text = XmlEncoding.of(xml).decode(xml);
                if (root instanceof AnomalieActe a) {
                    after = journal.recordAnomaly(e.id(), a.getNature(), Objects.toString(a.getDetail(), ""), text);
                } else if (root instanceof AnomalieEnveloppe a) {
                    after = journal.recordAnomaly(e.id(), a.getNature(), Objects.toString(a.getDetail(), ""), text);
                }
            } catch (UnreadableMessageException ex) {
                LOG.warn("{}: anomaly XML unreadable: {}", e.idActe(), ex.getMessage());
            }
        }
        if (after == null) after = journal.recordError(e.id(), message);
        else connector.notifyFromTdt(after, xml, "anomalie-" + e.idActe() + ".xml");
        LOG.info("{}: refused: {}", e.idActe(), message);
        listener.accept(new Event(after, after.state(), null));
        return after.state();
    }

    /**
     * The French warning when the AR names another IDActe than the acte's, empty when it names the same. S²LOW makes
     * the IDActe from the SIREN of the account that posted: a collectivité configured with another one's account
     * has its actes received as that one's.
     */
    static Optional<String> otherIdActe(IdActe sent, String named) {
        if (named == null || named.strip().equals(sent.value())) return Optional.empty();
        String other = named.strip();
        String cause = IdActe.parse(other).map(IdActe::siren).filter(siren -> !siren.equals(sent.siren()))
                .map(siren -> "l'acte a été transmis sous le SIREN " + siren + ". Vérifiez le compte TdT configuré pour"
                        + " cette collectivité.")
                .orElse("la préfecture a enregistré l'acte sous un autre identifiant. Vérifiez l'acte sur le TdT.");
        return Optional.of("L'accusé de réception porte l'identifiant " + other + " et non " + sent.value() + " : " + cause);
    }

    /** UTF-8 sent under an ISO-8859-1 declaration is read right ({@link XmlEncoding}), and said. */
    private static void warnIfMisencoded(JournalEntry e, String what, byte[] xml) {
        XmlEncoding encoding = XmlEncoding.of(xml);
        if (encoding.mismatch()) {
            LOG.warn("{}: {} from the TdT declares {} but its bytes are {}; read as {}", e.idActe(), what,
                    encoding.declared(), encoding.actual(), encoding.actual());
        }
    }

    private static ReceivedDocument document(ReceivedDocument.Kind kind, Path file) {
        ArchivedFile f = ActesConnector.file(ArchivedFile.Role.DOCUMENT, file.getFileName().toString(), file);
        return ReceivedDocument.of(kind, f.path(), f.size(), f.sha256());
    }

    private static String safe(String name) {
        String s = name == null ? "document.pdf" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file); // an ARActe is a few kilobytes
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ActesException(fr.actesconnector.model.Reason.INTERNAL, "L'accusé de réception n'a pas pu être "
                    + "enregistré dans « " + file + " » : vérifiez l'espace disque.", "cannot write " + file, e);
        }
    }
}
