package fr.actesconnector.signing;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;

/**
 * Where the signing key lives: a PKCS#12 file ({@code signature.keystore}), its password
 * ({@code signature.password}, normally given through the environment) and, when the file holds
 * several keys, the alias to use ({@code signature.alias}).
 */
public record SigningConfig(Path keystore, Secret password, Optional<String> alias) {

    public SigningConfig {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
        if (password.isEmpty()) {
            throw new ConfigException("signature.password est vide : indiquez le mot de passe du fichier PKCS#12 "
                    + "de signature (de préférence par la variable d'environnement prévue).",
                    "signature.password is empty");
        }
        if (alias.isPresent() && alias.get().isBlank()) {
            throw new ConfigException("signature.alias est vide : indiquez le nom de la clé dans le fichier PKCS#12, "
                    + "ou retirez ce paramètre s'il ne contient qu'une clé.", "signature.alias is blank");
        }
    }

    /** A keystore holding a single private key. */
    public SigningConfig(Path keystore, Secret password) {
        this(keystore, password, Optional.empty());
    }
}
