package fr.actesconnector.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Secret;

/**
 * Run by {@link BigFileIT} in a JVM with a small heap: signs then verifies a large file.
 * Arguments: keystore, password file, document, signature file. Exit 0 when both succeed.
 * With {@code --load-whole-file DOCUMENT}, reads the document into memory instead (the control).
 */
public final class BigFileSigningMain {
    private BigFileSigningMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--load-whole-file")) {
            // control: proves the heap limit bites for an implementation that loads the document
            System.out.println("loaded " + Files.readAllBytes(Path.of(args[1])).length + " bytes");
            return;
        }
        Path keystore = Path.of(args[0]);
        Secret password = Secret.of(Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII).strip());
        Path document = Path.of(args[2]);
        Path signature = Path.of(args[3]);
        Clock clock = Clock.systemUTC();
        try {
            new Signer(new SigningConfig(keystore, password), clock).signTo(document, signature);
            VerifiedSignature verified = new Verifier(clock).verify(document, signature);
            System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory() + " size=" + Files.size(document)
                    + " signer=" + verified.signerSubject());
        } catch (ActesException e) {
            System.err.println(e.userMessage());
            System.exit(1);
        }
    }
}
