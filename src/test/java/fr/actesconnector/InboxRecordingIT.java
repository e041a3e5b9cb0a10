package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.inbox.InboxFixtures;
import fr.actesconnector.inbox.IntakeResult;
import fr.actesconnector.inbox.Reply;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;

/** What {@code inbox} records in the journal from the ministry's mails. */
class InboxRecordingIT {
    @TempDir
    Path dir;

    @Test
    void anArInUtf8DeclaredLatin1IsRecordedWithItsAccentsAndAWarning() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-04-29T08:00:00Z"), ZoneId.of("Europe/Paris"));
        try (SimulatedTdt tdt = new SimulatedTdt(dir, clock, Pacing.afterPolls(1000), Map.of());
             ActesConnector c = new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock)) {
            Files.createDirectories(dir.resolve("docs"));
            long id = c.send(Houdan.acte(dir.resolve("docs")), false).entry().id();
            Path eml = dir.resolve("ar.eml");
            Files.write(eml, InboxFixtures.toBytes(InboxFixtures.houdanArMailInUtf8DeclaredLatin1(InboxFixtures.session())));

            IntakeResult result = c.ingestEml(List.of(eml));

            assertEquals(1, result.processed().size(), result.toString());
            assertEquals(TransmissionState.ACKNOWLEDGED, c.journal().entries().findById(id).orElseThrow().state());
            String stored = c.journal().replies().acknowledgement(id).orElseThrow().arActeXml();
            assertTrue(stored.contains("la Société Promosoft"), stored);
            assertFalse(stored.contains("Ã"), "never stored as mojibake: " + stored);
            List<String> warnings = result.processed().get(0).replies().stream().flatMap(r -> r.warnings().stream()).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("lu en UTF-8"), warnings.get(0));
            assertTrue(result.processed().get(0).replies().stream().map(Reply::objet)
                    .anyMatch(o -> o.filter(s -> s.contains("la Société Promosoft")).isPresent()));
        }
    }
}
