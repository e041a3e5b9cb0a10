package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;
import static fr.actesconnector.app.web.Pages.DAY;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;

/** The acte's page, in French: what the journal knows of one acte, its files, its history; every dynamic text escaped. */
final class FicheView {
    private final Pages pages;

    FicheView(Pages pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    /** A downloadable file of the acte: label, URL, size. */
    record Download(String label, String href, long size) {
    }

    String fiche(Pages.Viewer viewer, JournalEntry e, Optional<String> matiereLabel, List<StateChange> history,
                 List<Anomaly> anomalies, List<Download> downloads, long reloadSeconds) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<dl class=\"fiche\">")
                .append(Pages.dt("Numéro", e.numero() + (e.numero().equals(e.numeroInterne()) ? "" : " (transmis : " + e.numeroInterne() + ")")))
                .append(Pages.dt("IDActe", e.idActe().value()))
                .append(Pages.dt("Objet", e.objet()))
                .append(Pages.dt("Date de la décision", DAY.format(e.dateDecision())))
                .append(Pages.dt("Nature", e.nature().label()))
                .append(Pages.dt("Matière", matiereLabel.orElse(e.classification().toString())))
                .append(Pages.dt("Exemplaire papier", e.documentPapier() ? "oui" : "non"))
                .append("<dt>État</dt><dd id=\"etat-acte\" class=\"etat etat-").append(e.state().name().toLowerCase(Locale.ROOT))
                .append("\">").append(esc(Plain.state(e.state()))).append("</dd>")
                .append(Pages.dt("Reçu en préfecture le", e.dateReception().map(DAY::format).orElse("—")))
                .append(Pages.dt("Transaction TdT", e.transactionId().orElse("—")))
                .append("</dl>");
        String advice = Plain.advice(e.state());
        if (!advice.isEmpty()) b.append("<p class=\"conseil\">").append(esc(advice)).append("</p>");
        if (!anomalies.isEmpty()) {
            b.append("<h2>Anomalies signalées par la préfecture</h2><ul class=\"anomalies\">");
            anomalies.forEach(a -> b.append("<li>").append(esc(pages.dayTime(a.receivedAt()))).append(" : ")
                    .append(esc(Plain.anomaly(a))).append("</li>"));
            b.append("</ul>");
        } else if (e.lastError().isPresent() && (e.state() == TransmissionState.ERROR || e.state() == TransmissionState.REJECTED)) {
            b.append("<p class=\"explication\">").append(esc(e.lastError().get())).append("</p>");
        }
        b.append("<h2>Documents</h2>");
        if (downloads.isEmpty()) {
            b.append("<p>Aucun document pour l'instant.</p>");
        } else {
            b.append("<ul class=\"documents\">");
            downloads.forEach(d -> b.append("<li><a href=\"").append(esc(d.href())).append("\" download>")
                    .append(esc(d.label())).append("</a> (").append(esc(Pages.size(d.size()))).append(")</li>"));
            b.append("</ul>");
        }
        if (e.state() == TransmissionState.ACKNOWLEDGED) {
            b.append("<h2>Annulation</h2><p>La préfecture a accusé réception de cet acte : vous pouvez demander son "
                    + "annulation.</p><p><a class=\"bouton\" href=\"/actes/").append(e.id())
                    .append("/annuler\">Demander l'annulation…</a></p>");
        }
        b.append("<h2>Historique</h2><table><caption class=\"visuellement-cache\">Historique de la transmission</caption>")
                .append("<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">État</th><th scope=\"col\">Détail</th></tr></thead><tbody>");
        for (StateChange c : history) {
            b.append("<tr><td>").append(esc(pages.dayTime(c.at()))).append("</td><td>").append(esc(Plain.state(c.to())))
                    .append("</td><td>").append(esc(c.detail().orElse(""))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        String attrs = e.state().isPending() ? " data-recharger=\"" + reloadSeconds + "\"" : "";
        return pages.layout("Acte " + e.numero(), "", viewer, b.toString(), attrs);
    }

    String confirmCancel(Pages.Viewer viewer, JournalEntry e) {
        String body = "<p>Vous allez demander à la préfecture l'<strong>annulation</strong> de l'acte "
                + esc(e.numero()) + " (" + esc(e.idActe().value()) + ") : « " + esc(e.objet()) + " ».</p>"
                + "<p>Cette demande ne peut pas être retirée une fois envoyée.</p>"
                + "<form method=\"post\" action=\"/actes/" + e.id() + "/annuler\">" + Pages.csrfField(viewer.csrf())
                + "<p><button type=\"submit\" class=\"danger\">Confirmer l'annulation</button> "
                + "<a href=\"/actes/" + e.id() + "\">Ne pas annuler</a></p></form>";
        return pages.layout("Annuler l'acte " + e.numero() + " ?", "", viewer, body, "");
    }

    static String fileLabel(ReceivedDocument.Kind kind) {
        return switch (kind) {
            case AR -> "Accusé de réception (XML)";
            case STAMPED_PDF -> "Acte tamponné par la préfecture (PDF)";
            case BORDEREAU -> "Bordereau d'acquittement (PDF)";
            case COURRIER -> "Courrier de la préfecture";
            case COURRIER_FILE -> "Pièce du courrier de la préfecture";
            case ANSWER -> "Réponse envoyée";
            case ANOMALY -> "Anomalie (XML)";
            case CANCELLATION -> "Accusé de réception de l'annulation";
            case OTHER -> "Autre document";
        };
    }

    static String fileLabel(ArchivedFile.Role role) {
        return switch (role) {
            case SIGNATURE -> "Signature électronique";
            case DOCUMENT -> "Document principal transmis";
            case ANNEXE -> "Annexe transmise";
            case ENVELOPE -> "Enveloppe";
            case MESSAGE -> "Message";
        };
    }
}
