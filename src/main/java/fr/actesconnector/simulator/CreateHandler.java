package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.MinistryNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code actes_transac_create.php} (the post of an acte, checks in S²LOW's order, OK with the
 * transaction id) and {@code actes_transac_post_confirm_api.php} (release of a held acte).
 */
final class CreateHandler {
    static final int MAX_SUBJECT_LENGTH = 499;
    private static final Logger LOG = LoggerFactory.getLogger(CreateHandler.class);

    private final Store store;
    private final Workflow workflow;

    CreateHandler(Store store, Workflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    void create(HttpExchange ex, Map<String, String> query) throws IOException {
        Store.Settings s = store.settings;
        Optional<MultipartReader> reader = MultipartReader.of(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Type"));
        if (!"POST".equals(ex.getRequestMethod()) || reader.isEmpty()) {
            // PHP sees an empty $_POST, S²LOW's sign of a body over post_max_size; api can only come from the query
            Http.exit(ex, Http.api(Optional.empty(), query), false, ActeUpload.tooLarge(s.maxTotalBytes()), Http.ADD_PAGE, null);
            return;
        }
        Path staging = Files.createTempDirectory(s.workDir(), "upload-");
        boolean kept = false;
        try {
            PostedForm form;
            try {
                form = PostedForm.read(reader.get(), staging, s.maxTotalBytes(), s.maxFileUploads());
            } catch (MultipartReader.MalformedBody e) {
                Http.ko(ex, "Requête de dépôt illisible (" + e.getMessage() + ").");
                return;
            }
            boolean api = Http.api(form.field("api"), query);
            if (form.tooManyFiles()) {
                Http.exit(ex, api, false, "Le nombre d'annexes est trop important (max : " + s.maxFileUploads() + ")",
                        Http.ADD_PAGE, null);
                return;
            }
            Optional<Accounts.Account> me = Http.authenticate(s.accounts(), ex, api);
            if (me.isEmpty()) return;
            store.countCreateRequest(form.field("number").orElse(""));
            if (!me.get().right().allows(Right.CS)) {
                Http.exit(ex, api, false, "Accès refusé", Http.UI, null);
                return;
            }
            if (store.size() >= s.maxTransactions()) {
                Http.exit(ex, api, false, "Le simulateur a atteint sa capacité de " + s.maxTransactions() + " transactions.",
                        Http.ADD_PAGE, null);
                return;
            }
            Instant now = store.now();
            Collectivite authority = store.authority(me.get());
            ActeUpload.Result result = ActeUpload.check(form, store.day(now), n -> store.numberUsed(authority, n),
                    MAX_SUBJECT_LENGTH, s.maxTotalBytes());
            if (result.refusal().isPresent()) {
                LOG.debug("create refused: {}", result.refusal().get());
                Http.exit(ex, api, false, result.refusal().get(), Http.ADD_PAGE, null);
                return;
            }
            ActeUpload.Checked c = result.checked().orElseThrow();
            long id = store.nextTransactionId();
            if (!store.reserveNumber(authority, c.number(), id)) {
                Http.exit(ex, api, false, ActeUpload.NUMBER_USED, Http.ADD_PAGE, null);
                return;
            }
            // S²LOW holds every acte of an account whose right is exactly CS (actes_transac_create.php)
            boolean held = PostedForm.truthy(form.field("en_attente")) || me.get().right() == Right.CS;
            Path dir = s.workDir().resolve(String.valueOf(id));
            Transaction t;
            try {
                Files.move(staging, dir);
                kept = true;
                t = register(id, c, dir, now, me.get().login(), authority, held);
            } catch (IOException | RuntimeException e) {
                store.releaseNumber(authority, c.number(), id); // nothing was recorded: the number stays free
                throw e;
            }
            LOG.info("simulator: acte {} recorded as transaction {}", t.facts.idActe().orElseThrow(), id);
            Http.exit(ex, api, true, "Création de l'enveloppe n°" + t.facts.envelopeId() + ". Résultat ok.",
                    Http.SHOW_PAGE + id, id + "\n");
        } finally {
            if (!kept) TdtSimulator.quietlyDeleteTree(staging);
        }
    }

    private Transaction register(long id, ActeUpload.Checked c, Path dir, Instant now, String owner, Collectivite authority,
                                 boolean held) throws IOException {
        IdActe idActe = IdActe.of(authority.departement(), authority.siren(), c.decisionDate(), c.number(),
                c.nature());
        List<Transaction.StoredFile> stored = new ArrayList<>();
        Path message = dir.resolve(MinistryNames.message(idActe, MinistryNames.ACTE));
        long messageId = store.nextFileId();
        stored.add(null); // the message comes first; its size is known once the pieces are named and it is written
        stored.add(stored(c.document(), c.documentKind(), c.documentTypologie(), idActe, 1, dir, c.documentSignature()));
        for (int i = 0; i < c.annexes().size(); i++) {
            stored.add(stored(c.annexes().get(i), c.annexKinds().get(i), c.annexTypologies().get(i), idActe, i + 2, dir,
                    c.annexSignatures().get(i)));
        }
        stored.set(0, new Transaction.StoredFile(messageId, message.getFileName().toString(), "", "text/xml", 0, "", "",
                Optional.empty(), message, Optional.of(FileKind.XML)));
        Transaction.Posted draft = new Transaction.Posted(authority, c.number(), c.nature(), c.decisionDate(), c.subject(),
                c.classification(), c.documentPapier(), idActe, stored);
        store.messages.writeActe(draft, message);
        stored.set(0, new Transaction.StoredFile(messageId, message.getFileName().toString(), "", "text/xml",
                Files.size(message), "", "", Optional.empty(), message, Optional.of(FileKind.XML)));
        Transaction.Posted posted = new Transaction.Posted(authority, c.number(), c.nature(), c.decisionDate(), c.subject(),
                c.classification(), c.documentPapier(), idActe, stored);
        Transaction.Listing listing = new Transaction.Listing(c.number(), c.subject(), Optional.of(c.decisionDate()),
                store.natureLabel(c.nature()), c.classification().toString());
        Transaction.Facts facts = new Transaction.Facts(id, Transaction.TYPE_ACTE, Transaction.Kind.ACTE, MinistryNames.ACTE,
                store.nextEnvelopeId(), Optional.empty(), owner, now, listing, dir, Optional.of(posted), Optional.of(idActe),
                stored, Optional.empty(), store.takeAnomaly(c.number()));
        Transaction t = new Transaction(facts, held ? 17 : 1, held ? "Dépôt dans un état d'attente" : "Dépôt initial",
                store.settings.pacing(), workflow);
        store.add(t, Optional.empty());
        return t;
    }

    private Transaction.StoredFile stored(PostedForm.UploadedFile f, FileKind kind, String typologie, IdActe idActe, int k,
                                          Path dir, Optional<PostedForm.UploadedFile> signature) {
        String name = MinistryNames.piece(new Typologie(typologie), idActe, k, kind);
        Path path = dir.resolve(f.path().getFileName());
        Optional<Path> sig = signature.map(x -> dir.resolve(x.path().getFileName()));
        return new Transaction.StoredFile(store.nextFileId(), name, f.postedName(), kind.mimeType(), f.size(), f.sha256(),
                typologie, sig, path, Optional.of(kind));
    }

    /**
     * actes_transac_post_confirm_api.php: a TT (or RW) account moves a held acte from 17 to 1. Every
     * outcome is a 302 to {@code url_return}, {@code %%ERROR%%} replaced by 0 or 1 and {@code %%MESSAGE%%}
     * by the raw message (not URL-encoded), or by nothing on success.
     */
    void postConfirm(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
        if (me.isEmpty()) return;
        String urlReturn = query.getOrDefault("url_return", "");
        if (!me.get().right().allows(Right.TT)) {
            confirmFailed(ex, urlReturn, "Accès refusé");
            return;
        }
        String id = query.getOrDefault("id", "");
        if (id.isEmpty() || id.equals("0")) {
            confirmFailed(ex, urlReturn, "Pas d'identifiant de transaction spécifié");
            return;
        }
        Optional<Transaction> t = Http.idParam(query, "id").flatMap(store::get);
        if (t.isEmpty()) {
            confirmFailed(ex, urlReturn, "Erreur d'initialisation de la transaction.");
            return;
        }
        Instant now = store.now();
        t.get().advance(now, false);
        if (!t.get().release(now, "La transaction a été postée par l'agent télétransmetteur " + me.get().login())) {
            confirmFailed(ex, urlReturn, "La transaction n'est pas dans le statut « En attente d'être posté»");
            return;
        }
        LOG.info("simulator: transaction {} released by {}", t.get().id, me.get().login());
        Http.redirect(ex, urlReturn.replace("%%ERROR%%", "0").replace("%%MESSAGE%%", ""));
    }

    private static void confirmFailed(HttpExchange ex, String urlReturn, String message) throws IOException {
        Http.redirect(ex, urlReturn.replace("%%ERROR%%", "1").replace("%%MESSAGE%%", message));
    }
}
