package fr.actesconnector.tdt;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * The TdT could not be reached or did not answer usably (I/O error, timeout, 5xx, TLS failure).
 * When {@link #outcomeUnknown()} is true a transmission may or may not have been recorded by the
 * TdT: the caller must keep the acte as "to be looked up" and never simply post it again.
 */
public class TdtUnavailableException extends ActesException {
    private final boolean outcomeUnknown;

    public TdtUnavailableException(String userMessage, String logMessage, Throwable cause) {
        this(userMessage, logMessage, cause, false);
    }

    public TdtUnavailableException(String userMessage, String logMessage, Throwable cause, boolean outcomeUnknown) {
        super(Reason.UNAVAILABLE, userMessage, logMessage, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
