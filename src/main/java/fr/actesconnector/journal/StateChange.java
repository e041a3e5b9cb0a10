package fr.actesconnector.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.model.Actor;

/**
 * One row of an acte's history; {@code from} is empty for the registration. {@code actor} is who asked for it
 * (send, cancel, publication, answer…), empty for what the TdT and the prefecture did and for rows written before
 * the journal recorded it. An action that leaves the state as it is (a publication, an answer) has {@code from}
 * equal to {@code to}.
 */
public record StateChange(Optional<TransmissionState> from, TransmissionState to, Optional<Integer> tdtStatus,
                          Instant at, Optional<String> detail, Optional<Actor> actor) {
    public StateChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(tdtStatus, "tdtStatus");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(actor, "actor");
    }

    public StateChange(Optional<TransmissionState> from, TransmissionState to, Optional<Integer> tdtStatus, Instant at,
                       Optional<String> detail) {
        this(from, to, tdtStatus, at, detail, Optional.empty());
    }
}
