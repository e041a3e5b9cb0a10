package fr.actesconnector.model;

import java.util.List;
import java.util.stream.Collectors;

/** The acte cannot be transmitted as given; carries every violation found. */
public class InvalidActeException extends ActesException {
    private final List<Violation> violations;

    public InvalidActeException(List<Violation> violations) {
        super(Reason.INVALID_INPUT,
                violations.stream().map(Violation::toString).collect(Collectors.joining("\n")),
                "invalid acte: " + violations.size() + " violation(s) on "
                        + violations.stream().map(Violation::field).distinct().collect(Collectors.joining(", ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
