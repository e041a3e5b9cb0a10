package fr.actesconnector.simulator;

import fr.actesconnector.model.Collectivite;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.jaxb.ARPieceComplementaire;
import fr.actesconnector.protocol.jaxb.ARReponseRejetLettreObservations;
import fr.actesconnector.protocol.jaxb.AnswerReceipt;
import fr.actesconnector.protocol.jaxb.AttachedForms;
import fr.actesconnector.protocol.jaxb.CollectiviteIdentity;
import fr.actesconnector.protocol.jaxb.CollectiviteSender;
import fr.actesconnector.protocol.jaxb.CourrierSimple;
import fr.actesconnector.protocol.jaxb.CourtFiling;
import fr.actesconnector.protocol.jaxb.DefereTA;
import fr.actesconnector.protocol.jaxb.DemandePieceComplementaire;
import fr.actesconnector.protocol.jaxb.EnveloppeCLMISILL;
import fr.actesconnector.protocol.jaxb.EnveloppeMISILLCL;
import fr.actesconnector.protocol.jaxb.LetterReference;
import fr.actesconnector.protocol.jaxb.LetterWithDocument;
import fr.actesconnector.protocol.jaxb.LettreObservations;
import fr.actesconnector.protocol.jaxb.PieceComplementaire;
import fr.actesconnector.protocol.jaxb.Recipient;
import fr.actesconnector.protocol.jaxb.RefusPieceComplementaire;
import fr.actesconnector.protocol.jaxb.RejetLettreObservations;
import fr.actesconnector.protocol.jaxb.ReponseCourrierSimple;
import fr.actesconnector.protocol.jaxb.ReponseLettreObservations;
import fr.actesconnector.protocol.jaxb.ReturnAddresses;
import fr.actesconnector.protocol.jaxb.SignedFile;
import fr.actesconnector.protocol.jaxb.SignedFileList;
import fr.actesconnector.protocol.jaxb.SousPrefectureIdentity;
import fr.actesconnector.protocol.jaxb.StateSender;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The messages of families 2 to 5: the prefecture's letters and envelopes (EnveloppeMISILLCL from
 * the sous-préfecture of the collectivité's arrondissement), the collectivité's answers as S²LOW
 * builds them, and the prefecture's acknowledgements of those answers (3-5, 4-5). JAXB, validated.
 */
final class LetterMessages {
    /** The TdT's own return address, first in the envelopes S²LOW builds. */
    static final String TDT_RETURN_ADDRESS = "tdt@simulateur-s2low.test";

    private final ActesXml xml;
    private final Collectivite collectivite;

    LetterMessages(ActesXml xml, Collectivite collectivite) {
        this.xml = Objects.requireNonNull(xml, "xml");
        this.collectivite = Objects.requireNonNull(collectivite, "collectivite");
    }

    /** The letter's message; {@code text} is the DescriptionPieces, Motif or NatureIllegalite. */
    void writeLetter(LetterType type, String idActe, LocalDate date, String text, String documentName, Path target) {
        Object message = switch (type) {
            case COURRIER_SIMPLE -> letter(new CourrierSimple(), idActe, date, documentName);
            case DEMANDE_PIECES_COMPLEMENTAIRES -> {
                DemandePieceComplementaire m = new DemandePieceComplementaire();
                m.setIDActe(idActe);
                m.setDateCourrierPref(date);
                m.setDescriptionPieces(text);
                m.setDocument(file(documentName));
                yield m;
            }
            case LETTRE_OBSERVATIONS -> {
                LettreObservations m = new LettreObservations();
                m.setIDActe(idActe);
                m.setDateCourrierPref(date);
                m.setMotif(text);
                m.setDocument(file(documentName));
                yield m;
            }
            case DEFERE_TRIBUNAL_ADMINISTRATIF -> {
                DefereTA m = new DefereTA();
                m.setIDActe(idActe);
                m.setDateDepot(date);
                m.setNatureIllegalite(text);
                CourtFiling pieces = new CourtFiling();
                pieces.getPieceJointe().add(file(documentName));
                m.setPiecesJointes(pieces);
                yield m;
            }
        };
        xml.writeValidated(message, target);
    }

    /** The prefecture's envelope: from IDSousPref (département, arrondissement) to the collectivité's SIREN. */
    void writePrefectureEnvelope(String messageName, Path target) {
        SousPrefectureIdentity spref = new SousPrefectureIdentity();
        spref.setDepartement(collectivite.departement());
        spref.setArrondissement(collectivite.arrondissement());
        StateSender sender = new StateSender();
        sender.setIDSousPref(spref);
        Recipient recipient = new Recipient();
        recipient.setSIREN(collectivite.siren());
        EnveloppeMISILLCL envelope = new EnveloppeMISILLCL();
        envelope.setEmetteur(sender);
        envelope.setFormulairesEnvoyes(forms(messageName));
        envelope.setDestinataire(recipient);
        xml.writeValidated(envelope, target);
    }

    /**
     * An answer as S²LOW's generateReponseCourrierXMLFile builds it: the root from the letter's type
     * and the kind of answer; only PieceComplementaire (3-4) lists the attachments, the other roots
     * name the answer letter alone. No Signature is written for answers.
     */
    void writeAnswer(String code, String idActe, LocalDate letterDate, String documentName, List<String> attachmentNames,
                     Path target) {
        Object message = switch (code) {
            case "2-2" -> letter(new ReponseCourrierSimple(), idActe, letterDate, documentName);
            case "3-3" -> letter(new RefusPieceComplementaire(), idActe, letterDate, documentName);
            case "4-3" -> letter(new RejetLettreObservations(), idActe, letterDate, documentName);
            case "4-4" -> letter(new ReponseLettreObservations(), idActe, letterDate, documentName);
            case "3-4" -> {
                PieceComplementaire m = new PieceComplementaire();
                m.setIDActe(idActe);
                m.setDateCourrierPref(letterDate);
                SignedFileList documents = new SignedFileList();
                documents.getDocument().add(file(documentName));
                attachmentNames.forEach(n -> documents.getDocument().add(file(n)));
                m.setDocuments(documents);
                yield m;
            }
            default -> throw new IllegalArgumentException("not an answer code: " + code);
        };
        xml.writeValidated(message, target);
    }

    /** The collectivité's envelope S²LOW puts around an answer. */
    void writeCollectiviteEnvelope(String messageName, Path target) {
        CollectiviteIdentity idcl = new CollectiviteIdentity();
        idcl.setSIREN(collectivite.siren());
        idcl.setDepartement(collectivite.departement());
        idcl.setArrondissement(collectivite.arrondissement());
        idcl.setNature(collectivite.nature());
        CollectiviteSender sender = new CollectiviteSender();
        sender.setIDCL(idcl);
        ReturnAddresses retour = new ReturnAddresses();
        retour.getEmail().add(TDT_RETURN_ADDRESS);
        EnveloppeCLMISILL envelope = new EnveloppeCLMISILL();
        envelope.setEmetteur(sender);
        envelope.setAdressesRetour(retour);
        envelope.setFormulairesEnvoyes(forms(messageName));
        xml.writeValidated(envelope, target);
    }

    /** 3-5 (answer to a 3-1) or 4-5 (answer to a 4-1): the prefecture acknowledges the answer. */
    void writeAnswerReceipt(int letterType, String idActe, LocalDate letterDate, LocalDate reception, Path target) {
        AnswerReceipt receipt = letterType == 3 ? new ARPieceComplementaire() : new ARReponseRejetLettreObservations();
        LetterReference about = new LetterReference();
        about.setIDActe(idActe);
        about.setDateCourrierPref(letterDate);
        receipt.setInfosCourrierPref(about);
        receipt.setDateReception(reception);
        xml.writeValidated(receipt, target);
    }

    private static <T extends LetterWithDocument> T letter(T m, String idActe, LocalDate date, String documentName) {
        m.setIDActe(idActe);
        m.setDateCourrierPref(date);
        m.setDocument(file(documentName));
        return m;
    }

    private static AttachedForms forms(String messageName) {
        AttachedForms forms = new AttachedForms();
        forms.getFormulaire().add(file(messageName));
        return forms;
    }

    private static SignedFile file(String name) {
        SignedFile f = new SignedFile();
        f.setNomFichier(name);
        return f;
    }
}
