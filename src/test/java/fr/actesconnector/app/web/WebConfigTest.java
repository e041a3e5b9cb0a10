package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.ConfigException;

/** The web.* keys, and web.tls.* above all: both or neither, the keystore a file beside the configuration. */
class WebConfigTest {
    @TempDir
    Path dir;

    private WebConfig web(String... lines) throws IOException {
        Path file = Files.writeString(dir.resolve("actes.properties"), String.join("\n",
                "collectivite.nom=Houdan", "collectivite.siren=217803105", "collectivite.departement=078",
                "collectivite.arrondissement=1", "collectivite.nature=31", "retour.emails=a@mairie.fr",
                "classification.file=classif.xml", "tdt.trigramme=TTT", String.join("\n", lines)), StandardCharsets.UTF_8);
        return WebConfig.from(ConnectorConfig.load(file, Map.of()), Optional.empty());
    }

    @Test
    void withoutTlsKeysThePageIsPlainHttpOnLoopback() throws IOException {
        WebConfig c = web();
        assertTrue(c.tls().isEmpty());
        assertFalse(c.reachableFromNetwork());
        assertTrue(web("web.bind=0.0.0.0").reachableFromNetwork());
        assertTrue(web("web.bind=192.168.1.10").reachableFromNetwork());
        assertFalse(web("web.bind=::1").reachableFromNetwork());
    }

    @Test
    void theKeystoreIsResolvedBesideTheConfigurationWithItsPassword() throws IOException {
        Files.writeString(dir.resolve("page.p12"), "x");
        WebConfig c = web("web.tls.keystore=page.p12", "web.tls.password=secret");
        assertEquals(dir.resolve("page.p12").toAbsolutePath().normalize(), c.tls().orElseThrow().keystore().toAbsolutePath());
        assertEquals("secret", new String(c.tls().orElseThrow().password().reveal()));
    }

    @Test
    void halfATlsSettingIsRefusedInFrench() throws IOException {
        Files.writeString(dir.resolve("page.p12"), "x");
        ConfigException noPassword = assertThrows(ConfigException.class, () -> web("web.tls.keystore=page.p12"));
        assertTrue(noPassword.problems().contains("web.tls.password est obligatoire avec web.tls.keystore : le mot de "
                + "passe du fichier PKCS#12."), noPassword.problems().toString());
        ConfigException noKeystore = assertThrows(ConfigException.class, () -> web("web.tls.password=secret"));
        assertTrue(noKeystore.problems().get(0).startsWith("web.tls.password est indiqué sans web.tls.keystore"),
                noKeystore.problems().toString());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> web("web.tls.keystore=absent.p12", "web.tls.password=secret"));
        assertTrue(missing.problems().get(0).startsWith("web.tls.keystore : fichier introuvable ("), missing.problems().toString());
    }
}
