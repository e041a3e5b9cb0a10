package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import fr.actesconnector.journal.ActeSearch;
import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Violation;

/** Server-rendered pages, in French; every dynamic text is escaped. */
final class Pages {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.FRANCE);
    static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm", Locale.FRANCE);

    /** Said before a form whose optional fields are marked « facultative » (RGAA 11.10). */
    static final String REQUIRED = "<p class=\"aide\">Tous les champs sont obligatoires, sauf ceux marqués « facultative ».</p>";

    /** The name of the only collectivité configured, in the header; empty with several. */
    private final String collectivite;
    private final boolean several;
    /** Each configured collectivité's name by SIREN. */
    private final Map<String, String> names;
    private final ZoneId zone;

    Pages(List<fr.actesconnector.model.Collectivite> configured, ZoneId zone) {
        this.collectivite = configured.size() == 1 ? configured.get(0).nom() : "";
        this.several = configured.size() > 1;
        this.names = configured.stream().collect(Collectors.toMap(fr.actesconnector.model.Collectivite::siren,
                fr.actesconnector.model.Collectivite::nom));
        this.zone = zone;
    }

    /** With several collectivités configured, the name of the one of {@code siren} (its SIREN when no longer configured). */
    Optional<String> collectiviteOf(String siren) {
        return several ? Optional.of(names.getOrDefault(siren, "SIREN " + siren)) : Optional.empty();
    }

    /**
     * Who is viewing, for the header: the login, the session's CSRF token, whether an administrator, her
     * collectivités and the one chosen (empty: every collectivité, or signed out).
     */
    record Viewer(Optional<String> login, String csrf, Optional<String> flash, boolean admin,
                  Optional<CollectiviteAccess> access, Optional<String> current) {
        /** Signed out, or a session not yet checked: no collectivité of its own. */
        Viewer(Optional<String> login, String csrf, Optional<String> flash, boolean admin) {
            this(login, csrf, flash, admin, Optional.empty(), Optional.empty());
        }

        /** The viewer of a session; takes the session's flash message, shown once. */
        static Viewer of(Sessions.Session s) {
            return new Viewer(s.login, s.csrf, s.takeFlash(), s.admin(), s.access(), s.current());
        }

        /** The collectivité the header names: the one chosen, « Toutes les collectivités », or the page's own. */
        Optional<String> collectivite() {
            if (access.isEmpty() || access.get().none()) return Optional.empty();
            return Optional.of(current.flatMap(access.get()::find).map(fr.actesconnector.model.Collectivite::nom)
                    .orElse(ALL_COLLECTIVITES));
        }
    }

    static final String ALL_COLLECTIVITES = "Toutes les collectivités";

    String layout(String title, String current, Viewer viewer, String body, String mainAttributes) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // A page sent back with errors says so first (RGAA 8.6).
                .append("<title>").append(body.contains("class=\"resume-erreurs\"") ? "Erreur : " : "")
                .append(esc(title)).append(" – Transmission des actes</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/app.css\">")
                .append("<script src=\"/static/app.js\" defer></script></head><body>")
                .append("<a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>")
                .append("<header><p class=\"site\">Transmission des actes à la préfecture");
        String named = viewer.collectivite().orElse(collectivite);
        if (!named.isEmpty()) h.append(" – <span id=\"collectivite-courante\">").append(esc(named)).append("</span>");
        h.append("</p>");
        if (viewer.login().isPresent()) {
            viewer.access().filter(CollectiviteAccess::chooses).ifPresent(a -> h.append(switcher(viewer, a, current)));
            h.append("<nav aria-label=\"Menu principal\"><ul>")
                    .append(navItem("/transmettre", "Transmettre un acte", current))
                    .append(navItem("/suivi", "Suivi des actes", current))
                    .append(viewer.admin() ? navItem("/comptes", "Comptes", current) : "")
                    .append(navItem("/mot-de-passe", "Mon mot de passe", current))
                    .append("</ul></nav>")
                    .append("<form method=\"post\" action=\"/deconnexion\" class=\"deconnexion\">")
                    .append(csrfField(viewer.csrf()))
                    .append("<button type=\"submit\">Se déconnecter (").append(esc(viewer.login().get()))
                    .append(")</button></form>");
        }
        h.append("</header><main id=\"contenu\" tabindex=\"-1\"").append(mainAttributes).append(">")
                .append("<h1>").append(esc(title)).append("</h1>");
        viewer.flash().ifPresent(f -> h.append("<p class=\"info\" role=\"status\">").append(esc(f)).append("</p>"));
        h.append(body).append("</main></body></html>");
        return h.toString();
    }

    /**
     * The header's small form that changes the collectivité of the pages (and « Toutes les collectivités » for the
     * syndicate), back to the page of the menu it was on.
     */
    private static String switcher(Viewer viewer, CollectiviteAccess access, String current) {
        StringBuilder b = new StringBuilder("<form method=\"post\" action=\"/collectivite\" class=\"collectivite\">")
                .append(csrfField(viewer.csrf()))
                .append("<input type=\"hidden\" name=\"suite\" value=\"").append(esc(current.isEmpty() ? "/suivi" : current))
                .append("\"><label for=\"collectivite-choix\">Collectivité</label> ")
                .append("<select id=\"collectivite-choix\" name=\"collectivite\">");
        if (access.listsAll()) b.append(option(Sessions.ALL, ALL_COLLECTIVITES, viewer.current().isEmpty()));
        for (fr.actesconnector.model.Collectivite c : access.collectivites()) {
            b.append(option(c.siren(), c.nom(), viewer.current().filter(c.siren()::equals).isPresent()));
        }
        return b.append("</select> <button type=\"submit\">Changer de collectivité</button></form>").toString();
    }

    private static String navItem(String href, String label, String current) {
        boolean here = href.equals(current);
        return "<li><a href=\"" + href + "\"" + (here ? " aria-current=\"page\"" : "") + ">" + esc(label) + "</a></li>";
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    // ------------------------------------------------------------------ login

    /** The sign-in form; {@code next} is the local page to go back to once signed in. */
    String login(Viewer viewer, String login, Optional<String> error, String next) {
        StringBuilder b = new StringBuilder();
        b.append("<form method=\"post\" action=\"/connexion\" class=\"formulaire\" novalidate>")
                .append(csrfField(viewer.csrf()))
                .append("<input type=\"hidden\" name=\"suite\" value=\"").append(esc(next)).append("\">");
        error.ifPresent(e -> b.append("<div class=\"resume-erreurs\" role=\"alert\" tabindex=\"-1\" id=\"erreur-connexion\">")
                .append("<p>").append(esc(e)).append("</p></div>"));
        String described = error.isPresent() ? " aria-describedby=\"erreur-connexion\" aria-invalid=\"true\" autofocus" : "";
        b.append("<p><label for=\"identifiant\">Identifiant</label>")
                .append("<input id=\"identifiant\" name=\"identifiant\" type=\"text\" autocomplete=\"username\" required")
                .append(" value=\"").append(esc(login)).append("\"").append(described).append("></p>")
                .append("<p><label for=\"motdepasse\">Mot de passe</label>")
                .append("<input id=\"motdepasse\" name=\"motdepasse\" type=\"password\" autocomplete=\"current-password\" required")
                .append(error.isPresent() ? " aria-describedby=\"erreur-connexion\"" : "").append("></p>")
                .append("<p><button type=\"submit\">Se connecter</button></p></form>");
        return layout("Connexion", "/connexion", viewer, b.toString(), "");
    }

    // ------------------------------------------------------------------ transmit form

    /** Values typed by the user, kept when the form is shown again with its errors. */
    record FormValues(String numero, String date, String nature, String classification, String objet,
                      Map<String, String> typologies, boolean papier, boolean signer, int annexSlots) {
        /** The empty form: no nature chosen, so that the secretary chooses it (and its typologies follow). */
        static FormValues empty() {
            return new FormValues("", "", "", "", "", Map.of(), false, false, 3);
        }
    }

    /** The refused acte a transmit form corrects: sent again under a new number, linked to it. */
    record Correction(JournalEntry refused) {
        String action() {
            return "/actes/" + refused.id() + "/corriger";
        }
    }

    /** {@code /transmettre} while every collectivité is shown: which one first. */
    String chooseBeforeTransmit(Viewer viewer) {
        return layout("Transmettre un acte", "/transmettre", viewer, "<p>Vous consultez toutes les collectivités : "
                + "choisissez d&#39;abord, en haut de la page (« Collectivité », puis « Changer de collectivité »), celle "
                + "pour laquelle vous transmettez l&#39;acte. Le formulaire prendra sa classification, sa numérotation, son "
                + "certificat de signature et son compte sur le TdT.</p>", "");
    }

    String transmit(Viewer viewer, fr.actesconnector.model.Collectivite target, ClassificationCatalogue catalogue, FormValues v,
                    List<Violation> violations,
                    Map<Violation, String> controls, Optional<String> generalError, boolean signingAvailable,
                    String catalogueJson, long maxUploadBytes, Optional<Correction> correction) {
        Map<String, List<Violation>> byControl = new LinkedHashMap<>();
        controls.forEach((violation, control) -> byControl.computeIfAbsent(control, k -> new ArrayList<>()).add(violation));
        List<Violation> errors = violations.stream().filter(Violation::isError).toList();
        List<Violation> warnings = violations.stream().filter(x -> !x.isError()).toList();
        String firstInvalid = errors.stream().map(controls::get).filter(c -> c != null).findFirst().orElse("");
        StringBuilder b = new StringBuilder(16384);
        if (!errors.isEmpty() || generalError.isPresent()) {
            b.append("<div class=\"resume-erreurs\" role=\"alert\" tabindex=\"-1\" id=\"resume-erreurs\">")
                    .append("<h2>L'acte n'a pas été transmis</h2><ul>");
            generalError.ifPresent(e -> b.append("<li>").append(esc(e)).append("</li>"));
            for (Violation e : errors) {
                String c = controls.get(e);
                b.append("<li>");
                if (c != null) b.append("<a href=\"#").append(esc(c)).append("\">");
                b.append(esc(e.message()));
                if (c != null) b.append("</a>");
                b.append("</li>");
            }
            b.append("</ul><p>Pour votre sécurité, les fichiers ne sont pas conservés : joignez-les de nouveau.</p></div>");
        }
        correction.ifPresent(c -> b.append(correctionHelp(c.refused())));
        if (!warnings.isEmpty()) {
            b.append("<div class=\"avertissements\" role=\"status\"><h2>À noter</h2><ul>");
            warnings.forEach(w -> b.append("<li>").append(esc(w.message())).append("</li>"));
            b.append("</ul></div>");
        }
        b.append("<script type=\"application/json\" id=\"catalogue-typologies\">").append(catalogueJson).append("</script>");
        b.append("<form method=\"post\" action=\"").append(esc(correction.map(Correction::action).orElse("/transmettre")))
                .append("\" enctype=\"multipart/form-data\" class=\"formulaire\"")
                .append(" id=\"formulaire-acte\" novalidate>")
                // First field: the server checks it before reading any file.
                .append(csrfField(viewer.csrf()))
                .append("<input type=\"hidden\" name=\"collectivite\" value=\"").append(esc(target.siren())).append("\">");
        if (several) {
            b.append("<p id=\"collectivite-envoi\">Transmis pour : <strong>").append(esc(target.nom())).append("</strong> (SIREN ")
                    .append(esc(target.siren())).append(")</p>");
        }
        b.append(REQUIRED);
        b.append("<fieldset><legend>L'acte</legend>");
        b.append(textInput("numero", "Numéro de l'acte", v.numero(), "text",
                "Le numéro interne de la mairie, ex. 2026-DEC-020.", byControl, firstInvalid,
                "<p class=\"apercu\" id=\"numero-normalise\" aria-live=\"polite\"></p>"));
        b.append(textInput("date", "Date de la décision", v.date(), "text",
                Dates.HINT + " (ex. 27/04/2026) : le jour où l'acte a été pris ou signé.", byControl, firstInvalid, ""));
        b.append(select("nature", "Nature de l'acte", natureOptions(catalogue, v.nature()), byControl, firstInvalid,
                "La nature détermine les typologies de pièces possibles ; chaque pièce prend la typologie générique "
                        + "de la nature (ex. 99_DC pour un contrat) si vous n'en choisissez pas une autre."));
        b.append(select("classification", "Matière (classification de la préfecture)",
                matiereOptions(catalogue, v.classification()), byControl, firstInvalid,
                "Classification de la préfecture du " + DAY.format(catalogue.dateClassification()) + "."));
        b.append(objet(v.objet(), byControl, firstInvalid));
        b.append("</fieldset>");

        // No nature chosen yet: the typologies wait for it (never the first code of some nature).
        Optional<Nature> nature = Nature.parse(v.nature());
        Map<String, String> typologies = nature.flatMap(catalogue::nature).map(ClassificationCatalogue.NatureEntry::typologies)
                .orElse(Map.of());
        String generic = nature.map(n -> n.genericTypologie().code()).orElse("");
        b.append("<fieldset><legend>Les fichiers</legend>")
                .append("<p class=\"aide\">Au total ").append(esc(mib(maxUploadBytes)))
                .append(" au plus. Le document principal doit être un PDF.</p>");
        b.append(filePiece("document", "Document principal (PDF)", "typologie_document",
                typology(v.typologies().get("typologie_document"), generic), typologies, byControl, firstInvalid));
        b.append("<div id=\"annexes\">");
        for (int slot = 1; slot <= v.annexSlots(); slot++) {
            b.append(annexSlot(slot, typology(v.typologies().get("typologie_annexe_" + slot), generic), typologies,
                    byControl, firstInvalid));
        }
        b.append("</div><p><button type=\"button\" id=\"ajouter-annexe\" hidden>Ajouter une annexe</button></p>");
        b.append("</fieldset>");
        b.append("<fieldset><legend>Envoi</legend>")
                .append(checkbox("papier", "Un exemplaire papier sera aussi envoyé à la préfecture", v.papier()));
        if (signingAvailable) {
            b.append(checkbox("signer", "Signer électroniquement le document et les annexes avant l'envoi", v.signer()));
        }
        b.append("</fieldset><p><button type=\"submit\" class=\"principal\">")
                .append(correction.isPresent() ? "Transmettre l&#39;acte corrigé" : "Transmettre l&#39;acte")
                .append("</button></p></form>");
        if (correction.isPresent()) {
            return layout("Corriger et renvoyer l'acte " + correction.get().refused().numero(), "", viewer, b.toString(), "");
        }
        return layout("Transmettre un acte", "/transmettre", viewer, b.toString(), "");
    }

    /** Why the corrected acte needs a new number, and that its files must be attached again. */
    private static String correctionHelp(JournalEntry refused) {
        String suggestion = refused.numero() + "B";
        boolean suggest = NumeroInterne.isValid(NumeroInterne.normalize(suggestion));
        return "<div class=\"info\" id=\"correction\"><p>Vous corrigez l&#39;acte refusé <a href=\"/actes/" + refused.id()
                + "\">" + esc(refused.numero()) + "</a> (IDActe " + esc(refused.idActe().value()) + ") : ses données sont "
                + "reprises ci-dessous ; corrigez ce que la préfecture ou le TdT a signalé.</p><p>"
                + esc("Le TdT n'accepte jamais deux fois le même numéro, même après un refus : donnez un nouveau numéro à "
                + "l'acte corrigé" + (suggest ? " (par exemple « " + suggestion + " »)" : "") + ". Joignez de nouveau le "
                + "document et les annexes. L'acte corrigé sera relié à l'acte refusé.") + "</p></div>";
    }

    private static String textInput(String id, String label, String value, String type, String help,
                                    Map<String, List<Violation>> byControl, String firstInvalid, String after) {
        StringBuilder b = new StringBuilder("<div class=\"champ\">");
        b.append("<label for=\"").append(id).append("\">").append(esc(label)).append("</label>");
        b.append("<p class=\"aide\" id=\"").append(id).append("-aide\">").append(esc(help)).append("</p>");
        b.append(errorText(id, byControl));
        b.append("<input id=\"").append(id).append("\" name=\"").append(id).append("\" type=\"").append(type)
                .append("\" value=\"").append(esc(value)).append("\"").append(described(id, byControl, firstInvalid))
                .append(" required>");
        b.append(after).append("</div>");
        return b.toString();
    }

    private static String objet(String value, Map<String, List<Violation>> byControl, String firstInvalid) {
        return "<div class=\"champ\"><label for=\"objet\">Objet de l'acte</label>"
                + "<p class=\"aide\" id=\"objet-aide\">Une phrase qui décrit l'acte, " + ActeValidator.OBJET_MAX
                + " caractères au plus.</p>" + errorText("objet", byControl)
                + "<textarea id=\"objet\" name=\"objet\" rows=\"4\" required"
                + described("objet", byControl, firstInvalid).replace("\"objet-aide", "\"objet-aide objet-compteur")
                + ">" + esc(value) + "</textarea>"
                + "<p class=\"apercu\" id=\"objet-compteur\" aria-live=\"polite\"></p>"
                + "<p class=\"apercu\" id=\"objet-translit\" aria-live=\"polite\"></p></div>";
    }

    private static String select(String id, String label, String options, Map<String, List<Violation>> byControl,
                                 String firstInvalid, String help) {
        return "<div class=\"champ\"><label for=\"" + id + "\">" + esc(label) + "</label>"
                + "<p class=\"aide\" id=\"" + id + "-aide\">" + esc(help) + "</p>" + errorText(id, byControl)
                + "<select id=\"" + id + "\" name=\"" + id + "\" required" + described(id, byControl, firstInvalid) + ">"
                + options + "</select></div>";
    }

    private static String filePiece(String id, String label, String typoId, String typo, Map<String, String> typologies,
                                    Map<String, List<Violation>> byControl, String firstInvalid) {
        return "<div class=\"piece\"><div class=\"champ\"><label for=\"" + id + "\">" + esc(label) + "</label>"
                + "<p class=\"aide\" id=\"" + id + "-aide\">Fichier PDF.</p>" + errorText(id, byControl)
                + "<input id=\"" + id + "\" name=\"" + id + "\" type=\"file\" accept=\"application/pdf,.pdf\""
                + described(id, byControl, firstInvalid) + "></div>"
                + "<div class=\"champ\"><label for=\"" + typoId + "\">Typologie de la pièce</label>"
                + "<select id=\"" + typoId + "\" name=\"" + typoId + "\" class=\"typologie\">"
                + typologyOptions(typologies, typo) + "</select></div></div>";
    }

    static String annexSlot(int slot, String typo, Map<String, String> typologies,
                            Map<String, List<Violation>> byControl, String firstInvalid) {
        String id = "annexe_" + slot;
        return "<div class=\"piece annexe\" data-annexe=\"" + slot + "\"><div class=\"champ\"><label for=\"" + id
                + "\">Annexe " + slot + " (facultative)</label>"
                + "<p class=\"aide\" id=\"" + id + "-aide\">PDF de préférence ; PNG ou JPEG acceptés.</p>"
                + errorText(id, byControl)
                + "<input id=\"" + id + "\" name=\"" + id + "\" type=\"file\" accept=\"application/pdf,.pdf,image/png,image/jpeg\""
                + described(id, byControl, firstInvalid) + "></div>"
                + "<div class=\"champ\"><label for=\"typologie_" + id + "\">Typologie de l'annexe " + slot + "</label>"
                + "<select id=\"typologie_" + id + "\" name=\"typologie_" + id + "\" class=\"typologie\">"
                + typologyOptions(typologies, typo) + "</select></div></div>";
    }

    private static String checkbox(String id, String label, boolean checked) {
        return "<div class=\"case\"><input type=\"checkbox\" id=\"" + id + "\" name=\"" + id + "\" value=\"oui\""
                + (checked ? " checked" : "") + "><label for=\"" + id + "\">" + esc(label) + "</label></div>";
    }

    private static String errorText(String id, Map<String, List<Violation>> byControl) {
        List<Violation> list = byControl.getOrDefault(id, List.of());
        if (list.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        List<Violation> errors = list.stream().filter(Violation::isError).toList();
        List<Violation> warnings = list.stream().filter(x -> !x.isError()).toList();
        if (!errors.isEmpty()) {
            b.append("<p class=\"erreur\" id=\"").append(id).append("-erreur\"><span class=\"visuellement-cache\">Erreur : </span>")
                    .append(errors.stream().map(x -> esc(x.message())).collect(Collectors.joining(" "))).append("</p>");
        }
        if (!warnings.isEmpty()) {
            b.append("<p class=\"avertissement\" id=\"").append(id).append("-avertissement\">")
                    .append(warnings.stream().map(x -> esc(x.message())).collect(Collectors.joining(" "))).append("</p>");
        }
        return b.toString();
    }

    private static String described(String id, Map<String, List<Violation>> byControl, String firstInvalid) {
        List<Violation> list = byControl.getOrDefault(id, List.of());
        StringBuilder ids = new StringBuilder(id + "-aide");
        boolean error = list.stream().anyMatch(Violation::isError);
        if (error) ids.append(' ').append(id).append("-erreur");
        if (list.stream().anyMatch(x -> !x.isError())) ids.append(' ').append(id).append("-avertissement");
        return " aria-describedby=\"" + ids + "\"" + (error ? " aria-invalid=\"true\"" : "")
                + (id.equals(firstInvalid) ? " autofocus" : "");
    }

    /** The natures; each option names its generic typology, which the script selects when the nature changes. */
    private static String natureOptions(ClassificationCatalogue catalogue, String selected) {
        StringBuilder b = new StringBuilder("<option value=\"\">— Choisissez —</option>");
        catalogue.natures().values().forEach(n -> b.append("<option value=\"").append(esc(n.nature().name()))
                .append("\" data-typologie=\"").append(esc(n.nature().genericTypologie().code())).append("\"")
                .append(n.nature().name().equals(selected) ? " selected" : "").append(">").append(esc(n.label()))
                .append("</option>"));
        return b.toString();
    }

    /** The typology chosen for a piece, else the nature's generic one (empty while no nature is chosen). */
    private static String typology(String chosen, String generic) {
        return chosen == null || chosen.isBlank() ? generic : chosen;
    }

    private static String matiereOptions(ClassificationCatalogue catalogue, String selected) {
        StringBuilder b = new StringBuilder("<option value=\"\">— Choisissez —</option>");
        for (ClassificationCatalogue.Matiere top : catalogue.matieres()) {
            b.append("<optgroup label=\"").append(esc(top.code() + " " + top.label())).append("\">");
            appendMatieres(b, top.children(), selected, 0);
            b.append("</optgroup>");
        }
        return b.toString();
    }

    private static void appendMatieres(StringBuilder b, List<ClassificationCatalogue.Matiere> level, String selected, int indent) {
        for (ClassificationCatalogue.Matiere m : level) {
            String code = m.code().toString();
            b.append(option(code, "\u00a0\u00a0".repeat(indent) + code + " " + m.label(), code.equals(selected)));
            appendMatieres(b, m.children(), selected, indent + 1);
        }
    }

    /** The nature's typologies, {@code selected} always among them: a browser would otherwise show the first one. */
    private static String typologyOptions(Map<String, String> typologies, String selected) {
        StringBuilder b = new StringBuilder();
        if (selected.isEmpty()) {
            b.append(option("", "— selon la nature choisie —", true));
        } else if (!typologies.containsKey(selected)) {
            b.append(option(selected, selected, true));
        }
        typologies.forEach((code, label) -> b.append(option(code, code + " – " + label, code.equals(selected))));
        return b.toString();
    }

    private static String option(String value, String label, boolean selected) {
        return "<option value=\"" + esc(value) + "\"" + (selected ? " selected" : "") + ">" + esc(label) + "</option>";
    }

    // ------------------------------------------------------------------ suivi

    /** One row of the table, with the facts read from the journal and the legal clock's summary (none when refused). */
    record Row(JournalEntry entry, Optional<Instant> sentAt, List<Anomaly> anomalies, Optional<String> calendrier) {
    }

    /** Whether the list holds every collectivité (« Toutes les collectivités »): a column names each. */
    static boolean listsAll(Optional<CollectiviteAccess> access, Optional<String> current) {
        return current.isEmpty() && access.filter(CollectiviteAccess::listsAll).isPresent();
    }

    String suivi(Viewer viewer, SuiviPage.Search search, ActeSearch.Page page, List<Row> rows, long refreshSeconds) {
        boolean all = listsAll(viewer.access(), viewer.current());
        StringBuilder b = new StringBuilder(8192);
        b.append("<form method=\"get\" action=\"/suivi\" class=\"filtres\" role=\"search\"><fieldset>")
                .append("<legend>Rechercher des actes</legend>")
                .append("<div class=\"champ\"><label for=\"etat\">État</label><select id=\"etat\" name=\"etat\">")
                .append(option("", "Tous les états", search.etat().isEmpty()));
        for (TransmissionState s : TransmissionState.values()) {
            b.append(option(s.name(), Plain.state(s), s.name().equals(search.etat())));
        }
        b.append("</select></div>")
                .append(searchField("numero", "numero", "Numéro", search.numero(), "Le début du numéro suffit (ex. 2026-DEC).", search))
                .append(searchField("idacte", "idacte", "IDActe", search.idActe(), "Le début suffit.", search))
                .append(searchField("objet", "objet", "Objet contient", search.objet(), "Majuscules et accents ignorés.", search))
                .append(searchField("du", "du", "Enregistrés depuis le", search.du(), Dates.HINT + " (ex. 01/01/2026).", search))
                .append(searchField("au", "au", "jusqu'au", search.au(), Dates.HINT + ", inclus.", search))
                .append("<p><button type=\"submit\">Rechercher</button>");
        if (search.any()) b.append(" <a href=\"/suivi\">Tout afficher</a>");
        b.append("</p></fieldset></form>");
        b.append("<p id=\"nombre-actes\" role=\"status\">").append(esc(count(page, search.any()))).append("</p>");
        if (page.windowed()) {
            b.append("<p class=\"aide\" id=\"recherche-limitee\">").append(esc("La recherche dans l'objet porte sur les "
                    + String.format(Locale.FRANCE, "%,d", ActeSearch.OBJET_WINDOW) + " premiers actes de la liste qui "
                    + "correspondent aux autres critères : indiquez des dates d'enregistrement pour chercher plus ancien."))
                    .append("</p>");
        }
        b.append("<p class=\"aide\" id=\"actualisation\">Ce tableau s'actualise tout seul toutes les ")
                .append(refreshSeconds).append(" secondes.</p>");
        String order = switch (page.ordering()) {
            case NUMERO -> " (par numéro, du plus grand au plus petit)";
            case ID_ACTE -> " (par IDActe, du plus grand au plus petit)";
            case REGISTRATION -> " (les plus récents d'abord)";
        };
        b.append("<table id=\"actes\" data-lignes=\"/suivi/lignes?").append(esc(search.at(search.cursor())))
                .append("\" data-actualisation=\"").append(refreshSeconds).append("\" aria-describedby=\"actualisation\">")
                .append("<caption>Actes transmis").append(esc(order)).append("</caption><thead><tr>")
                .append(all ? "<th scope=\"col\">Collectivité</th>" : "")
                .append("<th scope=\"col\">Numéro</th><th scope=\"col\">Objet</th><th scope=\"col\">IDActe</th>")
                .append("<th scope=\"col\">État</th><th scope=\"col\">Envoyé le</th><th scope=\"col\">Reçu en préfecture le</th>")
                .append("<th scope=\"col\">Calendrier légal (indicatif)</th>")
                .append("</tr></thead><tbody>").append(rows(rows, all)).append("</tbody></table>");
        if (page.previous().isPresent() || page.next().isPresent()) {
            b.append("<nav aria-label=\"Pages de la liste\" class=\"pagination\"><ul>");
            if (page.previous().isPresent()) {
                b.append("<li><a href=\"/suivi").append(esc(queryOf(search.query()))).append("\">Première page</a></li>")
                        .append("<li><a rel=\"prev\" href=\"/suivi").append(esc(queryOf(search.at(page.previous()))))
                        .append("\">Page précédente</a></li>");
            }
            page.next().ifPresent(n -> b.append("<li><a rel=\"next\" href=\"/suivi").append(esc(queryOf(search.at(Optional.of(n)))))
                    .append("\">Page suivante</a></li>"));
            b.append("</ul></nav>");
        }
        return layout("Suivi des actes", "/suivi", viewer, b.toString(), "");
    }

    private static String queryOf(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    /** How many actes the list holds, in French, and how it is shown. */
    static String count(ActeSearch.Page page, boolean searched) {
        if (page.total() == 0) return searched ? "Aucun acte ne correspond à la recherche." : "Aucun acte dans le journal.";
        String n = String.format(Locale.FRANCE, "%,d", page.total());
        if (page.totalCapped()) {
            return "Plus de " + n + (searched ? " actes correspondent à la recherche : précisez-la pour les compter."
                    : " actes dans le journal.");
        }
        String text = (page.total() == 1 ? "1 acte" : n + " actes") + (!searched ? " dans le journal"
                : page.total() == 1 ? " correspond à la recherche" : " correspondent à la recherche") + ".";
        return page.total() > SuiviPage.PAGE_SIZE ? text + " Affichés par pages de " + SuiviPage.PAGE_SIZE + "." : text;
    }

    private static String searchField(String id, String name, String label, String value, String help, SuiviPage.Search search) {
        String problem = search.problems().getOrDefault(id, "");
        StringBuilder b = new StringBuilder("<div class=\"champ\"><label for=\"").append(id).append("\">").append(esc(label))
                .append("</label><p class=\"aide\" id=\"").append(id).append("-aide\">").append(esc(help)).append("</p>");
        if (!problem.isEmpty()) {
            b.append("<p class=\"erreur\" id=\"").append(id).append("-erreur\"><span class=\"visuellement-cache\">Erreur : </span>")
                    .append(esc(problem)).append("</p>");
        }
        b.append("<input type=\"text\" id=\"").append(id).append("\" name=\"").append(name).append("\" value=\"")
                .append(esc(value)).append("\" aria-describedby=\"").append(id).append("-aide")
                .append(problem.isEmpty() ? "\"" : " " + id + "-erreur\" aria-invalid=\"true\"").append("></div>");
        return b.toString();
    }

    /** The table's rows; {@code all}: every collectivité listed, each row names its own. */
    String rows(List<Row> rows, boolean all) {
        if (rows.isEmpty()) return "<tr><td colspan=\"" + (all ? 8 : 7) + "\">Aucun acte ne correspond.</td></tr>";
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            JournalEntry e = r.entry();
            b.append("<tr>");
            if (all) b.append("<td>").append(esc(names.getOrDefault(e.siren(), e.siren()))).append("</td>");
            b.append("<td>").append(esc(e.numero())).append("</td><td>").append(esc(e.objet())).append("</td>")
                    .append("<td><a href=\"/actes/").append(e.id()).append("\">").append(esc(e.idActe().value()))
                    .append("</a></td><td class=\"etat etat-").append(e.state().name().toLowerCase(Locale.ROOT)).append("\">")
                    .append(esc(Plain.state(e.state())));
            for (Anomaly a : r.anomalies()) b.append("<p class=\"explication\">").append(esc(Plain.anomaly(a))).append("</p>");
            if (r.anomalies().isEmpty() && (e.state() == TransmissionState.ERROR || e.state() == TransmissionState.REJECTED
                    || e.state() == TransmissionState.ACKNOWLEDGED)) {
                e.lastError().ifPresent(m -> b.append("<p class=\"explication\">").append(esc(m)).append("</p>"));
            }
            b.append("</td><td>").append(r.sentAt().map(this::dayTime).orElse("—")).append("</td><td>")
                    .append(e.dateReception().map(DAY::format).orElse("—")).append("</td><td class=\"calendrier\">")
                    .append(esc(r.calendrier().orElse("—"))).append("</td></tr>");
        }
        return b.toString();
    }

    String error(Viewer viewer, String title, String message) {
        return layout(title, "", viewer, "<p class=\"erreur\" role=\"alert\">" + esc(message) + "</p>"
                + "<p><a href=\"/suivi\">Retour au suivi des actes</a></p>", "");
    }

    static String dt(String label, String value) {
        return "<dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd>";
    }

    String dayTime(Instant at) {
        return DAY_TIME.format(at.atZone(zone));
    }

    static String mib(long bytes) {
        return String.format(Locale.FRANCE, "%.1f Mio", bytes / (1024.0 * 1024.0));
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " octets";
        if (bytes < 1024 * 1024) return String.format(Locale.FRANCE, "%.0f Kio", bytes / 1024.0);
        return mib(bytes);
    }

    static LocalDate parseDay(String text) {
        return LocalDate.parse(text);
    }
}
