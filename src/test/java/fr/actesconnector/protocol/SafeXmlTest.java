package fr.actesconnector.protocol;

import fr.actesconnector.model.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile inputs are refused by every entry point, and nothing outside the input is ever read. */
class SafeXmlTest {
    private static final String NS = "xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\"";
    private static final String SECRET = "TOP-SECRET-7f3a9c";

    @TempDir
    Path dir;
    private Path secretFile;

    @BeforeEach
    void writeSecret() throws IOException {
        secretFile = dir.resolve("secret.txt");
        Files.writeString(secretFile, SECRET, StandardCharsets.US_ASCII);
    }

    /** Every way the project reads XML: JAXB, DOM, validation. */
    private static void eachReader(byte[] input, Consumer<UnreadableMessageException> check) {
        check.accept(assertThrows(UnreadableMessageException.class,
                () -> new ActesXml().read(new ByteArrayInputStream(input), "evil.xml")));
        check.accept(assertThrows(UnreadableMessageException.class,
                () -> new ActesXml().read(input, "evil.xml")));
        check.accept(assertThrows(UnreadableMessageException.class,
                () -> new SafeXml().parse(new ByteArrayInputStream(input), "evil.xml")));
        check.accept(assertThrows(UnreadableMessageException.class,
                () -> Schemas.validate(new ByteArrayInputStream(input), "evil.xml")));
    }

    private static String everything(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text + (e instanceof UnreadableMessageException u ? u.userMessage() : "");
    }

    private void assertRefusedWithoutLeak(String xml) {
        eachReader(xml.getBytes(StandardCharsets.UTF_8), e -> {
            assertEquals(Reason.INVALID_INPUT, e.reason());
            assertTrue(e.userMessage().startsWith("Le fichier « evil.xml » n'est pas un message ACTES lisible : "),
                    e.userMessage());
            assertFalse(everything(e).contains(SECRET), "the secret file was read");
        });
    }

    @Test
    void externalEntityXxeIsRefused() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE actes:Annulation [<!ENTITY xxe SYSTEM \""
                + secretFile.toUri() + "\">]>\n<actes:Annulation " + NS + " actes:IDActe=\"&xxe;\"/>";
        assertRefusedWithoutLeak(xml);
        eachReader(xml.getBytes(StandardCharsets.UTF_8),
                e -> assertTrue(e.userMessage().contains("DOCTYPE"), e.userMessage()));
    }

    @Test
    void etcPasswdXxeIsRefused() {
        assertRefusedWithoutLeak("<!DOCTYPE foo [<!ELEMENT foo ANY><!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<foo>&xxe;</foo>");
    }

    @Test
    void parameterEntityIsRefused() {
        assertRefusedWithoutLeak("<!DOCTYPE foo [<!ENTITY % p SYSTEM \"" + secretFile.toUri() + "\"> %p;]><foo/>");
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><lolz>&lol9;</lolz>");
        long start = System.nanoTime();
        assertRefusedWithoutLeak(dtd.toString());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused at once, not after expanding");
    }

    @Test
    void externalDtdIsNeitherFetchedNorAccepted() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/actes.dtd";
            assertRefusedWithoutLeak("<?xml version=\"1.0\"?><!DOCTYPE actes:Acte SYSTEM \"" + url + "\"><actes:Acte " + NS + "/>");
            server.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, server::accept, "nobody connected to fetch the DTD");
        }
    }

    @Test
    void xincludeIsNotProcessed() {
        String xml = "<doc xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                + secretFile.toUri() + "\" parse=\"text\"/></doc>";
        Document document = new SafeXml().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "x.xml");
        assertFalse(document.getDocumentElement().getTextContent().contains(SECRET));
        assertEquals("include", document.getDocumentElement().getFirstChild().getLocalName());
    }

    @Test
    void truncatedXmlIsRefused() {
        String xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:ARActe " + NS
                + " actes:IDActe=\"078-217803105-20260427-2026_DEC_020-CC\">\n  <actes:ActeRecu";
        eachReader(xml.getBytes(StandardCharsets.ISO_8859_1),
                e -> assertTrue(e.userMessage().contains("mal formé ou incomplet"), e.userMessage()));
    }

    @Test
    void utf8DeclaredIso88591HeldInMemoryIsStillHardened() {
        // the bytes path reads such a message through a character stream: same protections
        String xxe = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE actes:Annulation [<!ENTITY xxe SYSTEM \""
                + secretFile.toUri() + "\">]>\n<actes:Annulation " + NS + " actes:IDActe=\"Société &xxe;\"/>";
        byte[] bytes = xxe.getBytes(StandardCharsets.UTF_8);
        assertTrue(XmlEncoding.of(bytes).mismatch());
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> new ActesXml().read(bytes, "evil.xml"));
        assertTrue(e.userMessage().contains("DOCTYPE"), e.userMessage());
        assertFalse(everything(e).contains(SECRET), "the secret file was read");

        byte[] big = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><actes:DemandeClassification " + NS + "><!--é"
                + "x".repeat(4096) + "--></actes:DemandeClassification>").getBytes(StandardCharsets.UTF_8);
        UnreadableMessageException tooBig = assertThrows(UnreadableMessageException.class,
                () -> new ActesXml(new SafeXml(1024)).read(big, "big.xml"));
        assertTrue(tooBig.userMessage().contains("taille maximale autorisée (1024 octets)"), tooBig.userMessage());
    }

    @Test
    void misdeclaredBytesExactlyAtTheCapAreReadAndTheirErrorsNameTheFile() throws Exception {
        byte[] fits = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Société</a>".getBytes(StandardCharsets.UTF_8);
        assertTrue(XmlEncoding.of(fits).mismatch());
        javax.xml.transform.sax.SAXSource atCap = new SafeXml(fits.length).source(fits, "m.xml");
        atCap.getXMLReader().parse(atCap.getInputSource()); // the cap is the largest size allowed
        byte[] broken = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Société</b>".getBytes(StandardCharsets.UTF_8);
        javax.xml.transform.sax.SAXSource s = new SafeXml().source(broken, "courrier.xml");
        s.getXMLReader().setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws, without printing
        org.xml.sax.SAXParseException e = assertThrows(org.xml.sax.SAXParseException.class,
                () -> s.getXMLReader().parse(s.getInputSource()));
        assertTrue(String.valueOf(e.getSystemId()).endsWith("/courrier.xml"), e.getSystemId());
    }

    @Test
    void theParsersOwnReasonIsInFrenchWithOneFullStop() {
        byte[] unclosed = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<actes:Annulation " + NS + ">\n<a></b>")
                .getBytes(StandardCharsets.ISO_8859_1);
        eachReader(unclosed, e -> {
            assertTrue(e.userMessage().contains("le XML est mal formé ou incomplet (ligne 3, colonne ")
                    && e.userMessage().contains("doit se terminer par la balise de fin correspondante"), e.userMessage());
            assertFalse(e.userMessage().contains("must be terminated"), e.userMessage());
            assertFalse(e.userMessage().contains(".."), e.userMessage());
        });
        eachReader("du texte <actes:Annulation/>".getBytes(StandardCharsets.US_ASCII), e -> {
            assertTrue(e.userMessage().contains("prologue"), e.userMessage());
            assertFalse(e.userMessage().contains("Content is not allowed"), e.userMessage());
        });
    }

    @Test
    void emptyInputIsRefused() {
        eachReader(new byte[0], e -> assertTrue(e.userMessage().contains("evil.xml"), e.userMessage()));
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] latin1WithoutDeclaration = ("<actes:Annulation " + NS + " actes:IDActe=\"Soci\u00e9t\u00e9\"/>")
                .getBytes(StandardCharsets.ISO_8859_1);
        eachReader(latin1WithoutDeclaration, e -> assertTrue(e.userMessage().contains("encodage"), e.userMessage()));
    }

    @Test
    void oversizedInputIsStoppedWhileStreaming() {
        SafeXml small = new SafeXml(1024);
        byte[] big = ("<actes:DemandeClassification " + NS + "><!--" + "x".repeat(4096) + "--></actes:DemandeClassification>")
                .getBytes(StandardCharsets.US_ASCII);
        UnreadableMessageException viaJaxb = assertThrows(UnreadableMessageException.class,
                () -> new ActesXml(small).read(new ByteArrayInputStream(big), "big.xml"));
        assertTrue(viaJaxb.userMessage().contains("taille maximale autorisée (1024 octets)"), viaJaxb.userMessage());
        UnreadableMessageException viaDom = assertThrows(UnreadableMessageException.class,
                () -> small.parse(new ByteArrayInputStream(big), "big.xml"));
        assertTrue(viaDom.userMessage().contains("taille maximale"), viaDom.userMessage());
    }

    @Test
    void endlessInputIsStopped() {
        InputStream endless = new InputStream() {
            private final byte[] head = ("<actes:DemandeClassification " + NS + "><!--").getBytes(StandardCharsets.US_ASCII);
            private long position;

            @Override
            public int read() {
                return position < head.length ? head[(int) position++] : 'x';
            }
        };
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> new ActesXml(new SafeXml(64 * 1024)).read(endless, "endless.xml"));
        assertTrue(e.userMessage().contains("taille maximale"), e.userMessage());
    }

    @Test
    void inputJustUnderTheCapIsRead() {
        byte[] doc = ("<actes:DemandeClassification " + NS + "/>").getBytes(StandardCharsets.US_ASCII);
        Object read = new ActesXml(new SafeXml(doc.length)).read(new ByteArrayInputStream(doc), "ok.xml");
        assertTrue(read instanceof fr.actesconnector.protocol.jaxb.DemandeClassification);
    }

    @Test
    void limitedInputStreamCountsEveryByte() throws IOException {
        try (LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 9)) {
            assertEquals(8, in.read(new byte[8]));
            assertEquals(0, in.read());
            assertThrows(LimitedInputStream.TooLargeException.class, in::read);
        }
        assertThrows(IllegalArgumentException.class, () -> new SafeXml(0));
    }

    /**
     * Every protection of the SAX reader, read back from the reader itself: the behaviour tests above cannot
     * tell one layer from another, since any one of them refuses a hostile input when the others are gone.
     */
    @Test
    void theSaxReaderHasEveryProtectionSwitchedOn() throws Exception {
        org.xml.sax.XMLReader r = new SafeXml().newXmlReader();
        assertTrue(r.getFeature("http://xml.org/sax/features/namespaces"), "namespace-aware");
        assertTrue(r.getFeature("http://apache.org/xml/features/disallow-doctype-decl"), "DOCTYPE refused");
        assertFalse(r.getFeature("http://xml.org/sax/features/external-general-entities"), "no external general entity");
        assertFalse(r.getFeature("http://xml.org/sax/features/external-parameter-entities"), "no external parameter entity");
        assertFalse(r.getFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd"), "no external DTD loaded");
        assertFalse(r.getFeature("http://xml.org/sax/features/validation"), "not validating (the schema does it)");
        assertEquals("", r.getProperty(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD), "no protocol allowed for a DTD");
        assertEquals("", r.getProperty(javax.xml.XMLConstants.ACCESS_EXTERNAL_SCHEMA), "no protocol allowed for a schema");
        org.xml.sax.SAXException refused = assertThrows(org.xml.sax.SAXException.class,
                () -> r.getEntityResolver().resolveEntity(null, secretFile.toUri().toString()), "the entity resolver refuses all");
        assertTrue(refused.getMessage().contains(secretFile.toUri().toString()), refused.getMessage());
    }

    /** The factory is made once per thread: each call still gets a reader of its own, protected, on any thread. */
    @Test
    void eachCallGetsItsOwnProtectedReaderOnEveryThread() throws Exception {
        SafeXml safe = new SafeXml();
        org.xml.sax.XMLReader first = safe.newXmlReader();
        org.xml.sax.XMLReader second = safe.newXmlReader();
        assertFalse(first == second, "a reader is never shared: a parse may be under way on it");
        java.util.concurrent.atomic.AtomicReference<org.xml.sax.XMLReader> other = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> other.set(safe.newXmlReader()));
        t.start();
        t.join();
        for (org.xml.sax.XMLReader r : java.util.List.of(first, second, other.get())) {
            assertTrue(r.getFeature("http://apache.org/xml/features/disallow-doctype-decl"), "DOCTYPE refused");
            assertFalse(r.getFeature("http://xml.org/sax/features/external-general-entities"), "no external entity");
        }
        for (int i = 0; i < 2; i++) assertRefusedWithoutLeak("<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"" + secretFile.toUri()
                + "\">]><foo>&xxe;</foo>");
    }

    @Test
    void aFileThatMayNotBeReadSaysSo() {
        String message = SafeXml.unreadable("x.xml", new IOException("wrapper", new AccessDeniedException("/in/x.xml")))
                .userMessage();
        assertTrue(message.contains("l'accès au fichier est refusé (droits du fichier ou du dossier)"), message);
    }

    @Test
    void theCauseChainIsSearchedTwentyDeepAndNoFurther() {
        Throwable nineteen = new LimitedInputStream.TooLargeException(7);
        for (int i = 0; i < 19; i++) nineteen = new IOException("wrapper " + i, nineteen);
        assertTrue(SafeXml.unreadable("x.xml", nineteen).userMessage().contains("taille maximale autorisée (7 octets)"),
                "found as the 20th link");
        Throwable twenty = new IOException("one more", nineteen);
        assertFalse(SafeXml.unreadable("x.xml", twenty).userMessage().contains("taille maximale"),
                "past 20 links the search gives up (a cause cycle cannot loop)");
    }

    @Test
    void aParseErrorNamesTheFileAsItsSystemId() {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> new SafeXml().parse(new ByteArrayInputStream("<a><b></a>".getBytes(StandardCharsets.US_ASCII)), "courrier.xml"));
        assertTrue(((org.xml.sax.SAXParseException) e.getCause()).getSystemId().endsWith("/courrier.xml"),
                ((org.xml.sax.SAXParseException) e.getCause()).getSystemId());
        UnreadableMessageException viaJaxb = assertThrows(UnreadableMessageException.class,
                () -> new ActesXml().read(new ByteArrayInputStream(("<actes:ARActe " + NS + "><actes:ActeRecu></actes:ARActe>")
                        .getBytes(StandardCharsets.US_ASCII)), "ar.xml"));
        Throwable t = viaJaxb;
        while (t != null && !(t instanceof org.xml.sax.SAXParseException)) {
            t = t instanceof jakarta.xml.bind.JAXBException j && j.getLinkedException() != null ? j.getLinkedException() : t.getCause();
        }
        assertTrue(t != null, "a SAXParseException under " + viaJaxb);
        assertTrue(((org.xml.sax.SAXParseException) t).getSystemId().endsWith("/ar.xml"), ((org.xml.sax.SAXParseException) t).getSystemId());
        assertEquals(SafeXml.DEFAULT_MAX_BYTES, new SafeXml().maxBytes());
        assertEquals(100, new SafeXml(100).maxBytes());
    }

    @Test
    void limitedInputStreamCountsSkippedBytesAndRefusesMarks() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new LimitedInputStream(new ByteArrayInputStream(new byte[1]), 0));
        try (LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 5)) {
            assertFalse(in.markSupported(), "a reset would make the count lie");
            assertEquals(5, in.skip(5));
            assertThrows(LimitedInputStream.TooLargeException.class, () -> in.skip(1), "skipped bytes count");
        }
        try (LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 3)) {
            assertEquals(3, in.read(new byte[10], 0, 10));
            assertEquals(-1, in.read(new byte[10], 0, 10), "the end is not counted");
        }
    }
}
