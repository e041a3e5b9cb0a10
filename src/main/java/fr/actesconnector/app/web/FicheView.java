package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;
import static fr.actesconnector.app.web.Pages.DAY;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.LegalClock;

/** The acte's page, in French: what the journal knows of one acte, its files, its history; every dynamic text escaped. */
final class FicheView {
    private final Pages pages;
    private final LetterView letters;

    FicheView(Pages pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.letters = new LetterView(pages);
    }

    /** A file of the acte: label, URL, size; a PDF {@code opens} in the browser, any other file is downloaded. */
    record Download(String label, String href, long size, boolean opens) {
        Download(String label, String href, long size) {
            this(label, href, size, false);
        }
    }

    /** A file sent to the prefecture: document or annex, its typology code and label, its ministry name and size. */
    record SentFile(ArchivedFile.Role role, String typologie, Optional<String> typologieLabel, String name, long size) {
    }

    /** Everything the acte's page shows, read from the journal by {@link ActePage}. */
    record Fiche(JournalEntry entry, Optional<String> matiereLabel, List<StateChange> history, List<Anomaly> anomalies,
                 List<Download> downloads, Optional<LegalClock.Result> clock, Optional<Publications.Publication> publication,
                 List<LetterView.Item> letters, Optional<JournalEntry> replaces, Optional<JournalEntry> replacedBy,
                 LocalDate today, List<SentFile> sent) {
    }

    String fiche(Pages.Viewer viewer, Fiche f, FormProblems problems, long reloadSeconds) {
        JournalEntry e = f.entry();
        StringBuilder b = new StringBuilder(16384);
        b.append(problems.summary());
        b.append("<dl class=\"fiche\">")
                .append(pages.collectiviteOf(e.siren()).map(n -> Pages.dt("Collectivité", n)).orElse(""))
                .append(Pages.dt("Numéro", e.numero() + (e.numero().equals(e.numeroInterne()) ? "" : " (transmis : " + e.numeroInterne() + ")")))
                .append(Pages.dt("IDActe", e.idActe().value()))
                .append(Pages.dt("Objet", e.objet()))
                .append(Pages.dt("Date de la décision", DAY.format(e.dateDecision())))
                .append(Pages.dt("Nature", e.nature().label()))
                .append(Pages.dt("Matière", f.matiereLabel().orElse(e.classification().toString())))
                .append(Pages.dt("Exemplaire papier", e.documentPapier() ? "oui" : "non"))
                .append("<dt>État</dt><dd id=\"etat-acte\" class=\"etat etat-").append(e.state().name().toLowerCase(Locale.ROOT))
                .append("\">").append(esc(Plain.state(e.state()))).append("</dd>")
                .append(Pages.dt("Reçu en préfecture le", e.dateReception().map(DAY::format).orElse("—")))
                .append(Pages.dt("Transaction TdT", e.transactionId().orElse("—")));
        f.replaces().ifPresent(r -> b.append("<dt>").append(esc("Remplace l'acte refusé")).append("</dt><dd id=\"remplace\">")
                .append(link(r)).append("</dd>"));
        f.replacedBy().ifPresent(r -> b.append("<dt>Remplacé par l&#39;acte</dt><dd id=\"remplace-par\">").append(link(r))
                .append("</dd>"));
        b.append("</dl>");
        String advice = Plain.advice(e.state());
        if (!advice.isEmpty() && f.replacedBy().isEmpty()) b.append("<p class=\"conseil\">").append(esc(advice)).append("</p>");
        if (!f.anomalies().isEmpty()) {
            b.append("<h2>Anomalies signalées par la préfecture</h2><ul class=\"anomalies\">");
            f.anomalies().forEach(a -> b.append("<li>").append(esc(pages.dayTime(a.receivedAt()))).append(" : ")
                    .append(esc(Plain.anomaly(a))).append("</li>"));
            b.append("</ul>");
        } else if (e.lastError().isPresent() && refused(e)) {
            b.append("<p class=\"explication\">").append(esc(e.lastError().get())).append("</p>");
        }
        // Received, yet something to check: an AR under another IDActe, a cancellation refused.
        if (e.state() == TransmissionState.ACKNOWLEDGED) {
            e.lastError().ifPresent(m -> b.append("<p class=\"avertissements\" id=\"a-verifier\">").append(esc(m)).append("</p>"));
        }
        if (refused(e) && f.replacedBy().isEmpty()) {
            b.append("<p><a class=\"bouton\" href=\"/actes/").append(e.id()).append("/corriger\">Corriger et renvoyer…</a></p>");
        }
        f.clock().ifPresent(c -> b.append(clock(c, f.today())));
        if (!refused(e)) b.append(publication(viewer, e, f.publication(), problems));
        if (!f.letters().isEmpty() || e.dateReception().isPresent()) {
            b.append("<section id=\"courriers\" aria-labelledby=\"courriers-titre\">")
                    .append("<h2 id=\"courriers-titre\">Courriers de la préfecture</h2>");
            if (f.letters().isEmpty()) b.append("<p>Aucun courrier de la préfecture pour cet acte.</p>");
            f.letters().forEach(item -> b.append(letters.render(viewer, e, item, problems)));
            b.append("</section>");
        }
        b.append(sent(f.sent()));
        b.append("<h2>Documents</h2>");
        if (f.downloads().isEmpty()) {
            b.append("<p>Aucun document pour l'instant.</p>");
        } else {
            b.append("<ul class=\"documents\">");
            f.downloads().forEach(d -> b.append("<li><a href=\"").append(esc(d.href())).append(d.opens() ? "\">" : "\" download>")
                    .append(esc(d.label())).append("</a> (").append(esc(Pages.size(d.size()))).append(")</li>"));
            b.append("</ul>");
        }
        if (e.dateReception().isPresent()) {
            b.append("<h2>Dossier de preuve</h2><p>Un fichier zip qui rassemble l'envoi, les signatures, l'accusé de "
                    + "réception, les courriers et leur historique, avec l'empreinte de chaque fichier : chacun peut le "
                    + "vérifier sans ce logiciel (java -jar actes.jar verify-bundle, ou sha256sum et openssl).</p>"
                    + "<p><a class=\"bouton\" href=\"/actes/").append(e.id())
                    .append("/preuve\" download>Télécharger le dossier de preuve</a></p>");
        }
        if (e.state() == TransmissionState.ACKNOWLEDGED && viewer.admin()) {
            b.append("<h2>Annulation</h2><p>La préfecture a accusé réception de cet acte : vous pouvez demander son "
                    + "annulation.</p><p><a class=\"bouton\" href=\"/actes/").append(e.id())
                    .append("/annuler\">Demander l'annulation…</a></p>");
        } else if (e.state() == TransmissionState.ACKNOWLEDGED) {
            b.append("<h2>Annulation</h2><p>Seul un administrateur peut demander l&#39;annulation de cet acte.</p>");
        }
        b.append("<h2>Historique</h2><table><caption class=\"visuellement-cache\">Historique de la transmission</caption>")
                .append("<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">État</th><th scope=\"col\">Détail</th></tr></thead><tbody>");
        for (StateChange c : f.history()) {
            b.append("<tr><td>").append(esc(pages.dayTime(c.at()))).append("</td><td>").append(esc(Plain.state(c.to())))
                    .append("</td><td>").append(esc(c.detail().orElse("")));
            c.actor().ifPresent(a -> b.append(" <span class=\"acteur\">(par ").append(esc(a.label())).append(")</span>"));
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        // A pending acte's page reloads itself, but not over the problems of a form just sent.
        String attrs = e.state().isPending() && !problems.any() ? " data-recharger=\"" + reloadSeconds + "\"" : "";
        return pages.layout("Acte " + e.numero(), "", viewer, b.toString(), attrs);
    }

    /** "Fichiers transmis": each piece sent with its typology, as the prefecture received it. */
    private static String sent(List<SentFile> files) {
        if (files.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<h2 id=\"fichiers-transmis-titre\">Fichiers transmis</h2>")
                .append("<table id=\"fichiers-transmis\" aria-labelledby=\"fichiers-transmis-titre\"><thead><tr>")
                .append("<th scope=\"col\">Pièce</th><th scope=\"col\">Typologie</th><th scope=\"col\">Nom transmis</th>")
                .append("<th scope=\"col\">Taille</th></tr></thead><tbody>");
        int annex = 0;
        for (SentFile f : files) {
            String piece = f.role() == ArchivedFile.Role.DOCUMENT ? "Document principal" : "Annexe " + (++annex);
            b.append("<tr><td>").append(esc(piece)).append("</td><td>")
                    .append(esc(f.typologie() + f.typologieLabel().map(l -> " – " + l).orElse(""))).append("</td><td>")
                    .append(esc(f.name())).append("</td><td>").append(esc(Pages.size(f.size()))).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** A link to another acte of the journal: its number and IDActe. */
    private static String link(JournalEntry other) {
        return "<a href=\"/actes/" + other.id() + "\">" + esc(other.numero()) + "</a> (IDActe " + esc(other.idActe().value())
                + ", " + esc(Plain.state(other.state()).toLowerCase(Locale.ROOT)) + ")";
    }

    /** Refused by the TdT or the prefecture: never exécutoire, corrected and sent again under a new number. */
    static boolean refused(JournalEntry e) {
        return e.state() == TransmissionState.ERROR || e.state() == TransmissionState.REJECTED;
    }

    // ------------------------------------------------------------------ legal clock

    /** "Calendrier légal (indicatif)": exécutoire, the préfet's window with its rule, the third parties, the notes. */
    private static String clock(LegalClock.Result c, LocalDate today) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<section id=\"calendrier\" aria-labelledby=\"calendrier-titre\">")
                .append("<h2 id=\"calendrier-titre\">Calendrier légal (indicatif)</h2><dl class=\"fiche\">");
        b.append(Pages.dt("Exécutoire", c.executoire().map(d -> "exécutoire le " + DAY.format(d))
                .orElse("pas encore exécutoire : il manque " + String.join(" et ", c.executoireMissing()))));
        String defere;
        if (c.defere()) {
            defere = c.defereRule();
        } else if (c.defereJusquau().isPresent()) {
            LocalDate end = c.defereJusquau().get();
            defere = (today.isAfter(end) ? "délai de déféré expiré le " : "déféré possible jusqu'au ") + DAY.format(end)
                    + " (règle appliquée : " + c.defereRule() + ")";
        } else {
            defere = c.defereRule();
        }
        b.append("<dt>Déféré du préfet</dt><dd id=\"calendrier-defere\">").append(esc(defere)).append("</dd>");
        b.append(Pages.dt("Recours des tiers devant le tribunal administratif", c.recoursTiersJusquau()
                .map(d -> "jusqu'au " + DAY.format(d)).orElse("deux mois à compter de la publication ou de la notification")));
        b.append(Pages.dt("Demande de déféré adressée au préfet par un tiers", c.demandeDefereTiersJusquau()
                .map(d -> "jusqu'au " + DAY.format(d)).orElse("deux mois à compter de la date où l'acte est exécutoire")));
        b.append("</dl>");
        if (!c.notes().isEmpty()) {
            b.append("<ul class=\"notes\">");
            c.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
            b.append("</ul>");
        }
        b.append("<p class=\"aide\">Ces dates sont indicatives, calculées à partir de ce que le journal connaît : seul le "
                + "juge administratif apprécie les délais.</p></section>");
        return b.toString();
    }

    // ------------------------------------------------------------------ publication

    static final String PUBLICATION_FORM = "publication";

    /** The publication or notification recorded, and the form that records (or corrects) it. */
    private static String publication(Pages.Viewer viewer, JournalEntry e, Optional<Publications.Publication> known,
                                      FormProblems problems) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<section id=\"publication\" aria-labelledby=\"publication-titre\">")
                .append("<h2 id=\"publication-titre\">Publication ou notification</h2>");
        if (known.isPresent()) {
            b.append("<p id=\"publication-connue\">Acte ").append(esc(Plain.publicationMode(known.get().mode())))
                    .append(" le ").append(esc(DAY.format(known.get().date()))).append(".</p>");
        } else {
            b.append("<p>").append(esc("Aucune publication ni notification enregistrée : l'acte devient exécutoire une fois "
                    + "reçu en préfecture et publié (ou affiché) ou notifié aux personnes intéressées.")).append("</p>");
        }
        String mode = problems.value(PUBLICATION_FORM, "mode", known.map(Publications.Publication::mode).orElse("publication"));
        String date = problems.value(PUBLICATION_FORM, "date", "");
        b.append("<form method=\"post\" action=\"/actes/").append(e.id()).append("/publication\" class=\"formulaire\"")
                .append(" novalidate>").append(Pages.csrfField(viewer.csrf()))
                .append("<div class=\"champ\"><label for=\"publication-date\">")
                .append(esc(known.isPresent() ? "Corriger la date de publication ou de notification"
                        : "Date de publication ou de notification"))
                .append("</label><p class=\"aide\" id=\"publication-date-aide\">JJ/MM/AAAA (ex. 02/05/2026) ou AAAA-MM-JJ.</p>")
                .append(problems.errorText("publication-date"))
                .append("<input id=\"publication-date\" name=\"date\" type=\"text\" autocomplete=\"off\"")
                .append(" size=\"12\" value=\"").append(esc(date)).append("\"").append(problems.described("publication-date"))
                .append(" required></div>")
                .append("<fieldset id=\"publication-mode\"><legend>L&#39;acte a été</legend>")
                .append("<p class=\"aide\" id=\"publication-mode-aide\">Les actes réglementaires sont publiés (ou affichés) ; "
                        + "les décisions individuelles sont notifiées aux personnes intéressées.</p>")
                .append(problems.errorText("publication-mode"))
                .append(radio("publication-mode-publication", "mode", "publication", "publié ou affiché",
                        mode.equals("publication")))
                .append(radio("publication-mode-notification", "mode", "notification", "notifié aux personnes intéressées",
                        mode.equals("notification")))
                .append("</fieldset><p><button type=\"submit\">Enregistrer la publication</button></p></form></section>");
        return b.toString();
    }

    static String radio(String id, String name, String value, String label, boolean checked) {
        return "<div class=\"case\"><input type=\"radio\" id=\"" + esc(id) + "\" name=\"" + esc(name) + "\" value=\""
                + esc(value) + "\"" + (checked ? " checked" : "") + "><label for=\"" + esc(id) + "\">" + esc(label)
                + "</label></div>";
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
