package fr.actesconnector;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
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
        Letters letters = journal.letters();
        List<Letters.Letter> ofActe = letters.ofActe(e.id());
        java.util.Map<Long, Letters.Answer> answers = new java.util.HashMap<>();
        for (Letters.Letter l : ofActe) letters.answerOf(l.id()).ifPresent(a -> answers.put(l.id(), a));
        return facts(e, journal.publications().of(e.id()), ofActe, answers, today, zone);
    }

    /** The same from facts already read (several actes at once: {@code status --json}). */
    static LegalClock.Facts facts(JournalEntry e, Optional<Publications.Publication> publication, List<Letters.Letter> ofActe,
                                  java.util.Map<Long, Letters.Answer> answers, LocalDate today, ZoneId zone) {
        LegalClock.Facts facts = new LegalClock.Facts(e.dateReception(), publication.map(p ->
                new LegalClock.Publication(p.date(), p.mode().equals("notification") ? LegalClock.Publication.Mode.NOTIFICATION
                        : LegalClock.Publication.Mode.PUBLICATION)), List.of(), e.state() == TransmissionState.CANCELLED, today);
        for (Letters.Letter l : ofActe) {
            Optional<LegalClock.Letter.Kind> kind = switch (l.letterType()) {
                case 2 -> Optional.of(LegalClock.Letter.Kind.COURRIER_SIMPLE);
                case 3 -> Optional.of(LegalClock.Letter.Kind.DEMANDE_PIECES);
                case 4 -> Optional.of(LegalClock.Letter.Kind.LETTRE_OBSERVATIONS);
                case 5 -> Optional.of(LegalClock.Letter.Kind.DEFERE);
                default -> Optional.empty();
            };
            if (kind.isEmpty()) continue;
            LegalClock.Letter letter = new LegalClock.Letter(kind.get(), l.dateCourrierPref(), l.recoursGracieux(), Optional.empty());
            Optional<Letters.Answer> answer = Optional.ofNullable(answers.get(l.id())).filter(a -> a.sentAt().isPresent()
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
