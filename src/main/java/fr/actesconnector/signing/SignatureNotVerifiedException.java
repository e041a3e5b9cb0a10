package fr.actesconnector.signing;

import java.util.Objects;

import fr.actesconnector.model.Reason;

/** A detached signature that does not verify against its document; {@link #failure()} says why. */
public final class SignatureNotVerifiedException extends SigningException {

    /** The distinct ways a verification fails, each with its own French explanation. */
    public enum Failure {
        /** The document's digest differs from the signed one: altered content, or another file. */
        CONTENT_MISMATCH,
        /** The signature file is not a CMS SignedData (or not a detached one). */
        CORRUPT_SIGNATURE,
        /** The signer's certificate was expired, or not yet valid, at the signing time. */
        CERTIFICATE_NOT_VALID_AT_SIGNING_TIME,
        /** The signature value does not match the signed attributes and the certificate's key. */
        SIGNATURE_VALUE_INVALID,
        /** The certificate does not chain up to one of the configured trust anchors. */
        UNTRUSTED_CERTIFICATE
    }

    private final Failure failure;

    SignatureNotVerifiedException(Failure failure, String userMessage, String logMessage) {
        this(failure, userMessage, logMessage, null);
    }

    SignatureNotVerifiedException(Failure failure, String userMessage, String logMessage, Throwable cause) {
        super(Reason.NOT_VERIFIED, userMessage, logMessage, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public Failure failure() {
        return failure;
    }
}
