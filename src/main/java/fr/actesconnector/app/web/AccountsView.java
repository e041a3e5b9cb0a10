package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Collectivite;

/** The accounts' pages, in French; every login, name and message escaped. */
final class AccountsView {
    private final Pages pages;
    /** An account's collectivités in French; empty with one collectivité configured (no column then). */
    private final Optional<Function<Users.User, String>> collectivites;

    AccountsView(Pages pages, Optional<Function<Users.User, String>> collectivites) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.collectivites = Objects.requireNonNull(collectivites, "collectivites");
    }

    /** Whether the creation form asks the new account's collectivités: the administrator has several to give. */
    static boolean asksCollectivites(CollectiviteAccess mine) {
        return mine.chooses();
    }

    /** {@code /comptes}: the accounts she manages with their actions, the creation form, the latest changes. */
    String list(Pages.Viewer viewer, List<Users.User> users, List<Users.Change> changes, FormProblems problems,
                CollectiviteAccess mine) {
        StringBuilder b = new StringBuilder(8192);
        b.append(problems.summary());
        b.append("<p>Un <strong>agent</strong> transmet les actes, les suit et répond aux courriers de la préfecture ; un "
                + "<strong>administrateur</strong> peut aussi gérer les comptes et demander l&#39;annulation d&#39;un acte.</p>");
        b.append("<table id=\"comptes\"><caption>Comptes de la page</caption><thead><tr>")
                .append("<th scope=\"col\">Identifiant</th><th scope=\"col\">Nom</th><th scope=\"col\">Rôle</th>")
                .append(collectivites.isPresent() ? "<th scope=\"col\">Collectivités</th>" : "")
                .append("<th scope=\"col\">État</th><th scope=\"col\">Créé le</th><th scope=\"col\">Actions</th>")
                .append("</tr></thead><tbody>");
        for (Users.User u : users) {
            boolean self = viewer.login().filter(u.login()::equals).isPresent();
            String base = "/comptes/" + esc(u.login());
            b.append("<tr id=\"compte-").append(esc(u.login())).append("\"><th scope=\"row\">").append(esc(u.login()))
                    .append(self ? " (vous)" : "").append("</th><td>").append(esc(u.fullName().orElse("—")))
                    .append("</td><td>").append(esc(u.role().label())).append("</td><td>")
                    .append(collectivites.map(f -> esc(f.apply(u)) + "</td><td>").orElse(""))
                    .append(u.disabled() ? "désactivé" : "actif").append("</td><td>")
                    .append(esc(pages.dayTime(u.createdAt()))).append("</td><td class=\"actions\">");
            if (self) {
                b.append("<a href=\"/mot-de-passe\">Changer mon mot de passe</a>");
            } else {
                String who = esc(u.login());
                b.append("<form method=\"post\" action=\"").append(base).append(u.disabled() ? "/activer" : "/desactiver")
                        .append("\">").append(Pages.csrfField(viewer.csrf())).append("<button type=\"submit\">")
                        .append(u.disabled() ? "Réactiver" : "Désactiver").append("<span class=\"visuellement-cache\"> ")
                        .append(who).append("</span></button></form> ")
                        .append("<a href=\"").append(base).append("/mot-de-passe\">Réinitialiser le mot de passe")
                        .append("<span class=\"visuellement-cache\"> de ").append(who).append("</span></a> ")
                        .append(asksCollectivites(mine) ? "<a href=\"" + base + "/collectivites\">Collectivités"
                                + "<span class=\"visuellement-cache\"> de " + who + "</span></a> " : "")
                        .append("<a href=\"").append(base).append("/supprimer\">Supprimer")
                        .append("<span class=\"visuellement-cache\"> ").append(who).append("</span></a>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append(createForm(viewer, problems, mine));
        b.append("<h2>Dernières modifications des comptes</h2>");
        if (changes.isEmpty()) {
            b.append("<p>Aucune modification enregistrée.</p>");
        } else {
            b.append("<table id=\"modifications-comptes\"><caption class=\"visuellement-cache\">Dernières modifications des "
                    + "comptes</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Compte</th>"
                    + "<th scope=\"col\">Modification</th><th scope=\"col\">Par</th></tr></thead><tbody>");
            for (Users.Change c : changes) {
                b.append("<tr><td>").append(esc(pages.dayTime(c.at()))).append("</td><td>").append(esc(c.login()))
                        .append("</td><td>").append(esc(c.detail())).append("</td><td>").append(esc(c.actor().label()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        return pages.layout("Comptes", "/comptes", viewer, b.toString(), "");
    }

    private static String createForm(Pages.Viewer viewer, FormProblems problems, CollectiviteAccess mine) {
        String f = AccountsPage.CREATE_FORM;
        String role = problems.value(f, "role", "agent");
        StringBuilder b = new StringBuilder(4096);
        b.append("<section id=\"creation\" aria-labelledby=\"creation-titre\"><h2 id=\"creation-titre\">Créer un compte</h2>")
                .append("<form method=\"post\" action=\"/comptes\" class=\"formulaire\" novalidate>")
                .append(Pages.csrfField(viewer.csrf()))
                .append(field(problems, "compte-identifiant", "identifiant", "Identifiant", "text", "off",
                        problems.value(f, "identifiant", ""), "Lettres minuscules, chiffres et . _ - @ (ex. marie.dupont)."))
                .append(field(problems, "compte-nom", "nom", "Nom et prénom (facultatif)", "text", "off",
                        problems.value(f, "nom", ""), "Tel qu'il s'affichera dans la liste des comptes."))
                .append("<fieldset id=\"compte-role\"><legend>Rôle</legend>")
                .append("<p class=\"aide\" id=\"compte-role-aide\">Un agent ne peut ni gérer les comptes ni demander "
                        + "l&#39;annulation d&#39;un acte.</p>")
                .append(problems.errorText("compte-role"))
                .append(FicheView.radio("compte-role-agent", "role", "agent", "agent", role.equals("agent")))
                .append(FicheView.radio("compte-role-admin", "role", "admin", "administrateur", role.equals("admin")))
                .append("</fieldset>")
                .append(asksCollectivites(mine) ? collectivitesField(problems, AccountsPage.CREATE_FORM, mine, Optional.empty()) : "")
                .append(field(problems, "compte-motdepasse", "motdepasse", "Mot de passe", "password", "new-password", "",
                        "Au moins " + PasswordPolicy.MIN_LENGTH + " caractères ; ni un mot de passe courant, ni une suite "
                                + "prévisible, ni l'identifiant ou le nom de la commune. Une phrase de plusieurs mots convient."))
                .append(field(problems, "compte-confirmation", "confirmation", "Mot de passe (confirmation)", "password",
                        "new-password", "", "Le même, une seconde fois."))
                .append("<p><button type=\"submit\" class=\"principal\">Créer le compte</button></p></form></section>");
        return b.toString();
    }

    /**
     * The account's collectivités, among the administrator's (and the whole syndicate, when she has it): those
     * typed when the form comes back with a problem, else those the account has ({@code had}; none for a new one).
     */
    private static String collectivitesField(FormProblems problems, String f, CollectiviteAccess mine,
                                             Optional<Users.Scope> had) {
        StringBuilder b = new StringBuilder("<fieldset id=\"compte-collectivites\" aria-describedby=\"compte-collectivites-aide\">")
                .append("<legend>Collectivités du compte</legend><p class=\"aide\" id=\"compte-collectivites-aide\">Le compte "
                        + "ne verra que les actes de ces collectivités et ne transmettra que pour elles.</p>")
                .append(problems.errorText("compte-collectivites"));
        if (mine.syndicate()) {
            b.append(checkbox("compte-syndicat", "syndicat", "Tout le syndicat (chaque collectivité, y compris celles "
                    + "ajoutées plus tard)", problems.any() ? !problems.value(f, "syndicat", "").isEmpty()
                    : had.filter(Users.Scope::syndicate).isPresent()));
        }
        for (Collectivite c : mine.collectivites()) {
            b.append(checkbox("compte-collectivite-" + c.siren(), "collectivite_" + c.siren(), c.nom() + " (SIREN "
                    + c.siren() + ")", problems.any() ? !problems.value(f, "collectivite_" + c.siren(), "").isEmpty()
                    : had.filter(h -> h.sirens().contains(c.siren())).isPresent()));
        }
        return b.append("</fieldset>").toString();
    }

    /** {@code /comptes/{login}/collectivites}: the collectivités of another account, ticked, to change. */
    String editCollectivites(Pages.Viewer viewer, Users.User target, FormProblems problems, CollectiviteAccess mine) {
        String who = esc(target.login());
        String body = problems.summary() + "<p>Compte « " + who + " » (" + esc(target.role().label()) + "). Il ne verra que "
                + "les actes des collectivités cochées, dès sa prochaine page.</p>"
                + "<form method=\"post\" action=\"/comptes/" + who + "/collectivites\" class=\"formulaire\" novalidate>"
                + Pages.csrfField(viewer.csrf()) + collectivitesField(problems, AccountsPage.SCOPE_FORM, mine,
                Optional.of(target.scope()))
                + "<p><button type=\"submit\" class=\"principal\">Enregistrer les collectivités</button> "
                + "<a href=\"/comptes\">Annuler</a></p></form>";
        return pages.layout("Collectivités du compte " + target.login(), "/comptes", viewer, body, "");
    }

    private static String checkbox(String id, String name, String label, boolean checked) {
        return "<div class=\"case\"><input type=\"checkbox\" id=\"" + esc(id) + "\" name=\"" + esc(name) + "\" value=\"oui\""
                + (checked ? " checked" : "") + "><label for=\"" + esc(id) + "\">" + esc(label) + "</label></div>";
    }

    /** {@code /mot-de-passe}: the person changes her own password. */
    String ownPassword(Pages.Viewer viewer, FormProblems problems) {
        StringBuilder b = new StringBuilder(4096);
        b.append(problems.summary())
                .append("<form method=\"post\" action=\"/mot-de-passe\" class=\"formulaire\" novalidate>")
                .append(Pages.csrfField(viewer.csrf()))
                .append(field(problems, "actuel", "actuel", "Mot de passe actuel", "password", "current-password", "",
                        "Celui avec lequel vous vous êtes connectée ou connecté."))
                .append(newPasswordFields(problems))
                .append("<p><button type=\"submit\" class=\"principal\">Changer mon mot de passe</button></p></form>");
        return pages.layout("Mon mot de passe", "/mot-de-passe", viewer, b.toString(), "");
    }

    /** {@code /comptes/{login}/mot-de-passe}: an administrator sets a new password for someone. */
    String resetPassword(Pages.Viewer viewer, Users.User target, FormProblems problems) {
        StringBuilder b = new StringBuilder(4096);
        b.append(problems.summary())
                .append("<p>Le nouveau mot de passe remplace celui de « ").append(esc(target.login())).append(" »")
                .append(target.fullName().map(n -> " (" + esc(n) + ")").orElse(""))
                .append(" ; ses sessions ouvertes seront fermées. Transmettez-le-lui de vive voix : elle pourra le changer "
                        + "dans « Mon mot de passe ».</p>")
                .append("<form method=\"post\" action=\"/comptes/").append(esc(target.login()))
                .append("/mot-de-passe\" class=\"formulaire\" novalidate>").append(Pages.csrfField(viewer.csrf()))
                .append(newPasswordFields(problems))
                .append("<p><button type=\"submit\" class=\"principal\">Réinitialiser le mot de passe</button> ")
                .append("<a href=\"/comptes\">Annuler</a></p></form>");
        return pages.layout("Réinitialiser le mot de passe de " + target.login(), "", viewer, b.toString(), "");
    }

    private static String newPasswordFields(FormProblems problems) {
        return field(problems, "nouveau", "motdepasse", "Nouveau mot de passe", "password", "new-password", "",
                "Au moins " + PasswordPolicy.MIN_LENGTH + " caractères ; ni un mot de passe courant, ni une suite "
                        + "prévisible, ni l'identifiant, le nom ou celui de la commune. Une phrase de plusieurs mots convient.")
                + field(problems, "confirmation", "confirmation", "Nouveau mot de passe (confirmation)", "password",
                "new-password", "", "Le même, une seconde fois.");
    }

    /** {@code /comptes/{login}/supprimer}: asked once more before the account goes. */
    String confirmRemove(Pages.Viewer viewer, Users.User target) {
        String body = "<p>Vous allez supprimer le compte « " + esc(target.login()) + " »"
                + target.fullName().map(n -> " (" + esc(n) + ")").orElse("") + ". Ses sessions seront fermées ; son nom "
                + "restera dans l&#39;historique des actes. Pour l&#39;écarter un temps seulement, désactivez-le plutôt.</p>"
                + "<form method=\"post\" action=\"/comptes/" + esc(target.login()) + "/supprimer\">"
                + Pages.csrfField(viewer.csrf())
                + "<p><button type=\"submit\" class=\"danger\">Supprimer le compte</button> "
                + "<a href=\"/comptes\">Ne pas supprimer</a></p></form>";
        return pages.layout("Supprimer le compte " + target.login() + " ?", "", viewer, body, "");
    }

    private static String field(FormProblems problems, String id, String name, String label, String type,
                                String autocomplete, String value, String help) {
        return "<div class=\"champ\"><label for=\"" + esc(id) + "\">" + esc(label) + "</label>"
                + "<p class=\"aide\" id=\"" + esc(id) + "-aide\">" + esc(help) + "</p>" + problems.errorText(id)
                + "<input id=\"" + esc(id) + "\" name=\"" + esc(name) + "\" type=\"" + type + "\" autocomplete=\""
                + autocomplete + "\" value=\"" + esc(value) + "\"" + problems.described(id) + "></div>";
    }
}
