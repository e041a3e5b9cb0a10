package fr.actesconnector.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * Writes the flat {@code .tar.gz} of a transmission by streaming each file (never holding one in
 * memory), into a temporary file moved into place only when complete: a crash leaves no
 * half-written archive under the final name.
 */
public final class ArchiveWriter {
    /**
     * One archive member: its ministry name, where its bytes are, and whether deflating it is worth
     * the time (XML yes; PDF, PNG and JPEG are compressed already and are stored as they are).
     */
    public record Entry(String name, Path source, boolean compressible) {
        public Entry(String name, Path source) {
            this(name, source, true);
        }

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new IllegalArgumentException("archive entries are flat file names: " + name);
            }
        }
    }

    private final int compressionLevel;

    /** Deflates compressible entries at the default level and stores the others. */
    public ArchiveWriter() {
        this(Deflater.DEFAULT_COMPRESSION);
    }

    public ArchiveWriter(int compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    /** A gzip stream whose deflate level can change between entries (the JDK applies it at the next block). */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
        }

        void level(int level) {
            def.setLevel(level);
        }
    }

    /** Writes {@code entries} in order into {@code target}; replaces nothing if {@code target} exists. */
    public Path write(Path target, List<Entry> entries, Instant modified) {
        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name())) throw new IllegalArgumentException("duplicate archive entry " + e.name());
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".partial-", ".tar.gz");
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 LevelledGzip gzip = new LevelledGzip(file);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Entry e : entries) {
                    tar.flush();
                    gzip.level(e.compressible() ? compressionLevel : Deflater.NO_COMPRESSION);
                    TarArchiveEntry te = new TarArchiveEntry(e.name());
                    te.setSize(Files.size(e.source()));
                    te.setModTime(Date.from(modified));
                    te.setMode(0100644);
                    tar.putArchiveEntry(te);
                    try (InputStream in = Files.newInputStream(e.source())) {
                        in.transferTo(tar);
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return target;
        } catch (IOException e) {
            quietlyDelete(tmp);
            throw new ActesException(Reason.INTERNAL, "L'archive « " + target.getFileName()
                    + " » n'a pas pu être écrite (" + e.getClass().getSimpleName() + ") : vérifiez l'espace disque et les droits du dossier "
                    + dir + ".", "cannot write archive " + target + ": " + e, e);
        }
    }

    private static void quietlyDelete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the partial file has a hidden temporary name
        }
    }
}
