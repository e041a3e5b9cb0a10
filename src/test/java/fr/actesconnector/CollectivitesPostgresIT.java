package fr.actesconnector;

import fr.actesconnector.testing.LocalPostgres;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.simulator.SimulatorPki;
import fr.actesconnector.simulator.TdtSimulator;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;

/**
 * Two collectivités of one syndicate on a PostgreSQL journal, each with its own TdT account on the
 * simulator (Houdan: a login on the platform certificate; Maulette: its own copy of the certificate, its own
 * login and classification), both sending the same number: each acte is posted and polled with its own
 * account, numbered and classified for its own collectivité.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectivitesPostgresIT {
    static final Collectivite MAULETTE = new Collectivite("Commune de Maulette", "217803816", "078", "1", "31");

    @TempDir
    Path dir;
    LocalPostgres postgres;
    MutableClock clock = new MutableClock(Instant.now(), ZoneId.of("Europe/Paris"));

    @BeforeAll
    void startPostgres() throws IOException {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Test
    void eachActeIsPostedAndPolledWithItsCollectivitesOwnAccount() throws Exception {
        String journalUrl = postgres.createDatabase("syndicat");
        SimulatorPki pki = new SimulatorPki(dir.resolve("pki"), Clock.systemUTC());
        Path classification = Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        try (TdtSimulator tdt = TdtSimulator.builder().tls(pki.ensure()).pacing(Pacing.ONE_STEP_PER_POLL).clock(clock)
                .classification(classification).workDir(dir.resolve("sim"))
                .account("houdan", "mdp-houdan", Right.RW, Houdan.collectivite())
                .account("maulette", "mdp-maulette", Right.RW, MAULETTE).start()) {
            Path config = writeConfig(tdt, pki);
            // Houdan's TdT password from its ACTES_<SIREN>_ variable, Maulette's from its file
            Map<String, String> env = Map.of(ConnectorConfig.envName(Houdan.SIREN, "tdt.password"), "mdp-houdan",
                    "ACTES_JOURNAL_URL", journalUrl);
            Files.createDirectories(dir.resolve("docs"));
            Acte houdan = Houdan.acte(dir.resolve("docs"));
            // The same number in another commune: numbers are unique per collectivité, at the TdT as in the journal.
            Acte maulette = new Acte(MAULETTE, houdan.numero(), houdan.dateDecision(), houdan.nature(), houdan.classification(),
                    "Convention d'adhésion au service commun de télétransmission", houdan.pieces().get(0), List.of(), false);
            try (ActesConnector connector = new ActesConnector(ConnectorConfig.load(config, env), clock)) {
                JournalEntry h = connector.send(houdan, false).entry();
                JournalEntry m = connector.send(maulette, false).entry();
                long txH = Long.parseLong(h.transactionId().orElseThrow());
                long txM = Long.parseLong(m.transactionId().orElseThrow());
                assertEquals("houdan", tdt.poster(txH).orElseThrow());
                assertEquals("maulette", tdt.poster(txM).orElseThrow());

                // envelope counters per collectivité: each is its SIREN's first envelope of the day
                assertTrue(h.archivePath().orElseThrow().getFileName().toString().matches("TTT-EACT--217803105--\\d{8}-1\\.tar\\.gz"),
                        h.archivePath().toString());
                assertTrue(m.archivePath().orElseThrow().getFileName().toString().matches("TTT-EACT--217803816--\\d{8}-1\\.tar\\.gz"),
                        m.archivePath().toString());
                // each message carries its own collectivité's classification date
                assertTrue(message(h.archivePath().orElseThrow()).contains("ClassificationDateVersion>2026-11-20<"));
                assertTrue(message(m.archivePath().orElseThrow()).contains("ClassificationDateVersion>2026-11-25<"));

                for (int i = 0; i < 8 && (pending(connector, h) || pending(connector, m)); i++) {
                    clock.advance(Duration.ofMinutes(10));
                    connector.poller("syndicat").pollOnce();
                }
                JournalEntry hAfter = connector.journal().entries().findById(h.id()).orElseThrow();
                JournalEntry mAfter = connector.journal().entries().findById(m.id()).orElseThrow();
                assertEquals(TransmissionState.ACKNOWLEDGED, hAfter.state(), hAfter.lastError().orElse(""));
                assertEquals(TransmissionState.ACKNOWLEDGED, mAfter.state(), mAfter.lastError().orElse(""));
                assertEquals(Set.of("houdan"), tdt.statusReaders(txH));
                assertEquals(Set.of("maulette"), tdt.statusReaders(txM));
                assertEquals("078-217803816-" + Houdan.ID_ACTE.substring(14), mAfter.idActe().value());
                assertNotEquals(hAfter.idActe(), mAfter.idActe());
            }
        }
    }

    private static boolean pending(ActesConnector c, JournalEntry e) {
        return c.journal().entries().findById(e.id()).orElseThrow().state().isPending();
    }

    /** The syndicate's main file and one file per commune, as an operator would write them. */
    private Path writeConfig(TdtSimulator tdt, SimulatorPki pki) throws IOException {
        Path communes = Files.createDirectories(dir.resolve("collectivites"));
        Files.copy(pki.clientKeystore(), communes.resolve("maulette-client.p12"));
        Files.writeString(communes.resolve("classification-maulette.xml"), Files.readString(dir.resolve("classification-078.xml"),
                StandardCharsets.ISO_8859_1).replace("<actes:DateClassification>2026-11-20<", "<actes:DateClassification>2026-11-25<"),
                StandardCharsets.ISO_8859_1);
        write(dir.resolve("syndicat.properties"), "collectivites.dir=collectivites", "tdt.trigramme=TTT",
                "journal.user=postgres", "journal.password=postgres", "classification.file=classification-078.xml",
                "classification.max-age-days=3650", "tdt.url=" + tdt.url(), "tdt.client.keystore=" + pki.clientKeystore(),
                "tdt.client.password=" + password(pki.clientKeystore()), "tdt.truststore=" + pki.truststore(),
                "tdt.truststore.password=" + password(pki.truststore()), "tdt.timeout-seconds=10", "poll.interval-seconds=60",
                "collectivite.departement=078", "collectivite.arrondissement=1", "collectivite.nature=31");
        write(communes.resolve("houdan.properties"), "collectivite.nom=Commune de Houdan", "collectivite.siren=217803105",
                "retour.emails=secretariat@ville-houdan.fr", "tdt.login=houdan");
        write(communes.resolve("maulette.properties"), "collectivite.nom=Commune de Maulette", "collectivite.siren=217803816",
                "retour.emails=mairie@maulette.fr", "classification.file=classification-maulette.xml",
                "tdt.client.keystore=maulette-client.p12", "tdt.client.password=" + password(pki.clientKeystore()),
                "tdt.login=maulette", "tdt.password=mdp-maulette");
        return dir.resolve("syndicat.properties");
    }

    private static void write(Path file, String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String l : lines) text.append(l.replace("\\", "\\\\")).append('\n');
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String password(Path store) throws IOException {
        return Files.readString(SimulatorPki.passwordFile(store), StandardCharsets.US_ASCII).strip();
    }

    /** The Acte message (…-1-1_0.xml) of an archive. */
    private static String message(Path archive) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().endsWith("-1-1_0.xml")) return new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
        throw new AssertionError("no Acte message in " + archive);
    }
}
