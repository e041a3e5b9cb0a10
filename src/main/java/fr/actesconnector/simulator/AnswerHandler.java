package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.ArchiveWriter;
import fr.actesconnector.protocol.MinistryNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code actes_transac_reponse_create.php}: the collectivité answers a prefecture letter. The answer
 * is a transaction of the letter's type, related to the letter, moving 1 → 2 → 3 → 4 (3-5 or 4-5
 * received), a 2-2 staying at 3.
 */
final class AnswerHandler {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Logger LOG = LoggerFactory.getLogger(AnswerHandler.class);

    private final Store store;
    private final Workflow workflow;

    AnswerHandler(Store store, Workflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    /** How the script answers: {@code api} in the query gives "KO : …" / "OK : id généré : …", else the generic helper. */
    private record Reply(HttpExchange ex, boolean queryApi, boolean api, long relatedId) {
        /** The script's sortir_atrc. */
        void refuse(String message) throws IOException {
            if (queryApi) {
                Http.echoUtf8(ex, "text/plain", "KO : " + message);
            } else {
                Http.exit(ex, api, false, message, "/modules/actes/actes_transac_repondre.php?id=" + relatedId, null);
            }
        }
    }

    void create(HttpExchange ex, Map<String, String> query) throws IOException {
        Store.Settings s = store.settings;
        // PHP's "if ($api)": any value but "" and "0"
        boolean queryApi = PostedForm.truthy(Optional.ofNullable(query.get("api")));
        Optional<MultipartReader> reader = MultipartReader.of(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Type"));
        Path staging = Files.createTempDirectory(s.workDir(), "answer-");
        boolean kept = false;
        try {
            PostedForm form = reader.isPresent()
                    ? PostedForm.read(reader.get(), staging, s.maxTotalBytes(), s.maxFileUploads()) : PostedForm.empty();
            boolean api = Http.api(form.field("api"), query);
            long relatedId = Http.idParam(Map.of("id", form.text("id")), "id").orElse(0L);
            Reply reply = new Reply(ex, queryApi, api, relatedId);
            Optional<Accounts.Account> me = Http.authenticate(s.accounts(), ex, api);
            if (me.isEmpty()) return;
            if (!me.get().right().allows(Right.CS)) {
                reply.refuse("Accès refusé");
                return;
            }
            Optional<Transaction> letter = store.get(relatedId);
            if (letter.isEmpty()) {
                reply.refuse("Transaction inconnue");
                return;
            }
            String typologie = form.text("type_acte");
            if (typologie.isEmpty()) {
                Http.exit(ex, api, false, "Erreur lors de la réception du fichier : typologie absente",
                        "/modules/actes/actes_transac_reponse.php?id=" + relatedId, null);
                return;
            }
            Optional<PostedForm.UploadedFile> document = form.file("acte_pdf_file");
            if (document.isEmpty() || document.get().size() == 0) {
                reply.refuse("Envoi de fichier illégal.");
                return;
            }
            Optional<FileKind> documentKind = FileKind.detect(document.get().path());
            String errors = "";
            if (documentKind.isEmpty()) {
                errors = "Erreur de validation du fichier de l'acte :\nLe fichier de réponse \" " + document.get().postedName()
                        + " \" est de type \" " + ActeUpload.mimeType(document.get().path())
                        + " \". Fichier PDF, XML, PNG ou JPEG requis.\n";
            } else if (!Typologie.PATTERN.matcher(typologie).matches()) {
                errors = "Erreur de validation du fichier de l'acte :\n" + ActeUpload.CODE_PJ + "\n";
            }
            List<PostedForm.UploadedFile> attachments = form.files("acte_attachments[]");
            List<String> types = form.fields("type_pj[]").stream().map(String::trim).toList();
            List<FileKind> kinds = new ArrayList<>();
            StringBuilder attachmentErrors = new StringBuilder();
            for (int i = 0; i < attachments.size(); i++) {
                PostedForm.UploadedFile a = attachments.get(i);
                String code = i < types.size() ? types.get(i) : "";
                if (code.isEmpty()) {
                    Http.exit(ex, api, false, "Erreur lors de la réception du fichier annexe " + a.postedName()
                            + " : typologie absente", Http.ADD_PAGE, null);
                    return;
                }
                Optional<FileKind> kind = FileKind.detect(a.path());
                if (kind.isEmpty()) {
                    attachmentErrors.append("Erreur de validation d'un fichier de pièce jointe :\nLe fichier attaché \" ")
                            .append(a.postedName()).append(" \" est de type \" ").append(ActeUpload.mimeType(a.path()))
                            .append(" \". Fichier PDF, XML, PNG ou JPEG requis.\n");
                } else if (!Typologie.PATTERN.matcher(code).matches()) {
                    attachmentErrors.append("Erreur de validation d'un fichier de pièce jointe :\n").append(ActeUpload.CODE_PJ)
                            .append('\n');
                }
                kinds.add(kind.orElse(FileKind.PDF));
            }
            errors += attachmentErrors;
            if (!errors.isEmpty()) {
                reply.refuse(errors);
                return;
            }
            Optional<Integer> typeReponse = Optional.of(form.text("type_envoie")).filter(v -> v.matches("[0-9]{1,9}"))
                    .map(Integer::parseInt);
            Optional<String> code = code(letter.get().type, typeReponse);
            if (code.isEmpty()) {
                reply.refuse("Erreur lors de la génération de l'acte : " + (letter.get().type >= 2 && letter.get().type <= 4
                        ? "Vous devez choisir un type de réponse" : "Mauvais type de transaction."));
                return;
            }
            long id = store.nextTransactionId();
            Path dir = s.workDir().resolve(String.valueOf(id));
            Files.move(staging, dir);
            kept = true;
            List<PostedForm.UploadedFile> signatures = form.files("acte_attachments_sign[]");
            List<Optional<Path>> attachmentSignatures = new ArrayList<>();
            for (int i = 0; i < attachments.size(); i++) {
                attachmentSignatures.add(i < signatures.size() ? signature(signatures.get(i), dir) : Optional.empty());
            }
            Answer answer = new Answer(code.get(), typologie, relocate(document.get(), dir), documentKind.orElseThrow(),
                    form.file("acte_pdf_file_sign").flatMap(f -> signature(f, dir)),
                    attachments.stream().map(a -> relocate(a, dir)).toList(), types, kinds, attachmentSignatures);
            Transaction t;
            try {
                t = register(id, dir, letter.get(), answer, typeReponse, me.get().login());
            } catch (IOException | RuntimeException e) {
                TdtSimulator.quietlyDeleteTree(dir); // nothing was recorded
                throw e;
            }
            LOG.info("simulator: answer {} to letter {} recorded as transaction {}", code.get(), relatedId, id);
            if (queryApi) {
                Http.echoUtf8(ex, "text/plain", "OK : id généré : " + t.id + "\n");
            } else {
                Http.exit(ex, api, true, "Création de l'envelope n°" + t.facts.envelopeId() + ". Résultat ok.",
                        Http.SHOW_PAGE + t.id, t.id + "\n");
            }
        } finally {
            if (!kept) TdtSimulator.quietlyDeleteTree(staging);
        }
    }

    /** Stored by S²LOW with the file (its database), never written into an answer's message. */
    private static Optional<Path> signature(PostedForm.UploadedFile f, Path dir) {
        return f.size() > 0 ? Optional.of(dir.resolve(f.path().getFileName())) : Optional.empty();
    }

    private static PostedForm.UploadedFile relocate(PostedForm.UploadedFile f, Path dir) {
        return new PostedForm.UploadedFile(f.field(), f.postedName(), dir.resolve(f.path().getFileName()), f.size(), f.sha256());
    }

    /** ActesTransaction::getStdFileName: 2-2 whatever the kind of answer, 3-x and 4-x from type_envoie (3 refusal, 4 send). */
    private static Optional<String> code(int letterType, Optional<Integer> typeReponse) {
        if (letterType == 2) return Optional.of("2-2");
        if ((letterType == 3 || letterType == 4) && typeReponse.filter(r -> r == 3 || r == 4).isPresent()) {
            return Optional.of(letterType + "-" + typeReponse.get());
        }
        return Optional.empty();
    }

    private record Answer(String code, String typologie, PostedForm.UploadedFile document, FileKind documentKind,
                          Optional<Path> documentSignature, List<PostedForm.UploadedFile> attachments,
                          List<String> attachmentTypes, List<FileKind> attachmentKinds,
                          List<Optional<Path>> attachmentSignatures) {
    }

    /**
     * The answer's archive as S²LOW builds it: files named {@code <TYPO>-<dept>-<SIREN>-<letter date>-<number>-<nature>-<code>_<k>},
     * the message {@code …_0.xml}, the collectivité's envelope; every attachment goes into the archive,
     * even those the message does not name (only a 3-4 lists them).
     */
    private Transaction register(long id, Path dir, Transaction letter, Answer a, Optional<Integer> typeReponse,
                                 String poster) throws IOException {
        Store.Settings s = store.settings;
        Instant now = store.now();
        IdActe idActe = letter.facts.idActe().orElseThrow();
        LocalDate letterDate = letter.facts.listing().date().orElseThrow();
        String prefix = s.collectivite().departement() + "-" + s.collectivite().siren() + "-" + BASIC.format(letterDate) + "-"
                + idActe.numeroInterne() + "-" + idActe.natureAbbreviation() + "-" + a.code();
        List<Transaction.StoredFile> files = new ArrayList<>();
        String messageName = prefix + "_0.xml";
        Path message = dir.resolve(messageName);
        files.add(null);
        files.add(piece(a.document(), a.documentKind(), a.typologie() + "-" + prefix + "_1", dir, a.documentSignature()));
        for (int i = 0; i < a.attachments().size(); i++) {
            files.add(piece(a.attachments().get(i), a.attachmentKinds().get(i),
                    a.attachmentTypes().get(i) + "-" + prefix + "_" + (i + 2), dir, a.attachmentSignatures().get(i)));
        }
        store.letters.writeAnswer(a.code(), idActe.value(), letterDate, files.get(1).name(),
                files.subList(2, files.size()).stream().map(Transaction.StoredFile::name).toList(), message);
        files.set(0, new Transaction.StoredFile(store.nextFileId(), messageName, "", "text/xml", Files.size(message), "", "",
                Optional.empty(), message, Optional.of(FileKind.XML)));
        LocalDate today = store.day(now);
        int serial = store.nextEnvelopeSerial(today);
        String envelopeName = MinistryNames.envelope(s.collectivite().siren(), today, serial);
        Path envelope = dir.resolve(envelopeName);
        store.letters.writeCollectiviteEnvelope(messageName, envelope);
        List<ArchiveWriter.Entry> entries = new ArrayList<>();
        entries.add(new ArchiveWriter.Entry(envelopeName, envelope));
        for (Transaction.StoredFile f : files) {
            entries.add(new ArchiveWriter.Entry(f.name(), f.path(), f.kind().filter(k -> k == FileKind.XML).isPresent()));
        }
        Path archive = dir.resolve(MinistryNames.archive(s.trigramme(), s.collectivite().siren(), today, serial));
        new ArchiveWriter().write(archive, entries, now);
        Transaction.Facts facts = new Transaction.Facts(id, letter.type, Transaction.Kind.ANSWER, a.code(),
                store.nextEnvelopeId(), Optional.of(letter.id), letter.facts.owner(), now, letter.facts.listing(), dir,
                Optional.empty(), Optional.of(idActe), files, typeReponse, Optional.empty());
        Transaction t = new Transaction(facts, 1, "Dépôt initial par " + poster, s.pacing(), workflow);
        store.add(t, Optional.of(archive));
        return t;
    }

    /** The file moved under its S²LOW name, with the extension of its real type. */
    private Transaction.StoredFile piece(PostedForm.UploadedFile f, FileKind kind, String baseName, Path dir,
                                         Optional<Path> signature) throws IOException {
        String name = baseName + "." + kind.extension();
        Path target = dir.resolve(name);
        Files.move(f.path(), target);
        return new Transaction.StoredFile(store.nextFileId(), name, f.postedName(), kind.mimeType(), f.size(), f.sha256(),
                baseName.substring(0, 5), signature, target, Optional.of(kind));
    }
}
