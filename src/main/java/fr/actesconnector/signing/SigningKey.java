package fr.actesconnector.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate and the chain the keystore holds for it (signer first).
 * {@link #toString()} shows the certificate subject only.
 */
public final class SigningKey {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    public SigningKey(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the signer's certificate");
        }
        signatureAlgorithm(privateKey);
    }

    /**
     * Opens the PKCS#12 file of {@code config}.
     *
     * @throws SigningException (INVALID_INPUT) when the file is missing or unreadable, the password
     *                          is wrong, the alias is unknown or the entry holds no private key
     */
    public static SigningKey load(SigningConfig config) {
        Objects.requireNonNull(config, "config");
        Path file = config.keystore();
        KeyStore store = open(file, config);
        try {
            String alias = chooseAlias(store, config);
            char[] password = config.password().reveal();
            Key key;
            try {
                key = store.getKey(alias, password);
            } catch (UnrecoverableKeyException e) {
                throw SigningException.invalid("La clé privée « " + alias + " » du fichier de signature « " + file
                        + " » ne s'ouvre pas avec le mot de passe signature.password ; indiquez le mot de passe de la clé.",
                        "private key entry '" + alias + "' of " + file + " cannot be recovered with the keystore password", e);
            } finally {
                Arrays.fill(password, '\0');
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw SigningException.invalid("L'entrée « " + alias + " » du fichier de signature « " + file
                        + " » ne contient pas de clé privée ; choisissez dans signature.alias une entrée qui en contient une.",
                        "entry '" + alias + "' of " + file + " holds no private key");
            }
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certificates = store.getCertificateChain(alias);
            if (certificates != null) {
                for (Certificate c : certificates) {
                    if (c instanceof X509Certificate x) {
                        chain.add(x);
                    }
                }
            }
            if (chain.isEmpty()) {
                throw SigningException.invalid("La clé « " + alias + " » du fichier de signature « " + file
                        + " » n'est accompagnée d'aucun certificat X.509 ; refaites le fichier PKCS#12 avec le certificat.",
                        "entry '" + alias + "' of " + file + " has no X.509 certificate");
            }
            try {
                signatureAlgorithm(privateKey);
            } catch (IllegalArgumentException e) {
                throw SigningException.invalid("La clé « " + alias + " » du fichier de signature « " + file
                        + " » est de type " + privateKey.getAlgorithm() + " ; seules les clés RSA et ECDSA sont prises en charge.",
                        "unsupported key algorithm " + privateKey.getAlgorithm() + " in " + file, e);
            }
            return new SigningKey(privateKey, chain);
        } catch (GeneralSecurityException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » ne peut pas être lu comme un PKCS#12 ; "
                    + "vérifiez signature.keystore.", "cannot read key entry of " + file + ": " + e, e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The signer's certificate first, then its issuers as far as the keystore has them. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** JCA name of the signature algorithm for this key: SHA-256 with RSA (PKCS#1 v1.5) or ECDSA. */
    String signatureAlgorithm() {
        return signatureAlgorithm(privateKey);
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    @Override
    public String toString() {
        return "SigningKey[" + certificate().getSubjectX500Principal().getName() + "]";
    }

    private static KeyStore open(Path file, SigningConfig config) {
        if (!Files.exists(file)) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » est introuvable ; "
                    + "vérifiez le chemin indiqué dans signature.keystore.", "signing keystore not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw SigningException.invalid("« " + file + " » n'est pas un fichier ; signature.keystore doit désigner "
                    + "le fichier PKCS#12 (.p12 ou .pfx) de signature.", "signing keystore is not a regular file: " + file);
        }
        char[] password = config.password().reveal();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » est introuvable ; "
                    + "vérifiez le chemin indiqué dans signature.keystore.", "signing keystore not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » n'est pas lisible par ce programme ; "
                    + "donnez-lui le droit de lecture.", "signing keystore not readable: " + file, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw SigningException.invalid("Le mot de passe du fichier de signature « " + file + " » est incorrect ; "
                        + "vérifiez signature.password.", "wrong password for signing keystore " + file, e);
            }
            throw SigningException.invalid("Le fichier de signature « " + file + " » n'est pas un fichier PKCS#12 valide "
                    + "(ou il est endommagé) ; indiquez dans signature.keystore le fichier .p12 ou .pfx fourni avec le certificat.",
                    "cannot load PKCS#12 " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » n'est pas un fichier PKCS#12 valide ; "
                    + "indiquez dans signature.keystore le fichier .p12 ou .pfx fourni avec le certificat.",
                    "cannot load PKCS#12 " + file + ": " + e, e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static String chooseAlias(KeyStore store, SigningConfig config) throws GeneralSecurityException {
        Path file = config.keystore();
        List<String> aliases = Collections.list(store.aliases());
        if (config.alias().isPresent()) {
            String wanted = config.alias().get();
            // PKCS#12 aliases are case-insensitive (the JDK lower-cases them)
            for (String alias : aliases) {
                if (alias.equalsIgnoreCase(wanted)) {
                    return alias;
                }
            }
            throw SigningException.invalid("Aucune entrée « " + wanted + " » dans le fichier de signature « " + file
                    + " » ; corrigez signature.alias (entrées présentes : " + describe(aliases) + ").",
                    "alias '" + wanted + "' not found in " + file + " (aliases: " + aliases + ")");
        }
        List<String> keyAliases = new ArrayList<>();
        for (String alias : aliases) {
            if (store.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (keyAliases.isEmpty()) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » ne contient aucune clé privée "
                    + "(seulement des certificats) ; indiquez le fichier PKCS#12 qui contient la clé du signataire.",
                    "no private key entry in " + file);
        }
        if (keyAliases.size() > 1) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » contient plusieurs clés ("
                    + describe(keyAliases) + ") ; indiquez laquelle utiliser dans signature.alias.",
                    "several private keys in " + file + ": " + keyAliases);
        }
        return keyAliases.get(0);
    }

    private static String describe(List<String> aliases) {
        return aliases.isEmpty() ? "aucune" : "« " + String.join(" », « ", aliases) + " »";
    }
}
