package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Reason;
import fr.actesconnector.testing.TestPki;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignerTest {
    private TestPki pki;
    private TestPki.Identity rsa;
    private TestPki.Identity ec;
    private TestPki.Identity expired;

    @TempDir
    Path dir;

    @BeforeAll
    void pki() throws Exception {
        pki = new TestPki("CA Signer");
        rsa = pki.signer("Jean Maire");
        ec = pki.ecSigner("Anne Adjointe");
        expired = pki.expiredSigner("Ancien Maire");
    }

    @Test
    void rsaSignatureVerifiesWithSignedAttributesAndChain() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path doc = SigningFixtures.document(dir, "acte.pdf", 100_000, 1);
        DetachedSignature signature = new Signer(SigningFixtures.keystore(rsa, dir, "rsa"), SigningFixtures.clockAt(now)).sign(doc);

        CMSSignedData cms = new CMSSignedData(signature.der());
        assertTrue(cms.isDetachedSignature());
        assertEquals(2, cms.getCertificates().getMatches(null).size(), "signer and CA certificates are included");
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        assertEquals(NISTObjectIdentifiers.id_sha256.getId(), signer.getDigestAlgOID());
        AttributeTable attributes = signer.getSignedAttributes();
        assertEquals(CMSObjectIdentifiers.data, attributes.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0));
        byte[] expectedDigest;
        try (InputStream in = Files.newInputStream(doc)) {
            expectedDigest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        }
        assertArrayEquals(expectedDigest, ASN1OctetString.getInstance(
                attributes.get(CMSAttributes.messageDigest).getAttrValues().getObjectAt(0)).getOctets());
        SigningCertificateV2 essCert = SigningCertificateV2.getInstance(
                attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2).getAttrValues().getObjectAt(0));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(rsa.certificate().getEncoded()),
                essCert.getCerts()[0].getCertHash());
        assertEquals(rsa.certificate().getSerialNumber(), essCert.getCerts()[0].getIssuerSerial().getSerial().getValue());
        assertTrue(attributes.get(CMSAttributes.signingTime) != null);

        VerifiedSignature verified = new Verifier(SigningFixtures.now()).verify(doc, signature);
        assertEquals(now, verified.signingTime().orElseThrow(), "signing time comes from the injected clock");
        assertTrue(verified.signerSubject().contains("CN=Jean Maire"), verified.signerSubject());
        assertEquals(rsa.certificate().getNotAfter().toInstant(), verified.certificateNotAfter());
        assertFalse(verified.chainTrusted());
    }

    /**
     * The signing time is the injected clock's, read back exactly from the CMS, and the signed attributes are
     * exactly CAdES-BES's: a clock far from now, since BouncyCastle adds a signing-time of its own (now) when
     * the signer gives none, and a content-type and a message-digest (of the absent content) likewise.
     */
    @Test
    void theSignedAttributesAreCadesBesWithTheInjectedSigningTime() throws Exception {
        Instant signingTime = Instant.parse("2021-03-04T05:06:07Z");
        TestPki.Identity in2021 = pki.issue("Maire 2021", TestPki.rsa(), Instant.parse("2021-01-01T00:00:00Z"),
                Instant.parse("2022-01-01T00:00:00Z"), KeyUsage.digitalSignature | KeyUsage.nonRepudiation, List.of());
        Path doc = SigningFixtures.document(dir, "deliberation.pdf", 10_000, 6);
        DetachedSignature signature = new Signer(SigningFixtures.key(in2021), SigningFixtures.clockAt(signingTime)).sign(doc);

        SignerInformation signer = new CMSSignedData(signature.der()).getSignerInfos().getSigners().iterator().next();
        AttributeTable attributes = signer.getSignedAttributes();
        assertEquals(java.util.Set.of(CMSAttributes.contentType, CMSAttributes.messageDigest, CMSAttributes.signingTime,
                        PKCSObjectIdentifiers.id_aa_signingCertificateV2, CMSAttributes.cmsAlgorithmProtect),
                java.util.Set.copyOf(java.util.Collections.list(attributes.toHashtable().keys())),
                "content-type, message-digest, signing-time, signing-certificate-v2 (CAdES-BES) and the algorithm protection");
        org.bouncycastle.asn1.ASN1Encodable time = attributes.get(CMSAttributes.signingTime).getAttrValues().getObjectAt(0);
        assertTrue(time.toASN1Primitive() instanceof org.bouncycastle.asn1.ASN1UTCTime, "UTCTime before 2050 (RFC 5652): " + time);
        assertEquals(signingTime, org.bouncycastle.asn1.cms.Time.getInstance(time).getDate().toInstant(),
                "signing-time is the injected clock's instant");
        assertEquals(CMSObjectIdentifiers.data, attributes.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0),
                "content-type id-data");
        byte[] expectedDigest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(doc));
        assertArrayEquals(expectedDigest, ASN1OctetString.getInstance(
                attributes.get(CMSAttributes.messageDigest).getAttrValues().getObjectAt(0)).getOctets(),
                "message-digest is the document's SHA-256");
        SigningCertificateV2 essCert = SigningCertificateV2.getInstance(
                attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2).getAttrValues().getObjectAt(0));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(in2021.certificate().getEncoded()),
                essCert.getCerts()[0].getCertHash(), "signing-certificate-v2 names the signer's certificate");
        assertEquals(in2021.certificate().getSerialNumber(), essCert.getCerts()[0].getIssuerSerial().getSerial().getValue(),
                "signing-certificate-v2 carries the certificate's serial");
        assertEquals(signingTime, new Verifier(SigningFixtures.clockAt(signingTime.plus(Duration.ofDays(1)))).verify(doc, signature)
                .signingTime().orElseThrow(), "the verifier reads the same signing time");
    }

    @Test
    void ecdsaSignatureVerifies() throws Exception {
        Path doc = SigningFixtures.document(dir, "annexe.pdf", 5_000, 2);
        DetachedSignature signature = new Signer(SigningFixtures.key(ec), SigningFixtures.now()).sign(doc);
        SignerInformation signer = new CMSSignedData(signature.der()).getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.getEncryptionAlgOID().startsWith("1.2.840.10045.4.3"), "ecdsa-with-SHA*: " + signer.getEncryptionAlgOID());
        assertTrue(new Verifier(SigningFixtures.now()).verify(doc, signature).signerSubject().contains("Anne Adjointe"));
    }

    @Test
    void emptyDocumentCanBeSigned() throws Exception {
        Path doc = Files.createFile(dir.resolve("vide.txt"));
        DetachedSignature signature = new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).sign(doc);
        assertTrue(new Verifier(SigningFixtures.now()).verify(doc, signature).signingTime().isPresent());
    }

    @Test
    void pemHasPkcs7ArmourAndSameBytes() throws Exception {
        Path doc = SigningFixtures.document(dir, "acte.pdf", 1_000, 3);
        DetachedSignature signature = new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).sign(doc);
        String pem = signature.pem();
        assertTrue(pem.startsWith("-----BEGIN PKCS7-----\n"), pem);
        assertTrue(pem.endsWith("-----END PKCS7-----\n"), pem);
        List<String> body = pem.lines().filter(l -> !l.startsWith("-----")).toList();
        assertTrue(body.stream().allMatch(l -> l.length() <= 64));
        assertArrayEquals(signature.der(), Base64.getDecoder().decode(String.join("", body)));
        Path pemFile = Files.writeString(dir.resolve("acte.pdf.pem"), pem);
        assertEquals(signature, DetachedSignature.read(pemFile));
    }

    @Test
    void signToWritesDerAtomically() throws Exception {
        Path doc = SigningFixtures.document(dir, "acte.pdf", 1_000, 4);
        Path p7s = dir.resolve("acte.pdf.p7s");
        DetachedSignature signature = new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).signTo(doc, p7s);
        assertArrayEquals(signature.der(), Files.readAllBytes(p7s));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void expiredCertificateIsRefusedWithItsDates() {
        SigningException e = assertThrows(SigningException.class,
                () -> new Signer(SigningFixtures.key(expired), SigningFixtures.now()));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        String expiry = expired.certificate().getNotAfter().toInstant().atZone(ZoneId.of("Europe/Paris")).toLocalDate().toString();
        assertTrue(e.userMessage().contains("a expiré le " + expiry), e.userMessage());
        assertTrue(e.userMessage().contains("CN=Ancien Maire"), e.userMessage());
        assertTrue(e.userMessage().contains("renouvelez"), e.userMessage());
    }

    @Test
    void certificateNotYetValidIsRefused() {
        Clock before = SigningFixtures.clockAt(rsa.certificate().getNotBefore().toInstant().minus(Duration.ofDays(3)));
        SigningException e = assertThrows(SigningException.class, () -> new Signer(SigningFixtures.key(rsa), before));
        assertTrue(e.userMessage().contains("n'est valable qu'à partir du"), e.userMessage());
    }

    @Test
    void certificateExpiringAfterSignerCreationIsRefusedAtSigning() throws Exception {
        Path doc = SigningFixtures.document(dir, "acte.pdf", 10, 5);
        Instant notAfter = rsa.certificate().getNotAfter().toInstant();
        Instant[] now = {notAfter.minus(Duration.ofHours(1))};
        Clock moving = new Clock() {
            @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        Signer signer = new Signer(SigningFixtures.key(rsa), moving);
        signer.sign(doc);
        now[0] = notAfter.plus(Duration.ofHours(1));
        SigningException e = assertThrows(SigningException.class, () -> signer.sign(doc));
        assertTrue(e.userMessage().contains("a expiré le"), e.userMessage());
    }

    @Test
    void certificateWithoutSigningKeyUsageIsRefused() throws Exception {
        Instant now = Instant.now();
        TestPki.Identity encryption = pki.issue("Chiffrement", TestPki.rsa(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), KeyUsage.keyEncipherment, List.of());
        SigningException e = assertThrows(SigningException.class,
                () -> new Signer(SigningFixtures.key(encryption), SigningFixtures.now()));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("n'est pas un certificat de signature"), e.userMessage());
    }

    @Test
    void warnsWhenCertificateExpiresWithin90Days() {
        Instant notAfter = rsa.certificate().getNotAfter().toInstant();
        Signer soon = new Signer(SigningFixtures.key(rsa), SigningFixtures.clockAt(notAfter.minus(Duration.ofDays(30))));
        assertEquals(1, soon.warnings().size());
        assertTrue(soon.warnings().get(0).contains("dans 30 jours"), soon.warnings().get(0));
        assertTrue(soon.warnings().get(0).contains("renouvellement"), soon.warnings().get(0));

        Signer later = new Signer(SigningFixtures.key(rsa), SigningFixtures.clockAt(notAfter.minus(Duration.ofDays(91))));
        assertEquals(List.of(), later.warnings());
    }

    @Test
    void theLastDayIsWrittenInTheSingular() {
        Instant notAfter = rsa.certificate().getNotAfter().toInstant();
        String warning = new Signer(SigningFixtures.key(rsa), SigningFixtures.clockAt(notAfter.minus(Duration.ofHours(36))))
                .warnings().get(0);
        assertTrue(warning.contains("(dans 1 jour)"), warning);
    }

    @Test
    void missingDocumentIsInvalidInput() {
        Signer signer = new Signer(SigningFixtures.key(rsa), SigningFixtures.now());
        SigningException e = assertThrows(SigningException.class, () -> signer.sign(dir.resolve("absent.pdf")));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("introuvable"), e.userMessage());
    }

    @Test
    void signDigestRejectsWrongLength() {
        Signer signer = new Signer(SigningFixtures.key(rsa), SigningFixtures.now());
        assertThrows(IllegalArgumentException.class, () -> signer.signDigest(new byte[20]));
    }

    @Test
    void unsupportedKeyTypeIsRejected() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
        java.security.PrivateKey ed = g.generateKeyPair().getPrivate();
        assertThrows(IllegalArgumentException.class, () -> new SigningKey(ed, rsa.chain()));
    }

    @Test
    void theSignerTellsItsCertificateAndSignaturesCompareByTheirBytes() throws Exception {
        Signer signer = new Signer(SigningFixtures.key(rsa), SigningFixtures.now());
        assertEquals(rsa.certificate(), signer.certificate());
        Path doc = SigningFixtures.document(dir, "acte.pdf", 1_000, 8);
        DetachedSignature signature = signer.sign(doc);
        DetachedSignature same = DetachedSignature.ofDer(signature.der());
        assertEquals(signature, same);
        assertEquals(signature.hashCode(), same.hashCode());
        DetachedSignature other = signer.sign(SigningFixtures.document(dir, "b.pdf", 10, 9));
        assertFalse(signature.equals(other), "another document, another signature");
        assertFalse(signature.hashCode() == other.hashCode(), "the hash follows the bytes");
        assertEquals("DetachedSignature[" + signature.der().length + " bytes]", signature.toString());
    }

    @Test
    void aSignatureThatCannotBeWrittenLeavesNothingBehind() throws Exception {
        DetachedSignature signature = new Signer(SigningFixtures.key(rsa), SigningFixtures.now())
                .sign(SigningFixtures.document(dir, "acte.pdf", 100, 10));
        Path target = dir.resolve("acte.pdf.p7s");
        Files.createDirectory(target); // a folder where the file should go: the move fails
        SigningException e = assertThrows(SigningException.class, () -> signature.writeTo(target));
        assertTrue(e.userMessage().contains("ne peut pas être écrite"), e.userMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "the temporary file is gone");
        }
        Path written = signature.writeTo(dir.resolve("ok.p7s"));
        assertArrayEquals(signature.der(), Files.readAllBytes(written));
    }
}
