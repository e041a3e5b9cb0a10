package fr.actesconnector.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class XmlEncodingTest {
    private static final String LATIN1_DECLARED = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Société</a>";

    @Test
    void utf8BytesDeclaredIso88591AreUtf8AndDecodeWithoutMojibake() {
        byte[] bytes = LATIN1_DECLARED.getBytes(StandardCharsets.UTF_8);
        XmlEncoding e = XmlEncoding.of(bytes);
        assertEquals(StandardCharsets.ISO_8859_1, e.declared());
        assertEquals(StandardCharsets.UTF_8, e.actual());
        assertTrue(e.mismatch());
        assertTrue(e.decode(bytes).contains("<a>Société</a>"), e.decode(bytes));
        assertEquals("Le message « m.xml » annonce l'encodage ISO-8859-1 mais ses octets sont en UTF-8 : il a été lu en"
                + " UTF-8 pour que ses accents restent justes ; signalez-le à son émetteur.", e.frenchWarning("m.xml"));
    }

    @Test
    void genuineLatin1IsReadAsDeclared() {
        byte[] bytes = LATIN1_DECLARED.getBytes(StandardCharsets.ISO_8859_1);
        XmlEncoding e = XmlEncoding.of(bytes);
        assertFalse(e.mismatch());
        assertEquals(StandardCharsets.ISO_8859_1, e.actual());
        assertTrue(e.decode(bytes).contains("<a>Société</a>"));
        assertEquals("", e.frenchWarning("m.xml"));
    }

    @Test
    void asciiOnlyUtf8DeclaredAndUndeclaredAreNeverGuessed() {
        assertFalse(XmlEncoding.of("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Societe</a>"
                .getBytes(StandardCharsets.US_ASCII)).mismatch());
        byte[] utf8 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Société</a>".getBytes(StandardCharsets.UTF_8);
        assertFalse(XmlEncoding.of(utf8).mismatch());
        assertEquals(StandardCharsets.UTF_8, XmlEncoding.of(utf8).actual());
        byte[] undeclaredLatin1 = "<a>Société</a>".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(StandardCharsets.UTF_8, XmlEncoding.of(undeclaredLatin1).declared());
        assertFalse(XmlEncoding.of(undeclaredLatin1).mismatch(), "the parser refuses it: nothing to guess");
    }

    @Test
    void windows1252DeclarationAndBomAreHonoured() {
        byte[] cp1252 = "<?xml version='1.0' encoding='windows-1252'?><a>Société</a>".getBytes(StandardCharsets.UTF_8);
        assertEquals(Charset.forName("windows-1252"), XmlEncoding.of(cp1252).declared());
        assertTrue(XmlEncoding.of(cp1252).mismatch());
        byte[] bom = ("\uFEFF" + LATIN1_DECLARED).getBytes(StandardCharsets.UTF_8);
        assertEquals(StandardCharsets.UTF_8, XmlEncoding.of(bom).declared());
        assertFalse(XmlEncoding.of(bom).mismatch());
    }

    @Test
    void anUnknownEncodingACutBomAndANulByteAreNoReasonToGuess() {
        // the parser refuses an unknown encoding with its own reason; meanwhile it reads as UTF-8
        assertEquals(StandardCharsets.UTF_8, XmlEncoding.of("<?xml version='1.0' encoding='x-inconnu'?><a/>"
                .getBytes(StandardCharsets.US_ASCII)).declared());
        assertEquals(StandardCharsets.UTF_8, XmlEncoding.of(new byte[] {(byte) 0xEF, (byte) 0xBB}).declared(),
                "two bytes of a BOM, no error");
        assertFalse(XmlEncoding.of("<?xml version='1.0' encoding='ISO-8859-1'?><a>\0</a>"
                .getBytes(StandardCharsets.ISO_8859_1)).mismatch(), "a NUL is no high byte: ASCII stays as declared");
    }
}
