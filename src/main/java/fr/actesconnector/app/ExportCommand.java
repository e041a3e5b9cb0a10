package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code export --acte IDACTE --out DIR}: the acte's proof bundle, {@code <IDActe>.zip}; {@code export --since D
 * --until D --out DIR}: one bundle per acte decided in the period, and {@code index.json}. Prints each bundle's path.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Écrit le dossier de preuve d'un acte (un .zip vérifiable hors ligne), ou ceux d'une période.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;
    @Option(names = "--acte", paramLabel = "IDACTE", description = "L'acte dont écrire le dossier de preuve.")
    String acte;
    @Option(names = "--since", paramLabel = "AAAA-MM-JJ", description = "Début de la période (date de décision, incluse).")
    LocalDate since;
    @Option(names = "--until", paramLabel = "AAAA-MM-JJ", description = "Fin de la période (date de décision, incluse).")
    LocalDate until;
    @Option(names = "--out", required = true, paramLabel = "DOSSIER", description = "Où écrire les dossiers.")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Violation> problems = new ArrayList<>();
        boolean period = since != null || until != null;
        if (acte == null && !period) {
            problems.add(Violation.error("--acte", "Indiquez --acte IDACTE, ou une période --since AAAA-MM-JJ --until AAAA-MM-JJ."));
        }
        if (acte != null && period) {
            problems.add(Violation.error("--acte", "--acte et --since/--until ne vont pas ensemble : un acte, ou une période."));
        }
        if (period && (since == null || until == null)) {
            problems.add(Violation.error("--since", "Une période a un début et une fin : indiquez --since et --until."));
        }
        IdActe id = null;
        if (acte != null) {
            id = IdActe.parse(acte.trim()).orElse(null);
            if (id == null) {
                problems.add(Violation.error("--acte", "« " + acte + " » n'est pas un identifiant d'acte (IDActe), ex. "
                        + "078-217803105-20260427-2026_DEC_020-CC."));
            }
        }
        if (!problems.isEmpty()) throw new InvalidActeException(problems);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ActesConnector connector = config.open()) {
            if (id != null) {
                collectivite.select(connector.config(), id);
                Path bundle = connector.exportBundle(id, out);
                err.println("Dossier de preuve écrit ; vérifiez-le avec : java -jar actes.jar verify-bundle " + bundle);
                stdout.println(bundle);
            } else {
                // One collectivité's year; a single-collectivité configuration exports the whole journal as before.
                ActesConnector.ExportedPeriod p = collectivite.given() || connector.config().collectivites().size() > 1
                        ? connector.exportBundles(collectivite.select(connector.config()).siren(), since, until, out)
                        : connector.exportBundles(since, until, out);
                p.skipped().forEach(s -> err.println("Non exporté : " + s));
                err.println(p.bundles().size() + " dossier(s) de preuve écrit(s) pour la période du " + since + " au " + until
                        + " ; index : " + p.index());
                p.bundles().forEach(stdout::println);
                stdout.println(p.index());
            }
        }
        return ExitCodes.OK;
    }
}
