package fr.actesconnector.inbox;

import java.util.Objects;
import java.util.Optional;

/**
 * What the notification shows beyond the message itself, filled by the caller from the journal and the
 * classification catalogue, e.g. nature "Contrats, conventions et avenants", matière
 * "1.4-Autres types de contrats", and the objet for letters (which do not repeat it); a {@code warning}
 * (French) heads the mail, e.g. an AR naming another IDActe than the acte's.
 */
public record ActeLabels(Optional<String> objet, Optional<String> nature, Optional<String> matiere, Optional<String> warning) {
    public ActeLabels {
        Objects.requireNonNull(objet, "objet");
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(matiere, "matiere");
        Objects.requireNonNull(warning, "warning");
    }

    public ActeLabels(Optional<String> objet, Optional<String> nature, Optional<String> matiere) {
        this(objet, nature, matiere, Optional.empty());
    }

    public static ActeLabels none() {
        return new ActeLabels(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ActeLabels of(String nature, String matiere) {
        return new ActeLabels(Optional.empty(), Optional.of(nature), Optional.of(matiere));
    }
}
