package fr.actesconnector.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Hashtable;
import java.util.Random;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.TestPki;

/** Test helpers: keystores from {@link TestPki} identities, documents, and signatures made without the project's checks. */
final class SigningFixtures {
    static final String PASSWORD = "motdepasse-de-test-42";

    private SigningFixtures() {
    }

    static SigningConfig keystore(TestPki.Identity identity, Path dir, String name)
            throws IOException, GeneralSecurityException {
        Path file = identity.writePkcs12(dir.resolve(name + ".p12"), "signataire", PASSWORD.toCharArray());
        return new SigningConfig(file, Secret.of(PASSWORD));
    }

    static SigningKey key(TestPki.Identity identity) {
        return new SigningKey(identity.key(), identity.chain());
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static Clock now() {
        return Clock.system(ZoneId.of("Europe/Paris"));
    }

    /** A pseudo-random document (deterministic per seed) of {@code size} bytes. */
    static Path document(Path dir, String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /** Flips one bit of the byte at {@code index} (negative: from the end) and writes the result to a new file. */
    static Path flipped(Path source, Path target, int index) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int i = index < 0 ? bytes.length + index : index;
        bytes[i] ^= 0x01;
        Files.write(target, bytes);
        return target;
    }

    /** A detached signature made with plain BouncyCastle, with any signing time and no certificate checks. */
    static DetachedSignature rawSignature(TestPki.Identity identity, Path content, Instant signingTime) throws Exception {
        return rawSignature(identity, content, signingTime, null);
    }

    /** As above, plus an ESS signing-certificate-v2 attribute naming {@code namedCertificate} when not null. */
    static DetachedSignature rawSignature(TestPki.Identity identity, Path content, Instant signingTime,
                                          java.security.cert.X509Certificate namedCertificate) throws Exception {
        Hashtable<org.bouncycastle.asn1.ASN1ObjectIdentifier, Attribute> attributes = new Hashtable<>();
        if (namedCertificate != null) {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(namedCertificate.getEncoded());
            attributes.put(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new Attribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                            new DERSet(new org.bouncycastle.asn1.ess.SigningCertificateV2(
                                    new org.bouncycastle.asn1.ess.ESSCertIDv2[]{new org.bouncycastle.asn1.ess.ESSCertIDv2(hash)}))));
        }
        attributes.put(CMSAttributes.signingTime,
                new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
        String algorithm = identity.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder(algorithm).build(identity.key()), identity.certificate()));
        generator.addCertificates(new JcaCertStore(identity.chain()));
        return DetachedSignature.ofDer(generator.generate(new CMSProcessableFile(content.toFile()), false)
                .getEncoded(ASN1Encoding.DER));
    }
}
