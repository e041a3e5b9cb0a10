package fr.actesconnector.signing;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A detached signature that matches its document.
 *
 * @param signerSubject        the signer certificate's subject, RFC 2253
 * @param signingTime          the signed signing-time attribute, when the signature has one
 * @param certificateNotBefore start of the certificate's validity
 * @param certificateNotAfter  end of the certificate's validity
 * @param certificate          the signer's certificate
 * @param chainTrusted         true when the certificate was checked against trust anchors
 */
public record VerifiedSignature(String signerSubject, Optional<Instant> signingTime, Instant certificateNotBefore,
                                Instant certificateNotAfter, X509Certificate certificate, boolean chainTrusted) {
    public VerifiedSignature {
        Objects.requireNonNull(signerSubject, "signerSubject");
        Objects.requireNonNull(signingTime, "signingTime");
        Objects.requireNonNull(certificateNotBefore, "certificateNotBefore");
        Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
        Objects.requireNonNull(certificate, "certificate");
    }
}
