package fr.actesconnector.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;

/** The TEST stores must be what the JDK's KeyStore, KeyManager and TrustManager read, with the stated round counts. */
class TestCertificatesTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2028-01-01T00:00:00Z");
    private final TestCertificates factory = new TestCertificates(new SecureRandom());

    @Test
    void aKeyStoreIsOneJdkKeyEntryWithItsChainAndAWorkingKey() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        TestCertificates.Issued client = factory.issue(ca, new X500Name("CN=client de TEST,C=FR"),
                TestCertificates.Usage.TLS_CLIENT, FROM, TO);
        String password = factory.password();
        KeyStore store = load(factory.keyStore("client", client, password.toCharArray()), password);

        assertEquals(List.of("client"), Collections.list(store.aliases()));
        assertTrue(store.isKeyEntry("client"));
        assertEquals(2, store.getCertificateChain("client").length);
        assertEquals(client.certificate(), store.getCertificate("client"));
        assertEquals(ca.certificate(), store.getCertificateChain("client")[1]);
        PrivateKey key = (PrivateKey) store.getKey("client", password.toCharArray());
        assertArrayEquals(client.key().getEncoded(), key.getEncoded());

        Signature sig = Signature.getInstance("SHA256withECDSA");
        sig.initSign(key);
        sig.update(new byte[] {1, 2, 3});
        byte[] signed = sig.sign();
        sig.initVerify(client.certificate());
        sig.update(new byte[] {1, 2, 3});
        assertTrue(sig.verify(signed), "the stored key matches the certificate");
    }

    @Test
    void aTrustStoreIsOneTrustedCertificateEntry() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        String password = factory.password();
        KeyStore store = load(factory.trustStore("ca", ca.certificate(), password.toCharArray()), password);
        assertTrue(store.isCertificateEntry("ca"), "keytool's trusted-certificate marker is present");
        assertEquals(ca.certificate(), store.getCertificate("ca"));
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        javax.net.ssl.X509TrustManager trust = (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
        assertEquals(List.of(ca.certificate()), List.of(trust.getAcceptedIssuers()), "the CA is a TLS trust anchor");
    }

    @Test
    void aWrongPasswordIsRefusedByTheMac() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        byte[] bytes = factory.trustStore("ca", ca.certificate(), "juste".toCharArray());
        assertThrows(IOException.class, () -> load(bytes, "faux"));
    }

    @Test
    void storesUseTheStatedRoundCounts() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        TestCertificates.Issued signer = factory.issue(ca, new X500Name("CN=signataire de TEST,C=FR"),
                TestCertificates.Usage.SIGNING, FROM, TO);
        byte[] bytes = factory.keyStore("s", signer, "pw".toCharArray());
        Pfx pfx = Pfx.getInstance(bytes);
        assertEquals(TestCertificates.PBE_ITERATIONS, pfx.getMacData().getIterationCount().intValue());
        PKCS12PfxPdu pdu = new PKCS12PfxPdu(bytes);
        PKCS12SafeBag keyBag = null;
        for (org.bouncycastle.asn1.pkcs.ContentInfo info : pdu.getContentInfos()) {
            for (PKCS12SafeBag bag : new PKCS12SafeBagFactory(info).getSafeBags()) {
                if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) keyBag = bag;
            }
        }
        assertNotNull(keyBag, "the key is in a shrouded (encrypted) bag");
        PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) keyBag.getBagValue();
        assertEquals(PKCSObjectIdentifiers.id_PBES2, encrypted.getEncryptionAlgorithm().getAlgorithm());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(encrypted.getEncryptionAlgorithm().getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertEquals(TestCertificates.PBE_ITERATIONS, kdf.getIterationCount().intValue());
        assertEquals(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC, pbes2.getEncryptionScheme().getAlgorithm());
    }

    @Test
    void certificatesCarryTheUsageTheirRoleNeeds() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        X509Certificate server = factory.issue(ca, new X500Name("CN=localhost,C=FR"), TestCertificates.Usage.TLS_SERVER, FROM, TO)
                .certificate();
        X509Certificate signer = factory.issue(ca, new X500Name("CN=signataire de TEST,C=FR"), TestCertificates.Usage.SIGNING,
                FROM, TO).certificate();
        server.verify(ca.certificate().getPublicKey());
        assertEquals("EC", server.getPublicKey().getAlgorithm());
        assertTrue(ca.certificate().getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals(-1, server.getBasicConstraints());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertTrue(server.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
        assertTrue(signer.getKeyUsage()[0] && signer.getKeyUsage()[1], "digitalSignature and nonRepudiation");
        assertFalse(signer.getKeyUsage()[5], "a signer cannot sign certificates");
        assertEquals(1, server.getSerialNumber().signum());
    }

    private static KeyStore load(byte[] bytes, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(bytes), password.toCharArray());
        return store;
    }

    @Test
    void eachStoreHasItsOwnRandomMacSalt() throws Exception {
        TestCertificates.Issued ca = factory.authority(new X500Name("CN=CA de TEST,C=FR"), FROM, TO);
        char[] password = factory.password().toCharArray();
        byte[] first = org.bouncycastle.asn1.pkcs.Pfx.getInstance(factory.trustStore("ca", ca.certificate(), password))
                .getMacData().getSalt();
        byte[] second = org.bouncycastle.asn1.pkcs.Pfx.getInstance(factory.trustStore("ca", ca.certificate(), password))
                .getMacData().getSalt();
        assertEquals(20, first.length);
        assertFalse(java.util.Arrays.equals(first, new byte[20]), "not a zero salt");
        assertFalse(java.util.Arrays.equals(first, second), "a new salt for each store");
    }
}
