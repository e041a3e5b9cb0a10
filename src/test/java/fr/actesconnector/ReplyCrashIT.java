package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.ReplyKind;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.simulator.LetterType;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;

/** {@code reply} crashes at each step, then a restart: exactly one answer reaches the TdT, as for {@code send}. */
class ReplyCrashIT {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.now(), ZoneId.of("Europe/Paris"));
    SimulatedTdt tdt;
    String letter;
    Path response;

    @BeforeEach
    void acknowledgedActeWithALetter() throws IOException {
        tdt = new SimulatedTdt(dir, clock, Pacing.ONE_STEP_PER_POLL, Map.of());
        Files.createDirectories(dir.resolve("docs"));
        response = Houdan.writePdf(dir.resolve("docs").resolve("reponse.pdf"), "Reponse");
        try (ActesConnector c = connector((cp, id) -> { })) {
            long id = c.send(Houdan.acte(dir.resolve("docs")), false).entry().id();
            JournalEntry e = c.journal().entries().findById(id).orElseThrow();
            for (int i = 0; i < 10 && e.state() != TransmissionState.ACKNOWLEDGED; i++) {
                clock.advance(Duration.ofMinutes(10));
                c.poller("test").pollOnce();
                e = c.journal().entries().findById(id).orElseThrow();
            }
            assertEquals(TransmissionState.ACKNOWLEDGED, e.state());
            letter = String.valueOf(tdt.simulator().issueLetter(Long.parseLong(e.transactionId().orElseThrow()),
                    LetterType.DEMANDE_PIECES_COMPLEMENTAIRES));
            assertEquals(1, c.fetchPrefectureDocuments());
        }
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    private ActesConnector connector(ActesConnector.SendProbe probe) {
        return new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock, probe);
    }

    private ActesConnector.Replied reply(ActesConnector c) {
        return c.reply(new IdActe(Houdan.ID_ACTE), letter, ReplyKind.REFUS_PIECES, new Piece(response, new Typologie("99_DC")),
                List.of());
    }

    @ParameterizedTest
    @EnumSource(ActesConnector.Checkpoint.class)
    void crashAtEachStepThenRestartAnswersExactlyOnce(ActesConnector.Checkpoint where) {
        int before = tdt.simulator().transactionCount();
        try (ActesConnector c = connector((cp, id) -> {
            if (cp == where) throw new IllegalStateException("simulated crash at " + where);
        })) {
            assertThrows(IllegalStateException.class, () -> reply(c));
        }
        try (ActesConnector restarted = connector((cp, id) -> { })) {
            ActesConnector.Replied replied = reply(restarted);
            Letters.Answer a = replied.answer();
            assertTrue(a.transactionId().isPresent(), a.toString());
            assertEquals(Letters.AnswerState.POSTED, a.state());
            assertFalse(reply(restarted).posted(), "a third run changes nothing");
        }
        assertEquals(before + 1, tdt.simulator().transactionCount(), "exactly one answer reached the TdT after a crash at " + where);
    }
}
