package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.inbox.IntakeResult;
import fr.actesconnector.inbox.ParseResult;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.FrenchText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code inbox}: the ministry's e-mails, from .eml files or from the IMAP folder, recorded in the journal. A mail
 * about no acte of the journal is left alone with a French line naming the acte (exit 0); an unreadable one exits 2.
 */
@Command(name = "inbox", mixinStandardHelpOptions = true,
        description = "Enregistre les retours de la préfecture reçus par courriel (.eml ou boîte IMAP).")
public final class InboxCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--eml", arity = "1..*", paramLabel = "FICHIER", description = "Courriels enregistrés (.eml).")
    List<Path> eml = new ArrayList<>();
    @Option(names = "--imap", description = "Lit la boîte IMAP configurée (mail.imap.*).")
    boolean imap;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (eml.isEmpty() && !imap) {
            throw new ConfigException("Indiquez --eml FICHIER… ou --imap.", "inbox without source");
        }
        int unreadable = 0;
        try (ActesConnector connector = config.open()) {
            List<IntakeResult> results = new ArrayList<>();
            if (!eml.isEmpty()) results.add(connector.ingestEml(eml));
            if (imap) {
                Optional<IntakeResult> r = connector.ingestImap();
                if (r.isEmpty()) throw new ConfigException("mail.imap.host manque dans la configuration.", "no imap config");
                results.add(r.get());
            }
            for (IntakeResult r : results) {
                for (ParseResult p : r.processed()) {
                    out.println("Traité : " + p.source() + " (" + FrenchText.count(p.replies().size(), "message ACTES",
                            "messages ACTES") + ")");
                    p.replies().stream().flatMap(m -> m.warnings().stream()).forEach(w -> err.println("Attention : " + w));
                }
                for (IntakeResult.LeftAlone l : r.leftAlone()) {
                    err.println(l.source() + " : " + l.reason());
                    if (l.why() == IntakeResult.Why.UNREADABLE) unreadable++;
                }
            }
        }
        // a mail read and left alone (about no acte of the journal) is a normal outcome; an unreadable one is not
        return unreadable == 0 ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }
}
