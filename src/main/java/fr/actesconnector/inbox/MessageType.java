package fr.actesconnector.inbox;

import java.util.Arrays;
import java.util.Optional;

/** Root elements of the ACTES catalogue (protocol section 2) and the three envelope roots. */
public enum MessageType {
    ACTE("Acte", "1-1"),
    AR_ACTE("ARActe", "1-2"),
    ANOMALIE_ACTE("AnomalieActe", "1-3"),
    COURRIER_SIMPLE("CourrierSimple", "2-1"),
    REPONSE_COURRIER_SIMPLE("ReponseCourrierSimple", "2-2"),
    DEMANDE_PIECE_COMPLEMENTAIRE("DemandePieceComplementaire", "3-1"),
    AR_DEMANDE_PIECE_COMPLEMENTAIRE("ARDemandePieceComplementaire", "3-2"),
    REFUS_PIECE_COMPLEMENTAIRE("RefusPieceComplementaire", "3-3"),
    PIECE_COMPLEMENTAIRE("PieceComplementaire", "3-4"),
    AR_PIECE_COMPLEMENTAIRE("ARPieceComplementaire", "3-5"),
    LETTRE_OBSERVATIONS("LettreObservations", "4-1"),
    AR_LETTRE_OBSERVATIONS("ARLettreObservations", "4-2"),
    REJET_LETTRE_OBSERVATIONS("RejetLettreObservations", "4-3"),
    REPONSE_LETTRE_OBSERVATIONS("ReponseLettreObservations", "4-4"),
    AR_REPONSE_REJET_LETTRE_OBSERVATIONS("ARReponseRejetLettreObservations", "4-5"),
    DEFERE_TA("DefereTA", "5-1"),
    ANNULATION("Annulation", "6-1"),
    AR_ANNULATION("ARAnnulation", "6-2"),
    DEMANDE_CLASSIFICATION("DemandeClassification", "7-1"),
    RETOUR_CLASSIFICATION("RetourClassification", "7-2"),
    REPONSE_CLASSIFICATION_SANS_CHANGEMENT("ReponseClassificationSansChangement", "7-3"),
    ENVELOPPE_CL_MISILL("EnveloppeCLMISILL", null),
    ENVELOPPE_MISILL_CL("EnveloppeMISILLCL", null),
    ANOMALIE_ENVELOPPE("AnomalieEnveloppe", null);

    private final String rootName;
    private final String code;

    MessageType(String rootName, String code) {
        this.rootName = rootName;
        this.code = code;
    }

    /** Local name of the root element, e.g. {@code ARActe}. */
    public String rootName() {
        return rootName;
    }

    /** Transaction subtype used in file names ({@code 1-2}); empty for envelope roots. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public static Optional<MessageType> ofRootName(String rootName) {
        return Arrays.stream(values()).filter(t -> t.rootName.equals(rootName)).findFirst();
    }

    public boolean isEnvelope() {
        return this == ENVELOPPE_CL_MISILL || this == ENVELOPPE_MISILL_CL;
    }

    /** The acte or the whole envelope was refused by the ministry. */
    public boolean isAnomaly() {
        return this == ANOMALIE_ACTE || this == ANOMALIE_ENVELOPPE;
    }

    /** A letter of the prefecture the secretariat must read and may have to answer. */
    public boolean isCourrier() {
        return this == COURRIER_SIMPLE || this == DEMANDE_PIECE_COMPLEMENTAIRE || this == LETTRE_OBSERVATIONS
                || this == DEFERE_TA;
    }

    /** Sent by the prefecture (or the ministry) to the collectivité. */
    public boolean isFromPrefecture() {
        return switch (this) {
            case AR_ACTE, ANOMALIE_ACTE, COURRIER_SIMPLE, DEMANDE_PIECE_COMPLEMENTAIRE, AR_PIECE_COMPLEMENTAIRE,
                    LETTRE_OBSERVATIONS, AR_REPONSE_REJET_LETTRE_OBSERVATIONS, DEFERE_TA, AR_ANNULATION,
                    RETOUR_CLASSIFICATION, REPONSE_CLASSIFICATION_SANS_CHANGEMENT, ENVELOPPE_MISILL_CL,
                    ANOMALIE_ENVELOPPE -> true;
            default -> false;
        };
    }
}
