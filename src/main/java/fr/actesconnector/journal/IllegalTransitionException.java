package fr.actesconnector.journal;

import fr.actesconnector.model.Reason;

import java.util.Objects;

/** A state change the state machine does not allow; nothing was written. */
public final class IllegalTransitionException extends JournalException {
    private final long entryId;
    private final TransmissionState from;
    private final TransmissionState to;

    IllegalTransitionException(long entryId, String idActe, TransmissionState from, TransmissionState to) {
        super(Reason.INTERNAL,
                "L'acte " + idActe + " est dans l'état " + from.label() + " : il ne peut pas passer à l'état "
                        + to.label() + ". Consultez son historique (commande status) avant de réessayer.",
                idActe + ": illegal transition " + from + " -> " + to + " (entry " + entryId + ")");
        this.entryId = entryId;
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    public long entryId() {
        return entryId;
    }

    public TransmissionState from() {
        return from;
    }

    public TransmissionState to() {
        return to;
    }
}
