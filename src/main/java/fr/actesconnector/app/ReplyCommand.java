package fr.actesconnector.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.ReplyKind;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code reply}: answers a prefecture letter through the TdT, once (exit codes as {@code send}); the
 * last line is {@code <IDActe> <letter> <answer transaction>}.
 */
@Command(name = "reply", mixinStandardHelpOptions = true,
        description = "Répond à un courrier de la préfecture (2-2, 3-3, 3-4, 4-3, 4-4), une seule fois.")
public final class ReplyCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    CollectiviteOption collectivite;
    @Option(names = "--acte", required = true, paramLabel = "IDACTE", description = "L'acte concerné (ex. 078-217803105-20260427-2026_DEC_020-CC).")
    String acte;
    @Option(names = "--letter", required = true, paramLabel = "ID", description = "Le courrier (son numéro de transaction sur le TdT, clé transactionId de status --json).")
    String letter;
    @Option(names = "--kind", required = true, paramLabel = "GENRE",
            description = "reponse (2-2), pieces (3-4), refus-pieces (3-3), justification (4-4), rejet-observations (4-3).")
    String kind;
    @Option(names = "--document", required = true, paramLabel = "FICHIER[:TYPO]", description = "La lettre de réponse (PDF) et sa typologie.")
    String document;
    @Option(names = "--annex", paramLabel = "FICHIER[:TYPO]", description = "Pièce jointe, pour --kind pieces seulement (répétable).")
    List<String> annexes = new ArrayList<>();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Violation> problems = new ArrayList<>();
        IdActe id = IdActe.parse(acte.trim()).orElse(null);
        if (id == null) problems.add(Violation.error("--acte", "« " + acte + " » n'est pas un identifiant d'acte (IDActe), "
                + "ex. 078-217803105-20260427-2026_DEC_020-CC."));
        ReplyKind k = ReplyKind.parse(kind).orElse(null);
        if (k == null) problems.add(Violation.error("--kind", "Genre de réponse « " + kind + " » inconnu : reponse, pieces, "
                + "refus-pieces, justification ou rejet-observations."));
        if (!letter.trim().matches("[0-9]{1,18}")) problems.add(Violation.error("--letter", "« " + letter + " » n'est pas un "
                + "numéro de transaction du TdT (des chiffres, clé transactionId des courriers dans status --json)."));
        if (!problems.isEmpty()) throw new InvalidActeException(problems);
        try (ActesConnector connector = config.open()) {
            collectivite.select(connector.config(), id);
            Typologie generic = connector.journal().entries().findByIdActe(id).map(e -> e.nature().genericTypologie())
                    .orElse(new Typologie("99_AU"));
            ActesConnector.Replied replied = connector.reply(id, letter.trim(), k, ActeOptions.piece(document, generic),
                    annexes.stream().map(a -> ActeOptions.piece(a, generic)).toList(), Actor.commandLine());
            Letters.Answer a = replied.answer();
            if (replied.posted()) {
                out.println(k.label() + " (" + k.messageCode() + ") transmise au TdT.");
            } else {
                out.println("Ce courrier a déjà une réponse dans le journal : elle n'a pas été renvoyée (" + a.kind() + ", "
                        + a.state() + a.lastError().map(m -> ", " + m).orElse("") + ").");
            }
            out.println(id + " " + letter.trim() + " " + a.transactionId().orElse("-"));
        }
        return ExitCodes.OK;
    }
}
