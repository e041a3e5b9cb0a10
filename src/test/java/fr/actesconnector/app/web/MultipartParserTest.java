package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartParserTest {
    private static final String B = "XyZ123boundary";

    @TempDir
    Path dir;

    private static byte[] body(byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
                + "--" + B + "\r\nContent-Disposition: form-data; name=\"objet\"\r\n\r\nContrat P360 \u2013 MAHOUDAN\r\n"
                + "--" + B + "\r\nContent-Disposition: form-data; name=\"document\"; filename=\"C:\\\\Users\\\\x\\\\D\u00e9cision.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write(("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"annexe_1\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Hands out at most 7 bytes per read, so boundaries straddle reads. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void fieldsInMemoryFilesOnDiskWithTheirBaseNameEmptyInputsLeftOut() throws IOException {
        byte[] file = new byte[300_000];
        new Random(7).nextBytes(file);
        // bytes that look like the start of a boundary inside the file
        System.arraycopy(("\r\n--" + B.substring(0, 5)).getBytes(StandardCharsets.ISO_8859_1), 0, file, 1000, 9);
        MultipartParser.Form form = MultipartParser.parse(trickle(body(file)), B, dir, 1_000_000,
                (name, value) -> assertEquals("csrf", name));
        assertEquals("tok", form.field("csrf"));
        assertEquals("Contrat P360 \u2013 MAHOUDAN", form.field("objet"));
        MultipartParser.FilePart doc = form.file("document").orElseThrow();
        assertEquals("D\u00e9cision.pdf", doc.originalName());
        assertArrayEquals(file, Files.readAllBytes(doc.file()));
        assertTrue(doc.file().startsWith(dir));
        assertFalse(form.file("annexe_1").isPresent());
    }

    @Test
    void filesOverTheLimitAreCutWhileReading() {
        byte[] file = new byte[50_000];
        assertThrows(MultipartParser.TooLargeException.class,
                () -> MultipartParser.parse(trickle(body(file)), B, dir, 10_000, (n, v) -> { }));
    }

    @Test
    void aTextFieldOverItsCapIsNamedNotTakenForTheFiles() {
        byte[] body = ("--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n"
                + "--" + B + "\r\nContent-Disposition: form-data; name=\"objet\"\r\n\r\n"
                + "x".repeat(MultipartParser.MAX_FIELD_BYTES + 1) + "\r\n--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8);
        MultipartParser.FieldTooLongException e = assertThrows(MultipartParser.FieldTooLongException.class,
                () -> MultipartParser.parse(trickle(body), B, dir, 10_000_000, (n, v) -> { }));
        assertEquals("objet", e.field);
    }

    @Test
    void theFirstFieldIsCheckedBeforeAnyFileIsRead() throws IOException {
        byte[] body = body(new byte[10]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MultipartParser.parse(
                new ByteArrayInputStream(body), B, dir, 1000, (n, v) -> { throw new IllegalStateException("refused " + v); }));
        assertEquals("refused tok", e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing written");
        }
    }

    @Test
    void truncatedBodiesAndHostileNamesAreHandled() {
        byte[] truncated = ("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue")
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(MultipartParser.MalformedException.class,
                () -> MultipartParser.parse(new ByteArrayInputStream(truncated), B, dir, 1000, (n, v) -> { }));
        assertEquals("passwd", MultipartParser.safeName("../../etc/passwd"));
        assertEquals("fichier", MultipartParser.safeName(".."));
        assertEquals("a_b.pdf", MultipartParser.safeName("a\u0000b.pdf"));
        assertEquals("x", MultipartParser.boundary("multipart/form-data; boundary=x").orElseThrow());
        assertFalse(MultipartParser.boundary("application/json").isPresent());
    }
}
