package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code prepare}: validates an acte and writes its ACTES archive, without sending it. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Vérifie un acte et écrit son archive ACTES (.tar.gz) dans un dossier, sans l'envoyer.")
public final class PrepareCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;

    @ArgGroup(exclusive = false, multiplicity = "1")
    ActeOptions acte;

    @Option(names = "--out", required = true, paramLabel = "DOSSIER", description = "Dossier où écrire l'archive.")
    Path out;

    @Option(names = "--sign", description = "Signe le document et les annexes (CMS détachée, certificat signature.keystore).")
    boolean sign;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (ActesConnector connector = config.open()) {
            fr.actesconnector.model.Collectivite c = collectivite.select(connector.config()).collectivite();
            ActesConnector.Prepared p = connector.prepare(acte.toActe(c, connector::validate), out, sign);
            Output.warnings(stderr, p.warnings());
            stdout.println("IDActe : " + p.idActe());
            p.entryNames().forEach(n -> stdout.println("  " + n));
            p.signatureFiles().forEach(s -> stdout.println("Signature : " + s));
            stdout.println(p.archive());
        }
        return ExitCodes.OK;
    }
}
