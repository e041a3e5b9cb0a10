package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.inbox.InboxFixtures;
import fr.actesconnector.testing.Houdan;

/** {@code inbox --eml} run from the jar: what the secretariat reads, and the exit code scripts rely on. */
class InboxCliIT {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void houdanConfig() throws IOException {
        Files.copy(Path.of("config", "houdan.properties"), dir.resolve("houdan.properties"));
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        config = dir.resolve("houdan.properties");
    }

    @Test
    void aMailAboutAnActeOutsideTheJournalIsReadLeftAloneAndNamedInFrench() throws Exception {
        Path eml = dir.resolve("ar.eml");
        Files.write(eml, InboxFixtures.toBytes(InboxFixtures.houdanArMail(InboxFixtures.session())));
        CliIT.Run r = CliIT.runWithConfig(dir, config, "inbox", "--eml", eml.toString());
        assertEquals(0, r.exit(), "read and left alone is not an error: " + r.err());
        assertEquals("", r.out());
        assertEquals("ar.eml : Acte " + Houdan.ID_ACTE + " inconnu du journal : courriel laissé de côté. Vérifiez"
                + " collectivite.siren dans la configuration (ce message concerne le SIREN " + Houdan.SIREN + ") ; si l'acte"
                + " a été transmis sans le connecteur, suivez-le sur le TdT.", r.err().strip());
        // simplelogger's lines start with the time: none at the default level
        assertFalse(r.err().lines().anyMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")), r.err());
    }

    @Test
    void anUnreadableMailStillExitsTwo() throws Exception {
        Path eml = dir.resolve("autre.eml");
        Files.write(eml, "From: a@b.fr\r\nSubject: bonjour\r\n\r\ncorps\r\n".getBytes(StandardCharsets.US_ASCII));
        CliIT.Run r = CliIT.runWithConfig(dir, config, "inbox", "--eml", eml.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("autre.eml : Le fichier « autre.eml » n'est pas un message ACTES lisible : il ne contient"
                + " aucun message ACTES."), r.err());
    }
}
