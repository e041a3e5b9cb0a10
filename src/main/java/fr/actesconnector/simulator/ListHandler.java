package fr.actesconnector.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The JSON listings of controller/ActesAPIController.php and the connection probes. */
final class ListHandler {
    private final Store store;

    ListHandler(Store store) {
        this.store = store;
    }

    private Optional<Accounts.Account> authenticate(HttpExchange ex, Map<String, String> query) throws IOException {
        return Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
    }

    /**
     * api/list_actes.php: transactions of every type whose current status is {@code status_id}
     * (default 0), newest first; cancellations, letters and answers carry the acte's number. Every
     * value is a string (legacy_encode_array), absent ones empty.
     */
    void listActes(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = authenticate(ex, query);
        if (me.isEmpty()) return;
        int statusId = Http.intParam(query, "status_id", 0);
        int offset = Math.max(0, Http.intParam(query, "offset", 0));
        int limit = Math.max(0, Http.intParam(query, "limit", 100));
        Instant now = store.now();
        ArrayNode list = Http.Json.MAPPER.createArrayNode();
        int skipped = 0;
        for (Transaction t : store.newestFirst()) {
            if (list.size() >= limit) break;
            if (!store.visibleTo(me.get(), t)) continue; // the transactions of the reader's authority
            if (t.advance(now, false).status() != statusId) continue;
            if (skipped++ < offset) continue;
            Transaction.Listing l = t.facts.listing();
            ObjectNode o = list.addObject();
            o.put("id", String.valueOf(t.id));
            o.put("subject", l.subject());
            o.put("number", l.number());
            o.put("date", l.date().map(Object::toString).orElse(""));
            o.put("nature_descr", l.natureDescr());
            o.put("classification", l.classification());
            o.put("type", String.valueOf(t.type));
        }
        ObjectNode root = Http.Json.MAPPER.createObjectNode();
        root.put("status_id", String.valueOf(statusId));
        root.put("authority_id", String.valueOf(store.settings.authorityId()));
        root.put("offset", String.valueOf(offset));
        root.put("limit", String.valueOf(limit));
        root.set("transactions", list);
        Http.sendJson(ex, root);
    }

    /** api/number_actes.php: how many transactions (every type) are in {@code status_id}; numbers, not strings. */
    void numberActes(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = authenticate(ex, query);
        if (me.isEmpty()) return;
        int statusId = Http.intParam(query, "status_id", 0);
        Instant now = store.now();
        long n = 0;
        for (Transaction t : store.oldestFirst()) {
            if (store.visibleTo(me.get(), t) && t.advance(now, false).status() == statusId) n++;
        }
        ObjectNode root = Http.Json.MAPPER.createObjectNode();
        root.put("status_id", statusId);
        root.put("authority_id", store.settings.authorityId());
        root.put("nb_transactions", n);
        Http.sendJson(ex, root);
    }

    void statusLabels(HttpExchange ex, Map<String, String> query) throws IOException {
        if (authenticate(ex, query).isEmpty()) return;
        Http.sendJson(ex, Http.Json.MAPPER.valueToTree(TdtSimulator.STATUS_LABELS));
    }

    void testConnexion(HttpExchange ex, Map<String, String> query) throws IOException {
        if (authenticate(ex, query).isEmpty()) return;
        Http.send(ex, 200, Http.PHP_DEFAULT_TYPE, Http.latin1("OK"));
    }

    /** admin/users/api-list-login.php: the logins bound to the certificate, one a line. */
    void listLogins(HttpExchange ex) throws IOException {
        StringBuilder out = new StringBuilder();
        store.settings.accounts().all().forEach(a -> out.append(a.login()).append('\n'));
        Http.send(ex, 200, "text/plain", Http.latin1(out.toString()));
    }

    void infoConnexion(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = authenticate(ex, query);
        if (me.isEmpty()) return;
        ObjectNode root = Http.Json.MAPPER.createObjectNode();
        ObjectNode user = root.putObject("user_info");
        user.put("id", String.valueOf(store.settings.accounts().all().indexOf(me.get()) + 1));
        user.put("login", me.get().login());
        user.put("email", me.get().login() + "@simulateur-s2low.test");
        ObjectNode authority = root.putObject("authority_info");
        authority.put("id", String.valueOf(store.settings.authorityId()));
        authority.put("name", store.settings.collectivite().nom());
        authority.put("department", store.settings.collectivite().departement());
        authority.put("district", store.settings.collectivite().arrondissement());
        authority.put("city", "");
        Http.sendJson(ex, root);
    }
}
