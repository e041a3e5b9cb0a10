package fr.actesconnector.tdt;

import fr.actesconnector.model.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of one TdT account: the client certificate (PKCS#12) and the trust anchors of the
 * TdT's server certificate, as one {@link SSLContext} handed to the transport only (never the JVM's
 * default). Every problem is a {@link ConfigException} in French; passwords are wiped after use.
 */
final class TdtTls {
    private final SSLContext context;
    private final X509Certificate clientCertificate;

    TdtTls(TdtConfig config) {
        Objects.requireNonNull(config, "config");
        KeyStore keyStore = load(config.clientKeystore(), config.clientPassword().reveal(), TdtConfig.KEY_KEYSTORE,
                TdtConfig.KEY_KEYSTORE_PASSWORD);
        this.clientCertificate = clientCertificate(keyStore, config.clientKeystore());
        this.context = sslContext(config, keyStore);
    }

    SSLContext context() {
        return context;
    }

    X509Certificate clientCertificate() {
        return clientCertificate;
    }

    private static KeyStore load(Path file, char[] password, String key, String passwordKey) {
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new ConfigException(badPassword
                    ? passwordKey + " ne permet pas d'ouvrir " + key + " (" + file + ") : mot de passe incorrect."
                    : key + " : fichier introuvable ou illisible (" + file + ") : " + e.getMessage(),
                    "cannot load " + key + " " + file + ": " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " (" + file + ") n'est pas un magasin PKCS#12 ou JKS lisible : " + e.getMessage(),
                    "cannot load " + key + " " + file + ": " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static X509Certificate clientCertificate(KeyStore keyStore, Path file) {
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate c) return c;
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(TdtConfig.KEY_KEYSTORE + " est illisible : " + e.getMessage(), "keystore: " + e);
        }
        throw new ConfigException(TdtConfig.KEY_KEYSTORE + " (" + file + ") ne contient aucune clé "
                + "privée avec son certificat : exportez le certificat client avec sa clé (fichier .p12).",
                "no key entry in " + file);
    }

    private static SSLContext sslContext(TdtConfig config, KeyStore keyStore) {
        char[] password = config.clientPassword().reveal();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.truststore().isPresent()) {
                tmf.init(load(config.truststore().get(), config.truststorePassword().orElseThrow().reveal(),
                        TdtConfig.KEY_TRUSTSTORE, TdtConfig.KEY_TRUSTSTORE_PASSWORD));
            } else {
                tmf.init((KeyStore) null); // the JDK's default trust
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("La clé privée de " + TdtConfig.KEY_KEYSTORE + " ne s'ouvre pas avec "
                    + TdtConfig.KEY_KEYSTORE_PASSWORD + " : la clé doit avoir le même mot de passe que le fichier.",
                    "cannot recover client key: " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Impossible de préparer la connexion TLS au TdT : " + e.getMessage(), "TLS setup: " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
