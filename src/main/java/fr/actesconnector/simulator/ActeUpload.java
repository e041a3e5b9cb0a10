package fr.actesconnector.simulator;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Typologie;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The synchronous checks of {@code actes_transac_create.php} on a {@link PostedForm}, in S²LOW's
 * order and with its replies. What S²LOW checks only after its OK (typology allowed for the nature,
 * validity of the message it built) is left to the {@link Workflow}.
 */
final class ActeUpload {
    /** An upload that passed every check; signatures are index-aligned with the pieces they sign. */
    record Checked(Nature nature, String number, LocalDate decisionDate, String subject, Classification classification,
                   PostedForm.UploadedFile document, FileKind documentKind, String documentTypologie,
                   List<PostedForm.UploadedFile> annexes, List<FileKind> annexKinds, List<String> annexTypologies,
                   Optional<PostedForm.UploadedFile> documentSignature,
                   List<Optional<PostedForm.UploadedFile>> annexSignatures, boolean documentPapier) {
    }

    /** Either S²LOW's refusal text (not yet HTML-escaped) or the checked upload. */
    record Result(Optional<String> refusal, Optional<Checked> checked) {
        static Result refused(String message) {
            return new Result(Optional.of(message), Optional.empty());
        }
    }

    static final String NUMBER_REFUSED = "Le numéro n'est pas correct";
    static final String FUTURE_DATE = "La date de décision est une date dans le futur";
    static final String NUMBER_USED = "Un acte portant le même numéro interne existe déjà dans la base de données.\n"
            + "Il faut peut-être ajouter un suffixe au numéro.";
    static final String NO_DOCUMENT = "Aucun fichier acte n'a été posté ";
    static final String CODE_PJ = "Le code de la PJ doit faire 5 caractères";

    private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$");
    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,9}$");

    private ActeUpload() {
    }

    /** The files' total was over S²LOW's ACTES_ARCHIVE_MAX_SIZE (also its reply to an empty $_POST). */
    static String tooLarge(long maxTotalBytes) {
        return "La taille totale des fichiers est trop importante (max : " + maxTotalBytes + ")";
    }

    /** The checks after authentication, in actes_transac_create.php's order; {@code numberUsed} is isUnique negated. */
    static Result check(PostedForm form, LocalDate today, Predicate<String> numberUsed, int maxSubjectLength,
                        long maxTotalBytes) throws IOException {
        String number = form.text("number");
        if (!NumeroInterne.isValid(number)) return Result.refused(NUMBER_REFUSED);
        String rawDate = form.text("decision_date");
        LocalDate decisionDate;
        try {
            if (!DATE.matcher(rawDate).matches()) throw new DateTimeException(rawDate);
            String[] p = rawDate.split("-");
            decisionDate = LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (DateTimeException e) {
            return Result.refused("La date de décision doit être présente et au format AAAA-MM-JJ.");
        }
        if (decisionDate.isAfter(today)) return Result.refused(FUTURE_DATE);
        if (form.tooLarge()) return Result.refused(tooLarge(maxTotalBytes));
        if (numberUsed.test(number)) return Result.refused(NUMBER_USED);

        Optional<PostedForm.UploadedFile> posted = form.file("acte_pdf_file");
        if (posted.isEmpty()) return Result.refused(NO_DOCUMENT);
        PostedForm.UploadedFile document = posted.get();
        if (document.size() == 0) {
            return Result.refused("Erreur lors de la récéption du fichier : le fichier " + document.postedName() + " est vide");
        }
        String documentTypologie = form.text("type_acte");
        if (documentTypologie.isEmpty()) {
            return Result.refused("Erreur lors de la réception du fichier " + document.postedName() + " : typologie absente");
        }
        Optional<Nature> nature = Optional.of(form.text("nature_code")).filter(DIGITS.asPredicate())
                .flatMap(c -> Nature.ofCode(Integer.parseInt(c)));
        List<String> fieldErrors = new ArrayList<>();
        Optional<Classification> classification = classification(form, fieldErrors);

        StringBuilder fileErrors = new StringBuilder();
        Optional<FileKind> documentKind = FileKind.detect(document.path());
        Optional<String> documentError = documentError(document, documentKind, nature, classification);
        if (documentError.isEmpty() && !Typologie.PATTERN.matcher(documentTypologie).matches()) documentError = Optional.of(CODE_PJ);
        documentError.ifPresent(e -> fileErrors.append("Erreur de validation du fichier de l'acte :\n").append(e).append('\n'));

        List<PostedForm.UploadedFile> annexes = form.files("acte_attachments[]");
        List<String> annexTypologies = form.fields("type_pj[]").stream().map(String::trim).toList();
        List<FileKind> annexKinds = new ArrayList<>();
        for (int i = 0; i < annexes.size(); i++) {
            PostedForm.UploadedFile a = annexes.get(i);
            String typologie = i < annexTypologies.size() ? annexTypologies.get(i) : "";
            if (typologie.isEmpty()) {
                return Result.refused("Erreur lors de la réception du fichier annexe " + a.postedName() + " : typologie absente");
            }
            Optional<FileKind> kind = FileKind.detect(a.path());
            Optional<String> error = Optional.empty();
            if (kind.isEmpty()) {
                error = Optional.of("Le fichier attaché \" " + a.postedName() + " \" est de type \" " + mimeType(a.path())
                        + " \". Fichier PDF, XML, PNG ou JPEG requis.");
            } else if (documentKind.filter(k -> k == FileKind.XML).isPresent() && kind.get() != FileKind.PDF) {
                error = Optional.of("Les pièces jointes doivent être au format PDF avec un acte au format XML");
            } else if (!Typologie.PATTERN.matcher(typologie).matches()) {
                error = Optional.of(CODE_PJ);
            }
            error.ifPresent(e -> fileErrors.append("Erreur de validation d'un fichier de pièce jointe :\n").append(e).append('\n'));
            annexKinds.add(kind.orElse(FileKind.PDF));
        }
        if (fileErrors.length() > 0) return Result.refused(fileErrors.toString());

        // what ActesTransaction::save refuses; S²LOW's texts for these were not read, these are the simulator's
        if (nature.isEmpty()) fieldErrors.add("La nature de l'acte doit être présente (code 1 à 6).");
        String subject = form.text("subject");
        if (subject.isEmpty()) {
            fieldErrors.add("L'objet de l'acte doit être présent.");
        } else if (subject.length() > maxSubjectLength) {
            fieldErrors.add("L'objet de l'acte est trop long (" + subject.length() + " caractères, " + maxSubjectLength + " au plus).");
        }
        if (!fieldErrors.isEmpty()) return Result.refused(String.join("\n", fieldErrors));

        List<PostedForm.UploadedFile> annexSignatureFiles = form.files("acte_attachments_sign[]");
        List<Optional<PostedForm.UploadedFile>> annexSignatures = new ArrayList<>();
        for (int i = 0; i < annexes.size(); i++) {
            annexSignatures.add(i < annexSignatureFiles.size() ? nonEmpty(annexSignatureFiles.get(i)) : Optional.empty());
        }
        return new Result(Optional.empty(), Optional.of(new Checked(nature.get(), number, decisionDate, subject,
                classification.orElseThrow(), document, documentKind.orElseThrow(), documentTypologie, annexes, annexKinds,
                annexTypologies.subList(0, annexes.size()), form.file("acte_pdf_file_sign").flatMap(ActeUpload::nonEmpty),
                annexSignatures, PostedForm.truthy(form.field("document_papier")))));
    }

    /** A zero-byte signature part is treated as none (see the README's simulator notes). */
    private static Optional<PostedForm.UploadedFile> nonEmpty(PostedForm.UploadedFile f) {
        return f.size() > 0 ? Optional.of(f) : Optional.empty();
    }

    private static Optional<String> documentError(PostedForm.UploadedFile document, Optional<FileKind> kind,
                                                  Optional<Nature> nature, Optional<Classification> classification)
            throws IOException {
        if (kind.isEmpty() || kind.get() == FileKind.PNG || kind.get() == FileKind.JPEG) {
            String mime = kind.map(FileKind::mimeType).orElse(mimeType(document.path()));
            return Optional.of("Le fichier de l'acte \" " + document.postedName() + " \" est de type \" " + mime
                    + " \". Fichier PDF ou XML requis.");
        }
        if (kind.get() == FileKind.XML) {
            if (nature.filter(n -> n == Nature.BF).isEmpty()) {
                return Optional.of("Seuls les documents budgétaires et financiers peuvent être au format XML.");
            }
            if (classification.filter(c -> c.prefix(2).equals(Classification.of(7, 1))).isEmpty()) {
                return Optional.of("Seule la classification 7.1 est autorisée pour la transmission au format XML");
            }
        }
        return Optional.empty();
    }

    /** Roughly what PHP's mime_content_type says of a file that is none of the accepted types. */
    static String mimeType(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        for (byte b : head) {
            if ((b & 0xFF) < 0x09 || (b & 0xFF) > 0x0D && (b & 0xFF) < 0x20) return "application/octet-stream";
        }
        return head.length == 0 ? "application/x-empty" : "text/plain";
    }

    private static Optional<Classification> classification(PostedForm form, List<String> errors) {
        List<Integer> levels = new ArrayList<>();
        for (int level = 1; level <= Classification.MAX_LEVELS; level++) {
            String value = form.text("classif" + level);
            if (value.isEmpty()) {
                if (level <= 2) {
                    errors.add("Les deux premiers niveaux de classification sont obligatoires.");
                    return Optional.empty();
                }
                break;
            }
            if (!DIGITS.matcher(value).matches()) {
                errors.add("Le niveau " + level + " de la classification doit être un nombre entier (reçu : « " + value + " »).");
                return Optional.empty();
            }
            levels.add(Integer.parseInt(value));
        }
        return Optional.of(new Classification(levels));
    }
}
