package fr.actesconnector.model;

/** Why an operation failed; the CLI maps each reason to one exit code. */
public enum Reason {
    /** The user's input or configuration is wrong; nothing was sent. */
    INVALID_INPUT,
    /** The TdT or the prefecture answered and refused. */
    REFUSED,
    /** Transport, authentication or an unreachable service; the operation may be retried. */
    UNAVAILABLE,
    /** A signature or a certificate did not verify. */
    NOT_VERIFIED,
    /** A bug or an unexpected state of the machine. */
    INTERNAL
}
