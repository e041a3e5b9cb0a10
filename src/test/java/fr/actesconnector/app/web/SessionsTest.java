package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.model.Actor;
import fr.actesconnector.testing.MutableClock;

/** Sessions of one account end together when the account is disabled, removed or its password changed. */
class SessionsTest {
    private final Sessions sessions = new Sessions(new SecureRandom(), new MutableClock(Instant.parse("2026-05-04T08:00:00Z")),
            Duration.ofMinutes(30));

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
}
