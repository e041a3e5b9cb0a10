package fr.actesconnector.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} reader: text fields are kept in memory (each capped), file
 * parts go straight to disk under the given folder, and the total of the file bytes is checked while
 * reading, so an oversized upload is abandoned as soon as it passes the limit. Never reads a whole
 * body into memory. One instance per request.
 */
final class MultipartParser {
    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_PARTS = 64;
    private static final int BUFFER = 64 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern PARAM = Pattern.compile(
            ";\\s*([A-Za-z*]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");

    /** An uploaded file: the form field, the name the browser gave (base name only), where it is, its size. */
    record FilePart(String field, String originalName, Path file, long size) {
    }

    /** The parsed form. */
    record Form(Map<String, String> fields, Map<String, FilePart> files) {
        String field(String name) {
            return fields.getOrDefault(name, "");
        }

        Optional<FilePart> file(String name) {
            return Optional.ofNullable(files.get(name));
        }
    }

    /** The files together pass the limit; what was read is left in the folder for the caller to delete. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** A text field passes {@link #MAX_FIELD_BYTES}: named, so that the page can say which. */
    static final class FieldTooLongException extends IOException {
        final String field;

        FieldTooLongException(String field) {
            super("field " + field + " over " + MAX_FIELD_BYTES + " bytes");
            this.field = field;
        }
    }

    /** The body is not a well-formed multipart body. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** Called with the first part before anything else is read; throws to refuse the request. */
    @FunctionalInterface
    interface FirstFieldCheck {
        void check(String name, String value);
    }

    private final long maxFileBytes;
    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int len;
    private boolean eof;
    private long fileBytes;

    private MultipartParser(InputStream in, String boundary, long maxFileBytes) {
        this.in = in;
        this.maxFileBytes = maxFileBytes;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // A virtual CRLF lets the first boundary be found like the others.
        buf[0] = '\r';
        buf[1] = '\n';
        len = 2;
    }

    /** The boundary of a {@code multipart/form-data} content type. */
    static Optional<String> boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) return Optional.empty();
        return Optional.of(m.group(2) != null ? m.group(2) : m.group(3));
    }

    /**
     * Reads the whole body; file parts are written under {@code dir} (one sub-folder per part, holding
     * the browser's base name sanitised). Empty file inputs (no file chosen) are left out.
     */
    static Form parse(InputStream in, String boundary, Path dir, long maxFileBytes, FirstFieldCheck firstField)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(firstField, "firstField");
        return new MultipartParser(in, boundary, maxFileBytes).run(dir, firstField);
    }

    private Form run(Path dir, FirstFieldCheck firstField) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, FilePart> files = new LinkedHashMap<>();
        copyUntilDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE, false);
        int parts = 0;
        while (true) {
            fill(2);
            if (len < 2) throw new MalformedException("truncated after boundary");
            if (buf[0] == '-' && buf[1] == '-') break;
            if (buf[0] != '\r' || buf[1] != '\n') throw new MalformedException("bad boundary line");
            consume(2);
            if (++parts > MAX_PARTS) throw new MalformedException("too many parts");
            Map<String, String> disposition = contentDisposition(readHeaders());
            String name = disposition.get("name");
            if (name == null || name.isEmpty()) throw new MalformedException("part without a name");
            String filename = disposition.get("filename");
            if (filename == null) {
                CappedBuffer value = new CappedBuffer();
                try {
                    copyUntilDelimiter(value, MAX_FIELD_BYTES, false);
                } catch (TooLargeException e) {
                    throw new FieldTooLongException(name);
                }
                fields.putIfAbsent(name, value.text());
                if (parts == 1) firstField.check(name, value.text());
            } else {
                if (parts == 1) firstField.check(name, null);
                Path partDir = Files.createDirectory(dir.resolve(String.valueOf(parts)));
                Path target = partDir.resolve(safeName(filename));
                long size;
                try (OutputStream out = Files.newOutputStream(target)) {
                    size = copyUntilDelimiter(out, Long.MAX_VALUE, true);
                }
                if (filename.isEmpty() && size == 0) {
                    Files.delete(target);
                } else {
                    files.put(name, new FilePart(name, target.getFileName().toString(), target, size));
                }
            }
        }
        return new Form(Collections.unmodifiableMap(fields), Collections.unmodifiableMap(files));
    }

    /** Base name only, no control or path characters, at most 100 characters; never empty. */
    static String safeName(String browserName) {
        String base = browserName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder();
        base.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '.' || cp == '-' || cp == '_' || cp == ' ') {
                out.appendCodePoint(cp);
            } else {
                out.append('_');
            }
        });
        String s = out.toString().strip();
        while (s.startsWith(".")) s = s.substring(1);
        if (s.length() > 100) s = s.substring(s.length() - 100);
        return s.isEmpty() ? "fichier" : s;
    }

    private List<String> readHeaders() throws IOException {
        List<String> headers = new ArrayList<>();
        int total = 0;
        while (true) {
            int eol = -1;
            while (true) {
                for (int i = 0; i + 1 < len; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n') {
                        eol = i;
                        break;
                    }
                }
                if (eol >= 0) break;
                if (len >= MAX_HEADER_BYTES || eof) throw new MalformedException("part headers too long or truncated");
                fill(len + 1);
            }
            total += eol + 2;
            if (total > MAX_HEADER_BYTES) throw new MalformedException("part headers too long");
            String line = new String(buf, 0, eol, StandardCharsets.UTF_8);
            consume(eol + 2);
            if (line.isEmpty()) return headers;
            headers.add(line);
        }
    }

    private static Map<String, String> contentDisposition(List<String> headers) throws MalformedException {
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            if (!h.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) continue;
            String value = h.substring(colon + 1).trim();
            if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) break;
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = PARAM.matcher(value.substring("form-data".length()));
            while (m.find()) {
                String v = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
                params.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v);
            }
            return params;
        }
        throw new MalformedException("part without form-data disposition");
    }

    /**
     * Copies the bytes before the next delimiter to {@code out} and consumes the delimiter. Counts file
     * bytes against the upload limit as they are written.
     */
    private long copyUntilDelimiter(OutputStream out, long cap, boolean isFile) throws IOException {
        long copied = 0;
        while (true) {
            int at = indexOfDelimiter();
            int safe = at >= 0 ? at : Math.max(0, len - (delimiter.length - 1));
            if (safe > 0) {
                copied += safe;
                if (copied > cap) throw new TooLargeException("field over " + cap + " bytes");
                if (isFile) {
                    fileBytes += safe;
                    if (fileBytes > maxFileBytes) throw new TooLargeException("uploaded files over " + maxFileBytes + " bytes");
                }
                out.write(buf, 0, safe);
                consume(safe);
            }
            if (at >= 0) {
                consume(delimiter.length);
                return copied;
            }
            if (eof) throw new MalformedException("body ends before the closing boundary");
            fill(len + 1);
        }
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        outer:
        for (int i = 0; i + delimiter.length <= len; i++) {
            if (buf[i] != first) continue;
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** Reads until at least {@code want} bytes are buffered or the body ends. */
    private void fill(int want) throws IOException {
        int target = Math.min(want, buf.length);
        while (len < target && !eof) {
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                eof = true;
            } else {
                len += n;
            }
        }
    }

    private void consume(int n) {
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
    }

    /** A field value, at most {@link #MAX_FIELD_BYTES}, decoded as UTF-8. */
    private static final class CappedBuffer extends OutputStream {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
