package fr.actesconnector.simulator;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated S²LOW transaction (a row of actes_transactions): an acte (type 1), a cancellation
 * (6), a classification request (7), a prefecture letter received (2 to 5) or the collectivité's
 * answer to one (the letter's type). Its facts are immutable; the status moves lazily, when someone
 * looks ({@link #advance}), at the {@link Pacing}, each step decided by the {@link Steps} (the TdT's
 * workers and the simulated prefecture). Files live on disk; only names, sizes and digests are held.
 */
final class Transaction {
    static final int TYPE_ACTE = 1;
    static final int TYPE_CANCEL = 6;
    static final int TYPE_CLASSIFICATION = 7;

    enum Kind { ACTE, CANCEL, CLASSIFICATION, LETTER, ANSWER }

    /** A stored file: the message XML first, then the document, then annexes or attachments. */
    record StoredFile(long id, String name, String postedName, String mimeType, long size, String sha256,
                      String codePj, Optional<Path> signature, Path path, Optional<FileKind> kind) {
    }

    /** What was posted for an acte, by an account of {@code authority}. */
    record Posted(Collectivite authority, String number, Nature nature, LocalDate decisionDate, String subject,
                  Classification classification, boolean documentPapier, IdActe idActe, List<StoredFile> files) {
        Posted {
            Objects.requireNonNull(authority, "authority");
            files = List.copyOf(files);
        }
    }

    /**
     * The columns list_actes shows; related transactions copy them from the acte, with their own date
     * (ActesTransactionsSQL::createRelatedTransaction), cancellations only the number and classification.
     */
    record Listing(String number, String subject, Optional<LocalDate> date, String natureDescr, String classification) {
        static final Listing EMPTY = new Listing("", "", Optional.empty(), "", "");
    }

    /** The planned ministry answer of an acte meant to fail. */
    record Anomaly(String nature, String detail) {
    }

    /**
     * Everything fixed at creation. {@code code} is the message code (1-1, 6-1, 7-1, 3-1, 3-4…),
     * {@code idActe} the acte's IDActe (a copy of its unique_id for related transactions).
     */
    record Facts(long id, int type, Kind kind, String code, long envelopeId, Optional<Long> relatedId, String owner,
                 Instant postedAt, Listing listing, Path dir, Optional<Posted> posted, Optional<IdActe> idActe,
                 List<StoredFile> files, Optional<Integer> typeReponse, Optional<Anomaly> anomaly) {
        Facts {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(relatedId, "relatedId");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(postedAt, "postedAt");
            Objects.requireNonNull(listing, "listing");
            Objects.requireNonNull(posted, "posted");
            Objects.requireNonNull(idActe, "idActe");
            files = List.copyOf(files);
            Objects.requireNonNull(typeReponse, "typeReponse");
            Objects.requireNonNull(anomaly, "anomaly");
        }
    }

    /** A consistent view of the transaction at one instant; {@code flow} is the return flow of that status. */
    record Snapshot(int status, Optional<Instant> sentAt, Optional<Instant> receivedAt, Optional<Path> flow,
                    String message, boolean leftInitialStates) {
    }

    /** One move of the workflow, with its message and the return flow stored with it. */
    record Step(int status, String message, Optional<Path> flow) {
    }

    /** Decides what follows a status (called under the transaction's lock); empty: the transaction stays. */
    interface Steps {
        Optional<Step> after(Transaction t, int status, Instant at);
    }

    final Facts facts;
    final long id;
    final int type;
    final Kind kind;
    private final Pacing pacing;
    private final Steps steps;

    // guarded by this
    private int status;
    private Instant lastStepAt;
    private int pollsSinceStep;
    private Instant sentAt;
    private Instant receivedAt;
    /** The return flow stored with each status reached (flux_retour of actes_transactions_workflow). */
    private final Map<Integer, Path> flows = new HashMap<>();
    private String message;
    private boolean leftInitialStates;
    private boolean read;
    private Transaction cancel;

    Transaction(Facts facts, int initialStatus, String initialMessage, Pacing pacing, Steps steps) {
        this.facts = Objects.requireNonNull(facts, "facts");
        this.id = facts.id();
        this.type = facts.type();
        this.kind = facts.kind();
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.status = initialStatus;
        this.message = Objects.requireNonNull(initialMessage, "initialMessage");
        this.lastStepAt = facts.postedAt();
        this.leftInitialStates = !isInitial(initialStatus);
    }

    /** Statuses 1, 2, 3: get_files_list answers "Pas d'acquittement recu" while a transaction has seen only these. */
    private static boolean isInitial(int status) {
        return status >= 1 && status <= 3;
    }

    /**
     * Moves the status forward as far as the pacing allows at {@code now}; a {@code poll} (status
     * read by the client) counts towards the pacing. Returns the resulting view.
     */
    synchronized Snapshot advance(Instant now, boolean poll) {
        while (true) {
            Instant due = lastStepAt.plus(pacing.perStep());
            if (now.isBefore(due) || pollsSinceStep < pacing.pollsPerStep()) break;
            Instant at = pacing.pollsPerStep() == 0 ? due : now;
            Optional<Step> next = steps.after(this, status, at);
            if (next.isEmpty()) break;
            apply(next.get(), at);
        }
        if (cancel != null && status == 4) {
            Snapshot c = cancel.advance(now, poll);
            if (c.status() == 4) {
                status = 0;
                c.flow().ifPresent(f -> flows.put(0, f));
                message = c.message();
                lastStepAt = c.receivedAt().orElse(now);
                leftInitialStates = true;
            }
        }
        if (poll) pollsSinceStep++;
        return snapshot();
    }

    private void apply(Step step, Instant at) {
        pollsSinceStep = 0;
        lastStepAt = at;
        status = step.status();
        message = step.message();
        step.flow().ifPresent(f -> flows.put(step.status(), f));
        if (status == 3) sentAt = at;
        if (status == 4) receivedAt = at;
        if (!isInitial(status)) leftInitialStates = true;
    }

    /** actes_transac_post_confirm_api.php: 17 → 1; false when the transaction is not held. */
    synchronized boolean release(Instant now, String releaseMessage) {
        if (status != 17) return false;
        status = 1;
        message = releaseMessage;
        lastStepAt = now;
        pollsSinceStep = 0;
        return true;
    }

    /** Registers a cancel transaction; false when this acte cannot be cancelled now. */
    synchronized boolean attachCancel(Transaction cancelTransaction) {
        if (status != 4 || cancel != null) return false;
        cancel = cancelTransaction;
        return true;
    }

    synchronized boolean cancelPending() {
        return cancel != null;
    }

    /** The unique_id column: an acte's is set when its ARActe arrives; related transactions copy the acte's. */
    synchronized Optional<IdActe> uniqueId() {
        if (kind == Kind.ACTE) return receivedAt == null ? Optional.empty() : facts.idActe();
        return facts.idActe();
    }

    /** The "lu" flag of prefecture documents (api/document_prefecture_mark_as_read.php). */
    synchronized void markRead() {
        read = true;
    }

    synchronized boolean isRead() {
        return read;
    }

    /** ActesTransaction::getFluxRetour: the flow stored when {@code status} was reached, if any. */
    synchronized Optional<Path> flow(int status) {
        return Optional.ofNullable(flows.get(status));
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(status, Optional.ofNullable(sentAt), Optional.ofNullable(receivedAt), flow(status),
                message, leftInitialStates);
    }
}
