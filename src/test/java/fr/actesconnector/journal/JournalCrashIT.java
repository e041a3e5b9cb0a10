package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Secret;

/**
 * A mark committed before a call to the TdT (POSTING before the POST, CANCEL_REQUESTED before the cancellation,
 * an answer's POSTING) must survive the process dying the next instant. H2 writes commits to its file up to
 * its WRITE_DELAY later: each run below marks, then halts the JVM at once, as kill -9 or a power cut of the
 * process would, and the restarted journal must show the mark. Without the flush, most runs lose it.
 */
class JournalCrashIT {
    private static final int RUNS = 4;

    @TempDir
    Path dir;

    /** The child process: makes the mark named by {@code args[1]} on the H2 file {@code args[0]}, then dies. */
    public static void main(String[] args) {
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
