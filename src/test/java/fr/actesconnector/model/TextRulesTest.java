package fr.actesconnector.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import fr.actesconnector.testing.Houdan;

/** Number normalisation, transliteration, IDActe, natures and classifications. */
class TextRulesTest {
    @Test
    void councilNumberIsNormalisedAsTheSeedAcknowledgedIt() {
        assertEquals("2026_DEC_020", NumeroInterne.normalize("2026-DEC-020"));
        assertEquals("DEL__2026_12", NumeroInterne.normalize(" dél. 2026/12 "));
        assertEquals("A_B", NumeroInterne.normalize("_a b_"));
        assertEquals("ARRETE_ETE", NumeroInterne.normalize("arrêté-été"));
        assertTrue(NumeroInterne.isValid("2026_DEC_020"));
        assertFalse(NumeroInterne.isValid("2026-DEC-020"));
        assertFalse(NumeroInterne.isValid("_2026"));
        assertFalse(NumeroInterne.isValid("A".repeat(16)));
    }

    @Test
    void objetOfTheDecisionBecomesTheAcknowledgedObjetByteForByte() {
        String sent = Latin1Text.transliterate(Houdan.OBJET_DECISION);
        assertArrayEquals(Houdan.OBJET_ACKNOWLEDGED.getBytes(StandardCharsets.ISO_8859_1),
                sent.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(Latin1Text.isLatin1(sent));
    }

    @Test
    void transliterationFollowsTheTableAndNeverProducesQuestionMarks() {
        assertEquals("l'oeuvre - \"Noel\" ... 10 EUR OE", Latin1Text.transliterate("l\u2019\u0153uvre \u2014 \u201CNoel\u201D \u2026 10 \u20AC \u0152"));
        assertEquals("L\u00F3dz", Latin1Text.transliterate("\u0141\u00F3d\u017A"));
        assertFalse(Latin1Text.transliterate("\u4E2D\u6587 \uD83D\uDE00").contains("?"));
        assertEquals("é à ç", Latin1Text.transliterate("é à ç"));
        assertEquals("\u2013\u2019", Latin1Text.outsideLatin1("a\u2013b\u2019c\u2013"));
    }

    @Test
    void idActeOfTheHoudanActe() {
        IdActe id = IdActe.of("078", Houdan.SIREN, Houdan.DATE_DECISION, "2026_DEC_020", Nature.CC);
        assertEquals(Houdan.ID_ACTE, id.value());
        assertEquals("2026_DEC_020", id.numeroInterne());
        assertEquals(LocalDate.of(2026, 4, 27), id.dateDecision());
        assertEquals("CC", id.natureAbbreviation());
        assertTrue(IdActe.parse("02A-217803105-20260427-X-DE").isPresent());
        assertTrue(IdActe.parse("78-217803105-20260427-X-DE").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new IdActe("078-217803105-20260427-2026-DEC-020-CC"));
    }

    @Test
    void natureByAbbreviationOrCode() {
        assertEquals(Nature.CC, Nature.parse("CC").orElseThrow());
        assertEquals(Nature.CC, Nature.parse("4").orElseThrow());
        assertEquals(Nature.CC, Nature.parse("cc").orElseThrow());
        assertEquals("99_DC", Nature.CC.genericTypologie().code());
        assertTrue(Nature.parse("7").isEmpty());
        assertTrue(Nature.parse("XX").isEmpty());
    }

    @Test
    void classificationParsing() {
        assertEquals("1.4", Classification.parse("1.4").orElseThrow().toString());
        assertEquals(3, Classification.parse("7.10.2").orElseThrow().depth());
        assertTrue(Classification.parse("1.4.").isEmpty());
        assertTrue(Classification.parse("1.a").isEmpty());
        assertTrue(Classification.parse("1.2.3.4.5.6").isEmpty());
    }

    @Test
    void fileKindsBySignature() {
        assertEquals(FileKind.PDF, FileKind.detect("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)).orElseThrow());
        assertEquals(FileKind.XML, FileKind.detect("\uFEFF  <?xml version='1.0'?><a/>".getBytes(StandardCharsets.UTF_8)).orElseThrow());
        assertTrue(FileKind.detect("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1)).isEmpty());
        assertTrue(FileKind.detect(new byte[0]).isEmpty());
    }

    @Test
    void secretIsMasked() {
        Secret s = Secret.of("hunter2");
        assertEquals("******", s.toString());
        assertEquals("hunter2", new String(s.reveal()));
    }
}
