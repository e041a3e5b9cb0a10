package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.TestPki;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningKeyTest {
    private static final String WRONG = "mauvais-secret-99";

    private TestPki pki;
    private TestPki.Identity rsa;

    @TempDir
    Path dir;

    @BeforeAll
    void pki() throws Exception {
        pki = new TestPki("CA Keys");
        rsa = pki.signer("Jean Maire");
    }

    private SigningException refused(SigningConfig config) {
        SigningException e = assertThrows(SigningException.class, () -> SigningKey.load(config));
        assertEquals(Reason.INVALID_INPUT, e.reason());
        assertFalse(e.userMessage().contains(SigningFixtures.PASSWORD) || e.userMessage().contains(WRONG));
        assertFalse(e.getMessage().contains(SigningFixtures.PASSWORD) || e.getMessage().contains(WRONG));
        return e;
    }

    @Test
    void loadsKeyAndChain() throws Exception {
        SigningKey key = SigningKey.load(SigningFixtures.keystore(rsa, dir, "ok"));
        assertEquals(rsa.certificate(), key.certificate());
        assertEquals(rsa.chain(), key.chain());
        assertEquals("SHA256withRSA", key.signatureAlgorithm());
        assertEquals("SigningKey[C=FR,O=actes-connector TEST,CN=Jean Maire]", key.toString());
    }

    @Test
    void aliasIsMatchedIgnoringCase() throws Exception {
        SigningConfig config = SigningFixtures.keystore(rsa, dir, "alias");
        SigningKey key = SigningKey.load(new SigningConfig(config.keystore(), config.password(), Optional.of("SIGNATAIRE")));
        assertEquals(rsa.certificate(), key.certificate());
    }

    @Test
    void missingKeystore() {
        SigningException e = refused(new SigningConfig(dir.resolve("absent.p12"), Secret.of(SigningFixtures.PASSWORD)));
        assertTrue(e.userMessage().contains("est introuvable"), e.userMessage());
        assertTrue(e.userMessage().contains("signature.keystore"), e.userMessage());
    }

    @Test
    void wrongPassword() throws Exception {
        SigningConfig good = SigningFixtures.keystore(rsa, dir, "pw");
        SigningException e = refused(new SigningConfig(good.keystore(), Secret.of(WRONG)));
        assertTrue(e.userMessage().contains("mot de passe du fichier de signature"), e.userMessage());
        assertTrue(e.userMessage().contains("est incorrect"), e.userMessage());
    }

    @Test
    void notAPkcs12File() throws Exception {
        Path text = Files.writeString(dir.resolve("cle.p12"), "pas une clé");
        SigningException e = refused(new SigningConfig(text, Secret.of(SigningFixtures.PASSWORD)));
        assertTrue(e.userMessage().contains("n'est pas un fichier PKCS#12 valide"), e.userMessage());
    }

    @Test
    void unknownAliasListsTheAvailableOnes() throws Exception {
        SigningConfig good = SigningFixtures.keystore(rsa, dir, "alias2");
        SigningException e = refused(new SigningConfig(good.keystore(), good.password(), Optional.of("maire")));
        assertTrue(e.userMessage().contains("Aucune entrée « maire »"), e.userMessage());
        assertTrue(e.userMessage().contains("« signataire »"), e.userMessage());
    }

    @Test
    void trustStoreWithoutPrivateKey() throws Exception {
        Path store = pki.writeTrustStore(dir.resolve("trust.p12"), SigningFixtures.PASSWORD.toCharArray());
        SigningException e = refused(new SigningConfig(store, Secret.of(SigningFixtures.PASSWORD)));
        assertTrue(e.userMessage().contains("ne contient aucune clé privée"), e.userMessage());
        SigningException byAlias = refused(new SigningConfig(store, Secret.of(SigningFixtures.PASSWORD), Optional.of("ca")));
        assertTrue(byAlias.userMessage().contains("ne contient pas de clé privée"), byAlias.userMessage());
    }

    @Test
    void severalKeysNeedAnAlias() throws Exception {
        TestPki.Identity ec = pki.ecSigner("Anne Adjointe");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("maire", rsa.key(), SigningFixtures.PASSWORD.toCharArray(), rsa.chain().toArray(new Certificate[0]));
        ks.setKeyEntry("adjointe", ec.key(), SigningFixtures.PASSWORD.toCharArray(), ec.chain().toArray(new Certificate[0]));
        Path file = dir.resolve("deux.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, SigningFixtures.PASSWORD.toCharArray());
        }
        SigningException e = refused(new SigningConfig(file, Secret.of(SigningFixtures.PASSWORD)));
        assertTrue(e.userMessage().contains("plusieurs clés"), e.userMessage());
        assertTrue(e.userMessage().contains("signature.alias"), e.userMessage());
        SigningKey chosen = SigningKey.load(new SigningConfig(file, Secret.of(SigningFixtures.PASSWORD), Optional.of("adjointe")));
        assertEquals("SHA256withECDSA", chosen.signatureAlgorithm());
    }

    @Test
    void configRejectsEmptyPasswordAndBlankAlias() {
        ConfigException empty = assertThrows(ConfigException.class, () -> new SigningConfig(dir.resolve("a.p12"), Secret.of("")));
        assertTrue(empty.userMessage().contains("signature.password"));
        ConfigException blank = assertThrows(ConfigException.class,
                () -> new SigningConfig(dir.resolve("a.p12"), Secret.of("x"), Optional.of(" ")));
        assertTrue(blank.userMessage().contains("signature.alias"));
        assertFalse(new SigningConfig(dir.resolve("a.p12"), Secret.of("tres-secret")).toString().contains("tres-secret"));
    }
}
