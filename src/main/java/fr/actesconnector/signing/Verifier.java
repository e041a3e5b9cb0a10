package fr.actesconnector.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import fr.actesconnector.signing.SignatureNotVerifiedException.Failure;

/**
 * Verifies detached CMS signatures against their document, streaming the document once. Checks, in
 * order: the signature is a CMS SignedData, the document's digest equals the signed one, the
 * signature value, the certificate's validity at the signing time and, when trust anchors are given,
 * the certificate chain (PKIX, without revocation). Thread-safe.
 */
public final class Verifier {
    private static final int BUFFER = 64 * 1024;

    private final Clock clock;
    private final Set<TrustAnchor> trustAnchors;

    /** Checks signatures and certificate dates, not who issued the certificate. */
    public Verifier(Clock clock) {
        this(clock, List.of());
    }

    /** Also requires the signer's certificate to chain up to one of {@code trustAnchors}. */
    public Verifier(Clock clock, List<X509Certificate> trustAnchors) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : trustAnchors) {
            anchors.add(new TrustAnchor(c, null));
        }
        this.trustAnchors = Set.copyOf(anchors);
    }

    /**
     * Reads the certificates of a PEM bundle ({@code signature.trust}); text around the PEM blocks is ignored.
     *
     * @throws SigningException INVALID_INPUT when the file is missing, unreadable or holds no certificate
     */
    public static List<X509Certificate> readTrustBundle(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        List<X509Certificate> certificates = new ArrayList<>();
        // ISO-8859-1 never fails to decode: comments in any charset around the ASCII PEM blocks are harmless
        try (Reader reader = Files.newBufferedReader(pemFile, StandardCharsets.ISO_8859_1);
             PemReader pem = new PemReader(reader)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemObject o; (o = pem.readPemObject()) != null; ) {
                if (o.getType().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(o.getContent())));
                }
            }
        } catch (NoSuchFileException e) {
            throw SigningException.invalid("Le fichier des autorités de confiance « " + pemFile + " » est introuvable ; "
                    + "vérifiez signature.trust.", "trust bundle not found: " + pemFile, e);
        } catch (AccessDeniedException e) {
            throw SigningException.invalid("Le fichier des autorités de confiance « " + pemFile + " » n'est pas lisible ; "
                    + "vérifiez ses droits d'accès.", "trust bundle not readable: " + pemFile, e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw SigningException.invalid("Le fichier des autorités de confiance « " + pemFile + " » n'est pas un fichier "
                    + "PEM de certificats valide ; vérifiez signature.trust.", "cannot read trust bundle " + pemFile + ": " + e, e);
        }
        if (certificates.isEmpty()) {
            throw SigningException.invalid("Le fichier des autorités de confiance « " + pemFile + " » ne contient aucun "
                    + "certificat (-----BEGIN CERTIFICATE-----) ; vérifiez signature.trust.",
                    "no certificate in trust bundle " + pemFile);
        }
        return List.copyOf(certificates);
    }

    /** Reads {@code signatureFile} (DER or PEM) and verifies it against {@code document}. */
    public VerifiedSignature verify(Path document, Path signatureFile) {
        Objects.requireNonNull(signatureFile, "signatureFile");
        Objects.requireNonNull(document, "document");
        requireReadableDocument(document);
        return verify(document, DetachedSignature.read(signatureFile), signatureFile.toString());
    }

    /**
     * @throws SignatureNotVerifiedException (NOT_VERIFIED) with the {@link Failure} found first
     * @throws SigningException              INVALID_INPUT when the document cannot be read
     */
    public VerifiedSignature verify(Path document, DetachedSignature signature) {
        return verify(document, signature, "signature");
    }

    private VerifiedSignature verify(Path document, DetachedSignature signature, String signatureName) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(signature, "signature");
        byte[] der = signature.der();
        CMSSignedData parsed = parse(der, signatureName);
        List<SignerInformation> signers = signers(parsed, signatureName);

        Map<ASN1ObjectIdentifier, byte[]> digests = digest(document, signers, signatureName);
        CMSSignedData withDigests;
        try {
            withDigests = new CMSSignedData(digests, der);
        } catch (CMSException | RuntimeException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), e.toString(), e);
        }
        VerifiedSignature first = null;
        for (SignerInformation signer : signers(withDigests, signatureName)) {
            VerifiedSignature result = verifySigner(withDigests, signer, document, signatureName);
            if (first == null) {
                first = result;
            }
        }
        return first;
    }

    private VerifiedSignature verifySigner(CMSSignedData signed, SignerInformation signer, Path document,
                                           String signatureName) {
        X509Certificate certificate = signerCertificate(signed, signer, signatureName);
        String subject = Certificates.subject(certificate);

        requireSameDigest(signer, document, signatureName);
        requireSigningCertificateBinding(signer, certificate, signatureName);
        try {
            boolean valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate.getPublicKey()));
            if (!valid) {
                throw signatureValueInvalid(subject, signatureName, null);
            }
        } catch (CMSSignerDigestMismatchException e) {
            throw contentMismatch(document, signatureName, e);
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            if (e instanceof SignatureNotVerifiedException s) {
                throw s;
            }
            throw signatureValueInvalid(subject, signatureName, e);
        }

        Optional<Instant> signingTime = signingTime(signer, signatureName);
        Instant at = signingTime.orElseGet(clock::instant);
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (at.isAfter(notAfter) || at.isBefore(notBefore)) {
            String when = signingTime.isPresent() ? "au moment de la signature (" + at + ")" : "aujourd'hui";
            String state = at.isAfter(notAfter) ? "avait expiré le " + Certificates.day(notAfter, clock.getZone())
                    : "n'était pas encore valable (à partir du " + Certificates.day(notBefore, clock.getZone()) + ")";
            throw new SignatureNotVerifiedException(Failure.CERTIFICATE_NOT_VALID_AT_SIGNING_TIME,
                    "Le certificat du signataire « " + subject + " » " + state + " " + when
                            + " : cette signature n'est pas valable ; faites signer à nouveau avec un certificat en cours de validité.",
                    "certificate '" + subject + "' valid " + notBefore + ".." + notAfter + " not valid at " + at);
        }
        boolean trusted = false;
        if (!trustAnchors.isEmpty()) {
            requireTrustedChain(signed, certificate, at);
            trusted = true;
        }
        return new VerifiedSignature(subject, signingTime, notBefore, notAfter, certificate, trusted);
    }

    private static CMSSignedData parse(byte[] der, String signatureName) {
        try {
            CMSSignedData parsed = new CMSSignedData(der);
            if (!parsed.isDetachedSignature() && parsed.getSignedContent() != null
                    && parsed.getSignedContent().getContent() != null) {
                // an attached signature carries its own copy; checking it against another file would mislead
                throw DetachedSignature.corrupt(Path.of(signatureName), "not a detached signature (content encapsulated)", null);
            }
            return parsed;
        } catch (CMSException | RuntimeException e) {
            if (e instanceof SignatureNotVerifiedException s) {
                throw s;
            }
            throw DetachedSignature.corrupt(Path.of(signatureName), e.toString(), e);
        }
    }

    private static List<SignerInformation> signers(CMSSignedData signed, String signatureName) {
        List<SignerInformation> signers;
        try {
            signers = List.copyOf(signed.getSignerInfos().getSigners());
        } catch (RuntimeException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), e.toString(), e);
        }
        if (signers.isEmpty()) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "no SignerInfo", null);
        }
        return signers;
    }

    /** Streams the document once through every digest algorithm the signers used. */
    private static Map<ASN1ObjectIdentifier, byte[]> digest(Path document, List<SignerInformation> signers,
                                                             String signatureName) {
        Map<ASN1ObjectIdentifier, DigestCalculator> calculators = new LinkedHashMap<>();
        try {
            DigestCalculatorProvider provider = new JcaDigestCalculatorProviderBuilder().build();
            for (SignerInformation signer : signers) {
                AlgorithmIdentifier algorithm = signer.getDigestAlgorithmID();
                if (!calculators.containsKey(algorithm.getAlgorithm())) {
                    calculators.put(algorithm.getAlgorithm(), provider.get(algorithm));
                }
            }
        } catch (OperatorCreationException e) {
            throw new SignatureNotVerifiedException(Failure.SIGNATURE_VALUE_INVALID,
                    "La signature « " + signatureName + " » utilise un algorithme d'empreinte non pris en charge ; "
                            + "demandez une signature SHA-256.", "unsupported digest algorithm: " + e, e);
        }
        List<OutputStream> outs = calculators.values().stream().map(DigestCalculator::getOutputStream).toList();
        try (InputStream in = Files.newInputStream(document)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) != -1; ) {
                for (OutputStream out : outs) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw unreadableDocument(document, e);
        }
        Map<ASN1ObjectIdentifier, byte[]> digests = new LinkedHashMap<>();
        calculators.forEach((oid, calculator) -> digests.put(oid, calculator.getDigest()));
        return digests;
    }

    private static void requireSameDigest(SignerInformation signer, Path document, String signatureName) {
        AttributeTable attributes = signer.getSignedAttributes();
        if (attributes == null) {
            return; // no signed attributes: the signature value itself covers the digest
        }
        Attribute messageDigest = attributes.get(CMSAttributes.messageDigest);
        if (messageDigest == null || messageDigest.getAttrValues().size() != 1) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "message-digest attribute missing", null);
        }
        byte[] signedDigest;
        try {
            signedDigest = ASN1OctetString.getInstance(messageDigest.getAttrValues().getObjectAt(0)).getOctets();
        } catch (RuntimeException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "malformed message-digest attribute", e);
        }
        if (!MessageDigest.isEqual(signedDigest, signer.getContentDigest())) {
            throw contentMismatch(document, signatureName, null);
        }
    }

    /** CAdES: when the signed ESS attribute names a certificate, it must be the one found in the signature. */
    private static void requireSigningCertificateBinding(SignerInformation signer, X509Certificate certificate,
                                                         String signatureName) {
        AttributeTable attributes = signer.getSignedAttributes();
        Attribute attribute = attributes == null ? null : attributes.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        if (attribute == null) {
            return;
        }
        boolean matches;
        try {
            ESSCertIDv2 id = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0)).getCerts()[0];
            DigestCalculator calculator = new JcaDigestCalculatorProviderBuilder().build().get(id.getHashAlgorithm());
            try (OutputStream out = calculator.getOutputStream()) {
                out.write(certificate.getEncoded());
            }
            matches = MessageDigest.isEqual(id.getCertHash(), calculator.getDigest());
        } catch (OperatorCreationException | GeneralSecurityException | IOException | RuntimeException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "unreadable signing-certificate-v2 attribute", e);
        }
        if (!matches) {
            String subject = Certificates.subject(certificate);
            throw new SignatureNotVerifiedException(Failure.SIGNATURE_VALUE_INVALID,
                    "La signature « " + signatureName + " » désigne un autre certificat que celui qu'elle contient (« "
                            + subject + " ») : elle a été altérée ; ne vous y fiez pas.",
                    "signing-certificate-v2 hash does not match certificate '" + subject + "' in " + signatureName);
        }
    }

    private static Optional<Instant> signingTime(SignerInformation signer, String signatureName) {
        AttributeTable attributes = signer.getSignedAttributes();
        Attribute attribute = attributes == null ? null : attributes.get(CMSAttributes.signingTime);
        if (attribute == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate().toInstant());
        } catch (RuntimeException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "malformed signing-time attribute", e);
        }
    }

    private static X509Certificate signerCertificate(CMSSignedData signed, SignerInformation signer,
                                                     String signatureName) {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw new SignatureNotVerifiedException(Failure.CORRUPT_SIGNATURE,
                    "La signature « " + signatureName + " » ne contient pas le certificat du signataire ; "
                            + "demandez une signature qui l'inclut.", "signer certificate missing from " + signatureName);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        } catch (GeneralSecurityException e) {
            throw DetachedSignature.corrupt(Path.of(signatureName), "unreadable signer certificate", e);
        }
    }

    private void requireTrustedChain(CMSSignedData signed, X509Certificate certificate, Instant at) {
        for (TrustAnchor anchor : trustAnchors) {
            if (anchor.getTrustedCert().equals(certificate)) {
                return;
            }
        }
        String subject = Certificates.subject(certificate);
        try {
            List<X509Certificate> intermediates = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object holder : signed.getCertificates().getMatches(null)) {
                intermediates.add(converter.getCertificate((X509CertificateHolder) holder));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustAnchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (CertPathBuilderException e) {
            throw new SignatureNotVerifiedException(Failure.UNTRUSTED_CERTIFICATE,
                    "Le certificat du signataire « " + subject + " » n'a pas été émis par une autorité de confiance "
                            + "(signature.trust) ; ajoutez le certificat de son autorité au fichier des autorités "
                            + "si vous lui faites confiance.",
                    "no PKIX path from '" + subject + "' to a trust anchor: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new SigningException(fr.actesconnector.model.Reason.INTERNAL,
                    "La chaîne de certificats n'a pas pu être vérifiée (erreur interne).", "PKIX setup failed: " + e, e);
        }
    }

    private static void requireReadableDocument(Path document) {
        if (!Files.exists(document)) {
            throw SigningException.invalid("Le document « " + document + " » est introuvable ; vérifiez son chemin.",
                    "document not found: " + document);
        }
        if (!Files.isRegularFile(document)) {
            throw SigningException.invalid("« " + document + " » n'est pas un fichier ; indiquez le document signé.",
                    "document is not a regular file: " + document);
        }
    }

    private static SigningException unreadableDocument(Path document, IOException e) {
        if (e instanceof NoSuchFileException) {
            return SigningException.invalid("Le document « " + document + " » est introuvable ; vérifiez son chemin.",
                    "document not found: " + document, e);
        }
        return SigningException.invalid("Le document « " + document + " » ne peut pas être lu ; vérifiez ses droits "
                + "d'accès.", "cannot read document " + document + ": " + e, e);
    }

    private static SignatureNotVerifiedException contentMismatch(Path document, String signatureName, Throwable cause) {
        return new SignatureNotVerifiedException(Failure.CONTENT_MISMATCH,
                "Le document « " + document + " » ne correspond pas à la signature « " + signatureName
                        + " » : il a été modifié depuis la signature, ou ce n'est pas le fichier qui a été signé.",
                "digest of " + document + " differs from the message-digest of " + signatureName, cause);
    }

    private static SignatureNotVerifiedException signatureValueInvalid(String subject, String signatureName,
                                                                       Throwable cause) {
        return new SignatureNotVerifiedException(Failure.SIGNATURE_VALUE_INVALID,
                "La valeur de la signature « " + signatureName + " » est invalide pour le certificat « " + subject
                        + " » : la signature a été altérée ou fabriquée ; ne vous y fiez pas.",
                "signature value of " + signatureName + " does not verify with the key of '" + subject + "'"
                        + (cause == null ? "" : ": " + cause), cause);
    }
}
