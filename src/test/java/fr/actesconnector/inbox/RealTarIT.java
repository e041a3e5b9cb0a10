package fr.actesconnector.inbox;

import static fr.actesconnector.inbox.InboxFixtures.AR_FILE;
import static fr.actesconnector.inbox.InboxFixtures.ENVELOPE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actesconnector.app.ParseCommand;
import fr.actesconnector.protocol.UnreadableMessageException;
import picocli.CommandLine;

/** Archives made by the real {@code tar} command, as a town hall or a TdT would make them by hand. */
class RealTarIT {
    @TempDir
    Path tmp;
    Path folder;

    @BeforeEach
    void aFolderOfFiles() throws IOException {
        Assumptions.assumeTrue(tarAvailable(), "tar absent");
        folder = Files.createDirectories(tmp.resolve("retour"));
        Files.write(folder.resolve(ENVELOPE_FILE), InboxFixtures.houdanEnvelope());
        Files.write(folder.resolve(AR_FILE), InboxFixtures.houdanArActe());
        Files.write(folder.resolve("lettre.pdf"), InboxFixtures.pdf("lettre"));
    }

    private static boolean tarAvailable() {
        try {
            Process p = new ProcessBuilder("tar", "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code tar czf archive -C folder .}: entries "./", "./name"… */
    private Path tarCzfInFolder(String archiveName) throws Exception {
        Path archive = tmp.resolve(archiveName);
        Process p = new ProcessBuilder("tar", "czf", archive.toString(), "-C", folder.toString(), ".")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, p.exitValue(), output);
        return archive;
    }

    @Test
    void anArchiveMadeWithTarInItsFolderIsFlatAndRead() throws Exception {
        Path archive = tarCzfInFolder("retour.tar.gz");
        ParseResult result = new MessageParser().parse(archive, Optional.of(tmp.resolve("pieces")));
        assertEquals(List.of(MessageType.AR_ACTE, MessageType.ENVELOPPE_MISILL_CL), // tar keeps the folder's order
                result.replies().stream().map(Reply::type).sorted().toList());
        assertEquals(List.of("lettre.pdf"), result.attachments().stream().map(Attachment::name).toList());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ParseCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute(archive.toString(), "--json"), err.toString());
        JsonNode ar = null;
        for (JsonNode o : new ObjectMapper().readTree(out.toString())) {
            if (o.get("type").asText().equals("ARActe")) ar = o;
        }
        assertEquals(AR_FILE, ar.get("sourceFile").asText());
        assertEquals("SPREF0781", ar.get("emetteur").asText(), "the envelope names the message by its flat name");
    }

    @Test
    void aRealSubFolderIsStillRefused() throws Exception {
        Files.write(Files.createDirectories(folder.resolve("annexes")).resolve("annexe.pdf"), InboxFixtures.pdf("annexe"));
        Path archive = tarCzfInFolder("avec-dossier.tar.gz");
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> new MessageParser().parse(archive, Optional.empty()));
        assertTrue(e.userMessage().contains("« annexes/ » est un sous-dossier")
                || e.userMessage().contains("« annexes/annexe.pdf » comporte un chemin"), e.userMessage());
    }
}
