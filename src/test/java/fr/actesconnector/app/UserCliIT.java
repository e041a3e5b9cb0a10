package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Actor;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;

/**
 * {@code user …} and who acted, from the jar: the first account is an administrator, the next ones agents unless
 * {@code --role} says otherwise; {@code user list} shows role and state; the last active administrator is kept; an
 * acte sent from the command line is recorded as sent by it and the OS user.
 */
class UserCliIT {
    private static final String OS_USER = System.getProperty("user.name");

    @TempDir
    Path dir;
    SimulatedTdt tdt;

    @BeforeEach
    void start() throws Exception {
        tdt = new SimulatedTdt(dir, new MutableClock(Instant.parse("2026-04-29T08:00:00Z"), ZoneId.of("Europe/Paris")),
                Pacing.IMMEDIATE, Map.of());
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");
    }

    @AfterEach
    void stop() {
        tdt.close();
    }

    /** The jar with {@code stdin} as its standard input (no console: the password is its first line). */
    private CliIT.Run cli(String stdin, String... args) throws Exception {
        return cli(tdt.config(), stdin, args);
    }

    private CliIT.Run cli(Path config, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", CliIT.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--config", config.toString()));
        Path in = Files.writeString(Files.createTempFile(dir, "in", ".txt"), stdin, StandardCharsets.UTF_8);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "command did not finish: " + cmd);
        return new CliIT.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private ActesConnector open() {
        return new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), Clock.systemDefaultZone());
    }

    @Test
    void rolesStatesAndTheLastAdministratorFromTheCommandLine() throws Exception {
        CliIT.Run first = cli("le phare dort sous la lune\n", "user", "add", "chef");
        assertEquals(0, first.exit(), first.err());
        assertEquals("Compte « chef » créé (administrateur).", first.out().strip(), "the first account manages the others");
        CliIT.Run agent = cli("trois pommes sur le buffet\n", "user", "add", "marie.dupont", "--nom", "Marie Dupont");
        assertEquals(0, agent.exit(), agent.err());
        assertTrue(agent.out().contains("créé (agent)"), agent.out());
        CliIT.Run admin = cli("une tortue lit le journal\n", "user", "add", "adjoint", "--role", "admin");
        assertEquals(0, admin.exit(), admin.err());
        assertTrue(admin.out().contains("créé (administrateur)"), admin.out());

        CliIT.Run badRole = cli("une tortue lit le journal\n", "user", "add", "autre", "--role", "maire");
        assertEquals(2, badRole.exit());
        assertTrue(badRole.err().contains("Le rôle « maire » est inconnu : agent ou admin."), badRole.err());
        CliIT.Run weak = cli("azertyazerty\n", "user", "add", "autre");
        assertEquals(2, weak.exit());
        assertTrue(weak.err().contains("répète le même motif"), weak.err());

        assertEquals(0, cli("", "user", "disable", "marie.dupont").exit());
        assertEquals(0, cli("", "user", "disable", "adjoint").exit());
        CliIT.Run last = cli("", "user", "disable", "chef");
        assertEquals(2, last.exit());
        assertTrue(last.err().contains("« chef » est le seul administrateur actif"), last.err());
        CliIT.Run nobody = cli("", "user", "enable", "personne");
        assertEquals(2, nobody.exit());
        assertTrue(nobody.err().contains("Aucun compte « personne »"), nobody.err());

        CliIT.Run list = cli("", "user", "list");
        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.outLines();
        assertEquals(3, lines.size(), list.out());
        assertTrue(lines.get(0).matches("adjoint\tadmin\tdésactivé\tCommune de Houdan \\(SIREN 217803105\\)\tcréé le "
                + "\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d"), lines.get(0));
        assertTrue(lines.get(1).startsWith("chef\tadmin\tactif\t"), lines.get(1));
        assertTrue(lines.get(2).startsWith("marie.dupont\tagent\tdésactivé\t") && lines.get(2).endsWith("\tMarie Dupont"),
                lines.get(2));
        assertEquals(0, cli("", "user", "enable", "marie.dupont").exit());

        try (ActesConnector c = open()) {
            Users users = c.journal().users();
            assertEquals(Optional.of(false), users.find("marie.dupont").map(Users.User::disabled));
            Users.Change latest = users.changes(1).get(0);
            assertEquals("compte réactivé", latest.detail());
            assertEquals(new Actor(Actor.Kind.COMMAND_LINE, OS_USER), latest.actor());
            assertEquals("la ligne de commande (" + OS_USER + ")", latest.actor().label());
        }
    }

    @Test
    void anActeSentAndPublishedFromTheCommandLineNamesItAndTheOsUser() throws Exception {
        CliIT.Run sent = cli("", "send", "--number", "2026-DEC-020", "--date", "2026-04-27", "--nature", "CC",
                "--classification", "1.4", "--subject", Houdan.OBJET_DECISION, "--document", dir.resolve("decision.pdf").toString());
        assertEquals(0, sent.exit(), sent.err());
        CliIT.Run published = cli("", "publish", "--acte", Houdan.ID_ACTE, "--date", "2026-04-28", "--mode", "publication");
        assertEquals(0, published.exit(), published.err());
        try (ActesConnector c = open()) {
            JournalEntry e = c.journal().entries().list(fr.actesconnector.journal.EntryFilter.ALL).get(0);
            List<StateChange> h = c.journal().entries().history(e.id());
            Actor cli = new Actor(Actor.Kind.COMMAND_LINE, OS_USER);
            assertEquals(Optional.of(cli), h.get(0).actor(), "registered by the command line");
            assertEquals(Optional.of(cli), h.get(1).actor(), "posted by the command line");
            StateChange publication = h.get(h.size() - 1);
            assertEquals(Optional.of("publication du 28/04/2026 enregistrée"), publication.detail());
            assertEquals(Optional.of(cli), publication.actor());
        }
    }

    /**
     * The syndicate of {@code config/} (Houdan and Maulette): an account is given its collectivités or the whole
     * syndicate, never none; {@code user list} shows them and {@code user collectivites} changes them.
     */
    @Test
    void inASyndicateEachAccountIsGivenItsCollectivitesOrTheWholeSyndicate() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("syndicat").resolve("collectivites"));
        Files.copy(Path.of("config", "classification-078.xml"), conf.getParent().resolve("classification-078.xml"));
        Files.copy(Path.of("config", "syndicat.properties"), conf.getParent().resolve("syndicat.properties"));
        for (String f : List.of("houdan.properties", "maulette.properties")) {
            Files.copy(Path.of("config", "collectivites", f), conf.resolve(f));
        }
        Path config = conf.getParent().resolve("syndicat.properties");

        CliIT.Run missing = cli(config, "le phare dort sous la lune\n", "user", "add", "marie");
        assertEquals(2, missing.exit(), missing.out());
        assertTrue(missing.err().contains("Cette configuration compte 2 collectivités (Commune de Houdan (SIREN 217803105), "
                + "Commune de Maulette (SIREN 217803816)) : indiquez celles du compte avec --collectivite SIREN (répétable), ou "
                + "--syndicat pour un compte de tout le syndicat."), missing.err());
        CliIT.Run both = cli(config, "le phare dort sous la lune\n", "user", "add", "marie", "--syndicat", "--collectivite",
                "217803105");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--syndicat et --collectivite s'excluent"), both.err());
        CliIT.Run unknown = cli(config, "le phare dort sous la lune\n", "user", "add", "marie", "--collectivite", "200000000");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("La collectivité de SIREN 200000000 n'est pas dans la configuration"), unknown.err());
        CliIT.Run named = cli(config, "la fontaine de maulette\n", "user", "add", "paul", "--collectivite", "217803816");
        assertEquals(2, named.exit());
        assertTrue(named.err().contains("le nom de la collectivité (« maulette »)"), named.err());

        CliIT.Run syndic = cli(config, "le phare dort sous la lune\n", "user", "add", "syndic", "--syndicat");
        assertEquals(0, syndic.exit(), syndic.err());
        assertEquals("Compte « syndic » créé (administrateur ; tout le syndicat).", syndic.out().strip());
        CliIT.Run marie = cli(config, "trois pommes sur le buffet\n", "user", "add", "marie", "--collectivite", "217803816",
                "--collectivite", "217803105");
        assertEquals(0, marie.exit(), marie.err());
        assertEquals("Compte « marie » créé (agent ; Commune de Houdan (SIREN 217803105), Commune de Maulette (SIREN "
                + "217803816)).", marie.out().strip());

        List<String> lines = cli(config, "", "user", "list").outLines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("marie\tagent\tactif\tCommune de Houdan (SIREN 217803105), Commune de Maulette "
                + "(SIREN 217803816)\tcréé le "), lines.get(0));
        assertTrue(lines.get(1).startsWith("syndic\tadmin\tactif\ttout le syndicat\tcréé le "), lines.get(1));

        CliIT.Run changed = cli(config, "", "user", "collectivites", "marie", "--collectivite", "217803816");
        assertEquals(0, changed.exit(), changed.err());
        assertEquals("Compte « marie » : Commune de Maulette (SIREN 217803816).", changed.out().strip());
        assertTrue(cli(config, "", "user", "list").outLines().get(0).startsWith("marie\tagent\tactif\tCommune de Maulette "
                + "(SIREN 217803816)\t"));
        CliIT.Run none = cli(config, "", "user", "collectivites", "marie");
        assertEquals(2, none.exit(), "never none: " + none.out());
        assertTrue(none.err().contains("indiquez celles du compte avec --collectivite SIREN"), none.err());
        assertEquals(2, cli(config, "", "user", "collectivites", "personne", "--syndicat").exit());
    }
}
