package fr.actesconnector.tdt;

import java.util.Optional;

/** Transaction statuses of S²LOW ({@code actes_status}), with their French labels. */
public enum TdtStatus {
    ERREUR(-1, "Erreur"),
    ANNULE(0, "Annulé"),
    POSTE(1, "Posté"),
    EN_ATTENTE_TRANSMISSION(2, "En attente de transmission"),
    TRANSMIS(3, "Transmis"),
    ACQUITTEMENT_RECU(4, "Acquittement reçu"),
    VALIDE(5, "Validé"),
    REFUSE(6, "Refusé"),
    DOCUMENT_RECU(7, "Document reçu"),
    ACQUITTEMENT_ENVOYE(8, "Acquittement envoyé"),
    DOCUMENT_ENVOYE(9, "Document envoyé"),
    REFUS_ENVOI(10, "Refus d'envoie"),
    ACQUITTEMENT_DOCUMENT_RECU(11, "Acquittement de document reçu"),
    ENVOYE_SAE(12, "Envoyé au SAE"),
    ARCHIVE_SAE(13, "Archivé par le SAE"),
    ERREUR_ARCHIVAGE(14, "Erreur lors de l'archivage"),
    RECU_SAE(15, "Reçu par le SAE"),
    DETRUITE(16, "Détruite"),
    EN_ATTENTE_POSTEE(17, "En attente d'être postée"),
    EN_ATTENTE_SIGNATURE(18, "En attente d'être signé"),
    EN_ATTENTE_TRANSMISSION_SAE(19, "En attente de transmission au SAE"),
    ERREUR_ENVOI_SAE(20, "Erreur lors de l'envoi au SAE"),
    DOCUMENT_RECU_SANS_AR(21, "Document reçu (pas d'AR)"),
    IMPOSSIBLE_ENVOYER_SAE(22, "Impossible d'envoyer au SAE");

    private final int code;
    private final String label;

    TdtStatus(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Optional<TdtStatus> ofCode(int code) {
        for (TdtStatus s : values()) {
            if (s.code == code) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** Label of any code, including codes this version does not know. */
    public static String labelOf(int code) {
        return ofCode(code).map(TdtStatus::label).orElse("Statut inconnu (" + code + ")");
    }

    /** Accepted by the TdT but not yet acknowledged by the prefecture: keep polling. */
    public boolean isPending() {
        return this == EN_ATTENTE_POSTEE || this == POSTE || this == EN_ATTENTE_TRANSMISSION || this == TRANSMIS;
    }

    /** The prefecture's acknowledgement exists (4, 5 and the archiving states that follow it). */
    public boolean isAcknowledged() {
        return switch (this) {
            case ACQUITTEMENT_RECU, VALIDE, ENVOYE_SAE, ARCHIVE_SAE, ERREUR_ARCHIVAGE, RECU_SAE, DETRUITE,
                    EN_ATTENTE_TRANSMISSION_SAE, ERREUR_ENVOI_SAE, IMPOSSIBLE_ENVOYER_SAE -> true;
            default -> false;
        };
    }

    public boolean isError() {
        return this == ERREUR;
    }
}
