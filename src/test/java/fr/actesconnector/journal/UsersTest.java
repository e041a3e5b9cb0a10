package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.MutableClock;

/** The web page's accounts in the journal: roles, disabling, the last administrator kept, every change with who made it. */
class UsersTest {
    private static final Actor ADMIN = Actor.web("chef");
    private static final Actor CLI = new Actor(Actor.Kind.COMMAND_LINE, "root");

    @TempDir
    Path dir;
    private MutableClock clock;
    private Journal journal;
    private Users users;

    @BeforeEach
    void open() {
        clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));
        journal = new Journal(JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of("")), clock);
        users = journal.users();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void accountsKeepTheirRoleNameAndStateAndEachChangeNamesWhoMadeIt() {
        assertFalse(users.anyActiveAdmin());
        users.add("Chef", "h1", Users.Role.ADMIN, Optional.of("  Claire Chef "), CLI);
        clock.advance(Duration.ofMinutes(1));
        users.add("marie.dupont", "h2", Users.Role.AGENT, Optional.empty(), ADMIN);
        assertTrue(users.anyActiveAdmin());

        List<Users.User> list = users.list();
        assertEquals(List.of("chef", "marie.dupont"), list.stream().map(Users.User::login).toList());
        assertEquals(new Users.User("chef", Users.Role.ADMIN, false, Optional.of("Claire Chef"),
                Instant.parse("2026-05-04T08:00:00Z")), list.get(0));
        assertEquals(Users.Role.AGENT, list.get(1).role());
        assertEquals(Optional.empty(), list.get(1).fullName());
        assertEquals("h2", users.credentials("Marie.Dupont").orElseThrow().passwordHash());

        List<Users.Change> changes = users.changes(10);
        assertEquals(2, changes.size());
        assertEquals(new Users.Change("marie.dupont", "compte créé (agent)", ADMIN, Instant.parse("2026-05-04T08:01:00Z")),
                changes.get(0), "newest first");
        assertEquals(CLI, changes.get(1).actor());
        assertEquals("compte créé (administrateur)", changes.get(1).detail());
    }

    @Test
    void aLoginIsTakenOnce() {
        users.add("chef", "h1", Users.Role.ADMIN, Optional.empty(), CLI);
        JournalException e = assertThrows(JournalException.class,
                () -> users.add("CHEF", "h2", Users.Role.AGENT, Optional.empty(), ADMIN));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("Le compte « chef » existe déjà"), e.userMessage());
        assertEquals(1, users.changes(10).size());
    }

    @Test
    void disablingAndEnablingAreRecordedOnceAndAnUnknownAccountIsReported() {
        users.add("chef", "h1", Users.Role.ADMIN, Optional.empty(), CLI);
        users.add("marie.dupont", "h2", Users.Role.AGENT, Optional.empty(), ADMIN);

        assertTrue(users.setDisabled("marie.dupont", true, ADMIN));
        assertTrue(users.find("marie.dupont").orElseThrow().disabled());
        assertTrue(users.setDisabled("marie.dupont", true, ADMIN), "already disabled: nothing to do");
        assertTrue(users.setDisabled("marie.dupont", false, CLI));
        assertFalse(users.find("marie.dupont").orElseThrow().disabled());
        assertFalse(users.setDisabled("personne", true, ADMIN));

        assertEquals(List.of("compte réactivé", "compte désactivé", "compte créé (agent)", "compte créé (administrateur)"),
                users.changes(10).stream().map(Users.Change::detail).toList());
    }

    @Test
    void theLastActiveAdministratorIsNeitherDisabledNorRemoved() {
        users.add("chef", "h1", Users.Role.ADMIN, Optional.empty(), CLI);
        users.add("adjoint", "h2", Users.Role.ADMIN, Optional.empty(), CLI);
        users.add("marie.dupont", "h3", Users.Role.AGENT, Optional.empty(), CLI);

        assertTrue(users.setDisabled("adjoint", true, ADMIN), "another administrator is still active");
        JournalException disable = assertThrows(JournalException.class, () -> users.setDisabled("chef", true, CLI));
        assertTrue(disable.userMessage().contains("« chef » est le seul administrateur actif"), disable.userMessage());
        JournalException remove = assertThrows(JournalException.class, () -> users.remove("chef", CLI));
        assertTrue(remove.userMessage().contains("ne peut pas être supprimé"), remove.userMessage());
        assertFalse(users.find("chef").orElseThrow().disabled());

        assertTrue(users.remove("adjoint", CLI), "a disabled administrator may go");
        assertTrue(users.remove("marie.dupont", CLI), "an agent may go");
        assertTrue(users.find("chef").isPresent());
    }

    @Test
    void aRemovedAccountLeavesItsChangesAndANewPasswordIsRecordedAsResetOrOwn() {
        users.add("chef", "h1", Users.Role.ADMIN, Optional.empty(), CLI);
        users.add("marie.dupont", "h2", Users.Role.AGENT, Optional.empty(), ADMIN);

        assertTrue(users.setPasswordHash("marie.dupont", "h3", ADMIN));
        assertTrue(users.setPasswordHash("marie.dupont", "h4", Actor.web("marie.dupont")));
        assertEquals("h4", users.passwordHash("marie.dupont").orElseThrow());
        assertFalse(users.setPasswordHash("personne", "h5", ADMIN));

        assertTrue(users.remove("marie.dupont", ADMIN));
        assertFalse(users.remove("marie.dupont", ADMIN), "already gone");
        assertEquals(Optional.empty(), users.find("marie.dupont"));
        assertEquals(List.of("compte supprimé", "mot de passe changé par la personne", "mot de passe réinitialisé",
                "compte créé (agent)"), users.changes(10).stream().filter(c -> c.login().equals("marie.dupont"))
                .map(Users.Change::detail).toList());
    }

    private static final String HOUDAN = "217803105";
    private static final String MAULETTE = "217803816";

    @Test
    void anAccountKeepsItsCollectivitesOrTheWholeSyndicateAndEachChangeIsRecorded() {
        users.add("syndic", "h1", Users.Role.ADMIN, Optional.empty(), Users.Scope.syndicateWide(), CLI);
        users.add("marie.dupont", "h2", Users.Role.AGENT, Optional.empty(), Users.Scope.of(List.of(MAULETTE, HOUDAN, HOUDAN)),
                ADMIN);
        users.add("ancien", "h3", Users.Role.AGENT, Optional.empty(), CLI);

        List<Users.User> list = users.list();
        assertEquals(List.of(Users.Scope.NONE, new Users.Scope(false, List.of(HOUDAN, MAULETTE)), Users.Scope.syndicateWide()),
                list.stream().map(Users.User::scope).toList(), "by login: ancien, marie.dupont, syndic; SIRENs sorted, once");
        assertEquals(Users.Scope.of(List.of(HOUDAN, MAULETTE)), users.credentials("marie.dupont").orElseThrow().user().scope());
        assertEquals(Users.Scope.syndicateWide(), users.find("syndic").orElseThrow().scope());
        assertEquals("compte créé (agent ; 217803105, 217803816)", users.changes(10).get(1).detail());

        assertTrue(users.setScope("marie.dupont", Users.Scope.of(List.of(MAULETTE)), ADMIN));
        assertEquals(Users.Scope.of(List.of(MAULETTE)), users.find("marie.dupont").orElseThrow().scope());
        assertEquals(new Users.Change("marie.dupont", "collectivités : 217803816", ADMIN, clock.instant()), users.changes(1).get(0));
        assertTrue(users.setScope("syndic", Users.Scope.of(List.of(HOUDAN)), CLI));
        assertEquals(Users.Scope.of(List.of(HOUDAN)), users.find("syndic").orElseThrow().scope(), "no longer syndicate-wide");
        assertTrue(users.setScope("ancien", Users.Scope.syndicateWide(), CLI));
        assertEquals(Users.Scope.syndicateWide(), users.find("ancien").orElseThrow().scope());
        int changes = users.changes(50).size();
        assertTrue(users.setScope("ancien", Users.Scope.syndicateWide(), CLI), "the same again");
        assertEquals(changes, users.changes(50).size(), "changes nothing");
        assertFalse(users.setScope("personne", Users.Scope.syndicateWide(), CLI));

        // Removed, then made again: nothing of the former collectivités is left.
        assertTrue(users.remove("marie.dupont", CLI));
        users.add("marie.dupont", "h4", Users.Role.AGENT, Optional.empty(), CLI);
        assertEquals(Users.Scope.NONE, users.find("marie.dupont").orElseThrow().scope());
    }

    @Test
    void aScopeIsTheSyndicateOrSirens() {
        assertThrows(IllegalArgumentException.class, () -> Users.Scope.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Users.Scope.of(List.of("21780310")));
        assertThrows(IllegalArgumentException.class, () -> new Users.Scope(true, List.of(HOUDAN)));
        assertTrue(Users.Scope.NONE.none());
        assertFalse(Users.Scope.syndicateWide().none());
        assertFalse(Users.Scope.of(List.of(HOUDAN)).none());
        assertEquals("tout le syndicat", Users.Scope.syndicateWide().describe());
        assertEquals("aucune collectivité", Users.Scope.NONE.describe());
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) many.add(String.valueOf(217803100 + i));
        String described = Users.Scope.of(many).describe();
        assertTrue(described.startsWith("217803100, 217803101") && described.endsWith("217803119… (25 en tout)"), described);
        assertEquals(String.join(", ", many.subList(0, 20)), Users.Scope.of(many.subList(0, 20)).describe(),
                "twenty are all shown");
    }
}
