package fr.actesconnector.model;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A prefecture's classification as received in a RetourClassification (7-2): its version date
 * (sent back as {@code ClassificationDateVersion}), the natures with their allowed typology codes,
 * and the tree of matières. Immutable; build it with {@link #builder(LocalDate)}.
 */
public final class ClassificationCatalogue {
    /** A nature as the prefecture labels it, with the typology codes it allows (code → label). */
    public record NatureEntry(Nature nature, String label, Map<String, String> typologies) {
        public NatureEntry {
            Objects.requireNonNull(nature, "nature");
            Objects.requireNonNull(label, "label");
            typologies = Collections.unmodifiableMap(new LinkedHashMap<>(typologies));
        }
    }

    /** A matière of the tree with its label and children. */
    public record Matiere(Classification code, String label, List<Matiere> children) {
        public Matiere {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(label, "label");
            children = List.copyOf(children);
        }
    }

    private final LocalDate dateClassification;
    private final Map<Nature, NatureEntry> natures;
    private final List<Matiere> matieres;
    private final Map<String, Matiere> byCode;

    private ClassificationCatalogue(Builder b) {
        this.dateClassification = b.date;
        this.natures = Collections.unmodifiableMap(new EnumMap<>(b.natures));
        this.matieres = List.copyOf(b.matieres);
        Map<String, Matiere> index = new LinkedHashMap<>();
        index(matieres, index);
        this.byCode = Collections.unmodifiableMap(index);
    }

    private static void index(List<Matiere> level, Map<String, Matiere> into) {
        for (Matiere m : level) {
            into.put(m.code().toString(), m);
            index(m.children(), into);
        }
    }

    public static Builder builder(LocalDate dateClassification) {
        return new Builder(dateClassification);
    }

    public LocalDate dateClassification() {
        return dateClassification;
    }

    public Map<Nature, NatureEntry> natures() {
        return natures;
    }

    public Optional<NatureEntry> nature(Nature nature) {
        return Optional.ofNullable(natures.get(nature));
    }

    /** Top-level matières, in the prefecture's order. */
    public List<Matiere> matieres() {
        return matieres;
    }

    public Optional<Matiere> matiere(Classification code) {
        return Optional.ofNullable(byCode.get(code.toString()));
    }

    /** Every matière of the tree, depth first, with its full code. */
    public Map<String, Matiere> allMatieres() {
        return byCode;
    }

    /** Label of a matière as the AR e-mail shows it: {@code 1.4-Autres types de contrats}. */
    public Optional<String> matiereLabel(Classification code) {
        return matiere(code).map(m -> code + "-" + m.label());
    }

    public boolean allowsTypologie(Nature nature, Typologie typologie) {
        NatureEntry e = natures.get(nature);
        return e != null && e.typologies().containsKey(typologie.code());
    }

    /** Builder; natures and matières are added in the prefecture's order. */
    public static final class Builder {
        private final LocalDate date;
        private final Map<Nature, NatureEntry> natures = new EnumMap<>(Nature.class);
        private final List<Matiere> matieres = new java.util.ArrayList<>();

        private Builder(LocalDate date) {
            this.date = Objects.requireNonNull(date, "dateClassification");
        }

        public Builder nature(Nature nature, String label, Map<String, String> typologies) {
            natures.put(nature, new NatureEntry(nature, label, typologies));
            return this;
        }

        public Builder matiere(Matiere topLevel) {
            matieres.add(topLevel);
            return this;
        }

        public ClassificationCatalogue build() {
            return new ClassificationCatalogue(this);
        }
    }
}
