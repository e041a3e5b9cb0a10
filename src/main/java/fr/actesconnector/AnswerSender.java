package fr.actesconnector;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.inbox.ParseResult;
import fr.actesconnector.inbox.Reply;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.Letters.Answer;
import fr.actesconnector.journal.Letters.AnswerState;
import fr.actesconnector.journal.Letters.Letter;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.ReplyKind;
import fr.actesconnector.model.Violation;
import fr.actesconnector.tdt.ChildTransaction;
import fr.actesconnector.tdt.ReponseSubmission;
import fr.actesconnector.tdt.StatusReport;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.tdt.TdtUnavailableException;

/**
 * The town's answers to the prefecture's letters, sent once exactly as {@link ActesConnector#send} sends an
 * acte: registered in the journal, files copied, marked POSTING before the POST, and an answer found POSTING
 * after a crash looked up on the TdT before anything is posted again. Then followed to its AR (3-5, 4-5).
 */
final class AnswerSender {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerSender.class);

    private final ActesConnector connector;
    private final ActesConnector.SendProbe probe;

    AnswerSender(ActesConnector connector, ActesConnector.SendProbe probe) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /**
     * Answers the letter the TdT knows as {@code letterTransaction}, about the acte {@code idActe}. Every
     * problem with the request is reported at once, before anything is written or sent.
     */
    ActesConnector.Replied reply(IdActe idActe, String letterTransaction, ReplyKind kind, Piece document, List<Piece> annexes,
                                 Actor actor) {
        Journal journal = connector.journal();
        Letters letters = journal.letters();
        List<Violation> problems = new ArrayList<>();
        Optional<JournalEntry> entry = journal.entries().findByIdActe(idActe);
        Optional<Letter> letter = letters.byTransactionId(letterTransaction);
        if (entry.isEmpty()) {
            problems.add(Violation.error("--acte", "L'acte " + idActe + " n'est pas dans le journal."));
        } else if (letter.isEmpty() || letter.get().acteId() != entry.get().id()) {
            problems.add(Violation.error("--letter", "Le courrier n° " + letterTransaction + " de la préfecture n'est pas "
                    + "enregistré sur l'acte " + idActe + " : lancez « poll --once » pour relever les courriers du TdT, "
                    + "puis consultez « status --json » (clé courriers, transactionId)."));
        }
        if (letter.isPresent() && letter.get().letterType() != kind.letterType()) {
            problems.add(Violation.error("--kind", "« " + kind.word() + " » ne répond pas à ce courrier (" + letter.get().type()
                    + ") : pour lui, choisissez " + ReplyKind.wordsFor(letter.get().letterType()) + "."));
        }
        if (letter.isPresent() && letter.get().letterType() == 5) {
            problems.add(Violation.error("--letter", "Un déféré au tribunal administratif (5-1) n'appelle pas de réponse par le "
                    + "TdT : la commune répond au tribunal."));
        }
        if (!annexes.isEmpty() && !kind.allowsAnnexes()) {
            problems.add(Violation.error("--annex", "Seul l'envoi de pièces complémentaires (pieces, 3-4) porte des annexes ; "
                    + "une réponse " + kind.messageCode() + " est un seul document."));
        }
        List<Piece> pieces = new ArrayList<>();
        pieces.add(document);
        pieces.addAll(annexes);
        for (Piece p : pieces) checkFile(p, problems);
        if (problems.stream().anyMatch(Violation::isError)) throw new InvalidActeException(problems);
        JournalEntry acte = entry.orElseThrow();
        Letter l = letter.orElseThrow();

        Path dir = connector.transmissionDir(idActe).resolve("reponses").resolve(letterTransaction);
        Letters.AnswerRegistration reg = letters.registerAnswer(l.id(), kind.word(),
                pieces.stream().map(Piece::file).toList());
        Answer answer = reg.answer();
        if (!reg.created()) {
            if (answer.state() == AnswerState.POSTING) {
                Optional<Answer> resolved = resolvePosting(acte, l, answer);
                if (resolved.isPresent()) return new ActesConnector.Replied(resolved.get(), false);
                answer = letters.answerOf(l.id()).orElseThrow();
            }
            if (answer.state() != AnswerState.PREPARED && answer.state() != AnswerState.ERROR) {
                LOG.info("{}: letter {} already answered ({}), not posted again", idActe, letterTransaction, answer.state());
                return new ActesConnector.Replied(answer, false);
            }
            if (answer.state() == AnswerState.ERROR) {
                throw new ActesException(Reason.INVALID_INPUT, "La réponse précédente à ce courrier a été refusée ("
                        + answer.lastError().orElse("erreur") + ") : le TdT n'accepte qu'une réponse par courrier ; "
                        + "voyez avec la préfecture.", idActe + ": answer " + answer.id() + " in error");
            }
        }
        probe.reached(ActesConnector.Checkpoint.REGISTERED, idActe);
        List<Path> kept = keepCopies(pieces, dir);
        List<Piece> keptPieces = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) keptPieces.add(new Piece(kept.get(i), pieces.get(i).typologie()));
        probe.reached(ActesConnector.Checkpoint.ARCHIVED, idActe);

        ReponseSubmission submission = new ReponseSubmission(Long.parseLong(letterTransaction), l.letterType(),
                kind.refusal() ? ReponseSubmission.Kind.REFUSE : ReponseSubmission.Kind.SEND, keptPieces.get(0),
                Optional.empty(), keptPieces.subList(1, keptPieces.size()));
        TdtClient client = connector.tdt(acte.siren());
        answer = letters.markAnswerPosting(answer.id());
        // Like the sending of an acte, the history names who asked before the POST: a crash keeps the request.
        journal.recordAction(acte.id(), actor, "réponse « " + kind.label() + " » (" + kind.messageCode() + ") au courrier "
                + l.letterType() + "-1 du "
                + l.dateCourrierPref().format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")) + " : envoi au TdT");
        probe.reached(ActesConnector.Checkpoint.POSTING_MARKED, idActe);
        long tx;
        try {
            tx = client.createReponse(submission);
        } catch (TdtRefusedException e) {
            letters.recordAnswerError(answer.id(), "Refusée par le TdT : " + e.tdtMessage());
            throw e;
        } catch (TdtUnavailableException e) {
            if (!e.outcomeUnknown()) letters.revertAnswer(answer.id(), "Non envoyée : " + e.userMessage());
            throw e;
        } catch (RuntimeException e) {
            letters.revertAnswer(answer.id(), "Non envoyée : " + e.getClass().getSimpleName());
            throw e;
        }
        probe.reached(ActesConnector.Checkpoint.CREATED, idActe);
        answer = letters.recordAnswerPosted(answer.id(), String.valueOf(tx));
        probe.reached(ActesConnector.Checkpoint.POSTED, idActe);
        LOG.info("{}: answer {} to letter {} posted, transaction {}", idActe, kind.messageCode(), letterTransaction, tx);
        return new ActesConnector.Replied(answer, true);
    }

    /**
     * An answer left POSTING: S²LOW's get_document of the acte shows, for an answered letter, the answer's
     * transaction instead of the letter's ({@code actes_transac_get_document.php}, getCourrierInfo). Found:
     * recorded as posted; certainly absent: back to PREPARED.
     */
    Optional<Answer> resolvePosting(JournalEntry acte, Letter letter, Answer answer) {
        Letters letters = connector.journal().letters();
        long acteTx = Long.parseLong(acte.transactionId().orElseThrow());
        Set<String> letterIds = new HashSet<>();
        for (Letter l : letters.ofActe(acte.id())) l.transactionId().ifPresent(letterIds::add);
        Set<String> answerIds = new HashSet<>();
        for (Letter l : letters.ofActe(acte.id())) {
            letters.answerOf(l.id()).flatMap(Answer::transactionId).ifPresent(answerIds::add);
        }
        List<ChildTransaction> children = connector.followTdt(acte.siren()).childTransactions(acteTx);
        boolean letterStillListed = children.stream().anyMatch(c -> String.valueOf(c.id()).equals(letter.transactionId().orElse("")));
        for (ChildTransaction c : children) {
            String id = String.valueOf(c.id());
            if (c.type() == letter.letterType() && !letterIds.contains(id) && !answerIds.contains(id) && !letterStillListed) {
                LOG.info("{}: answer to letter {} found on the TdT as transaction {} after an interrupted post", acte.idActe(),
                        letter.transactionId().orElse("?"), id);
                return Optional.of(letters.recordAnswerPosted(answer.id(), id));
            }
        }
        LOG.info("{}: answer to letter {} not found on the TdT, may be posted again", acte.idActe(), letter.transactionId().orElse("?"));
        letters.revertAnswer(answer.id(), "Introuvable sur le TdT après un envoi interrompu : sera renvoyée.");
        return Optional.empty();
    }

    /** One polling pass over the answers the TdT still has news of; returns how many changed. */
    int pollAnswers() {
        Letters letters = connector.journal().letters();
        int changed = 0;
        for (Answer a : letters.pendingAnswers()) {
            try {
                Letter letter = letters.byId(a.letterId()).orElseThrow();
                if (a.state() == AnswerState.POSTING) {
                    JournalEntry acte = connector.journal().entries().findById(letter.acteId()).orElseThrow();
                    if (resolvePosting(acte, letter, a).isPresent()) changed++;
                    continue;
                }
                // Asked with the account of the acte's collectivité, the one that posted the answer.
                String siren = connector.journal().entries().findById(letter.acteId()).orElseThrow().siren();
                StatusReport r = connector.followTdt(siren).getStatus(Long.parseLong(a.transactionId().orElseThrow()));
                Optional<java.time.LocalDate> dateReception = Optional.empty();
                Optional<String> xml = Optional.empty();
                if (r.code() == 4 && r.hasXml()) {
                    xml = Optional.of(new String(r.xmlBytes(), StandardCharsets.ISO_8859_1));
                    dateReception = dateReception(r.xmlBytes());
                }
                if (r.code() == -1) {
                    letters.recordAnswerError(a.id(), r.message().isBlank() ? "Erreur signalée par le TdT" : r.message().strip());
                    changed++;
                    continue;
                }
                Answer after = letters.recordAnswerStatus(a.id(), r.code(), dateReception, xml);
                if (after.state() != a.state()) changed++;
            } catch (ActesException e) {
                LOG.warn("answer {}: poll failed: {}", a.id(), e.getMessage());
            }
        }
        return changed;
    }

    private Optional<java.time.LocalDate> dateReception(byte[] xml) {
        try {
            ParseResult parsed = connector.parser().parseXml(new ByteArrayInputStream(xml), "AR de la réponse");
            return parsed.replies().stream().map(Reply::dateReception).flatMap(Optional::stream).findFirst();
        } catch (ActesException e) {
            LOG.warn("AR of an answer unreadable: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void checkFile(Piece p, List<Violation> problems) {
        Path f = p.file();
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
            problems.add(Violation.error("fichier", "Le fichier " + f + " est introuvable ou illisible."));
            return;
        }
        if (!p.typologie().isWellFormed()) {
            problems.add(Violation.error("typologie", "Le code « " + p.typologie().code() + " » de " + f.getFileName()
                    + " doit faire 5 caractères parmi A-Z, 0-9 et _ (ex. 99_DC)."));
        }
        try {
            Optional<FileKind> kind = FileKind.detect(f);
            if (kind.isEmpty()) {
                problems.add(Violation.error("fichier", "Le fichier " + f.getFileName() + " n'est ni un PDF, ni une image "
                        + "PNG ou JPEG, ni un XML : le TdT le refuserait."));
            }
            long size = Files.size(f);
            long max = connector.config().validationSettings().maxArchiveBytes();
            if (size > max) {
                problems.add(Violation.error("fichier", "Le fichier " + f.getFileName() + " fait " + size + " octets ; la "
                        + "limite est de " + max + " octets."));
            }
        } catch (IOException e) {
            problems.add(Violation.error("fichier", "Le fichier " + f + " est illisible : " + e.getMessage()));
        }
    }

    private static List<Path> keepCopies(List<Piece> pieces, Path dir) {
        List<Path> copies = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < pieces.size(); i++) {
                Path copy = dir.resolve((i + 1) + ".bin");
                Files.copy(pieces.get(i).file(), copy, StandardCopyOption.REPLACE_EXISTING);
                copies.add(copy);
            }
        } catch (IOException e) {
            throw new ActesException(Reason.INTERNAL, "Les fichiers de la réponse n'ont pas pu être copiés dans « " + dir
                    + " » : vérifiez l'espace disque.", "cannot copy answer files: " + e, e);
        }
        return copies;
    }
}
