package fr.actesconnector.inbox;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** The mail server (IMAP or SMTP) could not be reached, refused the login or failed; may be retried. */
public class MailException extends ActesException {
    MailException(String userMessage, String logMessage, Throwable cause) {
        super(Reason.UNAVAILABLE, userMessage, logMessage, cause);
    }
}
