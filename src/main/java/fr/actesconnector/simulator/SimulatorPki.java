package fr.actesconnector.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;

import fr.actesconnector.model.Secret;
import fr.actesconnector.signing.TestCertificates;

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
        } catch (IOException | GeneralSecurityException e) {
            throw new SimulatorException("Les certificats de test du simulateur n'ont pas pu être créés dans « " + folder
                    + " » : vérifiez que ce dossier est accessible en écriture.", "cannot create simulator PKI: " + e, e);
        }
    }

    private static Secret password(Path store) throws IOException {
        return Secret.of(Files.readString(passwordFile(store), StandardCharsets.US_ASCII).strip());
    }

    private void create() throws IOException, GeneralSecurityException {
        Instant notBefore = clock.instant().minus(Duration.ofMinutes(5));
        Instant notAfter = notBefore.plus(VALIDITY);
        TestCertificates factory = new TestCertificates(random);
        TestCertificates.Issued ca = factory.authority(
                new X500Name("CN=TdT simulé - autorité de TEST,O=actes-connector TEST,C=FR"), notBefore, notAfter);
        TestCertificates.Issued server = factory.issue(ca, new X500Name("CN=localhost,O=actes-connector TEST,C=FR"),
                TestCertificates.Usage.TLS_SERVER, notBefore, notAfter);
        TestCertificates.Issued client = factory.issue(ca,
                new X500Name("CN=Connecteur actes - client de TEST,O=actes-connector TEST,C=FR"),
                TestCertificates.Usage.TLS_CLIENT, notBefore, notAfter);

        store(factory, folder.resolve(SERVER_KEYSTORE), p -> factory.keyStore("server", server, p));
        store(factory, clientKeystore(), p -> factory.keyStore("client", client, p));
        store(factory, truststore(), p -> factory.trustStore("ca", ca.certificate(), p));
        store(factory, folder.resolve(CLIENT_TRUST), p -> factory.trustStore("ca", ca.certificate(), p));
    }

    private interface StoreBytes {
        byte[] build(char[] password) throws GeneralSecurityException;
    }

    private static void store(TestCertificates factory, Path file, StoreBytes bytes) throws IOException, GeneralSecurityException {
        String password = factory.password();
        byte[] content = bytes.build(password.toCharArray());
        TestCertificates.write(passwordFile(file), true, out -> out.write((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        TestCertificates.write(file, true, out -> out.write(content));
    }
}
