package fr.actesconnector.journal;

import static fr.actesconnector.journal.EntryRows.clip;
import static fr.actesconnector.journal.Sql.bind;
import static fr.actesconnector.journal.Sql.instant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The prefecture's replies to an acte as stored, read back: the ARActe and the anomalies. They are written
 * with the state they move the acte to, in one transaction ({@link Journal#recordAcknowledgement},
 * {@link Journal#recordAnomaly}), through the static methods below.
 */
public final class Replies {
    private final Sql sql;

    Replies(Sql sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
    }

    /** The ARActe as recorded, once there is one. */
    public Optional<Acknowledgement> acknowledgement(long id) {
        return sql.inTransaction("acknowledgement " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ar_acte_xml, date_reception, acknowledged_at"
                    + " FROM acte WHERE id = ? AND ar_acte_xml IS NOT NULL")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new Acknowledgement(rs.getString(1), rs.getObject(2, LocalDate.class),
                            instant(rs, 3)));
                }
            }
        });
    }

    /** The anomalies received for the acte, oldest first. */
    public List<Anomaly> anomalies(long id) {
        return sql.inTransaction("anomalies " + id, c -> {
            List<Anomaly> anomalies = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT nature, detail, raw_xml, received_at"
                    + " FROM acte_anomaly WHERE acte_id = ? ORDER BY id")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        anomalies.add(new Anomaly(rs.getString(1), rs.getString(2),
                                Optional.ofNullable(rs.getString(3)), instant(rs, 4)));
                    }
                }
            }
            return anomalies;
        });
    }

    /** The anomalies of several actes, each one's oldest first, by journal id (none: absent), one query per {@value Sql#IN_CHUNK}. */
    public Map<Long, List<Anomaly>> anomalies(Collection<Long> ids) {
        return sql.perChunk("anomalies", ids, new HashMap<Long, List<Anomaly>>(), (chunk, out) -> chunk.rows(
                "SELECT acte_id, nature, detail, raw_xml, received_at FROM acte_anomaly WHERE acte_id IN " + chunk.in()
                        + " ORDER BY acte_id, id",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Anomaly(rs.getString(2),
                        rs.getString(3), Optional.ofNullable(rs.getString(4)), instant(rs, 5)))));
    }

    /** The ARActe stored for the acte, if any, in the caller's transaction ({@link Journal#recordAcknowledgement}). */
    static Optional<String> storedAcknowledgement(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ar_acte_xml FROM acte WHERE id = ?")) {
            bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** What tells an anomaly from another: its nature, detail and XML, hashed. */
    static String fingerprint(String nature, String detail, String rawXml) {
        return sha256(nature + '\u0000' + detail + '\u0000' + rawXml);
    }

    /** Whether the anomaly of this {@link #fingerprint} is stored for the acte already, in the caller's transaction. */
    static boolean hasAnomaly(Connection c, long id, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM acte_anomaly WHERE acte_id = ? AND fingerprint = ?")) {
            bind(ps, id, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Stores the anomaly, in the caller's transaction ({@link Journal#recordAnomaly}). */
    static void insertAnomaly(Connection c, long id, String nature, String detail, String rawXml, String fingerprint,
                              Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_anomaly (acte_id, nature, detail,"
                + " raw_xml, fingerprint, received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            bind(ps, id, clip(nature, 200), clip(detail), rawXml, fingerprint, now);
            ps.executeUpdate();
        }
    }

    private static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
