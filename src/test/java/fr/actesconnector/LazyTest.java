package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The façade's parts made on first use are made once, whichever threads ask at the same time (the web page's). */
class LazyTest {
    @Test
    void manyThreadsAskingAtOnceGetTheOneValueMadeOnce() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            try {
                Thread.sleep(50); // long enough for every thread to arrive while it is being made
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        assertFalse(lazy.isMade());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return lazy.get();
                }));
            }
            start.countDown();
            for (Future<Object> f : got) assertSame(got.get(0).get(), f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, made.get());
        assertTrue(lazy.isMade());
        assertSame(lazy.get(), lazy.get());
        assertEquals(1, made.get());
    }
}
