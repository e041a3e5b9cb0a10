package fr.actesconnector.inbox;

import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.UnreadableMessageException;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.ActeReference;
import fr.actesconnector.protocol.jaxb.AnnexList;
import fr.actesconnector.protocol.jaxb.AnomalieActe;
import fr.actesconnector.protocol.jaxb.AnomalieEnveloppe;
import fr.actesconnector.protocol.jaxb.ARAnnulation;
import fr.actesconnector.protocol.jaxb.AnswerReceipt;
import fr.actesconnector.protocol.jaxb.AttachedForms;
import fr.actesconnector.protocol.jaxb.CollectiviteEnvelope;
import fr.actesconnector.protocol.jaxb.DefereTA;
import fr.actesconnector.protocol.jaxb.DemandeClassification;
import fr.actesconnector.protocol.jaxb.DemandePieceComplementaire;
import fr.actesconnector.protocol.jaxb.EnveloppeMISILLCL;
import fr.actesconnector.protocol.jaxb.LetterReference;
import fr.actesconnector.protocol.jaxb.LetterWithDocument;
import fr.actesconnector.protocol.jaxb.LettreObservations;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.PieceComplementaire;
import fr.actesconnector.protocol.jaxb.ReponseClassificationSansChangement;
import fr.actesconnector.protocol.jaxb.RetourClassification;
import fr.actesconnector.protocol.jaxb.SignedFile;
import fr.actesconnector.protocol.jaxb.StateSender;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Generated JAXB root → {@link Reply}. Lenient: whatever is missing stays empty. */
final class ReplyMapper {
    private ReplyMapper() {
    }

    static Reply toReply(Object root, String sourceFile, RawXml xml) {
        String rootName = ActesXml.rootName(root).getLocalPart();
        MessageType type = MessageType.ofRootName(rootName).orElseThrow(() -> new UnreadableMessageException(sourceFile,
                "l'élément racine " + rootName + " n'est pas un message du protocole ACTES",
                "unknown ACTES root " + rootName, null));
        Fields f = new Fields();
        if (root instanceof ARActe ar) {
            f.idActe = text(ar.getIDActe());
            f.dateReception = Optional.ofNullable(ar.getDateReception());
            f.acte = acte(ar.getActeRecu());
            acteDocuments(ar.getActeRecu(), f.documents);
            f.classificationEnCours = Optional.ofNullable(ar.getClassificationDateVersionEnCours());
        } else if (root instanceof AnomalieActe an) {
            f.date = Optional.ofNullable(an.getDate());
            f.anomalie = anomalie(an.getNature(), an.getDetail());
            f.acte = acte(an.getActeRecu());
            acteDocuments(an.getActeRecu(), f.documents);
            f.classificationEnCours = Optional.ofNullable(an.getClassificationDateVersionEnCours());
        } else if (root instanceof AnomalieEnveloppe an) {
            f.date = Optional.ofNullable(an.getDate());
            f.anomalie = anomalie(an.getNature(), an.getDetail());
            CollectiviteEnvelope received = an.getEnveloppeRecue();
            if (received != null) {
                if (received.getEmetteur() != null && received.getEmetteur().getIDCL() != null) {
                    f.siren = text(received.getEmetteur().getIDCL().getSIREN());
                }
                f.formulaires = forms(received.getFormulairesEnvoyes());
            }
        } else if (root instanceof EnveloppeMISILLCL env) {
            f.emitter = emitter(env.getEmetteur());
            f.siren = env.getDestinataire() == null ? Optional.empty() : text(env.getDestinataire().getSIREN());
            f.formulaires = forms(env.getFormulairesEnvoyes());
        } else if (root instanceof CollectiviteEnvelope env) {
            if (env.getEmetteur() != null && env.getEmetteur().getIDCL() != null) {
                f.siren = text(env.getEmetteur().getIDCL().getSIREN());
            }
            f.formulaires = forms(env.getFormulairesEnvoyes());
        } else if (root instanceof DefereTA defere) {
            f.idActe = text(defere.getIDActe());
            f.dateDepot = Optional.ofNullable(defere.getDateDepot());
            f.natureIllegalite = text(defere.getNatureIllegalite());
            if (defere.getPiecesJointes() != null) {
                defere.getPiecesJointes().getPieceJointe().forEach(p -> addName(f.documents, p));
            }
        } else if (root instanceof AnswerReceipt ar) {
            f.dateReception = Optional.ofNullable(ar.getDateReception());
            if (ar.getInfosCourrierPref() != null) {
                f.idActe = text(ar.getInfosCourrierPref().getIDActe());
                f.dateCourrierPref = Optional.ofNullable(ar.getInfosCourrierPref().getDateCourrierPref());
            }
        } else if (root instanceof LetterReference letter) {
            f.idActe = text(letter.getIDActe());
            f.dateCourrierPref = Optional.ofNullable(letter.getDateCourrierPref());
            if (letter instanceof DemandePieceComplementaire d) {
                f.description = text(d.getDescriptionPieces());
                addName(f.documents, d.getDocument());
            } else if (letter instanceof LettreObservations l) {
                f.motif = text(l.getMotif());
                addName(f.documents, l.getDocument());
            } else if (letter instanceof LetterWithDocument w) {
                addName(f.documents, w.getDocument());
            } else if (letter instanceof PieceComplementaire p && p.getDocuments() != null) {
                p.getDocuments().getDocument().forEach(d -> addName(f.documents, d));
            }
            // the collectivité's ARs (3-2, 4-2) carry the attributes only
        } else if (root instanceof ActeReference ref) {
            f.idActe = text(ref.getIDActe());
            if (ref instanceof ARAnnulation ar) {
                f.dateReception = Optional.ofNullable(ar.getDateReception());
            }
        } else if (root instanceof ActeData acte) {
            f.acte = acte(acte);
            acteDocuments(acte, f.documents);
        } else if (root instanceof RetourClassification rc) {
            f.dateClassification = Optional.ofNullable(rc.getDateClassification());
        } else if (root instanceof ReponseClassificationSansChangement rc) {
            f.dateClassification = Optional.ofNullable(rc.getDateClassification());
        } else if (root instanceof DemandeClassification dc) {
            f.dateClassification = Optional.ofNullable(dc.getDateClassification());
        }
        // any other root (a later schema addition) keeps its type only
        return new Reply(type, sourceFile, f.idActe, f.dateReception, f.dateCourrierPref, f.date, f.acte,
                f.classificationEnCours, f.dateClassification, f.anomalie, f.description, f.motif, f.natureIllegalite,
                f.dateDepot, f.documents, f.emitter, f.siren, f.formulaires, xml);
    }

    private static Optional<Reply.ActeRecu> acte(ActeData data) {
        if (data == null) {
            return Optional.empty();
        }
        List<Integer> codes = new ArrayList<>();
        for (MatiereCodeEntry entry : new MatiereCodeEntry[] {data.getCodeMatiere1(), data.getCodeMatiere2(),
                data.getCodeMatiere3(), data.getCodeMatiere4(), data.getCodeMatiere5()}) {
            if (entry == null) break; // levels are nested: a missing level ends the path
            codes.add(entry.getCodeMatiere());
        }
        // CodeNatureActe is a required int attribute: JAXB leaves 0 when it is missing, and 0 is no nature
        Optional<Integer> nature = data.getCodeNatureActe() == 0 ? Optional.empty() : Optional.of(data.getCodeNatureActe());
        return Optional.of(new Reply.ActeRecu(Optional.ofNullable(data.getDate()), text(data.getNumeroInterne()),
                nature, text(data.getObjet()), codes, Optional.ofNullable(data.getClassificationDateVersion())));
    }

    private static Optional<Reply.Anomalie> anomalie(String nature, String detail) {
        Optional<String> n = text(nature);
        Optional<String> d = text(detail);
        if (n.isEmpty() && d.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Reply.Anomalie(n.orElse(""), d));
    }

    private static Optional<Reply.Emitter> emitter(StateSender sender) {
        if (sender == null) {
            return Optional.empty();
        }
        if (sender.getIDSousPref() != null && sender.getIDSousPref().getDepartement() != null) {
            return Optional.of(new Reply.Emitter(Reply.Emitter.Kind.SOUS_PREFECTURE,
                    sender.getIDSousPref().getDepartement().strip(), text(sender.getIDSousPref().getArrondissement())));
        }
        if (sender.getIDPref() != null && sender.getIDPref().getDepartement() != null) {
            return Optional.of(new Reply.Emitter(Reply.Emitter.Kind.PREFECTURE,
                    sender.getIDPref().getDepartement().strip(), Optional.empty()));
        }
        if (sender.getIDSGAR() != null && sender.getIDSGAR().getDepartement() != null) {
            return Optional.of(new Reply.Emitter(Reply.Emitter.Kind.SGAR,
                    sender.getIDSGAR().getDepartement().strip(), Optional.empty()));
        }
        return Optional.empty();
    }

    private static List<String> forms(AttachedForms forms) {
        List<String> names = new ArrayList<>();
        if (forms != null) {
            forms.getFormulaire().forEach(f -> addName(names, f));
        }
        return names;
    }

    /** The acte document then its annexes. */
    private static void acteDocuments(ActeData acte, List<String> names) {
        if (acte == null) {
            return;
        }
        addName(names, acte.getDocument());
        AnnexList annexes = acte.getAnnexes();
        if (annexes != null) {
            annexes.getAnnexe().forEach(a -> addName(names, a));
        }
    }

    private static void addName(List<String> names, SignedFile file) {
        if (file != null) {
            text(file.getNomFichier()).ifPresent(names::add);
        }
    }

    /** Trimmed text, empty when absent or blank. */
    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** Mutable holder used while mapping one message. */
    private static final class Fields {
        Optional<String> idActe = Optional.empty();
        Optional<LocalDate> dateReception = Optional.empty();
        Optional<LocalDate> dateCourrierPref = Optional.empty();
        Optional<LocalDate> date = Optional.empty();
        Optional<Reply.ActeRecu> acte = Optional.empty();
        Optional<LocalDate> classificationEnCours = Optional.empty();
        Optional<LocalDate> dateClassification = Optional.empty();
        Optional<Reply.Anomalie> anomalie = Optional.empty();
        Optional<String> description = Optional.empty();
        Optional<String> motif = Optional.empty();
        Optional<String> natureIllegalite = Optional.empty();
        Optional<LocalDate> dateDepot = Optional.empty();
        List<String> documents = new ArrayList<>();
        Optional<Reply.Emitter> emitter = Optional.empty();
        Optional<String> siren = Optional.empty();
        List<String> formulaires = new ArrayList<>();
    }
}
