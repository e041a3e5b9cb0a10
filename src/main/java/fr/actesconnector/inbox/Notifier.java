package fr.actesconnector.inbox;

import fr.actesconnector.model.Nature;
import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the secretariat by e-mail, in French, that the prefecture answered: an AR, an anomaly, a letter
 * (courrier, demande de pièces, observations, déféré) or the AR of a cancellation. The mail shows what the
 * ministry's own AR e-mail shows — Identifiant Acte, Objet, Nature de l'acte, Matière, Date de réception —
 * and carries the prefecture's XML as attachment. UTF-8 text, {@code multipart/mixed}.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final String UNKNOWN = "non communiqué";

    private final MailConfig.Smtp smtp;
    private final List<String> to;
    private final Optional<SSLSocketFactory> tls;
    private final Clock clock;

    public Notifier(MailConfig.Smtp smtp, List<String> to, Optional<SSLSocketFactory> tls, Clock clock) {
        this.smtp = Objects.requireNonNull(smtp, "smtp");
        this.to = List.copyOf(to);
        if (this.to.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient");
        }
        this.tls = Objects.requireNonNull(tls, "tls");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** AR, anomalies, prefecture letters and the AR of a cancellation are worth a mail; the rest is not. */
    public static boolean isNotified(Reply reply) {
        MessageType t = reply.type();
        return t == MessageType.AR_ACTE || t.isAnomaly() || t.isCourrier() || t == MessageType.AR_ANNULATION;
    }

    /** Sends the notification of {@code reply}; does nothing (returns false) for a kind not notified. */
    public boolean send(Reply reply, ActeLabels labels) {
        if (!isNotified(reply)) {
            return false;
        }
        Session session = MailSessions.smtp(smtp, tls);
        MimeMessage message = compose(session, reply, labels);
        try (Transport transport = session.getTransport(MailSessions.smtpProtocol(smtp))) {
            if (smtp.user().isPresent()) {
                char[] password = smtp.password().reveal();
                try {
                    transport.connect(smtp.host(), smtp.port(), smtp.user().get(), new String(password));
                } finally {
                    Arrays.fill(password, '\0');
                }
            } else {
                transport.connect(smtp.host(), smtp.port(), null, null);
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (AuthenticationFailedException e) {
            throw new MailException("Le serveur d'envoi " + smtp.host() + " a refusé la connexion : vérifiez mail.smtp.user"
                    + " et mail.smtp.password.", "SMTP authentication failed", e);
        } catch (MessagingException e) {
            throw new MailException("La notification n'a pas pu être envoyée par " + smtp.host() + ":" + smtp.port() + " ("
                    + e.getMessage() + ") : vérifiez mail.smtp.host, mail.smtp.port et mail.smtp.tls.",
                    "SMTP failure on " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage(), e);
        }
        LOG.info("{}: notification of {} sent to {} recipient(s)", reply.idActe().orElse("-"), reply.rootName(), to.size());
        return true;
    }

    /** The notification as it would be sent (for a preview or a test). */
    public MimeMessage compose(Session session, Reply reply, ActeLabels labels) {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(labels, "labels");
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(smtp.from(), true));
            message.setRecipients(Message.RecipientType.TO, addresses());
            message.setSubject(subject(reply, labels), "UTF-8");
            message.setSentDate(Date.from(clock.instant()));
            MimeBodyPart text = new MimeBodyPart();
            text.setText(body(reply, labels), "UTF-8", "plain");
            MimeBodyPart xml = new MimeBodyPart();
            xml.setDataHandler(new DataHandler(new ByteArrayDataSource(reply.xml().bytes(), "application/xml")));
            xml.setFileName(MessageParser.safeFileName(reply.sourceFile()));
            xml.setDisposition(MimeBodyPart.ATTACHMENT);
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text);
            mixed.addBodyPart(xml);
            message.setContent(mixed);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new MailException("La notification n'a pas pu être préparée (" + e.getMessage() + ").",
                    "cannot compose notification: " + e.getMessage(), e);
        }
    }

    private InternetAddress[] addresses() throws AddressException {
        InternetAddress[] out = new InternetAddress[to.size()];
        for (int i = 0; i < to.size(); i++) {
            out[i] = new InternetAddress(to.get(i), true);
        }
        return out;
    }

    /** The subject, marked when the mail begins with a warning. */
    static String subject(Reply reply, ActeLabels labels) {
        return subject(reply) + labels.warning().map(w -> " : à vérifier").orElse("");
    }

    static String subject(Reply reply) {
        String acte = reply.idActe().or(reply::numeroInterne).orElse("");
        String subject = switch (reply.type()) {
            case AR_ACTE -> "ACTES : accusé de réception de l'acte " + acte;
            case ANOMALIE_ACTE -> "ACTES : anomalie, l'acte " + acte + " a été refusé";
            case ANOMALIE_ENVELOPPE -> "ACTES : anomalie, l'envoi a été refusé par le ministère";
            case COURRIER_SIMPLE -> "ACTES : courrier de la préfecture sur l'acte " + acte;
            case DEMANDE_PIECE_COMPLEMENTAIRE -> "ACTES : demande de pièces complémentaires sur l'acte " + acte;
            case LETTRE_OBSERVATIONS -> "ACTES : lettre d'observations sur l'acte " + acte;
            case DEFERE_TA -> "ACTES : déféré au tribunal administratif de l'acte " + acte;
            case AR_ANNULATION -> "ACTES : annulation de la transmission de l'acte " + acte + " confirmée";
            default -> "ACTES : message " + reply.rootName() + " reçu";
        };
        return subject.strip();
    }

    static String body(Reply reply, ActeLabels labels) {
        StringBuilder s = new StringBuilder("Bonjour,\n\n");
        labels.warning().ifPresent(w -> s.append("ATTENTION : ").append(w).append("\n\n"));
        s.append(intro(reply)).append("\n\n");
        field(s, "Identifiant Acte", reply.idActe().or(() -> reply.match() instanceof ActeMatch.ByEnvelopeForms f
                && !f.idActes().isEmpty() ? Optional.of(String.join(", ", f.idActes())) : Optional.empty()));
        reply.numeroInterne().ifPresent(n -> field(s, "Numéro de l'acte", Optional.of(n)));
        field(s, "Objet", reply.objet().or(labels::objet));
        field(s, "Nature de l'acte", labels.nature().or(() -> reply.codeNatureActe().flatMap(Nature::ofCode).map(Nature::label)));
        field(s, "Matière", labels.matiere().or(() -> reply.acte().flatMap(Reply.ActeRecu::matiere)));
        field(s, "Date de réception", reply.dateReception().or(reply::date).map(FRENCH_DATE::format));
        reply.dateCourrierPref().ifPresent(d -> field(s, "Date du courrier de la préfecture", Optional.of(FRENCH_DATE.format(d))));
        reply.anomalie().ifPresent(a -> field(s, "Anomalie", Optional.of(a.nature() + a.detail().map(d -> " - " + d).orElse(""))));
        reply.description().ifPresent(d -> field(s, "Pièces demandées", Optional.of(d)));
        reply.motif().ifPresent(m -> field(s, "Motif", Optional.of(m)));
        reply.natureIllegalite().ifPresent(n -> field(s, "Nature de l'illégalité", Optional.of(n)));
        reply.dateDepot().map(FRENCH_DATE::format).ifPresent(d -> field(s, "Date de dépôt au tribunal", Optional.of(d)));
        reply.emitter().ifPresent(e -> field(s, "Émetteur", Optional.of(e.code())));
        s.append("\nLe message de la préfecture est joint (").append(MessageParser.safeFileName(reply.sourceFile()))
                .append(").\n").append(action(reply)).append("\n-- \nactes-connector\n");
        return s.toString();
    }

    private static String intro(Reply reply) {
        return switch (reply.type()) {
            case AR_ACTE -> "La préfecture a accusé réception de l'acte transmis : il est exécutoire dès sa publication"
                    + " ou sa notification.";
            case ANOMALIE_ACTE -> "Le ministère a refusé l'acte transmis (anomalie). Il n'a pas été reçu par la préfecture.";
            case ANOMALIE_ENVELOPPE -> "Le ministère a refusé l'envoi entier (anomalie d'enveloppe). Aucun acte de cet envoi"
                    + " n'a été reçu.";
            case AR_ANNULATION -> "La préfecture a pris acte de l'annulation de la transmission.";
            default -> "La préfecture a adressé un courrier au sujet de l'acte suivant.";
        };
    }

    private static String action(Reply reply) {
        if (reply.type().isAnomaly()) {
            return "Corrigez l'acte puis transmettez-le à nouveau sous un nouveau numéro.";
        }
        String when = reply.dateCourrierPref().map(d -> FRENCH_DATE.format(d.plusMonths(2))).orElse("deux mois après le courrier");
        return switch (reply.type()) {
            case DEMANDE_PIECE_COMPLEMENTAIRE -> "Une réponse est attendue : envoyez les pièces demandées (reply --kind pieces) "
                    + "ou refusez de les envoyer (refus-pieces). Tant qu'elles ne sont pas reçues, le délai du préfet pour "
                    + "saisir le tribunal est suspendu ; il repart pour deux mois à leur réception (indicatif).";
            case LETTRE_OBSERVATIONS -> "Une réponse est attendue : répondez (reply --kind justification) ou rejetez les "
                    + "observations (rejet-observations). Sans réponse au " + when + ", la demande est réputée rejetée et le "
                    + "préfet dispose de deux mois de plus pour saisir le tribunal (indicatif).";
            case COURRIER_SIMPLE -> "Une réponse peut être faite par le TdT (reply --kind reponse).";
            case DEFERE_TA -> "L'acte est déféré au tribunal administratif : la commune répond au tribunal, pas par le TdT ;"
                    + " prévenez l'autorité territoriale.";
            default -> "";
        };
    }

    private static void field(StringBuilder s, String label, Optional<String> value) {
        s.append(label).append(" : ").append(value.orElse(UNKNOWN)).append('\n');
    }
}
