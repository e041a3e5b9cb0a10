package fr.actesconnector.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Violation;
import fr.actesconnector.protocol.jaxb.ARActe;

/** The protocol's small values: schema findings, the envelope counter's bounds, write failures. */
class ProtocolValuesTest {
    @TempDir
    Path dir;

    @Test
    void aFindingSaysWhereWhenItKnowsAndBecomesAViolationOfItsSeverity() {
        XmlFinding located = new XmlFinding(Violation.Severity.ERROR, 0, 5, "élément inattendu");
        assertEquals("ligne 0, colonne 5 : élément inattendu", located.toString(), "line 0 is a line");
        assertEquals("élément inattendu", new XmlFinding(Violation.Severity.ERROR, -1, -1, "élément inattendu").toString(),
                "no line while writing from objects");
        assertTrue(located.isError());
        XmlFinding warning = new XmlFinding(Violation.Severity.WARNING, 3, 1, "attention");
        assertFalse(warning.isError());
        assertEquals(new Violation("ar.xml", "ligne 3, colonne 1 : attention", Violation.Severity.WARNING), warning.toViolation("ar.xml"));
    }

    @Test
    void theEnvelopeCounterRunsFrom1To9999() {
        LocalDate day = LocalDate.of(2026, 4, 29);
        assertEquals("EACT--217803105--20260429-1.xml", MinistryNames.envelope("217803105", day, 1));
        assertEquals("EACT--217803105--20260429-9999.xml", MinistryNames.envelope("217803105", day, 9999));
        assertThrows(IllegalArgumentException.class, () -> MinistryNames.envelope("217803105", day, 0));
        assertThrows(IllegalArgumentException.class, () -> MinistryNames.envelope("217803105", day, 10_000));
        assertThrows(IllegalArgumentException.class, () -> MinistryNames.piece(new fr.actesconnector.model.Typologie("99_DC"),
                new fr.actesconnector.model.IdActe("078-217803105-20260427-2026_DEC_020-CC"), 0, fr.actesconnector.model.FileKind.PDF));
    }

    @Test
    void aPieceNameGivesBackItsTypologie() {
        assertEquals(Optional.of(new fr.actesconnector.model.Typologie("99_DC")),
                MinistryNames.typologieOf("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf"));
        assertEquals(Optional.empty(), MinistryNames.typologieOf("078-217803105-20260427-2026_DEC_020-CC-1-1_0.xml"));
        assertEquals(Optional.empty(), MinistryNames.typologieOf("99_dc-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf"));
    }

    @Test
    void tarNamesLoseTheirLeadingDotSlashesAndOnlyTheTopFolderIsSkipped() {
        assertEquals("a.xml", TarNames.relative("././a.xml"));
        assertEquals("a.xml", TarNames.relative("a.xml"));
        assertEquals("sub/./a.xml", TarNames.relative("./sub/./a.xml"));
        assertTrue(TarNames.isTopFolder(new TarArchiveEntry("./")));
        TarArchiveEntry dot = new TarArchiveEntry("./");
        dot.setName(".");
        assertTrue(TarNames.isTopFolder(dot), "a folder named .");
        assertFalse(TarNames.isTopFolder(new TarArchiveEntry("./sub/")), "a real sub-folder, refused by the reader");
        assertFalse(TarNames.isTopFolder(new TarArchiveEntry(".")), "a file named . is no folder");
    }

    @Test
    void aMessageThatCannotBeWrittenIsAnInternalErrorNamingTheFile() {
        ARActe ar = new ActesXml().read(TestMessages.message("1-2_ARActe.xml"), ARActe.class);
        Path file = dir.resolve("absent").resolve("ar.xml");
        MessageWriteException e = assertThrows(MessageWriteException.class, () -> new ActesXml().write(ar, file));
        assertEquals(Reason.INTERNAL, e.reason());
        assertTrue(e.userMessage().startsWith("Impossible d'écrire le message « ar.xml » : "), e.userMessage());
        assertEquals(List.of(), e.findings());
    }

    @Test
    void anUnvalidatedWriteToAFileWritesTheMessage() throws Exception {
        ARActe ar = new ActesXml().read(TestMessages.message("1-2_ARActe.xml"), ARActe.class);
        Path file = dir.resolve("ar.xml");
        new ActesXml().write(ar, file);
        assertEquals(ar.getIDActe(), new ActesXml().read(file, ARActe.class).getIDActe());
        assertTrue(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("<?xml"));
    }

    @Test
    void anUnreadableMessageKeepsTheNameOfItsSource() {
        assertEquals("ar.xml", new UnreadableMessageException("ar.xml", "x", "x", null).source());
    }
}
