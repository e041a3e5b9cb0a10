package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MainTest {
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void onlyTheVerbUsedIsBuiltAndEveryVerbForHelpOrAMistake() {
        assertEquals(Set.of("demo"), Main.commandLine(new String[] {"demo", "--dir", "x"}).getSubcommands().keySet());
        assertEquals(Main.VERBS.size(), Main.commandLine(new String[] {"help"}).getSubcommands().size());
        assertEquals(Main.VERBS.size(), Main.commandLine(new String[] {"demoo"}).getSubcommands().size());
        assertEquals(Main.VERBS.size(), Main.commandLine(new String[0]).getSubcommands().size());
    }

    @Test
    void theUsageListsEveryVerb() {
        Result r = run();
        for (String verb : new String[] {"prepare", "send", "tdt", "status", "poll", "daemon", "verify", "parse", "inbox",
                "simulator", "bench", "serve", "user", "demo", "export", "verify-bundle"}) {
            assertTrue(r.out().contains("\n  " + verb + " "), verb + " in\n" + r.out());
        }
    }

    @Test
    void aMistypedVerbIsAFrenchErrorWithSuggestions() {
        Result r = run("statu", "--json");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("Erreur : commande inconnue « statu » ; vouliez-vous dire « status »"), r.err());
        assertTrue(r.err().contains("Aide : java -jar actes.jar --help"), r.err());
    }

    /** The English picocli writes, none of which may reach people. */
    private static void assertNoPicocliEnglish(String err) {
        for (String english : new String[] {"Missing required", "Invalid value", "should be specified only once",
                "is not an int", "cannot convert", "Text '", "could not be parsed"}) {
            assertFalse(err.contains(english), english + " in " + err);
        }
    }

    @Test
    void aDateThatDoesNotExistIsSaidToNotExistNotToBeBadlyWritten() {
        Result r = run("export", "--config", "x.properties", "--since", "2026-02-30", "--until", "2026-12-31", "--out", "o");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("Erreur : la date « 2026-02-30 » n'existe pas : février 2026 compte 28 jours"
                + " (ex. 2026-04-27) pour --since"), r.err());
        assertNoPicocliEnglish(r.err());
        Result format = run("export", "--config", "x.properties", "--since", "30/02/2026", "--out", "o");
        assertTrue(format.err().contains("la date « 30/02/2026 » n'est pas au format AAAA-MM-JJ"), format.err());
    }

    @Test
    void missingRepeatedAndMistypedOptionsAreFrench() {
        Result missing = run("publish", "--config", "x.properties");
        assertEquals(ExitCodes.INVALID_INPUT, missing.exit());
        assertTrue(missing.err().contains("Erreur : il manque les options obligatoires --acte, --date, --mode"),
                missing.err());
        Result one = run("publish", "--config", "x.properties", "--acte", "a", "--date", "2026-05-02");
        assertTrue(one.err().contains("Erreur : il manque l'option obligatoire --mode"), one.err());
        Result twice = run("parse", "a.xml", "--pieces", "a", "--pieces", "b");
        assertTrue(twice.err().contains("Erreur : l'option --pieces est donnée plusieurs fois : gardez-en une seule"),
                twice.err());
        Result port = run("simulator", "--port", "huit");
        assertTrue(port.err().contains("Erreur : la valeur « huit » de --port n'est pas valide : un nombre entier est attendu"),
                port.err());
        for (Result r : new Result[] {missing, one, twice, port}) {
            assertEquals(ExitCodes.INVALID_INPUT, r.exit());
            assertNoPicocliEnglish(r.err());
        }
    }

    @Test
    void anUnknownOptionIsAFrenchErrorPointingAtTheVerbsHelp() {
        Result r = run("demo", "--bogus");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("Erreur : option inconnue « --bogus »"), r.err());
        assertTrue(r.err().contains("Aide : java -jar actes.jar demo --help"), r.err());
    }
}
