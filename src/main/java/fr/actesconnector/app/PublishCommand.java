package fr.actesconnector.app;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.FrenchText;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code publish}: records when the acte was published (or displayed) or notified to the people concerned. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Enregistre la date de publication (ou d'affichage) ou de notification d'un acte.")
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;
    @Option(names = "--acte", required = true, paramLabel = "IDACTE", description = "L'acte publié ou notifié.")
    String acte;
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Date de publication ou de notification.")
    String date;
    @Option(names = "--mode", required = true, paramLabel = "MODE", description = "publication ou notification.")
    String mode;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Violation> problems = new ArrayList<>();
        IdActe id = IdActe.parse(acte.trim()).orElse(null);
        if (id == null) problems.add(Violation.error("--acte", "« " + acte + " » n'est pas un identifiant d'acte (IDActe)."));
        LocalDate day = FrenchText.isoDate(date).orElse(null);
        if (day == null) {
            problems.add(Violation.error("--date", "La date « " + date + " » " + FrenchText.whyNotADate(date).orElseThrow()
                    + " (ex. 2026-05-02)."));
        }
        if (!problems.isEmpty()) throw new InvalidActeException(problems);
        try (ActesConnector connector = config.open()) {
            collectivite.select(connector.config(), id);
            connector.publish(id, day, mode.trim().toLowerCase(java.util.Locale.ROOT), Actor.commandLine());
            spec.commandLine().getOut().println((mode.trim().equalsIgnoreCase("notification") ? "Notification" : "Publication")
                    + " du " + day + " enregistrée pour l'acte " + id + ".");
        }
        return ExitCodes.OK;
    }
}
