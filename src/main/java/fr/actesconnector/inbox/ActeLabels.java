package fr.actesconnector.inbox;

import java.util.Objects;
import java.util.Optional;

/**
 * What the notification shows beyond the message itself, filled by the caller from the journal and the
 * classification catalogue, e.g. nature "Contrats, conventions et avenants", matière
 * "1.4-Autres types de contrats", and the objet for letters (which do not repeat it).
 */
public record ActeLabels(Optional<String> objet, Optional<String> nature, Optional<String> matiere) {
    public ActeLabels {
        Objects.requireNonNull(objet, "objet");
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(matiere, "matiere");
    }

    public static ActeLabels none() {
        return new ActeLabels(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ActeLabels of(String nature, String matiere) {
        return new ActeLabels(Optional.empty(), Optional.of(nature), Optional.of(matiere));
    }
}
