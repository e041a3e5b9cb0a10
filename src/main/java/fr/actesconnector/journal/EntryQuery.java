package fr.actesconnector.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One page of {@link Entries#listPage}: the actes of some collectivités (empty = all), in some states (empty =
 * all), optionally the one numbered so (numero interne, exact: the form is normalised as the ministry does),
 * registered in {@code [from, to)}, newest first, after {@code after} (the last row of the previous page), at
 * most {@code limit}. Each filter has its index (V9), and the page is read by its key rather than by an offset:
 * page 500 costs what page 1 costs.
 */
public record EntryQuery(Set<String> sirens, Set<TransmissionState> states, Optional<String> numero,
                         Optional<Instant> from, Optional<Instant> to, Optional<Cursor> after, int limit) {
    public static final int MAX_LIMIT = 1000;

    /** Where a page ended: the registration time and key of its last acte. */
    public record Cursor(Instant createdAt, long id) {
        public Cursor {
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** The cursor as a URL-safe token ({@code <epoch micros>.<id>}), for a "next page" link. */
        public String token() {
            long micros = Math.addExact(Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000L), createdAt.getNano() / 1000);
            return micros + "." + id;
        }

        /** The cursor of {@link #token()}; empty for anything else. */
        public static Optional<Cursor> parse(String token) {
            if (token == null || !token.matches("-?[0-9]{1,19}\\.[0-9]{1,19}")) return Optional.empty();
            try {
                int dot = token.indexOf('.');
                long micros = Long.parseLong(token.substring(0, dot));
                return Optional.of(new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000L), Long.parseLong(token.substring(dot + 1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    public EntryQuery {
        sirens = Set.copyOf(Objects.requireNonNull(sirens, "sirens"));
        states = Set.copyOf(Objects.requireNonNull(states, "states"));
        Objects.requireNonNull(numero, "numero");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit out of 1.." + MAX_LIMIT + ": " + limit);
    }

    /** The first page of every acte, {@code limit} rows. */
    public static EntryQuery first(int limit) {
        return new EntryQuery(Set.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public EntryQuery withSirens(Set<String> newSirens) {
        return new EntryQuery(newSirens, states, numero, from, to, after, limit);
    }

    public EntryQuery withStates(Set<TransmissionState> newStates) {
        return new EntryQuery(sirens, newStates, numero, from, to, after, limit);
    }

    public EntryQuery withNumero(String newNumero) {
        return new EntryQuery(sirens, states, Optional.of(newNumero), from, to, after, limit);
    }

    public EntryQuery between(Instant newFrom, Instant newTo) {
        return new EntryQuery(sirens, states, numero, Optional.of(newFrom), Optional.of(newTo), after, limit);
    }

    public EntryQuery after(Cursor cursor) {
        return new EntryQuery(sirens, states, numero, from, to, Optional.of(cursor), limit);
    }
}
