package fr.actesconnector.journal;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where an acte stands in its transmission. The main line follows the TdT status codes
 * (S²LOW {@code actes_status}): PREPARED → POSTING → POSTED (1) → VALIDATED (2) → TRANSMITTED (3)
 * → ACKNOWLEDGED (4) → CANCEL_REQUESTED → CANCELLED (0); HELD (17) waits for a post-confirm;
 * ERROR (-1) and REJECTED (an anomaly of the ministry) end it with a reason.
 *
 * <p>Forward jumps are allowed (a poll may see 1 then 4); moving backward is not, except the two
 * recoveries the protocol needs: POSTING → PREPARED (the TdT lookup found no transaction, the post
 * never arrived) and CANCEL_REQUESTED → ACKNOWLEDGED (the TdT refused the cancellation).
 */
public enum TransmissionState {
    /** Registered, archive built, nothing sent yet. */
    PREPARED("Préparé", null),
    /** The POST is (or was, before a crash) in flight: look the acte up at the TdT before any resend. */
    POSTING("Envoi en cours", null),
    /** Held by the TdT until someone confirms the post (status 17). */
    HELD("En attente de validation sur le TdT par un agent télétransmetteur", 17),
    /** Accepted by the TdT, being checked (status 1). */
    POSTED("Posté sur le TdT", 1),
    /** Validated by the TdT, queued for the ministry (status 2). */
    VALIDATED("En attente de transmission", 2),
    /** Sent to the ministry, waiting for the AR (status 3). */
    TRANSMITTED("Transmis à la préfecture", 3),
    /** ARActe received (status 4). */
    ACKNOWLEDGED("Accusé de réception reçu", 4),
    /** A cancellation (6-1) is being or has been posted. */
    CANCEL_REQUESTED("Annulation demandée", null),
    /** ARAnnulation received (status 0). */
    CANCELLED("Annulé", 0),
    /** The TdT refused or failed the transmission (status -1). */
    ERROR("En erreur", -1),
    /** The ministry answered with an AnomalieActe or AnomalieEnveloppe. */
    REJECTED("Rejeté par la préfecture", null);

    private static final Set<TransmissionState> PENDING =
            EnumSet.of(POSTING, HELD, POSTED, VALIDATED, TRANSMITTED, CANCEL_REQUESTED);

    private final String label;
    private final Integer tdtStatus;

    TransmissionState(String label, Integer tdtStatus) {
        this.label = label;
        this.tdtStatus = tdtStatus;
    }

    /** French label for people. */
    public String label() {
        return label;
    }

    /** The TdT status code this state stands for, when it has one. */
    public Optional<Integer> tdtStatus() {
        return Optional.ofNullable(tdtStatus);
    }

    /** True while the TdT still has news to give: the poller leases only these. */
    public boolean isPending() {
        return PENDING.contains(this);
    }

    /** True when no transition leaves this state. */
    public boolean isFinal() {
        return allowedNext().isEmpty();
    }

    /** The states this one may move to. */
    public Set<TransmissionState> allowedNext() {
        return switch (this) {
            case PREPARED -> EnumSet.of(POSTING, ERROR);
            case POSTING -> EnumSet.of(PREPARED, HELD, POSTED, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED);
            case HELD -> EnumSet.of(POSTED, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED);
            // POSTED is recorded on the TdT's OK, before its first status: that status may be 17 (a CS-only account).
            case POSTED -> EnumSet.of(HELD, VALIDATED, TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED);
            case VALIDATED -> EnumSet.of(TRANSMITTED, ACKNOWLEDGED, ERROR, REJECTED);
            case TRANSMITTED -> EnumSet.of(ACKNOWLEDGED, ERROR, REJECTED);
            // CANCELLED directly: an ARAnnulation may follow a cancellation made on the TdT's web page.
            case ACKNOWLEDGED -> EnumSet.of(CANCEL_REQUESTED, CANCELLED);
            case CANCEL_REQUESTED -> EnumSet.of(CANCELLED, ACKNOWLEDGED);
            // The anomaly explains an earlier -1.
            case ERROR -> EnumSet.of(REJECTED);
            case CANCELLED, REJECTED -> EnumSet.noneOf(TransmissionState.class);
        };
    }

    public boolean canMoveTo(TransmissionState next) {
        return allowedNext().contains(next);
    }

    /**
     * True when {@code other} lies strictly behind this state on the way to an outcome, so a TdT
     * status showing {@code other} is old news (e.g. status 4 while a cancellation is requested,
     * -1 after the anomaly that explains it).
     */
    public boolean isAhead(TransmissionState other) {
        if (this == REJECTED) return other == ERROR || other.ordinal() < ACKNOWLEDGED.ordinal();
        if (this == ERROR) return other.ordinal() < ACKNOWLEDGED.ordinal();
        if (this == POSTED && other == HELD) return false;
        return other.ordinal() < ordinal() && other != ERROR && other != REJECTED;
    }

    /**
     * The state a TdT status code means for an outgoing acte, e.g. 1 → POSTED, 4 → ACKNOWLEDGED.
     * 5 (validated after the legality window) and the archiving states (12–16, 19, 20, 22) mean the AR
     * is there; 17 and 18 mean held. Codes that only concern incoming documents (7, 8, 21) or that no
     * S²LOW code sets (9–11) give empty.
     */
    public static Optional<TransmissionState> fromTdtStatus(int code) {
        return Optional.ofNullable(switch (code) {
            case -1 -> ERROR;
            case 0 -> CANCELLED;
            case 1 -> POSTED;
            case 2 -> VALIDATED;
            case 3 -> TRANSMITTED;
            case 4, 5, 12, 13, 14, 15, 16, 19, 20, 22 -> ACKNOWLEDGED;
            case 6 -> REJECTED;
            case 17, 18 -> HELD;
            default -> null;
        });
    }
}
