package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Violation;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.simulator.SimulatorAdmin;
import fr.actesconnector.simulator.SimulatedTsa;
import fr.actesconnector.simulator.SimulatorPki;
import fr.actesconnector.simulator.TdtSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code actes simulator --port P [--tls] [--delay-ms D]}: runs the project's S²LOW-compatible TdT
 * until stopped (Ctrl-C / SIGTERM stop it cleanly). With {@code --tls}, TEST certificates are
 * made once in {@code --dir} and the connector's {@code tdt.*} lines are printed; passwords stay
 * in files beside the stores. {@code --admin-port} opens the simulator's administration on
 * loopback (prefecture letters on request), {@code --account} declares S²LOW accounts.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Lance un TdT simulé compatible S²LOW (pour essais locaux), jusqu'à son arrêt (Ctrl-C).")
public final class SimulatorCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "Port d'écoute (0 = port libre). Défaut : ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--tls", description = "HTTPS avec authentification par certificat client, comme S²LOW.")
    private boolean tls;

    @Option(names = "--delay-ms", defaultValue = "0", paramLabel = "MS", description = "Latence ajoutée à chaque requête.")
    private long delayMs;

    @Option(names = "--step-ms", defaultValue = "0", paramLabel = "MS",
            description = "Durée minimale entre deux statuts (1 → 2 → 3 → 4). Défaut : ${DEFAULT-VALUE}.")
    private long stepMs;

    @Option(names = "--polls-per-step", defaultValue = "1", paramLabel = "N",
            description = "Lectures du statut entre deux statuts (0 = selon la durée seule). Défaut : ${DEFAULT-VALUE}.")
    private int pollsPerStep;

    @Option(names = "--dir", defaultValue = "data/simulator", paramLabel = "DOSSIER",
            description = "Dossier des certificats de test et des fichiers reçus. Défaut : ${DEFAULT-VALUE}.")
    private Path dir;

    @Option(names = "--classification", paramLabel = "FICHIER",
            description = "RetourClassification servie et utilisée pour les contrôles. Défaut : config/classification-078.xml.")
    private Path classification = TdtSimulator.DEFAULT_CLASSIFICATION;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Crée N actes (numéros BENCH_0…) avant d'appliquer la latence ; avec --tls. Pour le banc d'essai.")
    private int seed;

    @Option(names = "--seed-file", paramLabel = "FICHIER", description = "Où écrire « numéro transaction » des actes créés par --seed.")
    private Path seedFile;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Ouvre l'administration du simulateur sur la boucle locale (0 = port libre) : "
                    + "POST /letters?transaction=N&type=3-1 fait écrire la préfecture (2-1, 3-1, 4-1, 5-1).")
    private Integer adminPort;

    @Option(names = "--tsa", description = "Joue aussi une autorité d'horodatage de TEST (RFC 3161) sur la boucle locale "
            + "et affiche la ligne tsa.url du connecteur (dossiers de preuve horodatés).")
    private boolean tsa;

    @Option(names = "--account", paramLabel = "LOGIN:MOT_DE_PASSE:DROIT[:SIREN]",
            description = "Compte S²LOW lié au certificat client (droit RW, CS ou TT), répétable ; "
                    + "à plusieurs, chaque requête choisit le sien par HTTP Basic. Avec :SIREN, le compte est celui de "
                    + "cette collectivité (ses actes portent son SIREN, il ne voit que les siens) ; sans, celui de Houdan. "
                    + "Défaut : un compte RW sans mot de passe.")
    private List<String> accounts = new ArrayList<>();

    /** The simulator's own collectivité, the authority of an account given without SIREN (as TdtSimulator's default). */
    static final Collectivite HOUDAN = new Collectivite("Commune de Houdan", "217803105", "078", "1", "31");

    /** One {@code --account}: its authority is {@link #HOUDAN} unless a SIREN names another. */
    record AccountSpec(String login, String password, Right right, Collectivite authority) {
        @Override
        public String toString() {
            return login + " (" + right + ", " + authority.nom() + ", SIREN " + authority.siren() + ")"; // never the password
        }
    }

    /**
     * Reads {@code LOGIN:MOT_DE_PASSE:DROIT[:SIREN]}. The login holds no ':', the password may: the right is the
     * last field, or the one before a last field of 9 digits (the SIREN). Another collectivité than Houdan takes the
     * simulator's département (078, the classification it serves).
     *
     * @throws IllegalArgumentException with the French reason, never the password
     */
    static AccountSpec account(String spec) {
        int first = spec.indexOf(':');
        String login = first < 0 ? spec : spec.substring(0, first);
        String rest = first < 0 ? "" : spec.substring(first + 1);
        Optional<String> siren = Optional.empty();
        int last = rest.lastIndexOf(':');
        if (last > 0 && rest.substring(last + 1).trim().matches("[0-9]{9}")) {
            int before = rest.lastIndexOf(':', last - 1);
            if (before >= 0 && right(rest.substring(before + 1, last)).isPresent()) {
                siren = Optional.of(rest.substring(last + 1).trim());
                rest = rest.substring(0, last);
                last = before;
            }
        }
        Optional<Right> right = first > 0 && last >= 0 ? right(rest.substring(last + 1)) : Optional.empty();
        if (right.isEmpty()) {
            throw new IllegalArgumentException("--account attend LOGIN:MOT_DE_PASSE:DROIT[:SIREN] avec DROIT parmi RW, CS et TT"
                    + " (compte « " + login + " »).");
        }
        Collectivite authority = HOUDAN;
        if (siren.isPresent() && !siren.get().equals(HOUDAN.siren())) {
            authority = new Collectivite("Collectivité " + siren.get(), siren.get(), HOUDAN.departement(),
                    HOUDAN.arrondissement(), HOUDAN.nature());
            List<String> problems = ActeValidator.validateCollectivite(authority).stream().map(Violation::message).toList();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Compte « " + login + " » (--account) : " + String.join(" ", problems));
            }
        }
        return new AccountSpec(login, rest.substring(0, last), right.get(), authority);
    }

    private static Optional<Right> right(String text) {
        return Arrays.stream(Right.values()).filter(r -> r.name().equalsIgnoreCase(text.trim())).findFirst();
    }

    private final Clock clock;
    private final CountDownLatch stop;

    public SimulatorCommand() {
        this(Clock.system(ZoneId.of("Europe/Paris")), null);
    }

    /** For tests: {@code stop} ends the command instead of a JVM shutdown. */
    SimulatorCommand(Clock clock, CountDownLatch stop) {
        this.clock = clock;
        this.stop = stop;
    }

    /** Creates {@code seed} actes through the connector's own client, eight at a time, and lists them in --seed-file. */
    private void seed(TdtSimulator simulator, SimulatorPki pki, PrintWriter out) throws java.io.IOException, InterruptedException {
        Path pdf = Files.createDirectories(dir.resolve("seed")).resolve("acte.pdf");
        Files.writeString(pdf, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        fr.actesconnector.tdt.TdtConfig config = fr.actesconnector.tdt.TdtConfig.builder(simulator.url(), pki.clientKeystore(),
                        password(pki.clientKeystore()))
                .truststore(pki.truststore(), password(pki.truststore())).build();
        java.util.Map<String, Long> ids = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.time.LocalDate decision = java.time.LocalDate.now(clock).minusDays(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (fr.actesconnector.tdt.TdtClient client = new fr.actesconnector.tdt.TdtClient(config)) {
            java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < seed; i++) {
                String number = "BENCH_" + i;
                futures.add(pool.submit(() -> {
                    fr.actesconnector.model.Acte acte = new fr.actesconnector.model.Acte(
                            HOUDAN,
                            number, decision, fr.actesconnector.model.Nature.CC, fr.actesconnector.model.Classification.of(1, 4),
                            "Banc d'essai " + number, new fr.actesconnector.model.Piece(pdf, new fr.actesconnector.model.Typologie("99_DC")),
                            java.util.List.of(), false);
                    ids.put(number, client.create(fr.actesconnector.tdt.TdtSubmission.from(acte), acte.idActe()).transactionId());
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("seeding failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (seedFile != null) {
            StringBuilder lines = new StringBuilder();
            ids.forEach((n, id) -> lines.append(n).append(' ').append(id).append('\n'));
            Files.writeString(seedFile, lines);
        }
    }

    private static fr.actesconnector.model.Secret password(Path store) throws java.io.IOException {
        return fr.actesconnector.model.Secret.of(Files.readString(SimulatorPki.passwordFile(store),
                java.nio.charset.StandardCharsets.US_ASCII).strip());
    }

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (delayMs < 0 || stepMs < 0 || pollsPerStep < 0) {
            spec.commandLine().getErr().println("--delay-ms, --step-ms et --polls-per-step doivent être positifs ou nuls.");
            return ExitCodes.INVALID_INPUT;
        }
        Path folder = dir.toAbsolutePath().normalize();
        if (seed > 0 && !tls) {
            spec.commandLine().getErr().println("--seed demande --tls (les actes sont créés par le client du connecteur).");
            return ExitCodes.INVALID_INPUT;
        }
        if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
            spec.commandLine().getErr().println("--admin-port doit être un port entre 0 et 65535.");
            return ExitCodes.INVALID_INPUT;
        }
        Path served = classification;
        if (!Files.isRegularFile(served) && served.equals(TdtSimulator.DEFAULT_CLASSIFICATION)) {
            served = DemoCommand.copyClassification(Files.createDirectories(folder)); // the copy shipped in the jar
        }
        TdtSimulator.Builder builder = TdtSimulator.builder()
                .port(port)
                .delay(seed > 0 ? Duration.ZERO : Duration.ofMillis(delayMs))
                .pacing(new Pacing(Duration.ofMillis(stepMs), pollsPerStep))
                .clock(clock)
                .classification(served)
                .maxTransactions(Math.max(TdtSimulator.DEFAULT_MAX_TRANSACTIONS, seed + 1000))
                .workDir(folder.resolve("transactions"));
        if (seed > 0 && !accounts.isEmpty()) {
            spec.commandLine().getErr().println("--seed crée les actes avec le compte par défaut : il ne se combine pas avec --account.");
            return ExitCodes.INVALID_INPUT;
        }
        List<AccountSpec> declared = new ArrayList<>();
        for (String account : accounts) {
            AccountSpec a;
            try {
                a = account(account);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            try {
                builder.account(a.login(), a.password(), a.right(), a.authority());
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("Le compte « " + a.login() + " » est déclaré deux fois (--account).");
                return ExitCodes.INVALID_INPUT;
            }
            declared.add(a);
        }
        SimulatorPki pki = new SimulatorPki(folder, clock);
        if (tls) builder.tls(pki.ensure());
        CountDownLatch done = stop != null ? stop : new CountDownLatch(1);
        TdtSimulator simulator = builder.start();
        SimulatorAdmin admin;
        SimulatedTsa timeStamps;
        try {
            admin = adminPort == null ? null : SimulatorAdmin.start(simulator, adminPort);
            timeStamps = tsa ? SimulatedTsa.start(clock) : null;
        } catch (RuntimeException | java.io.IOException | java.security.GeneralSecurityException e) {
            simulator.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start the TEST TSA", e);
        }
        Thread hook = new Thread(() -> {
            if (admin != null) admin.close();
            if (timeStamps != null) timeStamps.close();
            simulator.close();
            done.countDown();
        }, "simulator-shutdown");
        if (stop == null) Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("TdT simulé à l'écoute sur " + simulator.url() + " (Ctrl-C pour arrêter).");
            if (tls) {
                out.println("Configuration du connecteur :");
                out.println("tdt.url=" + simulator.url());
                out.println("tdt.client.keystore=" + pki.clientKeystore());
                out.println("tdt.truststore=" + pki.truststore());
                out.println("# mots de passe (tdt.client.password, tdt.truststore.password) : contenu des fichiers");
                out.println("#   " + SimulatorPki.passwordFile(pki.clientKeystore()));
                out.println("#   " + SimulatorPki.passwordFile(pki.truststore()));
            } else {
                out.println("HTTP sans TLS, sur la boucle locale uniquement : le connecteur exige https:// (tdt.url),"
                        + " utilisez --tls pour lui ; ce mode sert aux essais manuels (curl).");
            }
            if (!declared.isEmpty()) {
                out.println("Comptes S²LOW : " + String.join(", ", declared.stream().map(AccountSpec::toString).toList()) + ".");
            }
            if (admin != null) {
                out.println("Administration du simulateur sur http://127.0.0.1:" + admin.port()
                        + " : POST /letters?transaction=N&type=3-1 (2-1, 3-1, 4-1, 5-1).");
            }
            if (timeStamps != null) {
                out.println("Autorité d'horodatage de TEST : tsa.url=" + timeStamps.url());
            }
            if (seed > 0) {
                seed(simulator, pki, out);
                simulator.setDelay(Duration.ofMillis(delayMs));
                out.println("Prêt : " + seed + " actes créés, latence " + delayMs + " ms.");
            }
            out.flush();
            done.await();
            return ExitCodes.OK;
        } finally {
            if (stop != null) {
                if (admin != null) admin.close();
                if (timeStamps != null) timeStamps.close();
                simulator.close();
            }
        }
    }
}
