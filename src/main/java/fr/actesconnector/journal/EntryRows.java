package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;

import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Reason;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The acte table's rows as the journal's classes read and write them, inside their caller's transaction: a row
 * inserted, read (or locked) into a {@link JournalEntry}, some of its columns updated, a line added to its
 * history. The state machine is {@link Journal}'s; this is its SQL, shared with {@link Entries}, {@link Leases},
 * {@link ActeSearch}, {@link ActeFiles} and {@link Publications}.
 */
final class EntryRows {
    static final int MAX_TEXT = 4000;

    static final String ACTE_COLUMNS = "id, id_acte, siren, numero, numero_interne, date_decision, nature,"
            + " classification, objet, document_papier, archive_path, state, tdt_transaction_id, tdt_status,"
            + " cancel_transaction_id, attempts, last_error, lease_owner, lease_until, next_poll_at, date_reception,"
            + " created_at, updated_at";

    /**
     * What follows {@code SELECT <columns> FROM}: the table (or the merge of several ranges of it) with its WHERE,
     * ORDER BY and limit, and the parameters; the scale test EXPLAINs them as they are.
     */
    record Query(String from, List<Object> args) {
    }

    private EntryRows() {
    }

    static List<JournalEntry> selectEntries(Connection c, Query q) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ACTE_COLUMNS + " FROM " + q.from())) {
            bind(ps, q.args().toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entries.add(entry(rs));
            }
        }
        return entries;
    }

    /** Inserts the row of a new acte, PREPARED; returns its journal id. */
    static long insertEntry(Connection c, NewActe acte, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte (id_acte, siren, numero,"
                + " numero_interne, date_decision, nature, classification, objet, document_papier, state,"
                + " attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                new String[] {"id"})) {
            bind(ps, acte.idActe().value(), acte.siren(), acte.numero(), acte.numeroInterne(),
                    acte.dateDecision(), acte.nature().name(), acte.classification().toString(),
                    acte.objet(), acte.documentPapier(), TransmissionState.PREPARED.name(), now, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Reads the entry holding its row lock until the transaction ends; unknown id is a caller bug. */
    static JournalEntry lockEntry(Connection c, long id) throws SQLException {
        List<JournalEntry> found = queryEntries(c, "WHERE id = ? FOR UPDATE", id);
        if (found.isEmpty()) {
            throw new JournalException(Reason.INTERNAL,
                    "L'acte n° " + id + " est introuvable dans le journal.", "no journal entry " + id);
        }
        return found.get(0);
    }

    /** Locks the rows of {@code ids} in their order until the transaction ends, {@value Sql#IN_CHUNK} a statement. */
    static void lockInIdOrder(Connection c, List<Long> ids) throws SQLException {
        for (List<Long> some : Sql.chunks(ids)) {
            Sql.Chunk chunk = new Sql.Chunk(c, some);
            chunk.rows("SELECT id FROM acte WHERE id IN " + chunk.in() + " ORDER BY id FOR UPDATE", rs -> {
                // locked as read
            });
        }
    }

    static List<JournalEntry> queryEntries(Connection c, String where, Object... args) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ACTE_COLUMNS + " FROM acte " + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entries.add(entry(rs));
            }
        }
        return entries;
    }

    static JournalEntry entry(ResultSet rs) throws SQLException {
        return new JournalEntry(
                rs.getLong("id"),
                new IdActe(rs.getString("id_acte")),
                rs.getString("siren"),
                rs.getString("numero"),
                rs.getString("numero_interne"),
                rs.getObject("date_decision", LocalDate.class),
                Nature.valueOf(rs.getString("nature")),
                Classification.parse(rs.getString("classification")).orElseThrow(),
                rs.getString("objet"),
                rs.getBoolean("document_papier"),
                Optional.ofNullable(rs.getString("archive_path")).map(Path::of),
                TransmissionState.valueOf(rs.getString("state")),
                Optional.ofNullable(rs.getString("tdt_transaction_id")),
                optionalInt(rs, "tdt_status"),
                Optional.ofNullable(rs.getString("cancel_transaction_id")),
                rs.getInt("attempts"),
                Optional.ofNullable(rs.getString("last_error")),
                Optional.ofNullable(rs.getString("lease_owner")),
                optionalInstant(rs, "lease_until"),
                optionalInstant(rs, "next_poll_at"),
                Optional.ofNullable(rs.getObject("date_reception", LocalDate.class)),
                optionalInstant(rs, "created_at").orElseThrow(),
                optionalInstant(rs, "updated_at").orElseThrow());
    }

    static void update(Connection c, long id, Map<String, Object> set, Instant now) throws SQLException {
        set.put("updated_at", now);
        String assignments = set.keySet().stream().map(k -> k + " = ?").collect(Collectors.joining(", "));
        List<Object> args = new ArrayList<>();
        set.forEach((column, value) -> args.add(value == null ? new Sql.Null(sqlType(column)) : value));
        args.add(id);
        try (PreparedStatement ps = c.prepareStatement("UPDATE acte SET " + assignments + " WHERE id = ?")) {
            bind(ps, args.toArray());
            ps.executeUpdate();
        }
    }

    private static int sqlType(String column) {
        if (column.endsWith("_at") || column.equals("lease_until")) return Types.TIMESTAMP_WITH_TIMEZONE;
        if (column.equals("tdt_status") || column.equals("attempts")) return Types.INTEGER;
        if (column.startsWith("date_")) return Types.DATE;
        return Types.VARCHAR;
    }

    static void insertHistory(Connection c, long id, TransmissionState from, TransmissionState to,
                                      Integer tdtStatus, String detail, Instant now) throws SQLException {
        insertHistory(c, id, from, to, tdtStatus, detail, null, now);
    }

    /** {@code actor} is null for what the TdT and the prefecture did. */
    static void insertHistory(Connection c, long id, TransmissionState from, TransmissionState to,
                                      Integer tdtStatus, String detail, Actor actor, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_history (acte_id, from_state, to_state,"
                + " tdt_status, changed_at, detail, actor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, id, from == null ? new Sql.Null(Types.VARCHAR) : from.name(), to.name(),
                    tdtStatus == null ? new Sql.Null(Types.INTEGER) : tdtStatus, now,
                    detail == null ? new Sql.Null(Types.VARCHAR) : clip(detail),
                    actor == null ? new Sql.Null(Types.VARCHAR) : actor.stored());
            ps.executeUpdate();
        }
    }

    static Optional<Integer> optionalInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static Optional<Integer> optionalInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    static String clip(String text) {
        return clip(text, MAX_TEXT);
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
