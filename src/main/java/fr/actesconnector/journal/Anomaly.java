package fr.actesconnector.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An AnomalieActe or AnomalieEnveloppe recorded against an acte, with the XML as received. */
public record Anomaly(String nature, String detail, Optional<String> rawXml, Instant receivedAt) {
    public Anomaly {
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(rawXml, "rawXml");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
