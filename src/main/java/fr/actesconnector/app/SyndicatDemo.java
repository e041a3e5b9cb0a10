package fr.actesconnector.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.signing.DemoCertificate;
import fr.actesconnector.signing.SigningConfig;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.simulator.SimulatorPki;
import fr.actesconnector.simulator.TdtSimulator;

/**
 * {@code demo --collectivites 2}: a syndicate's configuration (shared settings in {@code syndicat.properties},
 * one file per commune in {@code collectivites/}) for Houdan and Maulette, each with its own signing
 * certificate and its own account on the in-process TdT simulator, on one platform certificate. One acte
 * each is sent with its commune's account, both are followed to their AR (each polled with its account)
 * and printed as the one-commune demo prints its acte. Run again, both are shown already in the journal.
 */
final class SyndicatDemo {
    /** An example collectivité and the acte it sends. */
    record Example(String name, Collectivite collectivite, String referentTelephone, String email, String numero,
                   LocalDate date, String objet) {
        String login() {
            return name; // one S²LOW account per commune
        }
    }

    static final List<Example> COLLECTIVITES = List.of(
            new Example("houdan", new Collectivite("Commune de Houdan", "217803105", "078", "1", "31"), "0130468130",
                    "secretariat@ville-houdan.fr", DemoCommand.NUMERO, DemoCommand.DATE, DemoDocuments.OBJET),
            // Maulette (INSEE 78381) borders Houdan, same arrondissement; its SIREN follows the communes' 21 + INSEE form.
            new Example("maulette", new Collectivite("Commune de Maulette", "217803816", "078", "1", "31"), "",
                    "mairie@maulette.fr", "2026-DEC-012", LocalDate.of(2026, 4, 28), DemoDocuments.MAULETTE_OBJET));

    private final Path dir;
    private final Path out;
    private final List<Example> examples;

    SyndicatDemo(Path dir, Path out, int count) {
        this.dir = dir;
        this.out = out;
        this.examples = COLLECTIVITES.subList(0, count);
    }

    int run(PrintWriter stdout, PrintWriter stderr) throws IOException {
        Clock clock = Clock.systemDefaultZone();
        Files.createDirectories(dir);
        SimulatorPki pki = new SimulatorPki(dir.resolve("simulateur"), clock);
        fr.actesconnector.simulator.SimulatorTls tls = pki.ensure();
        int port = DemoCommand.freePort();
        // The simulator's transactions live in memory: its files from an earlier run are stale.
        DemoCommand.deleteTree(dir.resolve("simulateur").resolve("transactions"));
        TdtSimulator.Builder simulator = TdtSimulator.builder().tls(tls).port(port).pacing(Pacing.IMMEDIATE).clock(clock)
                .classification(DemoCommand.copyClassification(dir)).workDir(dir.resolve("simulateur").resolve("transactions"));
        // Each commune's TdT password is given as an operator would, in ACTES_<SIREN>_TDT_PASSWORD, not in its file.
        Map<String, String> env = new HashMap<>();
        SecureRandom random = new SecureRandom();
        for (Example x : examples) {
            String password = HexFormat.of().formatHex(bytes(random));
            simulator.account(x.login(), password, Right.RW, x.collectivite());
            env.put(ConnectorConfig.envName(x.collectivite().siren(), "tdt.password"), password);
            SigningConfig signing = new DemoCertificate(dir.resolve("certificat-" + x.name()), clock)
                    .ensure(x.collectivite().nom());
            writeCollectivite(x, signing);
        }
        Path config = writeMain(java.net.URI.create("https://localhost:" + port), pki);
        Map<String, List<Piece>> pieces = documents();
        try (TdtSimulator tdt = simulator.start();
             ActesConnector connector = new ActesConnector(ConnectorConfig.load(config, env), clock)) {
            stdout.println("Démonstration : " + examples.size() + " collectivités d'un syndicat (" + config + "), "
                    + "certificats et TdT de TEST (" + tdt.url() + ").");
            List<JournalEntry> entries = new ArrayList<>();
            List<JournalEntry> posted = new ArrayList<>();
            for (Example x : examples) {
                List<Piece> files = pieces.get(x.name());
                Acte acte = new Acte(x.collectivite(), x.numero(), x.date(), Nature.CC, Classification.of(1, 4), x.objet(),
                        files.get(0), files.subList(1, files.size()), false);
                ActesConnector.Sent sent = connector.send(acte, true);
                Output.warnings(stderr, sent.warnings());
                JournalEntry e = sent.entry();
                if (sent.posted()) {
                    stdout.println(x.collectivite().nom() + " : décision " + x.numero() + " transmise au TdT avec le compte « "
                            + x.login() + " » : transaction " + sent.transactionId() + ".");
                    posted.add(e);
                } else {
                    stdout.println(x.collectivite().nom() + " : l'acte " + e.idActe() + " est déjà dans le journal (état : "
                            + e.state().label() + ") : il n'est pas renvoyé.");
                }
                entries.add(e);
            }
            Map<Long, JournalEntry> acknowledged = new HashMap<>();
            DemoCommand.awaitAcknowledgement(connector, posted).forEach(e -> acknowledged.put(e.id(), e));
            for (JournalEntry e : entries) {
                JournalEntry current = acknowledged.getOrDefault(e.id(), e);
                DemoCommand.printSummary(stdout, connector, current);
                current.archivePath().ifPresent(a -> stdout.println("Archive ACTES : " + DemoCommand.copy(a, out)));
                stdout.println(current.idActe() + " " + current.transactionId().orElse("-"));
            }
        }
        return ExitCodes.OK;
    }

    private static byte[] bytes(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** Each commune's documents, made at the first run: Houdan's decision and contract, Maulette's decision. */
    private Map<String, List<Piece>> documents() throws IOException {
        Path docs = dir.resolve("documents");
        Path decision = docs.resolve("houdan-decision-2026-DEC-020.pdf");
        Path contract = docs.resolve("houdan-contrat-P360-MAHOUDAN-PREMIUM.pdf");
        Path maulette = docs.resolve("maulette-decision-2026-DEC-012.pdf");
        if (!Files.exists(decision)) DemoDocuments.decision(decision);
        if (!Files.exists(contract)) DemoDocuments.contract(contract);
        if (!Files.exists(maulette)) DemoDocuments.maulette(maulette);
        Typologie dc = new Typologie("99_DC");
        return Map.of("houdan", List.of(new Piece(decision, dc), new Piece(contract, dc)),
                "maulette", List.of(new Piece(maulette, dc)));
    }

    /** The syndicate's shared settings: journal, TdT address and trust, the platform certificate. */
    private Path writeMain(java.net.URI tdtUrl, SimulatorPki pki) throws IOException {
        Path base = dir.toAbsolutePath();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("collectivites.dir", "collectivites");
        keys.put("tdt.trigramme", "TTT");
        keys.put("data.dir", ".");
        keys.put("journal.url", "jdbc:h2:file:./journal");
        keys.put("classification.max-age-days", "3650");
        keys.put("tdt.url", tdtUrl.toString());
        keys.put("tdt.client.keystore", base.relativize(pki.clientKeystore().toAbsolutePath()).toString());
        keys.put("tdt.client.password", DemoCommand.password(pki.clientKeystore()));
        keys.put("tdt.truststore", base.relativize(pki.truststore().toAbsolutePath()).toString());
        keys.put("tdt.truststore.password", DemoCommand.password(pki.truststore()));
        keys.put("tdt.timeout-seconds", "10");
        keys.put("poll.interval-seconds", "1");
        return write(dir.resolve("syndicat.properties"), List.of("# Written by actes-connector at each run; TEST material "
                + "only.", "# The syndicate's shared settings; each commune has its file in collectivites/."), keys);
    }

    /** A commune's file: its identity, its signing certificate and its TdT login, paths relative to its own folder. */
    private void writeCollectivite(Example x, SigningConfig signing) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("collectivites")).toAbsolutePath();
        Collectivite c = x.collectivite();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("collectivite.nom", c.nom());
        keys.put("collectivite.siren", c.siren());
        keys.put("collectivite.departement", c.departement());
        keys.put("collectivite.arrondissement", c.arrondissement());
        keys.put("collectivite.nature", c.nature());
        keys.put("referent.nom", "Secrétariat de la mairie");
        if (!x.referentTelephone().isEmpty()) keys.put("referent.telephone", x.referentTelephone());
        keys.put("referent.email", x.email());
        keys.put("retour.emails", x.email());
        keys.put("classification.file", "../classification-078.xml");
        keys.put("signature.keystore", folder.relativize(signing.keystore().toAbsolutePath()).toString());
        keys.put("signature.password", new String(signing.password().reveal()));
        keys.put("tdt.login", x.login());
        write(folder.resolve(x.name() + ".properties"), List.of("# Written by actes-connector at each run; TEST material only.",
                "# tdt.password is given at each run as " + ConnectorConfig.envName(c.siren(), "tdt.password") + "."), keys);
    }

    private static Path write(Path file, List<String> comments, Map<String, String> keys) throws IOException {
        StringBuilder text = new StringBuilder();
        comments.forEach(c -> text.append(c).append('\n'));
        keys.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
