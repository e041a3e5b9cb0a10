package fr.actesconnector.journal;

import java.util.Objects;

/**
 * Result of {@link Journal#register(NewActe)}: the entry, and whether this call created it. When
 * {@code created} is false the acte was already in the journal and {@code entry} shows its current
 * state: the caller must not post it again.
 */
public record Registration(JournalEntry entry, boolean created) {
    public Registration {
        Objects.requireNonNull(entry, "entry");
    }
}
