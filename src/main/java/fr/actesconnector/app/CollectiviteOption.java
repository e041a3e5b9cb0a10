package fr.actesconnector.app;

import java.util.Optional;

import fr.actesconnector.CollectiviteConfig;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.IdActe;
import picocli.CommandLine.Option;

/**
 * {@code --collectivite SIREN}: the collectivité a command acts for. Needed only when the configuration
 * has several; a command given an IDActe takes the SIREN inside it.
 */
public final class CollectiviteOption {
    @Option(names = "--collectivite", paramLabel = "SIREN",
            description = "La collectivité concernée (son SIREN), quand la configuration en compte plusieurs.")
    String siren;

    /** The chosen collectivité, or the only one configured; refused in French when several and none chosen. */
    CollectiviteConfig select(ConnectorConfig config) {
        return config.select(Optional.ofNullable(siren));
    }

    /** The collectivité of the acte {@code id} (the SIREN of its IDActe), which --collectivite, when given, must name. */
    CollectiviteConfig select(ConnectorConfig config, IdActe id) {
        if (siren != null && !siren.trim().equals(id.siren())) {
            throw new ConfigException("L'acte " + id + " est celui de la collectivité de SIREN " + id.siren() + ", pas de "
                    + siren.trim() + " (--collectivite) : retirez --collectivite ou corrigez-le.",
                    id + ": --collectivite " + siren.trim() + " does not match");
        }
        return config.of(id.siren());
    }

    /**
     * The collectivité of a TdT transaction the journal knows ({@code known}: its acte's SIREN), else as
     * {@link #select(ConnectorConfig)}.
     */
    CollectiviteConfig select(ConnectorConfig config, Optional<String> known) {
        if (siren == null && known.isPresent()) return config.of(known.get());
        return select(config);
    }

    /** Whether --collectivite was given. */
    boolean given() {
        return siren != null;
    }
}
