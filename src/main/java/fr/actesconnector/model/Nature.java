package fr.actesconnector.model;

import java.util.Locale;
import java.util.Optional;

/** Nature of an acte ({@code CodeNatureActe}) with its two-letter abbreviation ({@code TypeAbrege}). */
public enum Nature {
    DE(1, "Délibérations", "99_DE"),
    AR(2, "Actes réglementaires", "99_AR"),
    AI(3, "Actes individuels", "99_AI"),
    CC(4, "Contrats, conventions et avenants", "99_DC"),
    BF(5, "Documents budgétaires et financiers", "99_BU"),
    AU(6, "Autres", "99_AU");

    private final int code;
    private final String label;
    private final String genericTypologie;

    Nature(int code, String label, String genericTypologie) {
        this.code = code;
        this.label = label;
        this.genericTypologie = genericTypologie;
    }

    public int code() {
        return code;
    }

    public String abbreviation() {
        return name();
    }

    /** Label of the ministry's list; a prefecture's catalogue may word it differently. */
    public String label() {
        return label;
    }

    /** The generic typology used when the user names none (99_DC for CC). */
    public Typologie genericTypologie() {
        return new Typologie(genericTypologie);
    }

    public static Optional<Nature> ofCode(int code) {
        for (Nature n : values()) {
            if (n.code == code) return Optional.of(n);
        }
        return Optional.empty();
    }

    /** Accepts the abbreviation ({@code CC}, any case) or the code ({@code 4}). */
    public static Optional<Nature> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.matches("[0-9]{1,2}")) return ofCode(Integer.parseInt(t));
        for (Nature n : values()) {
            if (n.name().equals(t)) return Optional.of(n);
        }
        return Optional.empty();
    }
}
