package fr.actesconnector.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import fr.actesconnector.model.FileKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The reading scripts: status ({@code actes_transac_get_status.php}), ARActe, files list, download
 * of a file or of an envelope's archive, bordereau.
 */
final class ReadHandler {
    private static final String INVALID = "KO\nNuméro de transaction invalide.";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final Logger LOG = LoggerFactory.getLogger(ReadHandler.class);

    private final Store store;

    ReadHandler(Store store) {
        this.store = store;
    }

    /**
     * actes_transac_get_status.php: literal UTF-8 echoes without a final LF; needs RW (canEdit);
     * {@code unique_id} finds an acte only once its ARActe has set it. OK replies: the status, the
     * return flow stored with it, and at -1 the workflow message in ISO-8859-1.
     */
    void status(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
        if (me.isEmpty()) return;
        if (me.get().right() != Right.RW) {
            Http.echoUtf8(ex, Http.PHP_DEFAULT_TYPE, "KO\nAccès refusé");
            return;
        }
        String uniqueId = query.getOrDefault("unique_id", "");
        Optional<Transaction> t = uniqueId.isEmpty() ? Http.idParam(query, "transaction").flatMap(store::get)
                : store.byUniqueId(uniqueId);
        if (t.isEmpty()) {
            Http.echoUtf8(ex, Http.PHP_DEFAULT_TYPE, INVALID);
            return;
        }
        if (!store.visibleTo(me.get(), t.get())) {
            // neither the poster nor an administrator of the poster's authority
            Http.echoUtf8(ex, Http.PHP_DEFAULT_TYPE, "KO\nAccès refusé");
            return;
        }
        store.recordStatusRead(t.get().id, me.get().login());
        Transaction.Snapshot s = t.get().advance(store.now(), true);
        byte[] head = Http.latin1("OK\n" + s.status() + "\n");
        byte[] tail = s.status() == -1 ? Http.latin1(s.message()) : new byte[0];
        Http.sendStream(ex, Http.PHP_DEFAULT_TYPE, Map.of(), head, s.flow(), tail);
    }

    /**
     * actes_transac_get_ARActe.php: the flow stored with status 4, empty when there is none. Before
     * S²LOW 5.0.47 (CHANGELOG) the script did not serve API calls: {@code legacyArActe} redirects.
     */
    void arActe(HttpExchange ex, Map<String, String> query) throws IOException {
        if (store.settings.legacyArActe()) {
            Http.redirect(ex, Http.UI);
            return;
        }
        boolean api = Http.api(Optional.empty(), query);
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, api);
        if (me.isEmpty()) return;
        Optional<Transaction> t = Http.idParam(query, "id").flatMap(store::get).filter(x -> store.visibleTo(me.get(), x));
        if (t.isEmpty()) {
            Http.exit(ex, api, false, "Erreur d'initialisation de la transaction.", Http.UI, null);
            return;
        }
        t.get().advance(store.now(), false);
        Http.sendStream(ex, "application/xml", Map.of(), new byte[0], t.get().flow(4), new byte[0]);
    }

    /**
     * actes_transac_get_files_list.php: JSON of the included files once the transaction has been in
     * a status other than 1, 2, 3; {@code sign} is the stored signature. A binary signature makes
     * PHP's json_encode fail: the body is then empty.
     */
    void filesList(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
        if (me.isEmpty()) return;
        // the script casts unique_id to an integer, so it never finds an IDActe
        Optional<Transaction> t = (query.containsKey("unique_id") && Http.intParam(query, "unique_id", 0) != 0
                ? store.byUniqueId(String.valueOf(Http.intParam(query, "unique_id", 0)))
                : Http.idParam(query, "transaction").flatMap(store::get)).filter(x -> store.visibleTo(me.get(), x));
        if (t.isEmpty()) {
            Http.echoUtf8(ex, Http.PHP_DEFAULT_TYPE, INVALID);
            return;
        }
        if (!t.get().advance(store.now(), false).leftInitialStates()) {
            Http.echoUtf8(ex, Http.PHP_DEFAULT_TYPE, "KO\nPas d'acquittement recu");
            return;
        }
        ArrayNode list = Http.Json.MAPPER.createArrayNode();
        for (Transaction.StoredFile f : t.get().facts.files()) {
            Optional<String> sign = Optional.of("");
            if (f.signature().isPresent()) sign = SimulatedMessages.storedSignatureText(f.signature().get());
            if (sign.isEmpty()) {
                Http.send(ex, 200, Http.PHP_DEFAULT_TYPE, new byte[0]);
                return;
            }
            ObjectNode o = list.addObject();
            o.put("id", String.valueOf(f.id()));
            o.put("name", f.name());
            o.put("posted_filename", f.postedName());
            o.put("mimetype", f.mimeType());
            o.put("size", String.valueOf(f.size()));
            o.put("sign", sign.get());
            o.put("code_pj", f.codePj());
        }
        Http.sendJson(ex, list);
    }

    /**
     * actes_download_file.php: {@code file} (wins) or {@code env} (the whole {@code .tar.gz} of an
     * envelope the simulator keeps: prefecture letters and answers). Errors are redirects, never KO.
     */
    void download(HttpExchange ex, Map<String, String> query) throws IOException {
        if (Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query)).isEmpty()) return;
        String file = query.getOrDefault("file", "");
        if (file.matches("[0-9]{1,18}")) {
            Optional<Store.FileRef> ref = store.file(Long.parseLong(file));
            if (ref.isEmpty()) {
                Http.redirect(ex, Http.UI);
                return;
            }
            sendFile(ex, ref.get(), "true".equals(query.get("tampon")));
            return;
        }
        String env = query.getOrDefault("env", "");
        Optional<Path> archive = env.matches("[0-9]{1,18}") ? store.envelope(Long.parseLong(env)) : Optional.empty();
        if (archive.isEmpty()) {
            Http.redirect(ex, Http.UI); // "Paramètre manquant." or an envelope the simulator does not keep
            return;
        }
        Http.sendStream(ex, "application/x-gzip",
                Map.of("Content-Disposition", "attachment; filename=\"" + archive.get().getFileName() + "\""),
                new byte[0], archive, new byte[0]);
    }

    private void sendFile(HttpExchange ex, Store.FileRef ref, boolean tampon) throws IOException {
        Transaction t = ref.transaction();
        Transaction.StoredFile f = t.facts.files().get(ref.index());
        Map<String, String> headers = Map.of("Content-Disposition", "attachment; filename=\""
                + (f.postedName().isEmpty() ? f.name() : f.postedName()) + "\"");
        Transaction.Snapshot s = t.advance(store.now(), false);
        if (tampon && f.kind().filter(k -> k == FileKind.PDF).isPresent() && s.receivedAt().isPresent()
                && t.facts.posted().isPresent()) {
            LocalDate sent = store.day(s.sentAt().orElse(t.facts.postedAt()));
            LocalDate received = store.day(s.receivedAt().get());
            Map<String, String> stampedHeaders = Map.of("Content-Disposition", "attachment; filename=" + f.name());
            String idActe = t.facts.idActe().orElseThrow().value();
            if (f.size() <= SimulatedPdfs.STAMP_IN_MEMORY_MAX_BYTES) {
                // A usual PDF is stamped in memory: no temporary file made, written, read and deleted per download.
                ByteArrayOutputStream stamped = new ByteArrayOutputStream((int) f.size() + 1024);
                if (stamp(f, () -> SimulatedPdfs.stamp(f.path(), stamped, sent, received, idActe))) {
                    Http.sendStream(ex, f.mimeType(), stampedHeaders, stamped.toByteArray(), Optional.empty(), new byte[0]);
                    return;
                }
            } else {
                Path stamped = Files.createTempFile(store.settings.workDir(), "stamped-", ".pdf");
                try {
                    boolean done;
                    try (OutputStream out = Files.newOutputStream(stamped)) {
                        done = stamp(f, () -> SimulatedPdfs.stamp(f.path(), out, sent, received, idActe));
                    }
                    if (done) {
                        Http.sendStream(ex, f.mimeType(), stampedHeaders, new byte[0], Optional.of(stamped), new byte[0]);
                        return;
                    }
                } finally {
                    Files.deleteIfExists(stamped);
                }
            }
        }
        Http.sendStream(ex, f.mimeType(), headers, new byte[0], Optional.of(f.path()), new byte[0]);
    }

    /** A stamping, run; false after a failure, when S²LOW returns the unstamped PDF. */
    private static boolean stamp(Transaction.StoredFile f, Stamping stamping) {
        try {
            stamping.run();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("simulator: cannot stamp file {}: {}", f.id(), e.toString());
            return false;
        }
    }

    @FunctionalInterface
    private interface Stamping {
        void run() throws IOException;
    }

    void bordereau(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
        if (me.isEmpty()) return;
        Optional<Transaction> t = Http.idParam(query, "trans_id").flatMap(store::get).filter(x -> x.kind == Transaction.Kind.ACTE)
                .filter(x -> store.visibleTo(me.get(), x));
        if (t.isEmpty()) {
            Http.redirect(ex, Http.UI);
            return;
        }
        Instant now = store.now();
        Transaction.Snapshot s = t.get().advance(now, false);
        Transaction.Posted p = t.get().facts.posted().orElseThrow();
        Store.Settings set = store.settings;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Collectivité", p.authority().nom() + " (SIREN " + p.authority().siren() + ")"});
        rows.add(new String[] {"Identifiant de l'acte", p.idActe().value()});
        rows.add(new String[] {"Numéro de l'acte", p.number()});
        rows.add(new String[] {"Date de décision", DAY.format(p.decisionDate())});
        rows.add(new String[] {"Nature de l'acte", store.natureLabel(p.nature())});
        rows.add(new String[] {"Matière", set.catalogue().matiereLabel(p.classification()).orElse(p.classification().toString())});
        rows.add(new String[] {"Objet", p.subject()});
        rows.add(new String[] {"Déposé sur le TdT le", DAY.format(store.day(t.get().facts.postedAt()))});
        rows.add(new String[] {"Statut", s.status() + " - " + TdtSimulator.STATUS_LABELS.getOrDefault(s.status(), "")});
        s.receivedAt().ifPresent(r -> rows.add(new String[] {"Reçu en préfecture le", DAY.format(store.day(r))}));
        for (Transaction.StoredFile f : p.files().subList(1, p.files().size())) {
            rows.add(new String[] {"Fichier", f.name() + " (" + f.size() + " octets, SHA-256 " + f.sha256() + ")"});
        }
        byte[] pdf = SimulatedPdfs.bordereau(rows, "Accusé de réception de la transmission - TdT simulé");
        Http.sendStream(ex, "application/pdf", Map.of("Content-Disposition", "attachment; filename=\"acquittement.pdf\""),
                pdf, Optional.empty(), new byte[0]);
    }
}
