package fr.actesconnector.journal;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** The journal could not be opened, read or written; wraps the SQL cause. */
public class JournalException extends ActesException {
    public JournalException(Reason reason, String userMessage, String logMessage) {
        super(reason, userMessage, logMessage);
    }

    public JournalException(Reason reason, String userMessage, String logMessage, Throwable cause) {
        super(reason, userMessage, logMessage, cause);
    }
}
