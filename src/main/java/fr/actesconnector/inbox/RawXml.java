package fr.actesconnector.inbox;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of one ACTES message exactly as received, for storage. Messages are small (capped by the
 * parser's limits), so they are held in memory; documents never are.
 */
public final class RawXml {
    private static final Pattern ENCODING = Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

    private final byte[] bytes;

    private RawXml(byte[] bytes) {
        this.bytes = bytes;
    }

    public static RawXml of(byte[] bytes) {
        return new RawXml(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
    static RawXml wrap(byte[] bytes) {
        return new RawXml(bytes);
    }

    public int size() {
        return bytes.length;
    }

    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Encoding named by the XML declaration (a UTF-8 BOM wins); UTF-8 without either. */
    public Charset declaredCharset() {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        // the declaration is ASCII in every encoding ACTES uses, so Latin-1 reads it byte for byte
        String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
        Matcher m = ENCODING.matcher(head.stripLeading());
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                return StandardCharsets.UTF_8; // the parser refused such a file already; text() is best effort
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The message as text, decoded with its declared encoding. */
    public String text() {
        return new String(bytes, declaredCharset());
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawXml other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawXml[" + bytes.length + " bytes]";
    }
}
