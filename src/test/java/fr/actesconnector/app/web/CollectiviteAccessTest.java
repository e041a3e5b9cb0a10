package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Collectivite;

/**
 * Who sees which collectivité: the rule of {@link CollectiviteAccess} (an account without collectivité never sees
 * every one; an administrator manages only accounts wholly within hers) and the header's choice kept by the session.
 */
class CollectiviteAccessTest {
    static final Collectivite HOUDAN = new Collectivite("Commune de Houdan", "217803105", "078", "1", "31");
    static final Collectivite MAULETTE = new Collectivite("Commune de Maulette", "217803816", "078", "1", "31");
    static final Collectivite GRESSEY = new Collectivite("Commune de Gressey", "217802883", "078", "1", "31");
    static final List<Collectivite> SYNDICATE = List.of(HOUDAN, MAULETTE, GRESSEY);
    static final String OTHER = "200000000";

    private static Users.User user(Users.Scope scope) {
        return new Users.User("x", Users.Role.AGENT, false, Optional.empty(), Instant.EPOCH, scope);
    }

    private static Users.Scope of(Collectivite... cs) {
        return Users.Scope.of(java.util.Arrays.stream(cs).map(Collectivite::siren).toList());
    }

    @Test
    void anAccountWithoutCollectiviteSeesTheOnlyOneOrNothingNeverEveryOne() {
        CollectiviteAccess single = CollectiviteAccess.of(Users.Scope.NONE, List.of(HOUDAN));
        assertEquals(List.of(HOUDAN), single.collectivites(), "as before V10: the one collectivité configured");
        assertFalse(single.none());
        assertTrue(single.allows(HOUDAN.siren()));
        assertFalse(single.allows(OTHER), "not another SIREN of the journal");
        assertFalse(single.syndicate() || single.listsAll() || single.chooses());

        CollectiviteAccess several = CollectiviteAccess.of(Users.Scope.NONE, SYNDICATE);
        assertTrue(several.none(), "with several: nothing, until an administrator gives it some");
        for (Collectivite c : SYNDICATE) assertFalse(several.allows(c.siren()), c.nom());
    }

    @Test
    void listedCollectivitesAreThoseConfiguredAmongThemInTheConfigurationsOrder() {
        CollectiviteAccess two = CollectiviteAccess.of(Users.Scope.of(List.of(GRESSEY.siren(), HOUDAN.siren(), OTHER)),
                SYNDICATE);
        assertEquals(List.of(HOUDAN, GRESSEY), two.collectivites(), "a SIREN no longer configured is dropped");
        assertTrue(two.allows(HOUDAN.siren()) && two.allows(GRESSEY.siren()));
        assertFalse(two.allows(MAULETTE.siren()));
        assertFalse(two.allows(OTHER));
        assertTrue(two.chooses(), "several: the header's form");
        assertFalse(two.listsAll(), "« Toutes les collectivités » is the syndicate's");
        assertEquals(Optional.of(GRESSEY), two.find(GRESSEY.siren()));
        assertEquals(Optional.empty(), two.find(MAULETTE.siren()));

        assertTrue(CollectiviteAccess.of(Users.Scope.of(List.of(OTHER)), SYNDICATE).none(), "only a SIREN not configured");
        assertFalse(CollectiviteAccess.of(of(MAULETTE), SYNDICATE).chooses());
    }

    @Test
    void theSyndicateSeesEveryCollectiviteAndEveryActe() {
        CollectiviteAccess syndicate = CollectiviteAccess.of(Users.Scope.syndicateWide(), SYNDICATE);
        assertEquals(SYNDICATE, syndicate.collectivites());
        assertTrue(syndicate.syndicate() && syndicate.listsAll() && syndicate.chooses());
        assertTrue(syndicate.allows(OTHER), "also the actes of a collectivité that left the configuration");
        CollectiviteAccess alone = CollectiviteAccess.of(Users.Scope.syndicateWide(), List.of(HOUDAN));
        assertFalse(alone.listsAll() || alone.chooses(), "one collectivité: nothing to choose");
    }

    @Test
    void anAdministratorManagesTheAccountsWhollyWithinHersAndGivesNoMore() {
        CollectiviteAccess houdanAndMaulette = CollectiviteAccess.of(of(HOUDAN, MAULETTE), SYNDICATE);
        assertTrue(houdanAndMaulette.manages(user(of(HOUDAN))));
        assertTrue(houdanAndMaulette.manages(user(of(HOUDAN, MAULETTE))));
        assertFalse(houdanAndMaulette.manages(user(of(HOUDAN, GRESSEY))), "also Gressey's: not hers");
        assertFalse(houdanAndMaulette.manages(user(of(GRESSEY))));
        assertFalse(houdanAndMaulette.manages(user(Users.Scope.syndicateWide())));
        assertFalse(houdanAndMaulette.manages(user(Users.Scope.NONE)), "without collectivité: the syndicate's to fix");
        assertFalse(houdanAndMaulette.manages(user(Users.Scope.of(List.of(HOUDAN.siren(), OTHER)))));

        CollectiviteAccess syndicate = CollectiviteAccess.of(Users.Scope.syndicateWide(), SYNDICATE);
        for (Users.Scope s : List.of(Users.Scope.NONE, Users.Scope.syndicateWide(), of(GRESSEY), Users.Scope.of(List.of(OTHER)))) {
            assertTrue(syndicate.manages(user(s)), s.describe());
        }
        assertTrue(CollectiviteAccess.of(of(HOUDAN), List.of(HOUDAN)).manages(user(Users.Scope.NONE)),
                "one collectivité configured: an account without any is hers");

        assertTrue(houdanAndMaulette.grants(of(MAULETTE)));
        assertFalse(houdanAndMaulette.grants(of(MAULETTE, GRESSEY)));
        assertFalse(houdanAndMaulette.grants(Users.Scope.syndicateWide()));
        assertFalse(houdanAndMaulette.grants(Users.Scope.NONE));
        assertTrue(syndicate.grants(Users.Scope.syndicateWide()));
        assertTrue(syndicate.grants(of(GRESSEY)));
        assertFalse(syndicate.grants(Users.Scope.of(List.of(OTHER))), "only collectivités configured");
        assertFalse(syndicate.grants(Users.Scope.NONE));
    }

    @Test
    void theSessionsChoiceIsAlwaysOneOfTheAccounts() {
        Sessions sessions = new Sessions(new SecureRandom(), Clock.systemUTC(), Duration.ofMinutes(5));
        Sessions.Session s = sessions.create(Optional.of("syndic"));
        assertFalse(s.choose(HOUDAN.siren()), "no access read yet: nothing chosen");
        assertEquals(Optional.empty(), s.access());

        s.access(CollectiviteAccess.of(Users.Scope.syndicateWide(), SYNDICATE));
        assertTrue(s.access().orElseThrow().syndicate(), "the access read is kept");
        assertEquals(Optional.of(HOUDAN.siren()), s.current(), "the syndicate starts on the first collectivité too");
        assertTrue(s.choose(MAULETTE.siren()));
        assertEquals(Optional.of(MAULETTE.siren()), s.current());
        s.access(CollectiviteAccess.of(Users.Scope.syndicateWide(), SYNDICATE));
        assertEquals(Optional.of(MAULETTE.siren()), s.current(), "kept at the next request");
        assertFalse(s.choose(OTHER));
        assertEquals(Optional.of(MAULETTE.siren()), s.current(), "a refused choice changes nothing");
        assertTrue(s.choose(Sessions.ALL));
        assertEquals(Optional.empty(), s.current());
        s.access(CollectiviteAccess.of(Users.Scope.syndicateWide(), SYNDICATE));
        assertEquals(Optional.empty(), s.current(), "« Toutes » kept at the next request");

        // No longer syndicate-wide: every collectivité is no longer hers, nor Maulette later.
        s.access(CollectiviteAccess.of(of(MAULETTE, GRESSEY), SYNDICATE));
        assertEquals(Optional.of(MAULETTE.siren()), s.current(), "the first of hers");
        assertFalse(s.choose(Sessions.ALL));
        assertFalse(s.choose(HOUDAN.siren()));
        assertTrue(s.choose(GRESSEY.siren()));
        s.access(CollectiviteAccess.of(of(MAULETTE), SYNDICATE));
        assertEquals(Optional.of(MAULETTE.siren()), s.current(), "Gressey taken away: back to hers");

        Sessions.Session commune = sessions.create(Optional.of("marie"));
        commune.access(CollectiviteAccess.of(of(GRESSEY, HOUDAN), SYNDICATE));
        assertEquals(Optional.of(HOUDAN.siren()), commune.current(), "the first of hers in the configuration's order");
    }
}
