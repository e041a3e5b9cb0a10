package fr.actesconnector.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;

/**
 * The demo's signing identity: a self-signed TEST CA and a signer it issued, kept in a PKCS#12 in
 * the demo's folder with a random password beside it (owner-only files where POSIX permissions
 * exist). Created at the first run, reused afterwards, re-created once no longer valid. Never for
 * real actes: every subject says TEST.
 */
public final class DemoCertificate {
    public static final String KEYSTORE_FILE = "signature-demo.p12";
    public static final String PASSWORD_FILE = "signature-demo.password";
    public static final String CA_FILE = "signature-demo-ca.pem";
    public static final String ALIAS = "signature-demo";
    public static final Duration VALIDITY = Duration.ofDays(730);

    private static final Logger LOG = LoggerFactory.getLogger(DemoCertificate.class);
    private static final String ORGANISATION = "actes-connector - démonstration TEST";

    private final Path folder;
    private final Clock clock;
    private final SecureRandom random;

    public DemoCertificate(Path folder, Clock clock) {
        this(folder, clock, new SecureRandom());
    }

    public DemoCertificate(Path folder, Clock clock, SecureRandom random) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Path keystore() {
        return folder.resolve(KEYSTORE_FILE);
    }

    public Path passwordFile() {
        return folder.resolve(PASSWORD_FILE);
    }

    /** The CA certificate in PEM, usable as {@code signature.trust} or {@code openssl -CAfile}. */
    public Path caCertificate() {
        return folder.resolve(CA_FILE);
    }

    /**
     * Returns the demo's signing config, creating the certificate for {@code holder} (e.g. "Commune de
     * Houdan") when the folder has none yet or the existing one is no longer valid.
     */
    public SigningConfig ensure(String holder) {
        Objects.requireNonNull(holder, "holder");
        Optional<SigningConfig> existing = existing();
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Files.createDirectories(folder);
            return create(holder);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new SigningException(Reason.INTERNAL, "Le certificat de démonstration n'a pas pu être créé dans « "
                    + folder + " » ; vérifiez que ce dossier est accessible en écriture.",
                    "cannot create demo certificate in " + folder + ": " + e, e);
        }
    }

    private Optional<SigningConfig> existing() {
        if (!Files.isRegularFile(keystore()) || !Files.isRegularFile(passwordFile())) {
            return Optional.empty();
        }
        try {
            SigningConfig config = new SigningConfig(keystore(),
                    Secret.of(Files.readString(passwordFile(), StandardCharsets.US_ASCII).strip()),
                    Optional.of(ALIAS));
            X509Certificate certificate = SigningKey.load(config).certificate();
            Instant now = clock.instant();
            if (now.isBefore(certificate.getNotAfter().toInstant()) && !now.isBefore(certificate.getNotBefore().toInstant())) {
                return Optional.of(config);
            }
            LOG.info("Demo signing certificate in {} is no longer valid; creating a new one", folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Demo signing certificate in {} is unusable ({}); creating a new one", folder, e.getMessage());
        }
        return Optional.empty();
    }

    private SigningConfig create(String holder) throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant notBefore = clock.instant().minus(Duration.ofMinutes(5)); // tolerate a slightly late clock elsewhere
        Instant notAfter = notBefore.plus(VALIDITY);
        KeyPair caKeys = rsaKeyPair();
        X500Name caName = name(holder + " - autorité de TEST");
        X509Certificate ca = certificate(caName, caKeys, caName, caKeys.getPrivate(), notBefore, notAfter.plus(Duration.ofDays(1)), true);
        KeyPair signerKeys = rsaKeyPair();
        X509Certificate signer = certificate(name(holder + " - certificat de TEST"), signerKeys, caName, caKeys.getPrivate(),
                notBefore, notAfter, false);

        String password = randomPassword();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, signerKeys.getPrivate(), password.toCharArray(), new Certificate[]{signer, ca});

        write(passwordFile(), true, out -> out.write((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        write(keystore(), true, out -> store.store(out, password.toCharArray()));
        write(caCertificate(), false, out -> {
            try (Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII);
                 JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(ca);
            }
        });
        LOG.info("Created demo signing certificate '{}' in {}, valid until {}", Certificates.subject(signer), folder, notAfter);
        return new SigningConfig(keystore(), Secret.of(password), Optional.of(ALIAS));
    }

    private X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "FR")
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private X509Certificate certificate(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean ca)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    private String randomPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException, GeneralSecurityException;
    }

    /** Writes through a temporary file (created owner-only for secrets), then moves it into place. */
    private void write(Path file, boolean secret, Content content) throws IOException, GeneralSecurityException {
        boolean posix = secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && Files.getFileStore(folder).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = folder.resolve("." + file.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
        Files.createFile(tmp, attributes);
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
}
