package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.TestPki;

/** Independent check: OpenSSL must accept the project's signatures and reject altered content. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSslIT {
    private TestPki pki;
    private TestPki.Identity rsa;
    private TestPki.Identity ec;

    @TempDir
    Path dir;
    private Path caPem;

    record Result(int exit, String output) {
    }

    @BeforeAll
    void pki() throws Exception {
        Assumptions.assumeTrue(openSslOnPath(), "openssl is not on PATH");
        pki = new TestPki("CA OpenSSL");
        rsa = pki.signer("Jean Maire");
        ec = pki.ecSigner("Anne Adjointe");
    }

    private static boolean openSslOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    private Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private Result cmsVerify(Path content, Path signature, String form) throws Exception {
        caPem = pki.writeCaPem(dir.resolve("ca.pem"));
        return openssl("cms", "-verify", "-binary", "-inform", form, "-content", content.toString(),
                "-in", signature.toString(), "-CAfile", caPem.toString(), "-purpose", "any", "-out", "/dev/null");
    }

    @Test
    void acceptsRsaAndEcdsaSignaturesAndRejectsTamperedContent() throws Exception {
        for (TestPki.Identity identity : List.of(rsa, ec)) {
            String name = identity.key().getAlgorithm();
            Path doc = SigningFixtures.document(dir, name + ".pdf", 300_000, name.hashCode());
            Path p7s = dir.resolve(name + ".pdf.p7s");
            new Signer(SigningFixtures.keystore(identity, dir, name), SigningFixtures.now()).signTo(doc, p7s);

            Result good = cmsVerify(doc, p7s, "DER");
            assertEquals(0, good.exit(), name + ": " + good.output());
            assertTrue(good.output().contains("Verification successful"), good.output());

            Path tampered = SigningFixtures.flipped(doc, dir.resolve(name + "-modifie.pdf"), 150_000);
            Result bad = cmsVerify(tampered, p7s, "DER");
            assertNotEquals(0, bad.exit(), name + ": OpenSSL accepted altered content");
            assertTrue(bad.output().contains("Verification failure"), bad.output());
        }
    }

    @Test
    void pemFormIsReadByCmsAndSmime() throws Exception {
        Path doc = SigningFixtures.document(dir, "pem.pdf", 10_000, 21);
        Path pem = Files.writeString(dir.resolve("pem.pdf.pem"),
                new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).sign(doc).pem(), StandardCharsets.US_ASCII);
        Result cms = cmsVerify(doc, pem, "PEM");
        assertEquals(0, cms.exit(), cms.output());
        Result smime = openssl("smime", "-verify", "-binary", "-inform", "PEM", "-content", doc.toString(),
                "-in", pem.toString(), "-CAfile", caPem.toString(), "-purpose", "any", "-out", "/dev/null");
        assertEquals(0, smime.exit(), smime.output());
    }

    @Test
    void signedAttributesAreThoseOfCadesBes() throws Exception {
        Path doc = SigningFixtures.document(dir, "attrs.pdf", 1_000, 22);
        Path p7s = dir.resolve("attrs.pdf.p7s");
        new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).signTo(doc, p7s);
        Result print = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", p7s.toString());
        assertEquals(0, print.exit(), print.output());
        String out = print.output();
        for (String expected : List.of("contentType", "messageDigest", "signingTime",
                "id-smime-aa-signingCertificateV2", "sha256", "eContent: <ABSENT>")) {
            assertTrue(out.contains(expected), "missing " + expected + " in:\n" + out);
        }
        Result asn1 = openssl("asn1parse", "-inform", "DER", "-in", p7s.toString());
        assertEquals(0, asn1.exit(), asn1.output());
        assertTrue(asn1.output().contains("id-smime-aa-signingCertificateV2"), asn1.output());
        assertTrue(asn1.output().contains("UTCTIME"), asn1.output());
    }

    @Test
    void demoCertificateSignaturesVerifyWithItsCa() throws Exception {
        DemoCertificate demo = new DemoCertificate(dir.resolve("demo"), SigningFixtures.now());
        SigningConfig config = demo.ensure("Commune de Houdan");
        Path doc = SigningFixtures.document(dir, "demo.pdf", 50_000, 23);
        Path p7s = dir.resolve("demo.pdf.p7s");
        new Signer(config, SigningFixtures.now()).signTo(doc, p7s);
        Result r = openssl("cms", "-verify", "-binary", "-inform", "DER", "-content", doc.toString(), "-in", p7s.toString(),
                "-CAfile", demo.caCertificate().toString(), "-purpose", "any", "-out", "/dev/null");
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void testStoresAreReadByOpenSsl() throws Exception {
        DemoCertificate demo = new DemoCertificate(dir.resolve("stores"), SigningFixtures.now());
        SigningConfig config = demo.ensure("Commune de Houdan");
        Path password = dir.resolve("stores").resolve("pass.txt");
        Files.writeString(password, new String(config.password().reveal()));
        Result info = openssl("pkcs12", "-in", config.keystore().toString(), "-passin", "file:" + password, "-info",
                "-nodes");
        assertEquals(0, info.exit(), info.output());
        assertTrue(info.output().contains("MAC: sha256, Iteration 1"), info.output());
        assertTrue(info.output().contains("PBES2, PBKDF2, AES-256-CBC, Iteration 1"), info.output());
        assertTrue(info.output().contains("BEGIN PRIVATE KEY"), info.output());
        assertTrue(info.output().contains("subject=C = FR, O = actes-connector - d"), info.output());
        Files.writeString(password, "faux");
        assertNotEquals(0, openssl("pkcs12", "-in", config.keystore().toString(), "-passin", "file:" + password,
                "-info", "-nodes").exit(), "a wrong password fails the MAC");
    }
}
