package fr.actesconnector.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;

/**
 * One acte, {@code /actes/{id}…}: its page, the files the journal recorded for it, and the cancellation.
 */
final class ActePage {
    private static final Pattern DOCUMENT = Pattern.compile("^/document/(\\d{1,4})$");
    private static final Pattern SIGNATURE = Pattern.compile("^/signature/(\\d{1,4})$");

    private final ActesConnector connector;
    private final WebConfig config;
    private final FicheView fiche;

    ActePage(ActesConnector connector, WebConfig config, Pages pages) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.fiche = new FicheView(pages);
    }

    /** Routes {@code rest}, the path after {@code /actes/{id}}. */
    void handle(HttpExchange ex, Sessions.Session s, long id, String rest) throws IOException {
        String method = ex.getRequestMethod();
        JournalEntry e = connector.journal().findById(id)
                .orElseThrow(() -> new RequestException(404, "Acte introuvable", "Aucun acte n° " + id + " dans le journal."));
        Matcher doc = DOCUMENT.matcher(rest);
        Matcher sig = SIGNATURE.matcher(rest);
        if (method.equals("GET") && rest.isEmpty()) {
            fiche(ex, s, e);
        } else if (method.equals("GET") && rest.equals("/archive")) {
            Path archive = e.archivePath().orElseThrow(RequestException::noFile);
            Exchanges.sendFile(ex, archive, "application/gzip");
        } else if (method.equals("GET") && rest.equals("/ar.xml")) {
            String xml = connector.journal().acknowledgement(id).orElseThrow(RequestException::noFile).arActeXml();
            Exchanges.sendAttachment(ex, xml, e.idActe().value() + "-ARActe.xml");
        } else if (method.equals("GET") && doc.matches()) {
            List<ReceivedDocument> docs = connector.journal().documents(id);
            int n = Integer.parseInt(doc.group(1));
            if (n >= docs.size()) throw RequestException.noFile();
            ReceivedDocument d = docs.get(n);
            Exchanges.sendFile(ex, d.path(), Exchanges.contentType(d.path()));
        } else if (method.equals("GET") && sig.matches()) {
            List<ArchivedFile> sigs = signatures(id);
            int n = Integer.parseInt(sig.group(1));
            if (n >= sigs.size()) throw RequestException.noFile();
            Exchanges.sendFile(ex, sigs.get(n).path(), "application/pkcs7-signature");
        } else if (rest.equals("/annuler")) {
            cancel(ex, s, e);
        } else {
            throw RequestException.notFound();
        }
    }

    private void cancel(HttpExchange ex, Sessions.Session s, JournalEntry e) throws IOException {
        if (e.state() != TransmissionState.ACKNOWLEDGED) {
            throw new RequestException(409, "Annulation impossible", "L'acte ne peut être annulé que lorsque la "
                    + "préfecture en a accusé réception (état actuel : " + Plain.state(e.state()) + ").");
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> Exchanges.sendHtml(ex, 200, fiche.confirmCancel(Pages.Viewer.of(s), e));
            case "POST" -> {
                Map<String, String> form = Exchanges.urlEncodedForm(ex);
                Exchanges.checkCsrf(s, form.get("csrf"));
                JournalEntry after = connector.cancel(e.id());
                s.flash("La demande d'annulation a été envoyée : " + Plain.state(after.state()) + ".");
                Exchanges.redirect(ex, "/actes/" + e.id());
            }
            default -> throw RequestException.methodNotAllowed();
        }
    }

    private void fiche(HttpExchange ex, Sessions.Session s, JournalEntry e) throws IOException {
        Journal journal = connector.journal();
        long id = e.id();
        Exchanges.sendHtml(ex, 200, fiche.fiche(Pages.Viewer.of(s), e, connector.catalogue().matiereLabel(e.classification()),
                journal.history(id), journal.anomalies(id), downloads(e), config.refresh().toSeconds()));
    }

    /** Every file of the acte that can be downloaded, labelled in French. */
    private List<FicheView.Download> downloads(JournalEntry e) {
        Journal journal = connector.journal();
        long id = e.id();
        List<FicheView.Download> downloads = new ArrayList<>();
        List<ReceivedDocument> docs = journal.documents(id);
        boolean arFile = false;
        Map<ReceivedDocument.Kind, Integer> perKind = new HashMap<>();
        docs.forEach(d -> perKind.merge(d.kind(), 1, Integer::sum));
        Map<ReceivedDocument.Kind, Integer> seen = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            ReceivedDocument d = docs.get(i);
            if (!Files.isRegularFile(d.path())) continue;
            arFile |= d.kind() == ReceivedDocument.Kind.AR;
            int n = seen.merge(d.kind(), 1, Integer::sum);
            String label = FicheView.fileLabel(d.kind()) + (perKind.get(d.kind()) > 1 ? " n° " + n : "");
            downloads.add(new FicheView.Download(label, "/actes/" + id + "/document/" + i, d.size()));
        }
        if (!arFile) {
            journal.acknowledgement(id).ifPresent(a -> downloads.add(new FicheView.Download(
                    FicheView.fileLabel(ReceivedDocument.Kind.AR), "/actes/" + id + "/ar.xml",
                    a.arActeXml().getBytes(StandardCharsets.UTF_8).length)));
        }
        e.archivePath().filter(Files::isRegularFile).ifPresent(p -> downloads.add(new FicheView.Download(
                "Archive transmise (.tar.gz)", "/actes/" + id + "/archive", Exchanges.sizeQuietly(p))));
        List<ArchivedFile> sigs = signatures(id);
        for (int i = 0; i < sigs.size(); i++) {
            if (Files.isRegularFile(sigs.get(i).path())) {
                downloads.add(new FicheView.Download(FicheView.fileLabel(ArchivedFile.Role.SIGNATURE) + " " + (i + 1),
                        "/actes/" + id + "/signature/" + i, sigs.get(i).size()));
            }
        }
        return downloads;
    }

    private List<ArchivedFile> signatures(long id) {
        return connector.journal().files(id).stream().filter(f -> f.role() == ArchivedFile.Role.SIGNATURE).toList();
    }
}
