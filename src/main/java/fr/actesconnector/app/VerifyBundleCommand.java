package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import fr.actesconnector.bundle.BundleVerifier;
import fr.actesconnector.bundle.NotABundleException;
import fr.actesconnector.bundle.SafeZip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code verify-bundle FILE.zip}: checks a proof bundle offline, without configuration; prints each check in
 * French. Exit 0 when every check holds, 1 when one fails, 2 when the file is not a bundle (or is refused as
 * hostile before anything is extracted).
 */
@Command(name = "verify-bundle", mixinStandardHelpOptions = true,
        description = "Vérifie hors ligne un dossier de preuve (.zip) : empreintes, signatures, accusé de réception, dates.")
public final class VerifyBundleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FICHIER.zip", description = "Le dossier de preuve à vérifier.")
    Path bundle;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BundleVerifier.Report report;
        try {
            report = new BundleVerifier(Clock.systemDefaultZone(), SafeZip.Limits.DEFAULT,
                    Path.of(System.getProperty("java.io.tmpdir"))).verify(bundle);
        } catch (NotABundleException e) {
            err.println(e.userMessage());
            return ExitCodes.INVALID_INPUT;
        }
        for (BundleVerifier.Check c : report.checks()) {
            out.println(mark(c.status()) + " " + c.subject() + " : " + c.message());
        }
        List<BundleVerifier.Check> failures = report.failures();
        if (failures.isEmpty()) {
            out.println("Dossier de preuve vérifié : toutes les vérifications sont conformes (acte " + report.idActe() + ").");
            return ExitCodes.OK;
        }
        out.println("Dossier de preuve NON conforme : " + failures.size() + " vérification(s) en échec ("
                + String.join(", ", failures.stream().map(BundleVerifier.Check::subject).distinct().toList()) + ").");
        return ExitCodes.NOT_VERIFIED;
    }

    private static String mark(BundleVerifier.Status status) {
        return switch (status) {
            case OK -> "[OK]   ";
            case FAILED -> "[ÉCHEC]";
            case INFO -> "[info] ";
        };
    }
}
