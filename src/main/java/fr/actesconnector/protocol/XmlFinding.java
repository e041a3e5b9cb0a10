package fr.actesconnector.protocol;

import fr.actesconnector.model.Violation;

import java.util.Objects;

/**
 * One schema finding: where (line and column, -1 when unknown, e.g. while writing from objects)
 * and the validator's message.
 */
public record XmlFinding(Violation.Severity severity, int line, int column, String message) {
    public XmlFinding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Violation.Severity.ERROR;
    }

    /** As a model {@link Violation} about {@code field} (typically the file name). */
    public Violation toViolation(String field) {
        return new Violation(field, toString(), severity);
    }

    @Override
    public String toString() {
        return line < 0 ? message : "ligne " + line + ", colonne " + column + " : " + message;
    }
}
