package fr.actesconnector.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's small values, each pinned by what it must say or refuse. */
class ModelValuesTest {
    @TempDir
    Path dir;

    @Test
    void fileTypesAreRecognisedByTheirFirstBytesEvenWhenTheFileIsNothingMore() throws Exception {
        assertEquals(Optional.of(FileKind.PDF), FileKind.detect("%PDF-".getBytes(StandardCharsets.US_ASCII)), "the bare PDF magic");
        assertEquals(Optional.empty(), FileKind.detect("%PDF".getBytes(StandardCharsets.US_ASCII)), "one byte short");
        assertEquals(Optional.of(FileKind.JPEG), FileKind.detect(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), "the bare JPEG magic");
        assertEquals(Optional.empty(), FileKind.detect(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        assertEquals(Optional.of(FileKind.PNG), FileKind.detect(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}));
        assertEquals(Optional.of(FileKind.XML), FileKind.detect(" \t\r\n<?xml version=\"1.0\"?>".getBytes(StandardCharsets.US_ASCII)),
                "white space before the declaration");
        assertEquals(Optional.of(FileKind.XML), FileKind.detect(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'a'}), "after a BOM");
        assertEquals(Optional.of(FileKind.XML), FileKind.detect("<a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), FileKind.detect("<1".getBytes(StandardCharsets.US_ASCII)), "< then a digit is no XML");
        assertEquals(Optional.empty(), FileKind.detect("  <".getBytes(StandardCharsets.US_ASCII)), "a lone < at the end");
        assertEquals(Optional.empty(), FileKind.detect(new byte[0]));
        Path pdf = Files.write(dir.resolve("x.bin"), "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.of(FileKind.PDF), FileKind.detect(pdf), "whatever the file's name");
        assertEquals(List.of("pdf", "png", "jpg", "xml"), List.of(FileKind.PDF.extension(), FileKind.PNG.extension(),
                FileKind.JPEG.extension(), FileKind.XML.extension()));
        assertEquals("application/pdf", FileKind.PDF.mimeType());
        assertEquals("image/png", FileKind.PNG.mimeType());
    }

    @Test
    void latin1TextKeepsLatin1AndReplacesTheRest() {
        assertTrue(Latin1Text.isLatin1("Délibération ÿ"));
        assertFalse(Latin1Text.isLatin1("Contrat – 2026"), "the en dash is not Latin-1");
        assertEquals("ÿ", Latin1Text.transliterate("ÿ"), "U+00FF is Latin-1: kept");
        assertEquals("", Latin1Text.outsideLatin1("ÿé"));
        assertEquals("–Ā", Latin1Text.outsideLatin1("a–b–Āc"), "each character once, in order");
        assertEquals("a", Latin1Text.transliterate("ā"), "the base letter");
        assertEquals("_", Latin1Text.transliterate("中"), "no Latin-1 spelling: _ (never ?)");
    }

    @Test
    void settingsRefuseLimitsThatCannotHold() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThrows(IllegalArgumentException.class, () -> new ValidationSettings(0, 30, paris));
        assertThrows(IllegalArgumentException.class, () -> new ValidationSettings(1, 0, paris));
        assertEquals(1, new ValidationSettings(1, 1, paris).maxArchiveBytes());
        assertEquals(1, new ValidationSettings(1, 1, paris).classificationMaxAgeDays());
    }

    @Test
    void violationsReadAsFrenchLines() {
        assertEquals("Erreur [numero] : vide", Violation.error("numero", "vide").toString());
        assertEquals("Avertissement [objet] : remplacé", Violation.warning("objet", "remplacé").toString());
        assertTrue(Violation.error("numero", "vide").isError());
        assertFalse(Violation.warning("objet", "remplacé").isError());
    }

    @Test
    void replyKindsAnswerTheirLetterTypes() {
        assertEquals(Optional.of(ReplyKind.PIECES), ReplyKind.parse(" Pieces "));
        assertEquals(Optional.of(ReplyKind.REJET_OBSERVATIONS), ReplyKind.parse("rejet-observations"));
        assertEquals(Optional.empty(), ReplyKind.parse("autre"));
        assertEquals(Optional.empty(), ReplyKind.parse(null));
        assertEquals("reponse", ReplyKind.wordsFor(2));
        assertEquals("pieces, refus-pieces", ReplyKind.wordsFor(3));
        assertEquals("justification, rejet-observations", ReplyKind.wordsFor(4));
        assertEquals("", ReplyKind.wordsFor(5), "a déféré calls for no answer");
        assertTrue(ReplyKind.PIECES.allowsAnnexes());
        assertFalse(ReplyKind.REPONSE.allowsAnnexes(), "only the 3-4 carries several files");
        assertTrue(ReplyKind.REFUS_PIECES.refusal());
        assertFalse(ReplyKind.JUSTIFICATION.refusal());
        assertEquals("3-4", ReplyKind.PIECES.messageCode());
        assertEquals(4, ReplyKind.JUSTIFICATION.letterType());
        assertEquals("pieces", ReplyKind.PIECES.word());
        assertEquals("Refus d'envoi des pièces complémentaires", ReplyKind.REFUS_PIECES.label());
    }

    @Test
    void pemTextWrapsTheBase64At64Characters() {
        byte[] der = new byte[100];
        for (int i = 0; i < der.length; i++) der[i] = (byte) i;
        String pem = PemText.of(der);
        List<String> lines = pem.lines().toList();
        assertEquals("-----BEGIN PKCS7-----", lines.get(0));
        assertEquals("-----END PKCS7-----", lines.get(lines.size() - 1));
        assertTrue(pem.endsWith("-----END PKCS7-----\n"));
        assertEquals(List.of(64, 64, 8), lines.subList(1, 4).stream().map(String::length).toList(),
                "100 bytes are 136 base64 characters: 64, 64, 8");
        assertEquals(5, lines.size());
        assertArrayEquals(der, Base64.getDecoder().decode(String.join("", lines.subList(1, 4))));
        assertEquals("-----BEGIN PKCS7-----\n-----END PKCS7-----\n", PemText.of(new byte[0]));
        assertEquals(3, PemText.of(new byte[48]).lines().count(), "exactly 64 characters: one line");
    }

    @Test
    void aSecretComparesByValueAndNeverShowsIt() {
        assertEquals(Secret.of("motdepasse"), Secret.of("motdepasse"));
        assertNotEquals(Secret.of("motdepasse"), Secret.of("autre"));
        assertNotEquals(Secret.of("motdepasse"), "motdepasse");
        assertEquals(Secret.of("motdepasse").hashCode(), Secret.of("motdepasse").hashCode());
        assertNotEquals(Secret.of("a").hashCode(), Secret.of("b").hashCode());
        assertTrue(Secret.of("").isEmpty());
        assertFalse(Secret.of("x").isEmpty());
        assertEquals("******", Secret.of("motdepasse").toString());
        assertArrayEquals("motdepasse".toCharArray(), Secret.of("motdepasse").reveal());
    }

    @Test
    void theIdActeTellsItsParts() {
        IdActe id = new IdActe("078-217803105-20260427-2026_DEC_020-CC");
        assertEquals("078", id.departement());
        assertEquals("217803105", id.siren());
        assertEquals(LocalDate.of(2026, 4, 27), id.dateDecision());
        assertEquals("2026_DEC_020", id.numeroInterne());
        assertEquals("CC", id.natureAbbreviation());
        assertEquals("078-217803105-20260427-2026_DEC_020-CC", id.toString());
    }

    @Test
    void naturesKeepTheMinistrysCodesAndLabels() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6), java.util.Arrays.stream(Nature.values()).map(Nature::code).toList());
        assertEquals("Contrats, conventions et avenants", Nature.CC.label());
        assertEquals("Délibérations", Nature.DE.label());
        assertEquals("99_DC", Nature.CC.genericTypologie().code());
    }

    @Test
    void anActeGivesItsTransmittedForms() throws Exception {
        Acte a = fr.actesconnector.testing.Houdan.acte(dir);
        assertEquals("2026_DEC_020", a.numeroInterne());
        assertEquals(new IdActe("078-217803105-20260427-2026_DEC_020-CC"), a.idActe());
        assertEquals(a.objetLatin1(), Latin1Text.transliterate(a.objet()).trim());
        assertTrue(a.objetLatin1().startsWith("Contrat P360 - MAHOUDAN"), a.objetLatin1());
    }

    @Test
    void aClassificationHasOneToFiveLevels() {
        assertThrows(IllegalArgumentException.class, () -> new Classification(List.of()));
        assertEquals(5, Classification.of(1, 2, 3, 4, 5).depth());
        assertThrows(IllegalArgumentException.class, () -> Classification.of(1, 2, 3, 4, 5, 6));
    }

    @Test
    void theCatalogueIndexesEveryMatiereAndLabelsThemAsTheArDoes() {
        ClassificationCatalogue c = fr.actesconnector.testing.Houdan.catalogue();
        assertEquals(Optional.of("1.4-" + c.matiere(Classification.of(1, 4)).orElseThrow().label()),
                c.matiereLabel(Classification.of(1, 4)));
        assertEquals(Optional.empty(), c.matiereLabel(Classification.of(9, 9)));
        assertTrue(c.allMatieres().containsKey("1") && c.allMatieres().containsKey("1.4"), c.allMatieres().keySet().toString());
        assertEquals(c.matieres().size(), c.allMatieres().keySet().stream().filter(k -> !k.contains(".")).count());
        assertFalse(c.matieres().isEmpty());
        assertTrue(c.natures().containsKey(Nature.CC), c.natures().toString());
        assertEquals(Map.of(), ClassificationCatalogue.builder(LocalDate.of(2026, 1, 1)).build().natures());
    }

    @Test
    void exceptionsCarryTheirFrenchMessageAndEveryProblem() {
        ConfigException e = new ConfigException(List.of("Premier problème.", "Second problème."), "two problems");
        assertEquals(List.of("Premier problème.", "Second problème."), e.problems());
        assertEquals("Premier problème.\nSecond problème.", e.userMessage());
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertEquals(List.of("Seul."), new ConfigException("Seul.", "one").problems());
    }
}
