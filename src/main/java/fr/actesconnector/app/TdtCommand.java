package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;
import fr.actesconnector.tdt.RgsCheck;
import fr.actesconnector.tdt.StatusReport;
import fr.actesconnector.tdt.TdtClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tdt}: direct calls to the tiers de télétransmission. */
@Command(name = "tdt", mixinStandardHelpOptions = true, description = "Interroge le tiers de télétransmission.",
        subcommands = {TdtCommand.Status.class, TdtCommand.Confirm.class, TdtCommand.ClassificationCmd.class,
                TdtCommand.Check.class})
public final class TdtCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The SIREN of the acte the journal knows under TdT transaction {@code transaction}, when several collectivités;
     * with one, the journal is not opened (a direct question to the TdT, as before collectivités were data).
     */
    static java.util.Optional<String> sirenOf(ActesConnector connector, long transaction) {
        if (connector.config().collectivites().size() < 2) return java.util.Optional.empty();
        return connector.journal().entries().findByTransactionId(String.valueOf(transaction)).map(e -> e.siren());
    }

    /** {@code tdt status --transaction ID}: the status and, at 4, the ARActe written to a file. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Statut d'une transaction sur le TdT.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        CollectiviteOption collectivite;
        @Option(names = "--transaction", required = true, paramLabel = "ID", description = "Identifiant de transaction du TdT.")
        long transaction;
        @Option(names = "--out", paramLabel = "DOSSIER", description = "Dossier où écrire l'accusé de réception.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter stdout = spec.commandLine().getOut();
            try (ActesConnector connector = config.open()) {
                StatusReport r = connector.followTdt(collectivite.select(connector.config(), transaction,
                        sirenOf(connector, transaction)).siren()).getStatus(transaction);
                stdout.println(r.code() + " " + r.label());
                if (!r.message().isBlank()) stdout.println(r.message().strip());
                if (r.code() == 4 && r.hasXml()) {
                    Path dir = out != null ? out : connector.config().dataDir();
                    Files.createDirectories(dir);
                    Path file = dir.resolve("ARActe-" + transaction + ".xml");
                    Files.write(file, r.xmlBytes());
                    stdout.println("Accusé de réception : " + file);
                }
            }
            return ExitCodes.OK;
        }
    }

    /**
     * {@code tdt confirm --transaction ID}: releases an acte the TdT holds in status 17 (posted by an
     * account that may create but not transmit), with the account of {@code tdt.confirm.login} when set.
     */
    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = "Valide sur le TdT un acte en attente (statut 17) avec un compte télétransmetteur.")
    static final class Confirm implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        CollectiviteOption collectivite;
        @Option(names = "--transaction", required = true, paramLabel = "ID", description = "Identifiant de transaction du TdT.")
        long transaction;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ActesConnector connector = config.open()) {
                var entry = connector.confirmHeld(collectivite.select(connector.config(), transaction,
                        sirenOf(connector, transaction)).siren(), transaction);
                spec.commandLine().getOut().println("Transaction " + transaction + " validée : le TdT la transmet à la "
                        + "préfecture." + entry.map(e -> " (acte " + e.idActe() + ", " + e.state().label() + ")").orElse(""));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code tdt classification --update}: replaces the classification file with the prefecture's. */
    @Command(name = "classification", mixinStandardHelpOptions = true,
            description = "Récupère la classification de la préfecture et remplace classification.file.")
    static final class ClassificationCmd implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        CollectiviteOption collectivite;
        @Option(names = "--update", required = true, description = "Remplace le fichier configuré (l'ancien est gardé en .bak).")
        boolean update;
        @Option(names = "--request", description = "Demande d'abord une nouvelle classification à la préfecture (7-1).")
        boolean request;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            try (ActesConnector connector = config.open()) {
                fr.actesconnector.CollectiviteConfig c = collectivite.select(connector.config());
                ActesConnector.ClassificationUpdate u = connector.updateClassification(c.siren(), request);
                stdout.println("Classification du " + u.current().dateClassification()
                        + (u.changed() ? " (précédente : " + u.previous().dateClassification() + ")" : " (inchangée)")
                        + " : " + u.current().allMatieres().size() + " matières, " + u.current().natures().size() + " natures.");
                u.backup().ifPresent(b -> stdout.println("Ancien fichier conservé : " + b));
                stdout.println(c.classificationFile());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code tdt check}: connection, client certificate and RGS, diagnosed in French. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Vérifie la connexion, le certificat et le RGS.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Mixin
        CollectiviteOption collectivite;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean ok = true;
            try (ActesConnector connector = config.open()) {
                TdtClient tdt = connector.tdt(collectivite.select(connector.config()).siren());
                X509Certificate cert = tdt.clientCertificate();
                Instant now = connector.clock().instant();
                long days = Duration.between(now, cert.getNotAfter().toInstant()).toDays();
                out.println("Certificat client : " + cert.getSubjectX500Principal().getName() + ", valide jusqu'au "
                        + cert.getNotAfter().toInstant().toString().substring(0, 10) + " (" + days + " jours)");
                if (cert.getNotAfter().toInstant().isBefore(now)) {
                    err.println("Le certificat client a expiré : commandez-en un nouveau auprès de votre autorité de certification.");
                    ok = false;
                } else if (days < 30) {
                    err.println("Avertissement : le certificat client expire dans " + days + " jours : pensez à le renouveler.");
                }
                try {
                    tdt.testConnection();
                    out.println("Connexion au TdT : OK");
                } catch (ActesException e) {
                    err.println("Connexion au TdT : échec. " + e.userMessage());
                    return ExitCodes.of(e.reason());
                }
                RgsCheck rgs = tdt.testRgs();
                if (rgs.rgs()) {
                    out.println("Certificat RGS : OK (la télétransmission est possible)");
                } else {
                    err.println("Certificat RGS : refusé. Le TdT n'acceptera pas de transmission avec ce certificat"
                            + (rgs.message().isBlank() ? "" : " (" + rgs.message() + ")")
                            + " : utilisez un certificat RGS reconnu par la plateforme.");
                    ok = false;
                }
            }
            if (!ok) throw new ActesException(Reason.UNAVAILABLE, "Diagnostic : la télétransmission n'est pas possible en l'état.",
                    "tdt check failed");
            out.println("Diagnostic : tout est prêt pour la télétransmission.");
            return ExitCodes.OK;
        }
    }
}
