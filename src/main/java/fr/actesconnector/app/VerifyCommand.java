package fr.actesconnector.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;
import fr.actesconnector.signing.VerifiedSignature;
import fr.actesconnector.signing.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code actes verify --document FILE --signature FILE.p7s [--trust PEM]}: checks a detached CMS
 * signature against its document. Exit 0 when it matches, 1 when it does not verify, 2 when a file
 * is missing or unreadable.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Vérifie une signature détachée (.p7s, CMS/PKCS#7) d'un document.")
public final class VerifyCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int NOT_VERIFIED = 1;
    static final int INVALID_INPUT = 2;
    static final int INTERNAL = 70;

    private static final Logger LOG = LoggerFactory.getLogger(VerifyCommand.class);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm:ss (xxx)");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    @Spec
    private CommandSpec spec;

    @Option(names = "--document", required = true, paramLabel = "FICHIER", description = "Le document signé.")
    private Path document;

    @Option(names = "--signature", required = true, paramLabel = "FICHIER.p7s",
            description = "La signature détachée, en DER ou en PEM.")
    private Path signature;

    @Option(names = "--trust", paramLabel = "PEM",
            description = "Certificats des autorités de confiance (PEM) ; sans ce fichier, l'émetteur n'est pas vérifié.")
    private Path trust;

    private final Clock clock;

    public VerifyCommand() {
        this(Clock.system(PARIS));
    }

    public VerifyCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<X509Certificate> anchors = trust == null ? List.of() : Verifier.readTrustBundle(trust);
            VerifiedSignature result = new Verifier(clock, anchors).verify(document, signature);
            out.println("Signature valide : le document « " + document.getFileName() + " » est celui qui a été signé.");
            out.println("Signataire : " + result.signerSubject());
            out.println("Date de signature : " + result.signingTime().map(VerifyCommand::dateTime)
                    .orElse("non indiquée dans la signature"));
            out.println("Validité du certificat : du " + date(result.certificateNotBefore()) + " au "
                    + date(result.certificateNotAfter()));
            out.println("Chaîne de confiance : " + (result.chainTrusted()
                    ? "vérifiée avec « " + trust + " »"
                    : "non vérifiée (indiquez --trust pour contrôler l'autorité de certification)"));
            out.flush();
            return OK;
        } catch (ActesException e) {
            // the English cause only: this command must never print a stack trace
            LOG.debug("verify failed: {}", e.getMessage());
            err.println(e.userMessage());
            err.flush();
            return exitCode(e.reason());
        }
    }

    static int exitCode(Reason reason) {
        return switch (reason) {
            case NOT_VERIFIED -> NOT_VERIFIED;
            case INVALID_INPUT -> INVALID_INPUT;
            default -> INTERNAL;
        };
    }

    private static String dateTime(Instant instant) {
        return DATE_TIME.format(instant.atZone(PARIS));
    }

    private static String date(Instant instant) {
        return DATE.format(instant.atZone(PARIS));
    }
}
