package fr.actesconnector.bundle;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * The file given to {@code verify-bundle} is not a proof bundle, or one that cannot be opened safely
 * (zip-slip names, zip bomb, oversized or duplicate entries): nothing of it was trusted or extracted.
 */
public final class NotABundleException extends ActesException {
    public NotABundleException(String userMessage, String logMessage) {
        super(Reason.INVALID_INPUT, userMessage, logMessage);
    }

    public NotABundleException(String userMessage, String logMessage, Throwable cause) {
        super(Reason.INVALID_INPUT, userMessage, logMessage, cause);
    }
}
