package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Actor;

/**
 * Accounts and roles on the web page, against the TdT simulator: an administrator manages the accounts on
 * {@code /comptes}, an agent sends and is named in the acte's history but may neither manage accounts nor cancel,
 * disabling or removing an account ends its open sessions, each person changes her own password; every new form
 * refused without this session's CSRF token, every name escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAccountsIT {
    private static final String CSRF_MESSAGE = "jeton de sécurité absent ou incorrect";
    private static final String RESERVED = "réservée aux administrateurs";

    private WebFixture fx;
    private Users users;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new WebFixture(dir, 2L * 1024 * 1024);
        users = fx.connector.journal().users();
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A new browser signed in as {@code login}, holding its session's CSRF token. */
    private Browser signIn(String login, String password) throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        HttpResponse<String> r = b.postForm("/connexion", form("csrf", b.csrf, "identifiant", login, "motdepasse", password));
        assertEquals(303, r.statusCode(), r.body());
        assertEquals(200, b.get("/suivi").statusCode());
        return b;
    }

    private void account(String login, String password, Users.Role role) {
        users.add(login, new Passwords(new SecureRandom()).hash(password.toCharArray()), role, Optional.empty(),
                Actor.commandLine());
    }

    private static void signedOut(Browser b) throws Exception {
        HttpResponse<String> r = b.get("/suivi");
        assertEquals(303, r.statusCode(), "the session has ended");
        // The session ended: to the sign-in, saying so, then back to the list.
        assertEquals("/connexion?suite=%2Fsuivi&expiree=1", r.headers().firstValue("Location").orElse(""));
    }

    private Multipart acte(String csrf, String numero) throws IOException {
        Path pdf = fx.pdf("decision-" + System.nanoTime() + ".pdf", "Decision");
        return new Multipart().field("csrf", csrf).field("numero", numero).field("date", "2026-04-27").field("nature", "CC")
                .field("classification", "1.4").field("objet", "Délibération " + numero)
                .file("document", "decision.pdf", "application/pdf", Files.readAllBytes(pdf))
                .field("typologie_document", "99_DC");
    }

    private long transmit(Browser b, String numero) throws Exception {
        b.get("/transmettre");
        HttpResponse<String> r = b.postMultipart("/transmettre", acte(b.csrf, numero));
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/actes/\\d+"), location);
        return Long.parseLong(location.substring("/actes/".length()));
    }

    private JournalEntry entry(long id) {
        return fx.connector.journal().entries().findById(id).orElseThrow();
    }

    private JournalEntry acknowledged(Browser b, String numero) throws Exception {
        long id = transmit(b, numero);
        for (int i = 0; i < 10 && entry(id).state().isPending(); i++) fx.connector.poller("test").pollAllNow();
        assertEquals(TransmissionState.ACKNOWLEDGED, entry(id).state());
        return entry(id);
    }

    @Test
    void anAdministratorCreatesAnAgentWhoSendsAnActeAndTheHistoryNamesHer() throws Exception {
        Browser admin = new Browser(fx).login();
        HttpResponse<String> page = admin.get("/comptes");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<a href=\"/comptes\" aria-current=\"page\">Comptes</a>"), "the administrator's menu");
        HttpResponse<String> created = admin.postForm("/comptes", form("csrf", admin.csrf, "identifiant", "Marie.Dupont",
                "nom", "Marie Dupont", "role", "agent", "motdepasse", "girafe bleue sous la pluie",
                "confirmation", "girafe bleue sous la pluie"));
        assertEquals(303, created.statusCode(), created.body());
        String list = admin.get("/comptes").body();
        assertTrue(list.contains("Compte « marie.dupont » créé (agent)"), list);
        assertTrue(list.contains("<th scope=\"row\">marie.dupont</th><td>Marie Dupont</td><td>agent</td><td>actif</td>"), list);
        assertTrue(list.contains("<td>marie.dupont</td><td>compte créé (agent ; 217803105)</td><td>" + WebFixture.LOGIN + "</td>"),
                "the change names who made it: " + list);

        Browser marie = signIn("marie.dupont", "girafe bleue sous la pluie");
        String menu = marie.get("/suivi").body();
        assertFalse(menu.contains("href=\"/comptes\""), "no accounts' menu for an agent");
        assertTrue(menu.contains("href=\"/mot-de-passe\""), menu);
        long id = transmit(marie, "2026-AGT-001");
        String acte = marie.get("/actes/" + id).body();
        assertTrue(acte.contains("envoi au TdT <span class=\"acteur\">(par marie.dupont)</span>"), acte);
        assertTrue(acte.contains("enregistré <span class=\"acteur\">(par marie.dupont)</span>"), acte);
        List<Optional<Actor>> actors = fx.connector.journal().entries().history(id).stream().map(StateChange::actor).toList();
        assertEquals(List.of(Optional.of(Actor.web("marie.dupont")), Optional.of(Actor.web("marie.dupont")), Optional.empty()),
                actors.subList(0, 3), "registration and posting by her, the TdT's answer by nobody");
    }

    @Test
    void anAgentIsRefusedTheAccountsAndTheCancellationAndNothingChanges() throws Exception {
        account("paul.martin", "le violon range la cuisine", Users.Role.AGENT);
        Browser admin = new Browser(fx).login();
        JournalEntry e = acknowledged(admin, "2026-AGT-002");
        Browser paul = signIn("paul.martin", "le violon range la cuisine");
        int accounts = users.list().size();

        HttpResponse<String> list = paul.get("/comptes");
        assertEquals(403, list.statusCode());
        assertTrue(list.body().contains(RESERVED), list.body());
        HttpResponse<String> create = paul.postForm("/comptes", form("csrf", paul.csrf, "identifiant", "intrus",
                "role", "admin", "motdepasse", "une porte verte dans le mur", "confirmation", "une porte verte dans le mur"));
        assertEquals(403, create.statusCode());
        assertTrue(create.body().contains(RESERVED), create.body());
        assertEquals(403, paul.postForm("/comptes/" + WebFixture.LOGIN + "/desactiver", form("csrf", paul.csrf)).statusCode());
        assertEquals(accounts, users.list().size());
        assertFalse(users.find(WebFixture.LOGIN).orElseThrow().disabled());

        String acte = paul.get("/actes/" + e.id()).body();
        assertFalse(acte.contains("/annuler"), "no cancellation form for an agent");
        assertTrue(acte.contains("Seul un administrateur peut demander l&#39;annulation de cet acte."), acte);
        int transactions = fx.simulator.transactionCount();
        HttpResponse<String> ask = paul.get("/actes/" + e.id() + "/annuler");
        assertEquals(403, ask.statusCode());
        HttpResponse<String> cancel = paul.postForm("/actes/" + e.id() + "/annuler", form("csrf", paul.csrf));
        assertEquals(403, cancel.statusCode());
        assertTrue(cancel.body().contains("Seul un administrateur peut demander l&#39;annulation d&#39;un acte"), cancel.body());
        assertEquals(TransmissionState.ACKNOWLEDGED, entry(e.id()).state());
        assertEquals(transactions, fx.simulator.transactionCount(), "nothing posted to the TdT");

        admin.get("/actes/" + e.id() + "/annuler");
        assertEquals(303, admin.postForm("/actes/" + e.id() + "/annuler", form("csrf", admin.csrf)).statusCode());
        assertTrue(admin.get("/actes/" + e.id()).body().contains("annulation demandée <span class=\"acteur\">(par "
                + WebFixture.LOGIN + ")</span>"));
    }

    @Test
    void disablingOrRemovingAnAccountEndsItsOpenSessionsAtOnce() throws Exception {
        account("julie.petit", "trois pommes sur le buffet", Users.Role.AGENT);
        Browser admin = new Browser(fx).login();
        Browser julie = signIn("julie.petit", "trois pommes sur le buffet");

        admin.get("/comptes");
        assertEquals(303, admin.postForm("/comptes/julie.petit/desactiver", form("csrf", admin.csrf)).statusCode());
        signedOut(julie);
        Browser again = new Browser(fx);
        again.get("/connexion");
        HttpResponse<String> refused = again.postForm("/connexion", form("csrf", again.csrf, "identifiant", "julie.petit",
                "motdepasse", "trois pommes sur le buffet"));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("Ce compte est désactivé"), refused.body());
        assertTrue(admin.get("/comptes").body().contains("<th scope=\"row\">julie.petit</th><td>—</td><td>agent</td>"
                + "<td>désactivé</td>"));

        assertEquals(303, admin.postForm("/comptes/julie.petit/activer", form("csrf", admin.csrf)).statusCode());
        julie = signIn("julie.petit", "trois pommes sur le buffet");
        users.setDisabled("julie.petit", true, Actor.commandLine());
        signedOut(julie);
        users.setDisabled("julie.petit", false, Actor.commandLine());

        julie = signIn("julie.petit", "trois pommes sur le buffet");
        HttpResponse<String> confirm = admin.get("/comptes/julie.petit/supprimer");
        assertEquals(200, confirm.statusCode());
        assertTrue(confirm.body().contains("Vous allez supprimer le compte « julie.petit »"), confirm.body());
        assertEquals(303, admin.postForm("/comptes/julie.petit/supprimer", form("csrf", admin.csrf)).statusCode());
        signedOut(julie);
        assertEquals(Optional.empty(), users.find("julie.petit"));

        admin.get("/comptes");
        HttpResponse<String> self = admin.postForm("/comptes/" + WebFixture.LOGIN + "/desactiver", form("csrf", admin.csrf));
        assertEquals(409, self.statusCode());
        assertTrue(self.body().contains("Vous ne pouvez pas désactiver votre propre compte"), self.body());
    }

    @Test
    void aPersonChangesHerOwnPasswordOnlyWithTheCurrentOneAndHerOtherSessionsEnd() throws Exception {
        account("luc.moreau", "un canard jaune au grenier", Users.Role.AGENT);
        String before = users.passwordHash("luc.moreau").orElseThrow();
        Browser luc = signIn("luc.moreau", "un canard jaune au grenier");
        Browser elsewhere = signIn("luc.moreau", "un canard jaune au grenier");
        luc.get("/mot-de-passe");

        HttpResponse<String> wrong = luc.postForm("/mot-de-passe", form("csrf", luc.csrf, "actuel", "pas le bon",
                "motdepasse", "la neige tombe sur le port", "confirmation", "la neige tombe sur le port"));
        assertEquals(422, wrong.statusCode());
        assertTrue(wrong.body().contains("Le mot de passe actuel est incorrect"), wrong.body());
        assertTrue(wrong.body().contains("id=\"actuel\"") && wrong.body().contains("aria-invalid=\"true\""), wrong.body());
        HttpResponse<String> weak = luc.postForm("/mot-de-passe", form("csrf", luc.csrf, "actuel", "un canard jaune au grenier",
                "motdepasse", "azertyazerty", "confirmation", "azertyazerty"));
        assertEquals(422, weak.statusCode());
        assertTrue(weak.body().contains("répète le même motif"), weak.body());
        HttpResponse<String> mismatch = luc.postForm("/mot-de-passe", form("csrf", luc.csrf, "actuel",
                "un canard jaune au grenier", "motdepasse", "la neige tombe sur le port", "confirmation", "autre chose"));
        assertEquals(422, mismatch.statusCode());
        assertTrue(mismatch.body().contains("Les deux saisies du mot de passe diffèrent"), mismatch.body());
        assertEquals(before, users.passwordHash("luc.moreau").orElseThrow(), "nothing changed yet");

        HttpResponse<String> ok = luc.postForm("/mot-de-passe", form("csrf", luc.csrf, "actuel", "un canard jaune au grenier",
                "motdepasse", "la neige tombe sur le port", "confirmation", "la neige tombe sur le port"));
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals(200, luc.get("/suivi").statusCode(), "this session goes on");
        signedOut(elsewhere);
        Browser old = new Browser(fx);
        old.get("/connexion");
        assertEquals(401, old.postForm("/connexion", form("csrf", old.csrf, "identifiant", "luc.moreau",
                "motdepasse", "un canard jaune au grenier")).statusCode());
        signIn("luc.moreau", "la neige tombe sur le port");
    }

    @Test
    void everyAccountFormRefusesAMissingOrForeignTokenAndChangesNothing() throws Exception {
        account("cible.csrf", "le phare dort sous la lune", Users.Role.AGENT);
        String hash = users.passwordHash("cible.csrf").orElseThrow();
        String adminHash = users.passwordHash(WebFixture.LOGIN).orElseThrow();
        Browser admin = new Browser(fx).login();
        Browser other = new Browser(fx).login();
        String newPassword = "une tortue lit le journal";
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/comptes", form("identifiant", "nouveau.csrf", "role", "admin", "motdepasse", newPassword,
                "confirmation", newPassword));
        posts.put("/comptes/cible.csrf/desactiver", form());
        posts.put("/comptes/cible.csrf/supprimer", form());
        posts.put("/comptes/cible.csrf/mot-de-passe", form("motdepasse", newPassword, "confirmation", newPassword));
        posts.put("/mot-de-passe", form("actuel", WebFixture.PASSWORD, "motdepasse", newPassword, "confirmation", newPassword));
        for (Map.Entry<String, Map<String, String>> p : posts.entrySet()) {
            HttpResponse<String> missing = admin.postForm(p.getKey(), p.getValue());
            assertEquals(403, missing.statusCode(), p.getKey());
            assertTrue(missing.body().contains(CSRF_MESSAGE), missing.body());
            Map<String, String> foreign = new LinkedHashMap<>(Map.of("csrf", other.csrf));
            foreign.putAll(p.getValue());
            assertEquals(403, admin.postForm(p.getKey(), foreign).statusCode(), "another session's token: " + p.getKey());
        }
        users.setDisabled("cible.csrf", true, Actor.commandLine());
        assertEquals(403, admin.postForm("/comptes/cible.csrf/activer", form()).statusCode());
        assertEquals(403, admin.postForm("/comptes/cible.csrf/activer", form("csrf", other.csrf)).statusCode());

        assertEquals(Optional.empty(), users.find("nouveau.csrf"));
        assertTrue(users.find("cible.csrf").orElseThrow().disabled(), "still disabled: the enabling was refused");
        assertEquals(hash, users.passwordHash("cible.csrf").orElseThrow());
        assertEquals(adminHash, users.passwordHash(WebFixture.LOGIN).orElseThrow());
    }

    @Test
    void namesAndRefusedLoginsAreEscapedAndWeakPasswordsRefusedInFrench() throws Exception {
        Browser admin = new Browser(fx).login();
        admin.get("/comptes");
        String name = "Zoé <script>alert(1)</script> & \"l'autre\"";
        HttpResponse<String> created = admin.postForm("/comptes", form("csrf", admin.csrf, "identifiant", "zoe",
                "nom", name, "role", "admin", "motdepasse", "le tram passe sous la pluie",
                "confirmation", "le tram passe sous la pluie"));
        assertEquals(303, created.statusCode(), created.body());
        String list = admin.get("/comptes").body();
        assertTrue(list.contains("<td>Zoé &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;l&#39;autre&quot;</td>"
                + "<td>administrateur</td>"), list);
        assertFalse(list.contains("<script>alert(1)"), list);

        HttpResponse<String> badLogin = admin.postForm("/comptes", form("csrf", admin.csrf, "identifiant", "<b>x</b>",
                "role", "agent", "motdepasse", "le tram passe sous la pluie", "confirmation", "le tram passe sous la pluie"));
        assertEquals(422, badLogin.statusCode());
        assertTrue(badLogin.body().contains("L&#39;identifiant « &lt;b&gt;x&lt;/b&gt; » n&#39;est pas accepté"), badLogin.body());
        assertTrue(badLogin.body().contains("value=\"&lt;b&gt;x&lt;/b&gt;\""), "typed value kept, escaped");
        assertFalse(badLogin.body().contains("<b>x</b>"));

        HttpResponse<String> weak = admin.postForm("/comptes", form("csrf", admin.csrf, "identifiant", "faible",
                "role", "agent", "motdepasse", "Motdepasse2024!", "confirmation", "Motdepasse2024!"));
        assertEquals(422, weak.statusCode());
        assertTrue(weak.body().contains("Ce mot de passe fait partie des plus courants (« motdepasse »)"), weak.body());
        HttpResponse<String> commune = admin.postForm("/comptes", form("csrf", admin.csrf, "identifiant", "faible",
                "role", "agent", "motdepasse", "Houdan en Yvelines 78", "confirmation", "Houdan en Yvelines 78"));
        assertEquals(422, commune.statusCode());
        assertTrue(commune.body().contains("contient le nom de la collectivité (« houdan »)"), commune.body());
        assertEquals(Optional.empty(), users.find("faible"));
    }
}
