package fr.actesconnector.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.ReceivedDocument;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.LegalClock;
import fr.actesconnector.model.Violation;

/**
 * One acte, {@code /actes/{id}…}: its page (with the legal clock and the prefecture's letters), the files
 * the journal recorded for it, the publication or notification, and the cancellation; the letters'
 * routes go to {@link LettersPage}, the correction of a refused acte to {@link TransmitPage}. An acte of a
 * collectivité the account does not have is not found (404), whatever the route.
 */
final class ActePage {
    private static final Pattern DOCUMENT = Pattern.compile("^/document/(\\d{1,4})$");
    private static final Pattern SIGNATURE = Pattern.compile("^/signature/(\\d{1,4})$");
    private static final Pattern LETTER = Pattern.compile("^/courriers/(\\d{1,18})(/[a-z-]+)$");
    private static final Logger LOG = LoggerFactory.getLogger(ActePage.class);

    private final ActesConnector connector;
    private final WebConfig config;
    private final FicheView fiche;
    private final LettersPage letters;
    private final TransmitPage transmit;
    private final ZoneId zone;

    ActePage(ActesConnector connector, WebConfig config, Pages pages, Uploads uploads, TransmitPage transmit) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.zone = connector.config().validationSettings().zone();
        this.fiche = new FicheView(pages);
        this.letters = new LettersPage(connector, uploads);
        this.transmit = Objects.requireNonNull(transmit, "transmit");
    }

    /** Routes {@code rest}, the path after {@code /actes/{id}}. */
    void handle(HttpExchange ex, Sessions.Session s, long id, String rest) throws IOException {
        String method = ex.getRequestMethod();
        Set<String> allowed = methods(rest);
        if (allowed.isEmpty()) throw RequestException.notFound();
        WebServer.allow(allowed, method);
        // An acte of a collectivité that is not the account's answers as one that does not exist: every route below
        // (page, files, letters, actions) goes through here.
        JournalEntry e = connector.journal().entries().findById(id).filter(x -> s.access().filter(a -> a.allows(x.siren())).isPresent())
                .orElseThrow(() -> new RequestException(404, "Acte introuvable", "Aucun acte n° " + id + " dans le journal."));
        Matcher doc = DOCUMENT.matcher(rest);
        Matcher sig = SIGNATURE.matcher(rest);
        Matcher letter = LETTER.matcher(rest);
        if (method.equals("GET") && rest.isEmpty()) {
            fiche(ex, s, e, FormProblems.NONE, 200);
        } else if (method.equals("GET") && rest.equals("/archive")) {
            Path archive = e.archivePath().orElseThrow(RequestException::noFile);
            Exchanges.sendFile(ex, archive, "application/gzip");
        } else if (method.equals("GET") && rest.equals("/ar.xml")) {
            String xml = connector.journal().replies().acknowledgement(id).orElseThrow(RequestException::noFile).arActeXml();
            Exchanges.sendAttachment(ex, xml, e.idActe().value() + "-ARActe.xml");
        } else if (method.equals("GET") && doc.matches()) {
            List<ReceivedDocument> docs = connector.journal().files().documents(id);
            int n = Integer.parseInt(doc.group(1));
            if (n >= docs.size()) throw RequestException.noFile();
            ReceivedDocument d = docs.get(n);
            Exchanges.sendFile(ex, d.path(), Exchanges.contentType(d.path()));
        } else if (method.equals("GET") && sig.matches()) {
            List<ArchivedFile> sigs = signatures(id);
            int n = Integer.parseInt(sig.group(1));
            if (n >= sigs.size()) throw RequestException.noFile();
            Exchanges.sendFile(ex, sigs.get(n).path(), "application/pkcs7-signature");
        } else if (method.equals("GET") && rest.equals("/preuve")) {
            proofBundle(ex, e);
        } else if (rest.equals("/annuler")) {
            cancel(ex, s, e);
        } else if (letter.matches()) {
            letters.handle(ex, s, e, Long.parseLong(letter.group(1)), letter.group(2),
                    (problems, status) -> fiche(ex, s, e, problems, status));
        } else if (rest.equals("/corriger")) {
            switch (method) {
                case "GET" -> transmit.correctionForm(ex, s, e);
                case "POST" -> transmit.submitCorrection(ex, s, e);
                default -> throw RequestException.methodNotAllowed();
            }
        } else if (rest.equals("/publication")) {
            if (!method.equals("POST")) throw RequestException.methodNotAllowed();
            publish(ex, s, e);
        } else {
            throw RequestException.notFound();
        }
    }

    /** The methods of {@code rest} under {@code /actes/{id}}; none for an unknown page. */
    static Set<String> methods(String rest) {
        Matcher letter = LETTER.matcher(rest);
        if (letter.matches()) return LettersPage.methods(letter.group(2));
        if (rest.isEmpty() || rest.equals("/archive") || rest.equals("/ar.xml") || rest.equals("/preuve")
                || DOCUMENT.matcher(rest).matches() || SIGNATURE.matcher(rest).matches()) {
            return Set.of("GET");
        }
        return switch (rest) {
            case "/annuler", "/corriger" -> Set.of("GET", "POST");
            case "/publication" -> Set.of("POST");
            default -> Set.of();
        };
    }

    /** The acte's proof bundle, made now from the journal into a temporary folder removed once sent. */
    private void proofBundle(HttpExchange ex, JournalEntry e) throws IOException {
        if (connector.journal().replies().acknowledgement(e.id()).isEmpty()) {
            throw new RequestException(409, "Dossier de preuve indisponible", "Le dossier de preuve se télécharge une fois "
                    + "l'accusé de réception de la préfecture reçu (état actuel : " + Plain.state(e.state()) + ").");
        }
        Path dir = java.nio.file.Files.createTempDirectory("preuve-");
        try {
            Exchanges.sendFile(ex, connector.exportBundle(e.idActe(), dir), "application/zip");
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void cancel(HttpExchange ex, Sessions.Session s, JournalEntry e) throws IOException {
        if (!s.admin()) {
            throw new RequestException(403, "Accès réservé", "Seul un administrateur peut demander l'annulation d'un acte : "
                    + "demandez-la à un administrateur de la mairie.");
        }
        if (e.state() != TransmissionState.ACKNOWLEDGED) {
            throw new RequestException(409, "Annulation impossible", "L'acte ne peut être annulé que lorsque la "
                    + "préfecture en a accusé réception (état actuel : " + Plain.state(e.state()) + ").");
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> Exchanges.sendHtml(ex, 200, fiche.confirmCancel(Pages.Viewer.of(s), e));
            case "POST" -> {
                Map<String, String> form = Exchanges.urlEncodedForm(ex);
                Exchanges.checkCsrf(s, form.get("csrf"));
                JournalEntry after = connector.cancel(e.id(), s.actor());
                s.flash("La demande d'annulation a été envoyée : " + Plain.state(after.state()) + ".");
                Exchanges.redirect(ex, "/actes/" + e.id());
            }
            default -> throw RequestException.methodNotAllowed();
        }
    }

    private void fiche(HttpExchange ex, Sessions.Session s, JournalEntry e, FormProblems problems, int status)
            throws IOException {
        Journal journal = connector.journal();
        long id = e.id();
        LocalDate today = LocalDate.now(connector.clock().withZone(zone));
        Publications.Replacement replacement = journal.publications().replacement(id);
        FicheView.Fiche f = new FicheView.Fiche(e, catalogue(e).matiereLabel(e.classification()),
                journal.entries().history(id), journal.replies().anomalies(id), downloads(e),
                FicheView.refused(e) ? Optional.empty() : Optional.of(connector.legalClock(e)), journal.publications().of(id),
                letters(id), replacement.replaces().flatMap(journal.entries()::findById),
                replacement.replacedBy().flatMap(journal.entries()::findById), today, sentFiles(e));
        Exchanges.sendHtml(ex, status, fiche.fiche(Pages.Viewer.of(s), f, problems, config.refresh().toSeconds()));
    }

    // ------------------------------------------------------------------ publication

    /** POST /actes/{id}/publication: records (or corrects) the publication or notification. */
    private void publish(HttpExchange ex, Sessions.Session s, JournalEntry e) throws IOException {
        Map<String, String> form = Exchanges.urlEncodedForm(ex);
        Exchanges.checkCsrf(s, form.get("csrf"));
        if (FicheView.refused(e)) {
            throw new RequestException(409, "Publication sans objet", "Cet acte a été refusé : il ne deviendra pas "
                    + "exécutoire. Corrigez-le et transmettez-le de nouveau sous un nouveau numéro.");
        }
        String dateText = form.getOrDefault("date", "").trim();
        String mode = form.getOrDefault("mode", "");
        List<FormProblems.Problem> problems = new ArrayList<>();
        Optional<LocalDate> date = day(dateText);
        if (dateText.isEmpty()) {
            problems.add(FormProblems.Problem.of("Indiquez la date de publication ou de notification (ex. 02/05/2026).", "publication-date"));
        } else if (date.isEmpty()) {
            problems.add(FormProblems.Problem.of(Dates.problem(dateText, "02/05/2026"), "publication-date"));
        }
        if (!mode.equals("publication") && !mode.equals("notification")) {
            problems.add(FormProblems.Problem.of("Indiquez si l'acte a été publié (ou affiché) ou notifié aux personnes intéressées.",
                    "publication-mode"));
        }
        if (problems.isEmpty()) {
            try {
                connector.publish(e.idActe(), date.get(), mode, s.actor());
            } catch (InvalidActeException refused) {
                refused.violations().stream().filter(Violation::isError).forEach(v -> problems.add(FormProblems.Problem.of(v.message(),
                        switch (v.field()) {
                            case "--date" -> "publication-date";
                            case "--mode" -> "publication-mode";
                            default -> "";
                        })));
            }
        }
        if (!problems.isEmpty()) {
            fiche(ex, s, e, new FormProblems(FicheView.PUBLICATION_FORM, "La publication n'a pas été enregistrée", problems,
                    Map.of("date", dateText, "mode", mode)), 422);
            return;
        }
        JournalEntry after = connector.journal().entries().findById(e.id()).orElseThrow();
        LegalClock.Result clock = connector.legalClock(after);
        s.flash("Acte " + Plain.publicationMode(mode) + " le " + Pages.DAY.format(date.get()) + " : c'est enregistré. "
                + clock.executoire().map(d -> "Il est exécutoire depuis le " + Pages.DAY.format(d) + " (indicatif).")
                .orElse("Il n'est pas encore exécutoire : il manque " + String.join(" et ", clock.executoireMissing()) + "."));
        LOG.info("{}: {} on {} recorded from the web page by {}", e.idActe(), mode, date.get(), s.login.orElse("?"));
        Exchanges.redirect(ex, "/actes/" + e.id() + "#calendrier");
    }

    /** A day typed as JJ/MM/AAAA (or J/M/AAAA) or AAAA-MM-JJ. */
    static Optional<LocalDate> day(String text) {
        return Dates.parse(text);
    }

    /** The document and annexes sent, each with its typology (the code that begins its ministry name) and label. */
    private List<FicheView.SentFile> sentFiles(JournalEntry e) {
        Map<String, String> labels = catalogue(e).nature(e.nature())
                .map(fr.actesconnector.model.ClassificationCatalogue.NatureEntry::typologies).orElse(Map.of());
        List<FicheView.SentFile> sent = new ArrayList<>();
        for (ArchivedFile f : connector.journal().files().archived(e.id())) {
            if (f.role() != ArchivedFile.Role.DOCUMENT && f.role() != ArchivedFile.Role.ANNEXE) continue;
            int dash = f.ministryName().indexOf('-');
            String code = dash > 0 ? f.ministryName().substring(0, dash) : "";
            sent.add(new FicheView.SentFile(f.role(), code, Optional.ofNullable(labels.get(code)), f.ministryName(), f.size()));
        }
        return sent;
    }

    /** The classification of the acte's collectivité, for labels (the first's, when it left the configuration). */
    private fr.actesconnector.model.ClassificationCatalogue catalogue(JournalEntry e) {
        return connector.config().find(e.siren()).map(c -> connector.catalogue(c.siren())).orElseGet(connector::catalogue);
    }

    /** The prefecture's letters of the acte, oldest first, each with its answer. */
    private List<LetterView.Item> letters(long id) {
        Letters letters = connector.journal().letters();
        return letters.ofActe(id).stream().map(l -> new LetterView.Item(l, letters.answerOf(l.id()),
                l.pdf().filter(Files::isRegularFile).isPresent())).toList();
    }

    /** Every file of the acte that can be downloaded, labelled in French. */
    private List<FicheView.Download> downloads(JournalEntry e) {
        Journal journal = connector.journal();
        long id = e.id();
        List<FicheView.Download> downloads = new ArrayList<>();
        List<ReceivedDocument> docs = journal.files().documents(id);
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
            downloads.add(new FicheView.Download(label, "/actes/" + id + "/document/" + i, d.size(),
                    Exchanges.contentType(d.path()).equals(Exchanges.PDF)));
        }
        if (!arFile) {
            journal.replies().acknowledgement(id).ifPresent(a -> downloads.add(new FicheView.Download(
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
        return connector.journal().files().archived(id).stream().filter(f -> f.role() == ArchivedFile.Role.SIGNATURE).toList();
    }
}
