package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String BOUNDARY = "xYzZy-42";

    private static byte[] body(byte[] file) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"subject\"\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        b.write("Société".getBytes(StandardCharsets.ISO_8859_1));
        b.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"acte_pdf_file\"; filename=\"a.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        b.write(file);
        b.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"type_pj[]\"\r\n\r\n99_DC\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    /** Delivers a few bytes per read, to cross every buffer boundary. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void fieldsAndLargeFileWithDelimiterLookalikesAreReadExactly() throws IOException {
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        byte[] lookalike = ("\r\n--" + BOUNDARY.substring(0, 6)).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(lookalike, 0, file, 65_530, lookalike.length); // across the 64 KiB buffer edge
        MultipartReader reader = MultipartReader.of(trickle(body(file)), "multipart/form-data; boundary=" + BOUNDARY).orElseThrow();

        MultipartReader.PartHeader subject = reader.next().orElseThrow();
        assertEquals("subject", subject.name());
        assertEquals(Optional.empty(), subject.filename());
        assertEquals("Société", reader.readText(1000, StandardCharsets.ISO_8859_1));

        MultipartReader.PartHeader pdf = reader.next().orElseThrow();
        assertEquals("acte_pdf_file", pdf.name());
        assertEquals(Optional.of("a.pdf"), pdf.filename());
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        assertEquals(file.length, reader.copyContent(content, Long.MAX_VALUE));
        assertArrayEquals(file, content.toByteArray());

        MultipartReader.PartHeader typologie = reader.next().orElseThrow();
        assertEquals("type_pj[]", typologie.name());
        // not read: the next call skips it
        assertTrue(reader.next().isEmpty());
    }

    @Test
    void limitsAndTruncationAreErrors() throws IOException {
        byte[] file = new byte[10_000];
        MultipartReader reader = MultipartReader.of(new ByteArrayInputStream(body(file)),
                "multipart/form-data; boundary=\"" + BOUNDARY + "\"").orElseThrow();
        reader.next();
        reader.readText(100, StandardCharsets.ISO_8859_1);
        reader.next();
        assertThrows(MultipartReader.TooLarge.class, () -> reader.copyContent(new ByteArrayOutputStream(), 9_999));

        byte[] whole = body(file);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 40);
        MultipartReader cut = MultipartReader.of(new ByteArrayInputStream(truncated), "multipart/form-data; boundary=" + BOUNDARY)
                .orElseThrow();
        assertThrows(MultipartReader.MalformedBody.class, () -> {
            while (cut.next().isPresent()) {
                cut.copyContent(new ByteArrayOutputStream(), Long.MAX_VALUE);
            }
        });
        assertTrue(MultipartReader.of(new ByteArrayInputStream(whole), "application/json").isEmpty());
    }
}
