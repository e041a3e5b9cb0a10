package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.simulator.SimulatorPki;

/** One TdT client per account: collectivités on one account share it, each other account has its own. */
class TdtAccountsTest {
    @TempDir
    Path dir;

    @Test
    void collectivitesOnOneAccountShareOneClientAndEachOtherAccountHasItsOwn() throws IOException {
        SimulatorPki pki = new SimulatorPki(dir.resolve("pki"), Clock.systemUTC());
        pki.ensure();
        String password = Files.readString(SimulatorPki.passwordFile(pki.clientKeystore()), StandardCharsets.US_ASCII).strip();
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        Path communes = Files.createDirectories(dir.resolve("communes"));
        Files.writeString(dir.resolve("main.properties"), String.join("\n", "collectivites.dir=communes", "tdt.trigramme=TTT",
                "tdt.url=https://localhost:1", "tdt.client.keystore=" + pki.clientKeystore().toString().replace("\\", "/"),
                "tdt.client.password=" + password, "tdt.login=syndicat", "tdt.password=commun",
                "classification.file=classification-078.xml", "classification.max-age-days=3650",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31",
                "retour.emails=service@syndicat.fr", ""), StandardCharsets.UTF_8);
        commune(communes, "a", "Commune de Houdan", "217803105", "");
        commune(communes, "b", "Commune de Versailles", "217806462", "");
        commune(communes, "c", "Commune de Maulette", "217803816", "tdt.login=maulette\ntdt.password=autre\n"
                + "tdt.confirm.login=maulette-tt\ntdt.confirm.password=tt\n");
        try (ActesConnector connector = new ActesConnector(ConnectorConfig.load(dir.resolve("main.properties"), Map.of()),
                Clock.systemUTC())) {
            assertSame(connector.tdt("217803105"), connector.tdt("217806462"), "one account, one client");
            assertSame(connector.tdt("217803105"), connector.followTdt("217806462"), "no tdt.confirm.login: the same account follows");
            assertNotSame(connector.tdt("217803105"), connector.tdt("217803816"), "another login, another client");
            assertNotSame(connector.tdt("217803816"), connector.followTdt("217803816"), "its confirm account follows");
            assertSame(connector.followTdt("217803816"), connector.followTdt("217803816"));
            ConfigException e = assertThrows(ConfigException.class, () -> connector.tdt("200000172"));
            assertTrue(e.userMessage().contains("200000172 n'est pas dans la configuration"), e.userMessage());
        }
    }

    private static void commune(Path dir, String file, String nom, String siren, String extra) throws IOException {
        Files.writeString(dir.resolve(file + ".properties"), "collectivite.nom=" + nom + "\ncollectivite.siren=" + siren + "\n"
                + extra, StandardCharsets.UTF_8);
    }
}
