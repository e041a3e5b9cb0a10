package fr.actesconnector.journal;

import static fr.actesconnector.journal.EntryRows.ACTE_COLUMNS;
import static fr.actesconnector.journal.EntryRows.optionalInt;
import static fr.actesconnector.journal.EntryRows.queryEntries;
import static fr.actesconnector.journal.EntryRows.selectEntries;
import static fr.actesconnector.journal.Sql.bind;
import static fr.actesconnector.journal.Sql.instant;

import fr.actesconnector.journal.EntryRows.Query;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.IdActe;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The actes as the journal recorded them, read: one by its journal id, IDActe, TdT transaction or number; the lists
 * of the commands ({@code status}, {@code export}) and the keyset pages by collectivité; each acte's history. Every
 * method reads in its own transaction and changes nothing; the changes are {@link Journal}'s. Obtained from
 * {@link Journal#entries()}.
 */
public final class Entries {
    private final Sql sql;

    Entries(Sql sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
    }

    public Optional<JournalEntry> findById(long id) {
        return queryOne("findById", "WHERE id = ?", id);
    }

    public Optional<JournalEntry> findByIdActe(IdActe idActe) {
        Objects.requireNonNull(idActe, "idActe");
        return queryOne("findByIdActe", "WHERE id_acte = ?", idActe.value());
    }

    public Optional<JournalEntry> findByTransactionId(String transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        return queryOne("findByTransactionId", "WHERE tdt_transaction_id = ?", transactionId);
    }

    /** The acte a collectivité numbered so; the numero interne is unique per collectivité. */
    public Optional<JournalEntry> findByNumero(String siren, String numeroInterne) {
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(numeroInterne, "numeroInterne");
        return queryOne("findByNumero", "WHERE siren = ? AND numero_interne = ?", siren, numeroInterne);
    }

    /** Matches an AnomalieActe, which carries no IDActe: SIREN, numero interne and decision date. */
    public Optional<JournalEntry> findByNumero(String siren, String numeroInterne, LocalDate dateDecision) {
        Objects.requireNonNull(dateDecision, "dateDecision");
        return queryOne("findByNumero", "WHERE siren = ? AND numero_interne = ? AND date_decision = ?",
                siren, numeroInterne, dateDecision);
    }

    /** Entries matching the filter, newest first. */
    public List<JournalEntry> list(EntryFilter filter) {
        Query q = listQuery(filter);
        return sql.inTransaction("list", c -> selectEntries(c, q));
    }

    /**
     * One page of the list, newest first ({@link EntryQuery}), by collectivité, state, number or period: the keyset
     * list the bench times for one collectivité's actes (the web page's list is {@link Journal#search()}). Each filter
     * reads its index in list order (V9) and the page is found by its key, never by an offset, so a page
     * costs the same whatever the journal's size.
     */
    public EntryPage listPage(EntryQuery query) {
        Query q = pageQuery(query);
        List<JournalEntry> rows = sql.inTransaction("listPage", c -> selectEntries(c, q));
        if (rows.size() <= query.limit()) return new EntryPage(rows, Optional.empty());
        JournalEntry last = rows.get(query.limit() - 1);
        return new EntryPage(rows.subList(0, query.limit()), Optional.of(new EntryQuery.Cursor(last.createdAt(), last.id())));
    }

    static Query listQuery(EntryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return selection(filter.siren().map(Set::of).orElse(Set.of()), filter.states(), Optional.empty(), filter.from(),
                filter.to(), Optional.empty(), filter.limit());
    }

    /** One row more than the page, to know whether another page follows. */
    static Query pageQuery(EntryQuery query) {
        Objects.requireNonNull(query, "query");
        return selection(query.sirens(), query.states(), query.numero(), query.from(), query.to(), query.after(),
                query.limit() + 1);
    }

    private static Query selection(Set<String> sirens, Set<TransmissionState> states, Optional<String> numero,
                                   Optional<Instant> from, Optional<Instant> to, Optional<EntryQuery.Cursor> after, int limit) {
        StringBuilder conditions = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (!sirens.isEmpty()) {
            conditions.append(" AND siren IN (").append(sirens.stream().map(s -> "?").collect(Collectors.joining(", "))).append(')');
            sirens.stream().sorted().forEach(args::add);
        }
        numero.ifPresent(n -> {
            conditions.append(" AND numero_interne = ?");
            args.add(fr.actesconnector.model.NumeroInterne.normalize(n));
        });
        from.ifPresent(f -> {
            conditions.append(" AND created_at >= ?");
            args.add(f);
        });
        to.ifPresent(t -> {
            conditions.append(" AND created_at < ?");
            args.add(t);
        });
        after.ifPresent(a -> {
            // A row comparison, which PostgreSQL reads as one range of the (…, created_at, id) indexes.
            conditions.append(" AND (created_at, id) < (?, ?)");
            args.add(a.createdAt());
            args.add(a.id());
        });
        String order = " ORDER BY created_at DESC, id DESC FETCH FIRST ? ROWS ONLY";
        if (states.size() <= 1) {
            List<Object> all = new ArrayList<>();
            String state = states.isEmpty() ? "" : " AND state = ?";
            states.forEach(s -> all.add(s.name()));
            all.addAll(args);
            all.add(limit);
            return new Query("acte WHERE 1 = 1" + state + conditions + order, all);
        }
        // Several states: one index range of ix_acte_state_created per state, each stopped after the limit, then
        // merged. With state IN (…) the database reads every acte in those states to sort them (a third of the
        // table's pages for ERROR and REJECTED over ten years).
        List<String> branches = new ArrayList<>();
        List<Object> all = new ArrayList<>();
        for (TransmissionState s : states.stream().sorted().toList()) {
            branches.add("(SELECT " + ACTE_COLUMNS + " FROM acte WHERE state = ?" + conditions + order + ")");
            all.add(s.name());
            all.addAll(args);
            all.add(limit);
        }
        all.add(limit);
        return new Query("(" + String.join(" UNION ALL ", branches) + ") per_state" + order, all);
    }

    /** The actes decided between {@code since} and {@code until} (inclusive), by decision date then key. */
    public List<JournalEntry> decidedBetween(LocalDate since, LocalDate until) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        return sql.inTransaction("decidedBetween", c -> queryEntries(c,
                "WHERE date_decision >= ? AND date_decision <= ? ORDER BY date_decision, id", since, until));
    }

    /** Every state change of the acte, oldest first. */
    public List<StateChange> history(long id) {
        return sql.inTransaction("history " + id, c -> {
            List<StateChange> changes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT from_state, to_state, tdt_status, changed_at,"
                    + " detail, actor FROM acte_history WHERE acte_id = ? ORDER BY id")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new StateChange(
                                Optional.ofNullable(rs.getString(1)).map(TransmissionState::valueOf),
                                TransmissionState.valueOf(rs.getString(2)), optionalInt(rs, 3), instant(rs, 4),
                                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)).map(Actor::parse)));
                    }
                }
            }
            return changes;
        });
    }

    /** How many actes are pending (the poller's business: posting, held, on their way, cancel asked). */
    public int countPending() {
        List<TransmissionState> pending = Arrays.stream(TransmissionState.values()).filter(TransmissionState::isPending).toList();
        String marks = pending.stream().map(s -> "?").collect(Collectors.joining(", "));
        return sql.inTransaction("countPending", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM acte WHERE state IN (" + marks + ")")) {
                bind(ps, pending.stream().map(Enum::name).toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * When each of several actes was sent: its first move from POSTING to anything but PREPARED (an interrupted
     * post put back is not a sending), by journal id; absent for an acte never sent. One query per few hundred
     * actes: the list of the web page shows it on every row.
     */
    public Map<Long, Instant> sentAt(java.util.Collection<Long> ids) {
        return sql.perChunk("sentAt", ids, new java.util.HashMap<Long, Instant>(), (chunk, out) -> chunk.rows(
                "SELECT acte_id, changed_at FROM acte_history WHERE id IN (SELECT MIN(id) FROM acte_history"
                        + " WHERE acte_id IN " + chunk.in() + " AND from_state = ? AND to_state <> ? GROUP BY acte_id)",
                rs -> out.put(rs.getLong(1), instant(rs, 2)),
                TransmissionState.POSTING.name(), TransmissionState.PREPARED.name()));
    }

    private Optional<JournalEntry> queryOne(String what, String where, Object... args) {
        return sql.inTransaction(what, c -> queryEntries(c, where, args).stream().findFirst());
    }
}
