package fr.actesconnector.inbox;

import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.AnnexList;
import fr.actesconnector.protocol.jaxb.AttachedForms;
import fr.actesconnector.protocol.jaxb.EnveloppeMISILLCL;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.Recipient;
import fr.actesconnector.protocol.jaxb.SignedFile;
import fr.actesconnector.protocol.jaxb.SousPrefectureIdentity;
import fr.actesconnector.protocol.jaxb.StateSender;
import fr.actesconnector.testing.Houdan;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Messages, archives and e-mails shaped like the seed's AR for decision 2026-DEC-020. */
public final class InboxFixtures {
    static final String AR_FILE = "078-217803105-20260427-2026_DEC_020-CC-1-2_53043.xml";
    static final String ENVELOPE_FILE = "EACT--SPREF0781-217803105-20260429-49438.xml";
    static final String MAIL_FROM = "actes-dgcl-noreply@interieur.gouv.fr";
    static final String MAIL_SUBJECT = "ACTES : Accusé de réception de la transmission d'un acte";
    static final LocalDate CLASSIFICATION_EN_COURS = LocalDate.of(2026, 3, 2);
    static final String MAIL_BODY = """
            Accusé de réception

            Acte reçu par: Sous Préfecture MANTES-LA-JOLIE
            Nature transaction: AR de transmission d'acte
            Date d'émission de l'accusé de réception: 2026-04-29(GMT+1)
            Nombre de pièces jointes: 2
            Nom émetteur: HOUDAN
            N° de SIREN: 217803105
            Numéro Acte de la collectivité locale: 2026_DEC_020
            Objet acte: Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.
            Nature de l'acte: Contrats, conventions et avenants
            Matière: 1.4-Autres types de contrats
            Identifiant Acte: 078-217803105-20260427-2026_DEC_020-CC

            Rapport d'erreur(s):
            """;

    private static final ActesXml XML = new ActesXml();

    private InboxFixtures() {
    }

    static Path resource(String relative) {
        try {
            return Path.of(InboxFixtures.class.getResource("/messages/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ARActe of the Houdan acte, ISO-8859-1 as the ministry writes it. */
    static byte[] houdanArActe() {
        ActeData acte = new ActeData();
        acte.setDate(Houdan.DATE_DECISION);
        acte.setNumeroInterne(Houdan.NUMERO_INTERNE);
        acte.setCodeNatureActe(4);
        acte.setCodeMatiere1(matiere(1));
        acte.setCodeMatiere2(matiere(4));
        acte.setObjet(Houdan.OBJET_ACKNOWLEDGED);
        acte.setClassificationDateVersion(CLASSIFICATION_EN_COURS);
        acte.setDocument(file("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf"));
        AnnexList annexes = new AnnexList();
        annexes.setNombre(1);
        annexes.getAnnexe().add(file("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf"));
        acte.setAnnexes(annexes);
        acte.setDocumentPapier("N");
        ARActe ar = new ARActe();
        ar.setIDActe(Houdan.ID_ACTE);
        ar.setDateReception(Houdan.DATE_RECEPTION);
        ar.setActeRecu(acte);
        ar.setClassificationDateVersionEnCours(CLASSIFICATION_EN_COURS);
        return write(ar);
    }

    /** The prefecture envelope of the seed: from IDSousPref 078/1 to SIREN 217803105. */
    static byte[] houdanEnvelope(String... forms) {
        SousPrefectureIdentity spref = new SousPrefectureIdentity();
        spref.setDepartement("078");
        spref.setArrondissement("1");
        StateSender sender = new StateSender();
        sender.setIDSousPref(spref);
        AttachedForms attached = new AttachedForms();
        for (String form : forms.length == 0 ? new String[] {AR_FILE} : forms) {
            attached.getFormulaire().add(file(form));
        }
        Recipient recipient = new Recipient();
        recipient.setSIREN(Houdan.SIREN);
        EnveloppeMISILLCL envelope = new EnveloppeMISILLCL();
        envelope.setEmetteur(sender);
        envelope.setFormulairesEnvoyes(attached);
        envelope.setDestinataire(recipient);
        return write(envelope);
    }

    static byte[] write(Object message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XML.write(message, out);
        return out.toByteArray();
    }

    private static MatiereCodeEntry matiere(int code) {
        MatiereCodeEntry entry = new MatiereCodeEntry();
        entry.setCodeMatiere(code);
        return entry;
    }

    private static SignedFile file(String name) {
        SignedFile f = new SignedFile();
        f.setNomFichier(name);
        return f;
    }

    static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            map.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return map;
    }

    /** A flat .tar.gz of the given entries. */
    static byte[] tarGz(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true); // name kept exactly as given
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] pdf(String text) {
        return ("%PDF-1.4\n% " + text + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The seed's AR e-mail: body text and the two XML attachments. */
    public static MimeMessage houdanArMail(Session session) {
        return mail(session, MAIL_SUBJECT, MAIL_BODY, entries(ENVELOPE_FILE, houdanEnvelope(), AR_FILE, houdanArActe()));
    }

    /**
     * The seed's AR e-mail whose ARActe is written in UTF-8 under its ISO-8859-1 declaration, as some
     * senders do: read as declared, « Société » would become « SociÃ©tÃ© ».
     */
    public static MimeMessage houdanArMailInUtf8DeclaredLatin1(Session session) {
        byte[] utf8 = new String(houdanArActe(), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        return mail(session, MAIL_SUBJECT, MAIL_BODY, entries(ENVELOPE_FILE, houdanEnvelope(), AR_FILE, utf8));
    }

    static MimeMessage mail(Session session, String subject, String body, Map<String, byte[]> attachments) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(MAIL_FROM));
            message.setRecipients(Message.RecipientType.TO, "s2low@www.bl-echanges-securises.fr");
            message.setSubject(subject, "UTF-8");
            message.setSentDate(Date.from(java.time.Instant.parse("2026-04-29T14:44:00Z")));
            MimeMultipart multipart = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText(body, "UTF-8");
            multipart.addBodyPart(text);
            for (Map.Entry<String, byte[]> e : attachments.entrySet()) {
                MimeBodyPart part = new MimeBodyPart();
                String type = e.getKey().endsWith(".xml") ? "application/xml" : e.getKey().endsWith(".pdf")
                        ? "application/pdf" : "application/octet-stream";
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(e.getValue(), type)));
                part.setFileName(e.getKey());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                multipart.addBodyPart(part);
            }
            message.setContent(multipart);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] toBytes(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Session session() {
        return Session.getInstance(new Properties());
    }
}
