package fr.actesconnector.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The demo's documents: the Houdan decision 2026-DEC-020 and its P360 contract, and for the syndicate
 * demo a made-up decision of Maulette, as small PDFs.
 */
final class DemoDocuments {
    static final String OBJET =
            "Contrat P360 \u2013 MAHOUDAN \u2013 PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.";

    private static final List<String> DECISION = List.of(
            "#VILLE de HOUDAN",
            "#DÉCISION N° : 2026-DEC-020",
            "RELATIVE À : Contrat P360 \u2013 MAHOUDAN \u2013 PREMIUM du parc informatique de la Mairie avec la Société "
                    + "PROMOSOFT INFORMATIQUE.",
            "",
            "Le Maire,",
            "Vu le Code Général des Collectivités Territoriales, et notamment son article L.2122-22,",
            "Vu la délibération du Conseil Municipal n°2026-DEL-020 en date du 20 mars 2026, et notamment 4° donnant "
                    + "délégation au Maire pour prendre toutes dispositions concernant la préparation, la passation, "
                    + "l'exécution et le règlement des marchés et accords-cadres ainsi que toute décision concernant "
                    + "leurs avenants lorsque les crédits sont inscrits au budget,",
            "Considérant la nécessité de poursuivre la maintenance du parc informatique de l'Hôtel de Ville de HOUDAN,",
            "Considérant la proposition de contrat de maintenance établie par la Société PROMOSOFT INFORMATIQUE,",
            "",
            "#DÉCIDE",
            "Article 1 : de signer le contrat de maintenance n° P360 \u2013 MAHOUDAN \u2013 PREMIUM du parc informatique de la "
                    + "Mairie, joint en annexe, proposé par la Société PROMOSOFT INFORMATIQUE, sise 94 avenue Denis Papin "
                    + "\u2013 45800 SAINT JEAN DE BRAYE, pour une durée de trois ans, à compter du 1er mai 2026. Il sera "
                    + "reconduit par tacite reconduction pour 12 mois.",
            "Article 2 : dit que le montant annuel de cette prestation s'élève à 8 132,00 \u20AC HT, soit 677,67 \u20AC HT par mois.",
            "Article 3 : dit que les crédits nécessaires au paiement de cette prestation sont et seront inscrits "
                    + "annuellement aux budgets afférents.",
            "Article 4 : Le Maire et le Trésorier Principal Municipal sont chargés, chacun en ce qui le concerne, de "
                    + "l'exécution de la présente décision, dont copie sera transmise au contrôle de légalité et "
                    + "notifiée à l'attributaire.",
            "",
            "À HOUDAN, le 27 avril 2026",
            "Le Maire, Jean-Marie TÉTART.");

    private static final List<String> CONTRACT = List.of(
            "#CONTRAT P360",
            "#N°P360-MAHOUDAN-PREMIUM du 27/04/2026",
            "Entre PROMOSOFT INFORMATIQUE, SAS au capital de 222.000 euros, 94 avenue Denis Papin, 45800 "
                    + "SAINT-JEAN-DE-BRAYE, dénommée ci-après le PRESTATAIRE,",
            "et la COMMUNE DE HOUDAN, 69 Grande Rue, 78550 HOUDAN, représentée par Jean-Marie TETART, Maire, "
                    + "dénommée ci-après le CLIENT.",
            "",
            "1. OBJET DU CONTRAT",
            "Le contrat a pour objet de définir les conditions dans lesquelles le CLIENT confie au PRESTATAIRE "
                    + "l'exploitation, l'administration et le support de son système d'informations.",
            "2. DUREE",
            "Le présent contrat est conclu pour une durée déterminée de 36 mois à compter du 01/05/2026.",
            "7. CONDITIONS FINANCIERES",
            "TOTAL HT mensuel : 677,67 \u20AC ; TVA 20 % : 135,53 \u20AC ; TOTAL TTC mensuel : 813,20 \u20AC.");

    /** Maulette's decision in the syndicate demo: a made-up convention, one page, no annex. */
    static final String MAULETTE_OBJET = "Convention d'adhésion au service commun de télétransmission des actes de la "
            + "Communauté de communes du Pays Houdanais.";

    private static final List<String> MAULETTE = List.of(
            "#COMMUNE DE MAULETTE",
            "#DÉCISION N° : 2026-DEC-012",
            "RELATIVE À : " + MAULETTE_OBJET,
            "",
            "(Document de démonstration : décision fictive.)",
            "",
            "Le Maire,",
            "Vu le Code Général des Collectivités Territoriales, et notamment ses articles L.2122-22 et L.5211-4-2,",
            "Considérant l'intérêt pour la commune de transmettre ses actes au contrôle de légalité par le service commun "
                    + "de la Communauté de communes du Pays Houdanais,",
            "",
            "#DÉCIDE",
            "Article 1 : de signer la convention d'adhésion au service commun de télétransmission des actes, pour une "
                    + "durée de trois ans à compter du 1er mai 2026.",
            "Article 2 : Le Maire est chargé de l'exécution de la présente décision, dont copie sera transmise au "
                    + "contrôle de légalité.",
            "",
            "À MAULETTE, le 28 avril 2026",
            "Le Maire.");

    private DemoDocuments() {
    }

    static Path maulette(Path file) throws IOException {
        return write(file, "Décision 2026-DEC-012", "Commune de Maulette", MAULETTE);
    }

    static Path decision(Path file) throws IOException {
        return write(file, "Décision 2026-DEC-020", "Commune de Houdan", DECISION);
    }

    static Path contract(Path file) throws IOException {
        return write(file, "Contrat P360-MAHOUDAN-PREMIUM", "Commune de Houdan", CONTRACT);
    }

    private static Path write(Path file, String title, String author, List<String> paragraphs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".demo-", ".pdf");
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle(title);
            info.setAuthor(author);
            doc.setDocumentInformation(info);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            float margin = 60;
            float width = PDRectangle.A4.getWidth() - 2 * margin;
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                float y = PDRectangle.A4.getHeight() - margin;
                for (String p : paragraphs) {
                    boolean heading = p.startsWith("#");
                    String text = heading ? p.substring(1) : p;
                    PDType1Font font = heading ? bold : regular;
                    float size = heading ? 14 : 10;
                    for (String line : wrap(text, font, size, width)) {
                        cs.beginText();
                        cs.setFont(font, size);
                        cs.newLineAtOffset(margin, y);
                        cs.showText(line);
                        cs.endText();
                        y -= size * 1.4f;
                    }
                    y -= 6;
                }
            }
            doc.save(tmp.toFile());
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
        return fr.actesconnector.bundle.PdfText.wrap(text, font, size, width);
    }
}
