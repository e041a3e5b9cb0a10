package fr.actesconnector.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** The PDFs the simulated TdT makes: the stamp on a received PDF and the acknowledgement (bordereau). */
final class SimulatedPdfs {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final float MARGIN = 50;

    private SimulatedPdfs() {
    }

    /**
     * Writes {@code source} to {@code target} with a stamp line at the top of the first page, as
     * S²LOW does: sending date, reception date and IDActe. The PDF is read from its file, in
     * temporary-file mode, never whole into the heap.
     */
    static void stamp(Path source, Path target, LocalDate sent, LocalDate received, String idActe) throws IOException {
        try (PDDocument doc = Loader.loadPDF(source.toFile(), IOUtils.createTempFileOnlyStreamCache())) {
            if (doc.getNumberOfPages() == 0) throw new IOException("PDF without pages");
            PDPage page = doc.getPage(0);
            PDRectangle box = page.getMediaBox();
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            String line = "Envoyé en préfecture le " + DAY.format(sent) + " - Reçu en préfecture le " + DAY.format(received)
                    + " - ID : " + idActe;
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs.setNonStrokingColor(0.1f, 0.2f, 0.6f);
                cs.beginText();
                cs.setFont(font, 7);
                cs.newLineAtOffset(box.getLowerLeftX() + 20, box.getUpperRightY() - 14);
                cs.showText(winAnsi(line));
                cs.endText();
            }
            doc.save(target.toFile());
        }
    }

    /** A one-page acknowledgement of the transmission, like S²LOW's {@code acquittement.pdf}. */
    static void bordereau(Path target, List<String[]> rows, String title) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            float y = page.getMediaBox().getUpperRightY() - MARGIN;
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(bold, 14);
                cs.newLineAtOffset(MARGIN, y);
                cs.showText(winAnsi(title));
                cs.endText();
                y -= 30;
                for (String[] row : rows) {
                    List<String> lines = wrap(row[1], 70);
                    cs.beginText();
                    cs.setFont(bold, 10);
                    cs.newLineAtOffset(MARGIN, y);
                    cs.showText(winAnsi(row[0]));
                    cs.endText();
                    for (String l : lines) {
                        cs.beginText();
                        cs.setFont(regular, 10);
                        cs.newLineAtOffset(MARGIN + 170, y);
                        cs.showText(winAnsi(l));
                        cs.endText();
                        y -= 14;
                    }
                    y -= 4;
                    if (y < MARGIN) break;
                }
            }
            doc.save(target.toFile());
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** Keeps what the standard fonts' WinAnsiEncoding can show (Latin-1 without C1 controls). */
    private static String winAnsi(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7F || c >= 0xA0 && c <= 0xFF ? (char) c : '?'));
        return out.toString();
    }
}
