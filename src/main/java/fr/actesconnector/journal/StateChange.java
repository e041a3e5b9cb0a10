package fr.actesconnector.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One row of an acte's history; {@code from} is empty for the registration. */
public record StateChange(Optional<TransmissionState> from, TransmissionState to, Optional<Integer> tdtStatus,
                          Instant at, Optional<String> detail) {
    public StateChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(tdtStatus, "tdtStatus");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detail, "detail");
    }
}
