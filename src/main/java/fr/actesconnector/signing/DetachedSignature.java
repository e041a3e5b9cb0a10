package fr.actesconnector.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import fr.actesconnector.model.PemText;
import fr.actesconnector.signing.SignatureNotVerifiedException.Failure;

/**
 * A detached CMS SignedData (the content of a {@code .p7s} file), held as DER. Small: a few
 * kilobytes whatever the size of the signed document.
 */
public final class DetachedSignature {
    /** Armour of {@link #pem()}; OpenSSL's {@code cms} and {@code smime} commands both read it. */
    public static final String PEM_LABEL = PemText.LABEL;

    /** A signature file larger than this is not a signature (probably the document given by mistake). */
    static final long MAX_FILE_SIZE = 4L * 1024 * 1024;


    private final byte[] der;

    private DetachedSignature(byte[] der) {
        this.der = der;
    }

    /** Wraps DER bytes as produced by {@link Signer}; their structure is checked when verifying. */
    public static DetachedSignature ofDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        return new DetachedSignature(der.clone());
    }

    /**
     * Reads a {@code .p7s} file, DER or PEM ({@code -----BEGIN PKCS7-----} or {@code CMS}), or bare base64.
     *
     * @throws SigningException INVALID_INPUT when the file is missing or unreadable;
     *                          {@link SignatureNotVerifiedException} (CORRUPT_SIGNATURE) when it is none of those forms
     */
    public static DetachedSignature read(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] content;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_SIZE) {
                throw corrupt(file, "larger than " + MAX_FILE_SIZE + " bytes", null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes((int) MAX_FILE_SIZE + 1);
            }
        } catch (NoSuchFileException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » est introuvable ; vérifiez son chemin.",
                    "signature file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » n'est pas lisible ; "
                    + "vérifiez ses droits d'accès.", "signature file not readable: " + file, e);
        } catch (IOException e) {
            throw SigningException.invalid("Le fichier de signature « " + file + " » ne peut pas être lu ("
                    + e.getClass().getSimpleName() + ") ; vérifiez qu'il s'agit bien d'un fichier.",
                    "cannot read signature file " + file + ": " + e, e);
        }
        if (content.length > MAX_FILE_SIZE) {
            throw corrupt(file, "larger than " + MAX_FILE_SIZE + " bytes", null);
        }
        return new DetachedSignature(decode(content, file));
    }

    /** The DER encoding, as written to a {@code .p7s} file. */
    public byte[] der() {
        return der.clone();
    }

    /** PEM text with {@code -----BEGIN PKCS7-----} armour and 64-character lines, ending with a newline. */
    public String pem() {
        return PemText.of(der);
    }

    /** Writes the DER to {@code file} through a temporary file, so a reader never sees half a signature. */
    public Path writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        Path tmp = null;
        try {
            // not createTempFile: it would make the signature owner-only, and a signature is public
            tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(der);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            quietlyDelete(tmp);
            throw SigningException.invalid("La signature ne peut pas être écrite dans « " + file + " » ; vérifiez que "
                    + "le dossier existe et que ce programme peut y écrire.", "cannot write signature " + file + ": " + e, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachedSignature s && Arrays.equals(der, s.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "DetachedSignature[" + der.length + " bytes]";
    }

    private static byte[] decode(byte[] content, Path file) {
        // DER SignedData starts with a SEQUENCE tag
        if (content.length > 0 && content[0] == 0x30) {
            return content;
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.startsWith("-----BEGIN ")) {
            int headerEnd = text.indexOf("-----", "-----BEGIN ".length());
            // the footer is looked for after the header: "-----BEGIN PKCS7-----END PKCS7-----" has no body
            int footer = headerEnd < 0 ? -1 : text.indexOf("-----END ", headerEnd + "-----".length());
            if (footer < 0) {
                throw corrupt(file, "malformed PEM armour", null);
            }
            String label = text.substring("-----BEGIN ".length(), headerEnd);
            if (!label.equals("PKCS7") && !label.equals("CMS") && !label.equals("PKCS #7 SIGNED DATA")) {
                throw corrupt(file, "PEM label " + label + " is not a CMS signature", null);
            }
            text = text.substring(headerEnd + "-----".length(), footer);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text);
            if (der.length == 0 || der[0] != 0x30) {
                throw corrupt(file, "neither DER nor PEM", null);
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "neither DER nor PEM", e);
        }
    }

    static SignatureNotVerifiedException corrupt(Path file, String why, Throwable cause) {
        return new SignatureNotVerifiedException(Failure.CORRUPT_SIGNATURE,
                "Le fichier « " + file + " » n'est pas une signature CMS/PKCS#7 lisible (fichier endommagé ou d'un "
                        + "autre type) ; demandez au signataire le fichier .p7s d'origine.",
                "signature file " + file + " is not a CMS SignedData: " + why, cause);
    }

    private static void quietlyDelete(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the temporary file is hidden and harmless; the write failure is what gets reported
        }
    }
}
