package fr.actesconnector.inbox;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.actesconnector.testing.Houdan;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static fr.actesconnector.inbox.InboxFixtures.entries;
import static fr.actesconnector.inbox.InboxFixtures.houdanArActe;
import static fr.actesconnector.inbox.InboxFixtures.pdf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real SMTP/IMAP server (GreenMail, plain protocols on loopback) inside the test JVM. */
class MailIT {
    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    private static final String USER = "s2low@localhost";
    private static final String PASSWORD = "mot-de-passe-imap";

    private GreenMailUser mailbox;

    @TempDir
    Path tmp;

    @BeforeEach
    void user() {
        mailbox = GREENMAIL.setUser(USER, USER, PASSWORD);
    }

    private MailConfig config() {
        return MailConfig.fromProperties(Map.of(
                "mail.imap.host", "127.0.0.1",
                "mail.imap.port", String.valueOf(GREENMAIL.getImap().getPort()),
                "mail.imap.user", USER,
                "mail.imap.password", PASSWORD,
                "mail.imap.tls", "false",
                "mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", String.valueOf(GREENMAIL.getSmtp().getPort()),
                "mail.smtp.tls", "false",
                "mail.smtp.from", "actes@ville-houdan.example.fr",
                "notify.to", "secretariat@localhost"));
    }

    private ImapInbox inbox() {
        return new ImapInbox(config().imap().orElseThrow(), new MessageParser(), Optional.of(tmp.resolve("pieces")),
                Optional.empty());
    }

    @Test
    void seedArMailIsIngestedAndMovedToTheProcessedFolder() throws Exception {
        mailbox.deliver(InboxFixtures.houdanArMail(InboxFixtures.session()));
        mailbox.deliver(InboxFixtures.mail(InboxFixtures.session(), "Réunion de jeudi", "Bonjour, à jeudi.",
                entries("ordre-du-jour.pdf", pdf("odj"))));

        List<ParseResult> received = new ArrayList<>();
        IntakeResult result = inbox().poll(messages -> received.add(messages));

        assertEquals(1, received.size());
        Reply ar = received.get(0).first(MessageType.AR_ACTE).orElseThrow();
        assertEquals(Optional.of(Houdan.ID_ACTE), ar.idActe());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), ar.dateReception());
        assertEquals(Optional.of(Houdan.SIREN), ar.siren());
        assertEquals(Optional.of("SPREF0781"), ar.emitter().map(Reply.Emitter::code));
        assertEquals(Optional.of(InboxFixtures.MAIL_SUBJECT), received.get(0).mail().orElseThrow().subject());
        assertEquals(1, result.processed().size());

        assertEquals(1, result.leftAlone().size());
        IntakeResult.LeftAlone left = result.leftAlone().get(0);
        assertEquals(Optional.of("Réunion de jeudi"), left.mail().flatMap(MailInfo::subject));
        assertTrue(left.reason().contains("aucun message ACTES"), left.reason());
        try (var files = Files.walk(tmp.resolve("pieces"))) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".pdf")).count(),
                    "attachments of a mail left alone are removed");
        }

        try (Store store = imapStore()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(1, inbox.getMessageCount());
            assertEquals("Réunion de jeudi", inbox.getMessage(1).getSubject());
            Folder processed = store.getFolder(MailConfig.DEFAULT_PROCESSED_FOLDER);
            assertTrue(processed.exists());
            processed.open(Folder.READ_ONLY);
            assertEquals(1, processed.getMessageCount());
            assertEquals(InboxFixtures.MAIL_SUBJECT, processed.getMessage(1).getSubject());
        }

        IntakeResult again = inbox().poll(messages -> {
            throw new AssertionError("the processed mail must not be handled twice");
        });
        assertEquals(0, again.processed().size());
        assertEquals(1, again.leftAlone().size());
    }

    @Test
    void declinedMailStaysInTheInbox() throws Exception {
        mailbox.deliver(InboxFixtures.houdanArMail(InboxFixtures.session()));
        IntakeResult result = inbox().poll(messages -> false);
        assertEquals(0, result.processed().size());
        assertEquals(1, result.leftAlone().size());
        assertEquals(IntakeResult.Why.NOT_IN_JOURNAL, result.leftAlone().get(0).why());
        assertTrue(result.leftAlone().get(0).reason().startsWith("Acte " + fr.actesconnector.testing.Houdan.ID_ACTE
                + " inconnu du journal : courriel laissé dans INBOX. Vérifiez collectivite.siren"), result.leftAlone().get(0).reason());
        try (Store store = imapStore()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(1, inbox.getMessageCount());
        }
    }

    @Test
    void wrongPasswordIsAFrenchUnavailableErrorWithoutThePassword() {
        MailConfig.Imap good = config().imap().orElseThrow();
        MailConfig.Imap bad = new MailConfig.Imap(good.host(), good.port(), good.user(),
                fr.actesconnector.model.Secret.of("faux-secret-123"), good.folder(), good.security(), good.processedFolder(),
                good.timeout());
        MailException e = assertThrows(MailException.class,
                () -> new ImapInbox(bad, new MessageParser(), Optional.empty(), Optional.empty()).poll(m -> true));
        assertTrue(e.userMessage().contains("mail.imap.password"), e.userMessage());
        assertFalse(e.userMessage().contains("faux-secret-123"));
        assertFalse(String.valueOf(e.getMessage()).contains("faux-secret-123"));
    }

    @Test
    void notificationOfTheArReadsCorrectly() throws Exception {
        MailConfig config = config();
        Clock clock = Clock.fixed(Instant.parse("2026-04-29T15:00:00Z"), ZoneId.of("Europe/Paris"));
        Notifier notifier = new Notifier(config.smtp().orElseThrow(), config.notifyTo(), Optional.empty(), clock);
        Reply ar = new MessageParser().parseXml(new ByteArrayInputStream(houdanArActe()), InboxFixtures.AR_FILE)
                .replies().get(0);

        assertTrue(notifier.send(ar, ActeLabels.of("Contrats, conventions et avenants", "1.4-Autres types de contrats")));

        assertTrue(GREENMAIL.waitForIncomingEmail(5000, 1));
        MimeMessage received = GREENMAIL.getReceivedMessages()[0];
        assertEquals("ACTES : accusé de réception de l'acte " + Houdan.ID_ACTE, received.getSubject());
        assertEquals("secretariat@localhost", received.getRecipients(Message.RecipientType.TO)[0].toString());
        Multipart parts = assertInstanceOf(Multipart.class, received.getContent());
        assertEquals(2, parts.getCount());
        Part text = parts.getBodyPart(0);
        assertTrue(text.isMimeType("text/plain"));
        assertTrue(text.getContentType().toLowerCase().contains("utf-8"), text.getContentType());
        String body = (String) text.getContent();
        assertTrue(body.contains("Identifiant Acte : " + Houdan.ID_ACTE), body);
        assertTrue(body.contains("Objet : " + Houdan.OBJET_ACKNOWLEDGED), body);
        assertTrue(body.contains("Nature de l'acte : Contrats, conventions et avenants"), body);
        assertTrue(body.contains("Matière : 1.4-Autres types de contrats"), body);
        assertTrue(body.contains("Date de réception : 29/04/2026"), body);
        Part attachment = parts.getBodyPart(1);
        assertEquals(InboxFixtures.AR_FILE, attachment.getFileName());
        assertTrue(attachment.isMimeType("application/xml"));
        assertArrayEquals(houdanArActe(), attachment.getInputStream().readAllBytes());

        Reply classification = new MessageParser().parse(InboxFixtures.resource("7-3_ReponseClassificationSansChangement.xml"))
                .replies().get(0);
        assertFalse(notifier.send(classification, ActeLabels.none()));
    }

    private Store imapStore() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", GREENMAIL.getImap().getPort(), USER, PASSWORD);
        return store;
    }
}
