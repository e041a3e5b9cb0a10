package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TdtRepliesTest {
    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesTheIdOfAnOkReply() {
        assertEquals(4242L, TdtReplies.parseId(latin1("OK\n4242\n\n"), "dépôt"));
        assertEquals(17L, TdtReplies.parseId(latin1("OK\r\n17\r\n"), "dépôt"));
    }

    @Test
    void parsesTheOtherReplyFormOfReponseCreate() {
        assertEquals(88L, TdtReplies.parseId(utf8("OK : id généré : 88\n"), "réponse"));
    }

    @Test
    void refusesAnythingThatIsNotExactlyOkOrKo() {
        assertThrows(TdtProtocolException.class, () -> TdtReplies.parseId(latin1("<html>login</html>"), "dépôt"));
        assertThrows(TdtProtocolException.class, () -> TdtReplies.parseId(latin1("OKAY\n12\n"), "dépôt"));
        assertThrows(TdtProtocolException.class, () -> TdtReplies.parseId(latin1("OK\nabc\n"), "dépôt"));
        assertThrows(TdtProtocolException.class, () -> TdtReplies.parseId(latin1("OK\n"), "dépôt"));
    }

    @Test
    void koInIso88591IsDecoded() {
        TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> TdtReplies.parseId(
                latin1("KO\nUn acte portant le même numéro interne existe déjà\n"), "dépôt"));
        assertEquals("Un acte portant le même numéro interne existe déjà", e.tdtMessage());
        assertTrue(e.userMessage().contains("existe déjà"));
    }

    @Test
    void koInUtf8WithHtmlEntitiesIsDecodedOnSeveralLines() {
        Optional<String> msg = TdtReplies.koMessage(utf8(
                "KO\nL&#039;annexe n°1 : typologie absente&lt;br/&gt;La date de décision est &quot;future&quot; &amp; refusée\n"));
        assertEquals(Optional.of("L'annexe n°1 : typologie absente\nLa date de décision est \"future\" & refusée"), msg);
    }

    @Test
    void doubleEscapedEntitiesAreDecodedOnce() {
        assertEquals("&lt;", TdtReplies.decodeHtml("&amp;lt;"));
    }

    @Test
    void decodesUtf8StrictlyThenFallsBackToLatin1() {
        assertEquals("é", TdtReplies.decode(new byte[]{(byte) 0xC3, (byte) 0xA9}));
        assertEquals("é", TdtReplies.decode(new byte[]{(byte) 0xE9}));
    }

    @Test
    void statusFourCarriesTheArActeBytesAsReceived() {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARActe xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\""
                + " actes:IDActe=\"078-217803105-20260427-2026_DEC_020-CC\" actes:DateReception=\"2026-04-29\">\n"
                + "<actes:Objet>Société</actes:Objet></actes:ARActe>";
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n4\n" + xml), "statut");
        assertEquals(4, r.code());
        assertEquals(Optional.of(TdtStatus.ACQUITTEMENT_RECU), r.status());
        assertArrayEquals(latin1(xml), r.xmlBytes());
        assertEquals("", r.message());
    }

    @Test
    void statusMinusOneSplitsAnomalyXmlFromTheMessage() {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:AnomalieActe xmlns:actes=\"x\" "
                + "actes:IDActe=\"078-217803105-20260427-2026_DEC_020-CC\"><actes:Detail>Objet trop long</actes:Detail></actes:AnomalieActe>";
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n-1\n" + xml + "Anomalie signalee par le MI : 1 - Objet trop long\n"), "statut");
        assertEquals(-1, r.code());
        assertTrue(r.status().orElseThrow().isError());
        assertArrayEquals(latin1(xml), r.xmlBytes());
        assertEquals("Anomalie signalee par le MI : 1 - Objet trop long", r.message());
    }

    @Test
    void statusMinusOneWithoutXmlIsAllMessage() {
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n-1\nEnveloppe invalide : typologie non autorisée"), "statut");
        assertFalse(r.hasXml());
        assertEquals("Enveloppe invalide : typologie non autorisée", r.message());
    }

    @Test
    void pendingStatusHasNoPayload() {
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n2\n"), "statut");
        assertEquals(2, r.code());
        assertEquals("En attente de transmission", r.label());
        assertFalse(r.hasXml());
    }

    @Test
    void statusKoIsARefusal() {
        assertThrows(TdtRefusedException.class, () -> TdtReplies.parseStatus(utf8("KO\nAccès refusé"), "statut"));
        assertThrows(TdtProtocolException.class, () -> TdtReplies.parseStatus(latin1("OK\nquatre\n"), "statut"));
    }

    @Test
    void aStatusWithoutTrailingNewlineIsRead() {
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n4"), "statut");
        assertEquals(4, r.code());
        assertFalse(r.hasXml());
    }

    /** An empty root element ({@code <x/>}) ends the XML there; what follows is the message. */
    @Test
    void anEmptyRootElementEndsTheXml() {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:ARActe xmlns:actes=\"x\""
                + " actes:IDActe=\"078-217803105-20260427-2026_DEC_020-CC\" actes:DateReception=\"2026-04-29\"/>";
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n4\n" + xml), "statut");
        assertArrayEquals(latin1(xml), r.xmlBytes());
        assertEquals("", r.message());
        StatusReport withMessage = TdtReplies.parseStatus(latin1("OK\n-1\n<actes:AnomalieActe/>Objet trop long"), "statut");
        assertArrayEquals(latin1("<actes:AnomalieActe/>"), withMessage.xmlBytes());
        assertEquals("Objet trop long", withMessage.message());
    }

    /** A payload cut after its XML declaration: kept whole as the XML, no crash. */
    @Test
    void aPayloadCutAfterItsDeclarationIsKeptWhole() {
        String cut = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>  ";
        StatusReport r = TdtReplies.parseStatus(latin1("OK\n4\n" + cut), "statut");
        assertEquals(4, r.code());
        assertArrayEquals(latin1(cut), r.xmlBytes());
    }
}
