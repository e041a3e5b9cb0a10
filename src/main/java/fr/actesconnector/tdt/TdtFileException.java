package fr.actesconnector.tdt;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** A local file of an exchange with the TdT could not be read (upload) or written (download). */
public class TdtFileException extends ActesException {
    public TdtFileException(Reason reason, String userMessage, String logMessage, Throwable cause) {
        super(reason, userMessage, logMessage, cause);
    }
}
