package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.MutableClock;

/**
 * The benchmark's synthetic journal, small and on H2: each acte as its Javadoc says, read back through the journal
 * ({@code JournalScaleIT} fills 100 000 of them on PostgreSQL and times the queries, not the rows).
 */
class SyntheticJournalTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final int ACTES = 250;
    private static final int COLLECTIVITES = 3;

    @TempDir
    Path dir;

    private JournalConfig config(String name) {
        // A user and a password, as a PostgreSQL journal has: the filler must connect with them.
        return JournalConfig.of("jdbc:h2:file:" + dir.resolve(name), "bench", Secret.of("mot de passe"));
    }

    @Test
    void eachActeIsWhatTheFillerSaysAndTheJournalGoesOnAfterThem() {
        JournalConfig config = config("j");
        try (Journal journal = new Journal(config, new MutableClock(NOW))) {
            SyntheticJournal.Summary summary = SyntheticJournal.fill(config, ACTES, COLLECTIVITES, 2, NOW);

            // The last tenth (at most 300) still followed; of the others 1 % in error, 1 % rejected, 2 % cancelled.
            List<String> sirens = List.of("200000008", "200000016", "200000024");
            assertEquals(sirens, summary.sirens(), "the first valid SIRENs from 20000000");
            assertEquals(sirens, SyntheticJournal.sirens(COLLECTIVITES), "the same at each call");
            assertEquals(new SyntheticJournal.Summary(sirens, ACTES, 25 * 3 + 225 * 4, ACTES, 2 * (216 + 4)), summary);
            assertEquals(25, journal.entries().countPending());

            List<JournalEntry> all = journal.entries().listPage(EntryQuery.first(EntryQuery.MAX_LIMIT)).entries();
            assertEquals(ACTES, all.size());
            Map<TransmissionState, Long> byState = all.stream().collect(Collectors.groupingBy(JournalEntry::state,
                    Collectors.counting()));
            assertEquals(Map.of(TransmissionState.TRANSMITTED, 25L, TransmissionState.ERROR, 3L, TransmissionState.REJECTED,
                    2L, TransmissionState.CANCELLED, 4L, TransmissionState.ACKNOWLEDGED, 216L), byState);

            Instant start = NOW.minus(Duration.ofDays(730));
            long span = Duration.ofDays(730).toMillis();
            Map<Long, JournalEntry> byId = all.stream().collect(Collectors.toMap(JournalEntry::id, Function.identity()));
            Map<Long, List<KeptFile>> kept = journal.files().kept(byId.keySet());
            for (int i = 0; i < ACTES; i++) {
                JournalEntry e = byId.get(i + 1L);
                String what = "acte " + i;
                Instant created = start.plusMillis(span * i / ACTES);
                LocalDate decision = LocalDate.ofInstant(created, ZoneOffset.UTC).minusDays(2);
                TransmissionState state = i >= 225 ? TransmissionState.TRANSMITTED : switch (i % 100) {
                    case 17 -> TransmissionState.ERROR;
                    case 42 -> TransmissionState.REJECTED;
                    case 63, 88 -> TransmissionState.CANCELLED;
                    default -> TransmissionState.ACKNOWLEDGED;
                };
                boolean acknowledged = state == TransmissionState.ACKNOWLEDGED || state == TransmissionState.CANCELLED;
                boolean refused = state == TransmissionState.ERROR || state == TransmissionState.REJECTED;
                boolean pending = state == TransmissionState.TRANSMITTED;
                Instant sent = created.plusSeconds(60);
                Instant settled = created.plus(Duration.ofHours(26));

                assertEquals(state, e.state(), what);
                assertEquals(sirens.get(i % COLLECTIVITES), e.siren(), what);
                assertEquals("A" + decision.getYear() + "_" + i / COLLECTIVITES, e.numeroInterne(), what);
                assertEquals(decision, e.dateDecision(), what);
                assertEquals(List.of("DE", "AR", "AI", "CC", "BF", "AU").get(i % 6), e.nature().name(), what);
                assertEquals(created, e.createdAt(), what);
                assertEquals(pending ? sent : settled, e.updatedAt(), what);
                assertEquals(Optional.of(String.valueOf(1_000_000 + i + 1)), e.transactionId(), what);
                assertEquals(Optional.ofNullable(switch (state) {
                    case TRANSMITTED -> 3;
                    case ACKNOWLEDGED -> 4;
                    case CANCELLED -> 0;
                    case ERROR -> -1;
                    default -> null;
                }), e.tdtStatus(), what);
                assertEquals(pending ? Optional.of(NOW.plusSeconds(i % 60 - 30)) : Optional.empty(), e.nextPollAt(), what);
                assertEquals(refused ? Optional.of("Anomalie 002 : classification inconnue") : Optional.empty(), e.lastError(),
                        what);
                assertEquals(acknowledged ? Optional.of(decision.plusDays(3)) : Optional.empty(), e.dateReception(), what);

                List<StateChange> history = journal.entries().history(e.id());
                List<TransmissionState> path = pending
                        ? List.of(TransmissionState.PREPARED, TransmissionState.POSTING, TransmissionState.POSTED)
                        : List.of(TransmissionState.PREPARED, TransmissionState.POSTING, TransmissionState.POSTED, state);
                assertEquals(path, history.stream().map(StateChange::to).toList(), what);
                List<Instant> times = pending ? List.of(created, sent, sent.plusSeconds(1))
                        : List.of(created, sent, sent.plusSeconds(1), settled);
                assertEquals(times, history.stream().map(StateChange::at).toList(), what);
                assertEquals(Optional.of("posté, transaction " + (1_000_000 + i + 1)), history.get(2).detail(), what);
                assertEquals(List.of(String.format("%064x", i)),
                        journal.files().archived(e.id()).stream().map(ArchivedFile::sha256).toList(), what);

                assertEquals(acknowledged ? List.of("archive", "document", "ar", "bordereau") : List.of("archive", "document"),
                        kept.get(e.id()).stream().map(KeptFile::kind).toList(), what);
            }

            // The journal's own keys go on after the synthetic ones.
            assertEquals(ACTES + 1L, journal.register(JournalContract.acte("2026_DEC_020")).entry().id());
        }
    }

    @Test
    void theSirensAreTheValidOneOfEachHeadFrom20000000() {
        // each 8-digit head has exactly one Luhn key; the 10th head needs the key 9
        assertEquals(List.of("200000008", "200000016", "200000024", "200000032", "200000040", "200000057", "200000065",
                "200000073", "200000081", "200000099", "200000107", "200000115"), SyntheticJournal.sirens(12));
    }

    @Test
    void oneOfEachIsEnoughAndNoneIsRefused() {
        JournalConfig config = config("one");
        try (Journal journal = new Journal(config, new MutableClock(NOW))) {
            assertThrows(IllegalArgumentException.class, () -> SyntheticJournal.fill(config, 0, 1, 1, NOW));
            assertThrows(IllegalArgumentException.class, () -> SyntheticJournal.fill(config, 1, 0, 1, NOW));
            assertThrows(IllegalArgumentException.class, () -> SyntheticJournal.fill(config, 1, 1, 0, NOW));
            SyntheticJournal.Summary one = SyntheticJournal.fill(config, 1, 1, 1, NOW);
            assertEquals(new SyntheticJournal.Summary(List.of("200000008"), 1, 4, 1, 2), one, "one acte, acknowledged");
            assertEquals(Set.of(TransmissionState.ACKNOWLEDGED), journal.entries().listPage(EntryQuery.first(10)).entries().stream()
                    .map(JournalEntry::state).collect(Collectors.toSet()));
        }
    }

    @Test
    void aJournalWithoutItsSchemaIsNotFilled() {
        JournalException e = assertThrows(JournalException.class,
                () -> SyntheticJournal.fill(config("vide"), 10, 1, 1, NOW));
        assertEquals(Reason.INTERNAL, e.reason());
    }
}
