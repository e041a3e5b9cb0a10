package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code actes_transac_cancel.php} (6-1) and the classification scripts (7-1, fetch). */
final class CancelHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CancelHandler.class);

    private final Store store;
    private final Workflow workflow;

    CancelHandler(Store store, Workflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    /** actes_transac_cancel.php: right TT, id in the body, only a type-1 acte in status 4 without a pending cancellation. */
    void cancel(HttpExchange ex, Map<String, String> query) throws IOException {
        Map<String, String> fields = posted(ex);
        boolean api = Http.api(Optional.ofNullable(fields.get("api")), query);
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, api);
        if (me.isEmpty()) return;
        if (!me.get().right().allows(Right.TT)) {
            Http.exit(ex, api, false, "Accès refusé", Http.UI, null);
            return;
        }
        String rawId = fields.getOrDefault("id", "");
        if (rawId.isEmpty() || rawId.equals("0")) {
            Http.exit(ex, api, false, "Pas d'identifiant de transaction à annuler spécifié.", Http.UI, null);
            return;
        }
        Optional<Transaction> t = Http.idParam(fields, "id").flatMap(store::get);
        if (t.isEmpty()) {
            Http.exit(ex, api, false, "Erreur d'initialisation de la transaction.", Http.UI, null);
            return;
        }
        String show = Http.SHOW_PAGE + t.get().id;
        if (t.get().type != Transaction.TYPE_ACTE) {
            Http.exit(ex, api, false, "Ce type de transaction ne peut pas être annulé.", show, null);
            return;
        }
        Instant now = store.now();
        Transaction.Snapshot s = t.get().advance(now, false);
        if (t.get().cancelPending()) {
            Http.exit(ex, api, false, "Une demande d'annulation est déjà en cours pour cette transaction.", show, null);
            return;
        }
        if (s.status() != 4) {
            Http.exit(ex, api, false, "Impossible d'annuler une transaction qui n'est pas en état « Acquittement reçu ».",
                    show, null);
            return;
        }
        long id = store.nextTransactionId();
        Path dir = Files.createDirectories(store.settings.workDir().resolve(String.valueOf(id)));
        Transaction.Listing l = t.get().facts.listing();
        Transaction.Facts facts = new Transaction.Facts(id, Transaction.TYPE_CANCEL, Transaction.Kind.CANCEL, "6-1",
                store.nextEnvelopeId(), Optional.of(t.get().id), t.get().facts.owner(), now,
                new Transaction.Listing(l.number(), "", Optional.empty(), "", l.classification()), dir, Optional.empty(),
                t.get().uniqueId(), List.of(), Optional.empty(), Optional.empty());
        Transaction c = new Transaction(facts, 1, "Dépôt initial", store.settings.pacing(), workflow);
        if (!t.get().attachCancel(c)) {
            TdtSimulator.quietlyDeleteTree(dir);
            Http.exit(ex, api, false, "Une demande d'annulation est déjà en cours pour cette transaction.", show, null);
            return;
        }
        store.add(c, Optional.empty());
        LOG.info("simulator: cancellation {} of transaction {} recorded", id, t.get().id);
        Http.exit(ex, api, true, "Création transaction d'annulation réussie.", show, id + "\n");
    }

    /** The text fields of a multipart or urlencoded body. */
    private static Map<String, String> posted(HttpExchange ex) throws IOException {
        Optional<MultipartReader> reader = MultipartReader.of(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Type"));
        if (reader.isEmpty()) return Http.urlencodedBody(ex);
        Map<String, String> fields = new HashMap<>();
        Optional<MultipartReader.PartHeader> part;
        while ((part = reader.get().next()).isPresent()) {
            String value = reader.get().readText(64 * 1024, StandardCharsets.ISO_8859_1);
            if (part.get().filename().isEmpty()) fields.put(part.get().name(), value); // PHP keeps the last value
        }
        return fields;
    }

    /** actes_classification_request.php: right TT; a type-7 transaction, answered with the served classification. */
    void classificationRequest(HttpExchange ex, Map<String, String> query) throws IOException {
        boolean api = Http.api(Optional.empty(), query);
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, api);
        if (me.isEmpty()) return;
        if (!me.get().right().allows(Right.TT)) {
            Http.exit(ex, api, false, "Accès refusé", Http.UI, null);
            return;
        }
        long id = store.nextTransactionId();
        Transaction.Facts facts = new Transaction.Facts(id, Transaction.TYPE_CLASSIFICATION, Transaction.Kind.CLASSIFICATION,
                "7-1", store.nextEnvelopeId(), Optional.empty(), me.get().login(), store.now(), Transaction.Listing.EMPTY,
                null, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        store.add(new Transaction(facts, 1, "Dépôt initial", store.settings.pacing(), workflow), Optional.empty());
        Http.exit(ex, api, true, "Création de l'enveloppe contenant une demande de classification. Résultat OK.", Http.UI,
                id + "\n");
    }

    /** actes_classification_fetch.php: right CS; the RetourClassification followed by CRLF. */
    void classificationFetch(HttpExchange ex, Map<String, String> query) throws IOException {
        boolean api = Http.api(Optional.empty(), query);
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, api);
        if (me.isEmpty()) return;
        if (!me.get().right().allows(Right.CS)) {
            Http.exit(ex, api, false, "Accès refusé", Http.UI, null);
            return;
        }
        Http.sendStream(ex, "text/xml;charset=iso-8859-1", Map.of("Content-Disposition", "attachment; filename=\"classification.xml\""),
                new byte[0], Optional.of(store.settings.classificationFile()), Http.latin1("\r\n"));
    }
}
