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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;

/** The façade against the project's TdT simulator: once-only sending, crashes, polling, anomalies, cancel. */
class ActesConnectorIT {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.now(), ZoneId.of("Europe/Paris"));
    SimulatedTdt tdt;
    Acte acte;

    @BeforeEach
    void start() throws IOException {
        tdt = new SimulatedTdt(dir, clock, Pacing.ONE_STEP_PER_POLL, Map.of());
        Files.createDirectories(dir.resolve("docs"));
        acte = Houdan.acte(dir.resolve("docs"));
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    private ActesConnector connector() {
        return new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock);
    }

    private ActesConnector connector(ActesConnector.SendProbe probe) {
        return new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock, probe);
    }

    private JournalEntry pollUntilSettled(ActesConnector c, long id) {
        JournalEntry e = c.journal().entries().findById(id).orElseThrow();
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            clock.advance(Duration.ofMinutes(10));
            c.poller("test").pollOnce();
            e = c.journal().entries().findById(id).orElseThrow();
        }
        return e;
    }

    @Test
    void sendingTwicePostsOnceAndTheSecondRunShowsTheState() {
        try (ActesConnector c = connector()) {
            ActesConnector.Sent first = c.send(acte, false);
            assertTrue(first.posted());
            assertEquals(Houdan.ID_ACTE, first.entry().idActe().value());
            assertEquals(TransmissionState.POSTED, first.entry().state());
            ActesConnector.Sent second = c.send(acte, false);
            assertFalse(second.posted());
            assertEquals(first.transactionId(), second.transactionId());
        }
        try (ActesConnector restarted = connector()) {
            assertFalse(restarted.send(acte, false).posted());
        }
        assertEquals(1, tdt.simulator().transactionCount());
    }

    /** A crash (an exception standing for the process dying) at each step, then a restart: exactly one post. */
    @ParameterizedTest
    @EnumSource(ActesConnector.Checkpoint.class)
    void crashAtEachStepThenRestartPostsExactlyOnce(ActesConnector.Checkpoint where) {
        IllegalStateException crash = new IllegalStateException("simulated crash at " + where);
        try (ActesConnector c = connector((cp, id) -> {
            if (cp == where) throw crash;
        })) {
            assertThrows(IllegalStateException.class, () -> c.send(acte, false));
        }
        try (ActesConnector restarted = connector()) {
            ActesConnector.Sent sent = restarted.send(acte, false);
            JournalEntry e = restarted.journal().entries().findByIdActe(new IdActe(Houdan.ID_ACTE)).orElseThrow();
            assertTrue(e.transactionId().isPresent(), e.toString());
            assertTrue(e.state() == TransmissionState.POSTED || e.state().isAhead(TransmissionState.POSTED), e.state().name());
            assertEquals(e.transactionId(), sent.entry().transactionId());
            // and a third run changes nothing
            assertFalse(restarted.send(acte, false).posted());
        }
        assertEquals(1, tdt.simulator().transactionCount(), "exactly one post reached the TdT after a crash at " + where);
    }

    @Test
    void aPosterThatDiedMidPostIsResolvedByThePollerWithoutASecondPost() {
        try (ActesConnector c = connector((cp, id) -> {
            if (cp == ActesConnector.Checkpoint.CREATED) throw new IllegalStateException("crash");
        })) {
            assertThrows(IllegalStateException.class, () -> c.send(acte, false));
            assertEquals(TransmissionState.POSTING, c.journal().entries().findByIdActe(new IdActe(Houdan.ID_ACTE)).orElseThrow().state());
        }
        try (ActesConnector daemon = connector()) {
            JournalEntry e = daemon.journal().entries().findByIdActe(new IdActe(Houdan.ID_ACTE)).orElseThrow();
            e = pollUntilSettled(daemon, e.id());
            assertEquals(TransmissionState.ACKNOWLEDGED, e.state());
        }
        assertEquals(1, tdt.simulator().transactionCount());
    }

    @Test
    void pollingFollowsTheLifecycleToTheArWithStampedPdfAndBordereau() {
        try (ActesConnector c = connector()) {
            long id = c.send(acte, false).entry().id();
            JournalEntry e = pollUntilSettled(c, id);
            assertEquals(TransmissionState.ACKNOWLEDGED, e.state());
            assertEquals(4, e.tdtStatus().orElseThrow());
            assertTrue(e.dateReception().isPresent());
            assertTrue(c.journal().replies().acknowledgement(id).orElseThrow().arActeXml().contains(Houdan.ID_ACTE));
            List<ReceivedDocument.Kind> kinds = c.journal().files().documents(id).stream().map(ReceivedDocument::kind).toList();
            assertTrue(kinds.containsAll(List.of(ReceivedDocument.Kind.AR, ReceivedDocument.Kind.STAMPED_PDF,
                    ReceivedDocument.Kind.BORDEREAU)), kinds.toString());
            for (ReceivedDocument d : c.journal().files().documents(id)) assertTrue(Files.isRegularFile(d.path()), d.toString());
            List<TransmissionState> path = c.journal().entries().history(id).stream().map(h -> h.to()).toList();
            assertEquals(List.of(TransmissionState.PREPARED, TransmissionState.POSTING, TransmissionState.POSTED,
                    TransmissionState.VALIDATED, TransmissionState.TRANSMITTED, TransmissionState.ACKNOWLEDGED),
                    path.stream().distinct().toList());
        }
    }

    @Test
    void anAnomalieActeFromThePrefectureRejectsTheActe() {
        tdt.simulator().failNextWithAnomalie(Houdan.NUMERO_INTERNE, "002", "ODT-VERIF-01 : classification date not up to date");
        try (ActesConnector c = connector()) {
            long id = c.send(acte, false).entry().id();
            JournalEntry e = pollUntilSettled(c, id);
            assertEquals(TransmissionState.REJECTED, e.state());
            assertEquals("002", c.journal().replies().anomalies(id).get(0).nature());
            assertTrue(c.journal().replies().anomalies(id).get(0).detail().contains("ODT-VERIF-01"));
            assertFalse(c.send(acte, false).posted(), "a rejected acte is never re-posted under the same number");
        }
    }

    @Test
    void aNumberTheTdtAlreadyHasIsRefusedRecordedAndNotRetried() {
        try (ActesConnector other = new ActesConnector(ConnectorConfig.load(tdt.config(),
                Map.of("ACTES_JOURNAL_URL", "jdbc:h2:file:" + dir.resolve("other-journal"))), clock)) {
            other.send(acte, false);
        }
        try (ActesConnector c = connector()) {
            TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> c.send(acte, false));
            assertTrue(e.userMessage().contains("existe déjà"), e.userMessage());
            JournalEntry entry = c.journal().entries().findByIdActe(new IdActe(Houdan.ID_ACTE)).orElseThrow();
            assertEquals(TransmissionState.ERROR, entry.state());
            assertTrue(entry.lastError().orElseThrow().contains("existe déjà"));
            assertFalse(c.send(acte, false).posted());
        }
        assertEquals(1, tdt.simulator().transactionCount());
    }

    @Test
    void cancellingAnAcknowledgedActe() {
        try (ActesConnector c = connector()) {
            long id = c.send(acte, false).entry().id();
            assertThrows(fr.actesconnector.model.ActesException.class, () -> c.cancel(id), "not before the AR");
            assertEquals(TransmissionState.ACKNOWLEDGED, pollUntilSettled(c, id).state());
            assertEquals(TransmissionState.CANCEL_REQUESTED, c.cancel(id).state());
            JournalEntry e = c.journal().entries().findById(id).orElseThrow();
            for (int i = 0; i < 10 && e.state() != TransmissionState.CANCELLED; i++) {
                clock.advance(Duration.ofMinutes(30));
                c.poller("test").pollOnce();
                e = c.journal().entries().findById(id).orElseThrow();
            }
            assertEquals(TransmissionState.CANCELLED, e.state());
        }
    }

    @Test
    void aDefereFromTheTdtIsKeptAsALetterDatedByItsDateDepot() {
        try (ActesConnector c = connector()) {
            long id = c.send(acte, false).entry().id();
            JournalEntry e = pollUntilSettled(c, id);
            assertEquals(TransmissionState.ACKNOWLEDGED, e.state());
            tdt.simulator().issueLetter(Long.parseLong(e.transactionId().orElseThrow()),
                    fr.actesconnector.simulator.LetterType.DEFERE_TRIBUNAL_ADMINISTRATIF, "Incompétence");
            assertEquals(1, c.fetchPrefectureDocuments());
            List<fr.actesconnector.journal.Letters.Letter> letters = c.journal().letters().ofActe(id);
            assertEquals(1, letters.size());
            assertEquals("DefereTA", letters.get(0).type());
            assertEquals(java.time.LocalDate.now(clock), letters.get(0).dateCourrierPref());
            assertEquals(java.util.Optional.of("Incompétence"), letters.get(0).text());
            assertTrue(c.legalClock(e).defere(), "the legal clock sees the déféré");
        }
    }

    @Test
    void classificationUpdateReplacesTheFileAndKeepsTheOldOne() throws IOException {
        Path file = tdt.dir().resolve("classification-078.xml");
        String before = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        try (ActesConnector c = connector()) {
            ActesConnector.ClassificationUpdate u = c.updateClassification(true);
            assertEquals(java.time.LocalDate.of(2026, 11, 20), u.current().dateClassification());
            Path backup = u.backup().orElseThrow();
            assertEquals(before, Files.readString(backup, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertTrue(Files.isRegularFile(file));
            assertTrue(c.catalogue().matiereLabel(fr.actesconnector.model.Classification.of(1, 4)).isPresent());
        }
    }
}
