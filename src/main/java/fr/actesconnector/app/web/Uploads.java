package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

/**
 * The page's {@code multipart/form-data} uploads (an acte, an answer to a letter): the CSRF token must be
 * the first part and is checked before any file is read; files go to a folder of their own under a
 * private one, deleted when the request ends; the files together may not pass the configured limit.
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

    private final Path root;
    private final long maxBytes;

    private Uploads(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** A new private folder (owner only) for the uploads of one server. */
    static Uploads open(long maxBytes) throws IOException {
        Path root;
        try {
            root = Files.createTempDirectory("actes-web-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            root = Files.createTempDirectory("actes-web-");
        }
        return new Uploads(root, maxBytes);
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
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("web: could not delete upload folder {}: {}", dir, e.toString());
        }
    }
}
