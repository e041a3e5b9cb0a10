package fr.actesconnector.app;

import java.nio.file.Path;
import java.time.Clock;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE}, and the one place the CLI reads the environment ({@code ACTES_*} overrides). */
public final class ConfigOption {
    @Option(names = "--config", required = true, paramLabel = "FICHIER",
            description = "Fichier de configuration (.properties, UTF-8).")
    Path file;

    public ConnectorConfig load() {
        return ConnectorConfig.load(file, System.getenv());
    }

    public ActesConnector open() {
        return new ActesConnector(load(), Clock.systemDefaultZone());
    }

    /** For a one-shot command that reads the journal only: see {@link ActesConnector#oneShot}. */
    public ActesConnector openOneShot() {
        return ActesConnector.oneShot(load(), Clock.systemDefaultZone());
    }
}
