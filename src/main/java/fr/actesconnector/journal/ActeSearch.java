package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;

import fr.actesconnector.model.NumeroInterne;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The list of actes the web page pages through: filters on collectivité, state, registration time, number,
 * IDActe and objet; a page at a time by keyset (the acte at the edge of the page shown, never an OFFSET), with the
 * number of actes that match. Obtained from {@link Journal#search()}.
 *
 * <p>Built for a journal of hundreds of thousands of actes: each page reads one index in its order and
 * stops after a page. Without a number or IDActe the list is newest first ({@code created_at} index; with
 * one state, that state's index of V8; for one collectivité, the same led by its SIREN, V10); a number or an
 * IDActe is a prefix read as a range of its index (of the collectivité's, with a SIREN),
 * and the actes found are listed in that order (highest first). The count is exact up to
 * {@link #COUNT_LIMIT}, "more than" beyond; without filters it is always exact on H2, which keeps the
 * table's row count (PostgreSQL would read the whole table for it). Only the objet has no index: it is searched with LIKE among the {@link #OBJET_WINDOW} first
 * actes, in the list's order, that match the other filters, and the page tells when that window was full.
 */
public final class ActeSearch {
    /** How many actes, the first in the list's order, an objet search reads at most. */
    public static final int OBJET_WINDOW = 5_000;
    /** Above this many matching actes, a filtered list says "more than" instead of counting them all. */
    public static final int COUNT_LIMIT = 10_000;
    public static final int MAX_PAGE_SIZE = 500;

    // Accents folded in SQL as in Java (fold()); upper case too, for databases whose LOWER is ASCII only.
    private static final String ACCENTED = "àâäáãåéèêëíìîïóòôöõúùûüýÿçñÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝŸÇÑ";
    private static final String PLAIN = "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn";
    private static final String PREFIX_CHARS = "[0-9A-Z_-]+";
    private static final String OBJET = "TRANSLATE(LOWER(objet), '" + ACCENTED + "', '" + PLAIN + "') LIKE ? ESCAPE '!'";

    /**
     * What the list shows: one collectivité (its SIREN; empty = all), states (empty = all), registration time
     * ({@code from} inclusive, {@code to} exclusive), a number prefix (normalised as the TdT's numero interne),
     * an IDActe prefix, words of the objet (case and accents ignored). Blank texts are no filter.
     */
    public record Criteria(Optional<String> siren, Set<TransmissionState> states, Optional<Instant> from,
                           Optional<Instant> to, Optional<String> numero, Optional<String> idActe, Optional<String> objet) {
        public static final Criteria ALL = new Criteria(Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());

        public Criteria {
            siren = Objects.requireNonNull(siren, "siren").map(String::trim).filter(s -> !s.isEmpty());
            states = Set.copyOf(Objects.requireNonNull(states, "states"));
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            numero = Objects.requireNonNull(numero, "numero").map(String::trim).filter(s -> !s.isEmpty());
            idActe = Objects.requireNonNull(idActe, "idActe").map(String::trim).filter(s -> !s.isEmpty());
            objet = Objects.requireNonNull(objet, "objet").map(String::trim).filter(s -> !s.isEmpty());
        }

        /** The actes of the collectivité {@code newSiren} only. */
        public Criteria withSiren(String newSiren) {
            return new Criteria(Optional.of(newSiren), states, from, to, numero, idActe, objet);
        }

        public Criteria withStates(Set<TransmissionState> newStates) {
            return new Criteria(siren, newStates, from, to, numero, idActe, objet);
        }

        public Criteria between(Optional<Instant> newFrom, Optional<Instant> newTo) {
            return new Criteria(siren, states, newFrom, newTo, numero, idActe, objet);
        }

        public Criteria withNumero(String text) {
            return new Criteria(siren, states, from, to, Optional.of(text), idActe, objet);
        }

        public Criteria withIdActe(String text) {
            return new Criteria(siren, states, from, to, numero, Optional.of(text), objet);
        }

        public Criteria withObjet(String text) {
            return new Criteria(siren, states, from, to, numero, idActe, Optional.of(text));
        }
    }

    /** Where a page starts: just after ({@code before = false}) or just before the acte of this journal id. */
    public record Cursor(long id, boolean before) {
        public static Cursor after(long id) {
            return new Cursor(id, false);
        }

        public static Cursor before(long id) {
            return new Cursor(id, true);
        }
    }

    /** The list's order: newest registered first, or by number or IDActe (highest first) when one is searched. */
    public enum Ordering { REGISTRATION, NUMERO, ID_ACTE }

    /**
     * A page of actes in the list's {@code ordering}; {@code total} actes match, or more than that when
     * {@code totalCapped} (it is then {@link #COUNT_LIMIT}); {@code windowed}: the objet was searched among
     * the {@link #OBJET_WINDOW} first actes only; the cursors of the pages around it, when there are any.
     */
    public record Page(List<JournalEntry> entries, long total, boolean totalCapped, boolean windowed,
                       Ordering ordering, Optional<Cursor> previous, Optional<Cursor> next) {
        public Page {
            entries = List.copyOf(entries);
            Objects.requireNonNull(ordering, "ordering");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(next, "next");
        }
    }

    private final Sql sql;
    private final boolean tableCountIsCheap;
    private final int objetWindow;
    private final int countLimit;

    ActeSearch(Sql sql, boolean tableCountIsCheap) {
        this(sql, tableCountIsCheap, OBJET_WINDOW, COUNT_LIMIT);
    }

    /** With smaller bounds, for the tests. */
    ActeSearch(Sql sql, boolean tableCountIsCheap, int objetWindow, int countLimit) {
        this.sql = Objects.requireNonNull(sql, "sql");
        if (objetWindow < 1 || countLimit < 1) throw new IllegalArgumentException("bounds must be positive");
        this.tableCountIsCheap = tableCountIsCheap;
        this.objetWindow = objetWindow;
        this.countLimit = countLimit;
    }

    /** The page of {@code size} actes matching {@code criteria} that {@code cursor} designates (the first without). */
    public Page page(Criteria criteria, Optional<Cursor> cursor, int size) {
        Objects.requireNonNull(criteria, "criteria");
        Objects.requireNonNull(cursor, "cursor");
        if (size < 1 || size > MAX_PAGE_SIZE) throw new IllegalArgumentException("page size out of range: " + size);
        return sql.inTransaction("search", c -> {
            Query q = Query.of(criteria);
            boolean windowed = false;
            if (criteria.objet().isPresent()) {
                // The window: the actes up to the objetWindow-th in the list's order (all when fewer).
                List<Edge> last = edges(c, q.where, q.args, q.order, objetWindow - 1, 2);
                windowed = last.size() > 1;
                q = last.isEmpty() ? q : q.and(q.order.atOrBefore(), q.order.edgeArgs(last.get(0)));
                q = q.and(OBJET, List.of("%" + escapeLike(fold(criteria.objet().get())) + "%"));
            }
            boolean everything = tableCountIsCheap && criteria.equals(Criteria.ALL);
            long total = count(c, q, everything ? Long.MAX_VALUE : countLimit + 1L);
            Counted counted = new Counted(Math.min(total, everything ? total : countLimit), !everything && total > countLimit,
                    windowed);
            return page(c, q, counted, cursor, size);
        });
    }

    /** What a page says of the whole list. */
    private record Counted(long total, boolean capped, boolean windowed) {
        Page page(List<JournalEntry> shown, Ordering ordering, Optional<Cursor> previous, Optional<Cursor> next) {
            return new Page(shown, total, capped, windowed, ordering, previous, next);
        }
    }

    private Page page(Connection c, Query q, Counted counted, Optional<Cursor> cursor, int size)
            throws SQLException {
        Optional<Edge> edge = cursor.isEmpty() ? Optional.empty() : edgeOf(c, q.order, cursor.get().id(), q.siren);
        if (edge.isEmpty()) {
            List<JournalEntry> rows = rows(c, q, false, size + 1);
            boolean more = rows.size() > size;
            List<JournalEntry> shown = more ? rows.subList(0, size) : rows;
            return counted.page(shown, q.order.ordering(), Optional.empty(),
                    more ? Optional.of(Cursor.after(shown.get(size - 1).id())) : Optional.empty());
        }
        boolean before = cursor.get().before();
        List<JournalEntry> rows = rows(c, q.and(before ? q.order.before() : q.order.after(), q.order.edgeArgs(edge.get())),
                before, size + 1);
        if (before) {
            // Less than a page before the cursor: that is the first page, shown full.
            if (rows.size() <= size) return page(c, q, counted, Optional.empty(), size);
            List<JournalEntry> shown = new ArrayList<>(rows.subList(0, size));
            Collections.reverse(shown);
            return counted.page(shown, q.order.ordering(), Optional.of(Cursor.before(shown.get(0).id())),
                    Optional.of(Cursor.after(shown.get(size - 1).id())));
        }
        if (rows.isEmpty()) return page(c, q, counted, Optional.empty(), size);
        boolean more = rows.size() > size;
        List<JournalEntry> shown = more ? rows.subList(0, size) : rows;
        return counted.page(shown, q.order.ordering(), Optional.of(Cursor.before(shown.get(0).id())),
                more ? Optional.of(Cursor.after(shown.get(size - 1).id())) : Optional.empty());
    }

    /** An acte's place in the list: the value of the order's column and its id. */
    private record Edge(Object key, long id) {
    }

    /**
     * The list's order: descending on one indexed column, then the id; {@code lead} are columns every row
     * shares (the one SIREN, the one state filtered), named first so that the database reads the index in order.
     */
    private record Order(String column, List<String> lead) {
        Ordering ordering() {
            return switch (column) {
                case "numero_interne" -> Ordering.NUMERO;
                case "id_acte" -> Ordering.ID_ACTE;
                default -> Ordering.REGISTRATION;
            };
        }

        String desc() {
            return " ORDER BY " + lead.stream().map(l -> l + " DESC, ").collect(Collectors.joining()) + column + " DESC, id DESC";
        }

        String asc() {
            return " ORDER BY " + lead.stream().map(l -> l + ", ").collect(Collectors.joining()) + column + ", id";
        }

        // The redundant bound on the column alone lets the index range start at the edge.
        String after() {
            return column + " <= ? AND (" + column + " < ? OR id < ?)";
        }

        String before() {
            return column + " >= ? AND (" + column + " > ? OR id > ?)";
        }

        String atOrBefore() {
            return column + " >= ? AND (" + column + " > ? OR id >= ?)";
        }

        List<Object> edgeArgs(Edge e) {
            return List.of(e.key(), e.key(), e.id());
        }

        Edge edge(ResultSet rs) throws SQLException {
            Object key = column.equals("created_at") ? rs.getObject(1, OffsetDateTime.class).toInstant() : rs.getString(1);
            return new Edge(key, rs.getLong(2));
        }
    }

    /** The place of the acte {@code id}; none for an acte of another collectivité than the list's (a cursor of elsewhere). */
    private static Optional<Edge> edgeOf(Connection c, Order order, long id, Optional<String> siren) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + order.column() + ", id FROM acte WHERE id = ?"
                + (siren.isPresent() ? " AND siren = ?" : ""))) {
            if (siren.isPresent()) bind(ps, id, siren.get());
            else bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(order.edge(rs)) : Optional.empty();
            }
        }
    }

    /** The places of {@code count} actes from the {@code skip}-th (0-based) in the list's order. */
    private static List<Edge> edges(Connection c, String where, List<Object> args, Order order, int skip, int count)
            throws SQLException {
        List<Edge> edges = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + order.column() + ", id FROM acte WHERE " + where
                + order.desc() + " OFFSET " + skip + " ROWS FETCH NEXT " + count + " ROWS ONLY")) {
            bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) edges.add(order.edge(rs));
            }
        }
        return edges;
    }

    private static List<JournalEntry> rows(Connection c, Query q, boolean ascending, int limit) throws SQLException {
        List<Object> args = new ArrayList<>(q.args);
        args.add(limit);
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(rowsSql(q, ascending))) {
            bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entries.add(EntryRows.entry(rs));
            }
        }
        return entries;
    }

    private static String rowsSql(Query q, boolean ascending) {
        return "SELECT " + EntryRows.ACTE_COLUMNS + " FROM acte WHERE " + q.where
                + (ascending ? q.order.asc() : q.order.desc()) + " FETCH FIRST ? ROWS ONLY";
    }

    /** The first page's SELECT without the objet and its parameters (the page size last), for the tests of its plan. */
    static java.util.Map.Entry<String, List<Object>> firstPageSql(Criteria criteria, int size) {
        Query q = Query.of(criteria);
        List<Object> args = new ArrayList<>(q.args);
        args.add(size);
        return java.util.Map.entry(rowsSql(q, false), args);
    }

    /** The SELECT of the page just after the acte at ({@code key}, {@code id}) in the list's order, for the tests of its plan. */
    static java.util.Map.Entry<String, List<Object>> pageAfterSql(Criteria criteria, Object key, long id, int size) {
        Query q = Query.of(criteria);
        q = q.and(q.order.after(), q.order.edgeArgs(new Edge(key, id)));
        List<Object> args = new ArrayList<>(q.args);
        args.add(size);
        return java.util.Map.entry(rowsSql(q, false), args);
    }

    /** The matching actes, counted up to {@code limit} (reading at most that many index entries). */
    private static long count(Connection c, Query q, long limit) throws SQLException {
        String sql = limit == Long.MAX_VALUE ? "SELECT COUNT(*) FROM acte WHERE " + q.where
                : "SELECT COUNT(*) FROM (SELECT id FROM acte WHERE " + q.where + " FETCH FIRST " + limit + " ROWS ONLY) t";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, q.args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The conditions of a search on the acte table, their parameters, and the list's order. */
    private record Query(String where, List<Object> args, Order order, Optional<String> siren) {
        Query and(String condition, List<Object> more) {
            List<Object> all = new ArrayList<>(args);
            all.addAll(more);
            return new Query(where + " AND " + condition, all, order, siren);
        }

        static Query of(Criteria criteria) {
            StringBuilder where = new StringBuilder("1 = 1");
            List<Object> args = new ArrayList<>();
            List<String> lead = new ArrayList<>();
            criteria.siren().ifPresent(siren -> {
                where.append(" AND siren = ?");
                args.add(siren);
                lead.add("siren");
            });
            if (!criteria.states().isEmpty()) {
                where.append(" AND state IN (")
                        .append(criteria.states().stream().map(s -> "?").collect(Collectors.joining(", "))).append(')');
                criteria.states().stream().map(Enum::name).sorted().forEach(args::add);
            }
            criteria.from().ifPresent(from -> {
                where.append(" AND created_at >= ?");
                args.add(from);
            });
            criteria.to().ifPresent(to -> {
                where.append(" AND created_at < ?");
                args.add(to);
            });
            criteria.numero().ifPresent(n -> prefix(where, args, "numero_interne", NumeroInterne.normalize(n)));
            criteria.idActe().ifPresent(id -> prefix(where, args, "id_acte", id.toUpperCase(Locale.ROOT)));
            Order order;
            if (criteria.idActe().isPresent()) {
                order = new Order("id_acte", List.copyOf(lead));
            } else if (criteria.numero().isPresent()) {
                order = new Order("numero_interne", List.copyOf(lead));
            } else {
                if (criteria.states().size() == 1) lead.add("state");
                order = new Order("created_at", List.copyOf(lead));
            }
            return new Query(where.toString(), args, order, criteria.siren());
        }

        /**
         * A prefix as a range of the column's index, then LIKE for exactness. The upper bound holds whatever
         * the database's collation: trailing punctuation (ignored by some collations) is dropped, then the
         * last letter or digit is raised in an order all collations share (0-9, then A-Z).
         */
        private static void prefix(StringBuilder where, List<Object> args, String column, String prefix) {
            if (prefix.isEmpty() || !prefix.matches(PREFIX_CHARS)) {
                where.append(" AND 1 = 0");
                return;
            }
            where.append(" AND ").append(column).append(" >= ?");
            args.add(prefix);
            Optional<String> upper = upperBound(prefix);
            if (upper.isPresent()) {
                where.append(" AND ").append(column).append(" < ?");
                args.add(upper.get());
            }
            where.append(" AND ").append(column).append(" LIKE ? ESCAPE '!'");
            args.add(escapeLike(prefix) + "%");
        }
    }

    /** The smallest string above every string starting with {@code prefix} ({@code [0-9A-Z_-]}), if any. */
    static Optional<String> upperBound(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() > 0) {
            int last = b.length() - 1;
            char ch = b.charAt(last);
            if ((ch >= '0' && ch <= '8') || (ch >= 'A' && ch <= 'Y')) {
                b.setCharAt(last, (char) (ch + 1));
                return Optional.of(b.toString());
            }
            if (ch == '9') {
                b.setCharAt(last, 'A');
                return Optional.of(b.toString());
            }
            b.setLength(last); // Z or punctuation: carried to the character before
        }
        return Optional.empty();
    }

    /** Lower case without accents, as the SQL side folds the objet. */
    static String fold(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return s.toLowerCase(Locale.ROOT);
    }

    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
