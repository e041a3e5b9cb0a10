package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtConfig;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.testing.Houdan;
import picocli.CommandLine;

/**
 * A syndicate on the command line, end to end: the simulator started with {@code --account LOGIN:MOT_DE_PASSE:DROIT:SIREN}
 * (one account per commune), a main file and one file per commune, each acte sent with {@code send --collectivite}.
 * Both communes number an acte 2026-DEC-001; each has its own envelope counter, its own number uniqueness, its own
 * classification and its own TdT account; {@code status --collectivite} lists one commune's actes.
 */
class SyndicateCliIT {
    static final String HOUDAN = "217803105";
    static final String MAULETTE = "217803816";

    @TempDir
    Path dir;

    @Test
    void twoCommunesEachSendNumber2026Dec001WithTheirOwnCounterClassificationAndAccount() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        StringWriter simulatorOut = new StringWriter();
        CommandLine simulator = new CommandLine(new SimulatorCommand(Clock.systemUTC(), stop));
        simulator.setOut(new PrintWriter(simulatorOut, true));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> simulator.execute("--port", "0", "--tls", "--dir",
                    dir.resolve("simulateur").toString(), "--account", "houdan:mdp-houdan:RW:" + HOUDAN,
                    "--account", "maulette:mdp:maulette:RW:" + MAULETTE));
            Map<String, String> tdt = tdtLines(simulatorOut);
            assertTrue(simulatorOut.toString().contains("Comptes S²LOW : houdan (RW, Commune de Houdan, SIREN 217803105), "
                    + "maulette (RW, Collectivité 217803816, SIREN 217803816)."), simulatorOut.toString());
            String config = writeSyndicate(tdt).toString();

            MainTest.Result none = MainTest.run(send(config, null, "2026-DEC-001", "1.4"));
            assertEquals(ExitCodes.INVALID_INPUT, none.exit(), none.err());
            assertTrue(none.err().contains(CollectiviteOptionTest.CHOOSE), none.err());

            // the same number in each commune, sends interleaved: each its own counter, 1, 2, 3 and 1, 2
            List<String[]> sent = new ArrayList<>();
            for (String[] s : new String[][] {{HOUDAN, "2026-DEC-001"}, {MAULETTE, "2026-DEC-001"}, {HOUDAN, "2026-DEC-002"},
                    {MAULETTE, "2026-DEC-002"}, {HOUDAN, "2026-DEC-003"}}) {
                MainTest.Result r = MainTest.run(send(config, s[0], s[1], "1.4"));
                assertEquals(ExitCodes.OK, r.exit(), r.err());
                assertTrue(r.out().contains("Acte transmis au TdT"), r.out());
                sent.add(lastLine(r.out()).split(" "));
            }
            assertEquals("078-217803105-20260427-2026_DEC_001-CC", sent.get(0)[0]);
            assertEquals("078-217803816-20260427-2026_DEC_001-CC", sent.get(1)[0]);
            Map<String, JsonNode> all = byIdActe(status(config));
            assertEquals(5, all.size());
            assertEquals(List.of(1, 2, 3), envelopes(all, HOUDAN));
            assertEquals(List.of(1, 2), envelopes(all, MAULETTE));

            // a number is unique within its commune only
            MainTest.Result again = MainTest.run(send(config, HOUDAN, "2026-DEC-001", "1.4"));
            assertEquals(ExitCodes.OK, again.exit(), again.err());
            assertTrue(again.out().contains("L'acte 078-217803105-20260427-2026_DEC_001-CC est déjà dans le journal : il n'a pas "
                    + "été renvoyé."), again.out());
            assertEquals(5, status(config).size());

            // status --collectivite: one commune's actes, in JSON with their siren, and as text
            JsonNode maulette = status(config, "--collectivite", MAULETTE);
            assertEquals(List.of("078-217803816-20260427-2026_DEC_002-CC", "078-217803816-20260427-2026_DEC_001-CC"),
                    ids(maulette));
            maulette.forEach(o -> assertEquals(MAULETTE, o.path("siren").asText()));
            MainTest.Result text = MainTest.run("status", "--collectivite", MAULETTE, "--config", config);
            assertEquals(2, text.out().lines().count(), text.out());
            assertTrue(text.out().lines().allMatch(l -> l.startsWith("078-217803816-")), text.out());

            // followed to the AR, each polled with its own account
            for (int i = 0; i < 10 && status(config, "--state", "ACKNOWLEDGED").size() < 5; i++) {
                MainTest.Result poll = MainTest.run("poll", "--once", "--config", config);
                assertEquals(ExitCodes.OK, poll.exit(), poll.err());
            }
            assertEquals(3, status(config, "--collectivite", HOUDAN, "--state", "ACKNOWLEDGED").size());
            assertEquals(2, status(config, "--collectivite", MAULETTE, "--state", "ACKNOWLEDGED").size());
            String mauletteTx = sent.get(1)[1];
            MainTest.Result ar = MainTest.run("tdt", "status", "--transaction", mauletteTx, "--out", dir.toString(),
                    "--config", config);
            assertEquals(ExitCodes.OK, ar.exit(), ar.err());
            assertTrue(Files.readString(dir.resolve("ARActe-" + mauletteTx + ".xml"), StandardCharsets.ISO_8859_1)
                    .contains("078-217803816-20260427-2026_DEC_001-CC"), "the TdT made it Maulette's acte");
            MainTest.Result wrong = MainTest.run("tdt", "status", "--transaction", mauletteTx, "--collectivite", HOUDAN,
                    "--config", config);
            assertEquals(ExitCodes.INVALID_INPUT, wrong.exit(), wrong.err());
            assertTrue(wrong.err().contains("La transaction " + mauletteTx + " est celle d'un acte de la collectivité de SIREN "
                    + MAULETTE + ", pas de " + HOUDAN), wrong.err());
            // and the TdT itself keeps an account to its collectivité's actes, as S²LOW does
            ConnectorConfig loaded = ConnectorConfig.load(Path.of(config), Map.of());
            try (TdtClient houdan = new TdtClient(TdtConfig.fromProperties(loaded.of(HOUDAN).values(),
                    loaded.of(HOUDAN).baseDir()))) {
                TdtRefusedException refused = assertThrows(TdtRefusedException.class,
                        () -> houdan.getStatus(Long.parseLong(mauletteTx)));
                assertTrue(refused.userMessage().contains("Accès refusé"), refused.userMessage());
                assertEquals(4, houdan.getStatus(Long.parseLong(sent.get(0)[1])).code());
            }

            // the year-end archive of one commune: its bundles only
            MainTest.Result year = MainTest.run("export", "--since", "2026-01-01", "--until", "2026-12-31", "--collectivite",
                    MAULETTE, "--out", dir.resolve("archive-maulette").toString(), "--config", config);
            assertEquals(ExitCodes.OK, year.exit(), year.err());
            JsonNode index = new ObjectMapper().readTree(dir.resolve("archive-maulette").resolve("index.json").toFile());
            List<String> exported = new ArrayList<>();
            (index.isArray() ? index : index.path("actes")).forEach(o -> exported.add(o.path("idActe").asText()));
            assertEquals(List.of("078-217803816-20260427-2026_DEC_001-CC", "078-217803816-20260427-2026_DEC_002-CC"), exported,
                    index.toString());

            // each commune's classification: Maulette's lacks 1.6, Houdan's has it
            MainTest.Result houdan16 = MainTest.run(prepare(config, HOUDAN, "1.6"));
            assertEquals(ExitCodes.OK, houdan16.exit(), houdan16.err());
            MainTest.Result maulette16 = MainTest.run(prepare(config, MAULETTE, "1.6"));
            assertEquals(ExitCodes.INVALID_INPUT, maulette16.exit(), maulette16.err());
            assertTrue(maulette16.err().contains("La matière « 1.6 » n'existe pas dans la classification de la préfecture du "
                    + "2026-11-25"), maulette16.err());

            stop.countDown();
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        } finally {
            stop.countDown();
            runner.shutdownNow();
        }
    }

    private String[] send(String config, String siren, String number, String classification) throws IOException {
        Path pdf = dir.resolve("decision.pdf");
        if (Files.notExists(pdf)) Houdan.writePdf(pdf, "Decision");
        List<String> args = new ArrayList<>(List.of("send", "--config", config, "--number", number, "--date", "2026-04-27",
                "--nature", "CC", "--classification", classification, "--subject", "Convention de groupement " + number,
                "--document", pdf.toString()));
        if (siren != null) args.addAll(List.of("--collectivite", siren));
        return args.toArray(String[]::new);
    }

    private String[] prepare(String config, String siren, String classification) throws IOException {
        String[] send = send(config, siren, "2026-DEC-099", classification);
        send[0] = "prepare";
        String[] all = java.util.Arrays.copyOf(send, send.length + 2);
        all[send.length] = "--out";
        all[send.length + 1] = dir.resolve("prepared-" + siren).toString();
        return all;
    }

    private static JsonNode status(String config, String... filter) throws IOException {
        List<String> args = new ArrayList<>(List.of("status", "--json", "--config", config));
        args.addAll(List.of(filter));
        MainTest.Result r = MainTest.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static Map<String, JsonNode> byIdActe(JsonNode rows) {
        Map<String, JsonNode> m = new HashMap<>();
        rows.forEach(o -> m.put(o.path("idActe").asText(), o));
        return m;
    }

    private static List<String> ids(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(o -> out.add(o.path("idActe").asText()));
        return out;
    }

    /** Envelope numbers of the commune's archives ({@code TTT-EACT--<SIREN>--<day>-<n>.tar.gz}), in number order. */
    private static List<Integer> envelopes(Map<String, JsonNode> actes, String siren) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            String name = "TTT-EACT--" + siren + "--" + "2026_DEC_00" + n;
            JsonNode acte = actes.get("078-" + siren + "-20260427-2026_DEC_00" + n + "-CC");
            if (acte == null) continue;
            for (JsonNode d : acte.path("documents")) {
                if (!d.path("kind").asText().equals("archive")) continue;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("TTT-EACT--" + siren + "--\\d{8}-(\\d+)\\.tar\\.gz")
                        .matcher(d.path("name").asText());
                assertTrue(m.matches(), name + ": " + d);
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        return numbers;
    }

    private static String lastLine(String out) {
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** The {@code tdt.*} lines the simulator prints, with the passwords read from the files beside the stores. */
    private static Map<String, String> tdtLines(StringWriter out) throws Exception {
        Map<String, String> tdt = new HashMap<>();
        for (int i = 0; i < 400 && !tdt.containsKey(TdtConfig.KEY_TRUSTSTORE); i++) {
            Thread.sleep(50);
            out.toString().lines().filter(l -> l.startsWith("tdt.")).forEach(l ->
                    tdt.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        }
        assertTrue(tdt.containsKey(TdtConfig.KEY_TRUSTSTORE), out.toString());
        for (String store : new String[] {TdtConfig.KEY_KEYSTORE, TdtConfig.KEY_TRUSTSTORE}) {
            tdt.put(store.equals(TdtConfig.KEY_KEYSTORE) ? TdtConfig.KEY_KEYSTORE_PASSWORD : TdtConfig.KEY_TRUSTSTORE_PASSWORD,
                    Files.readString(Path.of(tdt.get(store) + ".password"), StandardCharsets.US_ASCII).strip());
        }
        return tdt;
    }

    /**
     * The shipped syndicate's files, pointed at the simulator: the platform certificate in the main file, each commune's
     * login and password in its own file, Maulette with its own classification (without 1.6, dated 2026-11-25).
     */
    private Path writeSyndicate(Map<String, String> tdt) throws IOException {
        Path communes = Files.createDirectories(dir.resolve("collectivites"));
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        String classification = Files.readString(dir.resolve("classification-078.xml"), StandardCharsets.ISO_8859_1);
        String without16 = classification.replaceFirst("\\s*<actes:Matiere2 actes:CodeMatiere=\"6\" actes:Libelle=\"Actes "
                        + "relatifs [^\"]*\"/>", "")
                .replace("<actes:DateClassification>2026-11-20<", "<actes:DateClassification>2026-11-25<");
        assertTrue(without16.length() < classification.length(), "1.6 removed");
        Files.writeString(communes.resolve("classification-maulette.xml"), without16, StandardCharsets.ISO_8859_1);
        StringBuilder main = new StringBuilder(Files.readString(Path.of("config", "syndicat.properties")));
        main.append("\nclassification.max-age-days=3650\ntdt.timeout-seconds=10\ntdt.retry.initial-delay-seconds=1\n");
        tdt.forEach((k, v) -> main.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("syndicat.properties"), main, StandardCharsets.UTF_8);
        Files.writeString(communes.resolve("houdan.properties"), Files.readString(Path.of("config", "collectivites",
                "houdan.properties")) + "\ntdt.login=houdan\ntdt.password=mdp-houdan\n", StandardCharsets.UTF_8);
        Files.writeString(communes.resolve("maulette.properties"), Files.readString(Path.of("config", "collectivites",
                "maulette.properties")) + "\nclassification.file=classification-maulette.xml\ntdt.login=maulette\n"
                + "tdt.password=mdp:maulette\n", StandardCharsets.UTF_8);
        return dir.resolve("syndicat.properties");
    }
}
