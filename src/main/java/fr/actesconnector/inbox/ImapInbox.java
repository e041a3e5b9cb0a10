package fr.actesconnector.inbox;

import fr.actesconnector.protocol.UnreadableMessageException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the ministry's returns from an IMAP folder: each e-mail is parsed, its messages given to a
 * {@link ReplyHandler}, and once accepted the e-mail is moved to the processed folder (created if
 * missing). E-mails without an ACTES message, unreadable or declined stay where they are and are
 * reported in the {@link IntakeResult}.
 * <p>
 * Attachments (PDF letters) are written under {@code attachmentRoot}, one fresh sub-directory per
 * e-mail, removed again when the e-mail is not accepted. One connection per {@link #poll} call.
 */
public final class ImapInbox {
    private static final Logger LOG = LoggerFactory.getLogger(ImapInbox.class);

    private final MailConfig.Imap config;
    private final MessageParser parser;
    private final Optional<Path> attachmentRoot;
    private final Optional<SSLSocketFactory> tls;

    /**
     * @param tls socket factory built from the configured trust store; empty: the JVM's trust store.
     *            Host names are always checked.
     */
    public ImapInbox(MailConfig.Imap config, MessageParser parser, Optional<Path> attachmentRoot,
                     Optional<SSLSocketFactory> tls) {
        this.config = Objects.requireNonNull(config, "config");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.attachmentRoot = Objects.requireNonNull(attachmentRoot, "attachmentRoot");
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /** One round: every e-mail of the folder, oldest first. */
    public IntakeResult poll(ReplyHandler handler) {
        Objects.requireNonNull(handler, "handler");
        List<ParseResult> processed = new ArrayList<>();
        List<IntakeResult.LeftAlone> left = new ArrayList<>();
        Store store = null;
        try {
            store = MailSessions.imap(config, tls).getStore(MailSessions.imapProtocol(config));
            char[] password = config.password().reveal();
            try {
                store.connect(config.host(), config.port(), config.user(), new String(password));
            } finally {
                Arrays.fill(password, '\0');
            }
            Folder inbox = store.getFolder(config.folder());
            if (!inbox.exists()) {
                throw new MailException("Le dossier « " + config.folder() + " » n'existe pas dans la boîte "
                        + config.user() + " : corrigez mail.imap.folder.", "IMAP folder not found: " + config.folder(), null);
            }
            Folder done = store.getFolder(config.processedFolder());
            if (!done.exists() && !done.create(Folder.HOLDS_MESSAGES)) {
                throw new MailException("Impossible de créer le dossier « " + config.processedFolder()
                        + " » dans la boîte " + config.user() + " : créez-le ou corrigez mail.imap.processed-folder.",
                        "cannot create IMAP folder " + config.processedFolder(), null);
            }
            inbox.open(Folder.READ_WRITE);
            try {
                for (Message message : inbox.getMessages()) {
                    intake((MimeMessage) message, inbox, done, store, handler, processed, left);
                }
            } finally {
                inbox.close(false);
            }
        } catch (AuthenticationFailedException e) {
            throw new MailException("La boîte IMAP " + config.host() + " a refusé la connexion de " + config.user()
                    + " : vérifiez mail.imap.user et mail.imap.password.", "IMAP authentication failed for " + config.user(), e);
        } catch (MessagingException e) {
            throw new MailException("La boîte IMAP " + config.host() + ":" + config.port() + " est injoignable ou a échoué ("
                    + e.getMessage() + ") : vérifiez mail.imap.host, mail.imap.port et mail.imap.tls, puis réessayez.",
                    "IMAP failure on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(store);
        }
        return new IntakeResult(processed, left);
    }

    private void intake(MimeMessage message, Folder inbox, Folder done, Store store, ReplyHandler handler,
                        List<ParseResult> processed, List<IntakeResult.LeftAlone> left) throws MessagingException {
        String name = describe(message);
        Optional<Path> dir = freshDir(attachmentRoot, "mail-");
        ParseResult result;
        try {
            result = parser.parseEmail(message, name, dir);
        } catch (UnreadableMessageException e) {
            LOG.info("{} left in {}: {}", name, config.folder(), e.getMessage());
            left.add(new IntakeResult.LeftAlone(name, mailInfo(message), e.userMessage(), IntakeResult.Why.UNREADABLE));
            dir.ifPresent(ImapInbox::deleteTreeQuietly);
            return;
        }
        boolean accepted = false;
        try {
            accepted = handler.handle(result);
        } finally {
            if (!accepted) {
                dir.ifPresent(ImapInbox::deleteTreeQuietly);
            }
        }
        if (!accepted) {
            left.add(new IntakeResult.LeftAlone(name, result.mail(),
                    LeftAloneReason.notInJournal(result, "courriel laissé dans " + config.folder()),
                    IntakeResult.Why.NOT_IN_JOURNAL));
            return;
        }
        move(message, inbox, done, store);
        processed.add(result);
        LOG.info("{}: {} ACTES message(s) handled, moved to {}", name, result.replies().size(), config.processedFolder());
    }

    private static void move(Message message, Folder inbox, Folder done, Store store) throws MessagingException {
        Message[] one = {message};
        if (inbox instanceof IMAPFolder imap && store instanceof IMAPStore imapStore && imapStore.hasCapability("MOVE")) {
            imap.moveMessages(one, done);
            return;
        }
        inbox.copyMessages(one, done);
        message.setFlag(Flags.Flag.DELETED, true);
        if (inbox instanceof IMAPFolder imap) {
            imap.expunge(one); // UID EXPUNGE when the server has UIDPLUS: other deleted mails are not touched
        } else {
            inbox.expunge();
        }
    }

    /** A new, empty directory under {@code root} for one e-mail's attachments. */
    static Optional<Path> freshDir(Optional<Path> root, String prefix) {
        if (root.isEmpty()) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(root.get());
            return Optional.of(Files.createTempDirectory(root.get(), prefix));
        } catch (IOException e) {
            throw new MailException("Impossible de créer un dossier dans " + root.get()
                    + " pour les pièces jointes : vérifiez les droits d'écriture.", "cannot create attachment dir", e);
        }
    }

    private static String describe(MimeMessage message) {
        try {
            String id = message.getMessageID();
            return "e-mail " + (id != null ? id : "n° " + message.getMessageNumber());
        } catch (MessagingException e) {
            return "e-mail n° " + message.getMessageNumber();
        }
    }

    private static Optional<MailInfo> mailInfo(MimeMessage message) {
        try {
            Address[] from = message.getFrom();
            return Optional.of(new MailInfo(Optional.ofNullable(message.getSubject()),
                    from == null || from.length == 0 ? Optional.empty() : Optional.of(from[0].toString()),
                    Optional.ofNullable(message.getMessageID()),
                    Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant)));
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    static void deleteTreeQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not remove attachment directory {}: {}", dir, e.getMessage());
        }
    }

    private static void closeQuietly(Store store) {
        if (store == null) return;
        try {
            store.close();
        } catch (MessagingException e) {
            LOG.debug("closing the IMAP store failed: {}", e.getMessage());
        }
    }
}
