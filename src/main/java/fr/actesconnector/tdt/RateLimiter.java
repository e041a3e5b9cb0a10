package fr.actesconnector.tdt;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: at most {@code perSecond} requests a second on average, in bursts of at most one
 * second's worth (a full bucket at start, so a command making a few calls never waits). Each caller
 * reserves its token under the lock and waits outside it, so waiting callers are served in turn.
 * Thread-safe; the clock and the sleep are injected so that tests run without waiting.
 */
final class RateLimiter {
    /** A monotonic clock in nanoseconds ({@code System::nanoTime}). */
    @FunctionalInterface
    interface Ticker {
        long nanos();
    }

    private final double perSecond;
    private final double capacity;
    private final Ticker ticker;
    private final TdtTransport.Sleeper sleeper;
    private double tokens;
    private long last;

    RateLimiter(double perSecond, Ticker ticker, TdtTransport.Sleeper sleeper) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be positive: " + perSecond);
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.tokens = capacity;
        this.last = ticker.nanos();
    }

    double perSecond() {
        return perSecond;
    }

    /** Takes one token, waiting for it when the bucket is empty. */
    void acquire() throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) sleeper.sleep(wait);
    }

    /** Takes one token now, possibly in debt, and returns how long the caller must wait before using it. */
    synchronized Duration reserve() {
        long now = ticker.nanos();
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perSecond * 1e9));
    }
}
