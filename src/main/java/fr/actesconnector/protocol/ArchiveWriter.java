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

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * Writes the flat {@code .tar.gz} of a transmission by streaming each file (never holding one in
 * memory), into a temporary file moved into place only when complete: a crash leaves no
 * half-written archive under the final name.
 */
public final class ArchiveWriter {
    /** One archive member: its ministry name and where its bytes are. */
    public record Entry(String name, Path source) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new IllegalArgumentException("archive entries are flat file names: " + name);
            }
        }
    }

    private final int compressionLevel;

    public ArchiveWriter() {
        this(Deflater.DEFAULT_COMPRESSION);
    }

    public ArchiveWriter(int compressionLevel) {
        this.compressionLevel = compressionLevel;
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
            GzipParameters gz = new GzipParameters();
            gz.setCompressionLevel(compressionLevel);
            gz.setModificationTime(modified.toEpochMilli());
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file, gz);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Entry e : entries) {
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
