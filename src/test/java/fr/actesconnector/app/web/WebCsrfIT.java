package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Actor;
import fr.actesconnector.simulator.LetterType;

/**
 * Every state-changing POST of the web page, one row each, refused with 403 and the CSRF message when the
 * token is missing or is another session's, with nothing changed in the journal, the accounts or the TdT.
 * Each row's request is otherwise valid (it would succeed with the session's own token), so the 403 can only
 * come from the CSRF check. A crawl of the pages guards the table: a new POST form without a row fails. The page is
 * a syndicate's (two collectivités) seen by its administrator, so that every form shows, the header's choice too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebCsrfIT {
    private static final String CSRF_MESSAGE = "jeton de sécurité absent ou incorrect";
    private static final String NEW_PASSWORD = "une tortue lit le journal";

    private WebFixture fx;
    private Users users;
    private JournalEntry acknowledged;
    private JournalEntry refused;
    private Letters.Letter demandePieces;
    private Letters.Letter observations;

    /** Posts as {@code b} with {@code csrf} as the token, or no token when null. */
    @FunctionalInterface
    interface Post {
        HttpResponse<String> send(Browser b, String csrf) throws Exception;
    }

    /** What must still hold after the refusals, beyond the world left unchanged. */
    @FunctionalInterface
    interface After {
        void check(Browser b) throws Exception;
    }

    /** One POST route: its path with ids as placeholders (as the crawl normalises them), its request, its extra check. */
    record Row(String route, boolean anonymous, Post post, After after) {
        @Override
        public String toString() {
            return "POST " + route;
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = WebFixture.syndicate(dir, Map.of());
        users = fx.connector.journal().users();
        Browser b = new Browser(fx).login();
        acknowledged = acknowledged(b, "2026-CSR-001");
        demandePieces = letter(acknowledged, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);
        observations = letter(acknowledged(b, "2026-CSR-002"), LetterType.LETTRE_OBSERVATIONS);
        assertTrue(observations.recoursGracieux(), "a 4-1 starts as a recours gracieux: the refused form would clear it");
        fx.simulator.failNextWithAnomalie("2026_CSR_003", "002", "classification date not up to date");
        refused = settle(transmit(b, "2026-CSR-003"));
        assertEquals(TransmissionState.REJECTED, refused.state());
        account("cible.csrf", false);
        account("inactif.csrf", true);
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    // ------------------------------------------------------------------ the table

    Stream<Arguments> rows() throws IOException {
        String acte = "/actes/" + acknowledged.id();
        String letters = acte + "/courriers/";
        return Stream.of(
                new Row("/connexion", true, (b, t) -> b.postForm("/connexion", form(t, "identifiant", WebFixture.LOGIN,
                        "motdepasse", WebFixture.PASSWORD)), WebCsrfIT::signedOut),
                new Row("/deconnexion", false, (b, t) -> b.postForm("/deconnexion", form(t)),
                        b -> assertEquals(200, b.get("/suivi").statusCode(), "the session survives the refused sign-out")),
                new Row("/transmettre", false, (b, t) -> b.postMultipart("/transmettre", acte(t, "2026-CSR-010")), b -> { }),
                new Row("/collectivite", false, (b, t) -> b.postForm("/collectivite", form(t, "collectivite",
                        WebFixture.MAULETTE.siren(), "suite", "/suivi")), b -> assertTrue(b.get("/suivi").body().contains(
                                "<span id=\"collectivite-courante\">Commune de Houdan</span>"), "the choice stays Houdan")),
                new Row("/actes/{id}/annuler", false, (b, t) -> b.postForm(acte + "/annuler", form(t)), b -> { }),
                new Row("/actes/{id}/publication", false, (b, t) -> b.postForm(acte + "/publication", form(t,
                        "date", acknowledged.dateReception().orElseThrow().toString(), "mode", "publication")), b -> { }),
                new Row("/actes/{id}/corriger", false, (b, t) -> b.postMultipart("/actes/" + refused.id() + "/corriger",
                        acte(t, "2026-CSR-003B")), b -> { }),
                new Row("/actes/{id}/courriers/{lettre}/repondre", false, (b, t) -> b.postMultipart(letters
                        + demandePieces.id() + "/repondre", answer(t)), b -> { }),
                new Row("/actes/{id}/courriers/{lettre}/recours-gracieux", false, (b, t) -> b.postForm("/actes/"
                        + observations.acteId() + "/courriers/" + observations.id() + "/recours-gracieux", form(t)), b -> { }),
                new Row("/comptes", false, (b, t) -> b.postForm("/comptes", form(t, "identifiant", "nouveau.csrf",
                        "nom", "Nouveau", "role", "admin", "syndicat", "oui", "motdepasse", NEW_PASSWORD, "confirmation",
                        NEW_PASSWORD)), b -> { }),
                new Row("/comptes/{login}/desactiver", false, (b, t) -> b.postForm("/comptes/cible.csrf/desactiver", form(t)),
                        b -> { }),
                new Row("/comptes/{login}/activer", false, (b, t) -> b.postForm("/comptes/inactif.csrf/activer", form(t)),
                        b -> { }),
                new Row("/comptes/{login}/supprimer", false, (b, t) -> b.postForm("/comptes/cible.csrf/supprimer", form(t)),
                        b -> { }),
                new Row("/comptes/{login}/mot-de-passe", false, (b, t) -> b.postForm("/comptes/cible.csrf/mot-de-passe",
                        form(t, "motdepasse", NEW_PASSWORD, "confirmation", NEW_PASSWORD)), b -> { }),
                new Row("/comptes/{login}/collectivites", false, (b, t) -> b.postForm("/comptes/cible.csrf/collectivites",
                        form(t, "collectivite_" + WebFixture.MAULETTE.siren(), "oui")), b -> { }),
                new Row("/mot-de-passe", false, (b, t) -> b.postForm("/mot-de-passe", form(t, "actuel", WebFixture.PASSWORD,
                        "motdepasse", NEW_PASSWORD, "confirmation", NEW_PASSWORD)), b -> {
                            assertEquals(200, b.get("/suivi").statusCode(), "the session goes on");
                            signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
                        }))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithoutTheSessionsOwnTokenAndNothingChanges(Row row) throws Exception {
        Browser b = row.anonymous() ? anonymous() : new Browser(fx).login();
        Browser other = row.anonymous() ? anonymous() : new Browser(fx).login();
        assertTrue(b.csrf != null && other.csrf != null && !b.csrf.equals(other.csrf), "two sessions, two tokens");
        World before = world();
        for (String token : new String[] {null, other.csrf}) {
            String which = (token == null ? "no token" : "another session's token") + " on " + row;
            HttpResponse<String> r = row.post().send(b, token);
            assertEquals(403, r.statusCode(), which + ": " + r.body());
            assertTrue(r.body().contains(CSRF_MESSAGE), which + ": " + r.body());
            assertEquals(before, world(), which + ": something changed");
        }
        row.after().check(b);
        assertEquals(before, world(), row + ": something changed");
    }

    // ------------------------------------------------------------------ the table's completeness

    private static final Pattern POST_FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("href=\"(/[^\"#?]*)");
    /** Files, not pages: never HTML, no form in them. */
    private static final Pattern FILE = Pattern.compile(
            "^/static/.*|.*/(document|signature)/\\d+$|.*/(archive|ar\\.xml|preuve|pdf)$");

    /**
     * Walks every page reachable by a link from the menu, as an administrator (and the sign-in page as nobody),
     * collects the action of every POST form, and wants exactly the routes of the table: a form added later
     * without its CSRF row fails here.
     */
    @Test
    void everyPostFormOfThePageHasItsRowInTheTable() throws Exception {
        Set<String> table = new TreeSet<>();
        rows().forEach(a -> table.add(((Row) a.get()[0]).route()));
        Set<String> found = new TreeSet<>();
        Browser nobody = anonymous();
        collectForms(nobody.get("/connexion").body(), found);
        Browser admin = new Browser(fx).login();
        Deque<String> todo = new ArrayDeque<>(List.of("/suivi", "/transmettre", "/comptes", "/mot-de-passe"));
        Set<String> seen = new HashSet<>(todo);
        int pages = 0;
        while (!todo.isEmpty()) {
            String path = todo.poll();
            HttpResponse<String> r = admin.get(path);
            if (r.statusCode() != 200 || !r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) continue;
            pages++;
            collectForms(r.body(), found);
            Matcher m = LINK.matcher(r.body());
            while (m.find()) {
                String link = m.group(1);
                if (!FILE.matcher(link).matches() && seen.add(link)) todo.add(link);
            }
        }
        assertTrue(pages >= 10, "the crawl reached " + pages + " pages only: " + seen);
        assertTrue(seen.contains("/actes/" + refused.id() + "/corriger") && seen.contains("/actes/" + acknowledged.id()
                + "/annuler") && seen.contains("/comptes/cible.csrf/supprimer"), "the confirmation pages are crawled: " + seen);
        assertEquals(table, found, "POST forms found on the pages vs the rows of the CSRF table");
    }

    private static void collectForms(String html, Set<String> found) {
        Matcher m = POST_FORM.matcher(html);
        while (m.find()) {
            found.add(m.group(1).replaceAll("^/actes/\\d+", "/actes/{id}").replaceAll("/courriers/\\d+", "/courriers/{lettre}")
                    .replaceAll("^/comptes/[^/]+/", "/comptes/{login}/"));
        }
    }

    // ------------------------------------------------------------------ nothing changed

    /** Everything a POST of the page could change: actes, their history, publications, letters and answers, accounts, the TdT. */
    record World(int transactions, List<JournalEntry> actes, List<Integer> histories, List<Optional<Publications.Publication>>
            publications, List<Letters.Letter> letters, List<Optional<Letters.Answer>> answers, List<Users.User> accounts,
                 List<Optional<String>> hashes) {
    }

    private World world() {
        Journal journal = fx.connector.journal();
        List<JournalEntry> actes = journal.entries().list(EntryFilter.ALL);
        List<Letters.Letter> letters = new ArrayList<>();
        actes.forEach(e -> letters.addAll(journal.letters().ofActe(e.id())));
        List<Users.User> accounts = users.list();
        return new World(fx.simulator.transactionCount(), actes, actes.stream().map(e -> journal.entries().history(e.id()).size()).toList(),
                actes.stream().map(e -> journal.publications().of(e.id())).toList(), letters,
                letters.stream().map(l -> journal.letters().answerOf(l.id())).toList(), accounts,
                accounts.stream().map(u -> users.passwordHash(u.login())).toList());
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> form(String csrf, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        if (csrf != null) m.put("csrf", csrf);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private Multipart acte(String csrf, String numero) throws IOException {
        Multipart m = new Multipart();
        if (csrf != null) m.field("csrf", csrf);
        return m.field("numero", numero).field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4")
                .field("objet", "Délibération " + numero)
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")).field("typologie_document", "99_DC");
    }

    private Multipart answer(String csrf) throws IOException {
        Multipart m = new Multipart();
        if (csrf != null) m.field("csrf", csrf);
        return m.field("genre", "pieces").file("document", "reponse.pdf", "application/pdf", pdf("Reponse"));
    }

    private byte[] pdf(String title) throws IOException {
        return Files.readAllBytes(fx.pdf("piece-" + System.nanoTime() + ".pdf", title));
    }

    private long transmit(Browser b, String numero) throws Exception {
        b.get("/transmettre");
        HttpResponse<String> r = b.postMultipart("/transmettre", acte(b.csrf, numero));
        assertEquals(303, r.statusCode(), r.body());
        return Long.parseLong(r.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
    }

    private JournalEntry settle(long id) {
        for (int i = 0; i < 10 && entry(id).state().isPending(); i++) fx.connector.poller("test").pollAllNow();
        return entry(id);
    }

    private JournalEntry acknowledged(Browser b, String numero) throws Exception {
        JournalEntry e = settle(transmit(b, numero));
        assertEquals(TransmissionState.ACKNOWLEDGED, e.state(), e.toString());
        return e;
    }

    private JournalEntry entry(long id) {
        return fx.connector.journal().entries().findById(id).orElseThrow();
    }

    private Letters.Letter letter(JournalEntry e, LetterType type) {
        long tx = fx.simulator.issueLetter(Long.parseLong(e.transactionId().orElseThrow()), type, "Motif de la préfecture");
        assertEquals(1, fx.connector.fetchPrefectureDocuments());
        return fx.connector.journal().letters().byTransactionId(String.valueOf(tx)).orElseThrow();
    }

    private void account(String login, boolean disabled) {
        users.add(login, new Passwords(new SecureRandom()).hash("le phare dort sous la lune".toCharArray()), Users.Role.AGENT,
                Optional.empty(), Actor.commandLine());
        if (disabled) users.setDisabled(login, true, Actor.commandLine());
    }

    private Browser anonymous() throws Exception {
        Browser b = new Browser(fx);
        assertEquals(200, b.get("/connexion").statusCode());
        return b;
    }

    private void signIn(String login, String password) throws Exception {
        Browser b = anonymous();
        HttpResponse<String> r = b.postForm("/connexion", form(b.csrf, "identifiant", login, "motdepasse", password));
        assertEquals(303, r.statusCode(), "the old password still works: " + r.body());
    }

    private static void signedOut(Browser b) throws Exception {
        HttpResponse<String> r = b.get("/suivi");
        assertEquals(303, r.statusCode(), "not signed in");
        String location = r.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith("/connexion?suite=%2Fsuivi"), "to the sign-in, then back to the list: " + location);
    }
}
