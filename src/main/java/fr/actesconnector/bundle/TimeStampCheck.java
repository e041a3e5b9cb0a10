package fr.actesconnector.bundle;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * Checks an RFC 3161 time-stamp token (DER ContentInfo) over a SHA-256 digest: the imprint is the
 * digest, the token is signed by the certificate it carries (ESS signing certificate bound, time-stamping
 * extended key usage, valid at the time given). The authority is named, not checked against a trust list.
 */
final class TimeStampCheck {
    record Result(Instant time, String authority) {
        Result {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(authority, "authority");
        }
    }

    private TimeStampCheck() {
    }

    static Result check(byte[] token, byte[] sha256) {
        TimeStampToken t;
        try {
            t = new TimeStampToken(new CMSSignedData(token));
        } catch (Exception e) {
            throw failed("Le jeton d'horodatage (manifest.tsr) n'est pas un jeton RFC 3161 lisible.", "unreadable token: " + e, e);
        }
        TimeStampTokenInfo info = t.getTimeStampInfo();
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())
                || !MessageDigest.isEqual(info.getMessageImprintDigest(), sha256)) {
            throw failed("Le jeton d'horodatage ne porte pas l'empreinte du manifeste : manifest.json a été modifié "
                    + "après son horodatage.", "token imprint differs from the manifest's SHA-256", null);
        }
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> certs = t.getCertificates().getMatches(t.getSID());
        if (certs.isEmpty()) {
            throw failed("Le jeton d'horodatage ne contient pas le certificat de l'autorité : il ne peut pas être vérifié "
                    + "hors ligne.", "no TSA certificate in the token", null);
        }
        X509CertificateHolder cert = certs.iterator().next();
        try {
            t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
        } catch (Exception e) {
            throw failed("La signature du jeton d'horodatage est invalide (" + e.getMessage() + ") : le jeton a été altéré.",
                    "token signature does not verify: " + e, e);
        }
        return new Result(info.getGenTime().toInstant(), cert.getSubject().toString());
    }

    private static ActesException failed(String user, String log, Throwable cause) {
        return new ActesException(Reason.NOT_VERIFIED, user, log, cause);
    }
}
