package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

/**
 * The page's {@code multipart/form-data} uploads (an acte, an answer to a letter): the CSRF token must be
 * the first part and is checked before any file is read; files go to a folder of their own under a
 * private one, deleted when the request ends; the files together may not pass the configured limit.
 *
 * <p>Each server has its private folder under {@code <data.dir>/}{@value #FOLDER}, locked (an OS file lock)
 * while it runs; at start, the folders no running server holds (left by a server that was killed, with
 * the partial uploads of that moment) are removed, and at stop the server's own.
 */
final class Uploads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    /** Room for the text fields and part headers of a form, on top of the files. */
    private static final long FORM_OVERHEAD = 1024 * 1024;

    /** What to do with a form once read; its files live in {@code dir} until it returns. */
    @FunctionalInterface
    interface Handler {
        void handle(MultipartParser.Form form, Path dir) throws IOException;
    }

    /** The folder, under data.dir, of the servers' upload folders. */
    static final String FOLDER = "envois-en-cours";
    private static final String LOCK = ".verrou";

    private final Path root;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Uploads(Path root, long maxBytes, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Removes the folders under {@code parent} that no running server holds, then makes this server's own,
     * private (owner only) and locked until {@link #close()}.
     */
    static synchronized Uploads open(Path parent, long maxBytes) throws IOException {
        Files.createDirectories(parent.toAbsolutePath().getParent());
        try {
            Files.createDirectory(parent, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            // made by an earlier server
        }
        // One server starting at a time (processes by the file lock, this JVM by synchronized): a folder just
        // made is never taken for an abandoned one before its own lock is taken.
        try (FileChannel starting = FileChannel.open(parent.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = starting.lock()) {
            removeAbandoned(parent);
            Path root = Files.createTempDirectory(parent, "serveur-", ownerOnly());
            FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                return new Uploads(root, maxBytes, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                deleteQuietly(root);
                throw e;
            }
        }
    }

    /** The folders of servers that are gone: their lock is free (the OS releases it when a process dies). */
    private static void removeAbandoned(Path parent) throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(parent)) {
            folders = list.filter(Files::isDirectory).toList();
        }
        for (Path folder : folders) {
            if (heldByARunningServer(folder)) continue;
            LOG.info("web: removing the upload folder {} left by a stopped server", folder.getFileName());
            deleteQuietly(folder);
        }
    }

    private static boolean heldByARunningServer(Path folder) {
        Path lockFile = folder.resolve(LOCK);
        if (!Files.isRegularFile(lockFile)) return false;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock free = channel.tryLock();
            if (free == null) return true;
            free.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // a server of this process
        } catch (IOException e) {
            LOG.warn("web: cannot tell whether the upload folder {} is in use, left alone: {}", folder, e.toString());
            return true;
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    /** This server's private folder. */
    Path folder() {
        return root;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Reads the form of {@code ex} for the session {@code s}, hands it to {@code handler}, then deletes its files. */
    void receive(HttpExchange ex, Sessions.Session s, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        String boundary = MultipartParser.boundary(ex.getRequestHeaders().getFirst("Content-Type"))
                .orElseThrow(() -> new RequestException(400, "Formulaire illisible",
                        "Le formulaire n'a pas été envoyé comme prévu : rechargez la page, puis recommencez."));
        if (Exchanges.contentLength(ex) > maxBytes + FORM_OVERHEAD) throw tooLarge(ex);
        Path dir = Files.createTempDirectory(root, "envoi-");
        try {
            MultipartParser.Form form;
            // Not closed here: a refused upload is drained from this stream before answering.
            InputStream body = ex.getRequestBody();
            try {
                form = MultipartParser.parse(body, boundary, dir, maxBytes, (name, value) -> {
                    if (!name.equals("csrf") || !s.csrfMatches(value)) throw RequestException.csrf();
                });
            } catch (MultipartParser.FieldTooLongException e) {
                Exchanges.drainQuietly(body);
                LOG.info("web: upload refused, field {} over {} bytes", e.field, MultipartParser.MAX_FIELD_BYTES);
                throw Exchanges.fieldTooLong(e.field, MultipartParser.MAX_FIELD_BYTES);
            } catch (MultipartParser.TooLargeException e) {
                throw tooLarge(ex);
            } catch (RequestException e) {
                Exchanges.drainQuietly(body);
                throw e;
            } catch (MultipartParser.MalformedException e) {
                LOG.info("web: malformed upload: {}", e.getMessage());
                throw new RequestException(400, "Formulaire illisible",
                        "Le formulaire est arrivé incomplet : vérifiez la connexion, puis recommencez.");
            }
            handler.handle(form, dir);
        } finally {
            deleteQuietly(dir);
        }
    }

    private RequestException tooLarge(HttpExchange ex) {
        Exchanges.drainQuietly(ex.getRequestBody());
        LOG.info("web: upload refused, over {} bytes", maxBytes);
        return new RequestException(413, "Fichiers trop volumineux", "Les fichiers envoyés dépassent la limite de "
                + Pages.mib(maxBytes) + " par acte (limits.max-archive-bytes) : retirez ou compressez "
                + "des annexes, puis recommencez.");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("web: releasing the upload folder's lock: {}", e.toString());
        }
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // already gone
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("web: could not delete upload folder {}: {}", dir, e.toString());
        }
    }
}
