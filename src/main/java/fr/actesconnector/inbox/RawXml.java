package fr.actesconnector.inbox;

import fr.actesconnector.protocol.XmlEncoding;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes of one ACTES message exactly as received, for storage. Messages are small (capped by the
 * parser's limits), so they are held in memory; documents never are.
 */
public final class RawXml {
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
        return encoding().declared();
    }

    /** What the bytes declare and what they really are: UTF-8 declared ISO-8859-1 is UTF-8. */
    public XmlEncoding encoding() {
        return XmlEncoding.of(bytes);
    }

    /**
     * The message as text, decoded in the encoding its bytes are really in (the declaration stays as
     * received: encoded again as it declares, the text gives a coherent document).
     */
    public String text() {
        return encoding().decode(bytes);
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
