package fr.actesconnector;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import fr.actesconnector.bundle.BundleSource;
import fr.actesconnector.bundle.BundleWriter;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.KeptFile;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.StateChange;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Reason;
import fr.actesconnector.signing.DetachedSignature;

/**
 * Composes an acte's proof bundle from the journal (the files it keeps, its history, letters and answers,
 * the legal clock) and hands it to {@link BundleWriter}; the period export writes one bundle per acte sent
 * and an {@code index.json}.
 */
final class BundleExport {
    static final String INDEX = "index.json";

    private final ActesConnector connector;
    private final BundleWriter writer;
    private final ZoneId zone;

    BundleExport(ActesConnector connector, BundleWriter writer) {
        this.connector = connector;
        this.writer = writer;
        this.zone = connector.config().validationSettings().zone();
    }

    Path export(IdActe id, Path outDir) {
        JournalEntry e = connector.journal().entries().findByIdActe(id).orElseThrow(() -> new ActesException(Reason.INVALID_INPUT,
                "L'acte " + id + " n'est pas dans le journal.", "no journal entry " + id));
        return export(e, outDir);
    }

    private Path export(JournalEntry e, Path outDir) {
        if (e.archivePath().isEmpty()) {
            throw new ActesException(Reason.INVALID_INPUT, "L'acte " + e.idActe() + " n'a pas encore été transmis (état : "
                    + e.state().label() + ") : il n'a pas de dossier de preuve.", e.idActe() + ": no archive, no bundle");
        }
        return writer.write(source(e), outDir);
    }

    /** The period's bundles, of one collectivité ({@code siren}) or of every one. */
    ActesConnector.ExportedPeriod exportPeriod(Optional<String> siren, LocalDate since, LocalDate until, Path outDir) {
        if (until.isBefore(since)) {
            throw new ActesException(Reason.INVALID_INPUT, "La période est vide : --until (" + until + ") précède --since ("
                    + since + ").", "empty period " + since + ".." + until);
        }
        List<JournalEntry> entries = connector.journal().entries().decidedBetween(since, until).stream()
                .filter(e -> siren.isEmpty() || siren.get().equals(e.siren())).toList();
        List<Path> bundles = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JournalEntry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("idActe", e.idActe().value());
            row.put("siren", e.siren());
            row.put("numero", e.numero());
            row.put("dateDecision", e.dateDecision().toString());
            row.put("objet", e.objet());
            row.put("etat", e.state().label());
            row.put("dateReception", e.dateReception().map(Object::toString).orElse(null));
            if (e.archivePath().isEmpty()) {
                skipped.add(e.idActe() + " (jamais transmis : " + e.state().label() + ")");
                row.put("dossier", null);
            } else {
                Path bundle = export(e, outDir);
                bundles.add(bundle);
                row.put("dossier", bundle.getFileName().toString());
                row.put("sha256", sha256(bundle));
            }
            rows.add(row);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        List<CollectiviteConfig> whose = siren.map(s -> List.of(connector.config().of(s)))
                .orElse(connector.config().collectivites());
        index.put("collectivite", String.join(", ", whose.stream().map(c -> c.collectivite().nom()).toList()));
        siren.ifPresent(s -> index.put("siren", s));
        index.put("du", since.toString());
        index.put("au", until.toString());
        index.put("etabliLe", connector.clock().instant().toString());
        index.put("actes", rows);
        Path indexFile = outDir.resolve(INDEX);
        try {
            Files.createDirectories(outDir);
            Path tmp = Files.createTempFile(outDir, ".index", ".json.tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), index);
            Files.move(tmp, indexFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            throw new ActesException(Reason.INTERNAL, "L'index des dossiers de preuve n'a pas pu être écrit dans « " + outDir
                    + " » : vérifiez l'espace disque et les droits du dossier.", "cannot write index: " + ex, ex);
        }
        return new ActesConnector.ExportedPeriod(bundles, indexFile, skipped);
    }

    private BundleSource source(JournalEntry e) {
        Journal journal = connector.journal();
        String nom = connector.config().find(e.siren()).map(c -> c.collectivite().nom()).orElse("SIREN " + e.siren());
        String matiere = e.classification() + connector.labelsFor(e.siren()).matiere(e.classification())
                .map(m -> " — " + m.label()).orElse("");
        BundleSource.Acte acte = new BundleSource.Acte(e.idActe().value(), nom, e.siren(),
                e.numero(), e.numeroInterne(), e.objet(), e.nature().abbreviation() + " — " + e.nature().label(),
                matiere, e.dateDecision());
        List<StateChange> changes = journal.entries().history(e.id());
        Optional<Instant> sentAt = changes.stream().filter(c -> c.to() == TransmissionState.POSTED
                || c.to() == TransmissionState.HELD).map(StateChange::at).findFirst();
        Optional<String> publication = journal.publications().of(e.id()).map(p -> (p.mode().equals("notification")
                ? "notifié le " : "publié le ") + p.date());
        BundleSource.Transmission transmission = new BundleSource.Transmission(e.state().label(), e.transactionId(),
                sentAt, e.dateReception(), publication);
        return new BundleSource(acte, transmission, connector.legalClock(e), items(e), history(e, changes),
                connector.clock().instant());
    }

    private List<BundleSource.Item> items(JournalEntry e) {
        List<BundleSource.Item> items = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<String> pieces = new ArrayList<>();
        List<KeptFile> signatures = new ArrayList<>();
        for (KeptFile f : connector.journal().files().kept(e.id())) {
            switch (f.kind()) {
                case "archive" -> items.add(BundleSource.Item.ofFile(unique(used, "envoi/" + f.name()), "archive", f.path()));
                case "document", "annexe" -> {
                    String path = unique(used, "envoi/" + f.name());
                    pieces.add(path);
                    items.add(BundleSource.Item.ofFile(path, f.kind(), f.path()));
                }
                case "signature" -> signatures.add(f);
                case "ar", "stamped_pdf", "bordereau" ->
                        items.add(BundleSource.Item.ofFile(unique(used, "accuse/" + f.name()), f.kind(), f.path()));
                case "courrier", "courrier_file", "answer" ->
                        items.add(BundleSource.Item.ofFile(unique(used, "courriers/" + f.name()), f.kind(), f.path()));
                default -> items.add(BundleSource.Item.ofFile(unique(used, "autres/" + f.name()), f.kind(), f.path()));
            }
        }
        // the i-th signature is the i-th piece's (ActesConnector#sign)
        for (int i = 0; i < signatures.size() && i < pieces.size(); i++) {
            String piece = pieces.get(i);
            String base = "signatures/" + piece.substring("envoi/".length());
            Path p7s = signatures.get(i).path();
            items.add(BundleSource.Item.ofFile(unique(used, base + ".p7s"), "signature", p7s).signing(piece));
            items.add(BundleSource.Item.ofBytes(unique(used, base + ".pem"), "signature-pem",
                    DetachedSignature.read(p7s).pem().getBytes(StandardCharsets.US_ASCII)).signing(piece));
        }
        Letters letters = connector.journal().letters();
        for (Letters.Letter l : letters.ofActe(e.id())) {
            Optional<Letters.Answer> answer = letters.answerOf(l.id());
            if (answer.isEmpty()) continue;
            String prefix = "reponses/" + l.type() + "-" + l.dateCourrierPref() + "/";
            int k = 1;
            for (Path f : answer.get().files()) {
                if (!Files.isRegularFile(f)) continue;
                items.add(BundleSource.Item.ofFile(unique(used, prefix + (k++) + "-" + safeName(f.getFileName().toString())),
                        "answer_file", f));
            }
            Optional<String> ar = letters.answerAcknowledgementXml(answer.get().id());
            ar.ifPresent(x -> items.add(BundleSource.Item.ofBytes(unique(used, prefix + "accuse-reception.xml"), "answer",
                    x.getBytes(declaredCharset(x)))));
        }
        return items;
    }

    private List<BundleSource.Event> history(JournalEntry e, List<StateChange> changes) {
        List<BundleSource.Event> events = new ArrayList<>();
        for (StateChange c : changes) {
            String what = c.from().isEmpty() ? "acte enregistré dans le journal (" + c.to().label() + ")"
                    : "« " + c.from().get().label() + " » → « " + c.to().label() + " »";
            // An action that leaves the state as it is (publication, answer) reads as what was done.
            boolean action = c.actor().isPresent() && c.from().equals(Optional.of(c.to())) && c.detail().isPresent();
            String who = c.actor().map(a -> "la commune — " + a.label()).orElse(by(c.to()));
            events.add(action ? new BundleSource.Event(c.at(), who, c.detail().get(), Optional.empty())
                    : new BundleSource.Event(c.at(), who, what + c.tdtStatus().map(s -> ", statut TdT " + s).orElse(""),
                    c.detail().filter(d -> !d.isBlank())));
        }
        Letters letters = connector.journal().letters();
        for (Letters.Letter l : letters.ofActe(e.id())) {
            events.add(new BundleSource.Event(l.receivedAt(), "la préfecture", "courrier " + l.type() + " daté du "
                    + l.dateCourrierPref() + l.transactionId().map(t -> " (transaction " + t + ")").orElse(""), Optional.empty()));
            letters.answerOf(l.id()).ifPresent(a -> {
                a.sentAt().ifPresent(at -> events.add(new BundleSource.Event(at, "la commune", "réponse « " + a.kind()
                        + " » au courrier " + l.type() + " envoyée" + a.transactionId().map(t -> " (transaction " + t + ")").orElse(""),
                        Optional.empty())));
                // a date without a time: after the sending, so that the history reads in order
                a.dateReception().ifPresent(d -> events.add(new BundleSource.Event(latest(d.atStartOfDay(zone).toInstant(),
                        a.sentAt()),
                        "la préfecture", "accusé de réception de la réponse « " + a.kind() + " », reçue le " + d, Optional.empty())));
            });
        }
        connector.journal().publications().of(e.id()).ifPresent(p -> events.add(new BundleSource.Event(
                p.date().atStartOfDay(zone).toInstant(), "la commune", (p.mode().equals("notification") ? "notification"
                : "publication") + " de l'acte le " + p.date() + " (déclarée au connecteur)", Optional.empty())));
        events.sort(Comparator.comparing(BundleSource.Event::at));
        return events;
    }

    private static Instant latest(Instant day, Optional<Instant> before) {
        return before.filter(b -> b.isAfter(day)).map(b -> b.plusSeconds(1)).orElse(day);
    }

    /** Who moved the acte into {@code state}. */
    private static String by(TransmissionState state) {
        return switch (state) {
            case PREPARED, POSTING, CANCEL_REQUESTED -> "la commune (connecteur)";
            case POSTED, HELD, VALIDATED, TRANSMITTED, ERROR -> "le TdT";
            case ACKNOWLEDGED, CANCELLED, REJECTED -> "la préfecture";
        };
    }

    private static String unique(Set<String> used, String path) {
        String candidate = path;
        for (int n = 2; !used.add(candidate); n++) {
            int slash = path.lastIndexOf('/');
            candidate = path.substring(0, slash + 1) + n + "-" + path.substring(slash + 1);
        }
        return candidate;
    }

    /** A file name safe as a zip entry: letters, digits, '.', '-', '_' only. */
    private static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "fichier" + s : s;
    }

    private static Charset declaredCharset(String xml) {
        String head = xml.substring(0, Math.min(200, xml.length())).toLowerCase(Locale.ROOT);
        return head.contains("iso-8859-1") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    private static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) != -1; ) md.update(buffer, 0, n);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException ex) {
            throw new ActesException(Reason.INTERNAL, "Le dossier « " + file + " » n'a pas pu être relu.", "cannot hash " + file, ex);
        }
    }

}
