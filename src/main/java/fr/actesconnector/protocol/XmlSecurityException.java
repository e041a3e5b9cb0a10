package fr.actesconnector.protocol;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * The JVM's XML parser refused one of the protections the connector requires (DOCTYPE ban, no
 * external access…). Never ignored: reading untrusted XML without them is not an option.
 */
public class XmlSecurityException extends ActesException {
    XmlSecurityException(String setting, Throwable cause) {
        super(Reason.INTERNAL,
                "Le lecteur XML de cette installation Java ne permet pas d'activer la protection « " + setting
                        + " ». Aucun fichier n'a été lu. Utilisez un JDK 17 standard sans autre bibliothèque XML.",
                "XML parser cannot enable security setting " + setting,
                cause);
    }
}
