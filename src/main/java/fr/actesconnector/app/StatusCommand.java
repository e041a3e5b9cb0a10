package fr.actesconnector.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.journal.EntryFilter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.KeptFile;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.model.LegalClock;
import fr.actesconnector.journal.TransmissionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code status}: the actes of the journal, as a table or as JSON for scripts. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "État des actes du journal.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--json", description = "Sortie JSON (tableau d'objets).")
    boolean json;
    @Option(names = "--state", paramLabel = "ÉTAT", description = "Filtre par état (ex. ACKNOWLEDGED), répétable.")
    List<TransmissionState> states = new ArrayList<>();
    @Option(names = "--collectivite", paramLabel = "SIREN",
            description = "Les actes de cette collectivité seulement (son SIREN) ; par défaut, ceux de toutes.")
    String collectivite;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ActesConnector connector = config.openOneShot()) { // the journal only: no classification, no XML
            Set<TransmissionState> filter = states.isEmpty() ? Set.of() : EnumSet.copyOf(states);
            EntryFilter query = EntryFilter.ALL.withStates(filter);
            // a SIREN the configuration does not know is refused, naming the ones it does, as on the other commands
            if (collectivite != null) query = query.withSiren(connector.config().of(collectivite.trim()).siren());
            List<JournalEntry> entries = connector.journal().entries().list(query);
            if (json) {
                // Each kind of fact read for all the actes at once: a few queries, not a few per acte.
                List<Long> ids = entries.stream().map(JournalEntry::id).toList();
                Journal journal = connector.journal();
                Map<Long, List<KeptFile>> kept = journal.files().kept(ids);
                Map<Long, List<Letters.Letter>> letters = journal.letters().ofActes(ids);
                Map<Long, Letters.Answer> answers = journal.letters().answersOf(letters.values().stream()
                        .flatMap(List::stream).map(Letters.Letter::id).toList());
                Map<Long, Publications.Publication> publications = journal.publications().of(ids);
                Map<Long, LegalClock.Result> clocks = connector.legalClocks(entries, publications, letters, answers);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (JournalEntry e : entries) {
                    Map<String, Object> row = row(e);
                    row.put("documents", documents(kept.getOrDefault(e.id(), List.of())));
                    row.put("courriers", courriers(letters.getOrDefault(e.id(), List.of()), answers));
                    row.put("publication", Optional.ofNullable(publications.get(e.id())).map(p -> p.date().toString()).orElse(null));
                    LegalClock.Result clock = clocks.get(e.id());
                    row.put("executoire", clock.executoire().map(Object::toString).orElse(null));
                    row.put("defereJusquau", clock.defereJusquau().map(Object::toString).orElse(null));
                    row.put("calendrier", clock.summary());
                    rows.add(row);
                }
                out.println(JsonText.indented(rows));
            } else {
                if (entries.isEmpty()) {
                    out.println(collectivite == null ? "Aucun acte dans le journal."
                            : "Aucun acte de " + connector.config().of(collectivite.trim()).label() + " dans le journal.");
                }
                for (JournalEntry e : entries) {
                    out.println(e.idActe() + "  " + e.state().label()
                            + e.transactionId().map(t -> "  transaction " + t).orElse("")
                            + e.dateReception().map(d -> "  reçu le " + d).orElse("")
                            + e.lastError().map(m -> "  (" + m + ")").orElse(""));
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The prefecture's letters with their answer: {@code type}, {@code dateCourrierPref}, {@code transactionId},
     * {@code answer}; the answers by letter id.
     */
    static List<Map<String, Object>> courriers(List<Letters.Letter> ofActe, Map<Long, Letters.Answer> answers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Letters.Letter l : ofActe) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", l.type());
            m.put("dateCourrierPref", l.dateCourrierPref().toString());
            m.put("transactionId", l.transactionId().orElse(null));
            m.put("text", l.text().orElse(null));
            m.put("pdf", l.pdf().map(Object::toString).orElse(null));
            m.put("answer", Optional.ofNullable(answers.get(l.id())).map(a -> {
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("kind", a.kind());
                am.put("state", a.state().name());
                am.put("dateReception", a.dateReception().map(Object::toString).orElse(null));
                am.put("transactionId", a.transactionId().orElse(null));
                am.put("lastError", a.lastError().orElse(null));
                return (Object) am;
            }).orElse(null));
            out.add(m);
        }
        return out;
    }

    /** Every file the journal keeps for the acte: {@code kind}, {@code name}, {@code path}, {@code receivedAt}. */
    static List<Map<String, Object>> documents(List<KeptFile> files) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (KeptFile f : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind());
            m.put("name", f.name());
            m.put("path", f.path().toString());
            m.put("receivedAt", f.receivedAt().map(Object::toString).orElse(null));
            f.messageType().ifPresent(t -> m.put("messageType", t));
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> row(JournalEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idActe", e.idActe().value());
        m.put("siren", e.siren());
        m.put("numero", e.numero());
        m.put("numeroInterne", e.numeroInterne());
        m.put("objet", e.objet());
        m.put("state", e.state().name());
        m.put("stateLabel", e.state().label());
        m.put("tdtStatus", e.tdtStatus().orElse(null));
        m.put("transactionId", e.transactionId().orElse(null));
        m.put("dateReception", e.dateReception().map(Object::toString).orElse(null));
        m.put("lastError", e.lastError().orElse(null));
        m.put("createdAt", e.createdAt().toString());
        m.put("updatedAt", e.updatedAt().toString());
        return m;
    }
}
