package fr.actesconnector.journal;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * An acte as the journal knows it, read in one go; immutable. Files, history, anomalies, documents and
 * the ARActe XML are read separately ({@link ActeFiles#archived}, {@link Entries#history}…).
 *
 * @param id              the journal's key, used by every other method
 * @param attempts        consecutive failed calls to the TdT about this acte since the last answer
 * @param dateReception   DateReception of the ARActe, once acknowledged
 * @param leaseOwner      the poller holding the acte until {@code leaseUntil}
 */
public record JournalEntry(
        long id,
        IdActe idActe,
        String siren,
        String numero,
        String numeroInterne,
        LocalDate dateDecision,
        Nature nature,
        Classification classification,
        String objet,
        boolean documentPapier,
        Optional<Path> archivePath,
        TransmissionState state,
        Optional<String> transactionId,
        Optional<Integer> tdtStatus,
        Optional<String> cancelTransactionId,
        int attempts,
        Optional<String> lastError,
        Optional<String> leaseOwner,
        Optional<Instant> leaseUntil,
        Optional<Instant> nextPollAt,
        Optional<LocalDate> dateReception,
        Instant createdAt,
        Instant updatedAt) {

    public JournalEntry {
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(numero, "numero");
        Objects.requireNonNull(numeroInterne, "numeroInterne");
        Objects.requireNonNull(dateDecision, "dateDecision");
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(objet, "objet");
        Objects.requireNonNull(archivePath, "archivePath");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(tdtStatus, "tdtStatus");
        Objects.requireNonNull(cancelTransactionId, "cancelTransactionId");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(nextPollAt, "nextPollAt");
        Objects.requireNonNull(dateReception, "dateReception");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
