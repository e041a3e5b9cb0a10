package fr.actesconnector.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code manifest.json}: every file of the bundle but itself (and its time-stamp token) with its size and
 * SHA-256, and what the bundle is about. Written last; read first by the verifier.
 *
 * @param format    {@value #FORMAT}
 * @param idActe    the acte's IDActe
 * @param createdAt when the bundle was made (ISO-8601 instant)
 * @param files     in zip order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(String format, String idActe, String createdAt, List<Entry> files) {
    public static final String FORMAT = "actes-connector/dossier-de-preuve/1";
    public static final String NAME = "manifest.json";
    /** The RFC 3161 token over the manifest's SHA-256, when a TSA was configured. */
    public static final String TIMESTAMP_NAME = "manifest.tsr";
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One file of the bundle.
     *
     * @param path   its name in the zip
     * @param kind   what it is ({@code archive}, {@code document}, {@code annexe}, {@code signature},
     *               {@code signature-pem}, {@code ar}, {@code stamped_pdf}, {@code bordereau}, {@code courrier}…)
     * @param size   bytes
     * @param sha256 lowercase hex
     * @param signs  for a signature, the path of the signed file
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String path, String kind, long size, String sha256, String signs) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    public Manifest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(createdAt, "createdAt");
        files = List.copyOf(files);
    }

    void writeTo(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    /** Reads a manifest; the caller caps the stream. */
    static Manifest read(InputStream in) throws IOException {
        Manifest m = JSON.readValue(in, Manifest.class);
        if (m == null) throw new IOException("empty manifest");
        return m;
    }

    static ObjectMapper json() {
        return JSON;
    }
}
