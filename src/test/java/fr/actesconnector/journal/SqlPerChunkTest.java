package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Sql#perChunk}, the one loop behind the journal's reads of several actes (sentAt, publications, anomalies,
 * kept files, letters): an IN list of at most {@link Sql#IN_CHUNK} ids a query, each in its own transaction, and
 * the rows of every chunk in the one map. Counted on the connections and statements it asks for.
 */
class SqlPerChunkTest {
    private final List<String> statements = new ArrayList<>();
    private int connections;
    private Connection keepsItOpen;
    private Sql sql;

    @BeforeEach
    void tableOfIds() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:sql-per-chunk-test");
        keepsItOpen = h2.getConnection();
        keepsItOpen.createStatement().execute("CREATE TABLE t AS SELECT X AS id, 'v' || X AS v FROM SYSTEM_RANGE(1, 2000)");
        sql = new Sql(counting(h2), "test");
    }

    @AfterEach
    void drop() throws Exception {
        keepsItOpen.createStatement().execute("DROP ALL OBJECTS");
        keepsItOpen.close();
    }

    @Test
    void noIdsAskForNoConnection() {
        Map<Long, String> into = new TreeMap<>();
        assertSame(into, values(List.of(), into));
        assertEquals(0, connections);
    }

    @Test
    void exactlyOneChunkOfIdsIsOneQuery() {
        Map<Long, String> read = values(ids(1, Sql.IN_CHUNK), new TreeMap<>());
        assertEquals(1, connections);
        assertEquals(List.of(Sql.IN_CHUNK), placeholders());
        assertEquals(Sql.IN_CHUNK, read.size());
        assertEquals("v500", read.get(500L));
    }

    @Test
    void oneIdMoreIsASecondQueryAndTheRowsOfBothAreMerged() {
        List<Long> ids = ids(1, Sql.IN_CHUNK + 1);
        ids.add(0, 42L); // twice: read once
        Map<Long, String> read = values(ids, new TreeMap<>());
        assertEquals(2, connections, "a transaction per chunk");
        assertEquals(List.of(Sql.IN_CHUNK, 1), placeholders());
        assertEquals(ids(1, Sql.IN_CHUNK + 1), List.copyOf(read.keySet()));
        assertEquals("v501", read.get(501L));
    }

    @Test
    void theParametersAfterTheInListAreBoundAfterTheIds() {
        Map<Long, String> read = sql.perChunk("test", ids(1, 3), new TreeMap<Long, String>(), (chunk, out) -> chunk.rows(
                "SELECT id, v FROM t WHERE id IN " + chunk.in() + " AND v <> ?", rs -> out.put(rs.getLong(1), rs.getString(2)),
                "v2"));
        assertEquals(Map.of(1L, "v1", 3L, "v3"), read);
    }

    private Map<Long, String> values(List<Long> ids, Map<Long, String> into) {
        return sql.perChunk("test", ids, into, (chunk, out) -> chunk.rows("SELECT id, v FROM t WHERE id IN " + chunk.in(),
                rs -> out.put(rs.getLong(1), rs.getString(2))));
    }

    private List<Integer> placeholders() {
        return statements.stream().map(s -> (int) s.chars().filter(ch -> ch == '?').count()).toList();
    }

    private static List<Long> ids(long from, long to) {
        return new ArrayList<>(LongStream.rangeClosed(from, to).boxed().toList());
    }

    private DataSource counting(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    Object result = invoke(target, m, args);
                    if (!m.getName().equals("getConnection")) return result;
                    connections++;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (pc, mc, argsc) -> {
                                if (mc.getName().equals("prepareStatement")) statements.add((String) argsc[0]);
                                return invoke(result, mc, argsc);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
