package fr.actesconnector.tdt;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Latin1Text;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Violation;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code actes_transac_create.php} needs, checked against the TdT's own rules so that a
 * refusal comes from the prefecture side, not from a malformed request.
 *
 * @param number             NumeroInterne as transmitted ({@code 2026_DEC_020})
 * @param subject            objet, already transliterated to ISO-8859-1, at most 499 characters
 * @param document           the acte document with its typology ({@code type_acte})
 * @param annexes            annexes in transmission order, each with its typology ({@code type_pj[]})
 * @param documentSignature  detached signature of the document ({@code acte_pdf_file_sign})
 * @param annexSignatures    detached signatures index-aligned with {@code annexes}, or empty
 */
public record TdtSubmission(
        Nature nature,
        String number,
        LocalDate decisionDate,
        String subject,
        Classification classification,
        Piece document,
        List<Piece> annexes,
        Optional<Path> documentSignature,
        List<Path> annexSignatures,
        boolean documentPapier) {

    /** S²LOW stores at most 499 characters (the XSD allows 500). */
    public static final int MAX_SUBJECT_LENGTH = 499;

    public TdtSubmission {
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(decisionDate, "decisionDate");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(document, "document");
        annexes = List.copyOf(Objects.requireNonNull(annexes, "annexes"));
        Objects.requireNonNull(documentSignature, "documentSignature");
        annexSignatures = List.copyOf(Objects.requireNonNull(annexSignatures, "annexSignatures"));
        List<Violation> violations = new ArrayList<>();
        if (!NumeroInterne.isValid(number)) {
            violations.add(Violation.error("numero", "Le numéro « " + number + " » est refusé par le TdT : 1 à 15 "
                    + "caractères parmi A-Z, 0-9 et _, sans _ au début ni à la fin."));
        }
        if (subject.isBlank()) {
            violations.add(Violation.error("objet", "L'objet de l'acte est vide."));
        } else if (!Latin1Text.isLatin1(subject)) {
            violations.add(Violation.error("objet", "L'objet contient des caractères hors ISO-8859-1 ("
                    + Latin1Text.outsideLatin1(subject) + ") : translittérez-le avant l'envoi."));
        } else if (subject.length() > MAX_SUBJECT_LENGTH) {
            violations.add(Violation.error("objet", "L'objet fait " + subject.length() + " caractères ; le TdT en accepte "
                    + MAX_SUBJECT_LENGTH + " au plus."));
        }
        if (classification.depth() < 2) {
            violations.add(Violation.error("classification", "La classification « " + classification
                    + " » doit avoir au moins deux niveaux (ex. 1.4)."));
        }
        checkTypologie(document, "typologie du document", violations);
        for (int i = 0; i < annexes.size(); i++) {
            checkTypologie(annexes.get(i), "typologie de l'annexe " + (i + 1), violations);
        }
        if (!annexSignatures.isEmpty() && annexSignatures.size() != annexes.size()) {
            violations.add(Violation.error("signatures", "Il faut une signature par annexe (" + annexes.size()
                    + ") ou aucune ; reçu " + annexSignatures.size() + "."));
        }
        if (!violations.isEmpty()) {
            throw new InvalidActeException(violations);
        }
    }

    private static void checkTypologie(Piece piece, String field, List<Violation> violations) {
        if (!piece.typologie().isWellFormed()) {
            violations.add(Violation.error(field, "Le code « " + piece.typologie().code()
                    + " » doit faire 5 caractères parmi A-Z, 0-9 et _ (ex. 99_DC)."));
        }
    }

    /** The submission of a validated acte, without detached signatures. */
    public static TdtSubmission from(Acte acte) {
        return from(acte, Optional.empty(), List.of());
    }

    /** The submission of a validated acte with its detached signatures (document, then each annex). */
    public static TdtSubmission from(Acte acte, Optional<Path> documentSignature, List<Path> annexSignatures) {
        Objects.requireNonNull(acte, "acte");
        return new TdtSubmission(acte.nature(), acte.numeroInterne(), acte.dateDecision(), acte.objetLatin1(),
                acte.classification(), acte.document(), acte.annexes(), documentSignature, annexSignatures,
                acte.documentPapier());
    }

    /** Every file to upload, for existence checks and size sums. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(document.file());
        annexes.forEach(a -> files.add(a.file()));
        documentSignature.ifPresent(files::add);
        files.addAll(annexSignatures);
        return files;
    }
}
