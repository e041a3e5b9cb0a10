package fr.actesconnector.app.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failed sign-ins counted per account and per remote address: after a few failures each new attempt must
 * wait a delay that doubles, then the account (or the address) is locked for a while; a success clears
 * the account's and the address's count. A refused attempt is not checked and not counted. Counts are
 * forgotten after {@link Policy#forget()} without failure. In memory (a restart forgets them), thread-safe.
 *
 * <p>Bounded: accounts that exist are kept apart from unknown logins, so that a flood of invented logins
 * (kept in a bounded map, the least recent dropped) never pushes a real account's count out; the
 * addresses are bounded the same way. Unknown logins are throttled like real ones: the answers do not
 * tell whether an account exists.
 */
final class LoginThrottle {
    /** After {@code freeFailures} failures, a delay from {@code firstDelay} doubling up to {@code maxDelay}; locked for {@code lock} at {@code lockAfter}. */
    record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, int lockAfter, Duration lock, Duration forget) {
        Policy {
            if (freeFailures < 1 || lockAfter <= freeFailures) throw new IllegalArgumentException("bad thresholds");
            Objects.requireNonNull(firstDelay, "firstDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(lock, "lock");
            Objects.requireNonNull(forget, "forget");
        }

        /** The wait after {@code failures} failures; zero before the free ones are used. */
        Duration delay(int failures) {
            if (failures >= lockAfter) return lock;
            if (failures < freeFailures) return Duration.ZERO;
            Duration d = firstDelay.multipliedBy(1L << Math.min(30, failures - freeFailures));
            return d.compareTo(maxDelay) > 0 ? maxDelay : d;
        }
    }

    /** An account: 3 failures free, then 1 s, 2 s, 4 s… up to 30 s; locked 15 minutes at the 10th. */
    static final Policy ACCOUNT = new Policy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 10,
            Duration.ofMinutes(15), Duration.ofHours(1));
    /** An address (a town hall's people may share one): the same from 10 failures, locked at the 30th. */
    static final Policy ADDRESS = new Policy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), 30,
            Duration.ofMinutes(15), Duration.ofHours(1));
    static final int MAX_TRACKED = 10_000;

    enum Scope { ACCOUNT, ADDRESS }

    /** An attempt refused (or the next one delayed): by which count, whether it is the lock, and until when. */
    record Wait(Scope scope, boolean locked, Instant until) {
    }

    private static final class Count {
        int failures;
        Instant lastFailure = Instant.EPOCH;
        Instant notBefore = Instant.EPOCH;
    }

    private final Clock clock;
    private final Policy accountPolicy;
    private final Policy addressPolicy;
    private final Map<String, Count> accounts = new HashMap<>();
    private final Map<String, Count> unknownLogins = bounded();
    private final Map<String, Count> addresses = bounded();

    LoginThrottle(Clock clock) {
        this(clock, ACCOUNT, ADDRESS);
    }

    LoginThrottle(Clock clock, Policy account, Policy address) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accountPolicy = Objects.requireNonNull(account, "account");
        this.addressPolicy = Objects.requireNonNull(address, "address");
    }

    private static Map<String, Count> bounded() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }

    /**
     * Whether an attempt may be checked now; when it may and a delay applies, the next attempt is held
     * back at once, so that attempts sent together do not all pass.
     */
    synchronized Optional<Wait> check(String account, boolean known, String address) {
        Instant now = clock.instant();
        Count a = count(account, known, now);
        Count ip = count(addresses, address, now);
        if (now.isBefore(a.notBefore)) return Optional.of(new Wait(Scope.ACCOUNT, a.failures >= accountPolicy.lockAfter(), a.notBefore));
        if (now.isBefore(ip.notBefore)) return Optional.of(new Wait(Scope.ADDRESS, ip.failures >= addressPolicy.lockAfter(), ip.notBefore));
        a.notBefore = now.plus(accountPolicy.delay(a.failures));
        ip.notBefore = now.plus(addressPolicy.delay(ip.failures));
        return Optional.empty();
    }

    /** A failed attempt counted: the failures now counted for the account and the address, the wait it imposes. */
    record Failure(int accountFailures, int addressFailures, Optional<Wait> next) {
    }

    /** Counts a failed attempt. */
    synchronized Failure failed(String account, boolean known, String address) {
        Instant now = clock.instant();
        Count a = count(account, known, now);
        Count ip = count(addresses, address, now);
        for (Count c : new Count[] {a, ip}) {
            c.failures++;
            c.lastFailure = now;
        }
        a.notBefore = now.plus(accountPolicy.delay(a.failures));
        ip.notBefore = now.plus(addressPolicy.delay(ip.failures));
        Optional<Wait> next = Optional.empty();
        if (a.notBefore.isAfter(now) && !ip.notBefore.isAfter(a.notBefore)) {
            next = Optional.of(new Wait(Scope.ACCOUNT, a.failures >= accountPolicy.lockAfter(), a.notBefore));
        } else if (ip.notBefore.isAfter(now)) {
            next = Optional.of(new Wait(Scope.ADDRESS, ip.failures >= addressPolicy.lockAfter(), ip.notBefore));
        }
        return new Failure(a.failures, ip.failures, next);
    }

    /** A successful sign-in clears the account's and the address's counts. */
    synchronized void succeeded(String account, boolean known, String address) {
        (known ? accounts : unknownLogins).remove(account);
        addresses.remove(address);
    }

    private Count count(String account, boolean known, Instant now) {
        return count(known ? accounts : unknownLogins, account, now);
    }

    private Count count(Map<String, Count> map, String key, Instant now) {
        Count c = map.computeIfAbsent(key, k -> new Count());
        Policy p = map == addresses ? addressPolicy : accountPolicy;
        if (c.failures > 0 && !now.isBefore(c.lastFailure.plus(p.forget())) && !now.isBefore(c.notBefore)) {
            c.failures = 0;
        }
        return c;
    }
}
