package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void anUnknownOptionIsAFrenchErrorPointingAtTheVerbsHelp() {
        Result r = run("demo", "--bogus");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("Erreur : option inconnue « --bogus »"), r.err());
        assertTrue(r.err().contains("Aide : java -jar actes.jar demo --help"), r.err());
    }
}
