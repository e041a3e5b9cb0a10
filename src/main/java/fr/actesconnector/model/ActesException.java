package fr.actesconnector.model;

import java.util.Objects;

/**
 * Root of the connector's exceptions: a {@link Reason}, a French {@link #userMessage()} for the
 * secretariat and an English {@link #getMessage()} for logs. Secrets never appear in either.
 */
public class ActesException extends RuntimeException {
    private final Reason reason;
    private final String userMessage;

    public ActesException(Reason reason, String userMessage, String logMessage) {
        this(reason, userMessage, logMessage, null);
    }

    public ActesException(Reason reason, String userMessage, String logMessage, Throwable cause) {
        super(logMessage, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.userMessage = Objects.requireNonNull(userMessage, "userMessage");
    }

    public Reason reason() {
        return reason;
    }

    /** French sentence for people: what went wrong and what to do. */
    public String userMessage() {
        return userMessage;
    }
}
