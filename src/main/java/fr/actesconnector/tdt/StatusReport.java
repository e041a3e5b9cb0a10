package fr.actesconnector.tdt;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Answer of {@code actes_transac_get_status.php}: the status code, the return flow stored for that
 * status (ARActe at 4, AnomalieActe / AnomalieEnveloppe at -1, ARAnnulation at 0) as the exact
 * bytes received, and the TdT's message that follows it at -1. Read the XML through the
 * protocol package's hardened reader ({@link #openXml()}).
 */
public final class StatusReport {
    private final int code;
    private final byte[] xml;
    private final String message;

    public StatusReport(int code, byte[] xml, String message) {
        this.code = code;
        this.xml = Objects.requireNonNull(xml, "xml").clone();
        this.message = Objects.requireNonNull(message, "message");
    }

    public int code() {
        return code;
    }

    /** Known status; empty for a code this version does not know. */
    public Optional<TdtStatus> status() {
        return TdtStatus.ofCode(code);
    }

    public String label() {
        return TdtStatus.labelOf(code);
    }

    public boolean hasXml() {
        return xml.length > 0;
    }

    /** The XML payload as received (usually ISO-8859-1 declared in its prolog); empty array if none. */
    public byte[] xmlBytes() {
        return xml.clone();
    }

    public Optional<InputStream> openXml() {
        return hasXml() ? Optional.of(new ByteArrayInputStream(xml)) : Optional.empty();
    }

    /** The TdT's text after the XML (at -1: "Enveloppe invalide : …", "Anomalie signalee par le MI : …"). */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusReport r && r.code == code && Arrays.equals(r.xml, xml) && r.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, Arrays.hashCode(xml), message);
    }

    @Override
    public String toString() {
        return "StatusReport[" + code + " " + label() + ", xml=" + xml.length + " bytes, message=" + message + "]";
    }
}
