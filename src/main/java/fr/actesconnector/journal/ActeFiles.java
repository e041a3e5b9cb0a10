package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;
import static fr.actesconnector.journal.Sql.instant;
import static fr.actesconnector.journal.Sql.nullable;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files the journal keeps for each acte (tables acte_file and acte_document): the archive's pieces as
 * sent, and the documents received or fetched after (ARActe, stamped PDFs, bordereau, letters…).
 */
public final class ActeFiles {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    private final Sql sql;
    private final Clock clock;

    ActeFiles(Sql sql, Clock clock) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Replaces the archive's file rows, in the caller's transaction ({@link Journal#recordArchive}). */
    static void replaceArchived(Connection c, long id, List<ArchivedFile> files, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM acte_file WHERE acte_id = ?")) {
            bind(ps, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_file (acte_id, file_order, file_role,"
                + " ministry_name, file_path, size_bytes, sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < files.size(); i++) {
                ArchivedFile f = files.get(i);
                bind(ps, id, i, f.role().name(), f.ministryName(), f.path().toString(), f.size(), f.sha256(), now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The archive's files, in archive order. */
    public List<ArchivedFile> archived(long id) {
        return sql.inTransaction("files " + id, c -> {
            List<ArchivedFile> files = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT file_role, ministry_name, file_path, size_bytes,"
                    + " sha256 FROM acte_file WHERE acte_id = ? ORDER BY file_order")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.add(new ArchivedFile(ArchivedFile.Role.valueOf(rs.getString(1)), rs.getString(2),
                                Path.of(rs.getString(3)), rs.getLong(4), rs.getString(5)));
                    }
                }
            }
            return files;
        });
    }

    /**
     * Every file the journal keeps for the acte: the archive as sent, its pieces and signatures, then
     * what came back (ARActe, stamped PDFs, bordereau, letters and their files…), in recording order.
     */
    public List<KeptFile> kept(long id) {
        return kept(List.of(id)).getOrDefault(id, List.of());
    }

    /** {@link #kept(long)} of several actes in three queries per {@value Sql#IN_CHUNK}: status --json lists hundreds. */
    public Map<Long, List<KeptFile>> kept(java.util.Collection<Long> ids) {
        return sql.perChunk("keptFiles", ids, new LinkedHashMap<Long, List<KeptFile>>(), ActeFiles::keptFiles);
    }

    private static void keptFiles(Sql.Chunk chunk, Map<Long, List<KeptFile>> out) throws SQLException {
        Map<Long, List<KeptFile>> pieces = new java.util.HashMap<>();
        Map<Long, Instant> archivedAt = new java.util.HashMap<>();
        chunk.rows("SELECT acte_id, file_role, ministry_name, file_path, recorded_at FROM acte_file WHERE acte_id IN "
                + chunk.in() + " ORDER BY acte_id, file_order", rs -> {
            long acte = rs.getLong(1);
            Instant at = rs.getObject(5) == null ? null : instant(rs, 5);
            if (at != null) archivedAt.putIfAbsent(acte, at); // the first file recorded dates the archive
            pieces.computeIfAbsent(acte, k -> new ArrayList<>()).add(new KeptFile(
                    rs.getString(2).toLowerCase(java.util.Locale.ROOT), rs.getString(3), Path.of(rs.getString(4)),
                    Optional.ofNullable(at), Optional.empty()));
        });
        Map<Long, List<KeptFile>> kept = new LinkedHashMap<>();
        chunk.rows("SELECT id, archive_path FROM acte WHERE id IN " + chunk.in(), rs -> {
            List<KeptFile> files = new ArrayList<>();
            if (rs.getString(2) != null) {
                Path archive = Path.of(rs.getString(2));
                files.add(new KeptFile("archive", String.valueOf(archive.getFileName()), archive,
                        Optional.ofNullable(archivedAt.get(rs.getLong(1))), Optional.empty()));
            }
            kept.put(rs.getLong(1), files);
        });
        pieces.forEach((acte, files) -> kept.computeIfAbsent(acte, k -> new ArrayList<>()).addAll(files));
        chunk.rows("SELECT acte_id, kind, file_path, recorded_at, message_type FROM acte_document WHERE acte_id IN "
                + chunk.in() + " ORDER BY acte_id, id", rs -> {
            Path path = Path.of(rs.getString(3));
            kept.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new KeptFile(
                    rs.getString(2).toLowerCase(java.util.Locale.ROOT), String.valueOf(path.getFileName()), path,
                    Optional.of(instant(rs, 4)), Optional.ofNullable(rs.getString(5))));
        });
        for (long id : chunk.ids()) out.put(id, kept.getOrDefault(id, List.of()));
    }

    /**
     * Records a document received or fetched for the acte (stamped PDF, bordereau, courrier…). Does not
     * change the state. Idempotent on (kind, SHA-256).
     *
     * @return true when recorded now, false when the same document was already there
     */
    public boolean recordDocument(long id, ReceivedDocument document) {
        Objects.requireNonNull(document, "document");
        return recordDocuments(id, List.of(document)) == 1;
    }

    /**
     * Records the documents of one acte at once, in one transaction (the poller's AR, stamped PDFs and bordereau:
     * one commit instead of one each). Idempotent on (kind, SHA-256) as {@link #recordDocument}.
     *
     * @return how many were recorded now (the others were there already, or twice in the list)
     */
    public int recordDocuments(long id, List<ReceivedDocument> documents) {
        List<ReceivedDocument> all = List.copyOf(documents);
        if (all.isEmpty()) return 0;
        return sql.inTransaction("recordDocuments " + id, c -> {
            JournalEntry e = EntryRows.lockEntry(c, id);
            java.util.Set<String> known = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, sha256 FROM acte_document WHERE acte_id = ?")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) known.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            List<ReceivedDocument> fresh = all.stream().filter(d -> known.add(d.kind().name() + " " + d.sha256())).toList();
            if (fresh.isEmpty()) return 0;
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acte_document (acte_id, kind, message_type,"
                    + " file_path, size_bytes, sha256, date_courrier_pref, tdt_document_id, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ReceivedDocument document : fresh) {
                    bind(ps, id, document.kind().name(), nullable(document.messageType(), Types.VARCHAR),
                            document.path().toString(), document.size(), document.sha256(),
                            nullable(document.dateCourrierPref(), Types.DATE),
                            nullable(document.tdtDocumentId(), Types.VARCHAR), now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            for (ReceivedDocument document : fresh) log.info("{}: {} recorded ({})", e.idActe(), document.kind(), document.path());
            return fresh.size();
        });
    }

    public List<ReceivedDocument> documents(long id) {
        return sql.inTransaction("documents " + id, c -> {
            List<ReceivedDocument> documents = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, message_type, file_path, size_bytes, sha256,"
                    + " date_courrier_pref, tdt_document_id, recorded_at FROM acte_document WHERE acte_id = ?"
                    + " ORDER BY id")) {
                bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        documents.add(new ReceivedDocument(ReceivedDocument.Kind.valueOf(rs.getString(1)),
                                Optional.ofNullable(rs.getString(2)), Path.of(rs.getString(3)), rs.getLong(4),
                                rs.getString(5), Optional.ofNullable(rs.getObject(6, LocalDate.class)),
                                Optional.ofNullable(rs.getString(7)), instant(rs, 8)));
                    }
                }
            }
            return documents;
        });
    }
}
