package fr.actesconnector.app.web;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Latin1Text;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.NumeroInterne;

/**
 * "Transmettre un acte": the form, its live help ({@code /apercu}), and the upload turned into an acte,
 * checked with the connector's validator and sent once.
 */
final class TransmitPage {
    private static final Logger LOG = LoggerFactory.getLogger(TransmitPage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActesConnector connector;
    private final WebConfig config;
    private final Pages pages;
    private final Uploads uploads;

    TransmitPage(ActesConnector connector, WebConfig config, Pages pages, Uploads uploads) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.uploads = Objects.requireNonNull(uploads, "uploads");
    }

    /** GET /transmettre: the empty form. */
    void form(HttpExchange ex, Sessions.Session s) throws IOException {
        ClassificationCatalogue catalogue = connector.catalogue();
        Nature first = catalogue.natures().keySet().stream().findFirst().orElse(Nature.AU);
        Exchanges.sendHtml(ex, 200, pages.transmit(Pages.Viewer.of(s), catalogue, Pages.FormValues.empty(first), List.of(),
                Map.of(), Optional.empty(), config.signingAvailable(), catalogueJson(catalogue), config.maxUploadBytes()));
    }

    /** POST /transmettre: reads the upload, then sends the acte or shows the form again with every finding. */
    void submit(HttpExchange ex, Sessions.Session s) throws IOException {
        uploads.receive(ex, s, (form, dir) -> submit(ex, s, form, dir));
    }

    private void submit(HttpExchange ex, Sessions.Session s, MultipartParser.Form form, Path dir) throws IOException {
        ClassificationCatalogue catalogue = connector.catalogue();
        ActeForm.Result result = ActeForm.read(form, connector.config().collectivite(), dir.resolve("absent"),
                connector::validate);
        boolean sign = config.signingAvailable() && !form.field("signer").isEmpty();
        Pages.FormValues values = values(form, sign);
        if (result.hasErrors()) {
            Exchanges.sendHtml(ex, 422, pages.transmit(Pages.Viewer.of(s), catalogue, values, result.violations(),
                    result.controls(), Optional.empty(), config.signingAvailable(), catalogueJson(catalogue),
                    config.maxUploadBytes()));
            return;
        }
        Acte acte = result.acte().orElseThrow();
        ActesConnector.Sent sent;
        try {
            sent = connector.send(acte, sign);
        } catch (InvalidActeException e) {
            Exchanges.sendHtml(ex, 422, pages.transmit(Pages.Viewer.of(s), catalogue, values, e.violations(), Map.of(),
                    Optional.empty(), config.signingAvailable(), catalogueJson(catalogue), config.maxUploadBytes()));
            return;
        } catch (ActesException e) {
            LOG.warn("{}: web send failed: {}", acte.idActe(), e.getMessage());
            Optional<JournalEntry> known = connector.journal().findByIdActe(acte.idActe());
            String more = known.map(k -> " État de l'acte dans le journal : " + Plain.state(k.state()) + ".").orElse("");
            Exchanges.sendHtml(ex, Exchanges.status(e), pages.transmit(Pages.Viewer.of(s), catalogue, values,
                    result.violations(), result.controls(), Optional.of(e.userMessage() + more), config.signingAvailable(),
                    catalogueJson(catalogue), config.maxUploadBytes()));
            return;
        }
        JournalEntry e = sent.entry();
        s.flash(sent.posted()
                ? "L'acte a été transmis au TdT (IDActe " + e.idActe() + ", transaction " + sent.transactionId() + ")."
                : "Cet acte était déjà dans le journal : il n'a pas été renvoyé.");
        LOG.info("{}: sent from the web page by {}", e.idActe(), s.login.orElse("?"));
        Exchanges.redirect(ex, "/actes/" + e.id());
    }

    private static Pages.FormValues values(MultipartParser.Form form, boolean sign) {
        Map<String, String> typologies = new HashMap<>();
        int slots = 3;
        for (Map.Entry<String, String> f : form.fields().entrySet()) {
            if (f.getKey().startsWith("typologie_")) typologies.put(f.getKey(), f.getValue());
            if (f.getKey().startsWith("typologie_annexe_")) {
                try {
                    slots = Math.max(slots, Math.min(ActeForm.MAX_ANNEXES,
                            Integer.parseInt(f.getKey().substring("typologie_annexe_".length()))));
                } catch (NumberFormatException ignored) {
                    // a forged field name: ignored
                }
            }
        }
        return new Pages.FormValues(form.field("numero"), form.field("date"), form.field("nature"),
                form.field("classification"), form.field("objet"), typologies, !form.field("papier").isEmpty(), sign, slots);
    }

    /** GET /apercu: the normalised number, the objet's length once in ISO-8859-1, what will change. */
    void preview(HttpExchange ex) throws IOException {
        Map<String, String> q = Exchanges.query(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        String numero = q.getOrDefault("numero", "");
        String normalized = NumeroInterne.normalize(numero);
        out.put("numero", normalized);
        out.put("numeroValide", NumeroInterne.isValid(normalized));
        String objet = q.getOrDefault("objet", "");
        out.put("objetLongueur", Latin1Text.transliterate(objet.trim()).length());
        out.put("objetMax", ActeValidator.OBJET_MAX);
        List<String> changes = new ArrayList<>();
        Latin1Text.outsideLatin1(objet).codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            changes.add(c + " → " + Latin1Text.transliterate(c));
        });
        out.put("remplacements", changes);
        byte[] body = JSON.writeValueAsBytes(out);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    /** Typology codes allowed per nature, for the script that filters the selects; safe inside a script element. */
    private static String catalogueJson(ClassificationCatalogue catalogue) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        catalogue.natures().forEach((n, e) -> m.put(n.name(), e.typologies()));
        try {
            return JSON.writeValueAsString(m).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write catalogue JSON", e);
        }
    }
}
