package fr.actesconnector.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.Poller;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.signing.DemoCertificate;
import fr.actesconnector.signing.SigningConfig;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.SimulatorPki;
import fr.actesconnector.simulator.TdtSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: the Houdan decision 2026-DEC-020, end to end on embedded defaults. Generates the
 * decision and the contract as PDFs, signs them with a TEST certificate made at first run, starts
 * the project's TdT simulator in-process (mutual TLS), sends, polls until the AR and prints it the
 * way the ministry's AR e-mail does. Run again, it shows the acte already in the journal.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Démonstration de bout en bout : décision 2026-DEC-020 de Houdan, certificat et TdT de TEST.")
public final class DemoCommand implements Callable<Integer> {
    static final String NUMERO = "2026-DEC-020";
    static final LocalDate DATE = LocalDate.of(2026, 4, 27);
    private static final Duration AR_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--dir", paramLabel = "DOSSIER", description = "Dossier de travail de la démo (défaut : ./data/demo).")
    Path dir = Path.of("data", "demo");

    @Option(names = "--out", paramLabel = "DOSSIER", description = "Dossier où copier l'archive produite (défaut : ./out).")
    Path out = Path.of("out");

    @Option(names = "--collectivites", paramLabel = "N", description = "1 (défaut) ou 2 : la configuration d'un syndicat, "
            + "Houdan et Maulette, chacune avec son compte sur le TdT de TEST, un acte chacune (dossier DOSSIER/syndicat).")
    int collectivites = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (collectivites < 1 || collectivites > SyndicatDemo.COLLECTIVITES.size()) {
            throw new ActesException(Reason.INVALID_INPUT, "--collectivites vaut 1 ou " + SyndicatDemo.COLLECTIVITES.size()
                    + " (les collectivités d'exemple : Houdan et Maulette).", "demo --collectivites " + collectivites);
        }
        if (collectivites > 1) {
            warmUp();
            return new SyndicatDemo(dir.resolve("syndicat"), out, collectivites).run(stdout, stderr);
        }
        Thread warmUp = warmUp();
        Clock clock = Clock.systemDefaultZone();
        Files.createDirectories(dir);
        SigningConfig signing = new DemoCertificate(dir.resolve("certificat"), clock).ensure("Commune de Houdan");
        SimulatorPki pki = new SimulatorPki(dir.resolve("simulateur"), clock);
        fr.actesconnector.simulator.SimulatorTls tls = pki.ensure(); // before the connector reads its files
        // The connector (journal, signing key, TLS client) is readied on one core while the documents are
        // made and the simulator starts on the other: they only need to agree on the port.
        int port = freePort();
        java.util.concurrent.CompletableFuture<ActesConnector> ready = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            ActesConnector c = new ActesConnector(ConnectorConfig.load(uncheckedConfig(dir, signing, port, pki), Map.of()), clock);
            c.journal();
            c.signerWarnings();
            c.tdt();
            return c;
        });
        Path decision = dir.resolve("documents").resolve("decision-2026-DEC-020.pdf");
        Path contract = dir.resolve("documents").resolve("contrat-P360-MAHOUDAN-PREMIUM.pdf");
        if (!Files.exists(decision)) DemoDocuments.decision(decision);
        if (!Files.exists(contract)) DemoDocuments.contract(contract);
        // The simulator keeps its transactions in memory: its files from an earlier run are stale.
        deleteTree(dir.resolve("simulateur").resolve("transactions"));
        try (TdtSimulator simulator = TdtSimulator.builder().tls(tls).port(port).pacing(Pacing.IMMEDIATE)
                .clock(clock).classification(copyClassification(dir))
                .workDir(dir.resolve("simulateur").resolve("transactions")).start();
             ActesConnector connector = join(ready)) {
            Acte acte = new Acte(connector.config().collectivite(), NUMERO, DATE, Nature.CC, Classification.of(1, 4),
                    DemoDocuments.OBJET, new Piece(decision, new Typologie("99_DC")),
                    List.of(new Piece(contract, new Typologie("99_DC"))), false);
            stdout.println("Démonstration : décision " + NUMERO + " de la Commune de Houdan (certificat et TdT de TEST, "
                    + simulator.url() + ").");
            ActesConnector.Sent sent = connector.send(acte, true, Optional.empty(), Actor.commandLine());
            Output.warnings(stderr, sent.warnings());
            JournalEntry entry = sent.entry();
            if (!sent.posted()) {
                stdout.println("L'acte " + entry.idActe() + " est déjà dans le journal (état : " + entry.state().label()
                        + ") : il n'est pas renvoyé.");
            } else {
                stdout.println("Transmis au TdT : transaction " + sent.transactionId() + ".");
                entry = awaitAcknowledgement(connector, List.of(entry)).get(0);
            }
            printSummary(stdout, connector, entry);
            entry.archivePath().ifPresent(a -> stdout.println("Archive ACTES : " + copy(a, out)));
            stdout.println(entry.idActe() + " " + entry.transactionId().orElse("-"));
        }
        return ExitCodes.OK;
    }

    /**
     * Loads the heavy parts (JAXB context, schema, PDF fonts, database driver, JSON) on the second core
     * while the first checks the certificates: the demo is meant to answer within a few seconds.
     */
    static Thread warmUp() {
        Thread t = new Thread(() -> {
            try {
                new fr.actesconnector.protocol.ActesXml();
                fr.actesconnector.protocol.Schemas.project();
                Class.forName("org.h2.Driver");
                new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("[]"); // the files list after the AR
            } catch (ClassNotFoundException | LinkageError | RuntimeException | java.io.IOException e) {
                // only a head start; the real use will report any problem
            }
        }, "demo-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Polls (each acte with its collectivité's account) until every acte of {@code entries} has its AR. */
    static List<JournalEntry> awaitAcknowledgement(ActesConnector connector, List<JournalEntry> entries) {
        Poller poller = connector.poller("demo");
        long deadline = System.nanoTime() + AR_TIMEOUT.toNanos();
        List<JournalEntry> current = entries;
        while (current.stream().anyMatch(e -> e.state().isPending()) && System.nanoTime() < deadline) {
            poller.pollOnce();
            current = current.stream().map(e -> connector.journal().entries().findById(e.id()).orElseThrow()).toList();
            for (JournalEntry e : current) {
                if (e.state().isPending()) connector.journal().leases().reschedule(e.id(), connector.clock().instant());
            }
            if (current.stream().anyMatch(e -> e.state().isPending())) sleep(Duration.ofMillis(50));
        }
        for (JournalEntry e : current) {
            if (e.state() != TransmissionState.ACKNOWLEDGED) {
                throw new ActesException(Reason.UNAVAILABLE, "Le simulateur n'a pas accusé réception de l'acte " + e.idActe()
                        + " (état : " + e.state().label() + e.lastError().map(m -> ", " + m).orElse("") + ").",
                        "demo: no AR for " + e.idActe() + ", state " + e.state());
            }
        }
        return current;
    }

    /** The AR in the form of the ministry's e-mail (the seed's "Accusé de réception"), for the acte's collectivité. */
    static void printSummary(PrintWriter out, ActesConnector connector, JournalEntry e) {
        fr.actesconnector.model.Collectivite c = connector.config().of(e.siren()).collectivite();
        out.println();
        out.println("Accusé de réception");
        out.println("Acte reçu par: Sous-préfecture (département " + c.departement()
                + ", arrondissement " + c.arrondissement() + "), via le simulateur de TdT");
        out.println("Nature transaction: AR de transmission d'acte");
        out.println("Nom émetteur: " + c.nom());
        out.println("N° de SIREN: " + e.siren());
        out.println("Numéro Acte de la collectivité locale: " + e.numeroInterne());
        out.println("Objet acte: " + fr.actesconnector.model.Latin1Text.transliterate(e.objet()));
        out.println("Nature de l'acte: " + connector.catalogue(e.siren()).nature(e.nature()).map(n -> n.label())
                .orElse(e.nature().label()));
        out.println("Matière: " + connector.catalogue(e.siren()).matiereLabel(e.classification())
                .orElse(e.classification().toString()));
        out.println("Identifiant Acte: " + e.idActe());
        out.println("Date de réception: " + e.dateReception().map(Object::toString).orElse("(pas encore reçue)")
                + "  (état : " + e.state().label() + ")");
        List<ReceivedDocument> docs = connector.journal().files().documents(e.id());
        document(docs, ReceivedDocument.Kind.AR).ifPresent(p -> out.println("AR (XML) : " + p));
        document(docs, ReceivedDocument.Kind.STAMPED_PDF).ifPresent(p -> out.println("PDF tamponné : " + p));
        document(docs, ReceivedDocument.Kind.BORDEREAU).ifPresent(p -> out.println("Bordereau : " + p));
        out.println();
    }

    private static Optional<Path> document(List<ReceivedDocument> docs, ReceivedDocument.Kind kind) {
        return docs.stream().filter(d -> d.kind() == kind).map(ReceivedDocument::path).findFirst();
    }

    static Path copy(Path archive, Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path target = outDir.resolve(archive.getFileName());
            if (!Files.exists(target)) Files.copy(archive, target, StandardCopyOption.COPY_ATTRIBUTES);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path copyClassification(Path dir) throws IOException {
        Path classification = dir.resolve("classification-078.xml");
        if (!Files.exists(classification)) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/classification-078.xml")) {
                if (in == null) throw new IOException("classification resource missing from the jar");
                Files.copy(in, classification, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return classification;
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path uncheckedConfig(Path dir, SigningConfig signing, int port, SimulatorPki pki) {
        try {
            return writeConfig(dir, signing, java.net.URI.create("https://localhost:" + port), pki);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ActesConnector join(java.util.concurrent.CompletableFuture<ActesConnector> ready) {
        try {
            return ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** The demo's configuration: the TEST certificate and the in-process TdT. */
    static Path writeConfig(Path dir, SigningConfig signing, java.net.URI tdtUrl, SimulatorPki pki) throws IOException {
        Map<String, String> extra = new java.util.LinkedHashMap<>(signingKeys(dir, signing));
        extra.putAll(tdtKeys(dir, tdtUrl, pki));
        extra.put("poll.interval-seconds", "1");
        return writeConfig(dir, "demo.properties", extra);
    }

    /** The bench's P1 configuration: the demo's collectivité and a TEST signing certificate. */
    static Path writeBenchConfig(Path dir, SigningConfig signing) throws IOException {
        return writeConfig(dir, "bench.properties", signingKeys(dir, signing));
    }

    /** The bench's P2 configuration: the in-process TdT and the poller's concurrency. */
    static Path writeBenchTdtConfig(Path dir, java.net.URI url, SimulatorPki pki, int concurrency) throws IOException {
        Map<String, String> extra = new java.util.LinkedHashMap<>(tdtKeys(dir, url, pki));
        extra.put("poll.concurrency", String.valueOf(concurrency));
        // The bench measures the connector against its own simulator, not the politeness owed to a real TdT.
        extra.put("tdt.max-requests-per-second", "10000");
        return writeConfig(dir, "bench.properties", extra);
    }

    /** The bench's P4 configuration: the simulator in its own process and {@code extra} (journal, pace, leases). */
    static Path writeBenchDaemonConfig(Path dir, java.net.URI url, SimulatorPki pki, Map<String, String> extra)
            throws IOException {
        Map<String, String> keys = new java.util.LinkedHashMap<>(tdtKeys(dir, url, pki));
        keys.put("tdt.max-requests-per-second", "10000");
        keys.putAll(extra);
        return writeConfig(dir, "p4.properties", keys);
    }

    private static Map<String, String> signingKeys(Path dir, SigningConfig signing) {
        Path base = dir.toAbsolutePath();
        return Map.of("signature.keystore", base.relativize(signing.keystore().toAbsolutePath()).toString(),
                "signature.password", new String(signing.password().reveal()));
    }

    private static Map<String, String> tdtKeys(Path dir, java.net.URI url, SimulatorPki pki) throws IOException {
        Path base = dir.toAbsolutePath();
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("tdt.url", url.toString());
        keys.put("tdt.client.keystore", base.relativize(pki.clientKeystore().toAbsolutePath()).toString());
        keys.put("tdt.client.password", password(pki.clientKeystore()));
        keys.put("tdt.truststore", base.relativize(pki.truststore().toAbsolutePath()).toString());
        keys.put("tdt.truststore.password", password(pki.truststore()));
        keys.put("tdt.timeout-seconds", "10");
        return keys;
    }

    /** The Houdan collectivité of config/houdan.properties, with the classification copied beside, plus {@code extra}. */
    static Path writeConfig(Path dir, String name, Map<String, String> extra) throws IOException {
        copyClassification(dir);
        StringBuilder text = new StringBuilder(String.join("\n",
                "# Written by actes-connector at each run; TEST material only.",
                "collectivite.nom=Commune de Houdan",
                "collectivite.siren=217803105",
                "collectivite.departement=078",
                "collectivite.arrondissement=1",
                "collectivite.nature=31",
                "referent.nom=Secrétariat de la mairie",
                "referent.telephone=0130468130",
                "referent.email=secretariat@ville-houdan.fr",
                "retour.emails=secretariat@ville-houdan.fr",
                "classification.file=classification-078.xml",
                "classification.max-age-days=3650",
                "tdt.trigramme=TTT",
                "data.dir=.",
                "journal.url=jdbc:h2:file:./journal",
                ""));
        extra.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path config = dir.resolve(name);
        Files.writeString(config, text, StandardCharsets.UTF_8);
        return config;
    }

    static String password(Path store) throws IOException {
        return Files.readString(SimulatorPki.passwordFile(store), StandardCharsets.UTF_8).strip();
    }
}
