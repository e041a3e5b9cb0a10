package fr.actesconnector.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A document received from the prefecture or fetched from the TdT, kept as a file: its kind, the ACTES
 * message type when it is a message ({@code CourrierSimple}, {@code LettreObservations}…), the file and
 * its SHA-256, the prefecture's DateCourrierPref and the TdT's id of the document, when known.
 */
public record ReceivedDocument(Kind kind, Optional<String> messageType, Path path, long size, String sha256,
                               Optional<LocalDate> dateCourrierPref, Optional<String> tdtDocumentId,
                               Instant recordedAt) {

    public enum Kind { AR, STAMPED_PDF, BORDEREAU, COURRIER, COURRIER_FILE, ANSWER, ANOMALY, CANCELLATION, OTHER }

    public ReceivedDocument {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(dateCourrierPref, "dateCourrierPref");
        Objects.requireNonNull(tdtDocumentId, "tdtDocumentId");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (size < 0) throw new IllegalArgumentException("negative size: " + size);
        if (!ArchivedFile.SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase SHA-256: " + sha256);
        }
    }

    /** A document to record: {@code recordedAt} is set by the journal's clock. */
    public static ReceivedDocument of(Kind kind, Path path, long size, String sha256) {
        return new ReceivedDocument(kind, Optional.empty(), path, size, sha256, Optional.empty(), Optional.empty(),
                Instant.EPOCH);
    }

    public ReceivedDocument withMessageType(String type) {
        return new ReceivedDocument(kind, Optional.of(type), path, size, sha256, dateCourrierPref, tdtDocumentId,
                recordedAt);
    }

    public ReceivedDocument withDateCourrierPref(LocalDate date) {
        return new ReceivedDocument(kind, messageType, path, size, sha256, Optional.of(date), tdtDocumentId,
                recordedAt);
    }

    public ReceivedDocument withTdtDocumentId(String id) {
        return new ReceivedDocument(kind, messageType, path, size, sha256, dateCourrierPref, Optional.of(id),
                recordedAt);
    }
}
