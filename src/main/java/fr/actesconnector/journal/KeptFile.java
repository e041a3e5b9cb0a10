package fr.actesconnector.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A file the journal keeps for an acte, sent or received: its kind ({@code archive}, {@code document},
 * {@code annexe}, {@code signature}, then the kinds of {@link ReceivedDocument.Kind} in lower case),
 * its name, where it is, and when the journal recorded it (unknown for files recorded before schema V4).
 */
public record KeptFile(String kind, String name, Path path, Optional<Instant> receivedAt, Optional<String> messageType) {
    public KeptFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(messageType, "messageType");
    }
}
