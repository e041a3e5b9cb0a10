package fr.actesconnector.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Selection for {@link Entries#list(EntryFilter)}: states (empty = all), one collectivité (its SIREN; empty =
 * all) and a range on the registration time, {@code from} inclusive, {@code to} exclusive; at most
 * {@code limit} entries, newest first.
 */
public record EntryFilter(Set<TransmissionState> states, Optional<String> siren, Optional<Instant> from,
                          Optional<Instant> to, int limit) {
    public static final int DEFAULT_LIMIT = 1000;
    public static final EntryFilter ALL = new EntryFilter(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(),
            DEFAULT_LIMIT);

    public EntryFilter {
        states = Set.copyOf(Objects.requireNonNull(states, "states"));
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 1) throw new IllegalArgumentException("limit must be positive: " + limit);
    }

    public EntryFilter withStates(Set<TransmissionState> newStates) {
        return new EntryFilter(newStates, siren, from, to, limit);
    }

    /** The actes of the collectivité {@code newSiren} only. */
    public EntryFilter withSiren(String newSiren) {
        return new EntryFilter(states, Optional.of(newSiren), from, to, limit);
    }

    public EntryFilter between(Instant newFrom, Instant newTo) {
        return new EntryFilter(states, siren, Optional.of(newFrom), Optional.of(newTo), limit);
    }

    public EntryFilter withLimit(int newLimit) {
        return new EntryFilter(states, siren, from, to, newLimit);
    }
}
