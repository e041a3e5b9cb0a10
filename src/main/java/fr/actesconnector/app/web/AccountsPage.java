package fr.actesconnector.app.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.journal.JournalException;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Reason;

/**
 * The accounts of the web page: {@code /comptes} for administrators (list, create with a role, disable and
 * enable, remove, reset a password) and {@code /mot-de-passe} where each person changes her own, the current one
 * asked first. Every change is recorded with who made it; disabling or removing an account, or resetting its
 * password, ends its sessions at once. With several collectivités, an administrator who has several changes those
 * of an account ({@code /comptes/{login}/collectivites}); it sees the new ones from its next page. Agents get a 403 on {@code /comptes}. An administrator sees and manages
 * only the accounts of her collectivités ({@link CollectiviteAccess#manages}); another account answers 404 as if
 * it did not exist.
 */
final class AccountsPage {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsPage.class);
    private static final Pattern ACCOUNT = Pattern.compile("^/comptes/([a-z0-9._@-]{1,64})/(desactiver|activer|supprimer|mot-de-passe|collectivites)$");
    static final String CREATE_FORM = "creation";
    static final String PASSWORD_FORM = "mot-de-passe";
    static final String SCOPE_FORM = "collectivites";
    /** How many changes of the accounts the page shows. */
    private static final int CHANGES_SHOWN = 30;

    private final Users users;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final Sessions sessions;
    private final AccountsView view;
    private final List<Collectivite> configured;

    AccountsPage(Users users, Passwords passwords, Sessions sessions, Pages pages, List<Collectivite> configured) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.policy = PasswordPolicy.standard();
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.configured = List.copyOf(configured);
        this.view = new AccountsView(pages, configured.size() > 1 ? Optional.of(this::collectivites) : Optional.empty());
    }

    /** True for the paths this page answers. */
    static boolean owns(String path) {
        return path.equals("/comptes") || path.startsWith("/comptes/") || path.equals("/mot-de-passe");
    }

    void handle(HttpExchange ex, Sessions.Session s, String path) throws IOException {
        String method = ex.getRequestMethod();
        if (path.equals("/mot-de-passe")) {
            switch (method) {
                case "GET" -> Exchanges.sendHtml(ex, 200, view.ownPassword(Pages.Viewer.of(s), FormProblems.NONE));
                case "POST" -> changeOwnPassword(ex, s);
                default -> throw RequestException.methodNotAllowed(java.util.Set.of("GET", "POST"));
            }
            return;
        }
        if (!s.admin()) {
            throw new RequestException(403, "Accès réservé", "La gestion des comptes est réservée aux administrateurs : "
                    + "demandez à un administrateur de la mairie.");
        }
        if (path.equals("/comptes")) {
            switch (method) {
                case "GET" -> list(ex, s, FormProblems.NONE, 200);
                case "POST" -> create(ex, s);
                default -> throw RequestException.methodNotAllowed(java.util.Set.of("GET", "POST"));
            }
            return;
        }
        Matcher m = ACCOUNT.matcher(path);
        if (!m.matches()) throw RequestException.notFound();
        String login = m.group(1);
        Users.User target = users.find(login).filter(mine(s)::manages).orElseThrow(() -> new RequestException(404,
                "Compte introuvable", "Aucun compte « " + login + " » : il a peut-être été supprimé entre-temps."));
        switch (m.group(2) + " " + method) {
            case "desactiver POST" -> setDisabled(ex, s, target, true);
            case "activer POST" -> setDisabled(ex, s, target, false);
            case "supprimer GET" -> {
                notSelf(s, target, "supprimer");
                Exchanges.sendHtml(ex, 200, view.confirmRemove(Pages.Viewer.of(s), target));
            }
            case "supprimer POST" -> remove(ex, s, target);
            case "mot-de-passe GET" -> {
                notSelf(s, target, "réinitialiser le mot de passe de");
                Exchanges.sendHtml(ex, 200, view.resetPassword(Pages.Viewer.of(s), target, FormProblems.NONE));
            }
            case "mot-de-passe POST" -> resetPassword(ex, s, target);
            case "collectivites GET" -> {
                editableScope(s, target);
                Exchanges.sendHtml(ex, 200, view.editCollectivites(Pages.Viewer.of(s), target, FormProblems.NONE, mine(s)));
            }
            case "collectivites POST" -> setScope(ex, s, target);
            default -> throw RequestException.methodNotAllowed(
                    m.group(2).equals("desactiver") || m.group(2).equals("activer") ? java.util.Set.of("POST") : java.util.Set.of("GET", "POST"));
        }
    }

    private void list(HttpExchange ex, Sessions.Session s, FormProblems problems, int status) throws IOException {
        CollectiviteAccess mine = mine(s);
        List<Users.User> shown = users.list().stream().filter(mine::manages).toList();
        java.util.Set<String> logins = shown.stream().map(Users.User::login).collect(java.util.stream.Collectors.toSet());
        // The changes of the accounts she does not see are not hers to read (the syndicate reads them all).
        List<Users.Change> changes = users.changes(mine.syndicate() ? CHANGES_SHOWN : CHANGES_SHOWN * 10).stream()
                .filter(c -> mine.syndicate() || logins.contains(c.login())).limit(CHANGES_SHOWN).toList();
        Exchanges.sendHtml(ex, status, view.list(Pages.Viewer.of(s), shown, changes, problems, mine));
    }

    /** The administrator's collectivités, checked at this request by the router. */
    private static CollectiviteAccess mine(Sessions.Session s) {
        return s.access().orElseThrow(() -> new IllegalStateException("session not checked"));
    }

    /** The account's collectivités in French: their names (SIRENs of those no longer configured), or the syndicate. */
    String collectivites(Users.User u) {
        Users.Scope scope = u.scope();
        if (scope.syndicate()) return "Tout le syndicat";
        if (scope.none()) return configured.size() == 1 ? configured.get(0).nom() : "Aucune (ne peut pas se connecter)";
        return String.join(", ", scope.sirens().stream().map(siren -> configured.stream().filter(c -> c.siren().equals(siren))
                .map(Collectivite::nom).findFirst().orElse("SIREN " + siren)).toList());
    }

    /**
     * The collectivités ticked on the creation form: the only one of an administrator who has one (nothing to
     * tick); else those ticked among hers, or the whole syndicate when she has it. Empty, with a problem, when none.
     */
    private Optional<Users.Scope> scope(Map<String, String> form, CollectiviteAccess mine, List<FormProblems.Problem> problems) {
        boolean syndicate = !form.getOrDefault("syndicat", "").isEmpty();
        if (syndicate && !mine.syndicate()) {
            throw new RequestException(403, "Accès réservé", "Seul un administrateur de tout le syndicat crée un compte de "
                    + "tout le syndicat.");
        }
        if (!AccountsView.asksCollectivites(mine)) return Optional.of(Users.Scope.of(List.of(mine.collectivites().get(0).siren())));
        List<String> ticked = mine.collectivites().stream().map(Collectivite::siren)
                .filter(siren -> !form.getOrDefault("collectivite_" + siren, "").isEmpty()).toList();
        if (syndicate && !ticked.isEmpty()) {
            problems.add(FormProblems.Problem.of("« Tout le syndicat » comprend déjà chaque collectivité : cochez l'un ou "
                    + "les autres, pas les deux.", "compte-collectivites"));
            return Optional.empty();
        }
        if (syndicate) return Optional.of(Users.Scope.syndicateWide());
        if (ticked.isEmpty()) {
            problems.add(FormProblems.Problem.of("Cochez au moins une collectivité du compte" + (mine.syndicate()
                    ? ", ou « Tout le syndicat »" : "") + " : il ne verra que leurs actes.", "compte-collectivites"));
            return Optional.empty();
        }
        return Optional.of(Users.Scope.of(ticked));
    }

    /** Only an administrator with several collectivités to give changes those of another account. */
    private void editableScope(Sessions.Session s, Users.User target) {
        if (!AccountsView.asksCollectivites(mine(s))) throw RequestException.notFound();
        notSelf(s, target, "changer les collectivités de");
    }

    /** POST /comptes/{login}/collectivites: the account's collectivités replaced by those ticked. */
    private void setScope(HttpExchange ex, Sessions.Session s, Users.User target) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        editableScope(s, target);
        List<FormProblems.Problem> problems = new ArrayList<>();
        Optional<Users.Scope> scope = scope(form, mine(s), problems);
        if (scope.isEmpty()) {
            Map<String, String> typed = new java.util.HashMap<>();
            form.keySet().stream().filter(k -> k.startsWith("collectivite_") || k.equals("syndicat"))
                    .forEach(k -> typed.put(k, form.get(k)));
            Exchanges.sendHtml(ex, 422, view.editCollectivites(Pages.Viewer.of(s), target, new FormProblems(SCOPE_FORM,
                    "Les collectivités du compte n'ont pas été changées", problems, typed), mine(s)));
            return;
        }
        if (!mine(s).grants(scope.get())) throw new IllegalStateException("scope beyond the administrator's");
        users.setScope(target.login(), scope.get(), s.actor());
        Users.User changed = users.find(target.login()).orElseThrow();
        LOG.info("web: collectivités of {} set to {} by {}", target.login(), scope.get().describe(), s.login.orElse("?"));
        s.flash("Collectivités du compte « " + target.login() + " » : " + collectivites(changed) + ". Il le verra dès sa "
                + "prochaine page.");
        Exchanges.redirect(ex, "/comptes");
    }

    /** The names a new password must not hold: those of the account's collectivités. */
    private List<String> names(Optional<Users.Scope> scope) {
        return configured.stream().filter(c -> scope.isEmpty() || scope.get().syndicate()
                || scope.get().sirens().contains(c.siren())).map(Collectivite::nom).toList();
    }

    /** POST /comptes: a new account with its role and first password, which the person will change. */
    private void create(HttpExchange ex, Sessions.Session s) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        String login = form.getOrDefault("identifiant", "").trim();
        String name = form.getOrDefault("nom", "").strip();
        String roleWord = form.getOrDefault("role", "");
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        char[] confirmation = form.getOrDefault("confirmation", "").toCharArray();
        try {
            List<FormProblems.Problem> problems = new ArrayList<>();
            String normalized = "";
            try {
                normalized = Users.normalizeLogin(login);
            } catch (JournalException e) {
                problems.add(FormProblems.Problem.of(login.isEmpty() ? "Indiquez l'identifiant du compte (ex. marie.dupont)."
                        : e.userMessage(), "compte-identifiant"));
            }
            if (name.length() > 200) {
                problems.add(FormProblems.Problem.of("Le nom compte " + name.length() + " caractères : 200 au plus.", "compte-nom"));
            }
            Optional<Users.Role> role = Users.Role.parse(roleWord);
            if (role.isEmpty()) {
                problems.add(FormProblems.Problem.of("Choisissez le rôle du compte : agent ou administrateur.", "compte-role"));
            }
            Optional<Users.Scope> scope = scope(form, mine(s), problems);
            newPassword(password, confirmation, normalized.isEmpty() ? login : normalized, name, names(scope),
                    "compte-motdepasse", "compte-confirmation", problems);
            if (problems.isEmpty() && users.find(normalized).isPresent()) {
                problems.add(FormProblems.Problem.of("Le compte « " + normalized + " » existe déjà : choisissez un autre "
                        + "identifiant.", "compte-identifiant"));
            }
            if (problems.isEmpty()) {
                try {
                    if (!mine(s).grants(scope.get())) throw new IllegalStateException("scope beyond the administrator's");
                    users.add(normalized, passwords.hash(password), role.get(), Optional.of(name), scope.get(), s.actor());
                } catch (JournalException e) {
                    if (e.reason() != Reason.INVALID_INPUT) throw e;
                    problems.add(FormProblems.Problem.of(e.userMessage(), "compte-identifiant"));
                }
            }
            if (!problems.isEmpty()) {
                Map<String, String> typed = new java.util.HashMap<>(form);
                typed.keySet().retainAll(java.util.Set.of("identifiant", "nom", "role", "syndicat"));
                form.keySet().stream().filter(k -> k.startsWith("collectivite_")).forEach(k -> typed.put(k, form.get(k)));
                typed.put("identifiant", login);
                typed.put("nom", name);
                list(ex, s, new FormProblems(CREATE_FORM, "Le compte n'a pas été créé", problems, typed), 422);
                return;
            }
            Users.User made = users.find(normalized).orElseThrow();
            s.flash("Compte « " + normalized + " » créé (" + role.get().label() + (configured.size() > 1 ? " ; "
                    + collectivites(made) : "") + ") : transmettez-lui son mot de passe de vive voix ; elle pourra le "
                    + "changer dans « Mon mot de passe ».");
            LOG.info("web: account {} created as {} for {} by {}", normalized, role.get().word(), scope.get().describe(),
                    s.login.orElse("?"));
            Exchanges.redirect(ex, "/comptes");
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(confirmation, '\0');
        }
    }

    private void setDisabled(HttpExchange ex, Sessions.Session s, Users.User target, boolean disabled) throws IOException {
        Exchanges.checkCsrf(s, Exchanges.urlEncodedForm(ex).get("csrf"));
        if (disabled) notSelf(s, target, "désactiver");
        refusedInFrench(() -> users.setDisabled(target.login(), disabled, s.actor()));
        if (disabled) {
            int ended = sessions.endAll(target.login(), null);
            LOG.info("web: account {} disabled by {}, {} session(s) ended", target.login(), s.login.orElse("?"), ended);
        }
        s.flash(disabled ? "Compte « " + target.login() + " » désactivé : ses sessions sont fermées et il ne peut plus se "
                + "connecter." : "Compte « " + target.login() + " » réactivé.");
        Exchanges.redirect(ex, "/comptes");
    }

    private void remove(HttpExchange ex, Sessions.Session s, Users.User target) throws IOException {
        Exchanges.checkCsrf(s, Exchanges.urlEncodedForm(ex).get("csrf"));
        notSelf(s, target, "supprimer");
        refusedInFrench(() -> users.remove(target.login(), s.actor()));
        int ended = sessions.endAll(target.login(), null);
        LOG.info("web: account {} removed by {}, {} session(s) ended", target.login(), s.login.orElse("?"), ended);
        s.flash("Compte « " + target.login() + " » supprimé. Son nom reste dans l'historique des actes et des comptes.");
        Exchanges.redirect(ex, "/comptes");
    }

    /** POST /comptes/{login}/mot-de-passe: an administrator sets a new password for someone who lost hers. */
    private void resetPassword(HttpExchange ex, Sessions.Session s, Users.User target) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        notSelf(s, target, "réinitialiser le mot de passe de");
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        char[] confirmation = form.getOrDefault("confirmation", "").toCharArray();
        try {
            List<FormProblems.Problem> problems = new ArrayList<>();
            newPassword(password, confirmation, target.login(), target.fullName().orElse(""),
                    names(Optional.of(target.scope())), "nouveau", "confirmation", problems);
            if (!problems.isEmpty()) {
                Exchanges.sendHtml(ex, 422, view.resetPassword(Pages.Viewer.of(s), target, new FormProblems(PASSWORD_FORM,
                        "Le mot de passe n'a pas été changé", problems, Map.of())));
                return;
            }
            users.setPasswordHash(target.login(), passwords.hash(password), s.actor());
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(confirmation, '\0');
        }
        int ended = sessions.endAll(target.login(), null);
        LOG.info("web: password of {} reset by {}, {} session(s) ended", target.login(), s.login.orElse("?"), ended);
        s.flash("Le mot de passe de « " + target.login() + " » a été réinitialisé ; ses sessions ouvertes sont fermées.");
        Exchanges.redirect(ex, "/comptes");
    }

    /** POST /mot-de-passe: the current password, then the new one twice. Her other sessions end. */
    private void changeOwnPassword(HttpExchange ex, Sessions.Session s) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        String login = s.login.orElseThrow();
        Users.Credentials account = users.credentials(login).orElseThrow(() -> new RequestException(401, "Session expirée",
                "Votre compte n'existe plus : reconnectez-vous."));
        char[] current = form.getOrDefault("actuel", "").toCharArray();
        char[] password = form.getOrDefault("motdepasse", "").toCharArray();
        char[] confirmation = form.getOrDefault("confirmation", "").toCharArray();
        try {
            List<FormProblems.Problem> problems = new ArrayList<>();
            if (!passwords.verify(current, account.passwordHash())) {
                LOG.warn("web: wrong current password when {} changed hers", login);
                problems.add(FormProblems.Problem.of("Le mot de passe actuel est incorrect : vérifiez-le (attention aux "
                        + "majuscules) et réessayez.", "actuel"));
            } else {
                newPassword(password, confirmation, login, account.user().fullName().orElse(""),
                        names(Optional.of(account.user().scope())), "nouveau", "confirmation", problems);
                if (problems.isEmpty() && Arrays.equals(current, password)) {
                    problems.add(FormProblems.Problem.of("Le nouveau mot de passe est celui d'aujourd'hui : choisissez-en "
                            + "un autre.", "nouveau"));
                }
            }
            if (!problems.isEmpty()) {
                Exchanges.sendHtml(ex, 422, view.ownPassword(Pages.Viewer.of(s), new FormProblems(PASSWORD_FORM,
                        "Le mot de passe n'a pas été changé", problems, Map.of())));
                return;
            }
            String hash = passwords.hash(password);
            users.setPasswordHash(login, hash, s.actor());
            s.credential(Passwords.fingerprint(hash));
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(password, '\0');
            Arrays.fill(confirmation, '\0');
        }
        int ended = sessions.endAll(login, s.id);
        LOG.info("web: {} changed her password, {} other session(s) ended", login, ended);
        s.flash("Votre mot de passe a été changé" + (ended > 0 ? " ; vos autres sessions ouvertes sont fermées." : "."));
        Exchanges.redirect(ex, "/suivi");
    }

    /** Checks a new password typed twice against the policy (each of {@code collectivites}' names); each problem beside its field. */
    private void newPassword(char[] password, char[] confirmation, String login, String name, List<String> collectivites,
                             String field, String confirmationField, List<FormProblems.Problem> problems) {
        if (password.length == 0) {
            problems.add(FormProblems.Problem.of("Indiquez le nouveau mot de passe.", field));
            return;
        }
        Optional<String> weak = Optional.empty();
        for (String collectivite : collectivites.isEmpty() ? List.of("") : collectivites) {
            weak = weak.or(() -> policy.weakness(password, login, Optional.of(name).filter(n -> !n.isBlank()), collectivite));
        }
        if (weak.isPresent()) {
            problems.add(FormProblems.Problem.of(weak.get(), field));
        } else if (!Arrays.equals(password, confirmation)) {
            problems.add(FormProblems.Problem.of("Les deux saisies du mot de passe diffèrent : tapez-le de nouveau deux fois.",
                    confirmationField));
        }
    }

    /** An administrator does not lock herself out: another one does it for her. */
    private static void notSelf(Sessions.Session s, Users.User target, String what) {
        if (s.login.filter(target.login()::equals).isPresent()) {
            throw new RequestException(409, "Action impossible sur votre compte", "Vous ne pouvez pas " + what + " votre "
                    + "propre compte" + (what.startsWith("réinitialiser") ? " : changez-le dans « Mon mot de passe »."
                    : " : demandez-le à un autre administrateur."));
        }
    }

    /** A change the journal refuses (the last active administrator) is a 409 with its French reason. */
    private static void refusedInFrench(Runnable change) {
        try {
            change.run();
        } catch (JournalException e) {
            if (e.reason() != Reason.INVALID_INPUT) throw e;
            throw new RequestException(409, "Action impossible", e.userMessage());
        }
    }
}
