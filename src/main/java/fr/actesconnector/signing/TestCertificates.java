package fr.actesconnector.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes TEST key material: a CA and the certificates it issues (demo signer, simulator server and
 * connector client), written as PKCS#12 stores the JDK reads, each with a random password in an
 * owner-only file. Never for real actes: callers put TEST in every subject.
 *
 * <p>Keys are EC P-256: a key pair takes milliseconds where RSA-2048 took a quarter of a second in a
 * cold JVM, and the demo makes five of them at its first run.
 * The stores' password is 192 random bits, so the usual 10 000 PBKDF2 rounds would add no strength,
 * only CPU at every load; they use {@value #PBE_ITERATIONS}. The stores are assembled here with the
 * JDK's own algorithms (PBES2 AES-256 key, HMAC-SHA256 MAC) because the JDK's KeyStore takes its
 * round counts only from JVM-wide properties. Stores holding real keys are the authority's own,
 * made by its tools, never by this class.
 */
public final class TestCertificates {
    /** PBKDF2 rounds of the stores written here; see the class comment. */
    public static final int PBE_ITERATIONS = 1;

    /** What an issued certificate is for. */
    public enum Usage { CA, SIGNING, TLS_SERVER, TLS_CLIENT }

    /** A key and its certificate chain, issued certificate first. */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        public Issued {
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
        }

        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private static final String KEY_PBE = "PBEWithHmacSHA256AndAES_256";

    /** The JDK's marker of a PKCS#12 trusted-certificate entry (what {@code keytool -importcert} writes). */
    private static final ASN1ObjectIdentifier JDK_TRUSTED_KEY_USAGE = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

    private final SecureRandom random;

    public TestCertificates(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A self-signed CA valid over the given period. */
    public Issued authority(X500Name name, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        return new Issued(keys.getPrivate(), List.of(build(name, keys, name, keys.getPrivate(), notBefore, notAfter, Usage.CA)));
    }

    /** A certificate for {@code subject} signed by {@code issuer}, with the issuer's chain after it. */
    public Issued issue(Issued issuer, X500Name subject, Usage usage, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(build(subject, keys, issuerName, issuer.key(), notBefore, notAfter, usage));
        chain.addAll(issuer.chain());
        return new Issued(keys.getPrivate(), chain);
    }

    /** A random password for a store: 192 bits, URL-safe Base64. */
    public String password() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A PKCS#12 the JDK loads as one key entry named {@code alias}: key encrypted (PBES2, AES-256), chain, HMAC-SHA256. */
    public byte[] keyStore(String alias, Issued identity, char[] password) throws GeneralSecurityException {
        try {
            DEROctetString localKeyId = new DEROctetString(new JcaX509ExtensionUtils()
                    .createSubjectKeyIdentifier(identity.certificate().getPublicKey()).getKeyIdentifier());
            List<SafeBag> bags = new ArrayList<>();
            bags.add(new SafeBag(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag,
                    encrypt(identity.key(), password),
                    attributes(alias, PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId)));
            for (X509Certificate certificate : identity.chain()) {
                bags.add(certificateBag(certificate, bags.size() == 1
                        ? attributes(alias, PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId) : null));
            }
            return pfx(bags, password);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 the JDK loads as one trusted-certificate entry named {@code alias}. */
    public byte[] trustStore(String alias, X509Certificate certificate, char[] password) throws GeneralSecurityException {
        try {
            return pfx(List.of(certificateBag(certificate,
                    attributes(alias, JDK_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage))), password);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build PKCS#12 trust store: " + e.getMessage(), e);
        }
    }

    private static SafeBag certificateBag(X509Certificate certificate, ASN1Set attributes) throws GeneralSecurityException {
        CertBag bag = new CertBag(PKCSObjectIdentifiers.x509Certificate, new DEROctetString(certificate.getEncoded()));
        return new SafeBag(PKCSObjectIdentifiers.certBag, bag, attributes);
    }

    private static ASN1Set attributes(String alias, ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new DERSet(new ASN1Encodable[]{
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERSet(new DERBMPString(alias))),
                new Attribute(type, new DERSet(value))});
    }

    /** The key as PKCS#8 EncryptedPrivateKeyInfo, encrypted the way the JDK's own PKCS12 store does. */
    private EncryptedPrivateKeyInfo encrypt(PrivateKey key, char[] password) throws GeneralSecurityException, IOException {
        SecretKey secret = SecretKeyFactory.getInstance(KEY_PBE).generateSecret(new PBEKeySpec(password));
        Cipher cipher = Cipher.getInstance(KEY_PBE);
        cipher.init(Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(bytes(16), PBE_ITERATIONS, new IvParameterSpec(bytes(16))));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // The JDK encodes PBES2 parameters but has no public way to name them in an AlgorithmIdentifier.
        return new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2,
                ASN1Primitive.fromByteArray(cipher.getParameters().getEncoded())), encrypted);
    }

    /** The bags in one clear SafeContents, sealed by a PKCS#12 MAC (HMAC-SHA256). */
    private byte[] pfx(List<SafeBag> bags, char[] password) throws GeneralSecurityException, IOException {
        ContentInfo contents = new ContentInfo(PKCSObjectIdentifiers.data,
                new DEROctetString(new DERSequence(bags.toArray(SafeBag[]::new)).getEncoded(ASN1Encoding.DER)));
        byte[] authenticatedSafe = new AuthenticatedSafe(new ContentInfo[]{contents}).getEncoded(ASN1Encoding.DER);
        byte[] salt = bytes(20);
        Mac mac = Mac.getInstance("HmacPBESHA256");
        mac.init(SecretKeyFactory.getInstance("PBE").generateSecret(new PBEKeySpec(password)),
                new PBEParameterSpec(salt, PBE_ITERATIONS));
        MacData macData = new MacData(new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                mac.doFinal(authenticatedSafe)), salt, PBE_ITERATIONS);
        return new Pfx(new ContentInfo(PKCSObjectIdentifiers.data, new DEROctetString(authenticatedSafe)), macData)
                .getEncoded(ASN1Encoding.DER);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** What a file's content is written by. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException, GeneralSecurityException;
    }

    /**
     * Writes {@code file} through a temporary file in the same folder, created owner-only when {@code secret}
     * (where POSIX permissions exist), then moved into place: a reader never sees half a store.
     */
    public static void write(Path file, boolean secret, Content content) throws IOException, GeneralSecurityException {
        Path folder = file.toAbsolutePath().getParent();
        boolean posix = secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && Files.getFileStore(folder).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp", attributes);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
                                  Instant notBefore, Instant notAfter, Usage usage) throws GeneralSecurityException {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(usage == Usage.CA));
            switch (usage) {
                case CA -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                case SIGNING -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                case TLS_SERVER, TLS_CLIENT -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            usage == Usage.TLS_SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
                }
            }
            if (usage == Usage.TLS_SERVER) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build TEST certificate " + subject + ": " + e.getMessage(), e);
        }
    }
}
