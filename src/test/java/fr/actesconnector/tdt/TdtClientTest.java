package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TdtClientTest {
    @Test
    void uploadNamesKeepOnlyTheCharactersPastellKeeps() {
        assertEquals("Contrat P360 _ _t_ 2026.pdf", TdtClient.uploadName(Path.of("/tmp/Contrat P360 – été 2026.pdf")));
        assertEquals("annexe_2_v1.pdf", TdtClient.uploadName(Path.of("annexe-2+v1.pdf")));
    }

    @Test
    void childLinesSplitOnFirstAndLastDash() {
        assertEquals(new ChildTransaction(2, -1, 57), TdtClient.parseChild("2--1-57", "op", new byte[0]));
        assertEquals(new ChildTransaction(3, 7, 1204), TdtClient.parseChild("3-7-1204", "op", new byte[0]));
        assertThrows(TdtProtocolException.class, () -> TdtClient.parseChild("3-7", "op", new byte[0]));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndIsCapped() {
        SplittableRandom random = new SplittableRandom(42);
        Duration initial = Duration.ofSeconds(2);
        Duration max = Duration.ofSeconds(10);
        for (int i = 0; i < 100; i++) {
            long first = TdtTransport.backoff(1, initial, max, random).toMillis();
            assertTrue(first >= 1000 && first <= 2000, "attempt 1: " + first);
            long third = TdtTransport.backoff(3, initial, max, random).toMillis();
            assertTrue(third >= 4000 && third <= 8000, "attempt 3: " + third);
            long tenth = TdtTransport.backoff(10, initial, max, random).toMillis();
            assertTrue(tenth >= 5000 && tenth <= 10000, "attempt 10: " + tenth);
        }
        java.util.Set<Long> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) firsts.add(TdtTransport.backoff(1, initial, max, random).toMillis());
        assertTrue(firsts.size() > 1, "jittered: clients retrying together spread out " + firsts);
    }
}
