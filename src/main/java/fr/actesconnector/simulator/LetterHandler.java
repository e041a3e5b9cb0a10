package fr.actesconnector.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.protocol.ArchiveWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prefecture letters: their arrival as child transactions of an acte, and the scripts that show
 * them ({@code actes_transac_get_document.php}, {@code api/list_document_prefecture.php},
 * {@code api/document_prefecture_mark_as_read.php}).
 */
final class LetterHandler {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final Logger LOG = LoggerFactory.getLogger(LetterHandler.class);

    private final Store store;
    private final Workflow workflow;

    LetterHandler(Store store, Workflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    /**
     * A letter arrives for an acknowledged acte, as S²LOW records it
     * (class/actes/ActesAnalyseFichierRecuController.php, traitementDocumentRecu): a child transaction
     * copying the acte's number, subject, nature and unique_id, dated by the letter, holding the
     * received archive (envelope, message, PDF) re-packed as {@code <trigramme>-<envelope>.tar.gz};
     * status 21 for 2-1 and 5-1, 7 for 3-1 and 4-1.
     */
    long issue(long acteTransactionId, LetterType type, String text) {
        Transaction acte = store.get(acteTransactionId).filter(t -> t.kind == Transaction.Kind.ACTE)
                .orElseThrow(() -> new IllegalArgumentException("no acte transaction " + acteTransactionId));
        Instant now = store.now();
        acte.advance(now, false);
        IdActe idActe = acte.uniqueId().orElseThrow(() -> new IllegalStateException(
                "transaction " + acteTransactionId + " has no ARActe yet: the prefecture cannot write about it"));
        LocalDate date = store.day(now);
        Store.Settings s = store.settings;
        String base = idActe.value() + "-" + type.code() + "_";
        String messageName = base + store.nextPrefectureSerial() + ".xml";
        String pdfName = base + store.nextPrefectureSerial() + ".pdf";
        String envelopeName = "EACT--SPREF" + s.collectivite().departement() + s.collectivite().arrondissement() + "-"
                + s.collectivite().siren() + "-" + BASIC.format(date) + "-" + store.nextPrefectureSerial() + ".xml";
        long id = store.nextTransactionId();
        Path dir = s.workDir().resolve(String.valueOf(id));
        try {
            Files.createDirectories(dir);
            Path pdf = dir.resolve(pdfName);
            Path message = dir.resolve(messageName);
            Path envelope = dir.resolve(envelopeName);
            String body = text.isBlank() ? defaultText(type) : text;
            SimulatedPdfs.bordereau(pdf, List.of(
                    new String[] {"Acte", idActe.value()},
                    new String[] {"Objet de l'acte", acte.facts.listing().subject()},
                    new String[] {"Date du courrier", DAY.format(date)},
                    new String[] {"Courrier", body}), title(type) + " - préfecture simulée");
            store.letters.writeLetter(type, idActe.value(), date, body, pdfName, message);
            store.letters.writePrefectureEnvelope(messageName, envelope);
            Path archive = dir.resolve(s.trigramme() + "-" + envelopeName.substring(0, envelopeName.length() - 4) + ".tar.gz");
            new ArchiveWriter().write(archive, List.of(new ArchiveWriter.Entry(envelopeName, envelope),
                    new ArchiveWriter.Entry(messageName, message), new ArchiveWriter.Entry(pdfName, pdf, false)), now);
            List<Transaction.StoredFile> files = List.of(
                    included(message, "text/xml", FileKind.XML), included(pdf, "application/pdf", FileKind.PDF));
            Transaction.Listing l = acte.facts.listing();
            Transaction.Facts facts = new Transaction.Facts(id, type.transactionType(), Transaction.Kind.LETTER, type.code(),
                    store.nextEnvelopeId(), Optional.of(acte.id), acte.facts.owner(), now,
                    new Transaction.Listing(l.number(), l.subject(), Optional.of(date), l.natureDescr(), l.classification()),
                    dir, Optional.empty(), Optional.of(idActe), files, Optional.empty(), Optional.empty());
            Transaction letter = type.acknowledged()
                    ? new Transaction(facts, 7, "Reçu par le Tdt", s.pacing(), workflow)
                    : new Transaction(facts, 21, "Reçu par le Tdt (pas d'AR envoyé)", s.pacing(), workflow);
            store.add(letter, Optional.of(archive));
            LOG.info("simulator: prefecture letter {} for {} recorded as transaction {}", type.code(), idActe, id);
            return id;
        } catch (IOException e) {
            TdtSimulator.quietlyDeleteTree(dir);
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            TdtSimulator.quietlyDeleteTree(dir);
            throw e;
        }
    }

    private Transaction.StoredFile included(Path file, String mimeType, FileKind kind) throws IOException {
        return new Transaction.StoredFile(store.nextFileId(), file.getFileName().toString(), "", mimeType, Files.size(file),
                "", "", Optional.empty(), file, Optional.of(kind));
    }

    private static String title(LetterType type) {
        return switch (type) {
            case COURRIER_SIMPLE -> "Courrier simple";
            case DEMANDE_PIECES_COMPLEMENTAIRES -> "Demande de pièces complémentaires";
            case LETTRE_OBSERVATIONS -> "Lettre d'observations";
            case DEFERE_TRIBUNAL_ADMINISTRATIF -> "Déféré au tribunal administratif";
        };
    }

    private static String defaultText(LetterType type) {
        return switch (type) {
            case COURRIER_SIMPLE -> "Le contrôle de légalité accuse réception de votre acte.";
            case DEMANDE_PIECES_COMPLEMENTAIRES -> "Merci de transmettre la délibération autorisant la signature du contrat.";
            case LETTRE_OBSERVATIONS -> "L'acte appelle les observations jointes ; merci d'y répondre sous deux mois.";
            case DEFERE_TRIBUNAL_ADMINISTRATIF -> "Incompétence de l'autorité signataire.";
        };
    }

    /**
     * actes_transac_get_document.php: for an acte, one line {@code <type>-<status>-<id>} per child
     * (ActesTransaction::getCourrierInfo: an answered child shows its answer instead; cancellations
     * are children too); for any other transaction, a relative 302 to its envelope's archive.
     */
    void getDocument(HttpExchange ex, Map<String, String> query) throws IOException {
        if (Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query)).isEmpty()) return;
        String uniqueId = query.getOrDefault("unique_id", "");
        Optional<Transaction> t = uniqueId.isEmpty() ? Http.idParam(query, "id").flatMap(store::get) : store.byUniqueId(uniqueId);
        if (t.isEmpty()) {
            Http.echoUtf8(ex, "text/plain", "KO\nNuméro de transaction invalide.");
            return;
        }
        if (t.get().type != Transaction.TYPE_ACTE) {
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            Http.redirect(ex, "actes_download_file.php?env=" + t.get().facts.envelopeId());
            return;
        }
        Instant now = store.now();
        StringBuilder lines = new StringBuilder();
        for (Transaction child : sorted(store.children(t.get().id))) {
            List<Transaction> answers = sorted(store.children(child.id)).stream()
                    .filter(a -> a.type != Transaction.TYPE_CANCEL).toList();
            for (Transaction shown : answers.isEmpty() ? List.of(child) : answers) {
                lines.append(child.type).append('-').append(shown.advance(now, false).status()).append('-').append(shown.id)
                        .append('\n');
            }
        }
        Http.send(ex, 200, "text/plain", Http.latin1(lines.toString()));
    }

    private static List<Transaction> sorted(List<Transaction> list) {
        List<Transaction> out = new ArrayList<>(list);
        out.sort(Comparator.comparingLong(t -> t.id));
        return out;
    }

    /**
     * api/list_document_prefecture.php (ActesTransactionsSQL::listDocumentPrefectureNonLu): types 2 to
     * 5 without type_reponse, not marked read, in id order; integer columns as JSON numbers.
     */
    void listDocumentPrefecture(HttpExchange ex, Map<String, String> query) throws IOException {
        Optional<Accounts.Account> me = Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query));
        if (me.isEmpty()) return;
        Instant now = store.now();
        ArrayNode list = Http.Json.MAPPER.createArrayNode();
        for (Transaction t : store.oldestFirst()) {
            if (t.type < 2 || t.type > 5 || t.facts.typeReponse().isPresent() || t.isRead()) continue;
            if (!store.visibleTo(me.get(), t)) continue;
            ObjectNode o = list.addObject();
            o.put("id", t.id);
            o.put("type", String.valueOf(t.type));
            o.put("related_transaction_id", t.facts.relatedId().orElseThrow());
            o.put("number", t.facts.listing().number());
            o.put("unique_id", t.uniqueId().map(IdActe::value).orElse(null));
            o.put("last_status_id", t.advance(now, false).status());
        }
        Http.sendJson(ex, list);
    }

    /** api/document_prefecture_mark_as_read.php: sets "lu" on the transaction of the authority; always {"result":"ok"}. */
    void markAsRead(HttpExchange ex, Map<String, String> query) throws IOException {
        if (Http.authenticate(store.settings.accounts(), ex, Http.api(Optional.empty(), query)).isEmpty()) return;
        store.get((long) Http.intParam(query, "transaction_id", 0)).ifPresent(Transaction::markRead);
        Http.sendJson(ex, Map.of("result", "ok"));
    }
}
