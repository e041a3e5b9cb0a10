package fr.actesconnector.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The encoding of an XML message held in memory: the one it declares, and the one its bytes are really in.
 * <p>
 * Some senders write UTF-8 under an {@code encoding="ISO-8859-1"} declaration: read as declared,
 * « Société » becomes « SociÃ©tÃ© » and would be stored so. When a message declaring a single-byte
 * Latin encoding has bytes above 127 that form valid UTF-8 throughout, it is UTF-8: genuine Latin-1
 * French text is practically never valid UTF-8 (it would need pairs like « Ã© » everywhere an accent
 * is). The opposite mistake (Latin-1 bytes declared UTF-8) needs no guess: the parser refuses it.
 *
 * @param declared the BOM's or the declaration's encoding; UTF-8 without either (or when unknown)
 * @param actual   the encoding to read the bytes with
 */
public record XmlEncoding(Charset declared, Charset actual) {
    private static final Pattern ENCODING =
            Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
    /** Single-byte encodings in which UTF-8 bytes silently become mojibake instead of failing. */
    private static final Set<String> SINGLE_BYTE = Set.of("ISO-8859-1", "ISO-8859-15", "windows-1252", "US-ASCII");

    public XmlEncoding {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(actual, "actual");
    }

    /** What {@code bytes} declare and what they are. */
    public static XmlEncoding of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Charset declared = declaredCharset(bytes);
        boolean utf8Misdeclared = SINGLE_BYTE.contains(declared.name()) && hasHighBytes(bytes) && isUtf8(bytes);
        return new XmlEncoding(declared, utf8Misdeclared ? StandardCharsets.UTF_8 : declared);
    }

    /** True when the bytes are not in the encoding they declare. */
    public boolean mismatch() {
        return !declared.equals(actual);
    }

    /** {@code bytes} as text, read with the {@link #actual()} encoding. */
    public String decode(byte[] bytes) {
        return new String(bytes, actual);
    }

    /** The French warning (one sentence) for people when the bytes did not match the declaration; empty otherwise. */
    public String frenchWarning(String name) {
        if (!mismatch()) return "";
        return "Le message « " + name + " » annonce l'encodage " + declared.name() + " mais ses octets sont en "
                + actual.name() + " : il a été lu en " + actual.name()
                + " pour que ses accents restent justes ; signalez-le à son émetteur.";
    }

    private static Charset declaredCharset(byte[] bytes) {
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
                return StandardCharsets.UTF_8; // the parser refuses such a file with its own reason
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static boolean hasHighBytes(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) return true;
        }
        return false;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
