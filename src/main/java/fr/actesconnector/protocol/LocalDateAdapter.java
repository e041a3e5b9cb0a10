package fr.actesconnector.protocol;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Maps {@code xs:date} to {@link LocalDate} for the generated classes (see {@code xsd/bindings.xjb}).
 * Writes {@code YYYY-MM-DD}; reads it with or without a time zone ({@code 2026-04-29+02:00}, which
 * {@code xs:date} allows), the zone being dropped because ACTES dates are calendar days.
 */
public final class LocalDateAdapter extends XmlAdapter<String, LocalDate> {

    @Override
    public LocalDate unmarshal(String value) {
        // A null or blank value stays absent; a malformed one throws and the reader turns it into an
        // UnreadableMessageException rather than a silent null.
        if (value == null || value.isBlank()) {
            return null;
        }
        return LocalDate.parse(value.strip(), DateTimeFormatter.ISO_DATE);
    }

    @Override
    public String marshal(LocalDate value) {
        return value == null ? null : value.format(DateTimeFormatter.ISO_LOCAL_DATE);
    }
}
