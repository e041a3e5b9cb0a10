package fr.actesconnector.app.web;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import fr.actesconnector.model.ConfigException;

/**
 * The page's own HTTPS: the key and certificate chain of {@code web.tls.keystore} (PKCS#12) as an
 * {@link SSLContext} for the server only, never the JVM's default. Problems are {@link ConfigException}s
 * in French; the password is wiped after use.
 */
final class PageTls {
    private final SSLContext context;
    private final X509Certificate certificate;

    PageTls(WebConfig.Tls tls) {
        char[] password = tls.password().reveal();
        try {
            KeyStore store = KeyStore.getInstance(tls.keystore().toFile(), password);
            this.certificate = certificate(store, tls);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            this.context = ssl;
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
            throw new ConfigException(badPassword
                    ? "web.tls.password ne permet pas d'ouvrir web.tls.keystore (" + tls.keystore() + ") : mot de passe incorrect."
                    : "web.tls.keystore : fichier illisible (" + tls.keystore() + ") : " + e.getMessage(),
                    "cannot load web.tls.keystore " + tls.keystore() + ": " + e);
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("La clé privée de web.tls.keystore ne s'ouvre pas avec web.tls.password : la clé doit "
                    + "avoir le même mot de passe que le fichier.", "cannot recover the page's TLS key: " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("web.tls.keystore (" + tls.keystore() + ") n'est pas un fichier PKCS#12 utilisable : "
                    + e.getMessage(), "cannot use web.tls.keystore " + tls.keystore() + ": " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    SSLContext context() {
        return context;
    }

    /** A French warning when the certificate is not (or no longer) valid: browsers would refuse the page. */
    Optional<String> validityWarning(Instant now) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return Optional.of("Le certificat HTTPS de la page (web.tls.keystore) a expiré le "
                    + Pages.DAY.format(certificate.getNotAfter().toInstant().atZone(java.time.ZoneId.systemDefault()))
                    + " : les navigateurs refuseront la page ; remplacez-le.");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return Optional.of("Le certificat HTTPS de la page (web.tls.keystore) n'est pas encore valable : vérifiez "
                    + "l'horloge de cette machine ou le certificat.");
        }
        return Optional.empty();
    }

    private static X509Certificate certificate(KeyStore store, WebConfig.Tls tls) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) return c;
        }
        throw new ConfigException("web.tls.keystore (" + tls.keystore() + ") ne contient aucune clé privée avec son "
                + "certificat : exportez le certificat du serveur avec sa clé (fichier .p12).",
                "no key entry in web.tls.keystore " + tls.keystore());
    }
}
