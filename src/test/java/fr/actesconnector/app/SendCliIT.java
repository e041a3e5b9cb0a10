package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import fr.actesconnector.testing.TestPki;

/** send, tdt status, poll, status --json and --sign, run from the jar against the simulator. */
class SendCliIT {
    @TempDir
    Path dir;
    SimulatedTdt tdt;
    Path config;
    String today;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = new TestPki("CA de test");
        pki.writeCaPem(dir.resolve("ca.pem"));
        pki.signer("Commune de Houdan - TEST").writePkcs12(dir.resolve("signature.p12"), "signature", "motdepasse".toCharArray());
        pki.expiredSigner("Ancien certificat").writePkcs12(dir.resolve("expire.p12"), "signature", "motdepasse".toCharArray());
        tdt = new SimulatedTdt(dir, Clock.systemDefaultZone(), Pacing.ONE_STEP_PER_POLL,
                Map.of("signature.keystore", "signature.p12", "signature.password", "motdepasse", "poll.interval-seconds", "1"));
        config = tdt.config();
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
        Houdan.writePdf(dir.resolve("contrat.pdf"), "Contrat");
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    private List<String> acte(String command, String number) {
        return List.of(command, "--config", config.toString(), "--number", number, "--date", "2026-04-27",
                "--nature", "CC", "--classification", "1.4", "--subject", Houdan.OBJET_DECISION,
                "--document", dir.resolve("decision.pdf").toString(), "--annex", dir.resolve("contrat.pdf") + ":99_DC");
    }

    private CliIT.Run run(List<String> args, String... more) throws Exception {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of(more));
        return CliIT.run(dir, all.toArray(String[]::new));
    }

    @Test
    void sendPrintsIdActeAndTransactionThenShowsTheStateInsteadOfPostingAgain() throws Exception {
        today = java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format(java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris")));
        CliIT.Run first = run(acte("send", "2026-DEC-020"), "--sign");
        assertEquals(0, first.exit(), first.out() + first.err());
        String last = first.outLines().get(first.outLines().size() - 1);
        assertTrue(last.matches(java.util.regex.Pattern.quote(Houdan.ID_ACTE) + " \\d+"), last);
        String tx = last.split(" ")[1];

        CliIT.Run again = run(acte("send", "2026-DEC-020"), "--sign");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("déjà dans le journal"), again.out());
        assertEquals(last, again.outLines().get(again.outLines().size() - 1));
        assertEquals(1, tdt.simulator().transactionCount());

        CliIT.Run status = CliIT.run(dir, "tdt", "status", "--transaction", tx, "--config", config.toString());
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().startsWith("1 Posté"), status.out()); // the simulator moves one step per read

        for (int i = 0; i < 3; i++) {
            Thread.sleep(1100);
            assertEquals(0, CliIT.run(dir, "poll", "--once", "--config", config.toString()).exit());
        }
        CliIT.Run json = CliIT.run(dir, "status", "--json", "--config", config.toString());
        assertEquals(0, json.exit(), json.err());
        JsonNode acte = new ObjectMapper().readTree(json.out()).get(0);
        assertEquals(Houdan.ID_ACTE, acte.get("idActe").asText());
        assertEquals("ACKNOWLEDGED", acte.get("state").asText());
        assertEquals(4, acte.get("tdtStatus").asInt());
        assertEquals(tx, acte.get("transactionId").asText());
        assertFalse(acte.get("dateReception").isNull());
        assertTrue(acte.get("lastError").isNull());
        // the signatures went with the acte: the .p7s are kept beside the archive
        try (var files = Files.walk(dir.resolve("data").resolve("transmissions"))) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".p7s")).count());
        }
        assertTheMinistrysNames(acte, tx);
    }

    /**
     * The names the ministry's rules give (ACTES-PROTOCOL.md §4), on what was really made and posted: the archive
     * the journal keeps (the one the proof bundle ships) and the files the TdT holds for the transaction.
     */
    private void assertTheMinistrysNames(JsonNode acte, String tx) throws Exception {
        String envelope = "EACT--217803105--" + today + "-1";
        Path archive = null;
        for (JsonNode d : acte.get("documents")) {
            if (d.get("kind").asText().equals("archive")) archive = Path.of(d.get("path").asText());
        }
        assertTrue(archive != null, "the journal keeps the archive: " + acte.toPrettyString());
        assertEquals("TTT-" + envelope + ".tar.gz", archive.getFileName().toString(), "<trigramme>-EACT--<SIREN>--<day>-<n>.tar.gz");
        List<String> entries = new java.util.ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(Files.newInputStream(archive)))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) entries.add(e.getName());
        }
        assertEquals(List.of(envelope + ".xml", Houdan.ID_ACTE + "-1-1_0.xml", "99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf",
                        "99_DC-" + Houdan.ID_ACTE + "-1-1_2.pdf"), entries,
                "envelope EACT--<SIREN>--<day>-<n>.xml, message <IDActe>-1-1_0.xml, document <TYPO>-<IDActe>-1-1_1, annex _2, in this order");
        try (var tdtClient = client()) {
            List<String> onTheTdt = tdtClient.listFiles(Long.parseLong(tx)).stream().map(fr.actesconnector.tdt.TdtFile::name).toList();
            assertEquals(List.of(Houdan.ID_ACTE + "-1-1_0.xml", "99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf",
                    "99_DC-" + Houdan.ID_ACTE + "-1-1_2.pdf"), onTheTdt, "the files of the transaction on the TdT");
        }
    }

    /**
     * The crash that matters: the process dies inside the create call, after the TdT recorded the acte and before
     * its reply is read (a relay holds the reply back and kills the process). The journal must show POSTING (marked
     * before the POST), and the restart must find the acte on the TdT instead of posting it again.
     */
    @Test
    void aCrashAfterTheTdtRecordedTheActeButBeforeItsReplyLeavesPostingAndTheRestartPostsNothing() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Process> sender = new java.util.concurrent.atomic.AtomicReference<>();
        try (fr.actesconnector.testing.CuttingRelay relay = new fr.actesconnector.testing.CuttingRelay(tdt.simulator().port(),
                () -> tdt.simulator().transactionCount() > 0, () -> killNow(sender.get()))) {
            Path viaRelay = dir.resolve("relay.properties");
            Files.writeString(viaRelay, Files.readString(config).replaceAll("tdt.url=https://localhost:\\d+",
                    "tdt.url=https://localhost:" + relay.port()));
            List<String> args = new java.util.ArrayList<>(acte("send", "2026-DEC-020"));
            args.set(2, viaRelay.toString());
            List<String> cmd = new java.util.ArrayList<>(List.of("java", "-jar", CliIT.JAR.toAbsolutePath().toString()));
            cmd.addAll(args);
            Path log = dir.resolve("crashed-send.txt");
            sender.set(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
            assertTrue(sender.get().waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "send did not end");
            String output = Files.readString(log);
            assertTrue(relay.wasCut(), "the TdT's reply to the create was held back: " + output);
            assertFalse(output.contains(Houdan.ID_ACTE + " "), "the killed send printed no transaction: " + output);
        }
        assertEquals(1, tdt.simulator().transactionCount(), "the TdT recorded the acte before the crash");

        JsonNode crashed = new ObjectMapper().readTree(CliIT.run(dir, "status", "--json", "--config", config.toString()).out()).get(0);
        assertEquals("POSTING", crashed.get("state").asText(), "marked POSTING before the POST: " + crashed.toPrettyString());
        assertTrue(crashed.get("transactionId").isNull(), crashed.toPrettyString());

        CliIT.Run restart = run(acte("send", "2026-DEC-020"));
        assertEquals(0, restart.exit(), restart.out() + restart.err());
        String last = restart.outLines().get(restart.outLines().size() - 1);
        assertTrue(last.matches(java.util.regex.Pattern.quote(Houdan.ID_ACTE) + " \\d+"), last);
        long tx = Long.parseLong(last.split(" ")[1]);
        assertTrue(tdt.simulator().status(tx).isPresent(), "the transaction found is the TdT's: " + last);
        assertEquals(1, tdt.simulator().transactionCount(), "nothing was posted again after the crash");
        JsonNode resolved = new ObjectMapper().readTree(CliIT.run(dir, "status", "--json", "--config", config.toString()).out()).get(0);
        assertEquals("POSTED", resolved.get("state").asText(), resolved.toPrettyString());
        assertEquals(String.valueOf(tx), resolved.get("transactionId").asText());
    }

    /** Kills the sending process at once, as a power cut would, and waits until it is gone. */
    private static void killNow(Process p) {
        try {
            p.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The TdT client of the test's configuration, to look at what the simulated S²LOW holds. */
    private fr.actesconnector.tdt.TdtClient client() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(config)) {
            p.load(in);
        }
        Map<String, String> values = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return new fr.actesconnector.tdt.TdtClient(fr.actesconnector.tdt.TdtConfig.fromProperties(values, dir));
    }

    private String acknowledge() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertEquals(0, CliIT.run(dir, "poll", "--once", "--config", config.toString()).exit());
            JsonNode acte = new ObjectMapper().readTree(CliIT.run(dir, "status", "--json", "--config", config.toString()).out()).get(0);
            if (acte.get("state").asText().equals("ACKNOWLEDGED")) return acte.get("transactionId").asText();
        }
        throw new AssertionError("no AR after 6 polls");
    }

    @Test
    void aSignedActeReachesTheArAndTheMessageS2lowBuiltHoldsAPemThatOpenSslVerifies() throws Exception {
        CliIT.Run sent = run(acte("send", "2026-DEC-020"), "--sign");
        assertEquals(0, sent.exit(), sent.out() + sent.err());
        String tx = acknowledge();
        // the message S²LOW built from the post (files_list element 0), as the prefecture receives it
        Path message = dir.resolve("message-tdt.xml");
        try (var tdtClient = client()) {
            var files = tdtClient.listFiles(Long.parseLong(tx));
            tdtClient.downloadFile(files.get(0).id(), false, message);
        }
        String xml = Files.readString(message, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<actes:Signature>([^<]*)</actes:Signature>").matcher(xml);
        assertTrue(m.find(), xml);
        Path pem = Files.writeString(dir.resolve("signature-from-tdt.pem"), m.group(1), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(m.group(1).startsWith("-----BEGIN PKCS7-----"), m.group(1));
        // verified as the prefecture would, by an independent tool, against the decision as transmitted
        new fr.actesconnector.signing.Verifier(Clock.systemUTC(), fr.actesconnector.signing.Verifier.readTrustBundle(
                dir.resolve("ca.pem"))).verify(dir.resolve("decision.pdf"), pem);
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("openssl"), "openssl is not on PATH");
        Process p = new ProcessBuilder("openssl", "cms", "-verify", "-inform", "PEM", "-in", pem.toString(), "-binary",
                "-content", dir.resolve("decision.pdf").toString(), "-CAfile", dir.resolve("ca.pem").toString(),
                "-purpose", "any", "-out", dir.resolve("verified.bin").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("Verification successful"), output);
    }

    @Test
    void aLetterOfThePrefectureIsInTheActesDocumentsWithItsPdfAfterOnePoll() throws Exception {
        assertEquals(0, run(acte("send", "2026-DEC-020")).exit());
        String tx = acknowledge();
        tdt.simulator().issueLetter(Long.parseLong(tx), fr.actesconnector.simulator.LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);

        CliIT.Run poll = CliIT.run(dir, "poll", "--once", "--config", config.toString());
        assertEquals(0, poll.exit(), poll.err());
        assertTrue(poll.out().contains("1 document(s) de la préfecture enregistré(s)"), poll.out());
        JsonNode acte = new ObjectMapper().readTree(CliIT.run(dir, "status", "--json", "--config", config.toString()).out()).get(0);
        List<JsonNode> documents = new java.util.ArrayList<>();
        acte.get("documents").forEach(documents::add);
        JsonNode letter = documents.stream().filter(d -> d.get("kind").asText().equals("courrier")).findFirst()
                .orElseThrow(() -> new AssertionError(acte.toPrettyString()));
        assertEquals("DemandePieceComplementaire", letter.get("messageType").asText());
        JsonNode pdf = documents.stream().filter(d -> d.get("kind").asText().equals("courrier_file")
                && d.get("name").asText().endsWith(".pdf")).findFirst().orElseThrow(() -> new AssertionError(acte.toPrettyString()));
        assertTrue(Files.readString(Path.of(pdf.get("path").asText()), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("%PDF"), pdf.toString());
        assertFalse(pdf.get("receivedAt").isNull());
        for (String kind : List.of("archive", "document", "annexe", "ar", "stamped_pdf", "bordereau")) {
            assertTrue(documents.stream().anyMatch(d -> d.get("kind").asText().equals(kind)), kind + " in " + documents);
        }
        // read once: a second poll records nothing more
        CliIT.Run again = CliIT.run(dir, "poll", "--once", "--config", config.toString());
        assertTrue(again.out().contains("0 document(s) de la préfecture"), again.out());
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    @Test
    void pollOnceAsksAboutEveryPendingActeEachTimeWhateverTheSchedule() throws Exception {
        assertEquals(0, run(acte("send", "2026-DEC-041")).exit());
        assertEquals(0, run(acte("send", "2026-DEC-042")).exit());
        for (int round = 1; round <= 2; round++) {
            CliIT.Run poll = CliIT.run(dir, "poll", "--once", "--config", config.toString());
            assertEquals(0, poll.exit(), poll.err());
            assertTrue(poll.out().contains("2 acte(s) en attente, 2 acte(s) interrogé(s)"), "round " + round + ": " + poll.out());
            assertTrue(poll.out().contains("0 document(s) de la préfecture"), poll.out());
        }
    }

    @Test
    void aNumberTheTdtRefusesExitsThreeWithItsMessage() throws Exception {
        assertEquals(0, run(acte("send", "2026-DEC-030")).exit());
        // another collectivité journal (a reinstalled connector) posting the same number
        CliIT.Run refused = CliIT.run(dir, withEnv("send", "2026-DEC-030"));
        assertEquals(3, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("existe déjà"), refused.err());
        assertFalse(refused.err().contains("\tat "), refused.err());
    }

    private String[] withEnv(String command, String number) throws Exception {
        Path other = dir.resolve("other.properties");
        Files.writeString(other, Files.readString(config) + "\njournal.url=jdbc:h2:file:./other-journal\ndata.dir=other-data\n");
        List<String> args = new java.util.ArrayList<>(acte(command, number));
        args.set(2, other.toString());
        return args.toArray(String[]::new);
    }

    @Test
    void anUnreachableTdtExitsFourAndTheActeStaysReadyToSend() throws Exception {
        Path down = dir.resolve("down.properties");
        Files.writeString(down, Files.readString(config).replaceAll("tdt.url=https://localhost:\\d+", "tdt.url=https://localhost:1")
                + "\ntdt.retry.max-attempts=1\n");
        List<String> args = new java.util.ArrayList<>(acte("send", "2026-DEC-040"));
        args.set(2, down.toString());
        CliIT.Run r = CliIT.run(dir, args.toArray(String[]::new));
        assertEquals(4, r.exit(), r.out() + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        CliIT.Run json = CliIT.run(dir, "status", "--json", "--config", down.toString());
        assertEquals("PREPARED", new ObjectMapper().readTree(json.out()).get(0).get("state").asText(), json.out());
    }

    @Test
    void expiredOrUnreadableSigningCertificateExitsTwoAndNothingIsSent() throws Exception {
        Path expired = dir.resolve("expired.properties");
        Files.writeString(expired, Files.readString(config).replace("signature.keystore=signature.p12", "signature.keystore=expire.p12")
                + "\nsignature.password=motdepasse\n");
        List<String> args = new java.util.ArrayList<>(acte("prepare", "2026-DEC-050"));
        args.set(2, expired.toString());
        args.addAll(List.of("--sign", "--out", dir.resolve("out").toString()));
        CliIT.Run r = CliIT.run(dir, args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("expiré"), r.err());

        Path wrong = dir.resolve("wrong.properties");
        Files.writeString(wrong, Files.readString(config) + "\nsignature.password=pas-le-bon\n");
        List<String> send = new java.util.ArrayList<>(acte("send", "2026-DEC-051"));
        send.set(2, wrong.toString());
        send.add("--sign");
        CliIT.Run w = CliIT.run(dir, send.toArray(String[]::new));
        assertEquals(2, w.exit(), w.out() + w.err());
        assertFalse(w.err().contains("pas-le-bon"), "the password never appears: " + w.err());
        assertEquals(0, tdt.simulator().transactionCount(), "nothing sent");
    }

    @Test
    void tdtCheckDiagnosesTheConnectionAndTheClassificationUpdateKeepsABackup() throws Exception {
        CliIT.Run check = CliIT.run(dir, "tdt", "check", "--config", config.toString());
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("Connexion au TdT : OK") && check.out().contains("Certificat RGS : OK"), check.out());
        assertTrue(check.out().contains("Certificat client : "), check.out());

        CliIT.Run update = CliIT.run(dir, "tdt", "classification", "--update", "--config", config.toString());
        assertEquals(0, update.exit(), update.out() + update.err());
        assertTrue(update.out().contains("Classification du 2026-11-20"), update.out());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("classification-078.xml.")
                    && p.toString().endsWith(".bak")));
        }
    }
}
