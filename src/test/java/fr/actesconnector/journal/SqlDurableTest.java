package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Sql#durable} on an H2 file: what is committed is written when it returns, even when H2's background
 * writer took the commit first and its write still waits in H2's save queue (a loaded machine: the registration
 * and POSTING lost once by JournalCrashIT). A CHECKPOINT alone returns at once then, having nothing left to write.
 */
class SqlDurableTest {
    private static final Duration HELD = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @AfterEach
    void noMoreDelay() {
        DelayedSaveFilePath.delay(Duration.ZERO);
    }

    @Test
    void aCommitStillInH2sSaveQueueIsWrittenWhenDurableReturns() throws Exception {
        DelayedSaveFilePath.register();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:delayedsave:file:" + dir.resolve("journal"));
        Sql sql = new Sql(ds, "test");
        try (Connection keepsItOpen = ds.getConnection()) {
            sql.inTransaction("create", c -> c.createStatement().execute("CREATE TABLE t(id INT)"));
            sql.durable("create");

            DelayedSaveFilePath.delay(HELD);
            sql.inTransaction("insert", c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
            assertTrue(DelayedSaveFilePath.awaitHeldWrite(Duration.ofSeconds(60)), "H2's background writer took the commit");
            sql.durable("insert");
            assertEquals(0, DelayedSaveFilePath.heldWrites(), "durable returned while the commit waited in H2's save queue");
        }
    }

    @Test
    void anInMemoryDatabaseHasNothingToWriteAndStaysOpen() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:sql-durable-test");
        Sql sql = new Sql(ds, "test");
        try (Connection keepsItOpen = ds.getConnection()) {
            sql.inTransaction("create", c -> c.createStatement().execute("CREATE TABLE t(id INT)"));
            sql.inTransaction("insert", c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
            sql.durable("insert");
            assertEquals(1, (int) sql.<Integer>inTransaction("count", c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }));
        }
    }
}
