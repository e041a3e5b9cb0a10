package fr.actesconnector.tdt;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request budget of each TdT account ({@code tdt.max-requests-per-second}) inside one process: every
 * {@link TdtClient} given the same instance shares one bucket per account (TdT address and login, or
 * client certificate when there is no login), however many clients use that account. Each process
 * (each daemon) has its own: with N daemons on one account the TdT sees up to N times the rate.
 * Thread-safe.
 */
public final class TdtRateLimits {
    private final Map<String, RateLimiter> byAccount = new ConcurrentHashMap<>();
    private final RateLimiter.Ticker ticker;
    private final TdtTransport.Sleeper sleeper;

    public TdtRateLimits() {
        this(System::nanoTime, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    TdtRateLimits(RateLimiter.Ticker ticker, TdtTransport.Sleeper sleeper) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The bucket of the account {@code config} uses; the first configuration seen sets the account's rate. */
    RateLimiter forAccount(TdtConfig config) {
        return byAccount.computeIfAbsent(account(config),
                k -> new RateLimiter(config.maxRequestsPerSecond(), ticker, sleeper));
    }

    static String account(TdtConfig config) {
        String url = config.url().toString().replaceAll("/+$", "");
        return url + " " + config.basicLogin().map(l -> "login:" + l)
                .orElse("certificate:" + config.clientKeystore().toAbsolutePath().normalize());
    }
}
