package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a fake clock: the sleeper moves the clock instead of waiting. */
class RateLimiterTest {
    private long now = 1_000_000_000L;
    private final List<Duration> sleeps = new ArrayList<>();

    private RateLimiter limiter(double perSecond) {
        return new RateLimiter(perSecond, () -> now, d -> {
            sleeps.add(d);
            now += d.toNanos();
        });
    }

    @Test
    void aFullBucketLetsOneSecondsWorthGoAtOnceThenPacesTheRest() throws InterruptedException {
        RateLimiter r = limiter(10);
        long start = now;
        for (int i = 0; i < 10; i++) r.acquire();
        assertEquals(List.of(), sleeps, "the first ten calls do not wait");
        for (int i = 0; i < 50; i++) r.acquire();
        // 60 requests at 10 per second with a burst of 10: the last one goes out 5 s after the first.
        assertEquals(Duration.ofSeconds(5), Duration.ofNanos(now - start));
        sleeps.forEach(d -> assertEquals(Duration.ofMillis(100), d, "one token every 100 ms"));
    }

    @Test
    void overAMinuteTheRateIsHonoured() throws InterruptedException {
        RateLimiter r = limiter(2.5);
        long start = now;
        int requests = 0;
        while (now - start < Duration.ofSeconds(60).toNanos()) {
            r.acquire();
            requests++;
        }
        // 2.5 a second over 60 s plus the initial burst of 2.5 tokens (2 whole ones) and the one that crossed the minute
        assertTrue(requests <= 60 * 2.5 + 2 + 1, "at most the rate plus the burst: " + requests);
        assertTrue(requests >= 60 * 2.5, "the limiter does not slow down below the rate: " + requests);
    }

    @Test
    void idleTimeRefillsTheBucketButNoMoreThanOneSecondsWorth() throws InterruptedException {
        RateLimiter r = limiter(4);
        for (int i = 0; i < 4; i++) r.acquire();
        now += Duration.ofMinutes(10).toNanos(); // a quiet night does not buy a burst of 2 400 requests
        for (int i = 0; i < 4; i++) r.acquire();
        assertEquals(List.of(), sleeps);
        r.acquire();
        assertEquals(List.of(Duration.ofMillis(250)), sleeps);
    }

    @Test
    void concurrentCallersReserveSuccessiveSlots() {
        RateLimiter r = limiter(1);
        // Four callers arriving at the same instant on an empty bucket wait 0, 1, 2 and 3 s: none is served twice.
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 4; i++) waits.add(r.reserve());
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)), waits);
    }

    @Test
    void oneBucketPerAccountSharedByTheClientsOfOneProcess() {
        TdtRateLimits limits = new TdtRateLimits(() -> now, d -> now += d.toNanos());
        TdtConfig a = config("https://s2low.example.fr", "mairie-a", 10);
        TdtConfig aAgain = config("https://s2low.example.fr/", "mairie-a", 10);
        TdtConfig b = config("https://s2low.example.fr", "mairie-b", 10);
        assertSame(limits.forAccount(a), limits.forAccount(aAgain), "same TdT, same login: one budget");
        assertNotSame(limits.forAccount(a), limits.forAccount(b), "another login is another account");
        assertNotSame(limits.forAccount(a), new TdtRateLimits().forAccount(a), "another process has its own");
    }

    @Test
    void theKeyIsReadWithItsDefaultAndChecked() {
        assertEquals(10, TdtConfig.DEFAULT_MAX_REQUESTS_PER_SECOND);
        assertEquals(0.5, config("https://s2low.example.fr", "x", 0.5).maxRequestsPerSecond());
        ConfigException e = assertThrows(ConfigException.class, () -> config("https://s2low.example.fr", "x", 0));
        assertTrue(e.problems().get(0).startsWith("tdt.max-requests-per-second"), e.problems().toString());
    }

    private static TdtConfig config(String url, String login, double rate) {
        return TdtConfig.builder(URI.create(url), Path.of("client.p12"), Secret.of("p"))
                .basicAuth(login, Secret.of("pw")).maxRequestsPerSecond(rate).build();
    }
}
