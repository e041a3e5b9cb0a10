package fr.actesconnector.journal;

import static fr.actesconnector.journal.EntryRows.clip;
import static fr.actesconnector.journal.EntryRows.insertHistory;
import static fr.actesconnector.journal.EntryRows.lockEntry;
import static fr.actesconnector.journal.EntryRows.queryEntries;
import static fr.actesconnector.journal.EntryRows.update;
import static fr.actesconnector.journal.Sql.bind;

import fr.actesconnector.journal.EntryRows.Query;
import fr.actesconnector.model.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who works on which acte now: the pollers' and the senders' leases, and the sending queue. A lease keeps an acte
 * from the other daemons sharing the journal while its holder asks the TdT about it; the holder ends it here
 * ({@link #reschedule}, {@link #release}, {@link #recordFailure}) or through the state change it records
 * ({@link Journal#markPosting}, {@link Journal#recordPolled}…), in that change's transaction. Obtained from
 * {@link Journal#leases()}.
 */
public final class Leases {
    private static final Logger log = LoggerFactory.getLogger(Journal.class); // its lines as before the split

    private final Sql sql;
    private final Clock clock;

    Leases(Sql sql, Clock clock) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Leases up to {@code max} pending actes whose next poll time has come and that no live lease holds
     * (expired leases are taken again), for {@code lease}. Rows are chosen with
     * {@code SELECT … FOR UPDATE SKIP LOCKED}, so concurrent pollers sharing one database never lease the
     * same acte. The holder ends the lease with {@link #reschedule} or {@link #release}.
     */
    public List<JournalEntry> leasePending(String owner, int max, Duration lease, Instant now) {
        return leasePending(owner, max, lease, now, now);
    }

    /**
     * As {@link #leasePending(String, int, Duration, Instant)}, taking only the actes due at
     * {@code dueBefore} (the start of a polling round), so that an acte rescheduled during the round
     * is not polled twice in it.
     */
    public List<JournalEntry> leasePending(String owner, int max, Duration lease, Instant dueBefore, Instant now) {
        List<TransmissionState> pending = Arrays.stream(TransmissionState.values())
                .filter(TransmissionState::isPending).toList();
        return lease("leasePending " + owner, pending, owner, max, lease, dueBefore, now);
    }

    /**
     * PREPARED with its archive → in the sending queue from {@code at}: a daemon's sender leases it
     * ({@link #leaseQueued}) and posts it through {@link Journal#markPosting}, which lets one sender only post it.
     * The state stays PREPARED; {@code next_poll_at} holds when it may be sent. Idempotent.
     *
     * @throws JournalException (INTERNAL) when the acte is not PREPARED or has no archive
     */
    public JournalEntry queueForSending(long id, Instant at) {
        Objects.requireNonNull(at, "at");
        return sql.inTransaction("queueForSending " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            if (e.state() != TransmissionState.PREPARED || e.archivePath().isEmpty()) {
                throw new JournalException(Reason.INTERNAL,
                        "L'acte " + e.idActe() + " ne peut pas être mis en file d'envoi : il est " + e.state().label()
                                + (e.archivePath().isEmpty() ? ", sans archive" : "") + ".",
                        e.idActe() + ": cannot queue in state " + e.state() + ", archive " + e.archivePath().isPresent());
            }
            if (e.nextPollAt().isPresent()) return e;
            Instant now = clock.instant();
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", at);
            update(c, id, set, now);
            insertHistory(c, id, e.state(), e.state(), null, "en file d'envoi", now);
            log.info("{}: queued for sending", e.idActe());
            return lockEntry(c, id);
        });
    }

    /**
     * Leases up to {@code max} queued actes ({@link #queueForSending}) whose time has come and that no live
     * lease holds, for {@code lease}, as {@link #leasePending} does: several daemons never lease the same one.
     * The sender then calls {@link Journal#markPosting} (which ends the lease), or {@link #release}.
     */
    public List<JournalEntry> leaseQueued(String owner, int max, Duration lease, Instant now) {
        return lease("leaseQueued " + owner, List.of(TransmissionState.PREPARED), owner, max, lease, now, now);
    }

    /** ix_acte_due (next_poll_at, id): the database reads the due actes in order and stops after the batch. */
    static Query leaseQuery(List<TransmissionState> states, int max, Instant dueBefore, Instant now) {
        List<Object> args = new ArrayList<>();
        states.forEach(s -> args.add(s.name()));
        args.add(dueBefore);
        args.add(now);
        args.add(max);
        return new Query("acte WHERE state IN (" + states.stream().map(s -> "?").collect(Collectors.joining(", ")) + ")"
                + " AND next_poll_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                + " ORDER BY next_poll_at, id FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED", args);
    }

    private List<JournalEntry> lease(String what, List<TransmissionState> states, String owner, int max, Duration lease,
                                     Instant dueBefore, Instant now) {
        Objects.requireNonNull(dueBefore, "dueBefore");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        if (max < 1) throw new IllegalArgumentException("max must be positive: " + max);
        Query due = leaseQuery(states, max, dueBefore, now);
        return sql.inTransaction(what, c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + due.from())) {
                bind(ps, due.args().toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
            }
            if (ids.isEmpty()) return List.of();
            // The rows are locked by the query above: one UPDATE and one read for the whole batch.
            String in = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
            List<Object> args = new ArrayList<>(List.of(clip(owner, 200), now.plus(lease)));
            args.addAll(ids);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE acte SET lease_owner = ?, lease_until = ? WHERE id IN (" + in + ")")) {
                bind(ps, args.toArray());
                ps.executeUpdate();
            }
            Map<Long, JournalEntry> byId = new java.util.HashMap<>();
            for (JournalEntry e : queryEntries(c, "WHERE id IN (" + in + ")", ids.toArray())) byId.put(e.id(), e);
            return ids.stream().map(byId::get).toList();
        });
    }

    /**
     * The routine outcome of polls, in the caller's transaction ({@link Journal#recordPolledAll}): each acte still
     * pending whose state and status are those polled ({@code targets}) gets its next poll and loses its lease and
     * errors, in one batched UPDATE. Per poll, 1 when so; 0 otherwise, left to the state machine.
     */
    static int[] rescheduleUnchanged(Connection c, List<Journal.Polled> polled, List<TransmissionState> targets,
                                     Instant now) throws SQLException {
        int[] routine = new int[polled.size()];
        try (PreparedStatement ps = c.prepareStatement("UPDATE acte SET attempts = 0, last_error = NULL,"
                + " next_poll_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                + " WHERE id = ? AND state = ? AND tdt_status = ?")) {
            boolean any = false;
            for (int i = 0; i < polled.size(); i++) {
                if (!targets.get(i).isPending()) continue;
                Journal.Polled p = polled.get(i);
                bind(ps, p.nextPoll(), now, p.id(), targets.get(i).name(), p.tdtStatus());
                ps.addBatch();
                any = true;
            }
            if (any) {
                int[] counts = ps.executeBatch();
                for (int i = 0, k = 0; i < polled.size(); i++) {
                    if (targets.get(i).isPending()) routine[i] = counts[k++];
                }
            }
        }
        return routine;
    }

    /** Ends the lease and sets when the acte is next due for polling. */
    public JournalEntry reschedule(long id, Instant nextPoll) {
        Objects.requireNonNull(nextPoll, "nextPoll");
        return sql.inTransaction("reschedule " + id, c -> {
            lockEntry(c, id);
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("next_poll_at", nextPoll);
            set.put("lease_owner", null);
            set.put("lease_until", null);
            update(c, id, set, clock.instant());
            return lockEntry(c, id);
        });
    }

    /** Ends the lease without changing the next poll time. */
    public JournalEntry release(long id) {
        return sql.inTransaction("release " + id, c -> {
            lockEntry(c, id);
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("lease_owner", null);
            set.put("lease_until", null);
            update(c, id, set, clock.instant());
            return lockEntry(c, id);
        });
    }

    /**
     * A call to the TdT about this acte failed (transport, authentication…): counts one more attempt, keeps
     * the error (French) as last error, ends the lease and sets the next poll (the caller's backoff).
     * The state does not change.
     */
    public JournalEntry recordFailure(long id, String error, Instant nextPoll) {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(nextPoll, "nextPoll");
        return sql.inTransaction("recordFailure " + id, c -> {
            JournalEntry e = lockEntry(c, id);
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("attempts", e.attempts() + 1);
            set.put("last_error", clip(error));
            set.put("next_poll_at", nextPoll);
            set.put("lease_owner", null);
            set.put("lease_until", null);
            update(c, id, set, clock.instant());
            return lockEntry(c, id);
        });
    }

    /**
     * Makes every pending acte due at {@code now} (a manual poll asks about all of them, whatever the
     * daemon's schedule); returns how many were moved. Leases are untouched.
     */
    public int makePendingDue(Instant now) {
        Objects.requireNonNull(now, "now");
        List<TransmissionState> pending = Arrays.stream(TransmissionState.values()).filter(TransmissionState::isPending).toList();
        String marks = pending.stream().map(s -> "?").collect(Collectors.joining(", "));
        return sql.inTransaction("makePendingDue", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE acte SET next_poll_at = ? WHERE state IN (" + marks
                    + ") AND (next_poll_at IS NULL OR next_poll_at > ?)")) {
                List<Object> args = new ArrayList<>();
                args.add(now);
                pending.forEach(s -> args.add(s.name()));
                args.add(now);
                bind(ps, args.toArray());
                return ps.executeUpdate();
            }
        });
    }
}
