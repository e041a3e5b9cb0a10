package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ConfigException;

/** {@link ActesConnector#oneShot}: what {@code status} opens, lighter than the constructor's connector and no less correct. */
class OneShotConnectorTest {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void houdan() throws IOException {
        config = dir.resolve("houdan.properties");
        Files.copy(Path.of("config", "houdan.properties"), config);
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
    }

    private ConnectorConfig load() {
        return ConnectorConfig.load(config, Map.of());
    }

    @Test
    void itReadsTheClassificationOnlyWhenAskedAndStillRefusesAMissingOne() throws IOException {
        Files.delete(dir.resolve("classification-078.xml"));
        ConfigException eager = assertThrows(ConfigException.class, () -> new ActesConnector(load(), Clock.systemUTC()));
        assertTrue(eager.userMessage().contains("classification-078.xml"), eager.userMessage());
        try (ActesConnector oneShot = ActesConnector.oneShot(load(), Clock.systemUTC())) {
            ConfigException late = assertThrows(ConfigException.class, oneShot::catalogue);
            assertEquals(eager.userMessage(), late.userMessage(), "the same French message, when it is needed");
        }
    }

    @Test
    void itReadsTheClassificationAtFirstUse() {
        try (ActesConnector oneShot = ActesConnector.oneShot(load(), Clock.systemUTC());
             ActesConnector eager = new ActesConnector(load(), Clock.systemUTC())) {
            assertEquals(eager.catalogue().dateClassification(), oneShot.catalogue().dateClassification());
            assertTrue(oneShot.catalogue("217803105").matiere(fr.actesconnector.model.Classification.of(1, 4)).isPresent());
        }
    }
}
