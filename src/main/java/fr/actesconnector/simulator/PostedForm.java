package fr.actesconnector.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} post as PHP hands it to a script: text fields, and files streamed to
 * a staging folder (never held in memory). Like PHP, files past {@code maxFiles} are dropped and
 * flagged (max_file_uploads), and text fields past {@link #MAX_FIELDS} are dropped (max_input_vars).
 */
final class PostedForm {
    /** A file part as received: where it was written, its size and SHA-256. */
    record UploadedFile(String field, String postedName, Path path, long size, String sha256) {
    }

    static final int MAX_FIELDS = 1000;
    private static final int MAX_FIELD_BYTES = 64 * 1024;

    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final Map<String, List<UploadedFile>> files = new LinkedHashMap<>();
    private boolean tooManyFiles;
    private boolean tooLarge;

    private PostedForm() {
    }

    /**
     * Reads the whole body; text fields are decoded as ISO-8859-1 (S²LOW converts them from it in api
     * mode). Files over {@code maxTotalBytes} in total are dropped and {@link #tooLarge()} is set.
     */
    static PostedForm read(MultipartReader reader, Path staging, long maxTotalBytes, int maxFiles) throws IOException {
        PostedForm form = new PostedForm();
        long total = 0;
        int fileCount = 0;
        int fieldCount = 0;
        int part = 0;
        Optional<MultipartReader.PartHeader> header;
        while ((header = reader.next()).isPresent()) {
            MultipartReader.PartHeader h = header.get();
            part++;
            if (h.filename().isEmpty()) {
                String value = reader.readText(MAX_FIELD_BYTES, StandardCharsets.ISO_8859_1);
                if (++fieldCount <= MAX_FIELDS) form.fields.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(value);
                continue;
            }
            if (h.filename().get().isEmpty()) continue; // a file input left empty: PHP records no upload
            if (++fileCount > maxFiles) {
                form.tooManyFiles = true;
                continue;
            }
            if (form.tooLarge) continue;
            Path target = staging.resolve("part-" + part);
            MessageDigest sha = sha256();
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
                size = reader.copyContent(out, maxTotalBytes - total);
            } catch (MultipartReader.TooLarge e) {
                form.tooLarge = true;
                Files.deleteIfExists(target);
                continue;
            }
            total += size;
            form.files.computeIfAbsent(h.name(), k -> new ArrayList<>())
                    .add(new UploadedFile(h.name(), h.filename().get(), target, size, HexFormat.of().formatHex(sha.digest())));
        }
        return form;
    }

    /** What PHP has when the body is not multipart: no field, no file. */
    static PostedForm empty() {
        return new PostedForm();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** PHP's "Maximum number of allowable file uploads has been exceeded". */
    boolean tooManyFiles() {
        return tooManyFiles;
    }

    /** The files' total size was over the limit. */
    boolean tooLarge() {
        return tooLarge;
    }

    /** A field's value; when a name is repeated without {@code []}, PHP keeps the last one. */
    Optional<String> field(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    String text(String name) {
        return field(name).map(String::trim).orElse("");
    }

    List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    List<UploadedFile> files(String name) {
        return files.getOrDefault(name, List.of());
    }

    Optional<UploadedFile> file(String name) {
        return files(name).stream().findFirst();
    }

    /** PHP's truthiness of a posted string: anything but absent, "" and "0". */
    static boolean truthy(Optional<String> value) {
        return value.filter(v -> !v.isEmpty() && !v.equals("0")).isPresent();
    }
}
