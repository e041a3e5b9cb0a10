package fr.actesconnector.app;

import java.util.List;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cancel}: asks the cancellation (6-1) of an acte the prefecture acknowledged; same rules as the web page. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Demande l'annulation (6-1) d'un acte dont la préfecture a accusé réception.")
public final class CancelCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;
    @Option(names = "--acte", required = true, paramLabel = "IDACTE", description = "L'acte à annuler.")
    String acte;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        IdActe id = IdActe.parse(acte.trim()).orElseThrow(() -> new InvalidActeException(List.of(Violation.error("--acte",
                "« " + acte + " » n'est pas un identifiant d'acte (IDActe), ex. 078-217803105-20260427-2026_DEC_020-CC."))));
        try (ActesConnector connector = config.open()) {
            collectivite.select(connector.config(), id);
            JournalEntry e = connector.cancel(id, Actor.commandLine());
            spec.commandLine().getOut().println("Annulation demandée au TdT (transaction " + e.cancelTransactionId().orElse("-")
                    + ") : l'acte sera annulé à la réception de l'accusé de la préfecture.");
            spec.commandLine().getOut().println(e.idActe() + " " + e.state().name());
        }
        return ExitCodes.OK;
    }
}
