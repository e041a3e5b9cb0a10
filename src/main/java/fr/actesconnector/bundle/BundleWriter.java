package fr.actesconnector.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * Writes {@code <IDActe>.zip}: the source's files streamed one by one (each hashed on the way, stored
 * uncompressed), then
 * {@code historique.json}, {@code fiche.pdf} and, last, {@code manifest.json} listing them all, with its
 * RFC 3161 token when a TSA is given. Written to a temporary file, then moved into place.
 */
public final class BundleWriter {
    public static final String HISTORY = "historique.json";
    public static final String FICHE = "fiche.pdf";

    private final Optional<TimeStamper> timeStamper;

    public BundleWriter(Optional<TimeStamper> timeStamper) {
        this.timeStamper = Objects.requireNonNull(timeStamper, "timeStamper");
    }

    /** Writes the bundle into {@code outDir} (created if needed) and returns its path. */
    public Path write(BundleSource source, Path outDir) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outDir, "outDir");
        String idActe = source.acte().idActe();
        Path target = outDir.resolve(idActe + ".zip");
        Path tmp = null;
        try {
            Files.createDirectories(outDir);
            tmp = Files.createTempFile(outDir, "." + idActe, ".zip.tmp");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                List<Manifest.Entry> entries = new ArrayList<>();
                for (BundleSource.Item item : source.items()) {
                    Content content = item.file().isPresent() ? () -> Files.newInputStream(item.file().get())
                            : bytes(item.bytes().orElseThrow());
                    entries.add(entry(zip, item.path(), item.kind(), item.signs().orElse(null), content));
                }
                entries.add(entry(zip, HISTORY, "history", null, bytes(history(source))));
                ByteArrayOutputStream fiche = new ByteArrayOutputStream();
                Fiche.write(source, entries, fiche);
                entries.add(entry(zip, FICHE, "fiche", null, bytes(fiche.toByteArray())));
                ByteArrayOutputStream manifest = new ByteArrayOutputStream();
                new Manifest(Manifest.FORMAT, idActe, source.createdAt().toString(), entries).writeTo(manifest);
                byte[] manifestBytes = manifest.toByteArray();
                entry(zip, Manifest.NAME, "manifest", null, bytes(manifestBytes));
                if (timeStamper.isPresent()) {
                    byte[] token = timeStamper.get().stamp(sha256(manifestBytes));
                    entry(zip, Manifest.TIMESTAMP_NAME, "timestamp", null, bytes(token));
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new ActesException(Reason.INTERNAL, "Le dossier de preuve de l'acte " + idActe + " n'a pas pu être écrit "
                    + "dans « " + outDir + " » (" + e.getClass().getSimpleName() + ") : vérifiez l'espace disque, les droits "
                    + "du dossier et que les fichiers du journal sont toujours là.", idActe + ": cannot write bundle: " + e, e);
        } finally {
            if (tmp != null) SafeZip.quietlyDeleteTree(tmp);
        }
    }

    /** Something that can be read twice. */
    @FunctionalInterface
    private interface Content {
        InputStream open() throws IOException;
    }

    private static Content bytes(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    /**
     * Every entry is STORED, not deflated: PDFs and the tar.gz are compressed already, the rest is small, and a
     * byte changed in the zip file itself then changes that entry's bytes, which its hash names, instead of
     * making the whole zip unreadable. A stored entry's CRC and size go before its bytes: a first reading.
     */
    private static Manifest.Entry entry(ZipOutputStream zip, String path, String kind, String signs, Content content)
            throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = content.open()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        ZipEntry entry = new ZipEntry(path);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        MessageDigest md = sha256();
        long written = 0;
        try (InputStream in = content.open()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                zip.write(buffer, 0, n);
                md.update(buffer, 0, n);
                written += n;
            }
        }
        zip.closeEntry(); // fails if the file changed between the two readings (size or CRC)
        return new Manifest.Entry(path, kind, written, HexFormat.of().formatHex(md.digest()), signs);
    }

    /** {@code historique.json}: the acte, its transmission, and each event with who did it. */
    private static byte[] history(BundleSource s) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        BundleSource.Acte a = s.acte();
        root.put("idActe", a.idActe());
        root.put("collectivite", a.collectivite());
        root.put("siren", a.siren());
        root.put("numero", a.numero());
        root.put("numeroInterne", a.numeroInterne());
        root.put("objet", a.objet());
        root.put("nature", a.nature());
        root.put("matiere", a.matiere());
        root.put("dateDecision", a.dateDecision().toString());
        BundleSource.Transmission t = s.transmission();
        root.put("etat", t.state());
        root.put("transactionId", t.transactionId().orElse(null));
        root.put("envoyeLe", t.sentAt().map(Object::toString).orElse(null));
        root.put("dateReception", t.dateReception().map(Object::toString).orElse(null));
        root.put("publication", t.publication().orElse(null));
        root.put("executoire", s.clock().executoire().map(Object::toString).orElse(null));
        root.put("defereJusquau", s.clock().defereJusquau().map(Object::toString).orElse(null));
        root.put("calendrier", s.clock().summary());
        List<Map<String, Object>> events = new ArrayList<>();
        for (BundleSource.Event e : s.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", e.at().toString());
            m.put("par", e.by());
            m.put("quoi", e.what());
            m.put("detail", e.detail().orElse(null));
            events.add(m);
        }
        root.put("historique", events);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest.json().writeValue(out, root);
        return out.toByteArray();
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Obtains an RFC 3161 time-stamp token (DER) over a SHA-256 digest. */
    @FunctionalInterface
    public interface TimeStamper {
        byte[] stamp(byte[] sha256);
    }
}
