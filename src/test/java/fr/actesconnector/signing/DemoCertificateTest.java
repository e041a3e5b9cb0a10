package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCertificateTest {
    @TempDir
    Path dir;

    @Test
    void createsOnceThenReuses() throws Exception {
        Path folder = dir.resolve("demo");
        Clock clock = SigningFixtures.now();
        DemoCertificate demo = new DemoCertificate(folder, clock);
        SigningConfig first = demo.ensure("Commune de Houdan");

        SigningKey key = SigningKey.load(first);
        X509Certificate certificate = key.certificate();
        assertEquals("CN=Commune de Houdan - certificat de TEST,O=actes-connector - démonstration TEST,C=FR",
                Certificates.subject(certificate));
        assertEquals(2, key.chain().size(), "the CA travels with the signer");
        long days = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays();
        assertEquals(730, days);
        assertTrue(Files.readString(demo.passwordFile()).strip().length() >= 24);

        byte[] keystore = Files.readAllBytes(demo.keystore());
        SigningConfig second = new DemoCertificate(folder, clock).ensure("Commune de Houdan");
        assertEquals(first, second);
        assertArrayEquals(keystore, Files.readAllBytes(demo.keystore()), "the existing certificate is reused");

        Path doc = SigningFixtures.document(dir, "acte.pdf", 1000, 11);
        DetachedSignature signature = new Signer(second, clock).sign(doc);
        VerifiedSignature verified = new Verifier(clock, Verifier.readTrustBundle(demo.caCertificate())).verify(doc, signature);
        assertTrue(verified.chainTrusted());
        assertTrue(verified.signerSubject().contains("TEST"));
    }

    @Test
    void secretsAreOwnerOnly() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        DemoCertificate demo = new DemoCertificate(dir, SigningFixtures.now());
        demo.ensure("Commune de Houdan");
        for (Path file : new Path[]{demo.keystore(), demo.passwordFile()}) {
            try {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void expiredDemoCertificateIsReplaced() throws Exception {
        Instant now = Instant.now();
        DemoCertificate demo = new DemoCertificate(dir, SigningFixtures.clockAt(now));
        SigningConfig first = demo.ensure("Commune de Houdan");
        DemoCertificate later = new DemoCertificate(dir, SigningFixtures.clockAt(now.plus(Duration.ofDays(800))));
        SigningConfig second = later.ensure("Commune de Houdan");
        assertNotEquals(first.password(), second.password());
        assertTrue(SigningKey.load(second).certificate().getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(800))));
    }

    @Test
    void thePemCopyIsTheStoredSignerAndDecidesValidity() throws Exception {
        Instant now = Instant.now();
        DemoCertificate demo = new DemoCertificate(dir, SigningFixtures.clockAt(now));
        SigningConfig config = demo.ensure("Commune de Houdan");
        X509Certificate pem = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(Files.readAllBytes(demo.certificatePem())));
        assertEquals(SigningKey.load(config).certificate(), pem);

        // The store still holds a valid certificate; a PEM copy saying "expired" is believed: the pair is made again.
        X509Certificate expired = new TestCertificates(new java.security.SecureRandom()).authority(
                new org.bouncycastle.asn1.x500.X500Name("CN=expiré de TEST"), now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1))).certificate();
        Files.writeString(demo.certificatePem(), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(expired.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        SigningConfig renewed = new DemoCertificate(dir, SigningFixtures.clockAt(now)).ensure("Commune de Houdan");
        assertNotEquals(config.password(), renewed.password());
        assertTrue(SigningKey.load(renewed).certificate().getNotAfter().toInstant().isAfter(now));
    }
}
