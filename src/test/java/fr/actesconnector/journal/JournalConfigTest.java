package fr.actesconnector.journal;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalConfigTest {
    private static final Path BASE = Path.of("/etc/actes");

    @Test
    void defaultsToAnH2FileUnderTheBaseDirectory() {
        JournalConfig c = JournalConfig.fromProperties(Map.of(), BASE);

        assertEquals("jdbc:h2:file:/etc/actes/data/journal", c.url());
        assertTrue(c.isH2());
        assertEquals("", c.user());
        assertTrue(c.password().isEmpty());
        assertEquals(JournalConfig.DEFAULT_POOL_SIZE, c.poolSize());
        assertEquals(JournalConfig.DEFAULT_POSTING_GRACE, c.postingGrace());
    }

    @Test
    void relativeH2PathsAreResolvedAndOptionsKept() {
        assertEquals("jdbc:h2:file:/etc/actes/j;MODE=PostgreSQL",
                JournalConfig.resolveH2Path("jdbc:h2:./j;MODE=PostgreSQL", BASE));
        assertEquals("jdbc:h2:file:/var/lib/j", JournalConfig.resolveH2Path("jdbc:h2:file:/var/lib/j", BASE));
        assertEquals("jdbc:h2:mem:test", JournalConfig.resolveH2Path("jdbc:h2:mem:test", BASE));
        assertEquals("jdbc:h2:tcp://db/j", JournalConfig.resolveH2Path("jdbc:h2:tcp://db/j", BASE));
        assertEquals("jdbc:h2:file:/etc/data/j", JournalConfig.resolveH2Path("jdbc:h2:file:../data/j", BASE));
    }

    @Test
    void readsPostgresqlSettings() {
        JournalConfig c = JournalConfig.fromProperties(Map.of(
                "journal.url", "jdbc:postgresql://db.mairie.local:5432/actes",
                "journal.user", "actes",
                "journal.password", "s3cret",
                "journal.pool-size", "8",
                "journal.posting-grace-seconds", "120"), BASE);

        assertTrue(c.isPostgreSql());
        assertEquals("jdbc:postgresql://db.mairie.local:5432/actes", c.url());
        assertEquals("actes", c.user());
        assertEquals(Secret.of("s3cret"), c.password());
        assertEquals(8, c.poolSize());
        assertEquals(Duration.ofMinutes(2), c.postingGrace());
        assertFalse(c.toString().contains("s3cret"), c.toString());
    }

    /** A replicated PostgreSQL: the driver is given every host and finds the primary; nothing here reads the URL apart. */
    @Test
    void aUrlListingSeveralHostsIsKeptAsItIs() {
        String url = "jdbc:postgresql://pg1.syndicat.local:5432,pg2.syndicat.local:5432/actes"
                + "?targetServerType=primary&connectTimeout=5&socketTimeout=60";
        JournalConfig c = JournalConfig.fromProperties(Map.of("journal.url", url, "journal.user", "actes"), BASE);

        assertTrue(c.isPostgreSql());
        assertEquals(url, c.url());
        assertEquals("jdbc:postgresql://pg1.syndicat.local:5432,pg2.syndicat.local:5432/actes", c.displayUrl());
    }

    @Test
    void everyProblemIsReportedAtOnceInFrench() {
        ConfigException e = assertThrows(ConfigException.class, () -> JournalConfig.fromProperties(Map.of(
                "journal.url", "jdbc:mysql://db/actes",
                "journal.pool-size", "beaucoup",
                "journal.posting-grace-seconds", "0"), BASE));

        assertEquals(3, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("journal.pool-size doit être un nombre entier"), e.problems().get(0));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("journal.url doit commencer par jdbc:h2:")));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("journal.posting-grace-seconds")));
    }

    @Test
    void postgresqlNeedsAUser() {
        ConfigException e = assertThrows(ConfigException.class, () -> JournalConfig.fromProperties(Map.of(
                "journal.url", "jdbc:postgresql://db/actes", "journal.pool-size", "0"), BASE));

        assertEquals(2, e.problems().size());
        assertTrue(e.userMessage().contains("journal.user est obligatoire"), e.userMessage());
        assertTrue(e.userMessage().contains("journal.pool-size doit être compris entre 1 et 64"), e.userMessage());
    }

    @Test
    void displayUrlDropsParametersThatMayHoldCredentials() {
        assertEquals("jdbc:postgresql://db/actes",
                JournalConfig.displayUrl("jdbc:postgresql://db/actes?user=a&password=b"));
        assertEquals("jdbc:h2:file:/j", JournalConfig.displayUrl("jdbc:h2:file:/j;PASSWORD=x"));
    }

    @Test
    void h2JournalsGetASmallPageCacheUnlessTheUrlSetsOne() {
        assertEquals("jdbc:h2:file:/srv/actes/journal;CACHE_SIZE=" + JournalPool.H2_CACHE_KIB,
                JournalPool.withH2Cache("jdbc:h2:file:/srv/actes/journal"));
        assertEquals("jdbc:h2:file:/srv/actes/journal;cache_size=65536",
                JournalPool.withH2Cache("jdbc:h2:file:/srv/actes/journal;cache_size=65536"));
    }

    @Test
    void anH2FileIsSharedBetweenProcessesUnlessTheUrlSaysOtherwise() {
        assertEquals("jdbc:h2:file:/srv/actes/journal;AUTO_SERVER=TRUE",
                JournalPool.withH2Sharing("jdbc:h2:file:/srv/actes/journal"));
        assertEquals("jdbc:h2:/srv/actes/journal;MODE=PostgreSQL;AUTO_SERVER=TRUE",
                JournalPool.withH2Sharing("jdbc:h2:/srv/actes/journal;MODE=PostgreSQL"));
        assertEquals("jdbc:h2:C:/actes/journal;AUTO_SERVER=TRUE", JournalPool.withH2Sharing("jdbc:h2:C:/actes/journal"));
        for (String kept : new String[] {"jdbc:h2:file:/j;auto_server=false", "jdbc:h2:file:/j;AUTO_SERVER=TRUE;AUTO_SERVER_PORT=9090",
                "jdbc:h2:file:/j;FILE_LOCK=FS", "jdbc:h2:mem:test", "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1",
                "jdbc:h2:tcp://db/j", "jdbc:h2:ssl://db/j", "jdbc:h2:zip:/a.zip!/j", "jdbc:h2:nio:/j",
                "jdbc:postgresql://db/actes"}) {
            assertEquals(kept, JournalPool.withH2Sharing(kept), kept);
        }
    }

    @Test
    void poolSizeAndGraceHaveTheirBoundsIncluded() {
        java.nio.file.Path base = java.nio.file.Path.of("/srv/actes");
        assertEquals(1, JournalConfig.fromProperties(java.util.Map.of("journal.pool-size", "1"), base).poolSize());
        assertEquals(JournalConfig.MAX_POOL_SIZE, JournalConfig.fromProperties(
                java.util.Map.of("journal.pool-size", String.valueOf(JournalConfig.MAX_POOL_SIZE)), base).poolSize());
        assertThrows(fr.actesconnector.model.ConfigException.class, () -> JournalConfig.fromProperties(
                java.util.Map.of("journal.pool-size", String.valueOf(JournalConfig.MAX_POOL_SIZE + 1)), base));
        assertThrows(fr.actesconnector.model.ConfigException.class,
                () -> JournalConfig.fromProperties(java.util.Map.of("journal.pool-size", "0"), base));
        assertTrue(JournalConfig.fromProperties(java.util.Map.of(), base).isH2());
        assertFalse(JournalConfig.of("jdbc:postgresql://db/actes", "actes", fr.actesconnector.model.Secret.of("x")).isH2());
    }

    @Test
    void h2PathsAreResolvedAgainstTheConfigurationFolderUnlessAbsoluteOrRemote() {
        java.nio.file.Path base = java.nio.file.Path.of("/srv/actes");
        assertEquals("jdbc:h2:file:/srv/actes/data/j;MODE=X", JournalConfig.resolveH2Path("jdbc:h2:./data/j;MODE=X", base));
        assertEquals("jdbc:h2:file:/srv/actes/j", JournalConfig.resolveH2Path("jdbc:h2:file:j", base));
        assertEquals("jdbc:h2:file:/abs/j", JournalConfig.resolveH2Path("jdbc:h2:file:/abs/j", base));
        assertEquals("jdbc:h2:mem:j", JournalConfig.resolveH2Path("jdbc:h2:mem:j", base));
        assertEquals("jdbc:h2:tcp://db/j", JournalConfig.resolveH2Path("jdbc:h2:tcp://db/j", base));
        assertEquals("jdbc:h2:~/j", JournalConfig.resolveH2Path("jdbc:h2:~/j", base));
    }
}
