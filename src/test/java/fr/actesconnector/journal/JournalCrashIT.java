package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Secret;

/**
 * A mark committed before a call to the TdT (POSTING before the POST, CANCEL_REQUESTED before the cancellation,
 * an answer's POSTING) must survive the process dying the next instant. H2 writes commits to its file up to
 * its WRITE_DELAY later: each run below marks, then halts the JVM at once, as kill -9 would (the operating
 * system keeps what was written; a power cut is another matter), and the restarted journal must show the mark.
 * Without the flush, most runs lose it. A loaded machine may also leave the commit in H2's save queue when the
 * flush comes: one test holds that queue to lose it every time.
 */
class JournalCrashIT {
    private static final int RUNS = 4;

    @TempDir
    Path dir;

    /** The child process: makes the mark named by {@code args[1]} on the H2 file {@code args[0]}, then dies. */
    public static void main(String[] args) throws Exception {
        if (args[1].equals("queued")) commitQueuedThenDie(Path.of(args[0]));
        Journal j = new Journal(config(Path.of(args[0])), Clock.systemUTC());
        String numero = args[2];
        long id = j.register(JournalContract.acte(numero)).entry().id();
        switch (args[1]) {
            case "posting" -> j.markPosting(id);
            case "cancel" -> {
                j.markPosting(id);
                j.recordPosted(id, "4" + numero.substring(numero.length() - 3));
                j.recordAcknowledgement(id, JournalContract.AR_XML, LocalDate.of(2026, 4, 29));
                j.requestCancel(id);
            }
            case "answer" -> {
                long letter = j.letters().record(id, new Letters.NewLetter("DemandePieceComplementaire", LocalDate.of(2026, 5, 12),
                        Optional.of("9" + numero.substring(numero.length() - 3)), Optional.empty(), Optional.empty())).letter().id();
                long answer = j.letters().registerAnswer(letter, "pieces", List.of()).answer().id();
                j.letters().markAnswerPosting(answer);
            }
            default -> throw new IllegalArgumentException(args[1]);
        }
        Runtime.getRuntime().halt(9); // no close, no shutdown hook: what the operating system leaves of a killed process
    }

    /**
     * Commits a row, lets H2's background writer take it while its write waits in H2's save queue (a machine too
     * loaded to run that thread), calls {@link Sql#durable}, dies. Before durable waited for that queue, CHECKPOINT
     * found nothing left to write and returned at once: the row was lost, as the registration and POSTING once were.
     */
    private static void commitQueuedThenDie(Path db) throws Exception {
        DelayedSaveFilePath.register();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:delayedsave:file:" + db);
        Sql sql = new Sql(ds, "crash");
        try (Connection keepsItOpen = ds.getConnection()) {
            sql.inTransaction("create", c -> c.createStatement().execute("CREATE TABLE t(id INT)"));
            sql.durable("create");
            DelayedSaveFilePath.delay(Duration.ofSeconds(5));
            sql.inTransaction("insert", c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
            if (!DelayedSaveFilePath.awaitHeldWrite(Duration.ofSeconds(60))) System.exit(2);
            sql.durable("insert");
            Runtime.getRuntime().halt(9);
        }
    }

    private static JournalConfig config(Path db) {
        return JournalConfig.of("jdbc:h2:file:" + db, "", Secret.of(""));
    }

    private void dieAfter(String mark, String numero) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-cp", classpath, JournalCrashIT.class.getName(), dir.resolve("journal").toString(),
                mark, numero).inheritIO().start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child process ended");
        assertEquals(9, p.exitValue(), "the child halted right after the mark");
    }

    private Journal reopened() {
        return new Journal(config(dir.resolve("journal")), Clock.systemUTC());
    }

    @Test
    void aPostingMarkSurvivesTheProcessDyingRightAfterIt() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            String numero = "2026_DEC_10" + run;
            dieAfter("posting", numero);
            try (Journal j = reopened()) {
                JournalEntry e = j.entries().findByIdActe(JournalContract.acte(numero).idActe()).orElseThrow(
                        () -> new AssertionError("the registration was lost"));
                assertEquals(TransmissionState.POSTING, e.state(), "run " + run + ": POSTING, committed before the POST, was lost");
            }
        }
    }

    @Test
    void aCommitStillInH2sSaveQueueSurvivesTheProcessDyingRightAfterDurable() throws Exception {
        dieAfter("queued", "-");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("journal"));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the commit that durable returned on was lost");
        }
    }

    @Test
    void aCancelRequestSurvivesTheProcessDyingRightAfterIt() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            String numero = "2026_DEC_20" + run;
            dieAfter("cancel", numero);
            try (Journal j = reopened()) {
                assertEquals(TransmissionState.CANCEL_REQUESTED, j.entries().findByIdActe(JournalContract.acte(numero).idActe()).orElseThrow().state(),
                        "run " + run + ": CANCEL_REQUESTED, committed before the cancellation's POST, was lost");
            }
        }
    }

    @Test
    void anAnswersPostingMarkSurvivesTheProcessDyingRightAfterIt() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            String numero = "2026_DEC_30" + run;
            dieAfter("answer", numero);
            try (Journal j = reopened()) {
                long acte = j.entries().findByIdActe(JournalContract.acte(numero).idActe()).orElseThrow().id();
                Letters.Letter letter = j.letters().ofActe(acte).get(0);
                assertEquals(Letters.AnswerState.POSTING, j.letters().answerOf(letter.id()).orElseThrow().state(),
                        "run " + run + ": the answer's POSTING, committed before its POST, was lost");
            }
        }
    }
}
