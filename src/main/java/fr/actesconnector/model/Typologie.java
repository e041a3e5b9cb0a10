package fr.actesconnector.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Typology code of a document ({@code CodeTypePJ}): five characters such as {@code 99_DC}. */
public record Typologie(String code) {
    public static final Pattern PATTERN = Pattern.compile("^[A-Z0-9_]{5}$");

    public Typologie {
        Objects.requireNonNull(code, "code");
    }

    public boolean isWellFormed() {
        return PATTERN.matcher(code).matches();
    }

    @Override
    public String toString() {
        return code;
    }
}
