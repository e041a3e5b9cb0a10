package fr.actesconnector.protocol;

import fr.actesconnector.protocol.jaxb.ObjectFactory;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import jakarta.xml.bind.util.JAXBSource;
import org.glassfish.jaxb.runtime.marshaller.NamespacePrefixMapper;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.sax.SAXSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes ACTES messages as the generated JAXB classes of
 * {@code fr.actesconnector.protocol.jaxb} ({@code Acte}, {@code ARActe}, {@code EnveloppeCLMISILL}…).
 * <p>
 * Writing: ISO-8859-1 bytes under {@code <?xml version="1.0" encoding="ISO-8859-1"?>}, prefixes
 * {@code actes}, {@code insee}, {@code xsi} declared on the root, {@code xsi:schemaLocation} as S²LOW
 * writes it, indented; the {@code …Validated} variants refuse anything the project schema rejects.
 * Text must already be transliterated to Latin-1 ({@code model.Latin1Text}): a character outside
 * it would be written as a character reference, which the schema (Latin-1 only) refuses.
 * <p>
 * Reading: through {@link SafeXml}, leniently (no schema validation, unknown elements ignored,
 * unknown codes kept as text); a value that cannot be converted (a malformed date or number) makes
 * the message unreadable rather than silently null.
 * <p>
 * Immutable and thread-safe; the {@link JAXBContext} is shared, marshallers are made per call.
 */
public final class ActesXml {
    public static final String ACTES_NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216";
    public static final String INSEE_NS = "http://xml.insee.fr/schema";
    /** Value of {@code xsi:schemaLocation} on every message written. */
    public static final String SCHEMA_LOCATION = ACTES_NS + " actesv1_1.xsd";
    public static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>";

    private static final String PREFIX_MAPPER_PROPERTY = "org.glassfish.jaxb.namespacePrefixMapper";

    private static final JAXBContext CONTEXT = createContext();
    private static final NamespacePrefixMapper PREFIXES = new ActesPrefixes();

    private final SafeXml reader;

    /** Reads with the default {@link SafeXml} limits. */
    public ActesXml() {
        this(new SafeXml());
    }

    public ActesXml(SafeXml reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code message} (a generated root object) to {@code out}, which stays open. */
    public void write(Object message, OutputStream out) {
        marshal(message, out, false, rootName(message).getLocalPart());
    }

    /** As {@link #write(Object, OutputStream)}, refusing a message the project schema rejects. */
    public void writeValidated(Object message, OutputStream out) {
        marshal(message, out, true, rootName(message).getLocalPart());
    }

    /** Writes {@code message} to {@code file} atomically (temporary file, then move). */
    public void write(Object message, Path file) {
        writeFile(message, file, false);
    }

    /** As {@link #write(Object, Path)}, refusing a message the project schema rejects. */
    public void writeValidated(Object message, Path file) {
        writeFile(message, file, true);
    }

    private void writeFile(Object message, Path file, boolean validate) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString();
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                marshal(message, out, validate, name);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw MessageWriteException.io(name, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void marshal(Object message, OutputStream out, boolean validate, String target) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(out, "out");
        rootName(message); // fails fast on an object that is not a message
        if (validate) {
            // before writing anything, so a refused message leaves no half-written output
            List<XmlFinding> findings = validateProduced(message, target);
            if (!findings.isEmpty()) {
                throw MessageWriteException.invalid(target, findings);
            }
        }
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, StandardCharsets.ISO_8859_1.name());
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            marshaller.setProperty(Marshaller.JAXB_SCHEMA_LOCATION, SCHEMA_LOCATION);
            marshaller.setProperty(PREFIX_MAPPER_PROPERTY, PREFIXES);
            // JAXB's own declaration adds standalone="yes"; we write the exact S²LOW one instead
            marshaller.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
            out.write((XML_DECLARATION + "\n").getBytes(StandardCharsets.ISO_8859_1));
            marshaller.marshal(message, out);
            out.write('\n');
            out.flush();
        } catch (IOException | JAXBException e) {
            throw MessageWriteException.io(target, e);
        }
    }

    private static List<XmlFinding> validateProduced(Object message, String target) {
        try {
            return Schemas.validateProduced(new JAXBSource(CONTEXT, message));
        } catch (JAXBException | SAXException | IOException e) {
            throw MessageWriteException.io(target, e);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a message file; returns the root object ({@code ARActe}, {@code AnomalieActe}…). */
    public Object read(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString();
        try (InputStream in = SafeXml.open(file)) {
            return read(in, name);
        } catch (IOException e) {
            throw SafeXml.unreadable(name, e);
        }
    }

    /** Reads a message file that must be of type {@code expected}. */
    public <T> T read(Path file, Class<T> expected) {
        return expect(read(file), expected, file.getFileName().toString());
    }

    /** Reads a message from {@code in} (left open) as its declaration says; {@code name} appears in messages. */
    public Object read(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        return unmarshal(reader.source(in, name), name);
    }

    /**
     * Reads a message held in memory, in the encoding its bytes are really in ({@link XmlEncoding}): UTF-8
     * bytes declared ISO-8859-1 give « Société », not « SociÃ©tÃ© ».
     */
    public Object read(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(name, "name");
        return unmarshal(reader.source(bytes, name), name);
    }

    private static Object unmarshal(SAXSource source, String name) {
        try {
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            unmarshaller.setEventHandler(LENIENT);
            Object root = unmarshaller.unmarshal(source);
            return root instanceof JAXBElement<?> element ? element.getValue() : root;
        } catch (UnmarshalException e) {
            if (e.getLinkedException() == null && e.getCause() == null) {
                // JAXB's own complaint (in English), e.g. a root element that is not an ACTES message
                Matcher root = JAXB_ELEMENT.matcher(String.valueOf(e.getMessage()));
                throw new UnreadableMessageException(name, "ce n'est pas un message ACTES connu"
                        + (root.find() ? " (élément racine « " + root.group(1) + " »)" : ""),
                        "not an ACTES message: " + e.getMessage(), e);
            }
            throw SafeXml.unreadable(name, e);
        } catch (JAXBException e) {
            throw SafeXml.unreadable(name, e);
        }
    }

    /** The local name JAXB quotes in « unexpected element (uri:"…", local:"x") ». */
    private static final Pattern JAXB_ELEMENT = Pattern.compile("local:\"([^\"]{1,100})\"");

    /** Reads a message from {@code in} that must be of type {@code expected}. */
    public <T> T read(InputStream in, String name, Class<T> expected) {
        return expect(read(in, name), expected, name);
    }

    /** Reads a message held in memory ({@link #read(byte[], String)}) that must be of type {@code expected}. */
    public <T> T read(byte[] bytes, String name, Class<T> expected) {
        return expect(read(bytes, name), expected, name);
    }

    /** Qualified name of the root element {@code message} is written as, e.g. {@code actes:ARActe}. */
    public static QName rootName(Object message) {
        Objects.requireNonNull(message, "message");
        QName name = CONTEXT.createJAXBIntrospector().getElementName(message);
        if (name == null) {
            throw new IllegalArgumentException("not an ACTES root element: " + message.getClass().getName());
        }
        return name;
    }

    private static <T> T expect(Object root, Class<T> expected, String name) {
        if (!expected.isInstance(root)) {
            String actual = rootName(root).getLocalPart();
            throw new UnreadableMessageException(name,
                    "il contient un message " + actual + " alors qu'un message " + expected.getSimpleName() + " était attendu",
                    "root " + actual + " where " + expected.getSimpleName() + " was expected", null);
        }
        return expected.cast(root);
    }

    /**
     * Unknown or misplaced elements are skipped (a newer prefecture may add some); a value that does
     * not convert (linked exception: bad date, bad number) or a fatal error stops the reading.
     */
    private static final ValidationEventHandler LENIENT = event ->
            event.getSeverity() == ValidationEvent.WARNING
                    || (event.getSeverity() == ValidationEvent.ERROR && event.getLinkedException() == null);

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot build the JAXB context of the ACTES classes", e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the write already failed with its own exception; a stray temp file is the lesser issue
        }
    }

    /** Fixed prefixes, all declared on the root like the ministry's and S²LOW's files. */
    private static final class ActesPrefixes extends NamespacePrefixMapper {
        @Override
        public String getPreferredPrefix(String namespaceUri, String suggestion, boolean requirePrefix) {
            return switch (namespaceUri) {
                case ACTES_NS -> "actes";
                case INSEE_NS -> "insee";
                case XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI -> "xsi";
                default -> suggestion;
            };
        }

        @Override
        public String[] getPreDeclaredNamespaceUris() {
            return new String[] {ACTES_NS, INSEE_NS, XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI};
        }
    }
}
