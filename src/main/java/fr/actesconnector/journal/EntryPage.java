package fr.actesconnector.journal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of {@link Entries#listPage}: its actes, newest first, and where the next page starts when there is one. */
public record EntryPage(List<JournalEntry> entries, Optional<EntryQuery.Cursor> next) {
    public EntryPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        Objects.requireNonNull(next, "next");
    }
}
