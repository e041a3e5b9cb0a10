package fr.actesconnector.protocol;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A message could not be written: either it breaks the ACTES schema (the findings say where,
 * {@link Reason#INVALID_INPUT}) or the file could not be written ({@link Reason#INTERNAL}).
 */
public class MessageWriteException extends ActesException {
    private final List<XmlFinding> findings;

    private MessageWriteException(Reason reason, String userMessage, String logMessage,
                                  List<XmlFinding> findings, Throwable cause) {
        super(reason, userMessage, logMessage, cause);
        this.findings = List.copyOf(findings);
    }

    static MessageWriteException invalid(String target, List<XmlFinding> findings) {
        String list = findings.stream().map(XmlFinding::toString).collect(Collectors.joining("\n"));
        return new MessageWriteException(Reason.INVALID_INPUT,
                "Le message « " + target + " » ne respecte pas le schéma ACTES et n'a pas été produit :\n"
                        + list + "\nCorrigez les données de l'acte indiquées puis recommencez.",
                "message " + target + " breaks the ACTES schema: " + findings.size() + " finding(s)",
                findings, null);
    }

    static MessageWriteException io(String target, Throwable cause) {
        return new MessageWriteException(Reason.INTERNAL,
                "Impossible d'écrire le message « " + target + " » : vérifiez l'espace disque et les droits sur le "
                        + "dossier de travail.",
                "cannot write message " + target + ": " + cause, List.of(), cause);
    }

    /** Schema findings when the message was refused; empty for an I/O failure. */
    public List<XmlFinding> findings() {
        return findings;
    }
}
