package fr.actesconnector.simulator;

import fr.actesconnector.model.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS of the simulator: its server identity (PKCS#12 holding the key and certificate chain) and
 * the trust store of the CAs whose client certificates it accepts. Client authentication is
 * always required, as on S²LOW.
 *
 * @param serverKeystore     PKCS#12 with the server key; the key has the keystore's password
 * @param serverPassword     password of {@code serverKeystore}
 * @param clientTrustStore   PKCS#12 (or JKS) of the accepted client CAs
 * @param clientTrustPassword password of {@code clientTrustStore}
 */
public record SimulatorTls(Path serverKeystore, Secret serverPassword, Path clientTrustStore, Secret clientTrustPassword) {
    public SimulatorTls {
        Objects.requireNonNull(serverKeystore, "serverKeystore");
        Objects.requireNonNull(serverPassword, "serverPassword");
        Objects.requireNonNull(clientTrustStore, "clientTrustStore");
        Objects.requireNonNull(clientTrustPassword, "clientTrustPassword");
    }

    SSLContext sslContext() {
        char[] password = serverPassword.reveal();
        char[] trustPassword = clientTrustPassword.reveal();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KeyStore.getInstance(serverKeystore.toFile(), password), password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(KeyStore.getInstance(clientTrustStore.toFile(), trustPassword));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new SimulatorException("Le simulateur ne peut pas charger ses certificats TLS (" + serverKeystore + ", "
                    + clientTrustStore + ") : vérifiez les fichiers et leurs mots de passe.",
                    "cannot load simulator TLS material: " + e, e);
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(trustPassword, '\0');
        }
    }
}
