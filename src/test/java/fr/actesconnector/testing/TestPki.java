package fr.actesconnector.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI made with BouncyCastle: a CA, and leaf certificates for signing or TLS, written
 * as PKCS#12 and PEM files. Each instance is its own PKI (no shared state between tests).
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate and the chain up to (and including) the CA. */
    public record Identity(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {
        /** Writes a PKCS#12 holding the key under {@code alias} with the full chain. */
        public Path writePkcs12(Path file, String alias, char[] password) throws IOException, GeneralSecurityException {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password);
            }
            return file;
        }

        public Path writeCertificatePem(Path file) throws IOException {
            Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
            return file;
        }
    }

    private final Identity ca;

    public TestPki(String caName) throws GeneralSecurityException {
        KeyPair kp = rsa();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + caName + ",O=actes-connector TEST,C=FR");
        X509Certificate cert = build(name, kp, name, kp.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), true, null, List.of());
        this.ca = new Identity(kp.getPrivate(), cert, List.of(cert));
    }

    private TestPki(Identity ca) {
        this.ca = ca;
    }

    /** A CA issued by this one, for chains of three: root → intermediate → signer (chain: signer, intermediate). */
    public TestPki intermediate(String caName) throws GeneralSecurityException {
        KeyPair kp = rsa();
        Instant now = Instant.now();
        X509Certificate cert = build(new X500Name("CN=" + caName + ",O=actes-connector TEST,C=FR"), kp,
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.key(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true, null, List.of());
        return new TestPki(new Identity(kp.getPrivate(), cert, List.of(cert)));
    }

    public Identity ca() {
        return ca;
    }

    public Path writeCaPem(Path file) throws IOException {
        return ca.writeCertificatePem(file);
    }

    /** A trust store (PKCS#12) holding the CA certificate only. */
    public Path writeTrustStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
        return file;
    }

    /** An RSA signer valid from yesterday for one year, with digitalSignature and nonRepudiation. */
    public Identity signer(String commonName) throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue(commonName, rsa(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, List.of());
    }

    public Identity ecSigner(String commonName) throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue(commonName, ec(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, List.of());
    }

    /** A signer whose validity ended yesterday. */
    public Identity expiredSigner(String commonName) throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue(commonName, rsa(), now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, List.of());
    }

    /** Any validity window and key usage, for edge cases. */
    public Identity issue(String commonName, KeyPair kp, Instant notBefore, Instant notAfter, int keyUsage,
                          List<String> dnsNames) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=" + commonName + ",O=actes-connector TEST,C=FR");
        X509Certificate cert = build(subject, kp, X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                ca.key(), notBefore, notAfter, false, keyUsage, dnsNames);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.add(ca.certificate());
        return new Identity(kp.getPrivate(), cert, chain);
    }

    /** A TLS server certificate for {@code localhost} / 127.0.0.1. */
    public Identity tlsServer() throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue("localhost", rsa(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of("localhost"));
    }

    /** The four PKCS#12 stores of a mutual-TLS test: the server's key and trust, the client's key and trust. */
    public record TlsStores(Path serverKeystore, Path serverTrust, Path clientKeystore, Path clientTrust) {
    }

    /** Writes a localhost server identity, a client identity named {@code client} and both trust stores into {@code dir}. */
    public TlsStores writeTlsStores(Path dir, String client, char[] password) throws IOException, GeneralSecurityException {
        java.nio.file.Files.createDirectories(dir);
        return new TlsStores(tlsServer().writePkcs12(dir.resolve("server.p12"), "server", password),
                writeTrustStore(dir.resolve("server-trust.p12"), password),
                tlsClient(client).writePkcs12(dir.resolve("client.p12"), "client", password),
                writeTrustStore(dir.resolve("client-trust.p12"), password));
    }

    /** A TLS client certificate. */
    public Identity tlsClient(String commonName) throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue(commonName, rsa(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of());
    }

    public static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, new SecureRandom());
        return g.generateKeyPair();
    }

    public static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    public static String pem(Object object) {
        try (StringWriter sw = new StringWriter(); JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(object);
            w.flush();
            return sw.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writePem(Writer out, Object object) throws IOException {
        out.write(pem(object));
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                         Instant notBefore, Instant notAfter, boolean isCa, Integer keyUsage,
                                         List<String> dnsNames) throws GeneralSecurityException {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                if ((keyUsage & KeyUsage.keyEncipherment) != 0) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                }
            }
            if (!dnsNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
