package fr.actesconnector.app;

import java.util.Optional;

import fr.actesconnector.CollectiviteConfig;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.IdActe;
import picocli.CommandLine.Option;

/**
 * {@code --collectivite SIREN}: the collectivité a command acts for. Needed only when the configuration
 * has several. A command given an existing acte (its IDActe, or a TdT transaction the journal knows) takes the
 * acte's collectivité: the option may then only name the same one.
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
     * The collectivité of TdT transaction {@code transaction}: that of its acte when the journal knows it ({@code known}:
     * the acte's SIREN), which --collectivite, when given, must name; else as {@link #select(ConnectorConfig)}.
     */
    CollectiviteConfig select(ConnectorConfig config, long transaction, Optional<String> known) {
        if (known.isEmpty()) return select(config);
        if (siren != null && !siren.trim().equals(known.get())) {
            throw new ConfigException("La transaction " + transaction + " est celle d'un acte de la collectivité de SIREN "
                    + known.get() + ", pas de " + siren.trim() + " (--collectivite) : retirez --collectivite ou corrigez-le.",
                    "transaction " + transaction + ": --collectivite " + siren.trim() + " does not match");
        }
        return config.of(known.get());
    }

    /** Whether --collectivite was given. */
    boolean given() {
        return siren != null;
    }
}
