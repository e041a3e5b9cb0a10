package fr.actesconnector.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** The PDFs the simulated TdT makes: the stamp on a received PDF and the acknowledgement (bordereau). */
public final class SimulatedPdfs {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final float MARGIN = 50;
    /** A4 in points, as PDFBox's PDRectangle.A4. */
    private static final float A4_WIDTH = 595.27563f;
    private static final float A4_HEIGHT = 841.8898f;

    private SimulatedPdfs() {
    }

    /** A PDF up to this size is stamped in memory; a larger one through temporary files, never whole into the heap. */
    static final long STAMP_IN_MEMORY_MAX_BYTES = 4L * 1024 * 1024;

    /**
     * Writes {@code source} to {@code target} with a stamp line at the top of the first page, as
     * S²LOW does: sending date, reception date and IDActe. A PDF over {@link #STAMP_IN_MEMORY_MAX_BYTES}
     * is read in temporary-file mode, never whole into the heap.
     */
    static void stamp(Path source, OutputStream target, LocalDate sent, LocalDate received, String idActe) throws IOException {
        boolean small = Files.size(source) <= STAMP_IN_MEMORY_MAX_BYTES;
        try (PDDocument doc = Loader.loadPDF(source.toFile(), small ? IOUtils.createMemoryOnlyStreamCache()
                : IOUtils.createTempFileOnlyStreamCache())) {
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
            doc.save(target);
        }
    }

    /** {@link #bordereau(List, String)} written to {@code target}. */
    static void bordereau(Path target, List<String[]> rows, String title) throws IOException {
        Files.write(target, bordereau(rows, title));
    }

    /**
     * A one-page acknowledgement of the transmission, like S²LOW's {@code acquittement.pdf}, made for each request as
     * S²LOW makes it. Text only (Helvetica in WinAnsiEncoding, uncompressed), so written directly: building it with
     * PDFBox's document model was a fifth of the simulator's CPU per acte in the syndicate benchmark (P4a).
     */
    static byte[] bordereau(List<String[]> rows, String title) {
        StringBuilder text = new StringBuilder();
        float y = A4_HEIGHT - MARGIN;
        showText(text, "F2", 14, MARGIN, y, title);
        y -= 30;
        for (String[] row : rows) {
            showText(text, "F2", 10, MARGIN, y, row[0]);
            for (String l : wrap(row[1], 70)) {
                showText(text, "F1", 10, MARGIN + 170, y, l);
                y -= 14;
            }
            y -= 4;
            if (y < MARGIN) break;
        }
        String[] objects = {
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + A4_WIDTH + " " + A4_HEIGHT + "] /Contents 4 0 R"
                        + " /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
                "<< /Length " + text.length() + " >>\nstream\n" + text + "endstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"};
        return assemble(objects);
    }

    /**
     * A PDF of these objects (numbered from 1, the first the catalogue) with its cross-reference table. Every
     * character must be Latin-1 (WinAnsi text): one byte each, so the offsets counted in characters are byte offsets.
     */
    public static byte[] assemble(String... objects) {
        StringBuilder pdf = new StringBuilder(1024 + Arrays.stream(objects).mapToInt(String::length).sum()).append("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int o : offsets) pdf.append(String.format(Locale.ROOT, "%010d 00000 n \n", o));
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One line of text at (x, y) in a content stream, as a PDF string (backslash, parentheses escaped). */
    private static void showText(StringBuilder content, String font, int size, float x, float y, String line) {
        content.append("BT /").append(font).append(' ').append(size).append(" Tf ")
                .append(String.format(Locale.ROOT, "%.2f %.2f", x, y)).append(" Td (");
        for (char c : winAnsi(line).toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') content.append('\\');
            content.append(c);
        }
        content.append(") Tj ET\n");
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
