package fr.actesconnector.app.web;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.Violation;

/**
 * The "Transmettre un acte" form turned into an {@link Acte} and checked with the connector's own
 * validator, like the CLI's {@code ActeOptions}: a malformed field is replaced by a stand-in so that the
 * others are still checked, and the findings that depend on it are left out. Each finding is tied to
 * the form control it concerns.
 */
final class ActeForm {
    static final int MAX_ANNEXES = 20;

    /** The acte when it could be built, every finding, and for each finding the control it belongs to. */
    record Result(Optional<Acte> acte, List<Violation> violations, Map<Violation, String> controls) {
        boolean hasErrors() {
            return violations.stream().anyMatch(Violation::isError);
        }
    }

    private ActeForm() {
    }

    static Result read(MultipartParser.Form form, Collectivite collectivite, Path missing,
                       Function<Acte, List<Violation>> validator) {
        List<Violation> problems = new ArrayList<>();
        Set<String> broken = new HashSet<>();
        String dateText = form.field("date").trim();
        LocalDate date = LocalDate.of(2000, 1, 1);
        Optional<LocalDate> typed = Dates.parse(dateText);
        if (dateText.isEmpty()) {
            problems.add(Violation.error("date", "Indiquez la date de la décision (ex. 27/04/2026)."));
            broken.add("date");
        } else if (typed.isEmpty()) {
            problems.add(Violation.error("date", Dates.problem(dateText, "27/04/2026")));
            broken.add("date");
        } else {
            date = typed.get();
        }
        Nature nature = Nature.parse(form.field("nature")).orElse(null);
        if (nature == null) {
            problems.add(Violation.error("nature", "Choisissez la nature de l'acte (ex. « Contrats, conventions et avenants »)."));
            broken.add("nature");
            nature = Nature.AU;
        }
        Classification classification = Classification.parse(form.field("classification")).orElse(null);
        if (classification == null) {
            problems.add(Violation.error("classification", "Choisissez la matière de l'acte dans la classification "
                    + "(ex. « 1.4 Autres types de contrats »)."));
            broken.add("classification");
            classification = Classification.of(1, 1);
        }
        Typologie generic = nature.genericTypologie();
        Optional<MultipartParser.FilePart> document = form.file("document");
        if (document.isEmpty()) {
            problems.add(Violation.error("document", "Aucun document principal : joignez le PDF de l'acte."));
            broken.add("document");
        }
        Piece documentPiece = new Piece(document.map(MultipartParser.FilePart::file).orElse(missing),
                typologie(form.field("typologie_document"), generic));
        List<Piece> annexes = new ArrayList<>();
        List<String> annexControls = new ArrayList<>();
        for (int slot = 1; slot <= MAX_ANNEXES; slot++) {
            Optional<MultipartParser.FilePart> f = form.file("annexe_" + slot);
            if (f.isEmpty()) continue;
            annexes.add(new Piece(f.get().file(), typologie(form.field("typologie_annexe_" + slot), generic)));
            annexControls.add("annexe_" + slot);
        }
        Acte acte = new Acte(collectivite, form.field("numero").trim(), date, nature, classification,
                objet(form.field("objet")), documentPiece, annexes, !form.field("papier").isEmpty());
        List<Violation> all = new ArrayList<>(problems);
        for (Violation v : validator.apply(acte)) {
            boolean dependsOnBroken = broken.contains(v.field())
                    || (broken.contains("nature") && v.message().contains("typologie"));
            if (!dependsOnBroken) all.add(v);
        }
        Map<Violation, String> controls = new LinkedHashMap<>();
        for (Violation v : all) control(v.field(), annexControls).ifPresent(c -> controls.put(v, c));
        boolean ok = all.stream().noneMatch(Violation::isError);
        return new Result(ok ? Optional.of(acte) : Optional.empty(), List.copyOf(all), controls);
    }

    /** The form control a validator field names: {@code annexe 2} is the second annex actually sent. */
    static Optional<String> control(String field, List<String> annexControls) {
        switch (field) {
            case "numero", "date", "nature", "classification", "objet", "document" -> {
                return Optional.of(field);
            }
            case "fichiers" -> {
                return Optional.of("document");
            }
            default -> {
                if (field.startsWith("annexe ")) {
                    try {
                        int n = Integer.parseInt(field.substring(7).trim());
                        if (n >= 1 && n <= annexControls.size()) return Optional.of(annexControls.get(n - 1));
                    } catch (NumberFormatException ignored) {
                        // not an annex number: shown in the summary only
                    }
                }
                return Optional.empty();
            }
        }
    }

    /** The objet on one line: each line break (CR LF, CR or LF) and each tab becomes a space. */
    static String objet(String typed) {
        return typed.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\t', ' ');
    }

    /** The typology chosen for a piece, or the nature's generic one when none is: never another nature's first code. */
    private static Typologie typologie(String code, Typologie generic) {
        String c = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        return c.isEmpty() ? generic : new Typologie(c);
    }
}
