package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;

import fr.actesconnector.model.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Objects;

/** The envelope counters (table envelope_counter): one sequence per collectivité and day, shared by every process. */
public final class Counters {
    /** The envelope counter of a collectivité restarts each day at 1 and may not pass this. */
    public static final int MAX_ENVELOPE_NUMBER = 9999;
    private static final int COUNTER_RETRIES = 5;

    private final Sql sql;

    Counters(Sql sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
    }

    /**
     * The next envelope number of a collectivité for a day: 1, 2… up to {@value #MAX_ENVELOPE_NUMBER},
     * committed before it is returned, so no two callers (threads or processes sharing the database) ever
     * get the same number, even across restarts. A number taken and not used is simply skipped.
     *
     * @throws JournalException (REFUSED) when the day's {@value #MAX_ENVELOPE_NUMBER} numbers are used
     */
    public int nextEnvelopeNumber(String siren, LocalDate day) {
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(day, "day");
        for (int attempt = 1; ; attempt++) {
            try {
                return sql.inTransaction("nextEnvelopeNumber " + siren, c -> takeEnvelopeNumber(c, siren, day));
            } catch (JournalException e) {
                // Two first callers of the day raced on the insert: the loser now finds the row.
                if (!Sql.isUniqueViolation(e.getCause()) || attempt >= COUNTER_RETRIES) throw e;
            }
        }
    }

    private int takeEnvelopeNumber(Connection c, String siren, LocalDate day) throws SQLException {
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE envelope_counter SET last_number = last_number + 1"
                + " WHERE siren = ? AND envelope_day = ?")) {
            bind(ps, siren, day);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO envelope_counter (siren, envelope_day, last_number) VALUES (?, ?, 1)")) {
                bind(ps, siren, day);
                ps.executeUpdate();
            }
            return 1;
        }
        int number;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_number FROM envelope_counter WHERE siren = ? AND envelope_day = ?")) {
            bind(ps, siren, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getInt(1);
            }
        }
        if (number > MAX_ENVELOPE_NUMBER) {
            throw new JournalException(Reason.REFUSED,
                    "Les " + MAX_ENVELOPE_NUMBER + " numéros d'enveloppe du " + day + " sont épuisés pour la"
                            + " collectivité " + siren + " : transmettez les actes suivants le lendemain.",
                    "envelope numbers exhausted for " + siren + " on " + day);
        }
        return number;
    }
}
