package fr.actesconnector.journal;

import static fr.actesconnector.journal.EntryRows.clip;
import static fr.actesconnector.journal.EntryRows.insertEntry;
import static fr.actesconnector.journal.EntryRows.insertHistory;
import static fr.actesconnector.journal.EntryRows.lockEntry;
import static fr.actesconnector.journal.EntryRows.lockInIdOrder;
import static fr.actesconnector.journal.EntryRows.update;
import static fr.actesconnector.journal.Sql.instant;

import com.zaxxer.hikari.HikariDataSource;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The journal of transmissions over a HikariCP pool, schema brought up to date at construction ({@link SchemaMigrations}).
 * Thread-safe; several processes may share one journal (row locks and leases): a PostgreSQL one, or an H2
 * file through H2's automatic mixed mode ({@link JournalPool#withH2Sharing}).
 *
 * <p><b>Write-ahead contract.</b> Each state change is committed in one database transaction with its
 * history row before the method returns. Callers commit the intent before the external call
 * ({@link #markPosting} before the POST, {@link #requestCancel} before the cancellation) and record the
 * outcome after it ({@link #recordPosted}, {@link #recordCancelPosted}). A process killed at any point
 * thus leaves PREPARED (nothing sent), POSTING (look the IDActe up at the TdT, then {@link #recordPosted}
 * or {@link #revertToPrepared}) or a posted state; never a second post.
 */
public final class Journal implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    static final int MAX_XML = 1_000_000;

    private final JournalConfig config;
    private final Clock clock;
    private final HikariDataSource dataSource;
    private final Sql sql;

    /**
     * Opens the pool, checks the database answers and brings the schema up to date.
     *
     * @throws JournalException (UNAVAILABLE) when the database cannot be reached or opened, (INTERNAL)
     *                          when the schema cannot be migrated; nothing stays open
     */
    public Journal(JournalConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dataSource = JournalPool.open(config);
        this.sql = new Sql(dataSource, config.displayUrl());
        try {
            migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        log.info("journal: opened {}", config.displayUrl());
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** The prefecture's letters and the town's answers (migration V5). */
    public Letters letters() {
        return new Letters(sql, clock);
    }

    /** The envelope numbers of each collectivité and day. */
    public Counters counters() {
        return new Counters(sql);
    }

    /** The actes as recorded, read: one by its keys, lists, history. */
    public Entries entries() {
        return new Entries(sql);
    }

    /** The pollers' and senders' leases, and the sending queue. */
    public Leases leases() {
        return new Leases(sql, clock);
    }

    /** The list of actes a page at a time, searched (indexes of migration V8). */
    public ActeSearch search() {
        return new ActeSearch(sql, config.isH2());
    }

    /** The list with smaller bounds on the objet window and the count, for the tests. */
    ActeSearch search(int objetWindow, int countLimit) {
        return new ActeSearch(sql, config.isH2(), objetWindow, countLimit);
    }

    /** The archive's files as recorded, the documents received, and every file kept for an acte. */
    public ActeFiles files() {
        return new ActeFiles(sql, clock);
    }

    /** The prefecture's replies as recorded with their state change: the ARActe, the anomalies. */
    public Replies replies() {
        return new Replies(sql);
    }

    /** When each acte was published or notified, and which acte replaces which. */
    public Publications publications() {
        return new Publications(sql, clock);
    }

    /** The web page's accounts, stored in this journal's database (migrations V2, V6). */
    public Users users() {
        return new Users(dataSource, clock);
    }

    /**
     * Records in the acte's history an action that does not change its state (an answer to a letter, a letter
     * marked as recours gracieux…), with who asked for it.
     */
    public void recordAction(long id, Actor actor, String detail) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(detail, "detail");
        inTransaction("recordAction " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            insertHistory(c, id, e.state(), e.state(), null, detail, actor, clock.instant());
            return null;
        });
    }

    // ---------------------------------------------------------------- registration and archive

    /**
     * Registers an acte in state PREPARED, once: when its IDActe or its (SIREN, numero interne) is already
     * in the journal, returns the existing entry with {@code created = false} and changes nothing.
     *
     * @throws JournalException (INVALID_INPUT) when the numero interne was already used by another acte of
     *                          the collectivité (the TdT would refuse it too)
     */
    public Registration register(NewActe acte) {
        return registration(acte, null);
    }

    /** As {@link #register(NewActe)}, the registration naming who asked for the acte to be sent. */
    public Registration register(NewActe acte, Actor actor) {
        return registration(acte, Objects.requireNonNull(actor, "actor"));
    }

    private Registration registration(NewActe acte, Actor actor) {
        Objects.requireNonNull(acte, "acte");
        Optional<JournalEntry> existing = entries().findByNumero(acte.siren(), acte.numeroInterne());
        if (existing.isPresent()) return existingRegistration(acte, existing.get());
        try {
            JournalEntry created = inTransaction("register " + acte.idActe(), c -> {
                Instant now = clock.instant();
                long id = insertEntry(c, acte, now);
                insertHistory(c, id, null, TransmissionState.PREPARED, null, "enregistré", actor, now);
                return lockEntry(c, id);
            });
            log.info("{}: registered as entry {}", acte.idActe(), created.id());
            return new Registration(created, true);
        } catch (JournalException e) {
            // Another thread or process registered the same acte between our lookup and our insert.
            if (!Sql.isUniqueViolation(e.getCause())) throw e;
            JournalEntry other = entries().findByNumero(acte.siren(), acte.numeroInterne()).orElseThrow(() -> e);
            return existingRegistration(acte, other);
        }
    }

    private Registration existingRegistration(NewActe acte, JournalEntry existing) {
        if (!existing.idActe().equals(acte.idActe())) {
            throw new JournalException(Reason.INVALID_INPUT,
                    "Le numéro " + acte.numeroInterne() + " a déjà été utilisé pour un autre acte de la collectivité ("
                            + existing.idActe() + ", " + existing.state().label() + "). Le TdT refuse un numéro"
                            + " déjà employé : donnez un autre numéro à cet acte (par exemple "
                            + suffixed(acte.numeroInterne()) + ").",
                    acte.idActe() + ": numero interne already used by " + existing.idActe());
        }
        log.info("{}: already in the journal as entry {} ({})", acte.idActe(), existing.id(), existing.state());
        return new Registration(existing, false);
    }

    private static String suffixed(String numeroInterne) {
        return numeroInterne.length() < 15 ? numeroInterne + "B" : numeroInterne.substring(0, 14) + "B";
    }

    /**
     * Records the built archive and its files, replacing what an earlier build of the same acte
     * recorded. Allowed in PREPARED only: once posting started the archive is what the TdT has.
     */
    public JournalEntry recordArchive(long id, Path archive, List<ArchivedFile> files) {
        Objects.requireNonNull(archive, "archive");
        List<ArchivedFile> copy = List.copyOf(Objects.requireNonNull(files, "files"));
        return inTransaction("recordArchive " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (e.state() != TransmissionState.PREPARED) {
                throw new JournalException(Reason.INTERNAL,
                        "L'archive de l'acte " + e.idActe() + " ne peut plus être remplacée : il est "
                                + e.state().label() + ".",
                        e.idActe() + ": archive change refused in state " + e.state());
            }
            ActeFiles.replaceArchived(c, id, copy, clock.instant());
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("archive_path", archive.toString());
            update(c, id, set, clock.instant());
            return lockEntry(c, id);
        });
    }

    // ---------------------------------------------------------------- posting

    /**
     * PREPARED → POSTING. <b>Must return before the POST is sent</b>: it commits the intent, so a crash
     * during the POST leaves POSTING and a restart looks the acte up at the TdT instead of posting again.
     * A poller leaves a POSTING acte to its sender for {@link JournalConfig#postingGrace()}.
     *
     * @throws IllegalTransitionException when the acte is not PREPARED (already posting or posted)
     */
    public JournalEntry markPosting(long id) {
        return posting(id, null);
    }

    /** As {@link #markPosting(long)}, naming who asked for the acte to be sent. */
    public JournalEntry markPosting(long id, Actor actor) {
        return posting(id, Objects.requireNonNull(actor, "actor"));
    }

    private JournalEntry posting(long id, Actor actor) {
        JournalEntry marked = inTransaction("markPosting " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", now.plus(config.postingGrace()));
            // A sender's lease ends here: POSTING and its grace keep the acte from the others from now on.
            set.put("lease_owner", null);
            set.put("lease_until", null);
            moveTo(c, e, TransmissionState.POSTING, null, "envoi au TdT", actor, set, now);
            return lockEntry(c, id);
        });
        sql.durable("markPosting " + id); // the POST follows at once: a crash during it must find POSTING
        return marked;
    }

    /**
     * POSTING → POSTED (status 1) with the TdT's transaction id; call it <b>after</b> the TdT answered
     * {@code OK}, or after the lookup of a POSTING acte found its transaction (then record the status the
     * lookup showed with {@link #recordStatus}). Idempotent for the same transaction id. The acte becomes
     * due for polling at once; the poller then spaces its polls with {@link Leases#reschedule}.
     *
     * @throws JournalException (INTERNAL) when another transaction id was already recorded
     */
    public JournalEntry recordPosted(long id, String transactionId) {
        return recordPosted(id, transactionId, 1);
    }

    /**
     * Like {@link #recordPosted(long, String)} with the status the TdT showed: 17 for a transaction held
     * for post-confirm, or whatever the lookup of a POSTING acte found (2, 3, 4, -1…).
     */
    public JournalEntry recordPosted(long id, String transactionId, int tdtStatus) {
        Objects.requireNonNull(transactionId, "transactionId");
        TransmissionState target = TransmissionState.fromTdtStatus(tdtStatus)
                .filter(TransmissionState.POSTING::canMoveTo)
                .orElseThrow(() -> new IllegalArgumentException("not a status after a post: " + tdtStatus));
        return inTransaction("recordPosted " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (e.transactionId().isPresent()) {
                if (e.transactionId().get().equals(transactionId)) return e;
                throw new JournalException(Reason.INTERNAL,
                        "L'acte " + e.idActe() + " est déjà enregistré sous la transaction "
                                + e.transactionId().get() + " du TdT, pas " + transactionId
                                + " : vérifiez sur le TdT lequel est le bon avant toute action.",
                        e.idActe() + ": transaction " + transactionId + " differs from recorded "
                                + e.transactionId().get());
            }
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("tdt_transaction_id", transactionId);
            set.put("tdt_status", tdtStatus);
            set.put("next_poll_at", target.isPending() ? now : null);
            set.put("attempts", 0);
            set.put("last_error", target == TransmissionState.ERROR ? "statut -1 du TdT" : null);
            moveTo(c, e, target, tdtStatus, "posté, transaction " + transactionId, set, now);
            return lockEntry(c, id);
        });
    }

    /**
     * POSTING → PREPARED: the lookup at the TdT proved the interrupted POST never created a transaction,
     * so the acte may be posted again.
     */
    public JournalEntry revertToPrepared(long id, String detail) {
        return revertToPrepared(id, detail, Optional.empty());
    }

    /**
     * As {@link #revertToPrepared(long, String)}; with {@code sendAgainAt}, the acte goes back to the sending
     * queue ({@link Leases#queueForSending}) for that time: a daemon posts it again.
     */
    public JournalEntry revertToPrepared(long id, String detail, Optional<Instant> sendAgainAt) {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(sendAgainAt, "sendAgainAt");
        return inTransaction("revertToPrepared " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", sendAgainAt.orElse(null));
            set.put("lease_owner", null);
            set.put("lease_until", null);
            moveTo(c, e, TransmissionState.PREPARED, null, detail, set, now);
            return lockEntry(c, id);
        });
    }

    /**
     * As {@link #revertToPrepared(long, String, Optional)}, only if the acte is still as {@code seen} (its state,
     * last change and lease): the lookup of a POSTING acte on the TdT may outlast its lease, and meanwhile another
     * daemon may have found it absent too, put it back in the queue and posted it again; the late "absent" must
     * not undo that post.
     *
     * @return the acte put back, or empty when it had changed since {@code seen} (left as it is)
     */
    public Optional<JournalEntry> revertToPreparedIfUnchanged(JournalEntry seen, String detail, Optional<Instant> sendAgainAt) {
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(sendAgainAt, "sendAgainAt");
        return inTransaction("revertToPrepared " + seen.id(), c -> {
            JournalEntry e = lockEntry(c, seen.id());
            if (e.state() != seen.state() || !e.updatedAt().equals(seen.updatedAt()) || !e.leaseOwner().equals(seen.leaseOwner())
                    || !e.leaseUntil().equals(seen.leaseUntil())) {
                return Optional.<JournalEntry>empty();
            }
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", sendAgainAt.orElse(null));
            set.put("lease_owner", null);
            set.put("lease_until", null);
            moveTo(c, e, TransmissionState.PREPARED, null, detail, set, clock.instant());
            return Optional.of(lockEntry(c, seen.id()));
        });
    }

    /**
     * → ERROR with its reason (French), e.g. the TdT answered {@code KO} to the POST. The TdT keeps the
     * numero interne of a refused acte: a new attempt needs a new number, hence a new entry.
     */
    public JournalEntry recordError(long id, String reason) {
        Objects.requireNonNull(reason, "reason");
        return inTransaction("recordError " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (e.state() == TransmissionState.ERROR && e.lastError().equals(Optional.of(clip(reason)))) return e;
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("last_error", clip(reason));
            set.put("next_poll_at", null);
            moveTo(c, e, TransmissionState.ERROR, null, reason, set, now);
            return lockEntry(c, id);
        });
    }

    // ---------------------------------------------------------------- replies

    /**
     * Records a TdT status code read by a poll. Moves to {@link TransmissionState#fromTdtStatus} when that
     * is a new state ahead of the current one (forward jumps allowed, 1 then 4); a status the journal
     * already knows or is already past (3 after the AR came by e-mail) only updates the stored code.
     * {@code detail} (French, may be empty) becomes the last error for -1.
     *
     * @throws IllegalTransitionException when the status contradicts the state (-1 after the AR)
     * @throws JournalException           (INTERNAL) for a code that means nothing for an outgoing acte
     */
    public JournalEntry recordStatus(long id, int tdtStatus, String detail) {
        return recordStatus(id, tdtStatus, detail, Optional.empty());
    }

    /**
     * A poll's outcome in one transaction: {@link #recordStatus(long, int, String)}, then, while the acte
     * is still pending, its next poll time and the end of the poller's lease.
     */
    public JournalEntry recordPolled(long id, int tdtStatus, String detail, Instant nextPoll) {
        return recordStatus(id, tdtStatus, detail, Optional.of(nextPoll));
    }

    private JournalEntry recordStatus(long id, int tdtStatus, String detail, Optional<Instant> nextPoll) {
        Objects.requireNonNull(detail, "detail");
        TransmissionState target = targetOf(id, tdtStatus);
        return inTransaction("recordStatus " + id, c -> applyStatus(c, id, tdtStatus, target, detail, nextPoll));
    }

    /** One poll's outcome, for {@link #recordPolledAll}. */
    public record Polled(long id, int tdtStatus, String detail, Instant nextPoll) {
        public Polled {
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(nextPoll, "nextPoll");
        }
    }

    /**
     * Several polls' outcomes in one transaction, each as {@link #recordPolled}, and the state of each
     * acte after: a poller writing after every GET would spend more time committing than the TdT takes
     * to answer. The routine outcome (the status already recorded, the acte still pending) is one
     * batched UPDATE; any other goes through the state machine as {@link #recordPolled} does.
     */
    public List<TransmissionState> recordPolledAll(List<Polled> polled) {
        if (polled.isEmpty()) return List.of();
        List<TransmissionState> targets = polled.stream().map(p -> targetOf(p.id(), p.tdtStatus())).toList();
        return inTransaction("recordPolledAll " + polled.size(), c -> {
            // Every row locked first, in id order: two daemons recording overlapping batches (one's leases ran out
            // during a slow round) then wait for each other instead of deadlocking, each locking in its own order.
            lockInIdOrder(c, polled.stream().map(Polled::id).sorted().distinct().toList());
            int[] routine = Leases.rescheduleUnchanged(c, polled, targets, clock.instant());
            List<TransmissionState> out = new ArrayList<>();
            for (int i = 0; i < polled.size(); i++) {
                Polled p = polled.get(i);
                out.add(routine[i] == 1 ? targets.get(i)
                        : applyStatus(c, p.id(), p.tdtStatus(), targets.get(i), p.detail(), Optional.of(p.nextPoll())).state());
            }
            return out;
        });
    }

    private static TransmissionState targetOf(long id, int tdtStatus) {
        return TransmissionState.fromTdtStatus(tdtStatus).orElseThrow(() -> new JournalException(
                Reason.INTERNAL, "Le TdT a renvoyé le statut " + tdtStatus + ", inconnu pour un acte envoyé :"
                + " consultez l'acte sur le TdT.", "unexpected TdT status " + tdtStatus + " for entry " + id));
    }

    private JournalEntry applyStatus(Connection c, long id, int tdtStatus, TransmissionState target, String detail,
                                     Optional<Instant> nextPoll) throws SQLException {
        JournalEntry e = lockEntry(c, id);
        Instant now = clock.instant();
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("tdt_status", tdtStatus);
        set.put("attempts", 0);
        if (target == e.state() || e.state().isAhead(target)) {
            boolean unchanged = e.tdtStatus().equals(Optional.of(tdtStatus)) && e.attempts() == 0;
            if (unchanged && nextPoll.isEmpty()) return e;
            if (e.state() != TransmissionState.ERROR && e.state() != TransmissionState.REJECTED) {
                set.put("last_error", null);
            }
            if (e.state().isPending()) nextPoll.ifPresent(n -> releaseLease(set, n));
            update(c, id, set, now);
            return lockEntry(c, id);
        }
        boolean failed = target == TransmissionState.ERROR || target == TransmissionState.REJECTED;
        set.put("last_error", failed ? clip(detail.isBlank() ? "statut " + tdtStatus + " du TdT" : detail) : null);
        if (!target.isPending()) set.put("next_poll_at", null);
        else nextPoll.ifPresent(n -> releaseLease(set, n));
        moveTo(c, e, target, tdtStatus, detail.isBlank() ? "statut " + tdtStatus + " du TdT" : detail, set, now);
        return lockEntry(c, id);
    }

    private static void releaseLease(Map<String, Object> set, Instant nextPoll) {
        set.put("next_poll_at", nextPoll);
        set.put("lease_owner", null);
        set.put("lease_until", null);
    }

    /**
     * Stores the ARActe (as received) and its DateReception, moving the acte to ACKNOWLEDGED (status 4)
     * unless it is already there or past it (cancellation). Idempotent: the first AR recorded is kept,
     * the same AR recorded again changes nothing.
     *
     * @throws IllegalTransitionException when the acte is PREPARED, in ERROR or REJECTED
     */
    public JournalEntry recordAcknowledgement(long id, String arActeXml, LocalDate dateReception) {
        return recordAcknowledgement(id, arActeXml, dateReception, Optional.empty());
    }

    /**
     * As {@link #recordAcknowledgement(long, String, LocalDate)}; a {@code warning} (French: the AR names another
     * IDActe) is added to the history and kept as the last error, in the same transaction: the AR is recorded all
     * the same, since the prefecture did receive the acte on that date.
     */
    public JournalEntry recordAcknowledgement(long id, String arActeXml, LocalDate dateReception, Optional<String> warning) {
        Objects.requireNonNull(arActeXml, "arActeXml");
        Objects.requireNonNull(dateReception, "dateReception");
        Objects.requireNonNull(warning, "warning");
        requireXmlSize(arActeXml, "ARActe");
        return inTransaction("recordAcknowledgement " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Optional<String> stored = Replies.storedAcknowledgement(c, id);
            if (stored.isPresent()) {
                if (!stored.get().equals(arActeXml)) {
                    log.warn("{}: another ARActe received, the first one recorded is kept", e.idActe());
                }
                return e;
            }
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("ar_acte_xml", arActeXml);
            set.put("date_reception", dateReception);
            set.put("acknowledged_at", now);
            String detail = "ARActe reçu, DateReception " + dateReception;
            if (e.state() == TransmissionState.ACKNOWLEDGED || e.state().isAhead(TransmissionState.ACKNOWLEDGED)) {
                warning.ifPresent(w -> set.put("last_error", clip(w)));
                update(c, id, set, now);
                insertHistory(c, id, e.state(), e.state(), e.tdtStatus().orElse(null), detail, now);
            } else {
                set.put("tdt_status", 4);
                set.put("attempts", 0);
                set.put("last_error", warning.map(w -> clip(w)).orElse(null));
                set.put("next_poll_at", null);
                moveTo(c, e, TransmissionState.ACKNOWLEDGED, 4, detail, set, now);
            }
            JournalEntry after = lockEntry(c, id);
            if (warning.isPresent()) {
                insertHistory(c, id, after.state(), after.state(), after.tdtStatus().orElse(null), warning.get(), now);
            }
            return after;
        });
    }

    /**
     * Stores an AnomalieActe / AnomalieEnveloppe and moves the acte to REJECTED with the reason
     * "Anomalie {nature} : {detail}". Idempotent: the same anomaly (nature, detail, XML) is stored once.
     *
     * @throws IllegalTransitionException when the acte is acknowledged or cancelled
     */
    public JournalEntry recordAnomaly(long id, String nature, String detail, String rawXml) {
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(rawXml, "rawXml");
        requireXmlSize(rawXml, "anomalie");
        String fingerprint = Replies.fingerprint(nature, detail, rawXml);
        return inTransaction("recordAnomaly " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (Replies.hasAnomaly(c, id, fingerprint)) return e;
            Instant now = clock.instant();
            Replies.insertAnomaly(c, id, nature, detail, rawXml, fingerprint, now);
            String reason = clip("Anomalie " + nature + " : " + detail);
            if (e.state() == TransmissionState.REJECTED) {
                insertHistory(c, id, e.state(), e.state(), e.tdtStatus().orElse(null), reason, now);
            } else {
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("last_error", reason);
                set.put("next_poll_at", null);
                moveTo(c, e, TransmissionState.REJECTED, null, reason, set, now);
            }
            return lockEntry(c, id);
        });
    }

    // ---------------------------------------------------------------- cancellation

    /**
     * ACKNOWLEDGED → CANCEL_REQUESTED. <b>Must return before the cancellation is posted</b> (same
     * write-ahead contract as {@link #markPosting}); the acte is then polled until status 0.
     */
    public JournalEntry requestCancel(long id) {
        return cancelRequest(id, null);
    }

    /** As {@link #requestCancel(long)}, naming who asked for the cancellation. */
    public JournalEntry requestCancel(long id, Actor actor) {
        return cancelRequest(id, Objects.requireNonNull(actor, "actor"));
    }

    private JournalEntry cancelRequest(long id, Actor actor) {
        JournalEntry requested = inTransaction("requestCancel " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", now.plus(config.postingGrace()));
            // The poll that saw the AR may have left its lease: the acte is pending again, free to be polled.
            set.put("lease_owner", null);
            set.put("lease_until", null);
            moveTo(c, e, TransmissionState.CANCEL_REQUESTED, null, "annulation demandée", actor, set, now);
            return lockEntry(c, id);
        });
        sql.durable("requestCancel " + id); // before the cancellation's POST
        return requested;
    }

    /** Records the TdT's id of the cancellation transaction, after it answered {@code OK}. Idempotent. */
    public JournalEntry recordCancelPosted(long id, String cancelTransactionId) {
        Objects.requireNonNull(cancelTransactionId, "cancelTransactionId");
        return inTransaction("recordCancelPosted " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (e.state() != TransmissionState.CANCEL_REQUESTED && e.state() != TransmissionState.CANCELLED) {
                throw new IllegalTransitionException(id, e.idActe().value(), e.state(),
                        TransmissionState.CANCEL_REQUESTED);
            }
            if (e.cancelTransactionId().equals(Optional.of(cancelTransactionId))) return e;
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("cancel_transaction_id", cancelTransactionId);
            set.put("next_poll_at", now);
            update(c, id, set, now);
            insertHistory(c, id, e.state(), e.state(), null, "annulation postée, transaction " + cancelTransactionId,
                    now);
            return lockEntry(c, id);
        });
    }

    /** CANCEL_REQUESTED → ACKNOWLEDGED: the TdT refused the cancellation; {@code reason} is kept as last error. */
    public JournalEntry recordCancelRefused(long id, String reason) {
        Objects.requireNonNull(reason, "reason");
        return inTransaction("recordCancelRefused " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("last_error", clip(reason));
            set.put("next_poll_at", null);
            moveTo(c, e, TransmissionState.ACKNOWLEDGED, null, reason, set, now);
            return lockEntry(c, id);
        });
    }

    // ---------------------------------------------------------------- internals

    private void moveTo(Connection c, JournalEntry e, TransmissionState to, Integer tdtStatus, String detail,
                        Map<String, Object> set, Instant now) throws SQLException {
        moveTo(c, e, to, tdtStatus, detail, null, set, now);
    }

    private void moveTo(Connection c, JournalEntry e, TransmissionState to, Integer tdtStatus, String detail, Actor actor,
                        Map<String, Object> set, Instant now) throws SQLException {
        if (!e.state().canMoveTo(to)) {
            throw new IllegalTransitionException(e.id(), e.idActe().value(), e.state(), to);
        }
        set.put("state", to.name());
        update(c, e.id(), set, now);
        insertHistory(c, e.id(), e.state(), to, tdtStatus, detail, actor, now);
        log.info("{}: {} -> {}{}", e.idActe(), e.state(), to, tdtStatus == null ? "" : " (TdT status " + tdtStatus + ")");
    }

    private <T> T inTransaction(String what, Sql.Work<T> work) {
        return sql.inTransaction(what, work);
    }

    private void migrate() {
        SchemaMigrations.migrate(dataSource, config, SchemaMigrations.bundled(), clock);
    }

    private static void requireXmlSize(String xml, String what) {
        if (xml.length() > MAX_XML) {
            throw new JournalException(Reason.INVALID_INPUT,
                    "Le message " + what + " reçu est trop volumineux pour le journal (" + xml.length()
                            + " caractères, maximum " + MAX_XML + ").",
                    what + " XML too large: " + xml.length());
        }
    }
}
