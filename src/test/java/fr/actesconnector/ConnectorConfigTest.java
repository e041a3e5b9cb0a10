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
import java.util.Optional;

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
        assertEquals("Secrétariat de la mairie", c.first().referent().nom(), "the file is read as UTF-8");
        assertEquals(Path.of("config", "classification-078.xml").toAbsolutePath().normalize(), c.first().classificationFile());
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
        assertEquals(List.of("a@mairie.fr", "b@mairie.fr"), c.first().retourEmails());
        assertEquals(dir.resolve("conf").resolve("classif.xml").toAbsolutePath(), c.first().classificationFile());
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
    void theShippedSyndicateConfigurationLoadsAndHoudanStillLoadsAlone() {
        ConnectorConfig syndicat = ConnectorConfig.load(Path.of("config", "syndicat.properties"), Map.of());
        assertEquals(List.of("217803105", "217803816"), syndicat.collectivites().stream().map(CollectiviteConfig::siren).toList());
        Path classification = Path.of("config", "classification-078.xml").toAbsolutePath().normalize();
        syndicat.collectivites().forEach(c -> assertEquals(classification, c.classificationFile(), c.toString()));
        assertEquals("Commune de Maulette", syndicat.of("217803816").collectivite().nom());
        ConnectorConfig alone = ConnectorConfig.load(Path.of("config", "houdan.properties"), Map.of());
        assertEquals(List.of("217803105"), alone.collectivites().stream().map(CollectiviteConfig::siren).toList());
        assertEquals("217803105", alone.select(Optional.empty()).siren(), "one collectivité needs no --collectivite");
    }

    /** A syndicate: shared main file, two communes; what each sets, what each inherits, where its paths lead. */
    private Path syndicate(String mainExtra, String aExtra, String bExtra) throws IOException {
        Path main = write(String.join("\n", "collectivites.dir=communes", "tdt.trigramme=TTT",
                "tdt.client.keystore=plateforme.p12", "classification.file=classif-078.xml",
                "referent.nom=Service commun", "collectivite.departement=078", "collectivite.arrondissement=1",
                "collectivite.nature=31", mainExtra));
        Path communes = Files.createDirectories(main.resolveSibling("communes"));
        Files.writeString(communes.resolve("a-houdan.properties"), String.join("\n", "collectivite.nom=Commune de Houdan",
                "collectivite.siren=217803105", "retour.emails=secretariat@ville-houdan.fr", "signature.keystore=sig-houdan.p12",
                "tdt.login=houdan", aExtra), StandardCharsets.UTF_8);
        Files.writeString(communes.resolve("b-maulette.properties"), String.join("\n", "collectivite.nom=Commune de Maulette",
                "collectivite.siren=217803816", "retour.emails=mairie@maulette.fr", "tdt.client.keystore=maulette.p12",
                "classification.file=../classif-078.xml", bExtra), StandardCharsets.UTF_8);
        Files.writeString(communes.resolve("notes.txt"), "not a collectivité", StandardCharsets.UTF_8);
        return main;
    }

    @Test
    void aCollectiviteInheritsTheMainFileAndItsOwnPathsFollowItsFile() throws IOException {
        Path main = syndicate("", "", "");
        Path conf = main.getParent().toAbsolutePath();
        ConnectorConfig c = ConnectorConfig.load(main, Map.of());
        assertEquals(2, c.collectivites().size(), "only the .properties files, in name order");
        CollectiviteConfig houdan = c.of("217803105");
        CollectiviteConfig maulette = c.of("217803816");
        // inherited from the main file: the value, and a path still meant against the main file's folder
        assertEquals("Service commun", houdan.referent().nom());
        assertEquals("078", maulette.collectivite().departement());
        assertEquals(conf.resolve("plateforme.p12"), houdan.path("tdt.client.keystore").orElseThrow());
        assertEquals(conf.resolve("classif-078.xml"), houdan.classificationFile());
        // set by the collectivité: its value, relative to its own folder
        assertEquals(conf.resolve("communes").resolve("sig-houdan.p12"), houdan.path("signature.keystore").orElseThrow());
        assertEquals(conf.resolve("communes").resolve("maulette.p12"), maulette.path("tdt.client.keystore").orElseThrow());
        assertEquals(conf.resolve("classif-078.xml"), maulette.classificationFile());
        assertEquals(Optional.of("houdan"), houdan.get("tdt.login"));
        assertEquals(Optional.empty(), maulette.get("tdt.login"), "one collectivité's account is not another's");
        assertEquals(Optional.empty(), maulette.get("signature.keystore"));
        assertEquals("Commune de Maulette (SIREN 217803816)", maulette.label());
    }

    @Test
    void environmentOverridesApplyToTheMainFileAndPerSiren() throws IOException {
        Path main = syndicate("tdt.password=du-fichier-principal", "tdt.password=du-fichier-de-houdan", "");
        ConnectorConfig c = ConnectorConfig.load(main, Map.of("ACTES_TDT_PASSWORD", "commun",
                "ACTES_217803816_TDT_LOGIN", "maulette", "ACTES_217803105_SIGNATURE_PASSWORD", "secret-houdan"));
        CollectiviteConfig houdan = c.of("217803105");
        CollectiviteConfig maulette = c.of("217803816");
        assertEquals("du-fichier-de-houdan", houdan.get("tdt.password").orElseThrow(), "its file wins over the main file's");
        assertEquals("commun", maulette.get("tdt.password").orElseThrow(), "inherited after the main file's override");
        assertEquals("maulette", maulette.get("tdt.login").orElseThrow());
        assertEquals("houdan", houdan.get("tdt.login").orElseThrow(), "ACTES_<SIREN>_ concerns that SIREN only");
        assertEquals("secret-houdan", new String(houdan.secret("signature.password").orElseThrow().reveal()));
        assertEquals(Optional.empty(), maulette.get("signature.password"));
        ConnectorConfig again = ConnectorConfig.load(main, Map.of("ACTES_217803105_TDT_PASSWORD", "de-l-environnement"));
        assertEquals("de-l-environnement", again.of("217803105").get("tdt.password").orElseThrow(), "and wins over its file");
        assertEquals("ACTES_217803105_TDT_CLIENT_PASSWORD", ConnectorConfig.envName("217803105", "tdt.client.password"));
        assertFalse(c.toString().contains("secret") || houdan.toString().contains("secret"));
        // one collectivité in the main file: ACTES_<SIREN>_ applies to it as well
        Path single = write(String.join("\n", "collectivite.nom=Houdan", "collectivite.siren=217803105",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31",
                "retour.emails=a@mairie.fr", "classification.file=c.xml", "tdt.trigramme=SIC", "tdt.login=x"));
        assertEquals("y", ConnectorConfig.load(single, Map.of("ACTES_217803105_TDT_LOGIN", "y")).first().get("tdt.login")
                .orElseThrow());
    }

    @Test
    void withSeveralCollectivitesACommandMustNameOne() throws IOException {
        ConnectorConfig c = ConnectorConfig.load(syndicate("", "", ""), Map.of());
        ConfigException missing = assertThrows(ConfigException.class, () -> c.select(Optional.empty()));
        assertEquals("Cette configuration compte 2 collectivités (Commune de Houdan (SIREN 217803105), Commune de Maulette "
                + "(SIREN 217803816)) : indiquez laquelle avec --collectivite SIREN.", missing.userMessage());
        assertEquals("217803816", c.select(Optional.of(" 217803816")).siren());
        ConfigException unknown = assertThrows(ConfigException.class, () -> c.select(Optional.of("217806462")));
        assertTrue(unknown.userMessage().startsWith("La collectivité de SIREN 217806462 n'est pas dans la configuration"),
                unknown.userMessage());
    }

    @Test
    void aCollectiviteFileIsNamedInEachOfItsProblems() throws IOException {
        Path main = syndicate("", "", "");
        Path b = main.resolveSibling("communes").resolve("b-maulette.properties");
        Files.writeString(b, Files.readString(b).replace("217803816", "217803817") + "\njournal.url=jdbc:h2:mem:x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(main, Map.of()));
        assertEquals(2, e.problems().size(), e.problems().toString());
        String where = "« " + Path.of("communes", "b-maulette.properties") + " » : ";
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(where) && p.contains("217803817") && p.contains("Luhn")),
                e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(where) && p.contains("journal.url")
                && p.contains("fichier principal")), e.problems().toString());
    }

    @Test
    void twoFilesForOneSirenOrAnEmptyFolderAreRefused() throws IOException {
        Path main = syndicate("", "", "");
        Path communes = main.resolveSibling("communes");
        Files.writeString(communes.resolve("c-houdan-bis.properties"), Files.readString(communes.resolve("a-houdan.properties")));
        ConfigException twice = assertThrows(ConfigException.class, () -> ConnectorConfig.load(main, Map.of()));
        assertTrue(twice.userMessage().contains("c-houdan-bis.properties") && twice.userMessage().contains("a-houdan.properties"),
                twice.userMessage());
        try (java.util.stream.Stream<Path> files = Files.list(communes)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        ConfigException empty = assertThrows(ConfigException.class, () -> ConnectorConfig.load(main, Map.of()));
        assertTrue(empty.userMessage().contains("collectivites.dir") && empty.userMessage().contains("aucun fichier"),
                empty.userMessage());
    }

    /** The main file and a collectivité's read keys the same way (ConfigValues); only where a missing key belongs differs. */
    @Test
    void theMainFileAndACollectivitesFileReadKeysAlike() throws IOException {
        Path main = syndicate("tdt.proxy=", "referent.telephone=\nclassification.max-age-days=1_000", "");
        ConnectorConfig c = ConnectorConfig.load(main, Map.of());
        CollectiviteConfig houdan = c.of("217803105");
        assertEquals(Optional.empty(), c.get("tdt.proxy"), "a blank value is no value");
        assertEquals(Optional.empty(), houdan.get("referent.telephone"), "a blank value is no value");
        assertEquals(1000, houdan.validationSettings().classificationMaxAgeDays(), "_ separates thousands");
        assertEquals(Optional.empty(), c.path("signature.keystore"));
        assertEquals(main.getParent().toAbsolutePath().resolve("plateforme.p12"), c.path("tdt.client.keystore").orElseThrow());

        Path broken = syndicate("limits.max-archive-bytes=0", "classification.max-age-days=abc", "");
        Path b = broken.resolveSibling("communes").resolve("b-maulette.properties");
        Files.writeString(b, Files.readString(b).replace("retour.emails=mairie@maulette.fr", ""));
        Files.writeString(broken, Files.readString(broken).replace("tdt.trigramme=TTT", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(broken, Map.of()));
        String houdanFile = "« " + Path.of("communes", "a-houdan.properties") + " » : ";
        String mauletteFile = "« " + Path.of("communes", "b-maulette.properties") + " » : ";
        assertEquals(List.of("La valeur « 0 » de limits.max-archive-bytes doit être un nombre entier positif.",
                "La clé « tdt.trigramme » manque dans la configuration (ou la variable ACTES_TDT_TRIGRAMME).",
                houdanFile + "La valeur « abc » de classification.max-age-days doit être un nombre entier positif.",
                mauletteFile + "La clé « retour.emails » manque."), e.problems());
    }

    @Test
    void aMissingFileIsExplained() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConnectorConfig.load(dir.resolve("absent"), Map.of()));
        assertTrue(e.userMessage().contains("introuvable") && e.userMessage().contains("--config"));
    }
}
