package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ConfigException;

/** poll.lease-seconds: how long a killed daemon's actes wait before the others take them. */
class PollSettingsTest {
    @TempDir
    Path dir;

    private PollSettings settings(String extra) throws IOException {
        Path file = Files.writeString(dir.resolve("c.properties"), String.join("\n", "collectivite.nom=Houdan",
                "collectivite.siren=217803105", "collectivite.departement=078", "collectivite.arrondissement=1",
                "collectivite.nature=31", "retour.emails=a@mairie.fr", "classification.file=classif.xml",
                "tdt.trigramme=SIC", extra), StandardCharsets.UTF_8);
        return PollSettings.from(ConnectorConfig.load(file, Map.of()));
    }

    @Test
    void theLeaseIsFiveMinutesUnlessSet() throws IOException {
        assertEquals(Duration.ofMinutes(5), settings("").lease());
        assertEquals(Duration.ofSeconds(20), settings("poll.lease-seconds=20").lease());
        ConfigException e = assertThrows(ConfigException.class, () -> settings("poll.lease-seconds=0"));
        assertTrue(e.userMessage().contains("poll.lease-seconds doit être un nombre entier positif"), e.userMessage());
    }
}
