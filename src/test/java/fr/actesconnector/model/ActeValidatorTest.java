package fr.actesconnector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.Houdan;

class ActeValidatorTest {
    @TempDir
    Path dir;

    private final ActeValidator validator =
            new ActeValidator(Houdan.catalogue(), ValidationSettings.DEFAULTS, Houdan.SENDING_DAY);

    private Acte houdan() throws IOException {
        return Houdan.acte(dir);
    }

    private static List<Violation> errors(List<Violation> all) {
        return all.stream().filter(Violation::isError).toList();
    }

    private static Violation onlyError(List<Violation> all, String field) {
        List<Violation> errors = errors(all);
        assertEquals(1, errors.size(), () -> "expected one error, got " + all);
        assertEquals(field, errors.get(0).field());
        return errors.get(0);
    }

    private static Acte with(Acte a, String numero, LocalDate date, Nature nature, Classification c, String objet,
                             Piece document, List<Piece> annexes, Collectivite col) {
        return new Acte(col, numero, date, nature, c, objet, document, annexes, false);
    }

    @Test
    void houdanActeIsValidWithOnlyTheNormalisationNoticeAndTheTransliterationNotice() throws IOException {
        List<Violation> all = validator.validate(houdan());
        assertTrue(errors(all).isEmpty(), all::toString);
        assertTrue(all.stream().anyMatch(v -> v.field().equals("numero") && v.message().contains("« 2026_DEC_020 »")),
                all::toString);
        assertTrue(all.stream().anyMatch(v -> v.field().equals("objet") && v.message().contains("« \u2013 » → « - »")),
                all::toString);
    }

    @Test
    void numberTooLongOnceNormalisedIsRefusedWithTheNormalisedForm() throws IOException {
        Acte a = houdan();
        Acte bad = with(a, "2026-DEC-020-BIS-TER", a.dateDecision(), a.nature(), a.classification(), a.objet(),
                a.document(), a.annexes(), a.collectivite());
        Violation v = onlyError(validator.validate(bad), "numero");
        assertTrue(v.message().contains("« 2026_DEC_020_BIS_TER »") && v.message().contains("15 au maximum"), v.message());
    }

    @Test
    void numberMadeOfPunctuationOnlyIsRefused() throws IOException {
        Acte a = houdan();
        Acte bad = with(a, "--/--", a.dateDecision(), a.nature(), a.classification(), a.objet(), a.document(),
                a.annexes(), a.collectivite());
        assertTrue(onlyError(validator.validate(bad), "numero").message().contains("vide une fois normalisé"));
    }

    @Test
    void decisionDateInTheFutureIsRefused() throws IOException {
        Acte a = houdan();
        Acte bad = with(a, a.numero(), LocalDate.of(2026, 4, 30), a.nature(), a.classification(), a.objet(),
                a.document(), a.annexes(), a.collectivite());
        Violation v = onlyError(validator.validate(bad), "date");
        assertTrue(v.message().contains("30/04/2026 est dans le futur") && v.message().contains("29/04/2026"), v.message());
    }

    @Test
    void decisionDateOfTodayIsAccepted() throws IOException {
        Acte a = houdan();
        Acte today = with(a, a.numero(), LocalDate.of(2026, 4, 29), a.nature(), a.classification(), a.objet(),
                a.document(), a.annexes(), a.collectivite());
        assertTrue(errors(validator.validate(today)).isEmpty());
    }

    @Test
    void sirenWithWrongLuhnKeyIsRefused() throws IOException {
        Acte a = houdan();
        Collectivite c = new Collectivite("Houdan", "217803106", "078", "1", "31");
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), a.annexes(), c)), "collectivite.siren");
        assertTrue(v.message().contains("clé de contrôle"), v.message());
    }

    @Test
    void sirenWithoutNineDigitsIsRefused() {
        List<Violation> v = ActeValidator.validateCollectivite(new Collectivite("Houdan", "217 803 105", "078", "1", "31"));
        assertEquals("collectivite.siren", v.get(0).field());
        assertTrue(v.get(0).message().contains("9 chiffres"));
    }

    @Test
    void departementAndArrondissementAreChecked() {
        List<Violation> v = ActeValidator.validateCollectivite(new Collectivite("Houdan", Houdan.SIREN, "78", "12", "31"));
        assertEquals(List.of("collectivite.departement", "collectivite.arrondissement"), v.stream().map(Violation::field).toList());
        assertTrue(v.get(0).message().contains("078, 02A ou 971"));
        for (String ok : List.of("078", "02A", "02B", "095", "971", "976")) {
            assertTrue(ActeValidator.validateCollectivite(new Collectivite("X", Houdan.SIREN, ok, "1", "31")).isEmpty(), ok);
        }
        for (String ko : List.of("000", "096", "02C", "977", "2A", "100")) {
            assertFalse(ActeValidator.validateCollectivite(new Collectivite("X", Houdan.SIREN, ko, "1", "31")).isEmpty(), ko);
        }
    }

    @Test
    void emptyObjetIsRefused() throws IOException {
        Acte a = houdan();
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                "   ", a.document(), a.annexes(), a.collectivite())), "objet");
        assertTrue(v.message().contains("vide"), v.message());
    }

    @Test
    void objetOver499CharactersOnceInLatin1IsRefused() throws IOException {
        Acte a = houdan();
        // 497 letters plus an ellipsis: 498 characters typed, 500 once "…" becomes "..."
        String objet = "a".repeat(497) + "\u2026";
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                objet, a.document(), a.annexes(), a.collectivite())), "objet");
        assertTrue(v.message().contains("500 caractères") && v.message().endsWith("Raccourcissez-le de 1 caractère."),
                v.message());
        String exactly499 = "a".repeat(496) + "\u2026";
        assertTrue(errors(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                exactly499, a.document(), a.annexes(), a.collectivite()))).isEmpty());
    }

    @Test
    void incompleteClassificationIsRefused() throws IOException {
        Acte a = houdan();
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), Classification.of(1),
                a.objet(), a.document(), a.annexes(), a.collectivite())), "classification");
        assertTrue(v.message().contains("deux premiers niveaux"), v.message());
    }

    @Test
    void classificationAbsentFromTheCatalogueIsRefusedWithSuggestions() throws IOException {
        Acte a = houdan();
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), Classification.of(1, 9),
                a.objet(), a.document(), a.annexes(), a.collectivite())), "classification");
        assertTrue(v.message().contains("« 1.9 » n'existe pas") && v.message().contains("1.4 (Autres types de contrats)"),
                v.message());
    }

    @Test
    void typologyNotAllowedForTheNatureIsRefusedWithTheAllowedCodes() throws IOException {
        Acte a = houdan();
        Piece annex = new Piece(a.annexes().get(0).file(), new Typologie("99_DE"));
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(annex), a.collectivite())), "annexe 1");
        assertTrue(v.message().contains("« 99_DE » de l'annexe n° 1 n'est pas autorisée") && v.message().contains("99_DC"),
                v.message());
    }

    @Test
    void malformedTypologyIsRefused() throws IOException {
        Acte a = houdan();
        Piece doc = new Piece(a.document().file(), new Typologie("99-DC"));
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), doc, a.annexes(), a.collectivite())), "document");
        assertTrue(v.message().contains("5 caractères"), v.message());
    }

    @Test
    void staleCatalogueGivesAWarningNotAnError() throws IOException {
        ActeValidator later = new ActeValidator(Houdan.catalogue(), ValidationSettings.DEFAULTS,
                java.time.Clock.offset(Houdan.SENDING_DAY, java.time.Duration.ofDays(0)));
        List<Violation> all = later.validate(houdan());
        // catalogue of 2026-03-02, sending 2026-04-29: 58 days > 30
        Violation w = all.stream().filter(v -> v.field().equals("classification")).findFirst().orElseThrow();
        assertFalse(w.isError());
        assertTrue(w.message().contains("58 jours"), w.message());
        ActeValidator lenient = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(ValidationSettings.DEFAULT_MAX_ARCHIVE_BYTES, 90, ValidationSettings.DEFAULT_ZONE),
                Houdan.SENDING_DAY);
        assertTrue(lenient.validate(houdan()).stream().noneMatch(v -> v.field().equals("classification")));
    }

    @Test
    void documentThatIsNotAPdfIsRefusedWhateverItsName() throws IOException {
        Acte a = houdan();
        Path fake = Files.writeString(dir.resolve("decision.pdf"), "PK\u0003\u0004 this is a docx");
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), new Piece(fake, new Typologie("99_DC")), a.annexes(), a.collectivite())), "document");
        assertTrue(v.message().contains("n'est pas un PDF"), v.message());
    }

    @Test
    void xmlDocumentIsOnlyAllowedForBudgetUnder71() throws IOException {
        Acte a = houdan();
        Path xml = Files.writeString(dir.resolve("budget.xml"), "<?xml version=\"1.0\"?><DocumentBudgetaire/>");
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), new Piece(xml, new Typologie("99_DC")), a.annexes(), a.collectivite())), "document");
        assertTrue(v.message().contains("nature BF, classification 7.1"), v.message());
        Acte budget = with(a, a.numero(), a.dateDecision(), Nature.BF, Classification.of(7, 1), a.objet(),
                new Piece(xml, new Typologie("99_BU")), List.of(), a.collectivite());
        assertTrue(errors(validator.validate(budget)).isEmpty(), () -> validator.validate(budget).toString());
    }

    @Test
    void annexOfAnUnknownTypeIsRefused() throws IOException {
        Acte a = houdan();
        Path exe = Files.write(dir.resolve("annexe.pdf"), new byte[]{'M', 'Z', 0, 0, 1, 2});
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(new Piece(exe, new Typologie("99_DC"))), a.collectivite())), "annexe 1");
        assertTrue(v.message().contains("ni un PDF, ni un XML, ni une image PNG ou JPEG"), v.message());
    }

    @Test
    void pngAndJpegAnnexesAreAccepted() throws IOException {
        Acte a = houdan();
        Path png = Files.write(dir.resolve("plan"), new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0});
        Path jpg = Files.write(dir.resolve("photo"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0});
        Typologie dc = new Typologie("99_DC");
        assertTrue(errors(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(new Piece(png, dc), new Piece(jpg, dc)), a.collectivite()))).isEmpty());
    }

    @Test
    void missingFileIsReported() throws IOException {
        Acte a = houdan();
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(new Piece(dir.resolve("absent.pdf"), new Typologie("99_DC"))),
                a.collectivite())), "annexe 1");
        assertTrue(v.message().contains("introuvable"), v.message());
    }

    @Test
    void aFolderGivenAsAFileIsSaidToBeAFolder() throws IOException {
        Acte a = houdan();
        Path folder = Files.createDirectories(dir.resolve("annexes"));
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(new Piece(folder, new Typologie("99_DC"))), a.collectivite())), "annexe 1");
        assertTrue(v.message().startsWith("L'annexe n° 1 « " + folder + " » est un dossier, pas un fichier"), v.message());
        assertFalse(v.message().contains("introuvable"), v.message());
    }

    @Test
    void anEllipsisInTheObjetIsExplainedWithoutDoubledPunctuation() throws IOException {
        Acte a = houdan();
        Violation v = validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                "Travaux\u2026", a.document(), a.annexes(), a.collectivite())).stream()
                .filter(w -> w.field().equals("objet")).findFirst().orElseThrow();
        assertTrue(v.message().endsWith("« \u2026 » → « ... »."), v.message());
    }

    @Test
    void totalSizeOverTheLimitIsRefused() throws IOException {
        Acte a = houdan();
        Path big = Houdan.writePdf(dir.resolve("big.pdf"), "big");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L * 1024 * 1024); // sparse: no real disk use
        }
        ActeValidator small = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(2L * 1024 * 1024, 365, ValidationSettings.DEFAULT_ZONE), Houdan.SENDING_DAY);
        Violation v = onlyError(small.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(new Piece(big, new Typologie("99_DC"))), a.collectivite())), "fichiers");
        assertTrue(v.message().contains("limits.max-archive-bytes") && v.message().contains(" la limite est de 2,0 Mio "), v.message());
        assertTrue(v.message().contains("font au total 3,0 Mio"), v.message());
    }

    @Test
    void everyErrorIsReportedNotOnlyTheFirst() throws IOException {
        Acte a = houdan();
        Acte bad = with(a, "", LocalDate.of(2030, 1, 1), a.nature(), Classification.of(9, 9), "",
                a.document(), a.annexes(), a.collectivite());
        InvalidActeException e = assertThrows(InvalidActeException.class, () -> validator.check(bad));
        assertEquals(List.of("numero", "date", "objet", "classification"),
                e.violations().stream().filter(Violation::isError).map(Violation::field).toList());
        assertEquals(Reason.INVALID_INPUT, e.reason());
    }

    @Test
    void luhnKey() {
        assertTrue(ActeValidator.luhn("217803105"));
        assertTrue(ActeValidator.luhn("210600235"));
        assertFalse(ActeValidator.luhn("217803105".replace('5', '6')));
    }

    @Test
    void aNumberOf15CharactersOnceNormalisedIsTheLongestAccepted() throws IOException {
        Acte a = houdan();
        Acte fifteen = with(a, "2026_DEC_020_AB", a.dateDecision(), a.nature(), a.classification(), a.objet(), a.document(),
                a.annexes(), a.collectivite());
        assertTrue(errors(validator.validate(fifteen)).isEmpty(), () -> validator.validate(fifteen).toString());
        Acte sixteen = with(a, "2026_DEC_020_ABC", a.dateDecision(), a.nature(), a.classification(), a.objet(), a.document(),
                a.annexes(), a.collectivite());
        assertTrue(onlyError(validator.validate(sixteen), "numero").message().contains("soit 16 caractères"));
    }

    @Test
    void aClassificationExactlyAsOldAsAllowedGivesNoWarning() throws IOException {
        // catalogue of 2026-03-02, sending 2026-04-29: 58 days
        ActeValidator at58 = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(ValidationSettings.DEFAULT_MAX_ARCHIVE_BYTES, 58, ValidationSettings.DEFAULT_ZONE),
                Houdan.SENDING_DAY);
        assertTrue(at58.validate(houdan()).stream().noneMatch(v -> v.field().equals("classification")), "58 days, 58 allowed");
        ActeValidator at57 = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(ValidationSettings.DEFAULT_MAX_ARCHIVE_BYTES, 57, ValidationSettings.DEFAULT_ZONE),
                Houdan.SENDING_DAY);
        assertTrue(at57.validate(houdan()).stream().anyMatch(v -> v.field().equals("classification")), "58 days, 57 allowed");
    }

    @Test
    void filesExactlyAtTheSizeLimitAreAccepted() throws IOException {
        Acte a = houdan();
        long total = Files.size(a.document().file()) + Files.size(a.annexes().get(0).file());
        ActeValidator exact = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(total, 365, ValidationSettings.DEFAULT_ZONE), Houdan.SENDING_DAY);
        assertTrue(errors(exact.validate(a)).isEmpty(), () -> exact.validate(a).toString());
        ActeValidator oneLess = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(total - 1, 365, ValidationSettings.DEFAULT_ZONE), Houdan.SENDING_DAY);
        onlyError(oneLess.validate(a), "fichiers");
    }

    @Test
    void aMissingAnnexIsNamedAsTheAnnex() throws IOException {
        Acte a = houdan();
        Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), a.document(), List.of(a.annexes().get(0), new Piece(dir.resolve("absent.pdf"), new Typologie("99_DC"))),
                a.collectivite())), "annexe 2");
        assertTrue(v.message().startsWith("L'annexe n° 2 « "), v.message());
        Violation doc = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                a.objet(), new Piece(dir.resolve("absent.pdf"), new Typologie("99_DC")), a.annexes(), a.collectivite())), "document");
        assertTrue(doc.message().startsWith("Le document principal « "), doc.message());
    }

    @Test
    void invisibleControlCharactersInTheObjetAreRefusedButTabsAndLineBreaksAreNot() throws IOException {
        Acte a = houdan();
        for (String ok : List.of("Contrat\tP360", "Contrat\nP360", "Contrat\r\nP360", "Contrat \u00A0P360 \u00FF")) {
            assertTrue(errors(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(), ok,
                    a.document(), a.annexes(), a.collectivite()))).isEmpty(), ok);
        }
        for (String bad : List.of("\u0001", "\u001F", "\u007F", "\u0080", "\u009F")) {
            Violation v = onlyError(validator.validate(with(a, a.numero(), a.dateDecision(), a.nature(), a.classification(),
                    "Contrat" + bad + "P360", a.document(), a.annexes(), a.collectivite())), "objet");
            assertTrue(v.message().contains(String.format("U+%04X", (int) bad.charAt(0))), v.message());
        }
    }

    @Test
    void suggestionsListTwelveSiblingsAtMostAndSayWhenThereAreNone() throws IOException {
        List<ClassificationCatalogue.Matiere> thirteen = new java.util.ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            thirteen.add(new ClassificationCatalogue.Matiere(Classification.of(i), "Matière " + i,
                    i == 1 ? List.of(new ClassificationCatalogue.Matiere(Classification.of(1, 1), "Sans enfant", List.of())) : List.of()));
        }
        ClassificationCatalogue.Builder b = ClassificationCatalogue.builder(Houdan.CLASSIFICATION_DATE)
                .nature(Nature.CC, "Contrats", java.util.Map.of("99_DC", "Document contractuel"));
        thirteen.forEach(b::matiere);
        ActeValidator many = new ActeValidator(b.build(), ValidationSettings.DEFAULTS, Houdan.SENDING_DAY);
        Acte a = houdan();
        Violation v = onlyError(many.validate(with(a, a.numero(), a.dateDecision(), a.nature(), Classification.of(14, 1),
                a.objet(), a.document(), a.annexes(), a.collectivite())), "classification");
        assertTrue(v.message().contains("12 (Matière 12) et 1 autre."), v.message());
        assertFalse(v.message().contains("13 (Matière 13)"), v.message());
        Violation none = onlyError(many.validate(with(a, a.numero(), a.dateDecision(), a.nature(), Classification.of(1, 1, 3),
                a.objet(), a.document(), a.annexes(), a.collectivite())), "classification");
        assertTrue(none.message().endsWith(" Vérifiez la classification choisie."), none.message());

        ClassificationCatalogue.Builder twelve = ClassificationCatalogue.builder(Houdan.CLASSIFICATION_DATE)
                .nature(Nature.CC, "Contrats", java.util.Map.of("99_DC", "Document contractuel"));
        thirteen.subList(0, 12).forEach(twelve::matiere);
        Violation all = onlyError(new ActeValidator(twelve.build(), ValidationSettings.DEFAULTS, Houdan.SENDING_DAY)
                .validate(with(a, a.numero(), a.dateDecision(), a.nature(), Classification.of(14, 1), a.objet(), a.document(),
                        a.annexes(), a.collectivite())), "classification");
        assertTrue(all.message().endsWith("12 (Matière 12)."), "twelve: no ellipsis: " + all.message());
    }

    @Test
    void checkReturnsTheWarningsOfAnActeThatMayGo() throws IOException {
        List<Violation> warnings = validator.check(houdan());
        assertFalse(warnings.isEmpty(), "the Houdan acte's notices");
        assertTrue(warnings.stream().noneMatch(Violation::isError), warnings::toString);
    }
}
