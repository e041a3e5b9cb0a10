package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.actesconnector.signing.SignatureNotVerifiedException.Failure;
import fr.actesconnector.testing.TestPki;

/** Reading a {@code .p7s} file: the forms accepted, the size bound, and files that are not signatures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetachedSignatureTest {
    @TempDir
    Path dir;
    private DetachedSignature signature;

    @BeforeAll
    void sign(@TempDir Path docs) throws Exception {
        Path doc = SigningFixtures.document(docs, "acte.pdf", 1_000, 3);
        signature = new Signer(SigningFixtures.key(new TestPki("CA Lecture").signer("Jean Maire")), SigningFixtures.now()).sign(doc);
    }

    private Failure refused(String name, byte[] content) throws Exception {
        Path file = Files.write(dir.resolve(name), content);
        return assertThrows(SignatureNotVerifiedException.class, () -> DetachedSignature.read(file)).failure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS7", "CMS", "PKCS #7 SIGNED DATA"})
    void theThreePemLabelsOfACmsSignatureAreRead(String label) throws Exception {
        Path file = Files.writeString(dir.resolve("signature.pem"), signature.pem().replace("PKCS7", label));
        assertEquals(signature, DetachedSignature.read(file));
    }

    @Test
    void aPemOfAnotherKindIsRefused() throws Exception {
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("cle.pem",
                signature.pem().replace("PKCS7", "PRIVATE KEY").getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anEmptyFileIsACorruptSignature() throws Exception {
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("vide.p7s", new byte[0]));
    }

    /** The footer right after the header, no body between: a malformed armour, not a crash. */
    @Test
    void anArmourWithoutBodyIsACorruptSignature() throws Exception {
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("sans-corps.pem",
                "-----BEGIN PKCS7-----END PKCS7-----".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("corps-vide.pem",
                "-----BEGIN PKCS7-----\n-----END PKCS7-----\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("sans-fin.pem",
                "-----BEGIN PKCS7-----\nMIIB\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A file of exactly the bound is still read (a PEM padded with blanks); one byte more is refused unread. */
    @Test
    void aFileOfExactlyTheSizeBoundIsReadAndOneByteMoreIsNot() throws Exception {
        byte[] pem = signature.pem().getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[(int) DetachedSignature.MAX_FILE_SIZE];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(pem, 0, padded, 0, pem.length);
        assertArrayEquals(signature.der(), DetachedSignature.read(Files.write(dir.resolve("limite.pem"), padded)).der());

        byte[] over = java.util.Arrays.copyOf(padded, padded.length + 1);
        over[over.length - 1] = ' ';
        assertEquals(Failure.CORRUPT_SIGNATURE, refused("trop-gros.pem", over));
    }
}
