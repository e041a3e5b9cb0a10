package fr.actesconnector.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes detached CAdES-BES signatures (CMS SignedData, SHA-256, RSA or ECDSA) of files. The content
 * is digested as a stream, so memory use does not depend on the file size. Signed attributes:
 * content-type, message-digest, signing-time (from the injected clock), signing-certificate-v2 and
 * CMS algorithm protection; the signer's certificate and its chain travel in the signature.
 * Thread-safe.
 */
public final class Signer {
    private static final Logger LOG = LoggerFactory.getLogger(Signer.class);
    private static final String DIGEST = "SHA-256";
    private static final int BUFFER = 64 * 1024;

    private final SigningKey key;
    private final Clock clock;

    /** Opens the keystore of {@code config} and checks its certificate now (fail fast). */
    public Signer(SigningConfig config, Clock clock) {
        this(SigningKey.load(config), clock);
    }

    /**
     * @throws SigningException INVALID_INPUT when the certificate is outside its validity period or
     *                          not meant for signing
     */
    public Signer(SigningKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        Certificates.requireUsableForSigning(key.certificate(), clock.instant(), clock.getZone());
        if (Certificates.expiryWarning(key.certificate(), clock.instant(), clock.getZone()).isPresent()) {
            LOG.warn("Signing certificate '{}' expires on {}: renew it", Certificates.subject(key.certificate()),
                    key.certificate().getNotAfter().toInstant());
        }
        LOG.info("Signing with certificate '{}' (serial {}, valid until {})", Certificates.subject(key.certificate()),
                key.certificate().getSerialNumber().toString(16), key.certificate().getNotAfter().toInstant());
    }

    public X509Certificate certificate() {
        return key.certificate();
    }

    /** French warnings to show the user now, e.g. the certificate expires within 90 days; empty when none. */
    public List<String> warnings() {
        return Certificates.expiryWarning(key.certificate(), clock.instant(), clock.getZone()).stream().toList();
    }

    /**
     * Signs the exact bytes of {@code document}.
     *
     * @throws SigningException INVALID_INPUT when the document cannot be read or the certificate has
     *                          expired since this signer was made
     */
    public DetachedSignature sign(Path document) {
        Objects.requireNonNull(document, "document");
        byte[] digest;
        try (InputStream in = Files.newInputStream(document)) {
            digest = digest(in);
        } catch (NoSuchFileException e) {
            throw SigningException.invalid("Le document à signer « " + document + " » est introuvable ; vérifiez son chemin.",
                    "document to sign not found: " + document, e);
        } catch (AccessDeniedException e) {
            throw SigningException.invalid("Le document à signer « " + document + " » n'est pas lisible ; "
                    + "vérifiez ses droits d'accès.", "document to sign not readable: " + document, e);
        } catch (IOException e) {
            throw SigningException.invalid("Le document à signer « " + document + " » ne peut pas être lu ; "
                    + "vérifiez qu'il s'agit bien d'un fichier.", "cannot read document " + document + ": " + e, e);
        }
        DetachedSignature signature = signDigest(digest);
        LOG.debug("Signed {} with '{}'", document.getFileName(), Certificates.subject(key.certificate()));
        return signature;
    }

    /** Signs {@code document} and writes the DER signature to {@code signatureFile} (atomically). */
    public DetachedSignature signTo(Path document, Path signatureFile) {
        DetachedSignature signature = sign(document);
        signature.writeTo(signatureFile);
        return signature;
    }

    /** Signs a SHA-256 digest computed elsewhere, e.g. while the same bytes were streamed into an archive. */
    public DetachedSignature signDigest(byte[] sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + sha256.length);
        }
        Instant now = clock.instant();
        X509Certificate certificate = key.certificate();
        Certificates.requireUsableForSigning(certificate, now, clock.getZone());
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(key.signatureAlgorithm()).build(key.privateKey());
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(
                            signedAttributes(sha256, now, certificate)))
                    .build(contentSigner, certificate);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(new JcaCertStore(key.chain()));
            // Absent content: the message-digest attribute already holds the streamed digest
            CMSSignedData signed = generator.generate(new CMSAbsentContent(), false);
            return DetachedSignature.ofDer(signed.getEncoded(ASN1Encoding.DER));
        } catch (OperatorCreationException | CMSException | GeneralSecurityException | IOException e) {
            throw new SigningException(fr.actesconnector.model.Reason.INTERNAL,
                    "La signature n'a pas pu être calculée avec le certificat « " + Certificates.subject(certificate)
                            + " » ; vérifiez que la clé du fichier PKCS#12 correspond bien à ce certificat.",
                    "CMS signing failed: " + e, e);
        }
    }

    /** SHA-256 of a stream, read in fixed-size chunks. */
    public static byte[] digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) != -1; ) {
            md.update(buffer, 0, n);
        }
        return md.digest();
    }

    private static AttributeTable signedAttributes(byte[] digest, Instant signingTime, X509Certificate certificate)
            throws GeneralSecurityException {
        Hashtable<org.bouncycastle.asn1.ASN1ObjectIdentifier, Attribute> attributes = new Hashtable<>();
        attributes.put(CMSAttributes.messageDigest,
                new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(digest))));
        // Time picks UTCTime up to 2049, as RFC 5652 requires
        attributes.put(CMSAttributes.signingTime,
                new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
        attributes.put(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(signingCertificateV2(certificate))));
        return new AttributeTable(attributes);
    }

    /** ESS signing-certificate-v2 (RFC 5035): binds the signer's certificate, hashed with SHA-256, to the signature. */
    private static SigningCertificateV2 signingCertificateV2(X509Certificate certificate) throws GeneralSecurityException {
        byte[] certificateHash = sha256().digest(certificate.getEncoded());
        IssuerSerial issuerSerial = new IssuerSerial(
                new GeneralNames(new GeneralName(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()))),
                certificate.getSerialNumber());
        return new SigningCertificateV2(new ESSCertIDv2[]{new ESSCertIDv2(certificateHash, issuerSerial)});
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(DIGEST);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
