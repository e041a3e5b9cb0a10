package fr.actesconnector.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * {@code fiche.pdf}: the bundle's summary for people, in French — the acte, its dates, its legal clock
 * (indicative), what happened, and the list of the bundle's files with their SHA-256. The text is set in
 * Liberation Sans (the font PDFBox ships), embedded as a subset so that the fiche looks the same in any
 * reader years later, whatever the objet holds; headings in the standard Helvetica Bold. Without that
 * font, the standard Helvetica (WinAnsiEncoding: every French accent and the euro sign).
 */
final class Fiche {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.FRANCE);
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm", Locale.FRANCE);
    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private final PDDocument doc;
    private static final String EMBEDDED_FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private final PDFont regular;
    private final PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream cs;
    private float y;

    private Fiche(PDDocument doc) throws IOException {
        this.doc = doc;
        PDFont font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try (java.io.InputStream ttf = PDDocument.class.getResourceAsStream(EMBEDDED_FONT)) {
            if (ttf != null) font = PDType0Font.load(doc, ttf, true);
        }
        this.regular = font;
    }

    static void write(BundleSource source, List<Manifest.Entry> files, OutputStream out) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle("Dossier de preuve " + source.acte().idActe());
            info.setAuthor(source.acte().collectivite());
            info.setCreator("actes-connector");
            doc.setDocumentInformation(info);
            Fiche f = new Fiche(doc);
            f.newPage();
            f.draw(source, files);
            f.cs.close();
            doc.save(out);
        }
    }

    private void draw(BundleSource s, List<Manifest.Entry> files) throws IOException {
        BundleSource.Acte a = s.acte();
        BundleSource.Transmission t = s.transmission();
        text(bold, 15, "Dossier de preuve de la transmission d'un acte");
        text(regular, 10, "au représentant de l'État (contrôle de légalité), par tiers de télétransmission");
        y -= 8;
        heading("L'acte");
        field("Collectivité", a.collectivite() + " (SIREN " + a.siren() + ")");
        field("Identifiant (IDActe)", a.idActe());
        field("Numéro", a.numero() + " (numéro interne transmis : " + a.numeroInterne() + ")");
        field("Date de la décision", day(a.dateDecision()));
        field("Nature", a.nature());
        field("Matière", a.matiere());
        field("Objet", a.objet());
        heading("La transmission");
        field("État", t.state());
        field("Transaction du TdT", t.transactionId().orElse("—"));
        field("Envoyé au TdT le", t.sentAt().map(Fiche::moment).orElse("—"));
        field("Reçu en préfecture le", t.dateReception().map(Fiche::day).orElse("pas encore d'accusé de réception"));
        field("Publication", t.publication().orElse("non enregistrée"));
        heading("Le calendrier légal (indicatif : seul le juge administratif apprécie les délais)");
        field("Exécutoire", s.clock().executoire().map(Fiche::day)
                .orElse("pas encore" + (s.clock().executoireMissing().isEmpty() ? ""
                        : " : il manque " + String.join(" et ", s.clock().executoireMissing()))));
        field("Déféré préfectoral", s.clock().defereJusquau().map(d -> "jusqu'au " + day(d)).orElse("—")
                + " (" + s.clock().defereRule() + ")");
        field("Recours des tiers", s.clock().recoursTiersJusquau().map(d -> "jusqu'au " + day(d)).orElse("—"));
        heading("Ce qui s'est passé");
        for (BundleSource.Event e : s.history()) {
            paragraph(regular, 9, moment(e.at()) + " — " + e.by() + " : " + e.what() + e.detail().map(d -> " (" + d + ")").orElse(""));
        }
        heading("Les fichiers du dossier et leur empreinte SHA-256");
        paragraph(regular, 9, "Chaque empreinte se recalcule sans ce logiciel (sha256sum FICHIER) ; manifest.json les "
                + "reprend toutes. Les signatures se vérifient avec openssl cms -verify (voir le README).");
        y -= 4;
        for (Manifest.Entry e : files) {
            need(24);
            text(regular, 9, e.path() + "  (" + label(e.kind()) + ", " + String.format(Locale.FRANCE, "%,d", e.size()) + " octets)");
            text(regular, 8, e.sha256());
        }
        y -= 8;
        paragraph(regular, 8, "Dossier établi le " + moment(s.createdAt()) + " par actes-connector. Vérification : "
                + "java -jar actes.jar verify-bundle " + a.idActe() + ".zip");
    }

    static String label(String kind) {
        return switch (kind) {
            case "archive" -> "archive transmise";
            case "document" -> "acte";
            case "annexe" -> "annexe";
            case "signature" -> "signature .p7s";
            case "signature-pem" -> "signature PEM";
            case "ar" -> "accusé de réception";
            case "stamped_pdf" -> "acte tamponné";
            case "bordereau" -> "bordereau";
            case "courrier" -> "courrier de la préfecture";
            case "courrier_file" -> "pièce d'un courrier";
            case "answer" -> "réponse ou son accusé";
            case "answer_file" -> "pièce d'une réponse";
            case "history" -> "historique";
            case "fiche" -> "fiche";
            default -> kind;
        };
    }

    private void heading(String title) throws IOException {
        y -= 6;
        need(40);
        text(bold, 11, title);
        y -= 2;
    }

    private void field(String name, String value) throws IOException {
        paragraph(regular, 10, name + " : " + value);
    }

    private void paragraph(PDFont font, float size, String text) throws IOException {
        for (String line : wrap(showable(font, text), font, size)) text(font, size, line);
    }

    private void text(PDFont font, float size, String line) throws IOException {
        need(size * 1.4f);
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(MARGIN, y);
        cs.showText(showable(font, line));
        cs.endText();
        y -= size * 1.4f;
    }

    private void need(float height) throws IOException {
        if (y - height < MARGIN) {
            cs.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private static List<String> wrap(String text, PDFont font, float size) throws IOException {
        return PdfText.wrap(text, font, size, WIDTH);
    }


    /** {@code text} with what {@code font} cannot show replaced by '?'. */
    static String showable(PDFont font, String text) {
        if (font instanceof PDType1Font) return winAnsi(text);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String ch = Character.isISOControl(c) ? " " : Character.toString(c);
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }

    /** What WinAnsiEncoding shows: Latin-1 without controls, plus the few it adds (€, dashes, quotes…). */
    static String winAnsi(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F || c >= 0xA0 && c <= 0xFF || "€–—‘’“”…œŒ•".indexOf(c) >= 0) out.appendCodePoint(c);
            else if (c == '\u202F' || c == '\t') out.append(' ');
            else out.append('?');
        });
        return out.toString();
    }

    static String day(LocalDate d) {
        return DAY.format(d);
    }

    static String moment(Instant i) {
        return MOMENT.format(i.atZone(PARIS));
    }

    static Optional<String> dayOf(Optional<LocalDate> d) {
        return d.map(Fiche::day);
    }
}
