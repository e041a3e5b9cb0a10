package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The platform's limits (PHP, Apache) and the ARActe script before S²LOW 5.0.47, with raw HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorLimitsIT {
    private Path pkiDir;
    private RawS2low.Pki pki;

    @TempDir
    Path dir;

    @BeforeAll
    void certificates() throws Exception {
        pkiDir = Files.createTempDirectory("simulator-limits-pki");
        pki = RawS2low.Pki.create(pkiDir);
    }

    @AfterAll
    void cleanUp() {
        TdtSimulator.quietlyDeleteTree(pkiDir);
    }

    private MultipartEntityBuilder acteWithAnnexes(String number, int annexes) throws Exception {
        MultipartEntityBuilder form = RawS2low.acte(dir, number, "99_DC");
        for (int i = 0; i < annexes; i++) {
            RawS2low.pdf(form, dir, "acte_attachments[]", number + " annexe " + i);
            RawS2low.text(form, "type_pj[]", "99_DC");
        }
        return form;
    }

    @Test
    @DisplayName("over max_file_uploads FILES: \"Le nombre d'annexes est trop important\"; text fields do not count (actes_transac_create.php, PHP max_file_uploads)")
    void tooManyFilesCountsFilesOnly() throws Exception {
        try (TdtSimulator simulator = TdtSimulator.builder().tls(pki.tls()).maxFileUploads(3).start();
             RawS2low raw = new RawS2low(simulator.url(), pki)) {
            MultipartEntityBuilder three = acteWithAnnexes("FICHIERS_1", 2);
            for (int i = 0; i < 40; i++) RawS2low.text(three, "broadcast_email[]", "x" + i + "@houdan.test");
            RawS2low.createdId(raw.post(TdtSimulator.CREATE, three));
            assertEquals("KO\nLe nombre d&#039;annexes est trop important (max : 3)\n",
                    raw.post(TdtSimulator.CREATE, acteWithAnnexes("FICHIERS_2", 3)).latin1());
            assertEquals(1, simulator.transactionCount());
        }
    }

    @Test
    @DisplayName("files over ACTES_ARCHIVE_MAX_SIZE: \"La taille totale des fichiers est trop importante (max : N)\" (actes_transac_create.php)")
    void totalSizeOverTheArchiveLimit() throws Exception {
        try (TdtSimulator simulator = TdtSimulator.builder().tls(pki.tls()).maxTotalBytes(600).start();
             RawS2low raw = new RawS2low(simulator.url(), pki)) {
            assertEquals("KO\nLa taille totale des fichiers est trop importante (max : 600)\n",
                    raw.post(TdtSimulator.CREATE, acteWithAnnexes("TAILLE_1", 1)).latin1());
            assertEquals(0, simulator.transactionCount());
        }
    }

    @Test
    @DisplayName("a body over Apache's LimitRequestBody is answered 413 before any script, nothing recorded (Apache LimitRequestBody)")
    void bodyOverTheServerLimitIs413() throws Exception {
        try (TdtSimulator simulator = TdtSimulator.builder().tls(pki.tls()).maxRequestBytes(64 * 1024).start();
             RawS2low raw = new RawS2low(simulator.url(), pki)) {
            MultipartEntityBuilder big = RawS2low.acte(dir, "GROS_1", "99_DC");
            RawS2low.bytes(big, "acte_attachments[]", new byte[512 * 1024], "gros.pdf");
            RawS2low.text(big, "type_pj[]", "99_DC");
            RawS2low.Reply refused = raw.post(TdtSimulator.CREATE, big);
            assertEquals(413, refused.code());
            assertTrue(refused.latin1().contains("413 Request Entity Too Large"), refused.latin1());
            assertEquals(0, simulator.transactionCount());
            RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "GROS_1", "99_DC")));
        }
    }

    @Test
    @DisplayName("get_ARActe serves the flow of status 4, empty before; before 5.0.47 it redirects (actes_transac_get_ARActe.php, CHANGELOG 5.0.47)")
    void arActeScriptBeforeAndSince5047() throws Exception {
        try (TdtSimulator current = TdtSimulator.builder().tls(pki.tls()).start();
             TdtSimulator legacy = TdtSimulator.builder().tls(pki.tls()).legacyArActe(true).start();
             RawS2low raw = new RawS2low(current.url(), pki);
             RawS2low old = new RawS2low(legacy.url(), pki)) {
            long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "AR_1", "99_DC")));
            RawS2low.Reply none = raw.get("/modules/actes/actes_transac_get_ARActe.php?id=" + id);
            assertEquals(200, none.code());
            assertEquals("application/xml", none.header("Content-Type").orElse(""));
            assertEquals(0, none.body().length);
            String four = raw.pollUntil(id, 4);
            assertArrayEquals(four.substring("OK\n4\n".length()).getBytes(StandardCharsets.ISO_8859_1),
                    raw.get("/modules/actes/actes_transac_get_ARActe.php?id=" + id).body());

            long oldId = RawS2low.createdId(old.post(TdtSimulator.CREATE, RawS2low.acte(dir, "AR_2", "99_DC")));
            old.pollUntil(oldId, 4);
            RawS2low.Reply redirected = old.get("/modules/actes/actes_transac_get_ARActe.php?id=" + oldId);
            assertEquals(302, redirected.code());
            assertTrue(old.get(TdtSimulator.STATUS + "?transaction=" + oldId).latin1().startsWith("OK\n4\n<?xml"),
                    "the ARActe is still in the status reply");
        }
    }
}
