package fr.actesconnector.simulator;

/**
 * An account's right on S²LOW's actes module. S²LOW grants a checked right when the account's right
 * is exactly that one or {@code RW} (class/User.php, checkDroit); the status read needs {@code RW}
 * (canEdit). So a {@code TT} account cannot post an acte, and a {@code CS} one cannot read statuses.
 */
public enum Right {
    /** "Modification": every action of the module. */
    RW,
    /** Consultation/saisie: posts actes, always held in status 17; answers prefecture letters; fetches the classification. */
    CS,
    /** Télétransmission: releases held actes (post_confirm_api), cancels, requests the classification. */
    TT;

    /** S²LOW's checkDroit: exactly {@code needed}, or RW. */
    boolean allows(Right needed) {
        return this == RW || this == needed;
    }
}
