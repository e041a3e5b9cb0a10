package fr.actesconnector.simulator;

import fr.actesconnector.model.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TEST certificates of a local simulator, made once in a folder: a CA, a server certificate for
 * {@code localhost} / 127.0.0.1, a client PKCS#12 for the connector, and trust stores. The CA key
 * is not kept. Passwords are random and written in owner-only files beside the stores, never printed.
 */
public final class SimulatorPki {
    public static final String SERVER_KEYSTORE = "simulator-server.p12";
    public static final String CLIENT_TRUST = "simulator-client-trust.p12";
    public static final String CLIENT_KEYSTORE = "connector-client.p12";
    public static final String TRUSTSTORE = "connector-truststore.p12";
    public static final String PASSWORD_SUFFIX = ".password";
    private static final Duration VALIDITY = Duration.ofDays(825);

    private final Path folder;
    private final Clock clock;
    private final SecureRandom random;

    public SimulatorPki(Path folder, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new SecureRandom();
    }

    public Path clientKeystore() {
        return folder.resolve(CLIENT_KEYSTORE);
    }

    /** Trust store of the connector: the simulator's CA. */
    public Path truststore() {
        return folder.resolve(TRUSTSTORE);
    }

    public static Path passwordFile(Path store) {
        return store.resolveSibling(store.getFileName() + PASSWORD_SUFFIX);
    }

    /** The simulator's TLS settings, creating the certificates at the first call. */
    public SimulatorTls ensure() {
        try {
            if (!Files.isRegularFile(folder.resolve(SERVER_KEYSTORE)) || !Files.isRegularFile(clientKeystore())
                    || !Files.isRegularFile(truststore()) || !Files.isRegularFile(folder.resolve(CLIENT_TRUST))) {
                Files.createDirectories(folder);
                create();
            }
            return new SimulatorTls(folder.resolve(SERVER_KEYSTORE), password(folder.resolve(SERVER_KEYSTORE)),
                    folder.resolve(CLIENT_TRUST), password(folder.resolve(CLIENT_TRUST)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new SimulatorException("Les certificats de test du simulateur n'ont pas pu être créés dans « " + folder
                    + " » : vérifiez que ce dossier est accessible en écriture.", "cannot create simulator PKI: " + e, e);
        }
    }

    private static Secret password(Path store) throws IOException {
        return Secret.of(Files.readString(passwordFile(store), StandardCharsets.US_ASCII).strip());
    }

    private void create() throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant notBefore = clock.instant().minus(Duration.ofMinutes(5));
        Instant notAfter = notBefore.plus(VALIDITY);
        KeyPair caKeys = rsa();
        X500Name caName = new X500Name("CN=TdT simulé - autorité de TEST,O=actes-connector TEST,C=FR");
        X509Certificate ca = certificate(caName, caKeys, caName, caKeys.getPrivate(), notBefore, notAfter, true, false);
        KeyPair serverKeys = rsa();
        X509Certificate server = certificate(new X500Name("CN=localhost,O=actes-connector TEST,C=FR"), serverKeys, caName,
                caKeys.getPrivate(), notBefore, notAfter, false, true);
        KeyPair clientKeys = rsa();
        X509Certificate client = certificate(new X500Name("CN=Connecteur actes - client de TEST,O=actes-connector TEST,C=FR"),
                clientKeys, caName, caKeys.getPrivate(), notBefore, notAfter, false, false);

        writeKeyStore(folder.resolve(SERVER_KEYSTORE), "server", serverKeys.getPrivate(), new Certificate[]{server, ca});
        writeKeyStore(clientKeystore(), "client", clientKeys.getPrivate(), new Certificate[]{client, ca});
        writeTrustStore(truststore(), ca);
        writeTrustStore(folder.resolve(CLIENT_TRUST), ca);
    }

    private void writeKeyStore(Path file, String alias, PrivateKey key, Certificate[] chain)
            throws IOException, GeneralSecurityException {
        String password = randomPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, key, password.toCharArray(), chain);
        store(file, ks, password);
    }

    private void writeTrustStore(Path file, X509Certificate ca) throws IOException, GeneralSecurityException {
        String password = randomPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        store(file, ks, password);
    }

    private void store(Path file, KeyStore ks, String password) throws IOException, GeneralSecurityException {
        write(passwordFile(file), out -> out.write((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        write(file, out -> ks.store(out, password.toCharArray()));
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException, GeneralSecurityException;
    }

    /** Owner-only file (where POSIX permissions exist), written through a temporary file. */
    private void write(Path file, Content content) throws IOException, GeneralSecurityException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp", attributes);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private X509Certificate certificate(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean ca, boolean server)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        }
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
        return g.generateKeyPair();
    }

    private String randomPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
