package fr.actesconnector.journal;

import fr.actesconnector.model.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one way to the database, shared by the classes that own its tables ({@link Journal},
 * {@link Entries}, {@link Leases}, {@link ActeSearch}, {@link Letters}, {@link ActeFiles}, {@link Replies},
 * {@link Publications}, {@link Counters}): one transaction per call, committed when the work returns, rolled back
 * when it throws; SQL failures become one French {@link JournalException}; parameters bound by type, instants
 * in UTC, typed NULLs for PostgreSQL.
 */
final class Sql {
    private static final Logger log = LoggerFactory.getLogger(Sql.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A typed SQL NULL, so that PostgreSQL knows the parameter's type. */
    record Null(int sqlType) {
    }

    private final DataSource dataSource;
    private final String displayUrl;
    /** {@link System#nanoTime()} when the database stopped answering; null while it answers. */
    private final java.util.concurrent.atomic.AtomicReference<Long> downSince = new java.util.concurrent.atomic.AtomicReference<>();

    Sql(DataSource dataSource, String displayUrl) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.displayUrl = Objects.requireNonNull(displayUrl, "displayUrl");
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                answering();
                return result;
            } catch (SQLException | RuntimeException e) {
                quietlyRollback(c, what);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * An outage (a PostgreSQL restart, a failover) is told once when it starts and once when it ends, whichever
     * thread meets it, rather than by every operation that fails meanwhile; the pool makes new connections by
     * itself when the database is back.
     */
    private void unavailable(String what, SQLException e) {
        if (downSince.compareAndSet(null, System.nanoTime())) {
            log.warn("journal {} unavailable (SQLState {} in {}): operations fail until it answers again",
                    displayUrl, e.getSQLState(), what);
        }
    }

    private void answering() {
        if (downSince.get() == null) return;
        Long since = downSince.getAndSet(null);
        if (since != null) {
            log.warn("journal {} answering again after {} s", displayUrl, (System.nanoTime() - since) / 1_000_000_000L);
        }
    }

    /**
     * Makes what is committed survive the process dying now. H2 writes a commit to its file up to its
     * WRITE_DELAY (500 ms) later, so a process killed meanwhile loses it; a mark that a call to the TdT depends
     * on (POSTING before the POST) is written at once, one write per post rather than a write per commit.
     * PostgreSQL's commit is durable already. A journal served by another process (H2's mixed mode) has the
     * commit in that process already: this one dying loses nothing, and CHECKPOINT asks the server to write.
     */
    void durable(String what) {
        try (Connection c = dataSource.getConnection()) {
            if (!"H2".equals(c.getMetaData().getDatabaseProductName())) return;
            if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
                writeNow(local.getDatabase().getStore().getMvStore());
            } else {
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT");
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw failure(what, e);
        } catch (MVStoreException e) {
            throw failure(what, DbException.toSQLException(e));
        }
    }

    /**
     * CHECKPOINT is {@code MVStore.commit()}: it writes what H2's background writer has not taken yet, and
     * returns at once when that writer took it all, although its chunk may still wait in H2's two write queues
     * (threads H2-serialization and H2-save, slow to run on a loaded machine): a kill then lost the registration
     * and POSTING. {@code executeFilestoreOperation} (an empty one) returns once both queues are empty.
     */
    private static void writeNow(MVStore store) {
        if (!store.isPersistent() || store.isReadOnly()) return; // in memory: nothing to write
        store.commit();
        store.executeFilestoreOperation(() -> {
        });
    }

    private static void quietlyRollback(Connection c, String what) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.warn("journal: rollback of {} failed: {}", what, e.getMessage());
        }
    }

    private JournalException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (isUnavailable(e)) {
            unavailable(what, e);
            return new JournalException(Reason.UNAVAILABLE,
                    "Le journal (" + displayUrl + ") ne répond pas : vérifiez que la base de données est"
                            + " démarrée et joignable, puis relancez la commande.",
                    "journal: " + what + " failed, database unavailable (SQLState " + state + ")", e);
        }
        return new JournalException(Reason.INTERNAL,
                "Le journal n'a pas pu enregistrer l'opération (" + what + ") : erreur de la base de données "
                        + state + ". Relancez la commande ; si l'erreur persiste, transmettez les journaux"
                        + " d'exécution au support.",
                "journal: " + what + " failed (SQLState " + state + "): " + e.getMessage(), e);
    }

    /** Keys per IN list: well under every driver's limit of parameters, one statement per few hundred actes. */
    static final int IN_CHUNK = 500;

    static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<List<Long>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) chunks.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        return chunks;
    }

    @FunctionalInterface
    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface ChunkRead<R> {
        void read(Chunk chunk, R into) throws SQLException;
    }

    /** Up to {@value #IN_CHUNK} ids, read on {@code c}. */
    record Chunk(Connection c, List<Long> ids) {
        /** {@code (?, ?, …)}, a parameter per id. */
        String in() {
            return ids.stream().map(i -> "?").collect(Collectors.joining(", ", "(", ")"));
        }

        /** Runs {@code select}, the ids bound to its first parameters ({@link #in()}) and {@code after} to the next. */
        void rows(String select, Row row, Object... after) throws SQLException {
            List<Object> args = new ArrayList<>(ids);
            args.addAll(Arrays.asList(after));
            try (PreparedStatement ps = c.prepareStatement(select)) {
                bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) row.read(rs);
                }
            }
        }
    }

    /**
     * Reads several actes into {@code into}: a {@link Chunk} of distinct ids at a time, each in a transaction of its
     * own. Rows go into {@code into} as read: a chunk that fails fails the whole call, no part of the map is returned.
     */
    <R> R perChunk(String what, Collection<Long> ids, R into, ChunkRead<R> read) {
        for (List<Long> chunk : chunks(ids)) {
            inTransaction(what + " " + chunk.size(), c -> {
                read.read(new Chunk(c, chunk), into);
                return null;
            });
        }
        return into;
    }

    /** A UNIQUE constraint refused the row (another thread or process inserted the same key first). */
    static boolean isUniqueViolation(Throwable t) {
        return t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState());
    }

    /**
     * The database is away rather than refusing: connection lost (08…), server shutting down or starting
     * (57P01–57P03, what PostgreSQL answers during a restart or a failover), or no connection in time from
     * the pool. The pool drops such connections and makes new ones; the caller may try again later.
     */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P") || e instanceof SQLTransientException;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    static Object nullable(Optional<?> value, int sqlType) {
        return value.isPresent() ? value.get() : new Null(sqlType);
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            int index = i + 1;
            if (arg instanceof Null n) ps.setNull(index, n.sqlType());
            else if (arg instanceof Instant t) ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            else if (arg instanceof String s) ps.setString(index, s);
            else if (arg instanceof Integer n) ps.setInt(index, n);
            else if (arg instanceof Long n) ps.setLong(index, n);
            else if (arg instanceof Boolean b) ps.setBoolean(index, b);
            else if (arg instanceof LocalDate d) ps.setObject(index, d);
            else throw new IllegalArgumentException("unsupported SQL parameter type: " + arg);
        }
    }
}
