package fr.actesconnector.journal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/** The ARActe of an acte as received, its DateReception and when the connector recorded it. */
public record Acknowledgement(String arActeXml, LocalDate dateReception, Instant recordedAt) {
    public Acknowledgement {
        Objects.requireNonNull(arActeXml, "arActeXml");
        Objects.requireNonNull(dateReception, "dateReception");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
