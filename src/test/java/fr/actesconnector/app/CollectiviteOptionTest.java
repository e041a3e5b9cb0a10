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

    static final String CHOOSE = "Cette configuration compte 2 collectivités (Commune de Houdan (SIREN 217803105), "
            + "Commune de Maulette (SIREN 217803816)) : indiquez laquelle avec --collectivite SIREN.";
    static final String UNKNOWN = "La collectivité de SIREN 217806462 n'est pas dans la configuration (Commune de Houdan "
            + "(SIREN 217803105), Commune de Maulette (SIREN 217803816)).";

    private String[] with(String[] args, String... extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return all;
    }

    /**
     * The audit, command by command: what creates an acte or asks the TdT for one collectivité needs --collectivite;
     * what names an existing acte (IDActe, a transaction the journal knows) takes its collectivité from it; an unknown
     * SIREN is refused naming the configured ones. Nothing here reaches the TdT (none is configured).
     */
    @Test
    void everyCommandOnOneActeOrOneCollectiviteNeedsItOrTakesItFromTheActe() {
        String c = config.toString();
        String doc = dir.resolve("decision.pdf").toString();
        String[] acte = {"--number", "2026-DEC-001", "--date", "2026-04-27", "--nature", "CC", "--classification", "1.4",
                "--subject", "Convention", "--document", doc};
        String out = dir.resolve("out").toString();
        java.util.List<String[]> choose = java.util.List.of(
                with(with(new String[] {"prepare", "--config", c}, acte), "--out", out),
                with(new String[] {"send", "--config", c}, acte),
                new String[] {"tdt", "check", "--config", c},
                new String[] {"tdt", "classification", "--update", "--config", c},
                new String[] {"tdt", "status", "--transaction", "999", "--config", c},
                new String[] {"tdt", "confirm", "--transaction", "999", "--config", c},
                new String[] {"export", "--since", "2026-01-01", "--until", "2026-12-31", "--out", out, "--config", c});
        for (String[] args : choose) {
            MainTest.Result r = MainTest.run(args);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.err().contains(CHOOSE), String.join(" ", args) + "\n" + r.err());
            MainTest.Result unknown = MainTest.run(with(args, "--collectivite", "217806462"));
            assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), String.join(" ", args) + "\n" + unknown.err());
            assertTrue(unknown.err().contains(UNKNOWN), String.join(" ", args) + "\n" + unknown.err());
        }
        // an existing acte names its collectivité: no --collectivite needed, the journal is asked (and knows none here)
        java.util.List<String[]> inferred = java.util.List.of(
                new String[] {"cancel", "--acte", MAULETTE_ACTE, "--config", c},
                new String[] {"publish", "--acte", MAULETTE_ACTE, "--date", "2026-05-02", "--mode", "publication", "--config", c},
                new String[] {"reply", "--acte", MAULETTE_ACTE, "--letter", "12", "--kind", "reponse", "--document", doc,
                        "--config", c},
                new String[] {"export", "--acte", MAULETTE_ACTE, "--out", out, "--config", c},
                with(new String[] {"send", "--replaces", MAULETTE_ACTE, "--config", c}, acte));
        for (String[] args : inferred) {
            MainTest.Result r = MainTest.run(args);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.err().contains(MAULETTE_ACTE) && r.err().contains("n'est pas dans le journal")
                    && !r.err().contains("--collectivite SIREN"), String.join(" ", args) + "\n" + r.err());
            MainTest.Result other = MainTest.run(with(args, "--collectivite", "217803105"));
            assertEquals(ExitCodes.INVALID_INPUT, other.exit(), String.join(" ", args) + "\n" + other.err());
            assertTrue(other.err().contains("est celui de la collectivité de SIREN 217803816, pas de 217803105"),
                    String.join(" ", args) + "\n" + other.err());
        }
        // the whole journal: no --collectivite needed; status takes it as a filter
        MainTest.Result status = MainTest.run("status", "--config", c);
        assertEquals(ExitCodes.OK, status.exit(), status.err());
        MainTest.Result unknown = MainTest.run("status", "--json", "--collectivite", "217806462", "--config", c);
        assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains(UNKNOWN), unknown.err());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    /** One collectivité (today's houdan.properties): never asked for, and a SIREN it is not is refused. */
    @Test
    void withOneCollectiviteTheOptionIsNeverNeeded() throws IOException {
        Files.copy(Path.of("config", "houdan.properties"), dir.resolve("houdan.properties"));
        String c = dir.resolve("houdan.properties").toString();
        MainTest.Result prepared = MainTest.run("prepare", "--config", c, "--number", "2026-DEC-001", "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", "Convention", "--document",
                dir.resolve("decision.pdf").toString(), "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.OK, prepared.exit(), prepared.err());
        assertTrue(prepared.out().contains("IDActe : 078-217803105-20260427-2026_DEC_001-CC"), prepared.out());
        MainTest.Result cancel = MainTest.run("cancel", "--acte", "078-217803105-20260427-2026_DEC_001-CC", "--config", c);
        assertTrue(cancel.err().contains("n'est pas dans le journal"), cancel.err());
        MainTest.Result other = MainTest.run("status", "--collectivite", "217803816", "--config", c);
        assertEquals(ExitCodes.INVALID_INPUT, other.exit(), other.err());
        assertTrue(other.err().contains("La collectivité de SIREN 217803816 n'est pas dans la configuration (Commune de "
                + "Houdan (SIREN 217803105))."), other.err());
        MainTest.Result same = MainTest.run("status", "--collectivite", "217803105", "--config", c);
        assertEquals(ExitCodes.OK, same.exit(), same.err());
        assertTrue(same.out().contains("Aucun acte de Commune de Houdan (SIREN 217803105) dans le journal."), same.out());
    }

    /** The façade, as the web page's « Corriger et renvoyer » reaches it: a correction keeps the refused acte's collectivité. */
    @Test
    void aCorrectionIsSentInTheNameOfTheRefusedActesCollectivite() {
        fr.actesconnector.ConnectorConfig loaded = fr.actesconnector.ConnectorConfig.load(config, java.util.Map.of());
        try (fr.actesconnector.ActesConnector connector = new fr.actesconnector.ActesConnector(loaded,
                java.time.Clock.systemDefaultZone())) {
            fr.actesconnector.model.Acte houdan = acte(loaded.of("217803105").collectivite(), "2026-DEC-020");
            long refused = connector.journal().register(fr.actesconnector.journal.NewActe.of(houdan)).entry().id();
            connector.journal().markPosting(refused);
            connector.journal().recordError(refused, "Anomalie");
            fr.actesconnector.model.Acte maulette = acte(loaded.of("217803816").collectivite(), "2026-DEC-021");
            fr.actesconnector.model.InvalidActeException e = org.junit.jupiter.api.Assertions.assertThrows(
                    fr.actesconnector.model.InvalidActeException.class,
                    () -> connector.send(maulette, false, java.util.Optional.of(houdan.idActe())));
            assertTrue(e.userMessage().contains("L'acte " + houdan.idActe() + " à remplacer est celui de la collectivité de "
                    + "SIREN 217803105 : sa correction se transmet au nom de la même collectivité, pas de Commune de Maulette "
                    + "(SIREN 217803816)."), e.userMessage());
            assertEquals(1, connector.journal().entries().list(fr.actesconnector.journal.EntryFilter.ALL).size(), "nothing registered");
        }
    }

    private fr.actesconnector.model.Acte acte(fr.actesconnector.model.Collectivite c, String number) {
        return new fr.actesconnector.model.Acte(c, number, java.time.LocalDate.of(2026, 4, 27), fr.actesconnector.model.Nature.CC,
                fr.actesconnector.model.Classification.of(1, 4), "Convention", new fr.actesconnector.model.Piece(
                        dir.resolve("decision.pdf"), new fr.actesconnector.model.Typologie("99_DC")), java.util.List.of(), false);
    }

    /** An account of a syndicate's page may serve any commune: its password holds none of their names. */
    @Test
    void aPasswordHoldingAnyCollectivitesNameIsRefused() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("les prés verts de Maulette\n".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            MainTest.Result r = MainTest.run("user", "add", "secretaire", "--syndicat", "--config", config.toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
            assertTrue(r.err().contains("Le mot de passe contient le nom de la collectivité (« maulette »)"), r.err());
            System.setIn(new java.io.ByteArrayInputStream("les prés verts du Vexin\n".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            MainTest.Result ok = MainTest.run("user", "add", "secretaire", "--syndicat", "--config", config.toString());
            assertEquals(ExitCodes.OK, ok.exit(), ok.err());
        } finally {
            System.setIn(stdin);
        }
    }
}
