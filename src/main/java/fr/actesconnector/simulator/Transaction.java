package fr.actesconnector.simulator;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated S²LOW transaction (type 1 acte, 6 cancel, 7 classification request). The posted
 * facts are immutable; the status moves lazily, when someone looks ({@link #advance}), following the
 * {@link Pacing}. Files live on disk; only their names, sizes and digests are held here.
 */
final class Transaction {
    static final int TYPE_ACTE = 1;
    static final int TYPE_CANCEL = 6;
    static final int TYPE_CLASSIFICATION = 7;

    /** A stored file of an acte: the message XML (index 0), the document (1), annexes (2…). */
    record StoredFile(long id, String name, String postedName, String mimeType, long size, String sha256,
                      String codePj, Optional<Path> signature, Path path, Optional<FileKind> kind) {
    }

    /** What was posted for an acte; absent for the other types. */
    record Posted(String number, Nature nature, LocalDate decisionDate, String subject, Classification classification,
                  boolean documentPapier, IdActe idActe, List<StoredFile> files) {
        Posted {
            files = List.copyOf(files);
        }
    }

    /** The planned ministry answer of an acte meant to fail. */
    record Anomaly(String nature, String detail) {
    }

    /** A consistent view of the transaction at one instant. */
    record Snapshot(int status, Optional<Instant> sentAt, Optional<Instant> receivedAt, Optional<Path> flow,
                    String message) {
    }

    final long id;
    final int type;
    final Instant postedAt;
    final Optional<Posted> posted;
    /** The acte a cancel transaction cancels. */
    final Optional<IdActe> target;
    final Path dir;
    private final Pacing pacing;
    private final Optional<Anomaly> anomaly;
    private final FlowWriter flows;

    // guarded by this
    private int status;
    private Instant lastStepAt;
    private int pollsSinceStep;
    private Instant sentAt;
    private Instant receivedAt;
    private Path flow;
    private String message = "";
    private Transaction cancel;

    /** Writes the return flow (ARActe, AnomalieActe, ARAnnulation) of a transaction when its status is reached. */
    interface FlowWriter {
        Path arrived(Transaction t, int status, Instant at, Optional<Anomaly> anomaly);
    }

    Transaction(long id, int type, Instant postedAt, Optional<Posted> posted, Optional<IdActe> target, Path dir,
                Pacing pacing, boolean held, Optional<Anomaly> anomaly, FlowWriter flows) {
        this.id = id;
        this.type = type;
        this.postedAt = Objects.requireNonNull(postedAt, "postedAt");
        this.posted = Objects.requireNonNull(posted, "posted");
        this.target = Objects.requireNonNull(target, "target");
        this.dir = dir;
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        this.anomaly = Objects.requireNonNull(anomaly, "anomaly");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.status = held ? 17 : 1;
        this.lastStepAt = postedAt;
    }

    /**
     * Moves the status forward as far as the pacing allows at {@code now}; a {@code poll} (status
     * read by the client) counts towards the pacing. Returns the resulting view.
     */
    synchronized Snapshot advance(Instant now, boolean poll) {
        while (status >= 1 && status <= 3) {
            Instant due = lastStepAt.plus(pacing.perStep());
            if (now.isBefore(due) || pollsSinceStep < pacing.pollsPerStep()) break;
            Instant at = pacing.pollsPerStep() == 0 ? due : now;
            step(at);
        }
        if (cancel != null && status == 4) {
            Snapshot c = cancel.advance(now, poll);
            if (c.status() == 4) {
                status = 0;
                flow = c.flow().orElse(null);
                lastStepAt = c.receivedAt().orElse(now);
            }
        }
        if (poll) pollsSinceStep++;
        return snapshot();
    }

    private void step(Instant at) {
        pollsSinceStep = 0;
        lastStepAt = at;
        if (status == 3) {
            if (anomaly.isPresent() && type == TYPE_ACTE) {
                status = -1;
                flow = flows.arrived(this, -1, at, anomaly);
                message = "Anomalie signalee par le MI : " + anomaly.get().nature() + " - " + anomaly.get().detail();
            } else {
                status = 4;
                receivedAt = at;
                flow = flows.arrived(this, 4, at, Optional.empty());
            }
            return;
        }
        if (status == 2) sentAt = at;
        status++;
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

    synchronized Snapshot snapshot() {
        return new Snapshot(status, Optional.ofNullable(sentAt), Optional.ofNullable(receivedAt), Optional.ofNullable(flow),
                message);
    }
}
