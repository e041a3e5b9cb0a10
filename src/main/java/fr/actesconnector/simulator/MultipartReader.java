package fr.actesconnector.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streaming reader of a {@code multipart/form-data} body: parts come one after the other and a
 * part's content is copied out without ever holding a whole file in memory. Not thread-safe.
 */
final class MultipartReader {
    /** One part's headers; its content must be consumed before asking for the next part. */
    record PartHeader(String name, Optional<String> filename, String contentType) {
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("(?:^|;)\\s*filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int len;
    private boolean finished;
    private boolean contentPending;
    private boolean started;

    private MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(BUFFER, delimiter.length * 4)];
        // the first delimiter has no CRLF before it: pretend it had one
        buf[0] = '\r';
        buf[1] = '\n';
        len = 2;
    }

    /** A reader of the body whose {@code Content-Type} is {@code contentType}; empty if it is not multipart. */
    static Optional<MultipartReader> of(InputStream in, String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) return Optional.empty();
        String boundary = m.group(1) != null ? m.group(1) : m.group(2);
        if (boundary.isEmpty() || boundary.length() > 200) return Optional.empty();
        return Optional.of(new MultipartReader(in, boundary));
    }

    /** The next part's headers, or empty after the closing delimiter. */
    Optional<PartHeader> next() throws IOException {
        if (finished) return Optional.empty();
        if (contentPending) {
            skipContent();
        } else if (!started) {
            // preamble before the first delimiter
            copyUntilDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE);
        }
        started = true;
        if (afterDelimiterIsEnd()) {
            finished = true;
            return Optional.empty();
        }
        String headers = readHeaders();
        String disposition = null;
        String type = "text/plain";
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("content-disposition")) disposition = value;
            if (key.equals("content-type")) type = value;
        }
        if (disposition == null) throw new MalformedBody("part without Content-Disposition");
        Matcher name = NAME.matcher(disposition);
        if (!name.find()) throw new MalformedBody("part without a name");
        Matcher filename = FILENAME.matcher(disposition);
        contentPending = true;
        return Optional.of(new PartHeader(name.group(1), filename.find() ? Optional.of(filename.group(1)) : Optional.empty(), type));
    }

    /**
     * Copies the current part's content to {@code out}; returns the number of bytes. More than
     * {@code limit} bytes is a {@link TooLarge} (the rest of the part is not read).
     */
    long copyContent(OutputStream out, long limit) throws IOException {
        if (!contentPending) throw new IllegalStateException("no part content pending");
        long n = copyUntilDelimiter(out, limit);
        contentPending = false;
        return n;
    }

    /** The current part's content as text, at most {@code maxBytes}. */
    String readText(int maxBytes, java.nio.charset.Charset charset) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        copyContent(out, maxBytes);
        return out.toString(charset);
    }

    private void skipContent() throws IOException {
        copyUntilDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE);
        contentPending = false;
    }

    /** Copies bytes up to the next delimiter, which is consumed. */
    private long copyUntilDelimiter(OutputStream out, long limit) throws IOException {
        long copied = 0;
        while (true) {
            int found = indexOfDelimiter();
            if (found >= 0) {
                copied += found - pos;
                if (copied > limit) throw new TooLarge();
                out.write(buf, pos, found - pos);
                pos = found + delimiter.length;
                return copied;
            }
            // keep a tail that may be the start of a delimiter
            int safe = len - (delimiter.length - 1);
            if (safe > pos) {
                copied += safe - pos;
                if (copied > limit) throw new TooLarge();
                out.write(buf, pos, safe - pos);
                pos = safe;
            }
            if (!fill()) throw new MalformedBody("body ended before the closing delimiter");
        }
    }

    private int indexOfDelimiter() {
        outer:
        for (int i = pos; i <= len - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** After a delimiter: {@code --} ends the body, CRLF starts a part. */
    private boolean afterDelimiterIsEnd() throws IOException {
        while (len - pos < 2) {
            if (!fill()) throw new MalformedBody("body ended after a delimiter");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            return true;
        }
        // transport padding (spaces/tabs) may follow the delimiter
        while (true) {
            while (len - pos < 2) {
                if (!fill()) throw new MalformedBody("body ended after a delimiter");
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return false;
            }
            if (buf[pos] != ' ' && buf[pos] != '\t') throw new MalformedBody("garbage after a delimiter");
            pos++;
        }
    }

    private String readHeaders() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int state = 0; // count of the CR LF CR LF sequence seen
        while (true) {
            if (pos >= len && !fill()) throw new MalformedBody("body ended inside part headers");
            byte b = buf[pos++];
            out.write(b);
            if (out.size() > MAX_HEADER_BYTES) throw new MalformedBody("part headers too long");
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                String text = out.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
    }

    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, len - pos);
            len -= pos;
            pos = 0;
        }
        if (len == buf.length) return true;
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) return false;
        len += n;
        return true;
    }

    /** The body is not well-formed multipart. */
    static final class MalformedBody extends IOException {
        MalformedBody(String message) {
            super(message);
        }
    }

    /** A part is larger than the limit given. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("part larger than the limit");
        }
    }
}
