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
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.CollectiviteConfig;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Latin1Text;
import fr.actesconnector.model.NumeroInterne;
import fr.actesconnector.model.Violation;

/**
 * "Transmettre un acte": the form, its live help ({@code /apercu}), and the upload turned into an acte,
 * checked with the connector's validator and sent once; the same form corrects a refused acte
 * ({@code /actes/{id}/corriger}), sent again under a new number and linked to it. An acte is sent for the
 * collectivité chosen in the header (a correction for the refused acte's), with its configuration: classification,
 * numbering, signing certificate, TdT account; the form carries that collectivité, so that a choice changed in
 * another tab does not send it elsewhere.
 */
final class TransmitPage {
    private static final Logger LOG = LoggerFactory.getLogger(TransmitPage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActesConnector connector;
    private final WebConfig config;
    private final Pages pages;
    private final Uploads uploads;
    /** Sends of one number go one at a time (striped by number: bounded, and rarely shared by two numbers). */
    private final ReentrantLock[] sending = new ReentrantLock[64];

    TransmitPage(ActesConnector connector, WebConfig config, Pages pages, Uploads uploads) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.uploads = Objects.requireNonNull(uploads, "uploads");
        for (int i = 0; i < sending.length; i++) sending[i] = new ReentrantLock();
    }

    /** GET /transmettre: the empty form of the collectivité chosen, its nature to choose; with every one, which one first. */
    void form(HttpExchange ex, Sessions.Session s) throws IOException {
        if (s.current().isEmpty()) {
            Exchanges.sendHtml(ex, 200, pages.chooseBeforeTransmit(Pages.Viewer.of(s)));
            return;
        }
        page(ex, s, 200, collectivite(s, ""), Pages.FormValues.empty(), List.of(), Map.of(), Optional.empty(), Optional.empty());
    }

    /** POST /transmettre: reads the upload, then sends the acte or shows the form again with every finding. */
    void submit(HttpExchange ex, Sessions.Session s) throws IOException {
        uploads.receive(ex, s, (form, dir) -> submit(ex, s, collectivite(s, form.field("collectivite")), form, dir,
                Optional.empty()));
    }

    /**
     * The collectivité a form sends for: the one it names ({@code siren}), else the one chosen in the header; it
     * must be the account's.
     */
    private CollectiviteConfig collectivite(Sessions.Session s, String siren) {
        Optional<String> named = Optional.of(siren.trim()).filter(x -> !x.isEmpty()).or(s::current);
        if (named.isEmpty()) {
            throw new RequestException(409, "Collectivité à choisir", "Choisissez d'abord, en haut de la page, la "
                    + "collectivité pour laquelle vous transmettez l'acte.");
        }
        if (s.access().flatMap(a -> a.find(named.get())).isEmpty()) {
            throw new RequestException(403, "Collectivité non autorisée", "Votre compte ne transmet pas pour la collectivité "
                    + "de SIREN " + named.get() + " : choisissez l'une des vôtres en haut de la page.");
        }
        return connector.config().of(named.get());
    }

    /** Whether the page offers to sign: a certificate configured for the collectivité. */
    private boolean signing(CollectiviteConfig c) {
        return config.signingAvailable() && c.get("signature.keystore").isPresent();
    }

    /**
     * GET /actes/{id}/corriger: the form filled with the refused acte's data (its typologies, paper copy and
     * signature choice too), the number left empty: the TdT never accepts a number twice.
     */
    void correctionForm(HttpExchange ex, Sessions.Session s, JournalEntry refused) throws IOException {
        checkCorrectable(refused);
        CollectiviteConfig c = connector.config().of(refused.siren());
        Map<String, String> typologies = new HashMap<>();
        int annexes = 0;
        boolean signed = false;
        for (ArchivedFile f : connector.journal().files().archived(refused.id())) {
            String typo = f.ministryName().contains("-") ? f.ministryName().substring(0, f.ministryName().indexOf('-')) : "";
            switch (f.role()) {
                case DOCUMENT -> typologies.put("typologie_document", typo);
                case ANNEXE -> typologies.put("typologie_annexe_" + (++annexes), typo);
                case SIGNATURE -> signed = true;
                default -> { }
            }
        }
        Pages.FormValues values = new Pages.FormValues("", Dates.show(refused.dateDecision()), refused.nature().name(),
                refused.classification().toString(), refused.objet(), typologies, refused.documentPapier(),
                signed && signing(c), Math.max(3, Math.min(ActeForm.MAX_ANNEXES, annexes)));
        page(ex, s, 200, c, values, List.of(), Map.of(), Optional.empty(), Optional.of(new Pages.Correction(refused)));
    }

    /** POST /actes/{id}/corriger: sends the corrected acte under its new number, linked to the refused one. */
    void submitCorrection(HttpExchange ex, Sessions.Session s, JournalEntry refused) throws IOException {
        uploads.receive(ex, s, (form, dir) -> {
            checkCorrectable(refused);
            submit(ex, s, connector.config().of(refused.siren()), form, dir, Optional.of(refused));
        });
    }

    /** Only a refused acte is corrected, and once: a second correction would be of the corrected acte. */
    private void checkCorrectable(JournalEntry e) {
        if (!FicheView.refused(e)) {
            throw new RequestException(409, "Correction impossible", "Seul un acte refusé (anomalie, erreur du TdT) se "
                    + "corrige et se renvoie ; un acte reçu en préfecture s'annule (état actuel : " + Plain.state(e.state()) + ").");
        }
        Optional<JournalEntry> by = connector.journal().publications().replacement(e.id()).replacedBy()
                .flatMap(connector.journal().entries()::findById);
        if (by.isPresent()) {
            throw new RequestException(409, "Acte déjà corrigé", "Cet acte a déjà été corrigé et renvoyé sous le numéro "
                    + by.get().numero() + " (IDActe " + by.get().idActe() + ") : c'est celui-là qu'il faut suivre.");
        }
    }

    private void submit(HttpExchange ex, Sessions.Session s, CollectiviteConfig c, MultipartParser.Form form, Path dir,
                        Optional<JournalEntry> replaces) throws IOException {
        Optional<Pages.Correction> correction = replaces.map(Pages.Correction::new);
        ActeForm.Result result = ActeForm.read(form, c.collectivite(), dir.resolve("absent"), connector::validate);
        boolean sign = signing(c) && !form.field("signer").isEmpty();
        Pages.FormValues values = values(form, sign);
        if (result.hasErrors()) {
            page(ex, s, 422, c, values, result.violations(), result.controls(), Optional.empty(), correction);
            return;
        }
        Acte acte = result.acte().orElseThrow();
        ActesConnector.Sent sent;
        // The same form sent several times at once: one sends, the others wait and find it in the journal.
        ReentrantLock lock = sending[Math.floorMod(acte.numeroInterne().hashCode(), sending.length)];
        lock.lock();
        try {
            sent = connector.send(acte, sign, replaces.map(JournalEntry::idActe), s.actor());
        } catch (InvalidActeException e) {
            page(ex, s, 422, c, values, e.violations(), controls(e.violations()), Optional.empty(), correction);
            return;
        } catch (ActesException e) {
            LOG.warn("{}: web send failed: {}", acte.idActe(), e.getMessage());
            Optional<JournalEntry> known = connector.journal().entries().findByIdActe(acte.idActe());
            String more = known.map(k -> " État de l'acte dans le journal : " + Plain.state(k.state()) + ".").orElse("");
            page(ex, s, Exchanges.status(e), c, values, result.violations(), result.controls(),
                    Optional.of(e.userMessage() + more), correction);
            return;
        } finally {
            lock.unlock();
        }
        JournalEntry e = sent.entry();
        if (!sent.posted()) {
            s.flash("Cet acte était déjà dans le journal (IDActe " + e.idActe() + ", " + Plain.state(e.state())
                    .toLowerCase(java.util.Locale.ROOT) + ") : il n'a pas été envoyé une seconde fois.");
        } else if (replaces.isPresent()) {
            s.flash("L'acte corrigé a été transmis au TdT sous le numéro " + e.numero() + " (IDActe " + e.idActe()
                    + ", transaction " + sent.transactionId() + ") ; il remplace l'acte refusé " + replaces.get().numero() + ".");
        } else {
            s.flash("L'acte a été transmis au TdT (IDActe " + e.idActe() + ", transaction " + sent.transactionId() + ").");
        }
        LOG.info("{}: sent from the web page for {} by {}{}", e.idActe(), c.siren(), s.login.orElse("?"),
                replaces.map(r -> ", replacing " + r.idActe()).orElse(""));
        Exchanges.redirect(ex, "/actes/" + e.id());
    }

    private void page(HttpExchange ex, Sessions.Session s, int status, CollectiviteConfig c, Pages.FormValues values,
                      List<Violation> violations, Map<Violation, String> controls, Optional<String> generalError,
                      Optional<Pages.Correction> correction) throws IOException {
        ClassificationCatalogue catalogue = connector.catalogue(c.siren());
        Exchanges.sendHtml(ex, status, pages.transmit(Pages.Viewer.of(s), c.collectivite(), catalogue, values, violations,
                controls, generalError, signing(c), catalogueJson(catalogue), config.maxUploadBytes(), correction));
    }

    /** The form control of each finding of the connector ({@code --number} of a correction is the number's field). */
    private static Map<Violation, String> controls(List<Violation> violations) {
        Map<Violation, String> controls = new LinkedHashMap<>();
        for (Violation v : violations) {
            String field = v.field().equals("--number") ? "numero" : v.field();
            ActeForm.control(field, List.of()).ifPresent(c -> controls.put(v, c));
        }
        return controls;
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
        return new Pages.FormValues(form.field("numero"), Dates.shown(form.field("date")), form.field("nature"),
                form.field("classification"), ActeForm.objet(form.field("objet")), typologies, !form.field("papier").isEmpty(),
                sign, slots);
    }

    /** GET /apercu: the normalised number, the objet's length once in ISO-8859-1, what will change. */
    void preview(HttpExchange ex) throws IOException {
        Map<String, String> q = Exchanges.query(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        String numero = q.getOrDefault("numero", "");
        String normalized = NumeroInterne.normalize(numero);
        out.put("numero", normalized);
        out.put("numeroValide", NumeroInterne.isValid(normalized));
        String objet = ActeForm.objet(q.getOrDefault("objet", ""));
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
