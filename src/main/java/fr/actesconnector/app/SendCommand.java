package fr.actesconnector.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Actor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code send}: validates, signs if asked, posts to the TdT once and prints
 * {@code <IDActe> <transaction id>} as its last line.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Vérifie, signe (--sign) et transmet un acte au TdT, une seule fois.")
public final class SendCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;

    @ArgGroup(exclusive = false, multiplicity = "1")
    ActeOptions acte;

    @Option(names = "--sign", description = "Signe le document et les annexes (CMS détachée, certificat signature.keystore).")
    boolean sign;

    @Option(names = "--replaces", paramLabel = "IDACTE",
            description = "Cet acte corrige un acte refusé (anomalie, erreur du TdT), envoyé sous un nouveau numéro.")
    String replaces;

    @Option(names = "--queue", description = "Enregistre, signe et archive l'acte sans l'envoyer : un démon (daemon) "
            + "l'enverra. Sert quand plusieurs démons se partagent les envois.")
    boolean queue;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ActesConnector connector = config.open()) {
            java.util.Optional<fr.actesconnector.model.IdActe> replaced = java.util.Optional.empty();
            if (replaces != null) {
                replaced = java.util.Optional.of(fr.actesconnector.model.IdActe.parse(replaces.trim()).orElseThrow(() ->
                        new fr.actesconnector.model.InvalidActeException(java.util.List.of(fr.actesconnector.model.Violation.error(
                                "--replaces", "« " + replaces + " » n'est pas un identifiant d'acte (IDActe).")))));
            }
            // a correction is the refused acte's collectivité's: its IDActe names it, --collectivite may only agree
            fr.actesconnector.model.Collectivite c = (replaced.isPresent()
                    ? collectivite.select(connector.config(), replaced.get()) : collectivite.select(connector.config()))
                    .collectivite();
            ActesConnector.Sent sent = connector.send(acte.toActe(c, connector::validate), sign, replaced,
                    Actor.commandLine(), queue ? ActesConnector.Delivery.QUEUE : ActesConnector.Delivery.NOW);
            Output.warnings(err, sent.warnings());
            if (queue && sent.entry().state() == TransmissionState.PREPARED) {
                out.println("Acte enregistré et mis en file d'envoi : un démon (daemon) l'enverra au TdT.");
                out.println(sent.entry().idActe() + " -");
                return ExitCodes.OK;
            }
            return report(sent, out, err);
        }
    }

    static int report(ActesConnector.Sent sent, PrintWriter out, PrintWriter err) {
        JournalEntry e = sent.entry();
        if (sent.posted()) {
            out.println("Acte transmis au TdT" + (sent.recovered() ? " (envoi retrouvé sur le TdT après une coupure)" : "")
                    + " : " + e.state().label() + ".");
        } else {
            out.println("L'acte " + e.idActe() + " est déjà dans le journal : il n'a pas été renvoyé.");
            out.println("État : " + e.state().label() + e.lastError().map(m -> " (" + m + ")").orElse(""));
            if (e.state() == TransmissionState.ERROR || e.state() == TransmissionState.REJECTED) {
                err.println("Cet acte a été refusé : corrigez-le et transmettez-le sous un nouveau numéro "
                        + "(le TdT n'accepte jamais deux fois le même numéro).");
                out.println(e.idActe() + " " + e.transactionId().orElse("-"));
                return ExitCodes.REFUSED;
            }
        }
        out.println(e.idActe() + " " + e.transactionId().orElse("-"));
        return ExitCodes.OK;
    }
}
