package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ConfigException;

class ConnectorConfigTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        return Files.writeString(sub.resolve("c.properties"), text, StandardCharsets.UTF_8);
    }

    @Test
    void theShippedHoudanConfigurationLoads() {
        ConnectorConfig c = ConnectorConfig.load(Path.of("config", "houdan.properties"), Map.of());
        assertEquals("217803105", c.collectivite().siren());
        assertEquals("078", c.collectivite().departement());
        assertEquals("Secrétariat de la mairie", c.referent().nom(), "the file is read as UTF-8");
        assertEquals(Path.of("config", "classification-078.xml").toAbsolutePath().normalize(), c.classificationFile());
        assertEquals("TTT", c.trigramme());
    }

    @Test
    void environmentOverridesAnyKeyAndRelativePathsFollowTheFile() throws IOException {
        Path file = write(String.join("\n", "collectivite.nom=Houdan", "collectivite.siren=217803105",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31",
                "retour.emails=a@mairie.fr, b@mairie.fr", "classification.file=classif.xml", "tdt.trigramme=SIC"));
        ConnectorConfig c = ConnectorConfig.load(file, Map.of("ACTES_TDT_TRIGRAMME", "ABC",
                "ACTES_SIGNATURE_PASSWORD", "secret", "ACTES_LIMITS_MAX_ARCHIVE_BYTES", "1000"));
        assertEquals("ABC", c.trigramme());
        assertEquals("secret", new String(c.secret("signature.password").orElseThrow().reveal()));
        assertEquals(1000, c.validationSettings().maxArchiveBytes());
        assertEquals(List.of("a@mairie.fr", "b@mairie.fr"), c.retourEmails());
        assertEquals(dir.resolve("conf").resolve("classif.xml").toAbsolutePath(), c.classificationFile());
        assertEquals("ACTES_TDT_CLIENT_PASSWORD", ConnectorConfig.envName("tdt.client.password"));
        assertEquals("ACTES_CLASSIFICATION_MAX_AGE_DAYS", ConnectorConfig.envName("classification.max-age-days"));
        assertFalse(c.toString().contains("secret"));
    }

    @Test
    void everyProblemIsReportedInFrenchAtOnce() throws IOException {
        Path file = write(String.join("\n", "collectivite.nom=Houdan", "collectivite.siren=217803105",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31",
                "retour.emails=prenom+nom@mairie.fr", "tdt.trigramme=TOOLONG", "limits.max-archive-bytes=-3"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(file, Map.of()));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(e.userMessage().contains("classification.file") && e.userMessage().contains("ACTES_CLASSIFICATION_FILE"));
        assertTrue(e.userMessage().contains("prenom+nom@mairie.fr"));
        assertTrue(e.userMessage().contains("3 lettres ou chiffres"));
        assertTrue(e.userMessage().contains("nombre entier positif"));
    }

    @Test
    void anInvalidSirenInTheConfigurationIsRefused() throws IOException {
        Path file = write(String.join("\n", "collectivite.nom=Houdan", "collectivite.siren=217803106",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31",
                "retour.emails=a@mairie.fr", "classification.file=c.xml", "tdt.trigramme=SIC"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(file, Map.of()));
        assertTrue(e.userMessage().contains("Luhn"), e.userMessage());
    }

    @Test
    void aMissingFileIsExplained() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(dir.resolve("absent"), Map.of()));
        assertTrue(e.userMessage().contains("introuvable") && e.userMessage().contains("--config"));
    }
}
