package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;

import fr.actesconnector.model.Actor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the secretariat records about an acte besides its transmission (columns of table acte): when it was
 * published or notified, and the refused acte a corrected one replaces.
 */
public final class Publications {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final DateTimeFormatter FRENCH_DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Sql sql;
    private final Clock clock;

    Publications(Sql sql, Clock clock) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Publication (or display) or notification of an acte to the people concerned, as the secretariat recorded it. */
    public record Publication(LocalDate date, String mode) {
        public Publication {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** Records (or corrects) when the acte was published or notified; {@code mode} is {@code publication} or {@code notification}. */
    public void recordPublication(long id, Publication publication) {
        publication(id, publication, null);
    }

    /** As {@link #recordPublication(long, Publication)}, with a line of the history naming who recorded it. */
    public void recordPublication(long id, Publication publication, Actor actor) {
        publication(id, publication, Objects.requireNonNull(actor, "actor"));
    }

    private void publication(long id, Publication publication, Actor actor) {
        Objects.requireNonNull(publication, "publication");
        sql.inTransaction("recordPublication " + id, c -> {
            JournalEntry e = EntryRows.lockEntry(c, id);
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("UPDATE acte SET publication_date = ?, publication_mode = ?,"
                    + " updated_at = ? WHERE id = ?")) {
                bind(ps, publication.date(), publication.mode(), now, id);
                ps.executeUpdate();
            }
            if (actor != null) {
                EntryRows.insertHistory(c, id, e.state(), e.state(), null, (publication.mode().equals("notification")
                        ? "notification" : "publication") + " du " + FRENCH_DAY.format(publication.date())
                        + " enregistrée", actor, now);
            }
            log.info("{}: {} on {} recorded", e.idActe(), publication.mode(), publication.date());
            return null;
        });
    }

    public Optional<Publication> of(long id) {
        return sql.inTransaction("publication " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT publication_date, publication_mode FROM acte WHERE id = ?"
                    + " AND publication_date IS NOT NULL")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Publication(rs.getObject(1, LocalDate.class), rs.getString(2)))
                            : Optional.<Publication>empty();
                }
            }
        });
    }

    /** Links a corrected acte to the refused one it replaces (sent under a new number). */
    public void recordReplaces(long id, long replacedId) {
        sql.inTransaction("recordReplaces " + id, c -> {
            EntryRows.lockEntry(c, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE acte SET replaces_id = ? WHERE id = ?")) {
                bind(ps, replacedId, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The acte {@code id} replaces, and the one that replaces it, when any. */
    public record Replacement(Optional<Long> replaces, Optional<Long> replacedBy) {
    }

    public Replacement replacement(long id) {
        return sql.inTransaction("replacement " + id, c -> {
            Optional<Long> replaces = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("SELECT replaces_id FROM acte WHERE id = ?")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) replaces = Optional.of(rs.getLong(1));
                }
            }
            Optional<Long> by = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM acte WHERE replaces_id = ? ORDER BY id")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) by = Optional.of(rs.getLong(1));
                }
            }
            return new Replacement(replaces, by);
        });
    }

    /** Several actes' publications in one query per {@value Sql#IN_CHUNK}; an acte not published has none in the map. */
    public Map<Long, Publication> of(java.util.Collection<Long> ids) {
        return sql.perChunk("publications", ids, new java.util.HashMap<Long, Publication>(), (chunk, out) -> chunk.rows(
                "SELECT id, publication_date, publication_mode FROM acte WHERE id IN " + chunk.in()
                        + " AND publication_date IS NOT NULL",
                rs -> out.put(rs.getLong(1), new Publication(rs.getObject(2, LocalDate.class), rs.getString(3)))));
    }
}
