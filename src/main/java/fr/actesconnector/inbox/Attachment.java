package fr.actesconnector.inbox;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A file that came with the messages and is not an ACTES message (a PDF letter, a stamped acte…).
 *
 * @param name        name as sent (archive entry or attachment file name), for display only
 * @param contentType MIME type when the e-mail stated one, else guessed from the name
 * @param size        bytes
 * @param sha256      lower-case hex SHA-256 of the content
 * @param savedAs     where it was written, when the caller gave a directory
 */
public record Attachment(String name, String contentType, long size, String sha256, Optional<Path> savedAs) {
    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(savedAs, "savedAs");
    }
}
