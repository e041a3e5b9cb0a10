package fr.actesconnector;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.LegalClock;
import fr.actesconnector.model.ReplyKind;

/** The facts of the legal clock read from the journal, each time: the dates are computed, never stored twice. */
final class ActeClock {
    private ActeClock() {
    }

    static LegalClock.Facts facts(Journal journal, JournalEntry e, LocalDate today, ZoneId zone) {
        LegalClock.Facts facts = new LegalClock.Facts(e.dateReception(), journal.publication(e.id()).map(p ->
                new LegalClock.Publication(p.date(), p.mode().equals("notification") ? LegalClock.Publication.Mode.NOTIFICATION
                        : LegalClock.Publication.Mode.PUBLICATION)), List.of(), e.state() == TransmissionState.CANCELLED, today);
        Letters letters = journal.letters();
        for (Letters.Letter l : letters.ofActe(e.id())) {
            Optional<LegalClock.Letter.Kind> kind = switch (l.letterType()) {
                case 2 -> Optional.of(LegalClock.Letter.Kind.COURRIER_SIMPLE);
                case 3 -> Optional.of(LegalClock.Letter.Kind.DEMANDE_PIECES);
                case 4 -> Optional.of(LegalClock.Letter.Kind.LETTRE_OBSERVATIONS);
                case 5 -> Optional.of(LegalClock.Letter.Kind.DEFERE);
                default -> Optional.empty();
            };
            if (kind.isEmpty()) continue;
            LegalClock.Letter letter = new LegalClock.Letter(kind.get(), l.dateCourrierPref(), l.recoursGracieux(), Optional.empty());
            Optional<Letters.Answer> answer = letters.answerOf(l.id()).filter(a -> a.sentAt().isPresent()
                    && a.state() != Letters.AnswerState.ERROR);
            if (answer.isPresent()) {
                Letters.Answer a = answer.get();
                boolean refusal = ReplyKind.parse(a.kind()).map(ReplyKind::refusal).orElse(false);
                letter = letter.answeredBy(new LegalClock.Answer(refusal ? LegalClock.Answer.AnswerKind.REFUSED
                        : LegalClock.Answer.AnswerKind.SENT, LocalDate.ofInstant(a.sentAt().get(), zone), a.dateReception()));
            }
            facts = facts.withLetter(letter);
        }
        return facts;
    }
}
