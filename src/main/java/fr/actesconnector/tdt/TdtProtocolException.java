package fr.actesconnector.tdt;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** The TdT answered something that is not its documented API reply (HTML page, garbage, bad JSON). */
public class TdtProtocolException extends ActesException {
    public TdtProtocolException(String userMessage, String logMessage) {
        this(userMessage, logMessage, null);
    }

    public TdtProtocolException(String userMessage, String logMessage, Throwable cause) {
        super(Reason.UNAVAILABLE, userMessage, logMessage, cause);
    }
}
