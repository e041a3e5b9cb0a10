package fr.actesconnector.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ActesException;

class ArchiveWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesAFlatGzippedTarWithEntriesInOrderAndExactBytes() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "premier é", StandardCharsets.ISO_8859_1);
        Path b = Files.write(dir.resolve("b"), new byte[]{0, 1, 2, (byte) 0xFF});
        Path target = dir.resolve("out/TTT-EACT--217803105--20260429-1.tar.gz");
        new ArchiveWriter().write(target, List.of(new ArchiveWriter.Entry("EACT--217803105--20260429-1.xml", a),
                new ArchiveWriter.Entry("99_DC-x-1-1_1.pdf", b)), Instant.parse("2026-04-29T08:00:00Z"));

        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(target);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                contents.add(tar.readAllBytes());
                assertFalse(e.isDirectory());
            }
        }
        assertEquals(List.of("EACT--217803105--20260429-1.xml", "99_DC-x-1-1_1.pdf"), names);
        assertArrayEquals(Files.readAllBytes(a), contents.get(0));
        assertArrayEquals(Files.readAllBytes(b), contents.get(1));
    }

    @Test
    void xmlIsDeflatedWhileAlreadyCompressedFilesAreStored() throws IOException {
        Path text = Files.writeString(dir.resolve("text"), "<actes:Objet>contrat</actes:Objet>\n".repeat(30_000));
        long size = Files.size(text);
        Path deflated = new ArchiveWriter().write(dir.resolve("a.tar.gz"),
                List.of(new ArchiveWriter.Entry("m.xml", text, true)), Instant.now());
        Path stored = new ArchiveWriter().write(dir.resolve("b.tar.gz"),
                List.of(new ArchiveWriter.Entry("m.pdf", text, false)), Instant.now());
        assertTrue(Files.size(deflated) < size / 20, "deflated: " + Files.size(deflated));
        assertTrue(Files.size(stored) > size, "stored: " + Files.size(stored));
        for (Path archive : List.of(deflated, stored)) {
            try (InputStream in = Files.newInputStream(archive);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                tar.getNextEntry();
                assertArrayEquals(Files.readAllBytes(text), tar.readAllBytes());
            }
        }
    }

    @Test
    void aFailureLeavesNoArchiveAndNoPartialFile() throws IOException {
        Path target = dir.resolve("x.tar.gz");
        ActesException e = assertThrows(ActesException.class, () -> new ArchiveWriter().write(target,
                List.of(new ArchiveWriter.Entry("absent.pdf", dir.resolve("absent.pdf"))), Instant.now()));
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        assertFalse(e.userMessage().isBlank());
    }

    @Test
    void entryNamesWithPathPartsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArchiveWriter.Entry("../x.pdf", dir));
        assertThrows(IllegalArgumentException.class, () -> new ArchiveWriter.Entry("d/x.pdf", dir));
    }

    @Test
    void ministryNamesOfTheHoudanExample() {
        fr.actesconnector.model.IdActe id = new fr.actesconnector.model.IdActe("078-217803105-20260427-2026_DEC_020-CC");
        java.time.LocalDate day = java.time.LocalDate.of(2026, 4, 29);
        assertEquals("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml", MinistryNames.message(id, "1-1"));
        assertEquals("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_2.pdf",
                MinistryNames.piece(new fr.actesconnector.model.Typologie("99_DC"), id, 2, fr.actesconnector.model.FileKind.PDF));
        assertEquals("EACT--217803105--20260429-1.xml", MinistryNames.envelope("217803105", day, 1));
        assertEquals("TTT-EACT--217803105--20260429-1.tar.gz", MinistryNames.archive("TTT", "217803105", day, 1));
        assertThrows(IllegalArgumentException.class, () -> MinistryNames.envelope("217803105", day, 10000));
    }

    @Test
    void entriesKeepTheirTimeModeAndLongNames() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "x");
        String longName = "99_DC-" + "078-217803105-20260427-2026_DEC_020-CC".repeat(3) + "-1-1_1.pdf";
        assertTrue(longName.length() > 100, "past ustar's 100 characters");
        Instant modified = Instant.parse("2026-04-29T08:00:00Z");
        Path target = new ArchiveWriter().write(dir.resolve("t.tar.gz"), List.of(new ArchiveWriter.Entry(longName, a)), modified);
        try (InputStream in = Files.newInputStream(target);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e = tar.getNextEntry();
            assertEquals(longName, e.getName(), "long names kept whole (POSIX)");
            assertEquals(modified, e.getModTime().toInstant(), "the archive's time, not the file's");
            assertEquals(0100644, e.getMode(), "a regular file rw-r--r--");
            assertEquals(1, e.getSize());
        }
    }
}
