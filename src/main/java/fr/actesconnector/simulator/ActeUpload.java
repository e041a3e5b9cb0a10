package fr.actesconnector.simulator;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Typologie;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A post to {@code actes_transac_create.php}: its fields and files, files streamed to a staging
 * folder (never held in memory), then S²LOW's checks in S²LOW's order (spec §4).
 */
final class ActeUpload {
    /** A file part as received: where it was written, its size and SHA-256. */
    record UploadedFile(String field, String postedName, Path path, long size, String sha256) {
    }

    /** An upload that passed every check. */
    record Checked(Nature nature, String number, LocalDate decisionDate, String subject, Classification classification,
                   UploadedFile document, FileKind documentKind, String documentTypologie, List<UploadedFile> annexes,
                   List<FileKind> annexKinds, List<String> annexTypologies, Optional<UploadedFile> documentSignature,
                   List<UploadedFile> annexSignatures, boolean documentPapier, boolean held) {
    }

    /** The body was over the size limit; the rest was drained. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super("upload over the size limit", null, false, false);
        }
    }

    private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$");
    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,9}$");
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    private static final int MAX_PARTS = 200;

    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final Map<String, List<UploadedFile>> files = new LinkedHashMap<>();

    private ActeUpload() {
    }

    /**
     * Reads the whole body; text fields are decoded as ISO-8859-1 (S²LOW converts them from it when
     * {@code api=1} is in the body). Files over {@code maxTotalBytes} in total: {@link TooLarge}.
     */
    static ActeUpload read(MultipartReader reader, Path staging, long maxTotalBytes) throws IOException, TooLarge {
        ActeUpload upload = new ActeUpload();
        long total = 0;
        int count = 0;
        Optional<MultipartReader.PartHeader> part;
        while ((part = reader.next()).isPresent()) {
            if (++count > MAX_PARTS) throw new MultipartReader.MalformedBody("too many parts");
            MultipartReader.PartHeader h = part.get();
            if (h.filename().isEmpty()) {
                String value = reader.readText(MAX_FIELD_BYTES, StandardCharsets.ISO_8859_1);
                upload.fields.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(value);
                continue;
            }
            Path target = staging.resolve("part-" + count);
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JDK", e);
            }
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
                size = reader.copyContent(out, maxTotalBytes - total);
            } catch (MultipartReader.TooLarge e) {
                drain(reader);
                throw new TooLarge();
            }
            total += size;
            upload.files.computeIfAbsent(h.name(), k -> new ArrayList<>())
                    .add(new UploadedFile(h.name(), h.filename().get(), target, size, HexFormat.of().formatHex(sha.digest())));
        }
        return upload;
    }

    /** Reads the rest of the body so that the client, still sending, gets to read our KO. */
    private static void drain(MultipartReader reader) throws IOException {
        try {
            reader.copyContent(OutputStream.nullOutputStream(), Long.MAX_VALUE);
            while (reader.next().isPresent()) {
                reader.copyContent(OutputStream.nullOutputStream(), Long.MAX_VALUE);
            }
        } catch (MultipartReader.MalformedBody ignored) {
            // the refusal is about the size; a truncated body does not change it
        }
    }

    Optional<String> field(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    List<UploadedFile> files(String name) {
        return files.getOrDefault(name, List.of());
    }

    static boolean truthy(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false")).isPresent();
    }

    /**
     * S²LOW's checks in S²LOW's order: number and date, then uniqueness ({@code numberTaken}), then
     * the files and fields, whose errors are reported together. Returns the refusal text (French,
     * not yet HTML-escaped) or the checked upload.
     */
    Result check(LocalDate today, ClassificationCatalogue catalogue, java.util.function.Predicate<String> numberTaken,
                 long maxSubjectLength) throws IOException {
        String number = field("number").map(String::trim).orElse("");
        if (!NumeroInterne.isValid(number)) {
            return Result.refused("Le numéro de l'acte n'est pas correct : il doit comporter de 1 à 15 caractères parmi "
                    + "les lettres majuscules A-Z, les chiffres et le tiret bas _ (ni au début ni à la fin).");
        }
        String rawDate = field("decision_date").map(String::trim).orElse("");
        LocalDate decisionDate;
        try {
            if (!DATE.matcher(rawDate).matches()) throw new DateTimeParseException("pattern", rawDate, 0);
            String[] p = rawDate.split("-");
            decisionDate = LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (java.time.DateTimeException e) {
            return Result.refused("La date de décision doit être présente et au format AAAA-MM-JJ.");
        }
        if (decisionDate.isAfter(today)) {
            return Result.refused("La date de décision (" + decisionDate + ") est dans le futur.");
        }
        if (numberTaken.test(number)) {
            return Result.refused("Le numéro interne de l'acte « " + number + " » existe déjà pour cette collectivité "
                    + "(y compris pour un acte en erreur ou annulé) : ajoutez un suffixe au numéro, par exemple "
                    + number.substring(0, Math.min(number.length(), 14)) + "B.");
        }

        List<UploadedFile> documents = files("acte_pdf_file");
        if (documents.isEmpty() || documents.get(0).size() == 0) {
            return Result.refused("Erreur lors de la réception du fichier de l'acte : fichier absent ou vide.");
        }
        List<UploadedFile> annexes = files("acte_attachments[]");
        for (UploadedFile a : annexes) {
            if (a.size() == 0) {
                return Result.refused("Erreur lors de la réception du fichier « " + a.postedName() + " » : fichier vide.");
            }
        }

        List<String> errors = new ArrayList<>();
        Optional<Nature> nature = field("nature_code").map(String::trim).filter(DIGITS.asPredicate())
                .flatMap(c -> Nature.ofCode(Integer.parseInt(c)));
        Optional<Classification> classification = classification(errors);

        UploadedFile document = documents.get(0);
        Optional<FileKind> documentKind = FileKind.detect(document.path());
        boolean budgetXml = nature.filter(n -> n == Nature.BF).isPresent()
                && classification.filter(c -> c.prefix(2).equals(Classification.of(7, 1))).isPresent();
        if (documentKind.isEmpty() || documentKind.get() == FileKind.PNG || documentKind.get() == FileKind.JPEG) {
            errors.add("Le fichier « " + document.postedName() + " » (acte) est de type " + describe(documentKind)
                    + " : l'acte doit être un fichier PDF.");
        } else if (documentKind.get() == FileKind.XML && !budgetXml) {
            errors.add("Seuls les documents budgétaires (nature 5, classification 7.1) peuvent être transmis au format XML.");
        }
        List<FileKind> annexKinds = new ArrayList<>();
        for (UploadedFile a : annexes) {
            Optional<FileKind> kind = FileKind.detect(a.path());
            if (kind.isEmpty()) {
                errors.add("Le fichier « " + a.postedName() + " » est de type " + describe(kind)
                        + " : les annexes doivent être au format PDF, XML, PNG ou JPEG.");
            } else if (documentKind.filter(k -> k == FileKind.XML).isPresent() && kind.get() != FileKind.PDF) {
                errors.add("Le fichier « " + a.postedName() + " » doit être un PDF : les annexes d'un acte XML sont en PDF.");
            }
            annexKinds.add(kind.orElse(FileKind.PDF));
        }

        String documentTypologie = field("type_acte").map(String::trim).orElse("");
        List<String> annexTypologies = fields("type_pj[]").stream().map(String::trim).toList();
        checkTypologie("Le document de l'acte", documentTypologie, nature, catalogue, errors);
        for (int i = 0; i < annexes.size(); i++) {
            checkTypologie("L'annexe n°" + (i + 1), i < annexTypologies.size() ? annexTypologies.get(i) : "", nature,
                    catalogue, errors);
        }

        if (nature.isEmpty()) errors.add("La nature de l'acte doit être présente (code 1 à 6).");
        String subject = field("subject").map(String::trim).orElse("");
        if (subject.isEmpty()) {
            errors.add("L'objet de l'acte doit être présent.");
        } else if (subject.length() > maxSubjectLength) {
            errors.add("L'objet de l'acte est trop long (" + subject.length() + " caractères, " + maxSubjectLength + " au plus).");
        }
        if (!errors.isEmpty()) return Result.refused(String.join("<br/>", errors));

        List<UploadedFile> signatures = files("acte_pdf_file_sign");
        List<UploadedFile> annexSignatures = files("acte_attachments_sign[]");
        return new Result(Optional.empty(), Optional.of(new Checked(nature.get(), number, decisionDate, subject,
                classification.get(), document, documentKind.get(), documentTypologie, annexes, annexKinds,
                annexTypologies.subList(0, annexes.size()),
                signatures.stream().filter(s -> s.size() > 0).findFirst(),
                annexSignatures.size() == annexes.size() ? annexSignatures : List.of(),
                truthy(field("document_papier")), truthy(field("en_attente")))));
    }

    private Optional<Classification> classification(List<String> errors) {
        List<Integer> levels = new ArrayList<>();
        for (int level = 1; level <= Classification.MAX_LEVELS; level++) {
            Optional<String> value = field("classif" + level).map(String::trim).filter(v -> !v.isEmpty());
            if (value.isEmpty()) {
                if (level <= 2) {
                    errors.add("Les deux premiers niveaux de classification sont obligatoires.");
                    return Optional.empty();
                }
                break;
            }
            if (!DIGITS.matcher(value.get()).matches()) {
                errors.add("Le niveau " + level + " de la classification doit être un nombre entier (reçu : « "
                        + value.get() + " »).");
                return Optional.empty();
            }
            levels.add(Integer.parseInt(value.get()));
        }
        return Optional.of(new Classification(levels));
    }

    private static void checkTypologie(String what, String code, Optional<Nature> nature, ClassificationCatalogue catalogue,
                                       List<String> errors) {
        if (code.isEmpty()) {
            errors.add(what + " : typologie absente.");
        } else if (!Typologie.PATTERN.matcher(code).matches()) {
            errors.add(what + " : le code de typologie « " + code + " » doit faire 5 caractères parmi A-Z, 0-9 et _.");
        } else if (nature.isPresent() && !catalogue.allowsTypologie(nature.get(), new Typologie(code))) {
            String label = catalogue.nature(nature.get()).map(ClassificationCatalogue.NatureEntry::label)
                    .orElse(nature.get().label());
            errors.add(what + " : la typologie " + code + " n'est pas autorisée pour la nature « " + label
                    + " » par la classification de la préfecture.");
        }
    }

    private static String describe(Optional<FileKind> kind) {
        return kind.map(k -> k.mimeType()).orElse("inconnu");
    }

    /** Either a refusal or a checked upload. */
    record Result(Optional<String> refusal, Optional<Checked> checked) {
        static Result refused(String message) {
            return new Result(Optional.of(message), Optional.empty());
        }
    }
}
