package fr.actesconnector.protocol;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.FrenchText;
import fr.actesconnector.model.Reason;

/**
 * An incoming file could not be read as an ACTES message: not well-formed, hostile (DOCTYPE,
 * entities), too large, of the wrong kind, or with a value that cannot be converted (a malformed
 * date). Carries the name of the file as given by the caller.
 */
public class UnreadableMessageException extends ActesException {
    private final String source;

    public UnreadableMessageException(String source, String frenchDetail, String englishDetail, Throwable cause) {
        super(Reason.INVALID_INPUT,
                "Le fichier « " + source + " » n'est pas un message ACTES lisible : " + FrenchText.endSentence(frenchDetail)
                        + " Vérifiez qu'il s'agit bien du fichier XML complet reçu de la préfecture ou du TdT,"
                        + " et demandez-en une nouvelle copie s'il est endommagé.",
                "unreadable ACTES message " + source + ": " + englishDetail,
                cause);
        this.source = source;
    }

    /** Name of the file or stream that could not be read. */
    public String source() {
        return source;
    }
}
