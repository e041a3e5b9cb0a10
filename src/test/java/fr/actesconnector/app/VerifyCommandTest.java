package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.signing.Signer;
import fr.actesconnector.signing.SigningKey;
import fr.actesconnector.testing.TestPki;
import picocli.CommandLine;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyCommandTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private TestPki pki;
    private TestPki.Identity signer;

    @TempDir
    Path dir;
    private Path doc;
    private Path p7s;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    void pki() throws Exception {
        pki = new TestPki("CA Verify");
        signer = pki.signer("Jean Maire");
    }

    @BeforeEach
    void signed() throws Exception {
        byte[] bytes = new byte[50_000];
        new Random(5).nextBytes(bytes);
        doc = Files.write(dir.resolve("acte.pdf"), bytes);
        p7s = dir.resolve("acte.pdf.p7s");
        new Signer(new SigningKey(signer.key(), signer.chain()), Clock.system(PARIS)).signTo(doc, p7s);
        out = new StringWriter();
        err = new StringWriter();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new VerifyCommand(Clock.system(PARIS)));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void matchingSignaturePrintsSignerTimeAndValidity() {
        int exit = run("--document", doc.toString(), "--signature", p7s.toString());
        assertEquals(0, exit, err.toString());
        String text = out.toString();
        assertTrue(text.contains("Signature valide"), text);
        assertTrue(text.contains("Signataire : C=FR,O=actes-connector TEST,CN=Jean Maire"), text);
        assertTrue(text.contains("Date de signature : "), text);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("dd/MM/yyyy");
        assertTrue(text.contains("Validité du certificat : du "
                + day.format(signer.certificate().getNotBefore().toInstant().atZone(PARIS)) + " au "
                + day.format(signer.certificate().getNotAfter().toInstant().atZone(PARIS))), text);
        assertTrue(text.contains("Chaîne de confiance : non vérifiée"), text);
        assertEquals("", err.toString());
    }

    @Test
    void trustedChainWithTrustOption() throws Exception {
        Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
        assertEquals(0, run("--document", doc.toString(), "--signature", p7s.toString(), "--trust", ca.toString()), err.toString());
        assertTrue(out.toString().contains("Chaîne de confiance : vérifiée"), out.toString());
    }

    @Test
    void untrustedChainExitsOne() throws Exception {
        Path other = new TestPki("Autre CA").writeCaPem(dir.resolve("autre.pem"));
        assertEquals(1, run("--document", doc.toString(), "--signature", p7s.toString(), "--trust", other.toString()));
        assertTrue(err.toString().contains("autorité de confiance"), err.toString());
    }

    @Test
    void alteredDocumentExitsOneWithFrenchReasonAndNoStackTrace() throws Exception {
        byte[] bytes = Files.readAllBytes(doc);
        bytes[10] ^= 1;
        Path altered = Files.write(dir.resolve("altere.pdf"), bytes);
        assertEquals(1, run("--document", altered.toString(), "--signature", p7s.toString()));
        String message = err.toString();
        assertTrue(message.contains("ne correspond pas à la signature"), message);
        assertFalse(message.contains("Exception") || message.contains("\tat "), message);
        assertEquals("", out.toString());
    }

    @Test
    void corruptSignatureExitsOne() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.p7s"), "n'importe quoi");
        assertEquals(1, run("--document", doc.toString(), "--signature", junk.toString()));
        assertTrue(err.toString().contains("n'est pas une signature CMS/PKCS#7 lisible"), err.toString());
    }

    @Test
    void missingFilesExitTwo() {
        assertEquals(2, run("--document", dir.resolve("absent.pdf").toString(), "--signature", p7s.toString()));
        assertTrue(err.toString().contains("introuvable"), err.toString());
        assertEquals(2, run("--document", doc.toString(), "--signature", dir.resolve("absent.p7s").toString()));
        assertEquals(2, run("--document", doc.toString(), "--signature", p7s.toString(),
                "--trust", dir.resolve("absent.pem").toString()));
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void missingOptionIsAUsageError() {
        assertEquals(2, run("--document", doc.toString()));
        assertTrue(err.toString().contains("--signature"), err.toString());
    }
}
