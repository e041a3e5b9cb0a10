package fr.actesconnector.app;

import fr.actesconnector.model.Reason;

/** The CLI's exit codes, relied on by scripts. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Verification failed (signature, certificate). */
    public static final int NOT_VERIFIED = 1;
    /** Invalid input or configuration: nothing was written or sent. */
    public static final int INVALID_INPUT = 2;
    /** The TdT refused (KO). */
    public static final int REFUSED = 3;
    /** Transport or authentication failure. */
    public static final int UNAVAILABLE = 4;
    /** Unexpected internal error. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    public static int of(Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> INVALID_INPUT;
            case REFUSED -> REFUSED;
            case UNAVAILABLE -> UNAVAILABLE;
            case NOT_VERIFIED -> NOT_VERIFIED;
            case INTERNAL -> INTERNAL;
        };
    }
}
