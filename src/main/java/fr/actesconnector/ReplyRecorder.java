package fr.actesconnector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.inbox.ActeLabels;
import fr.actesconnector.inbox.ActeMatch;
import fr.actesconnector.inbox.Attachment;
import fr.actesconnector.inbox.MessageType;
import fr.actesconnector.inbox.Notifier;
import fr.actesconnector.inbox.ParseResult;
import fr.actesconnector.inbox.Reply;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Reason;

/**
 * Writes the prefecture's replies (from e-mails, archives, files or the TdT) into the journal,
 * each matched to its acte, and tells the secretariat. Recording is idempotent: a mail handed over
 * twice (crash before it was moved) changes nothing the second time.
 */
public final class ReplyRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyRecorder.class);

    /** What happened to one reply. */
    public record Outcome(Reply reply, Optional<JournalEntry> entry, String what) {
        public boolean matched() {
            return entry.isPresent();
        }
    }

    private final ActesConnector connector;
    private final Optional<Notifier> notifier;

    ReplyRecorder(ActesConnector connector, Optional<Notifier> notifier) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    /** Records every reply of {@code result}; replies about no acte of the journal are reported, not recorded. */
    public List<Outcome> record(ParseResult result) {
        return record(result, Optional.empty());
    }

    /**
     * As {@link #record(ParseResult)}; the files that came with a prefecture letter (its PDF) are kept
     * on the letter's acte too, with the TdT's id of the letter when it came from the TdT.
     */
    public List<Outcome> record(ParseResult result, Optional<String> tdtDocumentId) {
        List<Outcome> out = new ArrayList<>();
        for (Reply r : result.replies()) {
            List<Outcome> outcomes = recordOne(r);
            out.addAll(outcomes);
            if (!r.type().isCourrier()) continue;
            for (Outcome o : outcomes) {
                o.entry().ifPresent(e -> {
                    recordLetterFiles(e, r, result.attachments(), tdtDocumentId);
                    recordLetter(e, r, result.attachments(), tdtDocumentId);
                });
            }
        }
        return out;
    }

    /**
     * The letter itself, once on its acte whatever the channel: type, date, text, PDF, the TdT's id. A DefereTA
     * has no DateCourrierPref: it is dated by its DateDepot.
     */
    private void recordLetter(JournalEntry e, Reply r, List<Attachment> attachments, Optional<String> tdtDocumentId) {
        Optional<LocalDate> date = letterDate(r);
        if (date.isEmpty()) {
            LOG.warn("{}: {} without DateCourrierPref, not kept as a letter", e.idActe(), r.type().rootName());
            return;
        }
        Optional<String> text = r.description().or(r::motif).or(r::natureIllegalite);
        Optional<Path> pdf = attachments.stream().map(Attachment::savedAs).flatMap(Optional::stream)
                .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")).findFirst();
        connector.journal().letters().record(e.id(), new Letters.NewLetter(r.type().rootName(), date.get(),
                tdtDocumentId, text, pdf));
    }

    /** The date of a letter: its DateCourrierPref, or the DateDepot of a DefereTA. */
    private static Optional<LocalDate> letterDate(Reply r) {
        return r.dateCourrierPref().or(r::dateDepot);
    }

    /** The AR of an answer (3-5, 4-5) received by e-mail: the answer to the letter of that date is acknowledged. */
    private void recordAnswerAcknowledgement(JournalEntry e, Reply r) {
        String letterType = r.type() == MessageType.AR_PIECE_COMPLEMENTAIRE ? "DemandePieceComplementaire" : "LettreObservations";
        Letters letters = connector.journal().letters();
        for (Letters.Letter l : letters.ofActe(e.id())) {
            if (!l.type().equals(letterType)) continue;
            if (r.dateCourrierPref().isPresent() && !r.dateCourrierPref().get().equals(l.dateCourrierPref())) continue;
            Optional<Letters.Answer> answer = letters.answerOf(l.id());
            if (answer.isPresent() && answer.get().state() != Letters.AnswerState.ACKNOWLEDGED && r.dateReception().isPresent()
                    && answer.get().transactionId().isPresent()) {
                letters.recordAnswerAcknowledged(answer.get().id(), r.dateReception().get(), r.xml().text());
            }
        }
    }

    private void recordLetterFiles(JournalEntry e, Reply r, List<Attachment> attachments, Optional<String> tdtDocumentId) {
        for (Attachment a : attachments) {
            if (a.savedAs().isEmpty()) continue;
            ArchivedFile f = ActesConnector.file(ArchivedFile.Role.DOCUMENT, a.name(), a.savedAs().get());
            ReceivedDocument d = ReceivedDocument.of(ReceivedDocument.Kind.COURRIER_FILE, f.path(), f.size(), f.sha256())
                    .withMessageType(r.type().rootName());
            d = letterDate(r).map(d::withDateCourrierPref).orElse(d);
            connector.journal().files().recordDocument(e.id(), tdtDocumentId.map(d::withTdtDocumentId).orElse(d));
        }
    }

    private List<Outcome> recordOne(Reply r) {
        Journal journal = connector.journal();
        List<JournalEntry> entries = find(journal, r.match());
        if (r.xml().encoding().mismatch()) {
            LOG.warn("{} from {}: declares {} but its bytes are {}; read as {}", r.type().rootName(), r.sourceFile(),
                    r.xml().encoding().declared(), r.xml().encoding().actual(), r.xml().encoding().actual());
        }
        if (entries.isEmpty()) {
            if (!(r.match() instanceof ActeMatch.None)) {
                // the caller tells people, in French, which acte and what to do; the log keeps the fact
                LOG.info("{} {} from {}: no matching acte in the journal", r.idActe().orElse("(no IDActe)"),
                        r.type().rootName(), r.sourceFile());
                return List.of(new Outcome(r, Optional.empty(), "aucun acte correspondant dans le journal"));
            }
            return List.of(new Outcome(r, Optional.empty(), "sans rapport avec un acte (ignoré)"));
        }
        List<Outcome> out = new ArrayList<>();
        for (JournalEntry e : entries) {
            boolean[] newDocument = {false};
            JournalEntry after = apply(journal, e, r, newDocument);
            out.add(new Outcome(r, Optional.of(after), describe(r.type())));
            // Once per event: an AR seen on the TdT and then by e-mail is told only once.
            boolean stateChanged = after.state() != e.state();
            boolean isCourrier = r.type().isCourrier();
            if (stateChanged || (isCourrier && newDocument[0])) notify(r, after);
        }
        return out;
    }

    private List<JournalEntry> find(Journal journal, ActeMatch match) {
        if (match instanceof ActeMatch.ByIdActe m) {
            return IdActe.parse(m.idActe()).flatMap(journal.entries()::findByIdActe).stream().toList();
        }
        if (match instanceof ActeMatch.ByActeIdentity m) {
            // A message without SIREN: the acte of that number among the configured collectivités.
            List<String> sirens = m.siren().map(List::of).orElseGet(() -> connector.config().collectivites().stream()
                    .map(CollectiviteConfig::siren).toList());
            return sirens.stream().flatMap(siren -> journal.entries().findByNumero(siren, m.numeroInterne(), m.decisionDate()).stream())
                    .toList();
        }
        if (match instanceof ActeMatch.ByEnvelopeForms m) {
            return m.idActes().stream().map(IdActe::parse).flatMap(Optional::stream)
                    .map(journal.entries()::findByIdActe).flatMap(Optional::stream).toList();
        }
        return List.of();
    }

    private JournalEntry apply(Journal journal, JournalEntry e, Reply r, boolean[] newDocument) {
        Path file = save(e, r);
        switch (r.type()) {
            case AR_ACTE -> {
                JournalEntry after = e;
                if (r.dateReception().isPresent() && e.state() != TransmissionState.CANCELLED
                        && e.state() != TransmissionState.CANCEL_REQUESTED) {
                    after = journal.recordAcknowledgement(e.id(), r.xml().text(), r.dateReception().get());
                }
                journal.files().recordDocument(e.id(), document(ReceivedDocument.Kind.AR, file, r));
                return after;
            }
            case ANOMALIE_ACTE, ANOMALIE_ENVELOPPE -> {
                journal.files().recordDocument(e.id(), document(ReceivedDocument.Kind.ANOMALY, file, r));
                if (e.state() == TransmissionState.ACKNOWLEDGED || e.state() == TransmissionState.CANCELLED) {
                    LOG.warn("{}: {} received after the AR, kept as a document only", e.idActe(), r.type().rootName());
                    return e;
                }
                Reply.Anomalie a = r.anomalie().orElse(new Reply.Anomalie("000", Optional.<String>empty()));
                return journal.recordAnomaly(e.id(), a.nature(), a.detail().orElse(""), r.xml().text());
            }
            case AR_ANNULATION -> {
                journal.files().recordDocument(e.id(), document(ReceivedDocument.Kind.CANCELLATION, file, r));
                return e.state() == TransmissionState.CANCELLED ? e
                        : journal.recordStatus(e.id(), 0, "ARAnnulation reçu le " + r.dateReception().map(Object::toString).orElse("?"));
            }
            case AR_PIECE_COMPLEMENTAIRE, AR_REPONSE_REJET_LETTRE_OBSERVATIONS -> {
                journal.files().recordDocument(e.id(), document(ReceivedDocument.Kind.ANSWER, file, r));
                recordAnswerAcknowledgement(e, r);
                return e;
            }
            default -> {
                newDocument[0] = journal.files().recordDocument(e.id(), document(ReceivedDocument.Kind.COURRIER, file, r));
                return e;
            }
        }
    }

    private static String describe(MessageType type) {
        return switch (type) {
            case AR_ACTE -> "accusé de réception enregistré";
            case ANOMALIE_ACTE, ANOMALIE_ENVELOPPE -> "anomalie enregistrée";
            case AR_ANNULATION -> "annulation confirmée";
            default -> "courrier enregistré";
        };
    }

    private ReceivedDocument document(ReceivedDocument.Kind kind, Path file, Reply r) {
        ArchivedFile f = ActesConnector.file(ArchivedFile.Role.DOCUMENT, file.getFileName().toString(), file);
        ReceivedDocument d = ReceivedDocument.of(kind, f.path(), f.size(), f.sha256()).withMessageType(r.type().rootName());
        return r.dateCourrierPref().map(d::withDateCourrierPref).orElse(d);
    }

    /** Keeps the message's bytes beside the acte's other files, under a name derived from the message, never from the input. */
    private Path save(JournalEntry e, Reply r) {
        Path dir = connector.transmissionDir(e.idActe()).resolve("recus");
        String name = e.idActe().value() + "-" + r.type().code().orElse("env") + "-"
                + r.xml().sha256().substring(0, 12) + ".xml";
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(dir, ".", ".xml");
                Files.write(tmp, r.xml().bytes());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException ex) {
            throw new ActesException(Reason.INTERNAL, "Le message reçu n'a pas pu être enregistré dans « " + dir
                    + " » : vérifiez l'espace disque.", e.idActe() + ": cannot store " + name, ex);
        }
    }

    /** Whether {@link #notify} sends anything: an SMTP server and recipients are configured. */
    boolean notifies() {
        return notifier.isPresent();
    }

    /** Tells the secretariat by e-mail when configured; a mail failure never undoes the recording. */
    void notify(Reply r, JournalEntry e) {
        notify(r, e, Optional.empty());
    }

    /** As {@link #notify(Reply, JournalEntry)}, the mail beginning with {@code warning} (French). */
    void notify(Reply r, JournalEntry e, Optional<String> warning) {
        if (notifier.isEmpty() || !Notifier.isNotified(r)) return;
        ActeLabels labels = new ActeLabels(Optional.of(e.objet()),
                Optional.of(connector.labelsFor(e.siren()).nature(e.nature()).map(n -> n.label()).orElse(e.nature().label())),
                Optional.of(connector.labelsFor(e.siren()).matiereLabel(e.classification()).orElse(e.classification().toString())),
                warning);
        try {
            notifier.get().send(r, labels);
        } catch (ActesException ex) {
            LOG.warn("{}: notification not sent: {}", e.idActe(), ex.getMessage());
        }
    }
}
