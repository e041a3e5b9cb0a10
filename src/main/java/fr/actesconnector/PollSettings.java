package fr.actesconnector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import fr.actesconnector.model.ConfigException;

/**
 * Polling pace: {@code poll.interval-seconds} (default 300) and {@code poll.concurrency} (default 4).
 * Actes just posted are polled faster, old ones slower, and failures back off. With
 * {@code tdt.confirm-held=true} the poller releases actes the TdT holds in status 17.
 * {@code poll.lease-seconds} (default 300) is how long a daemon holds the actes it took (to poll or to
 * send): a daemon killed with them leaves them to the others once that time has passed.
 */
public record PollSettings(Duration interval, int concurrency, boolean confirmHeld, Duration lease) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(300);
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    /** Pace right after posting, when the TdT validates within minutes. */
    static final Duration EARLY = Duration.ofSeconds(30);
    static final Duration EARLY_WINDOW = Duration.ofMinutes(15);
    static final Duration OLD = Duration.ofDays(7);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    public PollSettings {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be positive");
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease must be positive");
    }

    public PollSettings(Duration interval, int concurrency, boolean confirmHeld) {
        this(interval, concurrency, confirmHeld, DEFAULT_LEASE);
    }

    static PollSettings from(ConnectorConfig config) {
        List<String> problems = new ArrayList<>();
        long interval = positive(config, "poll.interval-seconds", DEFAULT_INTERVAL.toSeconds(), problems);
        long concurrency = positive(config, "poll.concurrency", DEFAULT_CONCURRENCY, problems);
        if (concurrency > 64) problems.add("poll.concurrency doit être compris entre 1 et 64.");
        long lease = positive(config, "poll.lease-seconds", DEFAULT_LEASE.toSeconds(), problems);
        String confirm = config.get("tdt.confirm-held").orElse("false").trim();
        if (!confirm.equals("true") && !confirm.equals("false")) {
            problems.add("tdt.confirm-held vaut true ou false, reçu : « " + confirm + " ».");
        }
        if (!problems.isEmpty()) throw new ConfigException(problems, "invalid poll settings");
        return new PollSettings(Duration.ofSeconds(interval), (int) Math.min(concurrency, 64), confirm.equals("true"),
                Duration.ofSeconds(lease));
    }

    private static long positive(ConnectorConfig config, String key, long def, List<String> problems) {
        String v = config.get(key).orElse(null);
        if (v == null) return def;
        try {
            long n = Long.parseLong(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add("La valeur « " + v + " » de " + key + " doit être un nombre entier positif.");
        return def;
    }

    /** Next poll of an acte registered {@code age} ago: fast at first, slower once old. */
    Duration nextAfter(Duration age) {
        if (age.compareTo(EARLY_WINDOW) < 0) return interval.compareTo(EARLY) < 0 ? interval : EARLY;
        if (age.compareTo(OLD) > 0) return interval.multipliedBy(4);
        return interval;
    }

    /** Wait after {@code attempts} consecutive failures: doubling from the interval, at most one hour. */
    Duration backoff(int attempts) {
        Duration d = interval.multipliedBy(1L << Math.min(Math.max(attempts, 0), 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? (interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF) : d;
    }
}
