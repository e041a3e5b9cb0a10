package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.journal.Letters.AnswerState;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.MutableClock;

/** The prefecture's letters kept once on their acte, and the town's answers, once per letter, state by state. */
class LettersH2Test {
    private static final LocalDate MAY_12 = LocalDate.of(2026, 5, 12);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(JournalContract.START);
    private Journal journal;
    private Letters letters;
    private long acte;

    @BeforeEach
    void open() {
        journal = new Journal(JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of("")), clock);
        letters = journal.letters();
        acte = journal.register(JournalContract.acte("2026_DEC_020")).entry().id();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private static Letters.NewLetter letter(String type, LocalDate date, String tx, String text, String pdf) {
        return new Letters.NewLetter(type, date, Optional.ofNullable(tx), Optional.ofNullable(text),
                Optional.ofNullable(pdf).map(Path::of));
    }

    private long demandeDePieces() {
        return letters.record(acte, letter("DemandePieceComplementaire", MAY_12, "9001", null, null)).letter().id();
    }

    @Test
    void aLetterIsKeptOnceAndALaterCopyFillsOnlyWhatTheFirstLacked() {
        Letters.LetterRecorded byMail = letters.record(acte, letter("DemandePieceComplementaire", MAY_12, null,
                "Merci de transmettre le contrat signé.", null));
        assertTrue(byMail.created());
        assertEquals(JournalContract.START, byMail.letter().receivedAt());
        clock.advance(Duration.ofHours(1));
        Letters.LetterRecorded byTdt = letters.record(acte, letter("DemandePieceComplementaire", MAY_12, "9001",
                "un autre texte", "/data/lettre.pdf"));
        assertFalse(byTdt.created(), "the same letter, by the other channel");
        Letters.Letter l = byTdt.letter();
        assertEquals(byMail.letter().id(), l.id());
        assertEquals(Optional.of("9001"), l.transactionId(), "the TdT's id, which the e-mail lacked");
        assertEquals(Optional.of("Merci de transmettre le contrat signé."), l.text(), "the first text is kept");
        assertEquals(Optional.of(Path.of("/data/lettre.pdf")), l.pdf());
        assertEquals(JournalContract.START, l.receivedAt(), "received when first seen");
        assertEquals(List.of(l), letters.ofActe(acte));
        assertEquals(Optional.of(l), letters.byTransactionId("9001"));
        assertEquals(Optional.of(l), letters.byId(l.id()));
        assertEquals(Optional.empty(), letters.byTransactionId("9999"));
    }

    @Test
    void lettersComeOldestFirstEachWithItsTdtType() {
        letters.record(acte, letter("LettreObservations", MAY_12.plusDays(3), null, null, null));
        letters.record(acte, letter("CourrierSimple", MAY_12, null, null, null));
        letters.record(acte, letter("DefereTA", MAY_12.plusDays(9), null, null, null));
        letters.record(acte, letter("DemandePieceComplementaire", MAY_12.plusDays(1), null, null, null));
        letters.record(acte, letter("AutreMessage", MAY_12.plusDays(10), null, null, null));
        List<Letters.Letter> all = letters.ofActe(acte);
        assertEquals(List.of("CourrierSimple", "DemandePieceComplementaire", "LettreObservations", "DefereTA", "AutreMessage"),
                all.stream().map(Letters.Letter::type).toList());
        assertEquals(List.of(2, 3, 4, 5, 0), all.stream().map(Letters.Letter::letterType).toList());
    }

    @Test
    void aLongLetterTextIsClippedTo4000Characters() {
        String text = "x".repeat(5000);
        Letters.Letter l = letters.record(acte, letter("CourrierSimple", MAY_12, null, text, null)).letter();
        assertEquals(4000, l.text().orElseThrow().length());
        assertTrue(l.text().orElseThrow().endsWith("x…"), "clipped with an ellipsis");
        Letters.Letter exact = letters.record(acte, letter("CourrierSimple", MAY_12.plusDays(1), null, "y".repeat(4000), null)).letter();
        assertEquals("y".repeat(4000), exact.text().orElseThrow(), "4000 characters are kept whole");
    }

    @Test
    void whetherAnObservationsLetterIsARecoursGracieuxIsRecorded() {
        long id = letters.record(acte, letter("LettreObservations", MAY_12, null, null, null)).letter().id();
        assertTrue(letters.byId(id).orElseThrow().recoursGracieux(), "by default: asks to withdraw or change the acte");
        assertFalse(letters.setRecoursGracieux(id, false).recoursGracieux());
        assertTrue(letters.setRecoursGracieux(id, true).recoursGracieux());
        JournalException e = assertThrows(JournalException.class, () -> letters.setRecoursGracieux(id + 100, false));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("n° " + (id + 100)), e.userMessage());
    }

    @Test
    void anAnswerIsRegisteredOnceAndTakesNewFilesOnlyUntilItIsPosted() {
        long letter = demandeDePieces();
        Letters.AnswerRegistration first = letters.registerAnswer(letter, "pieces", List.of(Path.of("/a.pdf"), Path.of("/b.pdf")));
        assertTrue(first.created());
        assertEquals(AnswerState.PREPARED, first.answer().state());
        assertEquals(List.of(Path.of("/a.pdf"), Path.of("/b.pdf")), first.answer().files());
        assertEquals(JournalContract.START, first.answer().createdAt());
        Letters.AnswerRegistration again = letters.registerAnswer(letter, "refus-pieces", List.of());
        assertTrue(again.created(), "never posted: the new kind and files replace the old");
        assertEquals(first.answer().id(), again.answer().id());
        assertEquals("refus-pieces", again.answer().kind());
        assertEquals(List.of(), again.answer().files());
        letters.markAnswerPosting(again.answer().id());
        Letters.AnswerRegistration late = letters.registerAnswer(letter, "pieces", List.of(Path.of("/c.pdf")));
        assertFalse(late.created(), "posting: the letter's answer is the one sent");
        assertEquals("refus-pieces", late.answer().kind());
        assertEquals(AnswerState.POSTING, late.answer().state());
        assertEquals(Optional.of(late.answer()), letters.answerOf(letter));
    }

    @Test
    void anAnswerMovesPostingThenPostedThenToItsArAndOnlyAlongThatWay() {
        long answer = letters.registerAnswer(demandeDePieces(), "pieces", List.of()).answer().id();
        JournalException notPosting = assertThrows(JournalException.class, () -> letters.recordAnswerPosted(answer, "7001"));
        assertEquals(Reason.INTERNAL, notPosting.reason());
        assertThrows(JournalException.class, () -> letters.recordAnswerError(answer, "KO"), "an answer never sent cannot fail");
        letters.markAnswerPosting(answer);
        assertThrows(JournalException.class, () -> letters.markAnswerPosting(answer), "marked once");
        clock.advance(Duration.ofMinutes(1));
        Letters.Answer posted = letters.recordAnswerPosted(answer, "7001");
        assertEquals(AnswerState.POSTED, posted.state());
        assertEquals(Optional.of("7001"), posted.transactionId());
        assertEquals(Optional.of(1), posted.tdtStatus());
        assertEquals(Optional.of(JournalContract.START.plus(Duration.ofMinutes(1))), posted.sentAt());
        assertEquals(Optional.empty(), posted.lastError());
        assertEquals(List.of(answer), letters.pendingAnswers().stream().map(Letters.Answer::id).toList());

        Letters.Answer transmitted = letters.recordAnswerStatus(answer, 3, Optional.empty(), Optional.empty());
        assertEquals(AnswerState.TRANSMITTED, transmitted.state());
        assertEquals(AnswerState.TRANSMITTED, letters.recordAnswerStatus(answer, 1, Optional.empty(), Optional.empty()).state(),
                "a status behind is old news");
        assertEquals(Optional.of(1), letters.answerOf(transmitted.letterId()).orElseThrow().tdtStatus(), "the code is kept all the same");
        assertEquals(AnswerState.TRANSMITTED, letters.recordAnswerStatus(answer, 99, Optional.empty(), Optional.empty()).state(),
                "a code that means nothing for an answer changes no state");
        Letters.Answer acknowledged = letters.recordAnswerAcknowledged(answer, LocalDate.of(2026, 5, 20), "<ARPieceComplementaire/>");
        assertEquals(AnswerState.ACKNOWLEDGED, acknowledged.state());
        assertEquals(Optional.of(LocalDate.of(2026, 5, 20)), acknowledged.dateReception());
        assertEquals(Optional.of("<ARPieceComplementaire/>"), letters.answerAcknowledgementXml(answer));
        assertEquals(Optional.of(LocalDate.of(2026, 5, 20)),
                letters.recordAnswerStatus(answer, 4, Optional.empty(), Optional.of("<x/>")).dateReception(),
                "a later status without date keeps the date of reception");
        assertEquals(List.of(), letters.pendingAnswers(), "acknowledged: nothing more to ask");
    }

    @Test
    void anAnswerThatNeverReachedTheTdtGoesBackToPreparedAndARefusedOneEndsInError() {
        long answer = letters.registerAnswer(demandeDePieces(), "pieces", List.of()).answer().id();
        assertEquals(Optional.empty(), letters.answerAcknowledgementXml(answer));
        letters.markAnswerPosting(answer);
        Letters.Answer reverted = letters.revertAnswer(answer, "Non envoyé : TdT injoignable");
        assertEquals(AnswerState.PREPARED, reverted.state());
        assertEquals(Optional.of("Non envoyé : TdT injoignable"), reverted.lastError());
        letters.markAnswerPosting(answer);
        letters.recordAnswerPosted(answer, "7002");
        Letters.Answer refused = letters.recordAnswerError(answer, "Refusé par le TdT : " + "z".repeat(5000));
        assertEquals(AnswerState.ERROR, refused.state());
        assertEquals(Optional.of(-1), refused.tdtStatus());
        assertEquals(4000, refused.lastError().orElseThrow().length(), "the reason clipped");
        assertEquals(List.of(), letters.pendingAnswers());
        JournalException unknown = assertThrows(JournalException.class, () -> letters.markAnswerPosting(answer + 100));
        assertEquals(Reason.INVALID_INPUT, unknown.reason());
    }

    @Test
    void anAnswerToACourrierSimpleEndsTransmittedSinceItHasNoAr() {
        long simple = letters.record(acte, letter("CourrierSimple", MAY_12, "9002", null, null)).letter().id();
        long answer = letters.registerAnswer(simple, "reponse", List.of()).answer().id();
        letters.markAnswerPosting(answer);
        assertEquals(List.of(answer), letters.pendingAnswers().stream().map(Letters.Answer::id).toList(), "posting: looked up");
        letters.recordAnswerPosted(answer, "7003");
        letters.recordAnswerStatus(answer, 3, Optional.empty(), Optional.empty());
        assertEquals(List.of(), letters.pendingAnswers(), "a 2-2 transmitted is done");
        long pieces = letters.registerAnswer(demandeDePieces(), "pieces", List.of()).answer().id();
        letters.markAnswerPosting(pieces);
        letters.recordAnswerPosted(pieces, "7004");
        letters.recordAnswerStatus(pieces, 3, Optional.empty(), Optional.empty());
        assertEquals(List.of(pieces), letters.pendingAnswers().stream().map(Letters.Answer::id).toList(), "a 3-4 waits for its 3-5");
    }

    @Test
    void tdtStatusesOfAnAnswer() {
        assertEquals(Optional.of(AnswerState.POSTED), AnswerState.fromTdtStatus(1));
        assertEquals(Optional.of(AnswerState.POSTED), AnswerState.fromTdtStatus(2));
        assertEquals(Optional.of(AnswerState.POSTED), AnswerState.fromTdtStatus(17));
        assertEquals(Optional.of(AnswerState.TRANSMITTED), AnswerState.fromTdtStatus(3));
        assertEquals(Optional.of(AnswerState.ACKNOWLEDGED), AnswerState.fromTdtStatus(4));
        assertEquals(Optional.of(AnswerState.ERROR), AnswerState.fromTdtStatus(-1));
        assertEquals(Optional.empty(), AnswerState.fromTdtStatus(0));
        assertEquals(Optional.empty(), AnswerState.fromTdtStatus(5));
    }

    @Test
    void usersAreKeptByLoginWithTheirHashOnly() {
        Users users = journal.users();
        Users.User added = users.add(" Secretariat ", "$argon2id$hash", Users.Role.ADMIN, Optional.empty(), fr.actesconnector.model.Actor.commandLine());
        assertEquals("secretariat", added.login(), "trimmed, lowercase");
        assertEquals(JournalContract.START, added.createdAt());
        users.add("maire", "$argon2id$autre", Users.Role.AGENT, Optional.of("Le maire"), fr.actesconnector.model.Actor.commandLine());
        assertEquals(List.of("maire", "secretariat"), users.list().stream().map(Users.User::login).toList());
        assertEquals(JournalContract.START, users.list().get(0).createdAt());
        assertEquals(Optional.of("$argon2id$hash"), users.passwordHash("SECRETARIAT"));
        assertEquals(Optional.empty(), users.passwordHash("inconnu"));
        assertEquals(Optional.empty(), users.passwordHash("pas valide!"), "a malformed login has no hash");
        JournalException twice = assertThrows(JournalException.class, () -> users.add("secretariat", "x", Users.Role.AGENT, Optional.empty(), fr.actesconnector.model.Actor.commandLine()));
        assertEquals(Reason.INVALID_INPUT, twice.reason());
        assertTrue(twice.userMessage().contains("existe déjà"), twice.userMessage());
        JournalException malformed = assertThrows(JournalException.class, () -> users.add("pas valide!", "x", Users.Role.AGENT, Optional.empty(), fr.actesconnector.model.Actor.commandLine()));
        assertEquals(Reason.INVALID_INPUT, malformed.reason());
        assertTrue(users.remove("MAIRE", fr.actesconnector.model.Actor.commandLine()));
        assertFalse(users.remove("maire", fr.actesconnector.model.Actor.commandLine()), "already gone");
        assertEquals(List.of("secretariat"), users.list().stream().map(Users.User::login).toList());
        assertEquals("a.b_c-d@e", Users.normalizeLogin("A.B_c-d@E"));
    }
}
