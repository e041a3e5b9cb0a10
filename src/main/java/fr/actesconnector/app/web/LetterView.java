package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;
import static fr.actesconnector.app.web.Pages.DAY;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.model.ReplyKind;

/**
 * One prefecture letter on the acte's page: its type, date, text and PDF; for a lettre d'observations,
 * whether it is a recours gracieux; then the town's answer, or the form that answers it once.
 */
final class LetterView {
    /** Files a 3-4 (envoi des pièces complémentaires) may carry besides the answer itself, from this page. */
    static final int MAX_PIECES = 5;

    /** A letter, its answer when there is one, and whether its PDF is kept. */
    record Item(Letters.Letter letter, Optional<Letters.Answer> answer, boolean pdf) {
        Item {
            Objects.requireNonNull(letter, "letter");
            Objects.requireNonNull(answer, "answer");
        }
    }

    private final Pages pages;

    LetterView(Pages pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    /** The id of the answer form of a letter, also the {@link FormProblems#form()} of its problems. */
    static String formId(long letterId) {
        return "reponse-" + letterId;
    }

    /** The kinds of answer a letter takes: 2-2 for a 2-1, 3-4 or 3-3 for a 3-1, 4-4 or 4-3 for a 4-1. */
    static List<ReplyKind> kinds(Letters.Letter letter) {
        return Arrays.stream(ReplyKind.values()).filter(k -> k.letterType() == letter.letterType()).toList();
    }

    String render(Pages.Viewer viewer, JournalEntry e, Item item, FormProblems problems) {
        Letters.Letter l = item.letter();
        String id = "courrier-" + l.id();
        String base = "/actes/" + e.id() + "/courriers/" + l.id();
        StringBuilder b = new StringBuilder(4096);
        b.append("<article class=\"courrier\" id=\"").append(id).append("\" aria-labelledby=\"").append(id).append("-titre\">")
                .append("<h3 id=\"").append(id).append("-titre\">")
                .append(esc(Plain.letterType(l) + " du " + DAY.format(l.dateCourrierPref()))).append("</h3>")
                .append("<dl class=\"fiche\">")
                .append(Pages.dt(l.letterType() == 5 ? "Déposé au tribunal le" : "Date du courrier",
                        DAY.format(l.dateCourrierPref())))
                .append(Pages.dt("Relevé le", pages.dayTime(l.receivedAt())));
        l.text().filter(t -> !t.isBlank()).ifPresent(t -> b.append("<dt>").append(esc(Plain.letterText(l)))
                .append("</dt><dd class=\"texte\">").append(esc(t.strip())).append("</dd>"));
        b.append(Pages.dt("Transaction TdT", l.transactionId().orElse("—"))).append("</dl>");
        if (item.pdf()) {
            b.append("<p><a href=\"").append(base).append("/pdf\">Courrier de la préfecture (PDF)</a></p>");
        }
        if (l.letterType() == 4) b.append(recoursGracieux(viewer, base, l));
        Optional<Letters.Answer> answer = item.answer();
        if (l.letterType() == 5) {
            b.append("<p class=\"conseil\">").append(esc("Un déféré au tribunal administratif n'appelle pas de réponse par "
                    + "le TdT : la commune répond au tribunal administratif, dans la procédure qu'il a ouverte.")).append("</p>");
        } else if (answer.isPresent() && answer.get().state() != Letters.AnswerState.PREPARED) {
            b.append(answer(l, answer.get()));
        } else if (l.transactionId().isEmpty()) {
            b.append("<p class=\"conseil\">").append(esc("Ce courrier n'est connu que par courriel : la réponse par le TdT "
                    + "sera possible quand le connecteur l'aura relevé sur le TdT (relevé automatique, ou « poll --once »)."))
                    .append("</p>");
        } else if (!kinds(l).isEmpty()) {
            answer.flatMap(Letters.Answer::lastError).ifPresent(m -> b.append("<p class=\"explication\">")
                    .append(esc("La réponse précédente n'a pas été envoyée : " + m)).append("</p>"));
            b.append(replyForm(viewer, base, l, problems));
        }
        return b.append("</article>").toString();
    }

    /** The town's answer: its kind, where it stands, when it was sent and received by the prefecture. */
    private String answer(Letters.Letter l, Letters.Answer a) {
        StringBuilder b = new StringBuilder("<div class=\"reponse\" id=\"" + formId(l.id()) + "-suivi\">")
                .append("<h4>Réponse de la commune</h4><dl class=\"fiche\">")
                .append(Pages.dt("Réponse", Plain.answerKind(a.kind())))
                .append("<dt>État</dt><dd class=\"etat etat-").append(a.state().name().toLowerCase(Locale.ROOT)).append("\">")
                .append(esc(Plain.answerState(a.state()))).append("</dd>")
                .append(Pages.dt("Envoyée le", a.sentAt().map(pages::dayTime).orElse("—")));
        String received;
        if (a.dateReception().isPresent()) {
            received = DAY.format(a.dateReception().get());
        } else if (l.letterType() == 2) {
            received = "pas d'accusé de réception pour la réponse à un courrier simple";
        } else {
            received = a.state() == Letters.AnswerState.ERROR ? "—" : "accusé de réception attendu";
        }
        b.append(Pages.dt("Reçue par la préfecture le", received))
                .append(Pages.dt("Transaction TdT", a.transactionId().orElse("—"))).append("</dl>");
        if (a.state() == Letters.AnswerState.ERROR) {
            b.append("<p class=\"explication\">").append(esc(a.lastError().orElse("Refusée par le TdT.")
                    + " Le TdT n'accepte qu'une réponse par courrier : voyez avec la préfecture.")).append("</p>");
        }
        return b.append("</div>").toString();
    }

    /** "Répondre": the kinds this letter takes, the answer PDF and, for the pièces complémentaires, their files. */
    private static String replyForm(Pages.Viewer viewer, String base, Letters.Letter l, FormProblems problems) {
        String form = formId(l.id());
        List<ReplyKind> kinds = kinds(l);
        String chosen = problems.value(form, "genre", kinds.get(0).word());
        StringBuilder b = new StringBuilder(2048);
        b.append("<form method=\"post\" action=\"").append(base).append("/repondre\" enctype=\"multipart/form-data\"")
                .append(" class=\"formulaire repondre\" id=\"").append(form).append("\" novalidate>")
                // First field: the server checks it before reading any file.
                .append(Pages.csrfField(viewer.csrf()))
                .append("<h4>Répondre</h4>").append(Pages.REQUIRED)
                .append("<fieldset id=\"").append(form).append("-genre\"><legend>Réponse</legend>")
                .append(problems.errorText(form + "-genre"));
        for (ReplyKind k : kinds) {
            b.append(FicheView.radio(form + "-genre-" + k.word(), "genre", k.word(), k.label() + " (" + k.messageCode() + ")",
                    k.word().equals(chosen)));
        }
        b.append("</fieldset>")
                .append("<div class=\"champ\"><label for=\"").append(form).append("-document\">Lettre de réponse (PDF)</label>")
                .append("<p class=\"aide\" id=\"").append(form).append("-document-aide\">La lettre signée de la commune, "
                        + "en PDF.</p>")
                .append(problems.errorText(form + "-document"))
                .append("<input id=\"").append(form).append("-document\" name=\"document\" type=\"file\"")
                .append(" accept=\"application/pdf,.pdf\"").append(problems.described(form + "-document")).append("></div>");
        if (kinds.stream().anyMatch(ReplyKind::allowsAnnexes)) {
            String word = kinds.stream().filter(ReplyKind::allowsAnnexes).findFirst().orElseThrow().word();
            b.append("<fieldset id=\"").append(form).append("-pieces\" data-genre=\"").append(word).append("\">")
                    .append("<legend>Pièces complémentaires</legend>")
                    .append("<p class=\"aide\" id=\"").append(form).append("-pieces-aide\">")
                    .append(esc("Seulement pour l'envoi des pièces complémentaires (3-4) : PDF de préférence, PNG ou JPEG "
                            + "acceptés ; " + MAX_PIECES + " au plus.")).append("</p>")
                    .append(problems.errorText(form + "-pieces"));
            for (int i = 1; i <= MAX_PIECES; i++) {
                String id = form + "-piece-" + i;
                b.append("<div class=\"champ\"><label for=\"").append(id).append("\">Pièce ").append(i)
                        .append(" (facultative)</label><input id=\"").append(id).append("\" name=\"piece_").append(i)
                        .append("\" type=\"file\" accept=\"application/pdf,.pdf,image/png,image/jpeg\"")
                        .append(" aria-describedby=\"").append(form).append("-pieces-aide\"></div>");
            }
            b.append("</fieldset>");
        }
        if (problems.form().equals(form) && problems.any()) {
            b.append("<p class=\"aide\">Pour votre sécurité, les fichiers ne sont pas conservés : joignez-les de nouveau.</p>");
        }
        b.append("<p><button type=\"submit\" class=\"principal\">Envoyer la réponse</button></p>")
                .append("<p class=\"aide\">").append(esc("La réponse part une seule fois : le TdT n'accepte qu'une réponse "
                        + "par courrier.")).append("</p>")
                .append("</form>");
        return b.toString();
    }

    /** For a 4-1: whether it asks to withdraw or change the acte, which decides whether it prolongs the déféré window. */
    private static String recoursGracieux(Pages.Viewer viewer, String base, Letters.Letter l) {
        String id = "recours-" + l.id();
        return "<form method=\"post\" action=\"" + base + "/recours-gracieux\" class=\"recours\" id=\"" + id + "\">"
                + Pages.csrfField(viewer.csrf())
                + "<div class=\"case\"><input type=\"checkbox\" id=\"" + id + "-case\" name=\"recours_gracieux\" value=\"oui\""
                + (l.recoursGracieux() ? " checked" : "") + " aria-describedby=\"" + id + "-aide\"><label for=\"" + id
                + "-case\">" + esc("Cette lettre demande le retrait ou la modification de l'acte (recours gracieux)")
                + "</label></div>"
                + "<p class=\"aide\" id=\"" + id + "-aide\">" + esc("Une lettre d'observations qui demande de retirer ou de "
                + "modifier l'acte est un recours gracieux du préfet : le délai du déféré repart pour deux mois à la réponse "
                + "de la commune, ou au rejet implicite deux mois après la lettre (CE, 18 avril 1986). Une lettre qui demande "
                + "seulement des explications ne prolonge pas ce délai (CE, 15 mai 2013, n° 357031) : décochez alors la case. "
                + "Le calendrier légal en tient compte.") + "</p>"
                + "<p><button type=\"submit\">Enregistrer</button></p></form>";
    }
}
