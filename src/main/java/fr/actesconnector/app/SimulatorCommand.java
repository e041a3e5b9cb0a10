package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import fr.actesconnector.simulator.Pacing;
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
 * in files beside the stores.
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

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (delayMs < 0 || stepMs < 0 || pollsPerStep < 0) {
            spec.commandLine().getErr().println("--delay-ms, --step-ms et --polls-per-step doivent être positifs ou nuls.");
            return ExitCodes.INVALID_INPUT;
        }
        Path folder = dir.toAbsolutePath().normalize();
        TdtSimulator.Builder builder = TdtSimulator.builder()
                .port(port)
                .delay(Duration.ofMillis(delayMs))
                .pacing(new Pacing(Duration.ofMillis(stepMs), pollsPerStep))
                .clock(clock)
                .classification(classification)
                .workDir(folder.resolve("transactions"));
        SimulatorPki pki = new SimulatorPki(folder, clock);
        if (tls) builder.tls(pki.ensure());
        CountDownLatch done = stop != null ? stop : new CountDownLatch(1);
        TdtSimulator simulator = builder.start();
        Thread hook = new Thread(() -> {
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
            out.flush();
            done.await();
            return ExitCodes.OK;
        } finally {
            if (stop != null) simulator.close();
        }
    }
}
