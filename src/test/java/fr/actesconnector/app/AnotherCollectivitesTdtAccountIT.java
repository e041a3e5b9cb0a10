package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import jakarta.mail.internet.MimeMessage;

/**
 * A syndicate where Maulette was given Houdan's TdT account by mistake (neither file sets its own: both use the
 * simulator's one account, Houdan's). The TdT makes Maulette's acte Houdan's, as S²LOW does: the AR comes back under
 * Houdan's SIREN. The acte is acknowledged all the same, with its date, and the mismatch is said in its history, in
 * {@code status} and in the secretariat's mail; Houdan's own acte, rightly configured, carries no warning.
 */
class AnotherCollectivitesTdtAccountIT {
    static final String HOUDAN = "217803105";
    static final String MAULETTE = "217803816";
    static final String MAULETTE_ID = "078-217803816-20260427-2026_DEC_002-CC";
    static final String AS_HOUDAN_ID = "078-217803105-20260427-2026_DEC_002-CC";
    static final String HOUDAN_ID = "078-217803105-20260427-2026_DEC_001-CC";
    static final String WARNING = "L'accusé de réception porte l'identifiant " + AS_HOUDAN_ID + " et non " + MAULETTE_ID
            + " : l'acte a été transmis sous le SIREN " + HOUDAN + ". Vérifiez le compte TdT configuré pour cette collectivité.";

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void theArUnderAnotherSirenIsRecordedWithItsDateAndAWarningTheRightlyConfiguredCommuneGetsNone() throws Exception {
        GREENMAIL.setUser("secretariat@localhost", "secretariat", "secret");
        try (SimulatedTdt tdt = new SimulatedTdt(dir, Clock.systemUTC(), Pacing.ONE_STEP_PER_POLL, Map.of(
                "collectivites.dir", "collectivites",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(GREENMAIL.getSmtp().getPort()),
                "mail.smtp.tls", "false",
                "mail.smtp.from", "actes@syndicat.fr",
                "notify.to", "secretariat@localhost"))) {
            Path communes = Files.createDirectories(dir.resolve("collectivites"));
            Files.writeString(communes.resolve("houdan.properties"), "collectivite.nom=Commune de Houdan\n"
                    + "collectivite.siren=" + HOUDAN + "\n", StandardCharsets.UTF_8);
            Files.writeString(communes.resolve("maulette.properties"), "collectivite.nom=Commune de Maulette\n"
                    + "collectivite.siren=" + MAULETTE + "\n", StandardCharsets.UTF_8);
            String config = tdt.config().toString();
            Houdan.writePdf(dir.resolve("decision.pdf"), "Decision");

            send(config, HOUDAN, "2026-DEC-001");
            send(config, MAULETTE, "2026-DEC-002");
            for (int i = 0; i < 10 && status(config, "--state", "ACKNOWLEDGED").size() < 2; i++) {
                MainTest.Result poll = MainTest.run("poll", "--once", "--config", config);
                assertEquals(ExitCodes.OK, poll.exit(), poll.err());
            }

            Map<String, JsonNode> actes = new HashMap<>();
            status(config).forEach(o -> actes.put(o.path("idActe").asText(), o));
            LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
            JsonNode maulette = actes.get(MAULETTE_ID);
            assertEquals("ACKNOWLEDGED", maulette.path("state").asText(), maulette.toPrettyString());
            assertEquals(today.toString(), maulette.path("dateReception").asText(), "the prefecture's date is the legal one");
            assertEquals(WARNING, maulette.path("lastError").asText(), maulette.toPrettyString());
            JsonNode houdan = actes.get(HOUDAN_ID);
            assertEquals("ACKNOWLEDGED", houdan.path("state").asText(), houdan.toPrettyString());
            assertTrue(houdan.path("lastError").isNull(), houdan.toPrettyString());

            MainTest.Result text = MainTest.run("status", "--config", config);
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(MAULETTE_ID) && l.endsWith("(" + WARNING + ")")), text.out());
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(HOUDAN_ID) && !l.contains("(")), text.out());

            try (ActesConnector c = new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), Clock.systemUTC())) {
                long id = c.journal().entries().findByIdActe(new IdActe(MAULETTE_ID)).orElseThrow().id();
                List<String> history = c.journal().entries().history(id).stream().map(StateChange::detail)
                        .map(d -> d.orElse("")).toList();
                assertEquals(WARNING, history.get(history.size() - 1), history.toString());
                assertTrue(c.journal().replies().acknowledgement(id).orElseThrow().arActeXml().contains(AS_HOUDAN_ID));
                long houdanId = c.journal().entries().findByIdActe(new IdActe(HOUDAN_ID)).orElseThrow().id();
                assertFalse(c.journal().entries().history(houdanId).stream().anyMatch(h -> h.detail().orElse("")
                        .contains("L'accusé de réception porte")));
            }

            List<String> mails = new ArrayList<>();
            for (MimeMessage m : GREENMAIL.getReceivedMessages()) mails.add(m.getSubject() + "\n" + text(m));
            assertEquals(2, mails.size(), mails.toString());
            String toMaulette = mails.stream().filter(m -> m.contains(AS_HOUDAN_ID)).findFirst().orElseThrow();
            assertTrue(toMaulette.startsWith("ACTES : accusé de réception de l'acte " + AS_HOUDAN_ID + " : à vérifier\n"),
                    toMaulette);
            assertTrue(toMaulette.contains("ATTENTION"), toMaulette);
            assertTrue(toMaulette.contains(MAULETTE_ID), "the warning in the mail names the acte sent: " + toMaulette);
            String toHoudan = mails.stream().filter(m -> m.contains(HOUDAN_ID)).findFirst().orElseThrow();
            assertFalse(toHoudan.contains("ATTENTION") || toHoudan.contains("à vérifier"), toHoudan);
        }
    }

    private void send(String config, String siren, String number) {
        MainTest.Result r = MainTest.run("send", "--config", config, "--collectivite", siren, "--number", number,
                "--date", "2026-04-27", "--nature", "CC", "--classification", "1.4", "--subject",
                "Convention de groupement " + number, "--document", dir.resolve("decision.pdf").toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
    }

    /** The mail's text parts, decoded. */
    private static String text(MimeMessage m) throws Exception {
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mp.getCount(); i++) {
            if (mp.getBodyPart(i).getContent() instanceof String s) sb.append(s).append('\n');
        }
        return sb.toString();
    }

    private static JsonNode status(String config, String... filter) throws Exception {
        List<String> args = new ArrayList<>(List.of("status", "--json", "--config", config));
        args.addAll(List.of(filter));
        MainTest.Result r = MainTest.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        return new ObjectMapper().readTree(r.out());
    }
}
