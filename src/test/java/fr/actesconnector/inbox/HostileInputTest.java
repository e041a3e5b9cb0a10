package fr.actesconnector.inbox;

import fr.actesconnector.protocol.UnreadableMessageException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static fr.actesconnector.inbox.InboxFixtures.AR_FILE;
import static fr.actesconnector.inbox.InboxFixtures.entries;
import static fr.actesconnector.inbox.InboxFixtures.houdanArActe;
import static fr.actesconnector.inbox.InboxFixtures.pdf;
import static fr.actesconnector.inbox.InboxFixtures.tarGz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile or broken inputs: each refused with a French reason, nothing read from disk, nothing written outside. */
class HostileInputTest {
    private final MessageParser parser = new MessageParser();

    @TempDir
    Path tmp;

    private UnreadableMessageException refusedXml(String xml) {
        return assertThrows(UnreadableMessageException.class, () -> parser.parseXml(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.ISO_8859_1)), "piege.xml"));
    }

    @Test
    void externalEntityIsRefusedAndNothingIsRead() throws IOException {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "MOT-DE-PASSE-SECRET");
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                + "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<actes:ARActe xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\""
                + " actes:IDActe=\"&x;\" actes:DateReception=\"2026-04-29\"/>";
        UnreadableMessageException e = refusedXml(xml);
        assertTrue(e.userMessage().contains("DOCTYPE"), e.userMessage());
        assertFalse(e.userMessage().contains("MOT-DE-PASSE"));
        assertFalse(String.valueOf(e.getMessage()).contains("MOT-DE-PASSE"));
    }

    @Test
    void entityExpansionIsRefused() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<actes:ARActe xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\">&lol3;</actes:ARActe>";
        assertTrue(refusedXml(xml).userMessage().contains("DOCTYPE"));
    }

    @Test
    void truncatedXmlIsRefused() {
        String ar = new String(houdanArActe(), StandardCharsets.ISO_8859_1);
        UnreadableMessageException e = refusedXml(ar.substring(0, ar.length() / 2));
        assertTrue(e.userMessage().contains("mal formé ou incomplet"), e.userMessage());
    }

    @Test
    void oversizedXmlIsRefusedWhileStreaming() {
        MessageParser small = new MessageParser(new ParserLimits(1024, 4096, 8192, 10));
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> small.parseXml(new ByteArrayInputStream(houdanArActe()), AR_FILE));
        assertTrue(e.userMessage().contains("taille maximale"), e.userMessage());
    }

    @Test
    void hostileXmlInsideAMailRefusesTheWholeMail() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<r>&x;</r>").getBytes(StandardCharsets.US_ASCII);
        var mail = InboxFixtures.mail(InboxFixtures.session(), "AR", "x", entries(AR_FILE, houdanArActe(), "x.xml", xxe));
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> parser.parseEmail(mail, "mail", Optional.of(tmp.resolve("out"))));
        assertTrue(e.userMessage().contains("DOCTYPE"), e.userMessage());
    }

    @Test
    void entriesWithPathPartsAreRefusedAndNothingIsWritten() throws IOException {
        for (String evil : new String[] {"../evil.xml", "/etc/x", "sub/dir.xml", "..\\evil.pdf", ".."}) {
            Path dir = tmp.resolve("out-" + Math.abs(evil.hashCode()));
            byte[] archive = tarGz(entries("lettre.pdf", pdf("a"), AR_FILE, houdanArActe(), evil, pdf("evil")));
            UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                    () -> parser.parseArchive(new ByteArrayInputStream(archive), "piege.tar.gz", Optional.of(dir)), evil);
            assertTrue(e.userMessage().contains("chemin"), e.userMessage());
            assertEquals(0, countFiles(tmp.getParent() == null ? tmp : tmp, "evil"), evil);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> left = Files.list(dir)) {
                    assertEquals(0, left.count(), "files written before the refusal are removed: " + evil);
                }
            }
        }
        assertFalse(Files.exists(tmp.resolve("evil.xml")));
    }

    @Test
    void linksAndDevicesAreRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            TarArchiveEntry link = new TarArchiveEntry("lien.xml", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class, () -> parser.parseArchive(
                new ByteArrayInputStream(bytes.toByteArray()), "lien.tar.gz", Optional.of(tmp)));
        assertTrue(e.userMessage().contains("lien"), e.userMessage());

        ByteArrayOutputStream dev = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(dev))) {
            tar.putArchiveEntry(new TarArchiveEntry("zero", TarArchiveEntry.LF_CHR));
            tar.closeArchiveEntry();
        }
        UnreadableMessageException d = assertThrows(UnreadableMessageException.class, () -> parser.parseArchive(
                new ByteArrayInputStream(dev.toByteArray()), "dev.tar.gz", Optional.of(tmp)));
        assertTrue(d.userMessage().contains("fichier spécial"), d.userMessage());
    }

    @Test
    void tooManyEntriesAreRefused() {
        MessageParser small = new MessageParser(new ParserLimits(1 << 20, 1 << 20, 1 << 22, 10));
        Object[] many = new Object[2 * 11];
        for (int i = 0; i < 11; i++) {
            many[2 * i] = "f" + i + ".pdf";
            many[2 * i + 1] = pdf("x");
        }
        byte[] archive = tarGz(entries(many));
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> small.parseArchive(new ByteArrayInputStream(archive), "bombe.tar.gz", Optional.of(tmp.resolve("o"))));
        assertTrue(e.userMessage().contains("plus de 10 fichiers"), e.userMessage());
    }

    @Test
    void absurdDeclaredSizeIsRefusedBeforeReading() throws IOException {
        byte[] archive = tarGz(entries("enorme.pdf", pdf("x")));
        byte[] tar = new GzipCompressorInputStream(new ByteArrayInputStream(archive)).readAllBytes();
        // patch the header: size 077777777777 (8 GiB), then the header checksum
        byte[] size = "77777777777\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, tar, 124, 12);
        for (int i = 148; i < 156; i++) tar[i] = ' ';
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[i] & 0xFF;
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, tar, 148, 8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
            out.write(tar);
        }
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> parser.parseArchive(new ByteArrayInputStream(gz.toByteArray()), "bombe.tar.gz", Optional.of(tmp)));
        assertTrue(e.userMessage().contains("annonce une taille"), e.userMessage());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void decompressionBombIsStoppedAtTheCap() {
        MessageParser small = new MessageParser(new ParserLimits(1 << 20, 1 << 20, 2 << 20, 10));
        byte[] zeros = new byte[3 << 20];
        byte[] archive = tarGz(entries("a.pdf", new byte[1 << 20], "b.pdf", new byte[1 << 20], "c.pdf", zeros));
        assertTrue(archive.length < 100_000, "highly compressed");
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> small.parseArchive(new ByteArrayInputStream(archive), "bombe.tar.gz", Optional.empty()));
        assertTrue(e.userMessage().contains("taille"), e.userMessage());
    }

    @Test
    void garbageArchiveIsRefusedInFrench() {
        byte[] broken = new byte[] {0x1F, (byte) 0x8B, 8, 0, 1, 2, 3};
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> parser.parse(new ByteArrayInputStream(broken), "x.tar.gz", Optional.empty()));
        assertTrue(e.userMessage().contains("archive"), e.userMessage());
    }

    private static long countFiles(Path root, String fragment) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().contains(fragment)).count();
        }
    }
}
