package fr.actesconnector.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an acte against the ministry's and the TdT's rules before anything is written, and
 * reports every finding (errors and warnings), each a French sentence naming the field and how to
 * fix it.
 */
public final class ActeValidator {
    public static final int OBJET_MAX = 499;
    private static final Pattern SIREN = Pattern.compile("[0-9]{9}");
    private static final Pattern DEPARTEMENT = Pattern.compile("0(0[1-9]|[1-8][0-9]|9[0-5]|2[AB])|97[1-6]");
    private static final Pattern ARRONDISSEMENT = Pattern.compile("[0-9]");
    private static final Pattern NATURE_CL = Pattern.compile("[0-9]{2}");

    private final ClassificationCatalogue catalogue;
    private final ValidationSettings settings;
    private final Clock clock;

    public ActeValidator(ClassificationCatalogue catalogue, ValidationSettings settings, Clock clock) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every finding on {@code acte}; an empty list means it can be transmitted as is. */
    public List<Violation> validate(Acte acte) {
        List<Violation> out = new ArrayList<>();
        out.addAll(validateCollectivite(acte.collectivite()));
        checkNumero(acte.numero(), out);
        checkDate(acte.dateDecision(), out);
        checkObjet(acte.objet(), out);
        checkClassification(acte.nature(), acte.classification(), out);
        checkPieces(acte, out);
        return out;
    }

    /** Validates, then throws {@link InvalidActeException} with every violation if any is an error; returns the warnings. */
    public List<Violation> check(Acte acte) {
        List<Violation> all = validate(acte);
        if (all.stream().anyMatch(Violation::isError)) throw new InvalidActeException(all);
        return all;
    }

    public static List<Violation> validateCollectivite(Collectivite c) {
        List<Violation> out = new ArrayList<>();
        if (!SIREN.matcher(c.siren()).matches()) {
            out.add(Violation.error("collectivite.siren", "Le SIREN « " + c.siren()
                    + " » doit compter exactement 9 chiffres, sans espace (ex. 217803105)."));
        } else if (!luhn(c.siren())) {
            out.add(Violation.error("collectivite.siren", "Le SIREN « " + c.siren()
                    + " » n'est pas valide : sa clé de contrôle (Luhn) est fausse. Recopiez-le depuis l'avis de situation INSEE."));
        }
        if (!DEPARTEMENT.matcher(c.departement()).matches()) {
            out.add(Violation.error("collectivite.departement", "Le département « " + c.departement()
                    + " » n'est pas valide : 3 caractères, par exemple 078, 02A ou 971."));
        }
        if (!ARRONDISSEMENT.matcher(c.arrondissement()).matches()) {
            out.add(Violation.error("collectivite.arrondissement", "L'arrondissement « " + c.arrondissement()
                    + " » n'est pas valide : un seul chiffre (ex. 1 pour Mantes-la-Jolie dans les Yvelines)."));
        }
        if (!NATURE_CL.matcher(c.nature()).matches()) {
            out.add(Violation.error("collectivite.nature", "Le type de collectivité « " + c.nature()
                    + " » n'est pas valide : deux chiffres (ex. 31 pour une commune)."));
        }
        if (c.nom().isBlank()) {
            out.add(Violation.error("collectivite.nom", "Le nom de la collectivité est vide : renseignez collectivite.nom."));
        }
        return out;
    }

    private static void checkNumero(String numero, List<Violation> out) {
        String normalized = NumeroInterne.normalize(numero);
        if (normalized.isEmpty()) {
            out.add(Violation.error("numero", "Le numéro de l'acte « " + numero
                    + " » est vide une fois normalisé : indiquez le numéro interne de l'acte (ex. 2026-DEC-020)."));
        } else if (normalized.length() > NumeroInterne.MAX_LENGTH) {
            out.add(Violation.error("numero", "Le numéro de l'acte « " + numero + " » devient « " + normalized
                    + " » une fois normalisé, soit " + FrenchText.count(normalized.length(), "caractère")
                    + " : " + NumeroInterne.MAX_LENGTH + " au maximum. Raccourcissez-le."));
        } else if (!NumeroInterne.isValid(normalized)) {
            out.add(Violation.error("numero", "Le numéro de l'acte « " + numero + " » (« " + normalized
                    + " ») n'est pas accepté : lettres majuscules, chiffres et _ seulement, sans _ au début ni à la fin."));
        } else if (!normalized.equals(numero)) {
            out.add(Violation.warning("numero", "Le numéro « " + numero + " » sera transmis sous la forme « "
                    + normalized + " » (majuscules, chiffres et _ seulement, comme l'exige le TdT)."));
        }
    }

    private void checkDate(LocalDate date, List<Violation> out) {
        LocalDate today = LocalDate.now(clock.withZone(settings.zone()));
        if (date.isAfter(today)) {
            java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.ofPattern("dd/MM/uuuu");
            out.add(Violation.error("date", "La date de décision " + day.format(date) + " est dans le futur (nous sommes le "
                    + day.format(today) + ") : indiquez la date à laquelle l'acte a été pris."));
        }
    }

    private static void checkObjet(String objet, List<Violation> out) {
        String trimmed = objet.trim();
        if (trimmed.isEmpty()) {
            out.add(Violation.error("objet", "L'objet de l'acte est vide : décrivez l'acte en une phrase."));
            return;
        }
        String latin1 = Latin1Text.transliterate(trimmed);
        String bad = latin1.codePoints().filter(cp -> (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
                        || (cp >= 0x7F && cp <= 0x9F))
                .mapToObj(cp -> String.format(Locale.ROOT, "U+%04X", cp)).distinct().collect(Collectors.joining(", "));
        if (!bad.isEmpty()) {
            out.add(Violation.error("objet", "L'objet contient des caractères de contrôle invisibles (" + bad
                    + "), souvent issus d'un copier-coller : retapez l'objet."));
        }
        if (latin1.length() > OBJET_MAX) {
            out.add(Violation.error("objet", "L'objet compte " + FrenchText.count(latin1.length(), "caractère")
                    + " une fois converti en ISO-8859-1 : " + OBJET_MAX + " au maximum. Raccourcissez-le de "
                    + FrenchText.count(latin1.length() - OBJET_MAX, "caractère") + "."));
        }
        String outside = Latin1Text.outsideLatin1(trimmed);
        if (!outside.isEmpty()) {
            String mapping = outside.codePoints()
                    .mapToObj(cp -> "« " + new String(Character.toChars(cp)) + " » → « "
                            + Latin1Text.transliterate(new String(Character.toChars(cp))) + " »")
                    .collect(Collectors.joining(", "));
            out.add(Violation.warning("objet", "Ces caractères de l'objet n'existent pas en ISO-8859-1 et seront remplacés : "
                    + mapping + "."));
        }
    }

    private void checkClassification(Nature nature, Classification classification, List<Violation> out) {
        if (catalogue.nature(nature).isEmpty()) {
            out.add(Violation.error("nature", "La nature « " + nature.label() + " » (" + nature + ") n'existe pas dans la "
                    + "classification de la préfecture du " + catalogue.dateClassification()
                    + " : mettez la classification à jour (tdt classification --update)."));
        }
        if (classification.depth() < 2) {
            out.add(Violation.error("classification", "La classification « " + classification
                    + " » est incomplète : les deux premiers niveaux sont obligatoires (ex. 1.4)."));
        } else {
            for (int n = 1; n <= classification.depth(); n++) {
                Classification prefix = classification.prefix(n);
                if (catalogue.matiere(prefix).isEmpty()) {
                    out.add(Violation.error("classification", "La matière « " + prefix
                            + " » n'existe pas dans la classification de la préfecture du " + catalogue.dateClassification()
                            + "." + suggestions(prefix)));
                    break;
                }
            }
        }
        LocalDate today = LocalDate.now(clock.withZone(settings.zone()));
        long age = ChronoUnit.DAYS.between(catalogue.dateClassification(), today);
        if (age > settings.classificationMaxAgeDays()) {
            out.add(Violation.warning("classification", "La classification de la préfecture date du "
                    + catalogue.dateClassification() + " (" + age + " jours, plus de " + settings.classificationMaxAgeDays()
                    + ") : mettez-la à jour avec « tdt classification --update », une version périmée fait rejeter l'acte (anomalie 002)."));
        }
    }

    private String suggestions(Classification missing) {
        List<ClassificationCatalogue.Matiere> siblings;
        if (missing.depth() == 1) {
            siblings = catalogue.matieres();
        } else {
            siblings = catalogue.matiere(missing.prefix(missing.depth() - 1))
                    .map(ClassificationCatalogue.Matiere::children).orElse(List.of());
        }
        if (siblings.isEmpty()) return " Vérifiez la classification choisie.";
        return " Choisissez parmi : " + siblings.stream().limit(12)
                .map(m -> m.code() + " (" + m.label() + ")").collect(Collectors.joining(", "))
                + (siblings.size() > 12 ? " et " + FrenchText.count(siblings.size() - 12, "autre") : "") + ".";
    }

    private void checkPieces(Acte acte, List<Violation> out) {
        long total = 0;
        Optional<FileKind> documentKind = Optional.empty();
        List<Piece> pieces = acte.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            String field = i == 0 ? "document" : "annexe " + i;
            String what = i == 0 ? "Le document principal" : "L'annexe n° " + i;
            String of = i == 0 ? "du document principal" : "de l'annexe n° " + i;
            checkTypologie(acte.nature(), piece.typologie(), field, of, out);
            Path file = piece.file();
            if (Files.isDirectory(file)) {
                out.add(Violation.error(field, what + " « " + file + " » est un dossier, pas un fichier : indiquez le "
                        + "fichier lui-même (ex. " + file.resolve("decision.pdf") + ")."));
                continue;
            }
            if (!Files.isRegularFile(file)) {
                out.add(Violation.error(field, what + " « " + file + " » est introuvable : vérifiez le chemin du fichier."));
                continue;
            }
            try {
                long size = Files.size(file);
                if (size == 0) {
                    out.add(Violation.error(field, what + " « " + file + " » est vide (0 octet)."));
                    continue;
                }
                total += size;
                Optional<FileKind> kind = FileKind.detect(file);
                if (i == 0) {
                    documentKind = kind;
                    checkDocumentKind(acte, file, kind, out);
                } else if (kind.isEmpty()) {
                    out.add(Violation.error(field, what + " « " + file.getFileName()
                            + " » n'est ni un PDF, ni un XML, ni une image PNG ou JPEG (d'après son contenu) : convertissez-la en PDF."));
                } else if (documentKind.filter(k -> k == FileKind.XML).isPresent() && kind.get() != FileKind.PDF) {
                    out.add(Violation.error(field, what + " « " + file.getFileName()
                            + " » doit être un PDF quand le document principal est un fichier XML budgétaire."));
                }
            } catch (IOException e) {
                out.add(Violation.error(field, "Le fichier " + of + " « " + file + " » ne peut pas être lu : vérifiez "
                        + "ses droits d'accès."));
            }
        }
        if (total > settings.maxArchiveBytes()) {
            out.add(Violation.error("fichiers", "Les fichiers de l'acte font au total " + mib(total)
                    + " : la limite est de " + mib(settings.maxArchiveBytes())
                    + " (limits.max-archive-bytes). Retirez ou compressez des annexes."));
        }
    }

    private static void checkDocumentKind(Acte acte, Path file, Optional<FileKind> kind, List<Violation> out) {
        boolean budgetXmlAllowed = acte.nature() == Nature.BF
                && acte.classification().level(1).orElse(-1) == 7 && acte.classification().level(2).orElse(-1) == 1;
        if (kind.isPresent() && kind.get() == FileKind.PDF) return;
        if (kind.isPresent() && kind.get() == FileKind.XML) {
            if (!budgetXmlAllowed) {
                out.add(Violation.error("document", "Le document principal « " + file.getFileName()
                        + " » est un fichier XML : seuls les documents budgétaires (nature BF, classification 7.1) "
                        + "peuvent être transmis en XML. Transmettez un PDF."));
            }
            return;
        }
        out.add(Violation.error("document", "Le document principal « " + file.getFileName()
                + " » n'est pas un PDF (d'après son contenu, quel que soit son nom) : enregistrez-le au format PDF."));
    }

    private void checkTypologie(Nature nature, Typologie typologie, String field, String of, List<Violation> out) {
        if (!typologie.isWellFormed()) {
            out.add(Violation.error(field, "La typologie « " + typologie + " » " + of
                    + " n'est pas valide : 5 caractères, majuscules, chiffres ou _ (ex. 99_DC)."));
            return;
        }
        if (catalogue.nature(nature).isPresent() && !catalogue.allowsTypologie(nature, typologie)) {
            Map<String, String> allowed = catalogue.nature(nature).get().typologies();
            out.add(Violation.error(field, "La typologie « " + typologie + " » " + of
                    + " n'est pas autorisée pour la nature « " + nature.label() + " » par la classification de la préfecture. "
                    + "Codes autorisés : " + String.join(", ", allowed.keySet()) + "."));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.FRANCE, "%.1f Mio", bytes / (1024.0 * 1024.0));
    }

    /** Luhn check used by INSEE for SIREN keys. */
    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
