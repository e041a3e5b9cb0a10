package fr.actesconnector.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.actesconnector.testing.Zips;

class SafeZipTest {
    @TempDir
    Path dir;

    private final SafeZip zip = new SafeZip(SafeZip.Limits.DEFAULT);

    private Path work() throws IOException {
        return Files.createDirectories(dir.resolve("work"));
    }

    /** Nothing was extracted: the work folder holds no file at all. */
    private void assertNothingExtracted() throws IOException {
        try (var files = Files.walk(dir.resolve("work"))) {
            assertEquals(List.of(dir.resolve("work")), files.toList());
        }
    }

    @Test
    void anOrdinaryZipIsExtractedUnderNumberedNamesAndDeletedOnClose() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put("envoi/acte.pdf", "%PDF".getBytes(StandardCharsets.UTF_8));
        Path z = Zips.write(dir.resolve("ok.zip"), entries);
        Path folder;
        try (SafeZip.Extracted x = zip.extract(z, work())) {
            folder = x.folder();
            assertEquals(List.of("manifest.json", "envoi/acte.pdf"), List.copyOf(x.files().keySet()));
            assertEquals("%PDF", Files.readString(x.files().get("envoi/acte.pdf")));
            assertEquals(folder, x.files().get("envoi/acte.pdf").getParent());
        }
        assertFalse(Files.exists(folder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "envoi/../../evil.txt", "/etc/evil", "envoi\\..\\evil.txt", "C:evil.txt",
            "envoi//acte.pdf", "./manifest.json", "a\u0000b"})
    void unsafeNamesAreRefusedBeforeAnythingIsExtracted(String name) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put(name, "x".getBytes(StandardCharsets.UTF_8));
        Path z = Zips.write(dir.resolve("slip.zip"), entries);
        NotABundleException e = assertThrows(NotABundleException.class, () -> zip.extract(z, work()));
        assertTrue(e.userMessage().contains("refusé sans être ouvert"), e.userMessage());
        assertNothingExtracted();
        assertFalse(Files.exists(dir.resolve("evil.txt")));
    }

    @Test
    void duplicateNamesAreRefused() throws IOException {
        Path z = Zips.duplicate(dir.resolve("dup.zip"), "manifest.json");
        NotABundleException e = assertThrows(NotABundleException.class, () -> zip.extract(z, work()));
        assertTrue(e.userMessage().contains("deux fois"), e.userMessage());
        assertNothingExtracted();
    }

    @Test
    void namesDifferingOnlyByCaseAreDuplicates() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("fiche.pdf", new byte[1]);
        entries.put("FICHE.pdf", new byte[1]);
        Path z = Zips.write(dir.resolve("case.zip"), entries);
        assertThrows(NotABundleException.class, () -> zip.extract(z, work()));
    }

    @Test
    void aTenGigabyteEntryIsRefusedOnItsDeclarationAtOnce() throws IOException {
        Path z = Zips.declaredBomb(dir.resolve("bomb.zip"), "envoi/gros.pdf", 10_000_000_000L);
        long start = System.nanoTime();
        NotABundleException e = assertThrows(NotABundleException.class, () -> zip.extract(z, work()));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused at once");
        assertTrue(e.userMessage().contains("envoi/gros.pdf") && e.userMessage().contains("Gio"), e.userMessage());
        assertNothingExtracted();
    }

    @Test
    void aBombThatLiesAboutItsSizeIsStoppedWhileInflating() throws IOException {
        Path z = Zips.lyingBomb(dir.resolve("liar.zip"), "envoi/zeros.pdf", 20 * 1024 * 1024, 1000);
        NotABundleException e = assertThrows(NotABundleException.class, () -> zip.extract(z, work()));
        assertTrue(e.userMessage().contains("bombe zip"), e.userMessage());
        try (var files = Files.list(dir.resolve("work"))) {
            assertEquals(0, files.count(), "the temporary folder is removed");
        }
    }

    @Test
    void anEntryWhoseCompressedBytesAreDamagedIsReportedNotExtracted() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put("envoi/acte.xml", "<a>bonjour bonjour bonjour bonjour</a>".repeat(100).getBytes(StandardCharsets.UTF_8));
        Path z = Zips.corruptInPlace(Zips.write(dir.resolve("ok.zip"), entries), dir.resolve("damaged.zip"), "envoi/acte.xml", 0, 0xFF);
        try (SafeZip.Extracted x = zip.extract(z, work())) {
            assertEquals(List.of("manifest.json"), List.copyOf(x.files().keySet()));
            assertTrue(x.damaged().containsKey("envoi/acte.xml"), x.damaged().toString());
        }
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) entries.put("f" + i, new byte[1]);
        Path z = Zips.write(dir.resolve("many.zip"), entries);
        SafeZip small = new SafeZip(new SafeZip.Limits(4, 1024, 4096, 100));
        assertThrows(NotABundleException.class, () -> small.extract(z, work()));
    }

    @Test
    void anOversizedEntryAndAnOversizedTotalAreRefused() throws IOException {
        SafeZip small = new SafeZip(new SafeZip.Limits(10, 1024, 1500, 1000));
        Path big = Zips.write(dir.resolve("big.zip"), Map.of("a", new byte[2000]));
        assertThrows(NotABundleException.class, () -> small.extract(big, work()));
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("a", new byte[1000]);
        two.put("b", new byte[1000]);
        Path total = Zips.write(dir.resolve("total.zip"), two);
        assertThrows(NotABundleException.class, () -> small.extract(total, work()));
    }

    @Test
    void aFileThatIsNotAZipIsNotABundle() throws IOException {
        Path notZip = Files.writeString(dir.resolve("x.zip"), "bonjour");
        NotABundleException e = assertThrows(NotABundleException.class, () -> zip.extract(notZip, work()));
        assertTrue(e.userMessage().contains("n'est pas une archive zip"), e.userMessage());
    }

    @Test
    void nameRules() {
        assertNull(SafeZip.nameProblem("envoi/99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf"));
        assertNull(SafeZip.nameProblem("reponses/Décision été.pdf"));
        assertNotNull(SafeZip.nameProblem(".."));
        assertNotNull(SafeZip.nameProblem(""));
    }
}
