package fr.actesconnector.signing;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
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
    public static final String CERTIFICATE_FILE = "signature-demo.pem";
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

    /** The signer's certificate in PEM, beside its key store: read to check validity without opening the store. */
    public Path certificatePem() {
        return folder.resolve(CERTIFICATE_FILE);
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
        } catch (IOException | GeneralSecurityException e) {
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
            // The PEM copy answers "still valid?" at a fraction of a key store load (the demo is timed).
            X509Certificate certificate = Files.isRegularFile(certificatePem()) ? readPem(certificatePem())
                    : SigningKey.load(config).certificate();
            Instant now = clock.instant();
            if (now.isBefore(certificate.getNotAfter().toInstant()) && !now.isBefore(certificate.getNotBefore().toInstant())) {
                return Optional.of(config);
            }
            LOG.info("Demo signing certificate in {} is no longer valid; creating a new one", folder);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("Demo signing certificate in {} is unusable ({}); creating a new one", folder, e.getMessage());
        }
        return Optional.empty();
    }

    private SigningConfig create(String holder) throws IOException, GeneralSecurityException {
        Instant notBefore = clock.instant().minus(Duration.ofMinutes(5)); // tolerate a slightly late clock elsewhere
        Instant notAfter = notBefore.plus(VALIDITY);
        TestCertificates factory = new TestCertificates(random);
        TestCertificates.Issued ca = factory.authority(name(holder + " - autorité de TEST"), notBefore,
                notAfter.plus(Duration.ofDays(1)));
        TestCertificates.Issued signer = factory.issue(ca, name(holder + " - certificat de TEST"),
                TestCertificates.Usage.SIGNING, notBefore, notAfter);

        String password = factory.password();
        byte[] store = factory.keyStore(ALIAS, signer, password.toCharArray());
        TestCertificates.write(passwordFile(), true, out -> out.write((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        TestCertificates.write(keystore(), true, out -> out.write(store));
        writePem(caCertificate(), ca.certificate());
        writePem(certificatePem(), signer.certificate());
        LOG.info("Created demo signing certificate '{}' in {}, valid until {}", Certificates.subject(signer.certificate()),
                folder, notAfter);
        return new SigningConfig(keystore(), Secret.of(password), Optional.of(ALIAS));
    }

    private static void writePem(Path file, X509Certificate certificate) throws IOException, GeneralSecurityException {
        TestCertificates.write(file, false, out -> {
            try (Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII);
                 JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(certificate);
            }
        });
    }

    private static X509Certificate readPem(Path file) throws IOException, GeneralSecurityException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "FR")
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }
}
