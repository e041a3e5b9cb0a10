package fr.actesconnector.app.web;

import fr.actesconnector.testing.LocalPostgres;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.simulator.LetterType;
import fr.actesconnector.testing.Houdan;

/**
 * The page of a syndicate (Houdan and Maulette) on a PostgreSQL journal: an account of Houdan neither sees nor opens
 * Maulette's actes (list, search, count, the acte's page, every file, every action by id: 404, nothing changed), nor
 * transmits for it, nor manages its accounts; the syndicate's administrator sees both, and every collectivité at once,
 * and switches; the transmit form of Maulette uses Maulette's classification, signing certificate and TdT account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebCollectivitesIT {
    private static final String HOUDAN = Houdan.SIREN;
    private static final String MAULETTE = WebFixture.MAULETTE.siren();
    private static final Pattern ACTE_LINK = Pattern.compile("href=\"(/actes/(\\d+)/[^\"#?]+)\"");

    private LocalPostgres postgres;
    private WebFixture fx;
    private Browser syndic;
    private JournalEntry houdanActe;
    private JournalEntry mauletteActe;
    private JournalEntry mauletteRefused;
    private Letters.Letter pieces;
    private Letters.Letter observations;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        postgres = LocalPostgres.start();
        fx = WebFixture.syndicate(dir, postgres.journalEnvironment("syndicat"));
        fx.account("marie.houdan", Users.Role.AGENT, Users.Scope.of(List.of(HOUDAN)));
        fx.account("chef.houdan", Users.Role.ADMIN, Users.Scope.of(List.of(HOUDAN)));
        fx.account("paul.maulette", Users.Role.AGENT, Users.Scope.of(List.of(MAULETTE)));
        fx.account("chef.maulette", Users.Role.ADMIN, Users.Scope.of(List.of(MAULETTE)));
        syndic = new Browser(fx).login();
        houdanActe = settle(transmit(syndic, HOUDAN, "2026-HOU-001", "Voirie de Houdan", false));
        choose(syndic, MAULETTE);
        mauletteActe = settle(transmit(syndic, MAULETTE, "2026-MAU-001", "Eclairage de Maulette", true));
        assertEquals(TransmissionState.ACKNOWLEDGED, houdanActe.state(), houdanActe.toString());
        assertEquals(TransmissionState.ACKNOWLEDGED, mauletteActe.state(), mauletteActe.toString());
        pieces = letter(mauletteActe, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);
        observations = letter(mauletteActe, LetterType.LETTRE_OBSERVATIONS);
        Browser paul = signIn("paul.maulette");
        Letters.Letter simple = letter(mauletteActe, LetterType.COURRIER_SIMPLE);
        HttpResponse<String> answered = paul.postMultipart("/actes/" + mauletteActe.id() + "/courriers/" + simple.id()
                + "/repondre", new Multipart().field("csrf", paul.csrf).field("genre", LetterView.kinds(simple).get(0).word())
                .file("document", "reponse.pdf", "application/pdf", pdf("Reponse")));
        assertEquals(303, answered.statusCode(), answered.body());
        fx.simulator.failNextWithAnomalie("2026_MAU_002", "002", "classification date not up to date");
        mauletteRefused = settle(transmit(paul, MAULETTE, "2026-MAU-002", "Marche refuse de Maulette", false));
        assertEquals(TransmissionState.REJECTED, mauletteRefused.state(), mauletteRefused.toString());
    }

    @AfterAll
    void stop() throws IOException {
        if (fx != null) fx.close();
        if (postgres != null) postgres.close();
    }

    // ------------------------------------------------------------------ a commune's account

    @Test
    void aCommuneAccountNeitherListsNorSearchesNorCountsTheOtherCommunesActes() throws Exception {
        Browser marie = signIn("marie.houdan");
        String suivi = marie.get("/suivi").body();
        assertTrue(suivi.contains("<span id=\"collectivite-courante\">Commune de Houdan</span>"), "the header names hers");
        assertFalse(suivi.contains("action=\"/collectivite\""), "one collectivité: nothing to switch to");
        assertTrue(suivi.contains(houdanActe.idActe().value()), suivi);
        assertFalse(suivi.contains("MAU"), "none of Maulette's actes: " + suivi);
        assertTrue(suivi.contains("1 acte dans le journal."), "Houdan's count only: " + suivi);
        for (String search : List.of("numero=2026-MAU", "idacte=078-217803816", "objet=Maulette", "objet=eclairage",
                "etat=REJECTED", "etat=ACKNOWLEDGED&numero=2026-MAU-001", "du=2020-01-01&au=2099-12-31&objet=maulette")) {
            String found = marie.get("/suivi?" + search).body();
            assertTrue(found.contains("Aucun acte ne correspond à la recherche."), search + ": " + found);
            String rows = marie.get("/suivi/lignes?" + search).body();
            assertTrue(rows.contains("Aucun acte ne correspond.") && !rows.contains("MAU"), search + ": " + rows);
        }
        assertTrue(marie.get("/suivi?etat=ACKNOWLEDGED").body().contains("1 acte correspond à la recherche."));
        assertFalse(marie.get("/suivi/lignes").body().contains("MAU"));
        // A cursor on one of Maulette's actes shows nothing of it either.
        String paged = marie.get("/suivi?apres=" + (mauletteActe.id() + 1)).body() + marie.get("/suivi?avant="
                + (mauletteActe.id() - 1)).body();
        assertFalse(paged.contains("MAU"), paged);
    }

    @Test
    void everyPageAndFileOfTheOtherCommunesActesIsNotFoundAsIfItDidNotExist() throws Exception {
        Browser chefMaulette = signIn("chef.maulette");
        List<String> routes = routes(chefMaulette, mauletteActe);
        routes.addAll(routes(chefMaulette, mauletteRefused));
        // The ARActe's XML is linked only when the journal keeps no AR file: it is served all the same.
        routes.add("/actes/" + mauletteActe.id() + "/ar.xml");
        for (String known : List.of("/archive", "/ar.xml", "/preuve", "/document/0", "/signature/0", "/courriers/"
                + pieces.id() + "/pdf", "/annuler", "/corriger")) {
            String route = "/actes/" + (known.equals("/corriger") ? mauletteRefused.id() : mauletteActe.id()) + known;
            assertTrue(routes.contains(route), route + " is among the links of Maulette's pages: " + routes);
        }
        String absent = main(signIn("chef.houdan").get("/actes/999999999").body());
        for (String login : List.of("marie.houdan", "chef.houdan")) {
            Browser b = signIn(login);
            for (String route : routes) {
                HttpResponse<String> r = b.get(route);
                assertEquals(404, r.statusCode(), login + " " + route + ": " + r.body());
                String id = route.replaceFirst("^/actes/(\\d+).*", "$1");
                assertEquals(absent.replace("n° 999999999", "n° X"), main(r.body()).replace("n° " + id, "n° X"),
                        route + ": the same answer as an acte that does not exist");
            }
            HttpResponse<String> head = b.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.base()
                    + "actes/" + mauletteActe.id() + "/archive")).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, head.statusCode(), login + ": HEAD of the archive");
        }
        for (String route : routes) {
            assertEquals(200, chefMaulette.download(route).statusCode(), "Maulette's own administrator opens " + route);
        }
    }

    @Test
    void everyActionByIdOnTheOtherCommunesActesIsRefusedAndNothingChanges() throws Exception {
        String acte = "/actes/" + mauletteActe.id();
        String letters = acte + "/courriers/";
        World before = world();
        for (String login : List.of("marie.houdan", "chef.houdan")) {
            Browser b = signIn(login);
            b.get("/suivi");
            Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
            answers.put("annuler", b.postForm(acte + "/annuler", form(b.csrf)));
            answers.put("publication", b.postForm(acte + "/publication", form(b.csrf, "date",
                    mauletteActe.dateReception().orElseThrow().toString(), "mode", "publication")));
            answers.put("corriger", b.postMultipart("/actes/" + mauletteRefused.id() + "/corriger",
                    acteForm(b.csrf, Optional.empty(), "2026-MAU-002B")));
            answers.put("repondre", b.postMultipart(letters + pieces.id() + "/repondre", new Multipart().field("csrf", b.csrf)
                    .field("genre", "pieces").file("document", "reponse.pdf", "application/pdf", pdf("Reponse"))));
            answers.put("recours-gracieux", b.postForm(letters + observations.id() + "/recours-gracieux", form(b.csrf)));
            answers.forEach((what, r) -> assertEquals(404, r.statusCode(), login + " " + what + ": " + r.body()));

            HttpResponse<String> forged = b.postMultipart("/transmettre", acteForm(b.csrf, Optional.of(MAULETTE), "2026-MAU-099"));
            assertEquals(403, forged.statusCode(), login + ": " + forged.body());
            assertTrue(forged.body().contains("Votre compte ne transmet pas pour la collectivité de SIREN 217803816"),
                    forged.body());
            for (String other : List.of(MAULETTE, Sessions.ALL)) {
                HttpResponse<String> r = b.postForm("/collectivite", form(b.csrf, "collectivite", other, "suite", "/suivi"));
                assertEquals(403, r.statusCode(), login + " switching to " + other);
            }
            assertTrue(b.get("/suivi").body().contains("<span id=\"collectivite-courante\">Commune de Houdan</span>"));
        }
        assertEquals(before, world(), "nothing changed in the journal nor at the TdT");
    }

    @Test
    void aCommuneAdministratorManagesOnlyTheAccountsOfHerCommune() throws Exception {
        Browser chef = signIn("chef.houdan");
        String list = chef.get("/comptes").body();
        TreeSet<String> shown = new TreeSet<>();
        Matcher m = Pattern.compile("<tr id=\"compte-([^\"]+)\"").matcher(list);
        while (m.find()) shown.add(m.group(1));
        assertTrue(shown.contains("marie.houdan") && shown.contains("chef.houdan"), shown.toString());
        assertFalse(shown.contains("paul.maulette") || shown.contains(WebFixture.LOGIN), shown.toString());
        assertFalse(list.contains("paul.maulette"), "nor in the latest changes");
        assertFalse(list.contains("id=\"compte-collectivites\""), "one collectivité to give: nothing to tick");

        List<Users.User> before = fx.connector.journal().users().list();
        assertEquals(404, chef.postForm("/comptes/paul.maulette/desactiver", form(chef.csrf)).statusCode());
        assertEquals(404, chef.get("/comptes/" + WebFixture.LOGIN + "/mot-de-passe").statusCode());
        assertEquals(404, chef.postForm("/comptes/" + WebFixture.LOGIN + "/supprimer", form(chef.csrf)).statusCode());
        HttpResponse<String> syndicate = chef.postForm("/comptes", form(chef.csrf, "identifiant", "pirate", "role", "admin",
                "syndicat", "oui", "motdepasse", "une tortue lit le journal", "confirmation", "une tortue lit le journal"));
        assertEquals(403, syndicate.statusCode(), syndicate.body());
        assertEquals(before, fx.connector.journal().users().list(), "nothing changed");

        HttpResponse<String> made = chef.postForm("/comptes", form(chef.csrf, "identifiant", "julie.houdan", "role", "agent",
                "collectivite_" + MAULETTE, "oui", "motdepasse", "une tortue lit le journal", "confirmation",
                "une tortue lit le journal"));
        assertEquals(303, made.statusCode(), made.body());
        assertEquals(Users.Scope.of(List.of(HOUDAN)), fx.connector.journal().users().find("julie.houdan").orElseThrow().scope(),
                "hers, the forged Maulette ignored");
    }

    @Test
    void anAccountWithoutCollectiviteIsRefusedUntilItIsGivenOne() throws Exception {
        Users users = fx.connector.journal().users();
        users.add("ancien", new Passwords(new java.security.SecureRandom()).hash(WebFixture.PASSWORD.toCharArray()),
                Users.Role.ADMIN, Optional.empty(), fr.actesconnector.model.Actor.commandLine());
        Browser b = new Browser(fx);
        b.get("/connexion");
        HttpResponse<String> refused = b.postForm("/connexion", form(b.csrf, "identifiant", "ancien", "motdepasse",
                WebFixture.PASSWORD));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("Ce compte n&#39;est rattaché à aucune collectivité de cette configuration"),
                refused.body());

        users.setScope("ancien", Users.Scope.of(List.of(MAULETTE)), fr.actesconnector.model.Actor.commandLine());
        Browser ancien = signIn("ancien");
        assertTrue(ancien.get("/suivi").body().contains("2026-MAU-001"));
        users.setScope("ancien", Users.Scope.NONE, fr.actesconnector.model.Actor.commandLine());
        HttpResponse<String> ended = ancien.get("/suivi");
        assertEquals(303, ended.statusCode(), "its session ends at its next page");
    }

    @Test
    void theSyndicateAdministratorMovesAnAccountToAnotherCommuneAndItSeesItAtItsNextPage() throws Exception {
        Users users = fx.connector.journal().users();
        fx.account("lea.houdan", Users.Role.AGENT, Users.Scope.of(List.of(HOUDAN)));
        Browser lea = signIn("lea.houdan");
        assertTrue(lea.get("/suivi").body().contains("2026-HOU-001"));

        Browser chef = signIn("chef.houdan");
        assertFalse(chef.get("/comptes").body().contains("/comptes/lea.houdan/collectivites"), "one commune: nothing to move");
        assertEquals(404, chef.get("/comptes/lea.houdan/collectivites").statusCode());
        assertEquals(404, chef.postForm("/comptes/lea.houdan/collectivites", form(chef.csrf, "collectivite_" + HOUDAN, "oui"))
                .statusCode());

        Browser b = new Browser(fx).login();
        assertTrue(b.get("/comptes").body().contains("href=\"/comptes/lea.houdan/collectivites\""));
        String page = b.get("/comptes/lea.houdan/collectivites").body();
        assertTrue(page.contains("id=\"compte-collectivite-" + HOUDAN + "\" name=\"collectivite_" + HOUDAN + "\" value=\"oui\" checked"),
                page);
        assertTrue(page.contains("id=\"compte-collectivite-" + MAULETTE + "\" name=\"collectivite_" + MAULETTE + "\" value=\"oui\">"),
                page);
        assertEquals(409, b.get("/comptes/" + WebFixture.LOGIN + "/collectivites").statusCode(), "not her own");

        HttpResponse<String> none = b.postForm("/comptes/lea.houdan/collectivites", form(b.csrf));
        assertEquals(422, none.statusCode(), none.body());
        assertTrue(none.body().contains("Cochez au moins une collectivité du compte"), none.body());
        HttpResponse<String> both = b.postForm("/comptes/lea.houdan/collectivites", form(b.csrf, "syndicat", "oui",
                "collectivite_" + MAULETTE, "oui"));
        assertEquals(422, both.statusCode(), both.body());
        assertTrue(both.body().contains("id=\"compte-collectivite-" + MAULETTE + "\" name=\"collectivite_" + MAULETTE
                + "\" value=\"oui\" checked"), "what was ticked comes back ticked");
        assertEquals(Users.Scope.of(List.of(HOUDAN)), users.find("lea.houdan").orElseThrow().scope(), "unchanged");

        HttpResponse<String> moved = b.postForm("/comptes/lea.houdan/collectivites", form(b.csrf, "collectivite_" + MAULETTE,
                "oui"));
        assertEquals(303, moved.statusCode(), moved.body());
        assertEquals(Users.Scope.of(List.of(MAULETTE)), users.find("lea.houdan").orElseThrow().scope());
        assertTrue(b.get("/comptes").body().contains("Collectivités du compte « lea.houdan » : Commune de Maulette."));
        assertTrue(users.changes(10).stream().anyMatch(c -> c.login().equals("lea.houdan")
                && c.detail().contains(MAULETTE) && c.actor().label().contains(WebFixture.LOGIN)), users.changes(10).toString());

        String now = lea.get("/suivi").body();
        assertTrue(now.contains("2026-MAU-001") && !now.contains("2026-HOU-001"), "her next page is Maulette's: " + now);
        assertEquals(404, lea.get("/actes/" + houdanActe.id()).statusCode());
    }

    // ------------------------------------------------------------------ the syndicate

    @Test
    void theSyndicateAdministratorSeesBothCommunesAndEveryOneAtOnceAndSwitches() throws Exception {
        Browser b = new Browser(fx).login();
        String first = b.get("/suivi").body();
        assertTrue(first.contains("<span id=\"collectivite-courante\">Commune de Houdan</span>"), "starts on the first");
        assertTrue(first.contains("<option value=\"toutes\">Toutes les collectivités</option>")
                && first.contains("<option value=\"217803105\" selected>Commune de Houdan</option>")
                && first.contains("<option value=\"217803816\">Commune de Maulette</option>"), first);
        assertFalse(first.contains("MAU"), first);

        choose(b, Sessions.ALL);
        String all = b.get("/suivi").body();
        assertTrue(all.contains("<span id=\"collectivite-courante\">Toutes les collectivités</span>"), all);
        assertTrue(all.contains("<th scope=\"col\">Collectivité</th>") && all.contains("<td>Commune de Maulette</td>")
                && all.contains("<td>Commune de Houdan</td>"), all);
        List<JournalEntry> every = fx.connector.journal().entries().list(EntryFilter.ALL);
        assertTrue(all.contains(every.size() + " actes dans le journal."), all);
        long maulettes = every.stream().filter(e -> e.siren().equals(MAULETTE)).count();
        assertTrue(b.get("/suivi?numero=2026-MAU").body().contains(maulettes + " actes correspondent à la recherche."));
        String choose = b.get("/transmettre").body();
        assertTrue(choose.contains("choisissez d&#39;abord") && !choose.contains("formulaire-acte"), choose);
        HttpResponse<String> none = b.postMultipart("/transmettre", acteForm(b.csrf, Optional.empty(), "2026-TOU-001"));
        assertEquals(409, none.statusCode(), none.body());

        choose(b, MAULETTE);
        String maulette = b.get("/suivi").body();
        assertTrue(maulette.contains("<span id=\"collectivite-courante\">Commune de Maulette</span>"));
        assertTrue(maulette.contains("2026-MAU-001") && !maulette.contains("2026-HOU-001"), maulette);
        assertEquals(200, b.get("/actes/" + houdanActe.id()).statusCode(), "Houdan's acte still opens for the syndicate");
        String accounts = b.get("/comptes").body();
        for (String login : List.of("marie.houdan", "chef.houdan", "paul.maulette", WebFixture.LOGIN)) {
            assertTrue(accounts.contains("<tr id=\"compte-" + login + "\">"), login);
        }
        assertTrue(accounts.contains("id=\"compte-syndicat\"") && accounts.contains("id=\"compte-collectivite-217803816\""));
    }

    @Test
    void eachCommunesFormSendsWithItsClassificationCertificateAndTdtAccount() throws Exception {
        Browser b = new Browser(fx).login();
        choose(b, HOUDAN);
        String houdan = b.get("/transmettre").body();
        assertTrue(houdan.contains("Classification de la préfecture du 20/11/2026."), houdan);
        assertTrue(houdan.contains("name=\"collectivite\" value=\"217803105\"") && !houdan.contains("id=\"signer\""),
                "Houdan has no signing certificate");
        choose(b, MAULETTE);
        String maulette = b.get("/transmettre").body();
        assertTrue(maulette.contains("Classification de la préfecture du 25/11/2026."), maulette);
        assertTrue(maulette.contains("name=\"collectivite\" value=\"217803816\"") && maulette.contains("id=\"signer\"")
                && maulette.contains("Transmis pour : <strong>Commune de Maulette</strong>"), maulette);

        assertEquals(Optional.of("houdan"), fx.simulator.poster(Long.parseLong(houdanActe.transactionId().orElseThrow())));
        assertEquals(Optional.of("maulette"), fx.simulator.poster(Long.parseLong(mauletteActe.transactionId().orElseThrow())));
        assertTrue(message(houdanActe).contains("ClassificationDateVersion>2026-11-20<"));
        assertTrue(message(mauletteActe).contains("ClassificationDateVersion>2026-11-25<"));
        assertTrue(mauletteActe.idActe().value().startsWith("078-217803816-"), mauletteActe.idActe().value());
        assertTrue(fx.connector.journal().files().archived(mauletteActe.id()).stream()
                .anyMatch(f -> f.role() == fr.actesconnector.journal.ArchivedFile.Role.SIGNATURE), "signed with Maulette's");

        // The form shown for Maulette, sent after switching to Houdan (in another tab): still Maulette's.
        choose(b, HOUDAN);
        long sent = transmit(b, MAULETTE, "2026-MAU-003", "Envoyé pour Maulette", false);
        JournalEntry e = fx.connector.journal().entries().findById(sent).orElseThrow();
        assertEquals(MAULETTE, e.siren());
        assertEquals(Optional.of("maulette"), fx.simulator.poster(Long.parseLong(e.transactionId().orElseThrow())));
    }

    // ------------------------------------------------------------------ helpers

    /** The page's main content, without the header (login, token) that differs from one account to another. */
    private static String main(String html) {
        return html.substring(html.indexOf("<main"), html.indexOf("</main>"));
    }

    /** Every link under the acte's own path on its page as {@code b} sees it, files and forms' pages. */
    private static List<String> routes(Browser b, JournalEntry e) throws Exception {
        String page = b.get("/actes/" + e.id()).body();
        List<String> routes = new ArrayList<>(List.of("/actes/" + e.id()));
        Matcher m = ACTE_LINK.matcher(page);
        while (m.find()) {
            if (m.group(2).equals(String.valueOf(e.id())) && !routes.contains(m.group(1))) routes.add(m.group(1));
        }
        return routes;
    }

    /** Everything an action could change: actes, their history, publications, letters and answers, the TdT's transactions. */
    record World(int transactions, List<JournalEntry> actes, List<Integer> histories,
                 List<Optional<fr.actesconnector.journal.Publications.Publication>> publications, List<Letters.Letter> letters,
                 List<Optional<Letters.Answer>> answers) {
    }

    private World world() {
        Journal journal = fx.connector.journal();
        List<JournalEntry> actes = journal.entries().list(EntryFilter.ALL);
        List<Letters.Letter> letters = new ArrayList<>();
        actes.forEach(e -> letters.addAll(journal.letters().ofActe(e.id())));
        return new World(fx.simulator.transactionCount(), actes, actes.stream().map(e -> journal.entries().history(e.id()).size()).toList(),
                actes.stream().map(e -> journal.publications().of(e.id())).toList(), letters,
                letters.stream().map(l -> journal.letters().answerOf(l.id())).toList());
    }

    private Browser signIn(String login) throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        HttpResponse<String> r = b.postForm("/connexion", form(b.csrf, "identifiant", login, "motdepasse", WebFixture.PASSWORD));
        assertEquals(303, r.statusCode(), login + ": " + r.body());
        b.get("/suivi");
        return b;
    }

    private static void choose(Browser b, String siren) throws Exception {
        b.get("/suivi");
        HttpResponse<String> r = b.postForm("/collectivite", form(b.csrf, "collectivite", siren, "suite", "/suivi"));
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/suivi", r.headers().firstValue("Location").orElse(""));
    }

    private static Map<String, String> form(String csrf, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("csrf", csrf);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private Multipart acteForm(String csrf, Optional<String> siren, String numero) throws IOException {
        Multipart m = new Multipart().field("csrf", csrf);
        if (siren.isPresent()) m.field("collectivite", siren.get());
        return m.field("numero", numero).field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4")
                .field("objet", "Délibération " + numero)
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")).field("typologie_document", "99_DC");
    }

    private long transmit(Browser b, String siren, String numero, String objet, boolean sign) throws Exception {
        Multipart m = new Multipart().field("csrf", b.csrf).field("collectivite", siren).field("numero", numero)
                .field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4").field("objet", objet)
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")).field("typologie_document", "99_DC");
        if (sign) m.field("signer", "oui");
        HttpResponse<String> r = b.postMultipart("/transmettre", m);
        assertEquals(303, r.statusCode(), r.body());
        return Long.parseLong(r.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
    }

    private JournalEntry settle(long id) {
        JournalEntry e = fx.connector.journal().entries().findById(id).orElseThrow();
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            fx.connector.poller("test").pollAllNow();
            e = fx.connector.journal().entries().findById(id).orElseThrow();
        }
        return e;
    }

    private Letters.Letter letter(JournalEntry e, LetterType type) {
        long tx = fx.simulator.issueLetter(Long.parseLong(e.transactionId().orElseThrow()), type, "Motif de la préfecture");
        assertEquals(1, fx.connector.fetchPrefectureDocuments());
        return fx.connector.journal().letters().byTransactionId(String.valueOf(tx)).orElseThrow();
    }

    private byte[] pdf(String title) throws IOException {
        return Files.readAllBytes(fx.pdf("piece-" + System.nanoTime() + ".pdf", title));
    }

    /** The Acte message (…-1-1_0.xml) of the acte's archive. */
    private static String message(JournalEntry e) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                Files.newInputStream(e.archivePath().orElseThrow())))) {
            for (TarArchiveEntry t = tar.getNextEntry(); t != null; t = tar.getNextEntry()) {
                if (t.getName().endsWith("-1-1_0.xml")) return new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
        throw new AssertionError("no Acte message in " + e.archivePath());
    }
}
