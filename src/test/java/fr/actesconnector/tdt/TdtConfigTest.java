package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TdtConfigTest {
    @TempDir
    Path dir;

    private Map<String, String> minimal() throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        Files.write(dir.resolve("certs/client.p12"), new byte[]{1});
        Map<String, String> p = new HashMap<>();
        p.put("tdt.url", "https://s2low.example.fr");
        p.put("tdt.client.keystore", "certs/client.p12");
        p.put("tdt.client.password", "secret");
        return p;
    }

    @Test
    void readsTheKeysWithDefaultsAndResolvesRelativePaths() throws IOException {
        TdtConfig c = TdtConfig.fromProperties(minimal(), dir);
        assertEquals(URI.create("https://s2low.example.fr"), c.url());
        assertEquals(dir.resolve("certs/client.p12"), c.clientKeystore());
        assertEquals(Secret.of("secret"), c.clientPassword());
        assertEquals(Optional.empty(), c.truststore());
        assertEquals(Duration.ofSeconds(60), c.timeout());
        assertEquals(TdtConfig.DEFAULT_MAX_ATTEMPTS, c.maxAttempts());
        assertFalse(c.toString().contains("secret"), "passwords are masked");
    }

    @Test
    void readsOptionalKeys() throws IOException {
        Map<String, String> p = minimal();
        Files.write(dir.resolve("trust.p12"), new byte[]{1});
        p.put("tdt.truststore", "trust.p12");
        p.put("tdt.truststore.password", "t");
        p.put("tdt.login", "mairie-houdan");
        p.put("tdt.password", "pw");
        p.put("tdt.timeout-seconds", "15");
        p.put("tdt.proxy", "http://proxy.mairie.local:3128");
        p.put("tdt.retry.max-attempts", "2");
        TdtConfig c = TdtConfig.fromProperties(p, dir);
        assertEquals(Optional.of(dir.resolve("trust.p12")), c.truststore());
        assertEquals(Optional.of("mairie-houdan"), c.basicLogin());
        assertEquals(Duration.ofSeconds(15), c.timeout());
        assertEquals(Optional.of(URI.create("http://proxy.mairie.local:3128")), c.proxy());
        assertEquals(2, c.maxAttempts());
    }

    @Test
    void gathersEveryProblemInFrench() {
        Map<String, String> p = new HashMap<>();
        p.put("tdt.url", "http://s2low.example.fr");
        p.put("tdt.client.keystore", "missing.p12");
        p.put("tdt.timeout-seconds", "abc");
        p.put("tdt.login", "houdan");
        ConfigException e = assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("tdt.client.keystore : fichier introuvable"), all);
        assertTrue(all.contains("tdt.client.password est obligatoire"), all);
        assertTrue(all.contains("tdt.timeout-seconds doit être un nombre entier"), all);
        assertTrue(all.contains("tdt.url doit être une adresse https://"), all);
        assertTrue(all.contains("tdt.login et tdt.password vont ensemble"), all);
        assertEquals(5, e.problems().size(), all);
    }

    @Test
    void missingUrlIsReported() throws IOException {
        Map<String, String> p = minimal();
        p.remove("tdt.url");
        ConfigException e = assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("tdt.url est obligatoire"));
    }

    @Test
    void builderRefusesPlainHttp() {
        ConfigException e = assertThrows(ConfigException.class, () -> TdtConfig.builder(
                URI.create("http://tdt.example.fr"), dir.resolve("c.p12"), Secret.of("x")).build());
        assertTrue(e.userMessage().contains("https://"));
    }

    @Test
    void truststoreNeedsItsPassword() throws IOException {
        Map<String, String> p = minimal();
        Files.write(dir.resolve("trust.p12"), new byte[]{1});
        p.put("tdt.truststore", "trust.p12");
        ConfigException e = assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir));
        assertTrue(e.userMessage().contains("tdt.truststore.password est obligatoire"));
    }

    @Test
    void readsTheRateLimitPerAccount() throws IOException {
        Map<String, String> p = minimal();
        assertEquals(TdtConfig.DEFAULT_MAX_REQUESTS_PER_SECOND, TdtConfig.fromProperties(p, dir).maxRequestsPerSecond());
        p.put("tdt.max-requests-per-second", "2.5");
        assertEquals(2.5, TdtConfig.fromProperties(p, dir).maxRequestsPerSecond());
        p.put("tdt.max-requests-per-second", "beaucoup");
        ConfigException e = assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir));
        assertEquals(java.util.List.of("tdt.max-requests-per-second doit être un nombre (ex. 10 ou 0.5), reçu : beaucoup"),
                e.problems());
    }

    /** Each range includes its ends: a timeout of one hour, 1 or 10 attempts, equal delays. */
    @Test
    void theEndsOfEachRangeAreAccepted() throws IOException {
        Map<String, String> p = minimal();
        p.put("tdt.timeout-seconds", "3600");
        p.put("tdt.retry.max-attempts", "10");
        p.put("tdt.retry.initial-delay-seconds", "5");
        p.put("tdt.retry.max-delay-seconds", "5");
        TdtConfig c = TdtConfig.fromProperties(p, dir);
        assertEquals(Duration.ofHours(1), c.timeout());
        assertEquals(10, c.maxAttempts());
        p.put("tdt.retry.max-attempts", "1");
        assertEquals(1, TdtConfig.fromProperties(p, dir).maxAttempts());
    }

    @Test
    void beyondTheEndsEachRangeIsRefusedInFrench() throws IOException {
        Map<String, String> p = minimal();
        p.put("tdt.timeout-seconds", "3601");
        p.put("tdt.retry.max-attempts", "11");
        p.put("tdt.retry.initial-delay-seconds", "6");
        p.put("tdt.retry.max-delay-seconds", "5");
        String all = String.join("\n", assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir)).problems());
        assertTrue(all.contains("tdt.timeout-seconds doit être compris entre 1 et 3600 secondes"), all);
        assertTrue(all.contains("tdt.retry.max-attempts doit être compris entre 1 et 10"), all);
        assertTrue(all.contains("tdt.retry.max-delay-seconds doit être supérieur ou égal"), all);
        p.put("tdt.timeout-seconds", "0");
        p.put("tdt.retry.max-attempts", "0");
        all = String.join("\n", assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir)).problems());
        assertTrue(all.contains("tdt.timeout-seconds doit être compris"), all);
        assertTrue(all.contains("tdt.retry.max-attempts doit être compris"), all);
    }

    /** The login travels in a Basic header: plain ASCII, no space, no colon; the proxy is plain http://host:port. */
    @Test
    void theLoginAndTheProxyMustBeWhatTheHeaderAndTheClientCanCarry() throws IOException {
        for (String[] bad : new String[][] {{"mairie houdan", "doit être en ASCII sans espace"},
                {"mairie-é", "doit être en ASCII sans espace"}, {"mairie:houdan", "ne peut pas contenir « : »"}}) {
            Map<String, String> p = minimal();
            p.put("tdt.login", bad[0]);
            p.put("tdt.password", "pw");
            String all = String.join("\n", assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir)).problems());
            assertTrue(all.contains(bad[1]), bad[0] + ": " + all);
        }
        Map<String, String> p = minimal();
        p.put("tdt.proxy", "https://proxy.mairie.local:3128");
        String all = String.join("\n", assertThrows(ConfigException.class, () -> TdtConfig.fromProperties(p, dir)).problems());
        assertTrue(all.contains("tdt.proxy doit être de la forme http://hôte:port"), all);
    }
}
