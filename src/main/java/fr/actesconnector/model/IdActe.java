package fr.actesconnector.model;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ministry's identifier of an acte: {@code DEP-SIREN-YYYYMMDD-NUMERO-NN}, e.g.
 * {@code 078-217803105-20260427-2026_DEC_020-CC}.
 */
public record IdActe(String value) {
    public static final Pattern PATTERN =
            Pattern.compile("^([09][0-9][0-9AB])-([0-9]{9})-([0-9]{8})-([A-Za-z0-9_]{1,15})-([A-Z]{2})$");
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    public IdActe {
        Objects.requireNonNull(value, "value");
        if (!PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("not an IDActe: " + value);
        }
    }

    public static IdActe of(String departement, String siren, LocalDate dateDecision, String numeroInterne, Nature nature) {
        return new IdActe(departement + "-" + siren + "-" + BASIC.format(dateDecision) + "-" + numeroInterne + "-"
                + nature.abbreviation());
    }

    public static Optional<IdActe> parse(String text) {
        return text != null && PATTERN.matcher(text.trim()).matches() ? Optional.of(new IdActe(text.trim())) : Optional.empty();
    }

    private Matcher parts() {
        Matcher m = PATTERN.matcher(value);
        if (!m.matches()) throw new IllegalStateException(value);
        return m;
    }

    public String departement() {
        return parts().group(1);
    }

    public String siren() {
        return parts().group(2);
    }

    public LocalDate dateDecision() {
        return LocalDate.parse(parts().group(3), BASIC);
    }

    public String numeroInterne() {
        return parts().group(4);
    }

    public String natureAbbreviation() {
        return parts().group(5);
    }

    @Override
    public String toString() {
        return value;
    }
}
