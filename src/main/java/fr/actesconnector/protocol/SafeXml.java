package fr.actesconnector.protocol;

import fr.actesconnector.model.FrenchText;
import org.w3c.dom.Document;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * The connector's one hardened XML reader: every incoming XML (TdT replies, prefecture messages,
 * e-mail attachments) goes through it.
 * <ul>
 *   <li>any DOCTYPE is rejected, so there are no entities to expand, no external DTD and no external
 *       entity to fetch; external access is also switched off and an entity resolver refuses all;</li>
 *   <li>no XInclude, secure processing on;</li>
 *   <li>the input is capped ({@link #DEFAULT_MAX_BYTES} unless configured) while it streams;</li>
 *   <li>a protection the parser does not support is an {@link XmlSecurityException}, never ignored.</li>
 * </ul>
 * Encoding: the parser honours the BOM and the XML declaration (ISO-8859-1, UTF-8, windows-1252…);
 * without either, UTF-8. Line ends (CRLF) are normalised by XML itself. A stream is read as it declares;
 * a message held in memory ({@link #source(byte[], String)}) is read in the encoding its bytes are
 * really in ({@link XmlEncoding}): UTF-8 declared ISO-8859-1 is read as UTF-8, never as « SociÃ©tÃ© ».
 * The parser's own messages are asked for in French (the JDK's parser has them), as they reach people.
 * <p>
 * Instances are immutable and thread-safe; each thread has its own SAX factory (the JAXP ones are not
 * thread-safe), parsers are created per call.
 */
public final class SafeXml {
    /** 20 MiB: far above any ACTES message (the biggest, a classification, is about 50 KiB). */
    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
    private static final String EXTERNAL_PARAMETER_ENTITIES = "http://xml.org/sax/features/external-parameter-entities";
    private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";
    private static final String XERCES_LOCALE = "http://apache.org/xml/properties/locale";

    private final long maxBytes;

    /** A reader with the {@link #DEFAULT_MAX_BYTES} cap. */
    public SafeXml() {
        this(DEFAULT_MAX_BYTES);
    }

    public SafeXml(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A new namespace-aware SAX reader with every protection on. */
    public XMLReader newXmlReader() {
        try {
            SAXParser parser = SAX_FACTORY.get().newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            XMLReader reader = parser.getXMLReader();
            reader.setEntityResolver(REFUSE_ENTITIES);
            try {
                reader.setProperty(XERCES_LOCALE, Locale.FRENCH);
            } catch (SAXException e) {
                // cosmetic only (unlike the protections above): the parser's messages stay in English
            }
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            throw new XmlSecurityException("SAX parser / external access", e);
        }
    }

    /**
     * A source for JAXB or a validator: the hardened reader over {@code in}, capped. {@code name}
     * is used in locations and messages. The caller closes {@code in}.
     */
    public SAXSource source(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        InputSource input = new InputSource(limit(in));
        input.setSystemId(name);
        return new SAXSource(newXmlReader(), input);
    }

    /**
     * A source over a message held in memory, read in the encoding its bytes are really in
     * ({@link XmlEncoding}), whatever it declares. Same protections and cap as {@link #source(InputStream, String)}.
     */
    public SAXSource source(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(name, "name");
        XmlEncoding encoding = XmlEncoding.of(bytes);
        if (!encoding.mismatch()) {
            return source(new ByteArrayInputStream(bytes), name);
        }
        if (bytes.length > maxBytes) {
            throw unreadable(name, new LimitedInputStream.TooLargeException(maxBytes));
        }
        // a character stream makes the parser disregard the declaration
        InputSource input = new InputSource(new InputStreamReader(new ByteArrayInputStream(bytes), encoding.actual()));
        input.setSystemId(name);
        return new SAXSource(newXmlReader(), input);
    }

    /** {@code in} wrapped so that it fails past {@link #maxBytes()}. */
    public InputStream limit(InputStream in) {
        return new LimitedInputStream(in, maxBytes);
    }

    /** Parses {@code in} into a DOM (namespace-aware, no entity, capped). */
    public Document parse(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        DocumentBuilder builder = newDocumentBuilder();
        InputSource input = new InputSource(limit(in));
        input.setSystemId(name);
        try {
            return builder.parse(input);
        } catch (SAXException | IOException e) {
            throw unreadable(name, e);
        }
    }

    /**
     * A file opened for a parser, buffered: the parser reads a document's first bytes one at a time (its
     * encoding), each a system call on a bare file stream (a third of a small message's validation).
     */
    static InputStream open(Path file) throws IOException {
        return new java.io.BufferedInputStream(Files.newInputStream(file));
    }

    /** Parses a file into a DOM. */
    public Document parse(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = open(file)) {
            return parse(in, file.getFileName().toString());
        } catch (IOException e) {
            throw unreadable(file.getFileName().toString(), e);
        }
    }

    private DocumentBuilder newDocumentBuilder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        domFeature(factory, XMLConstants.FEATURE_SECURE_PROCESSING, true);
        domFeature(factory, DISALLOW_DOCTYPE, true);
        domFeature(factory, EXTERNAL_GENERAL_ENTITIES, false);
        domFeature(factory, EXTERNAL_PARAMETER_ENTITIES, false);
        domFeature(factory, LOAD_EXTERNAL_DTD, false);
        try {
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            setFrenchMessagesQuietly(factory);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setEntityResolver(REFUSE_ENTITIES);
            builder.setErrorHandler(STRICT_ERRORS); // the JDK default would also print to stderr
            return builder;
        } catch (IllegalArgumentException | ParserConfigurationException e) {
            throw new XmlSecurityException("DOM parser / external access", e);
        }
    }

    private static void setFrenchMessagesQuietly(DocumentBuilderFactory factory) {
        try {
            factory.setAttribute(XERCES_LOCALE, Locale.FRENCH);
        } catch (IllegalArgumentException e) {
            // cosmetic only: the parser's messages stay in English
        }
    }

    /**
     * The SAX factory with every protection set, one per thread (a JAXP factory is not thread-safe). Made once:
     * the JDK's factory builds a whole parser to check each feature set, five parsers for one read otherwise.
     */
    private static final ThreadLocal<SAXParserFactory> SAX_FACTORY = ThreadLocal.withInitial(SafeXml::newSaxFactory);

    private static SAXParserFactory newSaxFactory() {
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        saxFeature(factory, XMLConstants.FEATURE_SECURE_PROCESSING, true);
        saxFeature(factory, DISALLOW_DOCTYPE, true);
        saxFeature(factory, EXTERNAL_GENERAL_ENTITIES, false);
        saxFeature(factory, EXTERNAL_PARAMETER_ENTITIES, false);
        saxFeature(factory, LOAD_EXTERNAL_DTD, false);
        return factory;
    }

    private static void saxFeature(SAXParserFactory factory, String feature, boolean value) {
        try {
            factory.setFeature(feature, value);
        } catch (ParserConfigurationException | SAXException e) {
            throw new XmlSecurityException(feature, e);
        }
    }

    private static void domFeature(DocumentBuilderFactory factory, String feature, boolean value) {
        try {
            factory.setFeature(feature, value);
        } catch (ParserConfigurationException e) {
            throw new XmlSecurityException(feature, e);
        }
    }

    private static final ErrorHandler STRICT_ERRORS = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings (none expected without DTD or schema) do not make a message unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    };

    /** Belt and braces: even if a DOCTYPE got through, no entity would ever be fetched. */
    private static final EntityResolver REFUSE_ENTITIES = (publicId, systemId) -> {
        throw new SAXException("external entity refused: " + systemId);
    };

    /**
     * Turns a parsing failure into the French exception, naming the cause people can act on. Looks
     * through wrappers (JAXB, SAX) for the first meaningful cause.
     */
    static UnreadableMessageException unreadable(String name, Throwable failure) {
        LimitedInputStream.TooLargeException tooLarge = find(failure, LimitedInputStream.TooLargeException.class);
        if (tooLarge != null) {
            return new UnreadableMessageException(name,
                    "il dépasse la taille maximale autorisée (" + tooLarge.maxBytes() + " octets)",
                    "larger than " + tooLarge.maxBytes() + " bytes", failure);
        }
        if (find(failure, NoSuchFileException.class) != null) {
            return new UnreadableMessageException(name, "le fichier est introuvable", "file not found", failure);
        }
        CharConversionException encoding = find(failure, CharConversionException.class);
        if (encoding != null) {
            return new UnreadableMessageException(name,
                    "ses octets ne correspondent pas à l'encodage annoncé (ISO-8859-1 ou UTF-8 par défaut)",
                    "bytes do not match the declared encoding: " + encoding.getMessage(), failure);
        }
        SAXParseException parse = find(failure, SAXParseException.class);
        if (parse != null) {
            String message = String.valueOf(parse.getMessage());
            String where = " (ligne " + parse.getLineNumber() + ", colonne " + parse.getColumnNumber() + ")";
            if (message.toUpperCase(Locale.ROOT).contains("DOCTYPE")) {
                return new UnreadableMessageException(name,
                        "il contient une déclaration DOCTYPE" + where + ", refusée pour des raisons de sécurité :"
                                + " un message ACTES n'en comporte jamais",
                        "DOCTYPE refused at " + parse.getLineNumber() + ":" + parse.getColumnNumber(), failure);
            }
            // the parser speaks French (see newXmlReader); its sentence is continued here, so without its full stop
            return new UnreadableMessageException(name,
                    "le XML est mal formé ou incomplet" + where + " : " + FrenchText.withoutFinalStop(message),
                    "not well-formed at " + parse.getLineNumber() + ":" + parse.getColumnNumber()
                            + ": " + message, failure);
        }
        DateTimeParseException date = find(failure, DateTimeParseException.class);
        if (date != null) {
            String text = String.valueOf(date.getParsedString());
            return new UnreadableMessageException(name, "la date « " + text + " » qu'il contient "
                    + FrenchText.whyNotADate(text).orElse("n'est pas au format AAAA-MM-JJ"),
                    "bad date " + text + ": " + date.getMessage(), failure);
        }
        if (find(failure, AccessDeniedException.class) != null) {
            return new UnreadableMessageException(name, "l'accès au fichier est refusé (droits du fichier ou du dossier)",
                    "access denied", failure);
        }
        return new UnreadableMessageException(name, "il n'a pas pu être lu jusqu'au bout",
                "cannot read: " + failure, failure);
    }

    /** First throwable of type {@code type} in the cause chain (SAX wraps through getException). */
    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof SAXException sax) {
                next = sax.getException();
            }
            if (next == null && t instanceof jakarta.xml.bind.JAXBException jaxb) {
                next = jaxb.getLinkedException();
            }
            t = next == t ? null : next;
        }
        return null;
    }
}
