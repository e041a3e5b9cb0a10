package fr.actesconnector.protocol;

import fr.actesconnector.model.Violation;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The project's ACTES schema ({@code xsd/actes.xsd} + {@code xsd/insee.xsd}, carried in the jar
 * under {@code /xsd/}) and validation of documents against it, or against another schema file
 * (tests compare with the ministry's). Validation reads through {@link SafeXml} and reports every
 * finding, not only the first.
 */
public final class Schemas {
    /** Classpath location of the project schema's entry point. */
    public static final String PROJECT_SCHEMA_RESOURCE = "/xsd/actes.xsd";

    /** A {@link Schema} is immutable and thread-safe: one for the JVM. */
    private static final Schema PROJECT = loadProject();

    private Schemas() {
    }

    /** The project schema. */
    public static Schema project() {
        return PROJECT;
    }

    /**
     * Loads a schema file (and the files it imports, on the local file system only), e.g. the
     * ministry's {@code actesv1_1.xsd}.
     */
    public static Schema load(Path xsd) {
        Objects.requireNonNull(xsd, "xsd");
        if (!Files.isRegularFile(xsd)) {
            throw new UnreadableMessageException(xsd.toString(), "le schéma est introuvable", "schema not found", null);
        }
        try {
            return newSchemaFactory("file").newSchema(xsd.toUri().toURL());
        } catch (IOException | SAXException e) {
            throw new UnreadableMessageException(xsd.toString(), "le schéma XSD est invalide : " + e.getMessage(),
                    "invalid schema", e);
        }
    }

    /** Validates a file against the project schema. */
    public static List<XmlFinding> validate(Path file) {
        return validate(PROJECT, file, new SafeXml());
    }

    /** Validates a stream against the project schema; {@code name} appears in messages. */
    public static List<XmlFinding> validate(InputStream in, String name) {
        return validate(PROJECT, in, name, new SafeXml());
    }

    /** Validates a file against {@code schema}, reading it through {@code reader}. */
    public static List<XmlFinding> validate(Schema schema, Path file, SafeXml reader) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString();
        try (InputStream in = SafeXml.open(file)) {
            return validate(schema, in, name, reader);
        } catch (IOException e) {
            throw SafeXml.unreadable(name, e);
        }
    }

    /**
     * Validates {@code in} against {@code schema}. Schema violations come back as findings, all of
     * them (empty list: valid). A document that is not well-formed, hostile or oversized input and
     * I/O failures throw {@link UnreadableMessageException} instead: there is nothing to validate.
     */
    public static List<XmlFinding> validate(Schema schema, InputStream in, String name, SafeXml reader) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(reader, "reader");
        Collector findings = new Collector();
        Validator validator = newValidator(schema, findings);
        SAXSource source = reader.source(in, name);
        try {
            validator.validate(source);
        } catch (SAXException | IOException e) {
            // not well-formed, hostile or too large: there is no document to validate
            throw SafeXml.unreadable(name, e);
        }
        return List.copyOf(findings.findings);
    }

    /**
     * Validates a source the connector produced itself (a {@code JAXBSource} of a message about to
     * be written) against the project schema. Findings have no line: the message is not text yet.
     */
    static List<XmlFinding> validateProduced(Source produced) throws SAXException, IOException {
        Collector findings = new Collector();
        newValidator(PROJECT, findings).validate(produced);
        return List.copyOf(findings.findings);
    }

    private static Validator newValidator(Schema schema, Collector findings) {
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new XmlSecurityException("validator external access", e);
        }
        setFrenchMessagesQuietly(validator);
        validator.setErrorHandler(findings);
        return validator;
    }

    /** Findings reach the secretariat: French when the JDK's validator can; English otherwise. */
    private static void setFrenchMessagesQuietly(Validator validator) {
        try {
            validator.setProperty(XERCES_LOCALE, Locale.FRENCH);
        } catch (SAXException e) {
            // cosmetic only (unlike the security settings above): the findings stay in English
        }
    }

    private static final String XERCES_LOCALE = "http://apache.org/xml/properties/locale";

    private static Schema loadProject() {
        URL url = Schemas.class.getResource(PROJECT_SCHEMA_RESOURCE);
        if (url == null) {
            throw new IllegalStateException("project schema missing from the classpath: " + PROJECT_SCHEMA_RESOURCE);
        }
        try {
            // "jar" when running from actes.jar, "file" from target/classes in the build
            return newSchemaFactory("file,jar").newSchema(url);
        } catch (SAXException e) {
            throw new IllegalStateException("project schema " + url + " does not compile", e);
        }
    }

    private static SchemaFactory newSchemaFactory(String allowedSchemaProtocols) {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, allowedSchemaProtocols);
        } catch (SAXException e) {
            throw new XmlSecurityException("schema factory external access", e);
        }
        return factory;
    }

    /** Records every error and warning; a fatal error ends validation with its exception. */
    private static final class Collector implements ErrorHandler {
        private final List<XmlFinding> findings = new ArrayList<>();

        @Override
        public void warning(SAXParseException e) {
            findings.add(finding(Violation.Severity.WARNING, e));
        }

        @Override
        public void error(SAXParseException e) {
            findings.add(finding(Violation.Severity.ERROR, e));
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }

        private static XmlFinding finding(Violation.Severity severity, SAXParseException e) {
            return new XmlFinding(severity, e.getLineNumber(), e.getColumnNumber(), String.valueOf(e.getMessage()));
        }
    }
}
