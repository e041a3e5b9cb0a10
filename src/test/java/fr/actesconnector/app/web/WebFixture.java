package fr.actesconnector.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.Secret;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.simulator.SimulatorTls;
import fr.actesconnector.simulator.TdtSimulator;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.TestPki;

/**
 * A Houdan connector talking over mutual TLS to the in-process TdT simulator (acknowledging at the
 * first status read), its web page on a free loopback port, and one administrator's account. Made by
 * {@link #syndicate}: a syndicate of Houdan and Maulette instead, each with its own account on the simulator
 * (one platform certificate, a login each) and Maulette with its own classification (dated 25/11/2026) and
 * signing certificate (Houdan has none), the administrator's account being of the whole syndicate.
 */
final class WebFixture implements AutoCloseable {
    static final String LOGIN = "secretariat";
    static final String PASSWORD = "phrase de passe du secretariat";
    static final fr.actesconnector.model.Collectivite MAULETTE = new fr.actesconnector.model.Collectivite(
            "Commune de Maulette", "217803816", "078", "1", "31");
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    final Path dir;
    final TdtSimulator simulator;
    final ActesConnector connector;
    final WebServer server;

    WebFixture(Path dir, long maxArchiveBytes) throws Exception {
        this(dir, maxArchiveBytes, Clock.systemDefaultZone(), Optional.empty(), Duration.ofSeconds(2));
    }

    /**
     * With the web page's own clock (sessions, sign-in throttle), and an idle timeout and a refresh period of
     * its own ({@code idle} empty: {@code web.session-minutes}'s default).
     */
    WebFixture(Path dir, long maxArchiveBytes, Clock webClock, Optional<Duration> idle, Duration refresh) throws Exception {
        this(dir, maxArchiveBytes, webClock, idle, refresh, false, Map.of());
    }

    /** The syndicate of Houdan and Maulette; {@code env} overrides the configuration (e.g. {@code ACTES_JOURNAL_URL}). */
    static WebFixture syndicate(Path dir, Map<String, String> env) throws Exception {
        return new WebFixture(dir, 2L * 1024 * 1024, Clock.systemDefaultZone(), Optional.empty(), Duration.ofSeconds(2), true,
                env);
    }

    private WebFixture(Path dir, long maxArchiveBytes, Clock webClock, Optional<Duration> idle, Duration refresh,
                       boolean syndicate, Map<String, String> env) throws Exception {
        this.dir = dir;
        Path pki = Files.createDirectories(dir.resolve("pki"));
        TestPki ca = new TestPki("Simulated S2LOW CA");
        Path serverKeystore = ca.tlsServer().writePkcs12(pki.resolve("server.p12"), "server", STORE_PASSWORD);
        Path serverTrust = ca.writeTrustStore(pki.resolve("server-trust.p12"), STORE_PASSWORD);
        Path clientKeystore = ca.tlsClient("Mairie de Houdan").writePkcs12(pki.resolve("client.p12"), "client", STORE_PASSWORD);
        Path clientTrust = ca.writeTrustStore(pki.resolve("client-trust.p12"), STORE_PASSWORD);
        SimulatorTls tls = new SimulatorTls(serverKeystore, Secret.of("changeit"), serverTrust, Secret.of("changeit"));
        TdtSimulator.Builder builder = TdtSimulator.builder().tls(tls).pacing(Pacing.IMMEDIATE).workDir(dir.resolve("simulator"));
        if (syndicate) {
            builder.account("houdan", "mdp-houdan", Right.RW, Houdan.collectivite())
                    .account("maulette", "mdp-maulette", Right.RW, MAULETTE);
        }
        simulator = builder.start();
        try {
            Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
            String houdan = String.join("\n",
                    "collectivite.nom=Commune de Houdan",
                    "collectivite.siren=217803105",
                    "referent.nom=Secrétariat de la mairie",
                    "referent.email=secretariat@ville-houdan.fr",
                    "retour.emails=secretariat@ville-houdan.fr", "");
            String properties = String.join("\n",
                    syndicate ? "collectivites.dir=collectivites" : houdan,
                    "collectivite.departement=078",
                    "collectivite.arrondissement=1",
                    "collectivite.nature=31",
                    "classification.file=classification-078.xml",
                    "limits.max-archive-bytes=" + maxArchiveBytes,
                    "tdt.trigramme=TTT",
                    "tdt.url=" + simulator.url(),
                    "tdt.client.keystore=" + clientKeystore,
                    "tdt.client.password=changeit",
                    "tdt.truststore=" + clientTrust,
                    "tdt.truststore.password=changeit",
                    "tdt.timeout-seconds=10",
                    "journal.url=jdbc:h2:file:./data/journal",
                    "data.dir=data",
                    "poll.interval-seconds=1",
                    "web.port=0",
                    "");
            Path file = Files.writeString(dir.resolve("actes.properties"), properties, StandardCharsets.UTF_8);
            if (syndicate) writeCommunes(houdan);
            ConnectorConfig config = ConnectorConfig.load(file, env);
            connector = new ActesConnector(config, Clock.systemDefaultZone());
            Passwords passwords = new Passwords(new SecureRandom());
            connector.journal().users().add(LOGIN, passwords.hash(PASSWORD.toCharArray()), Users.Role.ADMIN,
                    Optional.of("Secrétariat de la mairie"), syndicate ? Users.Scope.syndicateWide() : Users.Scope.NONE,
                    Actor.commandLine());
            WebConfig web = WebConfig.from(config, Optional.empty());
            server = new WebServer(connector, new WebConfig(web.bind(), 0, idle.orElse(web.sessionIdle()), false, refresh,
                    web.maxUploadBytes(), web.signingAvailable()), webClock).start();
        } catch (Exception e) {
            simulator.close();
            throw e;
        }
    }

    /** Houdan's and Maulette's files: each its TdT login, Maulette its classification dated 25/11/2026 and its certificate. */
    private void writeCommunes(String houdan) throws IOException, java.security.GeneralSecurityException {
        Path communes = Files.createDirectories(dir.resolve("collectivites"));
        Files.writeString(communes.resolve("houdan.properties"), houdan + "tdt.login=houdan\ntdt.password=mdp-houdan\n",
                StandardCharsets.UTF_8);
        Files.writeString(communes.resolve("classification-maulette.xml"), Files.readString(dir.resolve("classification-078.xml"),
                StandardCharsets.ISO_8859_1).replace("<actes:DateClassification>2026-11-20<", "<actes:DateClassification>2026-11-25<"),
                StandardCharsets.ISO_8859_1);
        new TestPki("CA de test").signer("Commune de Maulette - TEST").writePkcs12(communes.resolve("signature-maulette.p12"),
                "signature", "motdepasse".toCharArray());
        Files.writeString(communes.resolve("maulette.properties"), String.join("\n",
                "signature.keystore=signature-maulette.p12",
                "signature.password=motdepasse",
                "collectivite.nom=" + MAULETTE.nom(),
                "collectivite.siren=" + MAULETTE.siren(),
                "referent.nom=Secrétariat de la mairie",
                "referent.email=mairie@maulette.fr",
                "retour.emails=mairie@maulette.fr",
                "classification.file=classification-maulette.xml",
                "tdt.login=maulette",
                "tdt.password=mdp-maulette", ""), StandardCharsets.UTF_8);
    }

    /** An account of {@code scope} with {@code role}, signed in with {@link #PASSWORD}. */
    void account(String login, Users.Role role, Users.Scope scope) {
        connector.journal().users().add(login, new Passwords(new SecureRandom()).hash(PASSWORD.toCharArray()), role,
                Optional.empty(), scope, Actor.commandLine());
    }

    String base() {
        return server.uri().toString();
    }

    /**
     * {@code n} actes registered straight in the journal (quick, nothing sent to the TdT): numbers
     * {@code PREFIX_001}…, objets {@code objet + " n° i"}; their journal ids, oldest first.
     */
    java.util.List<Long> registerActes(String prefix, int n, String objet) {
        return registerActes(Houdan.SIREN, prefix, n, objet);
    }

    /** As {@link #registerActes(String, int, String)}, for the collectivité {@code siren}. */
    java.util.List<Long> registerActes(String siren, String prefix, int n, String objet) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String numero = String.format("%s_%03d", prefix, i);
            fr.actesconnector.model.IdActe id = fr.actesconnector.model.IdActe.of("078", siren,
                    java.time.LocalDate.of(2026, 4, 27), numero, fr.actesconnector.model.Nature.DE);
            ids.add(connector.journal().register(new fr.actesconnector.journal.NewActe(id, siren, numero.replace('_', '-'),
                    numero, java.time.LocalDate.of(2026, 4, 27), fr.actesconnector.model.Nature.DE,
                    fr.actesconnector.model.Classification.of(1, 4), objet + " n° " + i, false)).entry().id());
        }
        return ids;
    }

    /** A one-page PDF named as the secretariat would name it. */
    Path pdf(String name, String title) throws IOException {
        return fr.actesconnector.testing.Houdan.writePdf(dir.resolve(name), title);
    }

    @Override
    public void close() {
        server.close();
        connector.close();
        simulator.close();
    }
}
