package fr.actesconnector.signing;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * Key material that cannot be used, a document that cannot be signed or read, or (as
 * {@link SignatureNotVerifiedException}) a signature that does not verify. Never carries a password.
 */
public class SigningException extends ActesException {

    public SigningException(Reason reason, String userMessage, String logMessage) {
        super(reason, userMessage, logMessage);
    }

    public SigningException(Reason reason, String userMessage, String logMessage, Throwable cause) {
        super(reason, userMessage, logMessage, cause);
    }

    static SigningException invalid(String userMessage, String logMessage) {
        return new SigningException(Reason.INVALID_INPUT, userMessage, logMessage);
    }

    static SigningException invalid(String userMessage, String logMessage, Throwable cause) {
        return new SigningException(Reason.INVALID_INPUT, userMessage, logMessage, cause);
    }
}
