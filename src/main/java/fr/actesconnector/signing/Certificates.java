package fr.actesconnector.signing;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/** Checks a signer's certificate must pass, and how certificates are named in French messages. */
final class Certificates {
    /** A certificate expiring sooner than this is reported, so it can be renewed before it blocks sending. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(90);

    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;

    private Certificates() {
    }

    /** RFC 2253 subject with the attribute order kept, e.g. {@code CN=Jean Dupont,O=Mairie,C=FR}. */
    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    static LocalDate day(Instant instant, ZoneId zone) {
        return LocalDate.ofInstant(instant, zone);
    }

    /**
     * @throws SigningException (INVALID_INPUT) when {@code now} is outside the validity period or the
     *                          key usage forbids signing documents
     */
    static void requireUsableForSigning(X509Certificate certificate, Instant now, ZoneId zone) {
        String subject = subject(certificate);
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            throw SigningException.invalid("Le certificat de signature « " + subject + " » a expiré le "
                    + day(notAfter, zone) + " (valable du " + day(notBefore, zone) + " au " + day(notAfter, zone)
                    + ") ; renouvelez-le auprès de votre autorité de certification et indiquez le nouveau fichier "
                    + "dans signature.keystore.", "signing certificate '" + subject + "' expired on " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw SigningException.invalid("Le certificat de signature « " + subject + " » n'est valable qu'à partir du "
                    + day(notBefore, zone) + " (valable du " + day(notBefore, zone) + " au " + day(notAfter, zone)
                    + ") ; vérifiez l'heure de cet ordinateur ou attendez cette date.",
                    "signing certificate '" + subject + "' not valid before " + notBefore);
        }
        if (!allowsDocumentSigning(certificate)) {
            throw SigningException.invalid("Le certificat « " + subject + " » n'est pas un certificat de signature "
                    + "(usage « signature numérique » ou « non-répudiation » absent) ; utilisez le certificat de signature "
                    + "fourni par votre autorité de certification, pas un certificat d'authentification ou de chiffrement.",
                    "certificate '" + subject + "' has neither digitalSignature nor nonRepudiation key usage");
        }
    }

    /** A French warning when the certificate expires within {@link #EXPIRY_WARNING} of {@code now}. */
    static Optional<String> expiryWarning(X509Certificate certificate, Instant now, ZoneId zone) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isAfter(notAfter) || now.plus(EXPIRY_WARNING).isBefore(notAfter)) {
            return Optional.empty();
        }
        long days = Duration.between(now, notAfter).toDays();
        return Optional.of("Le certificat de signature « " + subject(certificate) + " » expire le " + day(notAfter, zone)
                + " (dans " + days + " jour" + (days > 1 ? "s" : "") + ") ; demandez dès maintenant son renouvellement "
                + "pour ne pas bloquer les envois.");
    }

    /** Without a key usage extension RFC 5280 puts no restriction; with one, a signing bit is required. */
    static boolean allowsDocumentSigning(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        return usage == null || usage[DIGITAL_SIGNATURE] || usage[NON_REPUDIATION];
    }
}
