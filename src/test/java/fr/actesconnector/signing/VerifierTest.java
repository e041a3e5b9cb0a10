package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Reason;
import fr.actesconnector.signing.SignatureNotVerifiedException.Failure;
import fr.actesconnector.testing.TestPki;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifierTest {
    private TestPki pki;
    private TestPki otherPki;
    private TestPki.Identity rsa;
    private TestPki.Identity ec;
    private TestPki.Identity expired;

    @TempDir
    Path dir;
    private Path doc;
    private Path p7s;

    @BeforeAll
    void pki() throws Exception {
        pki = new TestPki("CA Verifier");
        otherPki = new TestPki("CA Inconnue");
        rsa = pki.signer("Jean Maire");
        ec = pki.ecSigner("Anne Adjointe");
        expired = pki.expiredSigner("Ancien Maire");
    }

    @BeforeEach
    void signed() throws Exception {
        doc = SigningFixtures.document(dir, "acte.pdf", 200_000, 7);
        p7s = dir.resolve("acte.pdf.p7s");
        new Signer(SigningFixtures.key(rsa), SigningFixtures.now()).signTo(doc, p7s);
    }

    private Verifier verifier() {
        return new Verifier(SigningFixtures.now());
    }

    private SignatureNotVerifiedException failure(Verifier verifier, Path document, Path signature) {
        SignatureNotVerifiedException e = assertThrows(SignatureNotVerifiedException.class,
                () -> verifier.verify(document, signature));
        assertEquals(Reason.NOT_VERIFIED, e.reason());
        assertFalse(e.userMessage().isBlank());
        return e;
    }

    @Test
    void goodSignatureFromFile() {
        VerifiedSignature result = verifier().verify(doc, p7s);
        assertTrue(result.signerSubject().contains("CN=Jean Maire"));
        assertEquals(rsa.certificate().getNotBefore().toInstant(), result.certificateNotBefore());
        assertEquals(rsa.certificate(), result.certificate());
    }

    @Test
    void alteredContentIsReportedAsSuch() throws Exception {
        Path altered = SigningFixtures.flipped(doc, dir.resolve("acte-modifie.pdf"), 100_000);
        SignatureNotVerifiedException e = failure(verifier(), altered, p7s);
        assertEquals(Failure.CONTENT_MISMATCH, e.failure());
        assertTrue(e.userMessage().contains("modifié depuis la signature"), e.userMessage());
        assertTrue(e.userMessage().contains("pas le fichier qui a été signé"), e.userMessage());
    }

    @Test
    void otherFileIsAContentMismatch() throws Exception {
        Path other = SigningFixtures.document(dir, "autre.pdf", 200_000, 8);
        assertEquals(Failure.CONTENT_MISMATCH, failure(verifier(), other, p7s).failure());
    }

    @Test
    void nonCmsFilesAreCorruptSignatures() throws Exception {
        Path text = Files.writeString(dir.resolve("texte.p7s"), "ceci n'est pas une signature");
        assertEquals(Failure.CORRUPT_SIGNATURE, failure(verifier(), doc, text).failure());
        Path truncated = dir.resolve("tronquee.p7s");
        byte[] der = Files.readAllBytes(p7s);
        Files.write(truncated, java.util.Arrays.copyOf(der, der.length / 2));
        SignatureNotVerifiedException e = failure(verifier(), doc, truncated);
        assertEquals(Failure.CORRUPT_SIGNATURE, e.failure());
        assertTrue(e.userMessage().contains("n'est pas une signature CMS/PKCS#7 lisible"), e.userMessage());
        Path certificate = rsa.writeCertificatePem(dir.resolve("cert.pem"));
        assertEquals(Failure.CORRUPT_SIGNATURE, failure(verifier(), doc, certificate).failure());
        Path documentAsSignature = SigningFixtures.document(dir, "gros.bin", 5 * 1024 * 1024, 9);
        assertEquals(Failure.CORRUPT_SIGNATURE, failure(verifier(), doc, documentAsSignature).failure());
    }

    @Test
    void alteredSignatureValueIsInvalid() throws Exception {
        // for this RSA SignerInfo without unsigned attributes, the last byte is the signature value's
        Path tampered = SigningFixtures.flipped(p7s, dir.resolve("alteree.p7s"), -1);
        SignatureNotVerifiedException e = failure(verifier(), doc, tampered);
        assertEquals(Failure.SIGNATURE_VALUE_INVALID, e.failure());
        assertTrue(e.userMessage().contains("valeur de la signature"), e.userMessage());
    }

    @Test
    void signingCertificateAttributeMustNameTheIncludedCertificate() throws Exception {
        Path sig = dir.resolve("autre-certificat.p7s");
        SigningFixtures.rawSignature(rsa, doc, Instant.now(), ec.certificate()).writeTo(sig);
        SignatureNotVerifiedException e = failure(verifier(), doc, sig);
        assertEquals(Failure.SIGNATURE_VALUE_INVALID, e.failure());
        assertTrue(e.userMessage().contains("désigne un autre certificat"), e.userMessage());

        Path good = dir.resolve("bon-certificat.p7s");
        SigningFixtures.rawSignature(rsa, doc, Instant.now(), rsa.certificate()).writeTo(good);
        assertEquals(rsa.certificate(), verifier().verify(doc, good).certificate());
    }

    @Test
    void certificateExpiredAtSigningTime() throws Exception {
        Path sig = dir.resolve("expiree.p7s");
        SigningFixtures.rawSignature(expired, doc, Instant.now()).writeTo(sig);
        SignatureNotVerifiedException e = failure(verifier(), doc, sig);
        assertEquals(Failure.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME, e.failure());
        assertTrue(e.userMessage().contains("avait expiré le"), e.userMessage());
        assertTrue(e.userMessage().contains("au moment de la signature"), e.userMessage());
    }

    @Test
    void certificateNotYetValidAtSigningTime() throws Exception {
        Path sig = dir.resolve("anticipee.p7s");
        SigningFixtures.rawSignature(rsa, doc, rsa.certificate().getNotBefore().toInstant().minus(Duration.ofDays(2))).writeTo(sig);
        SignatureNotVerifiedException e = failure(verifier(), doc, sig);
        assertEquals(Failure.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME, e.failure());
        assertTrue(e.userMessage().contains("n'était pas encore valable"), e.userMessage());
    }

    @Test
    void signatureMadeWhileCertificateWasValidStillVerifies() throws Exception {
        Instant whenValid = expired.certificate().getNotAfter().toInstant().minus(Duration.ofDays(10));
        DetachedSignature signature = new Signer(SigningFixtures.key(expired), SigningFixtures.clockAt(whenValid)).sign(doc);
        assertEquals(whenValid.getEpochSecond(), verifier().verify(doc, signature).signingTime().orElseThrow().getEpochSecond());
    }

    @Test
    void ecdsaSignatureWithPemFile() throws Exception {
        DetachedSignature signature = new Signer(SigningFixtures.key(ec), SigningFixtures.now()).sign(doc);
        Path pem = Files.writeString(dir.resolve("ec.pem"), signature.pem());
        assertTrue(verifier().verify(doc, pem).signerSubject().contains("Anne Adjointe"));
        Path cmsLabel = Files.writeString(dir.resolve("ec-cms.pem"), signature.pem().replace("PKCS7", "CMS"));
        assertTrue(verifier().verify(doc, cmsLabel).signerSubject().contains("Anne Adjointe"));
    }

    @Test
    void trustedChainIsReported() throws Exception {
        Path bundle = dir.resolve("trust.pem");
        Files.writeString(bundle, "Autorités de test\n" + TestPki.pem(otherPki.ca().certificate())
                + "\n# commentaire\n" + TestPki.pem(pki.ca().certificate()));
        List<java.security.cert.X509Certificate> anchors = Verifier.readTrustBundle(bundle);
        assertEquals(2, anchors.size());
        assertTrue(new Verifier(SigningFixtures.now(), anchors).verify(doc, p7s).chainTrusted());
    }

    @Test
    void untrustedChainIsRefused() {
        Verifier verifier = new Verifier(SigningFixtures.now(), List.of(otherPki.ca().certificate()));
        SignatureNotVerifiedException e = failure(verifier, doc, p7s);
        assertEquals(Failure.UNTRUSTED_CERTIFICATE, e.failure());
        assertTrue(e.userMessage().contains("autorité de confiance"), e.userMessage());
    }

    @Test
    void badTrustBundlesAreInvalidInput() throws Exception {
        SigningException missing = assertThrows(SigningException.class, () -> Verifier.readTrustBundle(dir.resolve("absent.pem")));
        assertEquals(Reason.INVALID_INPUT, missing.reason());
        assertTrue(missing.userMessage().contains("introuvable"));
        Path empty = Files.writeString(dir.resolve("vide.pem"), "rien\n");
        SigningException none = assertThrows(SigningException.class, () -> Verifier.readTrustBundle(empty));
        assertTrue(none.userMessage().contains("ne contient aucun certificat"), none.userMessage());
    }

    @Test
    void missingFilesAreInvalidInputNotVerificationFailures() {
        SigningException noDoc = assertThrows(SigningException.class, () -> verifier().verify(dir.resolve("absent.pdf"), p7s));
        assertEquals(Reason.INVALID_INPUT, noDoc.reason());
        assertFalse(noDoc instanceof SignatureNotVerifiedException);
        SigningException noSig = assertThrows(SigningException.class, () -> verifier().verify(doc, dir.resolve("absent.p7s")));
        assertEquals(Reason.INVALID_INPUT, noSig.reason());
        assertTrue(noSig.userMessage().contains("introuvable"), noSig.userMessage());
    }

    /** Root → intermediate → signer: the intermediate travels in the signature only, the root is the anchor. */
    @Test
    void aChainThroughAnIntermediateInTheSignatureIsTrusted() throws Exception {
        TestPki intermediate = pki.intermediate("CA Intermédiaire");
        TestPki.Identity signer = intermediate.signer("Maire délégué");
        List<java.security.cert.X509Certificate> chain = List.of(signer.certificate(), intermediate.ca().certificate());
        Path signature = dir.resolve("delegue.p7s");
        new Signer(new SigningKey(signer.key(), chain), SigningFixtures.now()).signTo(doc, signature);
        assertTrue(new Verifier(SigningFixtures.now(), List.of(pki.ca().certificate())).verify(doc, signature).chainTrusted(),
                "the path goes through the intermediate the signature carries");
    }

    @Test
    void anAttachedSignatureIsNotTakenForADetachedOne() throws Exception {
        org.bouncycastle.cms.CMSSignedDataGenerator generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(rsa.key()), rsa.certificate()));
        generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(rsa.chain()));
        byte[] attached = generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(Files.readAllBytes(doc)), true)
                .getEncoded();
        Path signature = Files.write(dir.resolve("attachee.p7s"), attached);
        SignatureNotVerifiedException e = failure(verifier(), doc, signature);
        assertEquals(Failure.CORRUPT_SIGNATURE, e.failure());
        assertTrue(e.getMessage().contains("not a detached signature"), e.getMessage());
    }

    /**
     * An acte signed last year with a certificate that has expired since: the chain is checked at the signing time
     * (when the certificate was valid), not today.
     */
    @Test
    void theChainOfACertificateExpiredSinceIsCheckedAtTheSigningTime() throws Exception {
        Instant now = Instant.now();
        TestCertificates factory = new TestCertificates(new java.security.SecureRandom());
        TestCertificates.Issued ca = factory.authority(new org.bouncycastle.asn1.x500.X500Name("CN=CA Ancienne,C=FR"),
                now.minus(Duration.ofDays(1000)), now.plus(Duration.ofDays(1000)));
        TestCertificates.Issued old = factory.issue(ca, new org.bouncycastle.asn1.x500.X500Name("CN=Maire 2024,C=FR"),
                TestCertificates.Usage.SIGNING, now.minus(Duration.ofDays(700)), now.minus(Duration.ofDays(300)));
        Instant signedAt = now.minus(Duration.ofDays(500));
        DetachedSignature signature = new Signer(new SigningKey(old.key(), old.chain()), SigningFixtures.clockAt(signedAt))
                .sign(doc);
        VerifiedSignature result = new Verifier(SigningFixtures.now(), List.of(ca.certificate())).verify(doc, signature);
        assertTrue(result.chainTrusted(), "valid at its signing time, chain included");
    }

    /** Signed attributes without message-digest: the signature is malformed, not a forged value. */
    @Test
    void signedAttributesWithoutMessageDigestAreACorruptSignature() throws Exception {
        org.bouncycastle.cms.CMSSignedDataGenerator generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(parameters -> {
                    java.util.Hashtable<org.bouncycastle.asn1.ASN1ObjectIdentifier, org.bouncycastle.asn1.cms.Attribute> attributes =
                            new org.bouncycastle.cms.DefaultSignedAttributeTableGenerator().getAttributes(parameters).toHashtable();
                    attributes.remove(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest);
                    return new org.bouncycastle.asn1.cms.AttributeTable(attributes);
                })
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(rsa.key()), rsa.certificate()));
        generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(rsa.chain()));
        byte[] der = generator.generate(new org.bouncycastle.cms.CMSProcessableFile(doc.toFile()), false).getEncoded();
        SignatureNotVerifiedException e = failure(verifier(), doc, Files.write(dir.resolve("sans-empreinte.p7s"), der));
        assertEquals(Failure.CORRUPT_SIGNATURE, e.failure());
        assertTrue(e.getMessage().contains("message-digest attribute missing"), e.getMessage());
    }

    @Test
    void aFolderGivenAsTheDocumentIsNamedAsSuch() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("dossier"));
        SigningException e = assertThrows(SigningException.class, () -> verifier().verify(folder, p7s));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertTrue(e.userMessage().contains("n'est pas un fichier"), e.userMessage());
    }

    /** The signature already in memory: a missing or unreadable document is still invalid input, not a bad signature. */
    @Test
    void aMissingOrUnreadableDocumentBesideASignatureInMemoryIsInvalidInput() throws Exception {
        DetachedSignature signature = DetachedSignature.read(p7s);
        SigningException missing = assertThrows(SigningException.class,
                () -> verifier().verify(dir.resolve("absent.pdf"), signature));
        assertEquals(Reason.INVALID_INPUT, missing.reason());
        assertFalse(missing instanceof SignatureNotVerifiedException);
        assertTrue(missing.userMessage().contains("est introuvable"), missing.userMessage());
        Path folder = Files.createDirectory(dir.resolve("dossier"));
        SigningException unreadable = assertThrows(SigningException.class, () -> verifier().verify(folder, signature));
        assertEquals(Reason.INVALID_INPUT, unreadable.reason());
        assertTrue(unreadable.userMessage().contains("ne peut pas être lu"), unreadable.userMessage());
    }
}
