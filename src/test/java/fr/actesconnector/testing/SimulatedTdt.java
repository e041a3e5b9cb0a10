package fr.actesconnector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.SimulatorPki;
import fr.actesconnector.simulator.TdtSimulator;

/**
 * The project's TdT simulator over mutual TLS, with a connector configuration file pointing at it
 * (Houdan collectivité, the shipped 078 classification, an H2 journal in the folder).
 */
public final class SimulatedTdt implements AutoCloseable {
    private final TdtSimulator simulator;
    private final Path config;
    private final Path dir;

    public SimulatedTdt(Path dir, Clock clock, Pacing pacing, Map<String, String> extra) throws IOException {
        this(dir, clock, pacing, extra, b -> b);
    }

    /** As above, {@code customize} adding to the simulator's settings (accounts, limits…). */
    public SimulatedTdt(Path dir, Clock clock, Pacing pacing, Map<String, String> extra,
                        java.util.function.UnaryOperator<TdtSimulator.Builder> customize) throws IOException {
        this.dir = dir;
        SimulatorPki pki = new SimulatorPki(dir.resolve("pki"), Clock.systemUTC());
        Path classification = Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        this.simulator = customize.apply(TdtSimulator.builder().tls(pki.ensure()).pacing(pacing).clock(clock)
                .classification(classification).workDir(dir.resolve("sim"))).start();
        StringBuilder props = new StringBuilder(String.join("\n",
                "collectivite.nom=Commune de Houdan",
                "collectivite.siren=217803105",
                "collectivite.departement=078",
                "collectivite.arrondissement=1",
                "collectivite.nature=31",
                "referent.nom=Secrétariat",
                "referent.email=secretariat@ville-houdan.fr",
                "retour.emails=secretariat@ville-houdan.fr",
                "classification.file=classification-078.xml",
                "classification.max-age-days=3650",
                "tdt.trigramme=TTT",
                "tdt.url=" + simulator.url(),
                "tdt.client.keystore=" + pki.clientKeystore(),
                "tdt.client.password=" + read(SimulatorPki.passwordFile(pki.clientKeystore())),
                "tdt.truststore=" + pki.truststore(),
                "tdt.truststore.password=" + read(SimulatorPki.passwordFile(pki.truststore())),
                "tdt.timeout-seconds=10",
                "tdt.retry.initial-delay-seconds=1",
                "poll.interval-seconds=60",
                "")).append('\n');
        extra.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        this.config = Files.writeString(dir.resolve("connector.properties"), props, StandardCharsets.UTF_8);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    public TdtSimulator simulator() {
        return simulator;
    }

    public Path config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
