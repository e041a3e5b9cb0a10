package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;
import static fr.actesconnector.journal.Sql.instant;
import static fr.actesconnector.journal.Sql.nullable;
import static fr.actesconnector.journal.Sql.optionalInstant;

import fr.actesconnector.model.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prefecture's letters kept on their acte (tables of schema V5) and the town's answers, once per
 * letter, with the same discipline as the actes: each state committed before the call that depends on
 * it, an answer marked {@link AnswerState#POSTING} before its POST. Obtained from {@link Journal#letters()}.
 */
public final class Letters {
    private static final Logger log = LoggerFactory.getLogger(Letters.class);
    private static final String LETTER_COLUMNS = "id, acte_id, message_type, date_courrier_pref, tdt_transaction_id,"
            + " letter_text, pdf_path, recours_gracieux, received_at";
    private static final String ANSWER_COLUMNS = "id, letter_id, kind, state, tdt_transaction_id, tdt_status,"
            + " date_reception, files, last_error, sent_at, created_at, updated_at";

    /** A letter of the prefecture: its ACTES message type (root element), date, TdT transaction, text and PDF. */
    public record Letter(long id, long acteId, String type, LocalDate dateCourrierPref, Optional<String> transactionId,
                         Optional<String> text, Optional<Path> pdf, boolean recoursGracieux, Instant receivedAt) {
        /** The TdT transaction type of the letter: 2 courrier simple, 3 demande de pièces, 4 observations, 5 déféré. */
        public int letterType() {
            return switch (type) {
                case "CourrierSimple" -> 2;
                case "DemandePieceComplementaire" -> 3;
                case "LettreObservations" -> 4;
                case "DefereTA" -> 5;
                default -> 0;
            };
        }
    }

    /** A letter to keep; {@code transactionId}, {@code text} and {@code pdf} fill what an earlier copy lacked. */
    public record NewLetter(String type, LocalDate dateCourrierPref, Optional<String> transactionId, Optional<String> text,
                            Optional<Path> pdf) {
        public NewLetter {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(dateCourrierPref, "dateCourrierPref");
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(pdf, "pdf");
        }
    }

    /** Where an answer is: prepared, posting (the POST may have reached the TdT), then the TdT's statuses. */
    public enum AnswerState {
        PREPARED, POSTING, POSTED, TRANSMITTED, ACKNOWLEDGED, ERROR;

        /** The state a TdT status of an answer means (1, 2 → POSTED; 3; 4 on the 3-5 / 4-5; -1). */
        public static Optional<AnswerState> fromTdtStatus(int code) {
            return Optional.ofNullable(switch (code) {
                case 1, 2, 17 -> POSTED;
                case 3 -> TRANSMITTED;
                case 4 -> ACKNOWLEDGED;
                case -1 -> ERROR;
                default -> null;
            });
        }
    }

    /** The town's answer to one letter. */
    public record Answer(long id, long letterId, String kind, AnswerState state, Optional<String> transactionId,
                         Optional<Integer> tdtStatus, Optional<LocalDate> dateReception, List<Path> files,
                         Optional<String> lastError, Optional<Instant> sentAt, Instant createdAt, Instant updatedAt) {
    }

    /** An answer registered by {@link #registerAnswer}; {@code created} false when the letter already had one. */
    public record AnswerRegistration(Answer answer, boolean created) {
    }

    private final Sql sql;
    private final Clock clock;

    Letters(Sql sql, Clock clock) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---------------------------------------------------------------- letters

    /**
     * Keeps a letter on its acte once, whichever channel brings it first (TdT or e-mail); a later copy
     * fills only what the first lacked (the TdT's transaction id, the text, the PDF). Returns the letter
     * and whether it was new.
     */
    public LetterRecorded record(long acteId, NewLetter letter) {
        Objects.requireNonNull(letter, "letter");
        return sql.inTransaction("recordLetter " + acteId, c -> {
            Optional<Letter> existing = one(c, "WHERE acte_id = ? AND message_type = ? AND date_courrier_pref = ?"
                    + " FOR UPDATE", acteId, letter.type(), letter.dateCourrierPref());
            if (existing.isPresent()) {
                Letter e = existing.get();
                try (PreparedStatement ps = c.prepareStatement("UPDATE acte_letter SET tdt_transaction_id = ?,"
                        + " letter_text = ?, pdf_path = ? WHERE id = ?")) {
                    bind(ps, nullable(e.transactionId().or(letter::transactionId), Types.VARCHAR),
                            nullable(e.text().or(letter::text).map(Letters::clip), Types.VARCHAR),
                            nullable(e.pdf().or(letter::pdf).map(Path::toString), Types.VARCHAR), e.id());
                    ps.executeUpdate();
                }
                return new LetterRecorded(one(c, "WHERE id = ?", e.id()).orElseThrow(), false);
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_letter (acte_id, message_type,"
                    + " date_courrier_pref, tdt_transaction_id, letter_text, pdf_path, received_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
                bind(ps, acteId, letter.type(), letter.dateCourrierPref(), nullable(letter.transactionId(), Types.VARCHAR),
                        nullable(letter.text().map(Letters::clip), Types.VARCHAR),
                        nullable(letter.pdf().map(Path::toString), Types.VARCHAR), clock.instant());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            log.info("acte {}: {} of {} kept", acteId, letter.type(), letter.dateCourrierPref());
            return new LetterRecorded(one(c, "WHERE id = ?", id).orElseThrow(), true);
        });
    }

    /** A letter as recorded, and whether this call recorded it. */
    public record LetterRecorded(Letter letter, boolean created) {
    }

    /** The letters of several actes, each one's oldest first, in one query per few hundred actes (status --json). */
    public Map<Long, List<Letter>> ofActes(java.util.Collection<Long> acteIds) {
        return sql.perChunk("letters", acteIds, new java.util.HashMap<Long, List<Letter>>(), (chunk, out) -> chunk.rows(
                "SELECT " + LETTER_COLUMNS + " FROM acte_letter WHERE acte_id IN " + chunk.in()
                        + " ORDER BY acte_id, date_courrier_pref, id",
                rs -> {
                    Letter l = letter(rs);
                    out.computeIfAbsent(l.acteId(), k -> new ArrayList<>()).add(l);
                }));
    }

    /** The answers of several letters, by letter, in one query per few hundred letters. */
    public Map<Long, Answer> answersOf(java.util.Collection<Long> letterIds) {
        return sql.perChunk("answers", letterIds, new java.util.HashMap<Long, Answer>(), (chunk, out) -> chunk.rows(
                "SELECT " + ANSWER_COLUMNS + " FROM acte_answer WHERE letter_id IN " + chunk.in(), rs -> {
                    Answer a = answer(rs);
                    out.put(a.letterId(), a);
                }));
    }

    /** The letters of an acte, oldest first. */
    public List<Letter> ofActe(long acteId) {
        return sql.inTransaction("letters " + acteId, c -> list(c, "WHERE acte_id = ? ORDER BY date_courrier_pref, id", acteId));
    }

    /** The letter the TdT knows as transaction {@code transactionId}. */
    public Optional<Letter> byTransactionId(String transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        return sql.inTransaction("letter " + transactionId, c -> one(c, "WHERE tdt_transaction_id = ?", transactionId));
    }

    public Optional<Letter> byId(long id) {
        return sql.inTransaction("letter " + id, c -> one(c, "WHERE id = ?", id));
    }

    /** Whether a 4-1 asks to withdraw or change the acte (a recours gracieux, which prolongs the préfet's window). */
    public Letter setRecoursGracieux(long letterId, boolean recoursGracieux) {
        return sql.inTransaction("recoursGracieux " + letterId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE acte_letter SET recours_gracieux = ? WHERE id = ?")) {
                bind(ps, recoursGracieux, letterId);
                if (ps.executeUpdate() != 1) throw noSuch("courrier", letterId);
            }
            return one(c, "WHERE id = ?", letterId).orElseThrow();
        });
    }

    private List<Letter> list(Connection c, String where, Object... args) throws SQLException {
        List<Letter> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LETTER_COLUMNS + " FROM acte_letter " + where)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(letter(rs));
            }
        }
        return out;
    }

    private static Letter letter(ResultSet rs) throws SQLException {
        return new Letter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, LocalDate.class),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                Optional.ofNullable(rs.getString(7)).map(Path::of), rs.getBoolean(8), instant(rs, 9));
    }

    private Optional<Letter> one(Connection c, String where, Object... args) throws SQLException {
        List<Letter> l = list(c, where, args);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    // ---------------------------------------------------------------- answers

    /**
     * Registers the answer to a letter, once: a letter has at most one answer. When it already has one,
     * it is returned unchanged with {@code created = false}; one left PREPARED (never posted) takes the
     * new kind and files.
     */
    public AnswerRegistration registerAnswer(long letterId, String kind, List<Path> files) {
        Objects.requireNonNull(kind, "kind");
        String joined = files.stream().map(Path::toString).collect(Collectors.joining("\n"));
        return sql.inTransaction("registerAnswer " + letterId, c -> {
            Optional<Answer> existing = answerWhere(c, "WHERE letter_id = ? FOR UPDATE", letterId);
            Instant now = clock.instant();
            if (existing.isPresent()) {
                if (existing.get().state() != AnswerState.PREPARED) return new AnswerRegistration(existing.get(), false);
                try (PreparedStatement ps = c.prepareStatement("UPDATE acte_answer SET kind = ?, files = ?, updated_at = ?"
                        + " WHERE id = ?")) {
                    bind(ps, kind, joined, now, existing.get().id());
                    ps.executeUpdate();
                }
                return new AnswerRegistration(answerWhere(c, "WHERE id = ?", existing.get().id()).orElseThrow(), true);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_answer (letter_id, kind, state, files,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(ps, letterId, kind, AnswerState.PREPARED.name(), joined, now, now);
                ps.executeUpdate();
            }
            return new AnswerRegistration(answerWhere(c, "WHERE letter_id = ?", letterId).orElseThrow(), true);
        });
    }

    /** Committed before the POST: an answer found POSTING after a crash is looked up on the TdT first. */
    public Answer markAnswerPosting(long answerId) {
        Answer marked = move(answerId, AnswerState.POSTING, EnumSet.of(AnswerState.PREPARED), null, null);
        sql.durable("markAnswerPosting " + answerId); // the POST follows at once
        return marked;
    }

    public Answer recordAnswerPosted(long answerId, String transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        return sql.inTransaction("answerPosted " + answerId, c -> {
            Answer a = lockAnswer(c, answerId);
            if (a.state() != AnswerState.POSTING) throw illegal(a, AnswerState.POSTED);
            update(c, answerId, "state = ?, tdt_transaction_id = ?, tdt_status = ?, sent_at = ?, last_error = ?",
                    AnswerState.POSTED.name(), transactionId, 1, clock.instant(), new Sql.Null(Types.VARCHAR));
            return lockAnswer(c, answerId);
        });
    }

    /** The answer certainly did not reach the TdT: back to PREPARED, the reason kept. */
    public Answer revertAnswer(long answerId, String reason) {
        return move(answerId, AnswerState.PREPARED, EnumSet.of(AnswerState.POSTING), null, reason);
    }

    /** Refused by the TdT (KO, or status -1): the letter may be answered again. */
    public Answer recordAnswerError(long answerId, String reason) {
        return move(answerId, AnswerState.ERROR, EnumSet.of(AnswerState.POSTING, AnswerState.POSTED,
                AnswerState.TRANSMITTED), -1, reason);
    }

    /** A status read on the TdT; at 4 with the AR's DateReception and XML (3-5 or 4-5). */
    public Answer recordAnswerStatus(long answerId, int tdtStatus, Optional<LocalDate> dateReception, Optional<String> arXml) {
        AnswerState next = AnswerState.fromTdtStatus(tdtStatus).orElse(null);
        return sql.inTransaction("answerStatus " + answerId, c -> {
            Answer a = lockAnswer(c, answerId);
            AnswerState target = next == null || next.ordinal() < a.state().ordinal() ? a.state() : next;
            update(c, answerId, "state = ?, tdt_status = ?, date_reception = ?, ar_xml = ?", target.name(), tdtStatus,
                    nullable(dateReception.or(a::dateReception), Types.DATE), nullable(arXml, Types.VARCHAR));
            return lockAnswer(c, answerId);
        });
    }

    /** An ARPieceComplementaire / ARReponseRejetLettreObservations received by e-mail: the answer is acknowledged. */
    public Answer recordAnswerAcknowledged(long answerId, LocalDate dateReception, String arXml) {
        return recordAnswerStatus(answerId, 4, Optional.of(dateReception), Optional.of(arXml));
    }

    public Optional<Answer> answerOf(long letterId) {
        return sql.inTransaction("answerOf " + letterId, c -> answerWhere(c, "WHERE letter_id = ?", letterId));
    }

    /** The AR of an answer (3-5, 4-5) as received, once there is one. */
    public Optional<String> answerAcknowledgementXml(long answerId) {
        return sql.inTransaction("answerAr " + answerId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ar_xml FROM acte_answer WHERE id = ?")) {
                bind(ps, answerId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /**
     * Answers the TdT still has news of: posting, posted, transmitted (but a 2-2, which has no AR, ends
     * transmitted).
     */
    public List<Answer> pendingAnswers() {
        return sql.inTransaction("pendingAnswers", c -> answersWhere(c, "WHERE a.state IN (?, ?) OR (a.state = ?"
                        + " AND l.message_type <> ?) ORDER BY a.id", AnswerState.POSTING.name(), AnswerState.POSTED.name(),
                AnswerState.TRANSMITTED.name(), "CourrierSimple"));
    }

    private Answer move(long answerId, AnswerState to, Set<AnswerState> from, Integer tdtStatus, String reason) {
        return sql.inTransaction("answer " + answerId + " -> " + to, c -> {
            Answer a = lockAnswer(c, answerId);
            if (!from.contains(a.state())) throw illegal(a, to);
            update(c, answerId, "state = ?, tdt_status = ?, last_error = ?", to.name(),
                    tdtStatus == null ? nullable(a.tdtStatus(), Types.INTEGER) : tdtStatus,
                    reason == null ? new Sql.Null(Types.VARCHAR) : clip(reason));
            return lockAnswer(c, answerId);
        });
    }

    private void update(Connection c, long answerId, String assignments, Object... values) throws SQLException {
        Object[] args = Arrays.copyOf(values, values.length + 2);
        args[values.length] = clock.instant();
        args[values.length + 1] = answerId;
        try (PreparedStatement ps = c.prepareStatement("UPDATE acte_answer SET " + assignments + ", updated_at = ?"
                + " WHERE id = ?")) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    private Answer lockAnswer(Connection c, long answerId) throws SQLException {
        return answerWhere(c, "WHERE id = ? FOR UPDATE", answerId).orElseThrow(() -> noSuch("réponse", answerId));
    }

    private static Optional<Answer> answerWhere(Connection c, String where, Object... args) throws SQLException {
        List<Answer> l = answers(c, "SELECT " + ANSWER_COLUMNS + " FROM acte_answer " + where, args);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static List<Answer> answersWhere(Connection c, String where, Object... args) throws SQLException {
        String columns = Arrays.stream(ANSWER_COLUMNS.split(",")).map(s -> "a." + s.trim()).collect(Collectors.joining(", "));
        return answers(c, "SELECT " + columns + " FROM acte_answer a JOIN acte_letter l ON l.id = a.letter_id " + where, args);
    }

    private static List<Answer> answers(Connection c, String query, Object... args) throws SQLException {
        List<Answer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(answer(rs));
            }
        }
        return out;
    }

    private static Answer answer(ResultSet rs) throws SQLException {
        String files = rs.getString(8);
        return new Answer(rs.getLong(1), rs.getLong(2), rs.getString(3), AnswerState.valueOf(rs.getString(4)),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable((Integer) rs.getObject(6, Integer.class)),
                Optional.ofNullable(rs.getObject(7, LocalDate.class)),
                files.isEmpty() ? List.of() : Arrays.stream(files.split("\n")).map(Path::of).toList(),
                Optional.ofNullable(rs.getString(9)), optionalInstant(rs, 10), instant(rs, 11), instant(rs, 12));
    }

    private static JournalException illegal(Answer a, AnswerState to) {
        return new JournalException(Reason.INTERNAL, "La réponse n° " + a.id() + " est " + a.state() + " : elle ne peut"
                + " pas passer à " + to + ".", "answer " + a.id() + ": " + a.state() + " -> " + to + " refused");
    }

    private static JournalException noSuch(String what, long id) {
        return new JournalException(Reason.INVALID_INPUT, "Aucun(e) " + what + " n° " + id + " dans le journal.",
                "no " + what + " " + id);
    }

    private static String clip(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
    }
}
