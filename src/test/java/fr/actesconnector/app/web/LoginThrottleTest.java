package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.testing.MutableClock;

/** The sign-in throttle on a clock moved by hand: growing delays, the lock, per account and per address. */
class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final LoginThrottle throttle = new LoginThrottle(clock);

    /** One attempt that is let through and fails; the wait it imposes. */
    private Optional<LoginThrottle.Wait> fail(String account, String address) {
        assertEquals(Optional.empty(), throttle.check(account, true, address), "the attempt is let through");
        return throttle.failed(account, true, address).next();
    }

    @Test
    void threeFailuresAreFreeThenTheDelayDoublesThenTheAccountIsLocked() {
        assertEquals(Optional.empty(), fail("marie", "10.0.0.1"));
        assertEquals(Optional.empty(), fail("marie", "10.0.0.1"));
        assertEquals(Optional.of(new LoginThrottle.Wait(LoginThrottle.Scope.ACCOUNT, false, T0.plusSeconds(1))),
                fail("marie", "10.0.0.1"), "the third failure: one second before the next attempt");
        Optional<LoginThrottle.Wait> early = throttle.check("marie", true, "10.0.0.2");
        assertTrue(early.isPresent(), "too early, even from another address");
        assertEquals(LoginThrottle.Scope.ACCOUNT, early.get().scope());
        assertEquals(Optional.empty(), throttle.check("paul", true, "10.0.0.1"), "another account is not held back");
        throttle.succeeded("paul", true, "10.0.0.1");

        long[] expected = {2, 4, 8, 16, 30, 30};
        for (long seconds : expected) {
            clock.set(throttle.check("marie", true, "10.0.0.1").map(LoginThrottle.Wait::until).orElse(clock.instant()));
            Instant now = clock.instant();
            Optional<LoginThrottle.Wait> w = fail("marie", "10.0.0.1");
            assertEquals(Optional.of(new LoginThrottle.Wait(LoginThrottle.Scope.ACCOUNT, false, now.plusSeconds(seconds))), w);
        }
        clock.set(throttle.check("marie", true, "10.0.0.1").get().until());
        Instant tenth = clock.instant();
        LoginThrottle.Wait lock = fail("marie", "10.0.0.1").orElseThrow();
        assertTrue(lock.locked(), "the tenth failure locks the account");
        assertEquals(tenth.plus(Duration.ofMinutes(15)), lock.until());
        clock.advance(Duration.ofMinutes(14));
        assertTrue(throttle.check("marie", true, "10.0.0.3").orElseThrow().locked(), "still locked, from anywhere");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Optional.empty(), throttle.check("marie", true, "10.0.0.3"), "the lock ends");
        throttle.succeeded("marie", true, "10.0.0.3");
        assertEquals(Optional.empty(), fail("marie", "10.0.0.3"), "a success starts the count again");
    }

    @Test
    void attemptsSentTogetherDoNotAllPassOnceADelayApplies() {
        fail("marie", "10.0.0.1");
        fail("marie", "10.0.0.1");
        fail("marie", "10.0.0.1");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.check("marie", true, "10.0.0.1"), "the first of the burst is checked");
        assertTrue(throttle.check("marie", true, "10.0.0.1").isPresent(), "the second waits for the first one's delay");
    }

    @Test
    void anAddressTryingManyAccountsIsDelayedThenLocked() {
        for (int i = 1; i <= 9; i++) {
            assertEquals(Optional.empty(), fail("compte" + i, "192.0.2.7"), "failure " + i);
        }
        LoginThrottle.Wait w = fail("compte10", "192.0.2.7").orElseThrow();
        assertEquals(LoginThrottle.Scope.ADDRESS, w.scope());
        assertFalse(w.locked());
        assertTrue(throttle.check("secretariat", true, "192.0.2.7").isPresent(), "even a real account waits, from there");
        assertEquals(Optional.empty(), throttle.check("secretariat", true, "192.0.2.8"), "not from elsewhere");
        throttle.succeeded("secretariat", true, "192.0.2.8");
        for (int i = 11; i <= 30; i++) {
            clock.set(throttle.check("compte" + i, true, "192.0.2.7").map(LoginThrottle.Wait::until).orElse(clock.instant()));
            w = fail("compte" + i, "192.0.2.7").orElseThrow();
        }
        assertTrue(w.locked() && w.scope() == LoginThrottle.Scope.ADDRESS, w.toString());
    }

    @Test
    void unknownLoginsAreThrottledLikeAccountsAndNeverPushARealAccountOut() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), throttle.check("marie", true, "10.0.0." + i));
            throttle.failed("marie", true, "10.0.0." + i);
        }
        assertTrue(throttle.check("marie", true, "10.0.0.9").isPresent());
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), throttle.check("personne", false, "10.0.1." + i));
            throttle.failed("personne", false, "10.0.1." + i);
        }
        assertTrue(throttle.check("personne", false, "10.0.1.9").isPresent(), "an unknown login gets the same answer");
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 10; i++) {
            throttle.check("invente" + i, false, "198.51." + (i / 250) + "." + (i % 250));
            throttle.failed("invente" + i, false, "198.51." + (i / 250) + "." + (i % 250));
        }
        assertTrue(throttle.check("marie", true, "10.0.0.9").isPresent(), "the flood did not reset marie's count");
    }

    @Test
    void countsAreForgottenAfterAnHourWithoutFailure() {
        fail("marie", "10.0.0.1");
        fail("marie", "10.0.0.1");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(Optional.empty(), fail("marie", "10.0.0.1"), "the two old failures no longer count");
        assertEquals(Optional.empty(), fail("marie", "10.0.0.1"));
        assertTrue(fail("marie", "10.0.0.1").isPresent(), "three recent failures");
    }

    /** The lock of an address shows as a lock, not as a delay, to the next attempt from there. */
    @Test
    void theNextAttemptFromALockedAddressIsToldItIsLocked() {
        for (int i = 1; i <= 29; i++) {
            clock.set(throttle.check("compte" + i, true, "192.0.2.7").map(LoginThrottle.Wait::until).orElse(clock.instant()));
            throttle.failed("compte" + i, true, "192.0.2.7");
        }
        LoginThrottle.Wait delay = throttle.check("autre", true, "192.0.2.7").orElseThrow();
        assertEquals(LoginThrottle.Scope.ADDRESS, delay.scope());
        assertFalse(delay.locked(), "29 failures: a delay");
        clock.set(delay.until());
        throttle.check("compte30", true, "192.0.2.7");
        assertEquals(30, throttle.failed("compte30", true, "192.0.2.7").addressFailures());
        LoginThrottle.Wait lock = throttle.check("autre", true, "192.0.2.7").orElseThrow();
        assertEquals(LoginThrottle.Scope.ADDRESS, lock.scope());
        assertTrue(lock.locked(), "the 30th failure locks the address");
    }

    /** Each count is forgotten after its own policy's time: the account's and the address's differ here. */
    @Test
    void accountsAndAddressesForgetAfterTheirOwnPolicysTime() {
        LoginThrottle.Policy account = new LoginThrottle.Policy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 10,
                Duration.ofMinutes(15), Duration.ofHours(1));
        LoginThrottle.Policy address = new LoginThrottle.Policy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), 30,
                Duration.ofMinutes(15), Duration.ofMinutes(5));
        LoginThrottle own = new LoginThrottle(clock, account, address);
        own.failed("marie", true, "10.0.0.1");
        clock.advance(Duration.ofMinutes(6));
        LoginThrottle.Failure second = own.failed("marie", true, "10.0.0.1");
        assertEquals(2, second.accountFailures(), "the account remembers for an hour");
        assertEquals(1, second.addressFailures(), "the address forgot after five minutes");
    }

    @Test
    void aPolicyNeedsFreeFailuresAndALockAfterThem() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Policy(0, s, s, 5, s, s), "no free failure");
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Policy(3, s, s, 3, s, s), "locked at once");
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Policy(3, s, s, 2, s, s), "locked before");
        assertEquals(2, new LoginThrottle.Policy(1, s, s, 2, s, s).lockAfter(), "one free failure, locked at the second");
    }

    /** Unknown logins are bounded: up to {@link LoginThrottle#MAX_TRACKED} of them keep their counts. */
    @Test
    void upToTheBoundUnknownLoginsKeepTheirCounts() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("invente0", false, "198.51.100.1");
        }
        for (int i = 1; i < LoginThrottle.MAX_TRACKED; i++) {
            throttle.failed("invente" + i, false, "203." + (i / 250) + "." + (i % 250) + ".1");
        }
        assertTrue(throttle.check("invente0", false, "192.0.2.99").isPresent(), "the first one still counted");
    }
}
