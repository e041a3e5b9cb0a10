package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Accounts sharing the client certificate, their rights, held actes and their release, with raw HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorAccountsIT {
    private static final String RETURN = "https://pastell.test/retour?error=%%ERROR%%&message=%%MESSAGE%%";

    private Path pkiDir;
    private RawS2low.Pki pki;
    private TdtSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        pkiDir = Files.createTempDirectory("simulator-accounts-pki");
        pki = RawS2low.Pki.create(pkiDir);
        simulator = TdtSimulator.builder().tls(pki.tls()).pacing(Pacing.ONE_STEP_PER_POLL)
                .account("agent", "secret-agent", Right.CS)
                .account("teletrans", "secret-tt", Right.TT)
                .account("admin", "secret-admin", Right.RW)
                .start();
    }

    @AfterAll
    void stop() {
        simulator.close();
        TdtSimulator.quietlyDeleteTree(pkiDir);
    }

    private RawS2low as(String login, String password) throws Exception {
        return new RawS2low(simulator.url(), pki, login, password);
    }

    private static String confirm(long id) {
        return "/modules/actes/actes_transac_post_confirm_api.php?id=" + id + "&url_return=" + RETURN.replace("%", "%25")
                .replace("&", "%26").replace("?", "%3F").replace(":", "%3A").replace("/", "%2F").replace("=", "%3D");
    }

    @Test
    @DisplayName("several accounts on one certificate: HTTP Basic picks one, else the login page (class/Authentification.php)")
    void basicAuthenticationPicksTheAccount() throws Exception {
        try (RawS2low nobody = new RawS2low(simulator.url(), pki);
             RawS2low wrong = as("agent", "nope");
             RawS2low agent = as("agent", "secret-agent")) {
            RawS2low.Reply browser = nobody.get(TdtSimulator.STATUS + "?transaction=1");
            assertEquals(302, browser.code());
            assertEquals("/login.php", browser.location());
            assertEquals("KO\nLa connexion n&#039;a pas pu être établie\n", nobody.get("/api/test-connexion.php?api=1").latin1());
            assertEquals("/connexion-status", wrong.get("/api/test-connexion.php").location());
            assertEquals("KO\nLe certificat n&#039;est pas valide : aucun compte trouvé\n",
                    wrong.get("/api/test-connexion.php?api=1").latin1());
            assertEquals("OK", agent.get("/api/test-connexion.php").latin1());
            assertEquals("agent\nteletrans\nadmin\n", nobody.get("/admin/users/api-list-login.php").latin1());
        }
    }

    @Test
    @DisplayName("a CS account's actes are all held in 17; TT cannot post; status needs RW (actes_transac_create.php, actes_transac_get_status.php, class/User.php checkDroit)")
    void csAccountHoldsEveryActe() throws Exception {
        try (RawS2low agent = as("agent", "secret-agent");
             RawS2low teletrans = as("teletrans", "secret-tt");
             RawS2low admin = as("admin", "secret-admin")) {
            long id = RawS2low.createdId(agent.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TENU_1", "99_DC")));
            assertEquals(Optional.of(17), simulator.status(id), "en_attente=0 is not enough for a CS account");
            assertEquals("KO\nAccès refusé", agent.get(TdtSimulator.STATUS + "?transaction=" + id).utf8(), "canEdit: RW only");
            assertEquals("OK\n17\n", admin.get(TdtSimulator.STATUS + "?transaction=" + id).latin1());
            assertTrue(admin.get("/modules/actes/api/list_actes.php?status_id=17").utf8().contains("\"id\":\"" + id + "\""));
            assertTrue(agent.get("/modules/actes/actes_transac_get_files_list.php?transaction=" + id).utf8().startsWith("[{"),
                    "17 is a status outside 1-3: get_files_list answers (actes_transac_get_files_list.php)");

            int before = simulator.transactionCount();
            assertEquals("KO\nAccès refusé\n", teletrans.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TENU_2", "99_DC")).latin1(),
                    "checkDroit(actes, CS) is false for TT");
            assertEquals(before, simulator.transactionCount());
        }
    }

    @Test
    @DisplayName("an RW account honours en_attente, the last value of a repeated field winning as in PHP (actes_transac_create.php, ActesTransaction::save)")
    void rwAccountHonoursEnAttente() throws Exception {
        try (RawS2low admin = as("admin", "secret-admin")) {
            long straight = RawS2low.createdId(admin.post(TdtSimulator.CREATE, RawS2low.acte(dir, "ATTENTE_1", "99_DC")));
            assertEquals("OK\n1\n", admin.get(TdtSimulator.STATUS + "?transaction=" + straight).latin1());
            MultipartEntityBuilder held = RawS2low.text(RawS2low.acte(dir, "ATTENTE_2", "99_DC"), "en_attente", "1");
            long waiting = RawS2low.createdId(admin.post(TdtSimulator.CREATE, held));
            assertEquals("OK\n17\n", admin.get(TdtSimulator.STATUS + "?transaction=" + waiting).latin1());
        }
    }

    @Test
    @DisplayName("post_confirm_api: a TT account releases 17 → 1; every outcome a 302 to url_return (actes_transac_post_confirm_api.php)")
    void postConfirmReleasesAHeldActe() throws Exception {
        try (RawS2low agent = as("agent", "secret-agent");
             RawS2low teletrans = as("teletrans", "secret-tt");
             RawS2low admin = as("admin", "secret-admin")) {
            long id = RawS2low.createdId(agent.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TENU_3", "99_DC")));

            RawS2low.Reply refused = agent.get(confirm(id));
            assertEquals(302, refused.code());
            assertEquals("https://pastell.test/retour?error=1&message=Accès refusé", refused.location(), "raw, not URL-encoded");
            assertEquals("https://pastell.test/retour?error=1&message=Pas d'identifiant de transaction spécifié",
                    teletrans.get(confirm(0)).location());
            assertEquals("https://pastell.test/retour?error=1&message=Erreur d'initialisation de la transaction.",
                    teletrans.get(confirm(999_999)).location());

            RawS2low.Reply released = teletrans.get(confirm(id));
            assertEquals(302, released.code());
            assertEquals("https://pastell.test/retour?error=0&message=", released.location());
            assertEquals("OK\n1\n", admin.get(TdtSimulator.STATUS + "?transaction=" + id).latin1());
            assertEquals("https://pastell.test/retour?error=1&message=La transaction n'est pas dans le statut « En attente d'être posté»",
                    teletrans.get(confirm(id)).location());
            assertEquals("OK\n2\n", admin.get(TdtSimulator.STATUS + "?transaction=" + id).latin1(), "then it moves on");
        }
    }
}
