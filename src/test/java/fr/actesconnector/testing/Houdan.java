package fr.actesconnector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.ClassificationCatalogue.Matiere;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.simulator.SimulatedPdfs;

/** The seed's reference case, decision 2026-DEC-020 of the Commune de Houdan, as test data. */
public final class Houdan {
    public static final String SIREN = "217803105";
    public static final String NUMERO = "2026-DEC-020";
    public static final String NUMERO_INTERNE = "2026_DEC_020";
    public static final LocalDate DATE_DECISION = LocalDate.of(2026, 4, 27);
    public static final String ID_ACTE = "078-217803105-20260427-2026_DEC_020-CC";
    /** The objet as the decision's title spells it, with its en-dashes. */
    public static final String OBJET_DECISION =
            "Contrat P360 \u2013 MAHOUDAN \u2013 PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.";
    /** The objet as the prefecture acknowledged it in the seed's AR e-mail. */
    public static final String OBJET_ACKNOWLEDGED =
            "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.";
    public static final LocalDate DATE_RECEPTION = LocalDate.of(2026, 4, 29);
    public static final LocalDate CLASSIFICATION_DATE = LocalDate.of(2026, 3, 2);
    /** A clock on the sending day of the seed, 2026-04-29 at 10:00 Paris time. */
    public static final Clock SENDING_DAY = Clock.fixed(Instant.parse("2026-04-29T08:00:00Z"), ZoneId.of("Europe/Paris"));

    private Houdan() {
    }

    public static Collectivite collectivite() {
        return new Collectivite("Commune de Houdan", SIREN, "078", "1", "31");
    }

    /** A small catalogue shaped like the prefecture's: natures with typologies, matières 1.x and 7.1. */
    public static ClassificationCatalogue catalogue() {
        return ClassificationCatalogue.builder(CLASSIFICATION_DATE)
                .nature(Nature.DE, "Délibérations", Map.of("99_DE", "Délibération", "99_SE", "Signature"))
                .nature(Nature.CC, "Contrats, conventions et avenants", new java.util.LinkedHashMap<>(Map.of(
                        "10_AV", "Avenant au contrat", "10_DE", "Délibération autorisant le contrat",
                        "99_DC", "Document contractuel", "99_SE", "Fichier de signature électronique")))
                .nature(Nature.BF, "Documents budgétaires et financiers", Map.of("99_BU", "Document budgétaire"))
                .matiere(new Matiere(Classification.of(1), "Commande publique", List.of(
                        new Matiere(Classification.of(1, 1), "Marchés publics", List.of()),
                        new Matiere(Classification.of(1, 4), "Autres types de contrats", List.of()))))
                .matiere(new Matiere(Classification.of(7), "Finances locales", List.of(
                        new Matiere(Classification.of(7, 1), "Décisions budgétaires", List.of()))))
                .build();
    }

    /** Writes a minimal but well-formed one-page PDF whose text is {@code title}. */
    public static Path writePdf(Path file, String title) throws IOException {
        String content = "BT /F1 12 Tf 72 720 Td (" + title.replaceAll("[()\\\\]", "") + ") Tj ET";
        String[] objects = {
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
        Files.write(file, SimulatedPdfs.assemble(objects));
        return file;
    }

    /** The Houdan acte with the decision and the P360 contract written as PDFs in {@code dir}. */
    public static Acte acte(Path dir) throws IOException {
        Path decision = writePdf(dir.resolve("Décision 2026-DEC-020.pdf"), "Decision 2026-DEC-020");
        Path contrat = writePdf(dir.resolve("contrat P360 (signé).pdf"), "Contrat P360-MAHOUDAN-PREMIUM");
        return acte(decision, List.of(contrat));
    }

    public static Acte acte(Path document, List<Path> annexes) {
        Typologie dc = new Typologie("99_DC");
        return new Acte(collectivite(), NUMERO, DATE_DECISION, Nature.CC, Classification.of(1, 4), OBJET_DECISION,
                new Piece(document, dc), annexes.stream().map(a -> new Piece(a, dc)).toList(), false);
    }
}
