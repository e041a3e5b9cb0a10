package fr.actesconnector.app.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.ReplyKind;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.Violation;

/**
 * The prefecture's letters of one acte, {@code /actes/{id}/courriers/{letter}/…}: the letter's PDF, the
 * town's answer (sent once through the connector's {@code reply}), and whether a 4-1 is a recours gracieux.
 */
final class LettersPage {
    private static final Logger LOG = LoggerFactory.getLogger(LettersPage.class);

    /** Shows the acte's page again, with the problems of the form just sent. */
    @FunctionalInterface
    interface Redisplay {
        void show(FormProblems problems, int status) throws IOException;
    }

    private final ActesConnector connector;
    private final Uploads uploads;

    LettersPage(ActesConnector connector, Uploads uploads) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.uploads = Objects.requireNonNull(uploads, "uploads");
    }

    /** The methods of a letter's {@code action}; none for an unknown one. */
    static Set<String> methods(String action) {
        return switch (action) {
            case "/pdf" -> Set.of("GET");
            case "/repondre", "/recours-gracieux" -> Set.of("POST");
            default -> Set.of();
        };
    }

    /** Routes {@code action} ({@code /pdf}, {@code /repondre}, {@code /recours-gracieux}) for a letter of {@code e}. */
    void handle(HttpExchange ex, Sessions.Session s, JournalEntry e, long letterId, String action, Redisplay redisplay)
            throws IOException {
        Letters.Letter l = connector.journal().letters().byId(letterId).filter(x -> x.acteId() == e.id())
                .orElseThrow(() -> new RequestException(404, "Courrier introuvable", "Ce courrier de la préfecture n'est pas "
                        + "enregistré sur cet acte."));
        String method = ex.getRequestMethod();
        switch (action) {
            case "/pdf" -> {
                if (!method.equals("GET")) throw RequestException.methodNotAllowed();
                Exchanges.sendFile(ex, l.pdf().orElseThrow(RequestException::noFile), "application/pdf");
            }
            case "/repondre" -> {
                if (!method.equals("POST")) throw RequestException.methodNotAllowed();
                uploads.receive(ex, s, (form, dir) -> reply(ex, s, e, l, form, redisplay));
            }
            case "/recours-gracieux" -> {
                if (!method.equals("POST")) throw RequestException.methodNotAllowed();
                recoursGracieux(ex, s, e, l);
            }
            default -> throw RequestException.notFound();
        }
    }

    private void reply(HttpExchange ex, Sessions.Session s, JournalEntry e, Letters.Letter l, MultipartParser.Form form,
                       Redisplay redisplay) throws IOException {
        List<ReplyKind> kinds = LetterView.kinds(l);
        if (kinds.isEmpty()) {
            throw new RequestException(409, "Pas de réponse par le TdT", "Ce courrier (" + Plain.letterType(l)
                    + ") n'appelle pas de réponse par le TdT.");
        }
        String tx = l.transactionId().orElseThrow(() -> new RequestException(409, "Courrier pas encore relevé",
                "Ce courrier n'est connu que par courriel : la réponse par le TdT sera possible quand le connecteur l'aura "
                        + "relevé sur le TdT."));
        String formId = LetterView.formId(l.id());
        String genre = formId + "-genre";
        String document = formId + "-document";
        String pieces = formId + "-pieces";
        List<FormProblems.Problem> problems = new ArrayList<>();
        Optional<ReplyKind> kind = ReplyKind.parse(form.field("genre")).filter(kinds::contains);
        if (kind.isEmpty()) {
            problems.add(FormProblems.Problem.of("Choisissez la réponse à envoyer : " + String.join(" ou ", kinds.stream()
                    .map(k -> "« " + k.label() + " »").toList()) + ".", genre));
        }
        Optional<MultipartParser.FilePart> letter = form.file("document");
        if (letter.isEmpty()) {
            problems.add(FormProblems.Problem.of("Aucune lettre de réponse : joignez-la en PDF.", document));
        } else if (kindOf(letter.get()).filter(k -> k == FileKind.PDF).isEmpty()) {
            problems.add(FormProblems.Problem.of("La lettre de réponse « " + letter.get().originalName() + " » n'est pas un PDF : "
                    + "enregistrez-la en PDF, puis joignez-la de nouveau.", document));
        }
        List<MultipartParser.FilePart> extra = new ArrayList<>();
        for (int i = 1; i <= LetterView.MAX_PIECES; i++) form.file("piece_" + i).ifPresent(extra::add);
        if (!extra.isEmpty() && kind.isPresent() && !kind.get().allowsAnnexes()) {
            problems.add(FormProblems.Problem.of("Seul l'envoi des pièces complémentaires (3-4) porte des pièces jointes : retirez-les, "
                    + "ou choisissez « " + ReplyKind.PIECES.label() + " ».", pieces));
        }
        for (MultipartParser.FilePart p : extra) {
            if (kindOf(p).filter(k -> k != FileKind.XML).isEmpty()) {
                problems.add(FormProblems.Problem.of("La pièce « " + p.originalName() + " » n'est ni un PDF, ni une image PNG ou JPEG.", pieces));
            }
        }
        Map<String, String> typed = Map.of("genre", form.field("genre"));
        if (!problems.isEmpty()) {
            redisplay.show(new FormProblems(formId, "La réponse n'a pas été envoyée", problems, typed), 422);
            return;
        }
        Typologie typologie = e.nature().genericTypologie();
        ActesConnector.Replied replied;
        try {
            replied = connector.reply(e.idActe(), tx, kind.get(), new Piece(letter.get().file(), typologie),
                    extra.stream().map(p -> new Piece(p.file(), typologie)).toList(), s.actor());
        } catch (InvalidActeException refused) {
            for (Violation v : refused.violations()) {
                if (!v.isError()) continue;
                problems.add(FormProblems.Problem.of(v.message(), switch (v.field()) {
                    case "--kind" -> genre;
                    case "--annex" -> pieces;
                    case "fichier", "typologie" -> document;
                    default -> "";
                }));
            }
            redisplay.show(new FormProblems(formId, "La réponse n'a pas été envoyée", problems, typed), 422);
            return;
        } catch (ActesException failed) {
            LOG.warn("{}: web answer to letter {} failed: {}", e.idActe(), tx, failed.getMessage());
            redisplay.show(new FormProblems(formId, "La réponse n'a pas été envoyée",
                    List.of(FormProblems.Problem.of(failed.userMessage(), "")), typed), Exchanges.status(failed));
            return;
        }
        Letters.Answer a = replied.answer();
        if (replied.posted()) {
            s.flash("La réponse (" + Plain.answerKind(a.kind()) + ") a été envoyée au TdT (transaction "
                    + a.transactionId().orElse("?") + ") ; son accusé de réception sera relevé avec les autres.");
            LOG.info("{}: answer {} to letter {} sent from the web page by {}", e.idActe(), a.kind(), tx, s.login.orElse("?"));
        } else {
            s.flash("Ce courrier avait déjà une réponse : elle n'a pas été renvoyée (" + Plain.answerKind(a.kind()) + ", "
                    + Plain.answerState(a.state()) + ").");
        }
        Exchanges.redirect(ex, "/actes/" + e.id() + "#courrier-" + l.id());
    }

    private void recoursGracieux(HttpExchange ex, Sessions.Session s, JournalEntry e, Letters.Letter l) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        if (l.letterType() != 4) {
            throw new RequestException(409, "Action impossible", "Seule une lettre d'observations (4-1) peut être un recours "
                    + "gracieux.");
        }
        boolean recours = !form.getOrDefault("recours_gracieux", "").isEmpty();
        connector.journal().letters().setRecoursGracieux(l.id(), recours);
        String day = Pages.DAY.format(l.dateCourrierPref());
        connector.journal().recordAction(e.id(), s.actor(), "lettre d'observations du " + day + " : " + (recours
                ? "demande le retrait ou la modification de l'acte (recours gracieux)" : "demande seulement des explications"));
        s.flash(recours
                ? "La lettre d'observations du " + day + " demande le retrait ou la modification de l'acte (recours gracieux) : "
                        + "le calendrier légal en tient compte."
                : "La lettre d'observations du " + day + " demande seulement des explications : elle ne prolonge pas le délai "
                        + "du déféré, et le calendrier légal en tient compte.");
        LOG.info("{}: letter {} recours gracieux {} by {}", e.idActe(), l.id(), recours, s.login.orElse("?"));
        Exchanges.redirect(ex, "/actes/" + e.id() + "#courrier-" + l.id());
    }

    private static Optional<FileKind> kindOf(MultipartParser.FilePart part) {
        try {
            return FileKind.detect(part.file());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
