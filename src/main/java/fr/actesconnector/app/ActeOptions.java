package fr.actesconnector.app;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.FrenchText;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.Violation;
import picocli.CommandLine.Option;

/** The options that describe an acte, shared by {@code prepare} and {@code send}. */
public final class ActeOptions {
    private static final Pattern FILE_TYPO = Pattern.compile("^(.+):([A-Za-z0-9_]{5})$");

    @Option(names = "--number", required = true, paramLabel = "N", description = "Numéro de l'acte (ex. 2026-DEC-020).")
    String number;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Date de la décision.")
    String date;

    @Option(names = "--nature", required = true, paramLabel = "NATURE", description = "Nature : DE, AR, AI, CC, BF, AU ou son code 1 à 6.")
    String nature;

    @Option(names = "--classification", required = true, paramLabel = "M", description = "Matière, ex. 1.4.")
    String classification;

    @Option(names = "--subject", required = true, paramLabel = "TEXTE", description = "Objet de l'acte (499 caractères au plus).")
    String subject;

    @Option(names = "--document", required = true, paramLabel = "FICHIER[:TYPO]", description = "Document principal (PDF) et sa typologie.")
    String document;

    @Option(names = "--annex", paramLabel = "FICHIER[:TYPO]", description = "Annexe (répétable, dans l'ordre) et sa typologie.")
    List<String> annexes = new ArrayList<>();

    @Option(names = "--paper", description = "Un exemplaire papier suit l'envoi électronique.")
    boolean paper;

    /**
     * Builds the acte and checks it with {@code validator}, reporting every problem at once: a
     * malformed option (date, nature, classification) is replaced by a stand-in so that the other
     * fields are still checked, and the findings that depend on it are left out.
     *
     * @throws InvalidActeException with every error found
     */
    public Acte toActe(Collectivite collectivite, Function<Acte, List<Violation>> validator) {
        List<Violation> problems = new ArrayList<>();
        Set<String> broken = new HashSet<>();
        LocalDate decision = FrenchText.isoDate(date).orElse(null);
        if (decision == null) {
            problems.add(Violation.error("--date", "La date « " + date + " » " + FrenchText.whyNotADate(date).orElseThrow()
                    + " (ex. 2026-04-27)."));
            broken.add("date");
            decision = LocalDate.of(2000, 1, 1);
        }
        Nature n = Nature.parse(nature).orElse(null);
        if (n == null) {
            problems.add(Violation.error("--nature", "La nature « " + nature
                    + " » est inconnue : DE, AR, AI, CC, BF, AU ou leur code 1 à 6 (ex. CC ou 4 pour un contrat)."));
            broken.add("nature");
            n = Nature.AU;
        }
        Classification c = Classification.parse(classification).orElse(null);
        if (c == null) {
            problems.add(Violation.error("--classification", "La classification « " + classification
                    + " » n'est pas de la forme 1.4 (1 à 5 niveaux de chiffres séparés par des points)."));
            broken.add("classification");
            c = Classification.of(1, 1);
        }
        Typologie generic = n.genericTypologie();
        List<Piece> annexPieces = annexes.stream().map(a -> piece(a, generic)).toList();
        Acte acte = new Acte(collectivite, number, decision, n, c, subject, piece(document, generic), annexPieces, paper);
        List<Violation> all = new ArrayList<>(problems);
        for (Violation v : validator.apply(acte)) {
            boolean dependsOnBroken = broken.contains(v.field())
                    || (broken.contains("nature") && v.message().contains("typologie"));
            if (!dependsOnBroken) all.add(v);
        }
        if (all.stream().anyMatch(Violation::isError)) throw new InvalidActeException(all);
        return acte;
    }

    /** {@code FILE[:TYPO]}; a path that itself contains ':' keeps it unless a 5-character code ends it. */
    static Piece piece(String spec, Typologie generic) {
        Matcher m = FILE_TYPO.matcher(spec);
        if (m.matches()) return new Piece(Path.of(m.group(1)), new Typologie(m.group(2).toUpperCase(java.util.Locale.ROOT)));
        return new Piece(Path.of(spec), generic);
    }
}
