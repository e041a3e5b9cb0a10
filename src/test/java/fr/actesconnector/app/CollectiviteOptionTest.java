package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.Houdan;

/** {@code --collectivite} on the shipped syndicate configuration (Houdan and Maulette), in-process. */
class CollectiviteOptionTest {
    static final String MAULETTE_ACTE = "078-217803816-20260427-2026_DEC_020-CC";

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void syndicate() throws IOException {
        Files.createDirectories(dir.resolve("collectivites"));
        for (String f : new String[] {"syndicat.properties", "classification-078.xml", "collectivites/houdan.properties",
                "collectivites/maulette.properties"}) {
            Files.copy(Path.of("config").resolve(f), dir.resolve(f));
        }
        config = dir.resolve("syndicat.properties");
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
    }

    private MainTest.Result prepare(String... extra) {
        String[] args = {"prepare", "--config", config.toString(), "--number", "2026-DEC-020", "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", "Convention", "--document",
                dir.resolve("decision.pdf").toString(), "--out", dir.resolve("out").toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return MainTest.run(all);
    }

    @Test
    void withoutItACommandOnOneActeIsRefusedInFrenchNamingTheCollectivites() {
        MainTest.Result r = prepare();
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("Cette configuration compte 2 collectivités (Commune de Houdan (SIREN 217803105), "
                + "Commune de Maulette (SIREN 217803816)) : indiquez laquelle avec --collectivite SIREN."), r.err());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
        MainTest.Result check = MainTest.run("tdt", "check", "--config", config.toString());
        assertEquals(ExitCodes.INVALID_INPUT, check.exit(), check.err());
        assertTrue(check.err().contains("--collectivite SIREN"), check.err());
    }

    @Test
    void itChoosesTheCollectiviteTheActeIsMadeFor() {
        MainTest.Result r = prepare("--collectivite", "217803816");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("IDActe : " + MAULETTE_ACTE), r.out());
        String archive = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(Path.of(archive).getFileName().toString().startsWith("TTT-EACT--217803816--"), archive);
    }

    @Test
    void anIdActeSelectsItsCollectiviteAndMustAgreeWithTheOption() {
        MainTest.Result unknown = MainTest.run("cancel", "--config", config.toString(), "--acte",
                "078-217806462-20260427-2026_DEC_020-CC");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("La collectivité de SIREN 217806462 n'est pas dans la configuration"), unknown.err());
        MainTest.Result mismatch = MainTest.run("cancel", "--config", config.toString(), "--acte", MAULETTE_ACTE,
                "--collectivite", "217803105");
        assertEquals(ExitCodes.INVALID_INPUT, mismatch.exit(), mismatch.err());
        assertTrue(mismatch.err().contains("est celui de la collectivité de SIREN 217803816, pas de 217803105"), mismatch.err());
        MainTest.Result known = MainTest.run("cancel", "--config", config.toString(), "--acte", MAULETTE_ACTE);
        assertEquals(ExitCodes.INVALID_INPUT, known.exit(), known.err());
        assertTrue(known.err().contains("L'acte " + MAULETTE_ACTE + " n'est pas dans le journal."), known.err());
    }
}
