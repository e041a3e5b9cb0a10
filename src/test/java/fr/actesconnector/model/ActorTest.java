package fr.actesconnector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Who did an action: cleaned when built, shown in French, stored as {@code kind:name} and read back. */
class ActorTest {
    private static final String OS_USER = System.getProperty("user.name");

    @Test
    void theNameLosesControlCharactersAndIsNeverEmptyNorLongerThanTheColumn() {
        assertEquals("marie dupont", Actor.web(" marie\ndupont\t").name());
        assertEquals("?", Actor.web(" \r\n ").name());
        assertEquals("a".repeat(150), Actor.web("a".repeat(151)).name());
        assertEquals("a".repeat(149), Actor.web("a".repeat(149)).name());
    }

    @Test
    void eachKindIsShownInFrenchAfterPar() {
        assertEquals("marie.dupont", Actor.web("marie.dupont").label());
        assertEquals(new Actor(Actor.Kind.COMMAND_LINE, OS_USER), Actor.commandLine());
        assertEquals("la ligne de commande (" + OS_USER + ")", Actor.commandLine().label());
        assertEquals(new Actor(Actor.Kind.PROGRAM, OS_USER), Actor.program());
        assertEquals("un programme (" + OS_USER + ")", Actor.program().label());
    }

    @Test
    void theStoredFormIsReadBackAndAnUnknownKindIsAProgramsName() {
        assertEquals("web:marie.dupont", Actor.web("marie.dupont").stored());
        assertEquals("cli:root", new Actor(Actor.Kind.COMMAND_LINE, "root").stored());
        for (Actor a : new Actor[] {Actor.web("marie:dupont"), Actor.commandLine(), Actor.program()}) {
            assertEquals(a, Actor.parse(a.stored()));
        }
        assertEquals(Actor.web("chef"), Actor.parse("WEB:chef"));
        assertEquals(new Actor(Actor.Kind.PROGRAM, "robot:x"), Actor.parse("robot:x"));
        assertEquals(new Actor(Actor.Kind.PROGRAM, "sans-deux-points"), Actor.parse("sans-deux-points"));
    }
}
