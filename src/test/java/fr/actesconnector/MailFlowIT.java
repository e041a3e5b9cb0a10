package fr.actesconnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

import fr.actesconnector.inbox.InboxFixtures;
import fr.actesconnector.inbox.IntakeResult;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.MutableClock;
import fr.actesconnector.testing.SimulatedTdt;
import jakarta.mail.internet.MimeMessage;

/**
 * The ministry's AR by e-mail (a real IMAP/SMTP server, GreenMail): the seed-shaped mail is read
 * from the mailbox, the acte becomes ACKNOWLEDGED with DateReception 2026-04-29, the mail is moved,
 * and the secretariat's notification arrives and reads correctly.
 */
class MailFlowIT {
    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path dir;

    @Test
    void seedArMailFromImapAcknowledgesTheActeAndNotifiesTheSecretariat() throws Exception {
        GreenMailUser box = GREENMAIL.setUser("s2low@localhost", "s2low", "boite-secrete");
        GREENMAIL.setUser("secretariat@localhost", "secretariat", "autre-secret");
        MutableClock clock = new MutableClock(Instant.parse("2026-04-29T08:00:00Z"), ZoneId.of("Europe/Paris"));
        try (SimulatedTdt tdt = new SimulatedTdt(dir, clock, Pacing.afterPolls(1000), Map.of(
                "mail.imap.host", "127.0.0.1",
                "mail.imap.port", String.valueOf(GREENMAIL.getImap().getPort()),
                "mail.imap.user", "s2low",
                "mail.imap.password", "boite-secrete",
                "mail.imap.tls", "false",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(GREENMAIL.getSmtp().getPort()),
                "mail.smtp.tls", "false",
                "mail.smtp.from", "actes@ville-houdan.fr",
                "notify.to", "secretariat@localhost"));
             ActesConnector c = new ActesConnector(ConnectorConfig.load(tdt.config(), Map.of()), clock)) {
            Files.createDirectories(dir.resolve("docs"));
            long id = c.send(Houdan.acte(dir.resolve("docs")), false).entry().id();

            MimeMessage seedMail = InboxFixtures.houdanArMail(InboxFixtures.session());
            box.deliver(seedMail);
            IntakeResult result = c.ingestImap().orElseThrow();

            assertEquals(1, result.processed().size(), result.toString());
            JournalEntry e = c.journal().entries().findById(id).orElseThrow();
            assertEquals(TransmissionState.ACKNOWLEDGED, e.state());
            assertEquals(LocalDate.of(2026, 4, 29), e.dateReception().orElseThrow());
            assertEquals(e, c.journal().entries().findByIdActe(new IdActe(Houdan.ID_ACTE)).orElseThrow());
            // the mail left INBOX: a second round finds nothing
            assertEquals(0, c.ingestImap().orElseThrow().processed().size());

            MimeMessage[] received = GREENMAIL.getReceivedMessagesForDomain("localhost");
            MimeMessage notification = java.util.Arrays.stream(received)
                    .filter(m -> {
                        try {
                            return m.getAllRecipients()[0].toString().startsWith("secretariat");
                        } catch (Exception ex) {
                            return false;
                        }
                    }).findFirst().orElseThrow(() -> new AssertionError("no notification received"));
            String body = GreenMailUtil.getBody(notification);
            String text = notification.getSubject() + "\n" + decoded(notification);
            assertTrue(text.contains(Houdan.ID_ACTE), text);
            assertTrue(text.contains("Contrats, conventions et avenants"), text);
            assertTrue(text.contains("1.4-Autres types de contrats"), text);
            assertTrue(text.contains("2026-04-29") || text.contains("29/04/2026"), text);
            assertTrue(text.contains("Promosoft"), text);
            assertTrue(body.contains("078-217803105-20260427-2026_DEC_020-CC-1-2"), "AR attached: " + body.length());
        }
    }

    private static String decoded(MimeMessage m) throws IOException, jakarta.mail.MessagingException {
        Object content = m.getContent();
        if (content instanceof String s) return s;
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) content;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mp.getCount(); i++) {
            Object part = mp.getBodyPart(i).getContent();
            if (part instanceof String s) sb.append(s).append('\n');
        }
        return sb.toString();
    }
}
