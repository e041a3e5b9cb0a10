package fr.actesconnector.app.web;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.ActeSearch;
import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.LegalClock;

/**
 * "Suivi des actes", {@code /suivi}: the actes a page at a time ({@link ActeSearch}, never cut), searched
 * by state, number, IDActe, objet and registration day, with how many match; {@code /suivi/lignes} gives
 * the rows of the same page for the table's own refresh. Only the actes of the collectivité chosen in the header
 * are listed (of every collectivité for the syndicate's « Toutes les collectivités »).
 */
final class SuiviPage {
    static final int PAGE_SIZE = 50;
    /** Longest search text kept; a number or an IDActe is shorter, an objet at most 499 characters. */
    private static final int MAX_TERM = 500;

    /** The search as typed (echoed in the form), the cursor of the page shown, and the problems of its fields. */
    record Search(String etat, String du, String au, String numero, String idActe, String objet,
                  Optional<ActeSearch.Cursor> cursor, Map<String, String> problems) {
        /** The query of this search, without the cursor: the base of the page links. */
        String query() {
            StringBuilder q = new StringBuilder();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("etat", etat);
            fields.put("numero", numero);
            fields.put("idacte", idActe);
            fields.put("objet", objet);
            fields.put("du", du);
            fields.put("au", au);
            fields.forEach((k, v) -> {
                if (!v.isEmpty()) q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(Exchanges.enc(v));
            });
            return q.toString();
        }

        /** The query of this search at {@code cursor}. */
        String at(Optional<ActeSearch.Cursor> at) {
            String base = query();
            if (at.isEmpty()) return base;
            String c = (at.get().before() ? "avant=" : "apres=") + at.get().id();
            return base.isEmpty() ? c : base + "&" + c;
        }

        boolean any() {
            return !(etat + du + au + numero + idActe + objet).isEmpty();
        }
    }

    private final ActesConnector connector;
    private final WebConfig config;
    private final Pages pages;
    private final ZoneId zone;

    SuiviPage(ActesConnector connector, WebConfig config, Pages pages) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.zone = connector.config().validationSettings().zone();
    }

    /** GET /suivi (the page) and GET /suivi/lignes (its rows only, {@code rowsOnly}). */
    void page(HttpExchange ex, Sessions.Session s, boolean rowsOnly) throws IOException {
        Map<String, String> q = Exchanges.query(ex);
        Map<String, String> problems = new LinkedHashMap<>();
        ActeSearch.Criteria criteria = ActeSearch.Criteria.ALL;
        // The collectivité chosen in the header; every one only for the syndicate.
        Optional<String> siren = s.current();
        if (siren.isPresent()) {
            criteria = criteria.withSiren(siren.get());
        } else if (s.access().filter(CollectiviteAccess::listsAll).isEmpty()) {
            throw new IllegalStateException("no collectivité chosen for " + s.login.orElse("?"));
        }
        String state = term(q, "etat");
        Optional<TransmissionState> chosen = java.util.Arrays.stream(TransmissionState.values())
                .filter(t -> t.name().equals(state)).findFirst();
        if (chosen.isPresent()) criteria = criteria.withStates(Set.of(chosen.get()));
        String du = term(q, "du");
        String au = term(q, "au");
        Optional<LocalDate> from = day(du, "du", problems);
        Optional<LocalDate> to = day(au, "au", problems);
        criteria = criteria.between(from.map(d -> d.atStartOfDay(zone).toInstant()),
                to.map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()));
        String numero = term(q, "numero");
        String idActe = term(q, "idacte");
        String objet = term(q, "objet").replaceAll("\\s+", " ");
        if (!numero.isEmpty()) criteria = criteria.withNumero(numero);
        if (!idActe.isEmpty()) criteria = criteria.withIdActe(idActe);
        if (!objet.isEmpty()) criteria = criteria.withObjet(objet);
        Search search = new Search(chosen.map(Enum::name).orElse(""), from.map(Dates::show).orElse(du),
                to.map(Dates::show).orElse(au), numero, idActe, objet, cursor(q), problems);

        Journal journal = connector.journal();
        ActeSearch.Page page = journal.search().page(criteria, search.cursor(), PAGE_SIZE);
        // What each row shows, read for the whole page at once: a few queries, not a few per row.
        List<JournalEntry> shown = page.entries();
        Map<Long, Instant> sent = journal.entries().sentAt(shown.stream().map(JournalEntry::id).toList());
        Map<Long, List<Anomaly>> anomalies = journal.replies().anomalies(shown.stream().filter(FicheView::refused)
                .map(JournalEntry::id).toList());
        Map<Long, LegalClock.Result> clocks = connector.legalClocks(shown.stream().filter(e -> !FicheView.refused(e)).toList());
        List<Pages.Row> rows = new ArrayList<>();
        for (JournalEntry e : shown) {
            rows.add(new Pages.Row(e, Optional.ofNullable(sent.get(e.id())), anomalies.getOrDefault(e.id(), List.of()),
                    FicheView.refused(e) ? Optional.empty() : Optional.of(clocks.get(e.id()).summary())));
        }
        if (rowsOnly) {
            Exchanges.sendHtml(ex, 200, pages.rows(rows, Pages.listsAll(s.access(), s.current())));
            return;
        }
        Exchanges.sendHtml(ex, 200, pages.suivi(Pages.Viewer.of(s), search, page, rows, config.refresh().toSeconds()));
    }

    private static String term(Map<String, String> q, String name) {
        String v = q.getOrDefault(name, "").strip();
        return v.length() > MAX_TERM ? v.substring(0, MAX_TERM) : v;
    }

    private static Optional<LocalDate> day(String text, String field, Map<String, String> problems) {
        if (text.isEmpty()) return Optional.empty();
        Optional<LocalDate> d = Dates.parse(text);
        if (d.isEmpty()) problems.put(field, Dates.problem(text, "27/04/2026") + " Ce critère n'a pas été appliqué.");
        return d;
    }

    private static Optional<ActeSearch.Cursor> cursor(Map<String, String> q) {
        for (String name : new String[] {"apres", "avant"}) {
            String v = q.getOrDefault(name, "");
            if (v.matches("\\d{1,18}")) {
                long id = Long.parseLong(v);
                return Optional.of(name.equals("avant") ? ActeSearch.Cursor.before(id) : ActeSearch.Cursor.after(id));
            }
        }
        return Optional.empty();
    }
}
