package fr.actesconnector.simulator;

import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.Schemas;
import fr.actesconnector.protocol.UnreadableMessageException;
import fr.actesconnector.protocol.XmlFinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xml.sax.SAXParseException;

/**
 * What moves a transaction after S²LOW's OK: its workers (validation of the envelope, sending) and
 * the simulated prefecture (ARActe or AnomalieActe, ARAnnulation, the classification, 3-5 and 4-5).
 * Statuses: 1 → 2 or -1 → 3 → 4 (or -1 on a planned anomaly); an answer 2-2 stays at 3; a received
 * 3-1 or 4-1 goes 7 → 8 when S²LOW has sent its acknowledgement.
 */
final class Workflow implements Transaction.Steps {
    private static final String AR_FILE = "ARActe.xml";
    private static final String ANOMALY_FILE = "AnomalieActe.xml";
    private static final String AR_ANNULATION_FILE = "ARAnnulation.xml";
    private static final String ANSWER_RECEIPT_FILE = "AR-reponse.xml";

    private final Store store;

    Workflow(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<Transaction.Step> after(Transaction t, int status, Instant at) {
        try {
            if (t.kind == Transaction.Kind.LETTER) {
                return status == 7 ? step(8, "Accusé de réception envoyé", null) : Optional.empty();
            }
            return switch (status) {
                case 1 -> Optional.of(validation(t));
                case 2 -> step(3, "Transmis au ministère", null);
                case 3 -> prefecture(t, store.day(at));
                default -> Optional.empty();
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Transaction.Step> step(int status, String message, Path flow) {
        return Optional.of(new Transaction.Step(status, message, Optional.ofNullable(flow)));
    }

    /** class/actes/ActesAnalyseFichierAEnvoyerWorker.php: the archive checked, then 2 or -1 "Enveloppe invalide : …". */
    private Transaction.Step validation(Transaction t) {
        Optional<String> problem = switch (t.kind) {
            case ACTE -> message(t).or(() -> typologies(t));
            case ANSWER -> message(t);
            default -> Optional.empty();
        };
        return problem.map(p -> new Transaction.Step(-1, "Enveloppe invalide : " + p, Optional.empty()))
                .orElse(new Transaction.Step(2, "Accepté par le TdT : validation OK", Optional.empty()));
    }

    /** The message the TdT built must be XML valid against the schema (a DER signature makes it unreadable). */
    private static Optional<String> message(Transaction t) {
        Path message = t.facts.files().get(0).path();
        String name = t.facts.files().get(0).name();
        try {
            List<XmlFinding> errors = Schemas.validate(message).stream().filter(XmlFinding::isError).toList();
            if (errors.isEmpty()) return Optional.empty();
            return Optional.of("Le fichier " + name + " n'est pas conforme au schéma ACTES : " + errors.get(0).message());
        } catch (UnreadableMessageException e) {
            return Optional.of("Le fichier " + name + " n'est pas un XML bien formé : " + saxDetail(e));
        }
    }

    private static String saxDetail(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SAXParseException sax) {
                return sax.getMessage() + " (ligne " + sax.getLineNumber() + ", colonne " + sax.getColumnNumber() + ")";
            }
        }
        return String.valueOf(failure.getMessage());
    }

    /** Typology allowed for the nature by the prefecture's classification, file by file. */
    private Optional<String> typologies(Transaction t) {
        Transaction.Posted p = t.facts.posted().orElseThrow();
        for (Transaction.StoredFile f : p.files().subList(1, p.files().size())) {
            if (!store.settings.catalogue().allowsTypologie(p.nature(), new Typologie(f.codePj()))) {
                return Optional.of("La typologie " + f.codePj() + " n'est pas permise sur le fichier " + f.name()
                        + " pour la nature " + p.nature().code());
            }
        }
        return Optional.empty();
    }

    /** What comes back from the ministry for a transaction in status 3 (class/actes/ActesAnalyseFichierRecuController.php). */
    private Optional<Transaction.Step> prefecture(Transaction t, LocalDate day) throws IOException {
        switch (t.kind) {
            case ACTE -> {
                Transaction.Posted p = t.facts.posted().orElseThrow();
                if (t.facts.anomaly().isPresent()) {
                    Transaction.Anomaly a = t.facts.anomaly().get();
                    Path file = t.facts.dir().resolve(ANOMALY_FILE);
                    store.messages.writeAnomalieActe(p, day, a, file);
                    return step(-1, "Anomalie signalee par le MI : " + a.nature() + " - " + a.detail(), file);
                }
                Path file = t.facts.dir().resolve(AR_FILE);
                store.messages.writeARActe(p, day, file);
                return step(4, "Reçu par le MI le " + day, file);
            }
            case CANCEL -> {
                Path file = t.facts.dir().resolve(AR_ANNULATION_FILE);
                store.messages.writeARAnnulation(t.facts.idActe().orElseThrow(), day, file);
                return step(4, "Annulation reçue par le MI le " + day, file);
            }
            case CLASSIFICATION -> {
                return step(4, "Mise à jour de la classification (date de classification: "
                        + store.settings.catalogue().dateClassification() + ")", store.settings.classificationFile());
            }
            case ANSWER -> {
                if (t.facts.code().equals("2-2")) return Optional.empty(); // the protocol has no acknowledgement of a 2-2
                Path file = t.facts.dir().resolve(ANSWER_RECEIPT_FILE);
                store.letters.writeAnswerReceipt(t.type, t.facts.idActe().orElseThrow().value(),
                        t.facts.listing().date().orElseThrow(), day, file);
                return step(4, "Reçu par le MI le " + day, file);
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
