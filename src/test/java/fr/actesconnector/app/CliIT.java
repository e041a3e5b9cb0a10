package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.Houdan;

/** The built jar run as a user would: the command lines, outputs and exit codes scripts rely on. */
class CliIT {
    static final Path JAR = Path.of("target", "actes.jar");

    @TempDir
    Path dir;
    Path config;

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** {@code args} followed by {@code --config config}. */
    static Run runWithConfig(Path workDir, Path config, String... args) throws IOException, InterruptedException {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return run(workDir, all);
    }

    static Run run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "command did not finish: " + cmd);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @BeforeEach
    void houdanConfig() throws IOException {
        Files.copy(Path.of("config", "houdan.properties"), dir.resolve("houdan.properties"));
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        config = dir.resolve("houdan.properties");
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
        Houdan.writePdf(dir.resolve("contrat.pdf"), "Contrat");
    }

    @Test
    void prepareWritesTheArchiveAndPrintsItsPathLast() throws Exception {
        Run r = run(dir, "prepare", "--config", config.toString(), "--number", "2026-DEC-020", "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", Houdan.OBJET_DECISION,
                "--document", dir.resolve("decision.pdf").toString(), "--annex", dir.resolve("contrat.pdf") + ":99_DC",
                "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(Houdan.ID_ACTE), r.out());
        Path archive = Path.of(r.outLines().get(r.outLines().size() - 1));
        assertTrue(Files.isRegularFile(archive), archive.toString());
        assertTrue(archive.getFileName().toString().matches("TTT-EACT--217803105--\\d{8}-\\d+\\.tar\\.gz"), archive.toString());
        assertTrue(r.err().contains("2026_DEC_020"), r.err());
    }

    @Test
    void natureByCodeAndDefaultTypology() throws Exception {
        Run r = run(dir, "prepare", "--config", config.toString(), "--number", "2026-DEC-021", "--date", "2026-04-27",
                "--nature", "4", "--classification", "1.4", "--subject", "Avenant",
                "--document", dir.resolve("decision.pdf").toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("99_DC-078-217803105-20260427-2026_DEC_021-CC-1-1_1.pdf"), r.out());
    }

    @Test
    void invalidInputExitsTwoWithEveryErrorInFrenchAndWritesNothing() throws Exception {
        Path out = dir.resolve("out-invalid");
        Run r = run(dir, "prepare", "--config", config.toString(), "--number", "2026-DEC-020-BEAUCOUP-TROP-LONG",
                "--date", "2099-01-01", "--nature", "CC", "--classification", "1.9", "--subject", " ",
                "--document", dir.resolve("absent.pdf").toString(), "--out", out.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        for (String expected : List.of("15 au maximum", "dans le futur", "objet de l'acte est vide", "« 1.9 » n'existe pas",
                "introuvable")) {
            assertTrue(r.err().contains(expected), "missing « " + expected + " » in: " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("data")), "the journal must not be created for a refused acte");
    }

    @Test
    void unknownOptionValueIsAFrenchUsageErrorExitTwo() throws Exception {
        Run r = run(dir, "prepare", "--config", config.toString(), "--number", "1", "--date", "27/04/2026",
                "--nature", "ZZ", "--classification", "x", "--subject", "s",
                "--document", dir.resolve("decision.pdf").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("AAAA-MM-JJ") && r.err().contains("« ZZ » est inconnue") && r.err().contains("forme 1.4"),
                r.err());
    }

    @Test
    void missingConfigFileIsExplained() throws Exception {
        Run r = run(dir, "status", "--json", "--config", dir.resolve("nope.properties").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("introuvable"), r.err());
    }

    @Test
    void statusJsonOnAnEmptyJournalIsAnEmptyArray() throws Exception {
        Run r = run(dir, "status", "--json", "--config", config.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("[ ]", r.out().strip());
    }

    @Test
    void demoRunsToTheArOnAFreshFolderAndShowsTheExistingActeTheSecondTime() throws Exception {
        Path work = dir.resolve("demo");
        Run first = run(dir, "demo", "--dir", work.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("Identifiant Acte: " + Houdan.ID_ACTE), first.out());
        assertTrue(first.out().contains("Matière: 1.4-Autres types de contrats"), first.out());
        assertTrue(first.out().contains("Objet acte: " + Houdan.OBJET_ACKNOWLEDGED), first.out());
        assertTrue(first.out().contains("Accusé de réception reçu"), first.out());
        assertTrue(first.out().contains("PDF tamponné : "), first.out());
        String last = first.outLines().get(first.outLines().size() - 1);
        assertTrue(last.matches(java.util.regex.Pattern.quote(Houdan.ID_ACTE) + " \\d+"), last);
        try (java.util.stream.Stream<Path> out = Files.list(dir.resolve("out"))) {
            assertTrue(out.anyMatch(p -> p.getFileName().toString().startsWith("TTT-EACT--217803105--")));
        }

        Run second = run(dir, "demo", "--dir", work.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, second.exit(), second.out() + second.err());
        assertTrue(second.out().contains("déjà dans le journal"), second.out());
        assertEquals(last, second.outLines().get(second.outLines().size() - 1));
    }

    @Test
    void demoOfASyndicateSendsOneActePerCollectiviteWithItsAccountAndStatusNamesTheirSirens() throws Exception {
        Path work = dir.resolve("demo");
        Run first = run(dir, "demo", "--collectivites", "2", "--dir", work.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        List<String> ids = first.outLines().stream().filter(l -> l.matches("078-\\d{9}-\\d{8}-\\w+-CC \\d+")).toList();
        assertEquals(List.of("078-217803105-20260427-2026_DEC_020-CC", "078-217803816-20260428-2026_DEC_012-CC"),
                ids.stream().map(l -> l.split(" ")[0]).toList(), first.out());
        assertTrue(first.out().contains("Commune de Houdan : décision 2026-DEC-020 transmise au TdT avec le compte « houdan »"),
                first.out());
        assertTrue(first.out().contains("Commune de Maulette : décision 2026-DEC-012 transmise au TdT avec le compte « maulette »"),
                first.out());
        assertEquals(2, first.out().split("Date de réception: ", -1).length - 1, first.out());
        assertTrue(first.out().contains("Nom émetteur: Commune de Maulette\nN° de SIREN: 217803816"), first.out());
        assertEquals(2, first.out().split("\\(état : Accusé de réception reçu\\)", -1).length - 1, first.out());

        Run status = runWithConfig(dir, work.resolve("syndicat").resolve("syndicat.properties"), "status", "--json");
        assertEquals(0, status.exit(), status.err());
        com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.out());
        assertEquals(2, rows.size(), status.out());
        java.util.Set<String> sirens = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.databind.JsonNode row : rows) {
            assertEquals(row.get("idActe").asText().substring(4, 13), row.get("siren").asText(), row.toString());
            assertEquals("ACKNOWLEDGED", row.get("state").asText());
            sirens.add(row.get("siren").asText());
        }
        assertEquals(java.util.Set.of("217803105", "217803816"), sirens);

        Run second = run(dir, "demo", "--collectivites", "2", "--dir", work.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, second.exit(), second.out() + second.err());
        assertEquals(2, second.out().split("est déjà dans le journal", -1).length - 1, second.out());
        assertEquals(ids, second.outLines().stream().filter(l -> l.matches("078-\\d{9}-\\d{8}-\\w+-CC \\d+")).toList());
    }
}
