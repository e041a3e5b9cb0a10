package fr.actesconnector.model;

import java.util.Objects;

/**
 * One finding of validation: the field it concerns (as the user named it, e.g. {@code --number}
 * or {@code numero}), a French message saying what is wrong and how to fix it, and its severity.
 */
public record Violation(String field, String message, Severity severity) {
    public enum Severity { ERROR, WARNING }

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
    }

    public static Violation error(String field, String message) {
        return new Violation(field, message, Severity.ERROR);
    }

    public static Violation warning(String field, String message) {
        return new Violation(field, message, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (isError() ? "Erreur" : "Avertissement") + " [" + field + "] : " + message;
    }
}
