package fr.actesconnector.simulator;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** The simulator could not start or prepare its files (port taken, unreadable keystore, classification). */
public final class SimulatorException extends ActesException {
    public SimulatorException(String userMessage, String logMessage, Throwable cause) {
        super(Reason.INTERNAL, userMessage, logMessage, cause);
    }
}
