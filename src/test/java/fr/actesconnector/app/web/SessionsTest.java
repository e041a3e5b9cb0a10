package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.model.Actor;
import fr.actesconnector.testing.MutableClock;

/**
 * Sessions of one account end together when the account is disabled, removed or its password changed; the CSRF
 * token of a session, its timeouts and its bound.
 */
class SessionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));
    private final Sessions sessions = new Sessions(new SecureRandom(), clock, Duration.ofMinutes(30));

    @Test
    void endingAnAccountsSessionsLeavesTheOthersAndOptionallyTheCurrentOne() {
        Sessions.Session first = sessions.create(Optional.of("marie.dupont"));
        Sessions.Session second = sessions.create(Optional.of("marie.dupont"));
        Sessions.Session other = sessions.create(Optional.of("chef"));
        Sessions.Session anonymous = sessions.create(Optional.empty());

        assertEquals(1, sessions.endAll("marie.dupont", first.id), "her other session ends, this one stays");
        assertTrue(sessions.find(first.id).isPresent());
        assertTrue(sessions.find(second.id).isEmpty());

        assertEquals(1, sessions.endAll("marie.dupont", null));
        assertTrue(sessions.find(first.id).isEmpty());
        assertTrue(sessions.find(other.id).isPresent());
        assertTrue(sessions.find(anonymous.id).isPresent());
        assertEquals(Actor.web("chef"), other.actor());
    }

    /** The form's token is the session's own: missing, another session's or a prefix of it is refused with a 403. */
    @Test
    void aFormIsAcceptedOnlyWithItsOwnSessionsToken() {
        Sessions.Session mine = sessions.create(Optional.of("marie.dupont"));
        Sessions.Session other = sessions.create(Optional.of("marie.dupont"));
        assertTrue(mine.csrfMatches(mine.csrf));
        Exchanges.checkCsrf(mine, mine.csrf);
        for (String wrong : new String[] {null, "", other.csrf, mine.csrf.substring(1), mine.csrf + "x"}) {
            assertFalse(mine.csrfMatches(wrong), String.valueOf(wrong));
            RequestException refused = assertThrows(RequestException.class, () -> Exchanges.checkCsrf(mine, wrong));
            assertEquals(403, refused.status, String.valueOf(wrong));
        }
        assertNotEquals(mine.csrf, mine.id, "the token is not the cookie");
    }

    @Test
    void aSessionTellsWhoIsSignedInAndHoldsOneShotMessages() {
        Sessions.Session anonymous = sessions.create(Optional.empty());
        Sessions.Session signedIn = sessions.create(Optional.of("chef"));
        assertFalse(anonymous.loggedIn());
        assertTrue(signedIn.loggedIn());
        assertFalse(signedIn.admin(), "not an administrator until the journal says so");
        signedIn.admin(true);
        assertTrue(signedIn.admin());
        assertEquals("", signedIn.credential());
        signedIn.credential("empreinte");
        assertEquals("empreinte", signedIn.credential());
        signedIn.flash("Acte transmis.");
        assertEquals(Optional.of("Acte transmis."), signedIn.takeFlash());
        assertEquals(Optional.empty(), signedIn.takeFlash(), "shown once");
    }

    /** Only what the person does keeps a session alive; a page refreshing itself does not. */
    @Test
    void theIdleTimeoutCountsFromThePersonsLastAction() {
        assertEquals(Duration.ofMinutes(30), sessions.idle());
        Sessions.Session s = sessions.create(Optional.of("marie.dupont"));
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(s.id, false).isPresent(), "a refresh reads the session");
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(s.id, true).isEmpty(), "40 minutes after the last action: ended, refreshes did not count");

        Instant created = clock.instant();
        Sessions.Session active = sessions.create(Optional.of("marie.dupont"));
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(active.id).isPresent());
        clock.advance(Duration.ofMinutes(20));
        assertTrue(sessions.find(active.id).isPresent(), "20 minutes after the last action");
        while (clock.instant().isBefore(created.plus(Sessions.MAX_LIFETIME))) {
            assertTrue(sessions.find(active.id).isPresent(), "active, within 12 hours: " + clock.instant());
            clock.advance(Duration.ofMinutes(20));
        }
        clock.advance(Duration.ofMinutes(1));
        assertTrue(sessions.find(active.id).isEmpty(), "12 hours at most, however active");
    }

    @Test
    void signingOutEndsTheSession() {
        Sessions.Session s = sessions.create(Optional.of("marie.dupont"));
        sessions.remove(null);
        assertTrue(sessions.find(s.id).isPresent());
        sessions.remove(s.id);
        assertTrue(sessions.find(s.id).isEmpty());
    }

    /** At the bound, the anonymous sessions are dropped first; the people signed in keep theirs. */
    @Test
    void aFloodOfAnonymousSessionsNeverEndsASignedInOne() {
        Sessions.Session signedIn = sessions.create(Optional.of("marie.dupont"));
        Sessions.Session first = sessions.create(Optional.empty());
        for (int i = 2; i < Sessions.MAX_SESSIONS; i++) {
            sessions.create(Optional.empty());
        }
        assertTrue(sessions.find(first.id).isPresent(), "below the bound nothing is dropped");
        Sessions.Session next = sessions.create(Optional.empty());
        assertTrue(sessions.find(first.id).isEmpty(), "the bound reached: anonymous sessions dropped");
        assertTrue(sessions.find(signedIn.id).isPresent(), "the signed-in one stays");
        assertTrue(sessions.find(next.id).isPresent(), "the new one is kept");
    }
}
