package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.jaxb.ARPieceComplementaire;
import fr.actesconnector.protocol.jaxb.ARReponseRejetLettreObservations;
import fr.actesconnector.protocol.jaxb.DefereTA;
import fr.actesconnector.protocol.jaxb.DemandePieceComplementaire;
import fr.actesconnector.protocol.jaxb.EnveloppeCLMISILL;
import fr.actesconnector.protocol.jaxb.EnveloppeMISILLCL;
import fr.actesconnector.protocol.jaxb.PieceComplementaire;
import fr.actesconnector.protocol.jaxb.RejetLettreObservations;
import fr.actesconnector.protocol.jaxb.ReponseCourrierSimple;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Prefecture letters (2-1, 3-1, 4-1, 5-1), their listing and archives, and the collectivité's answers, with raw HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorLettersIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DOCUMENT = "/modules/actes/actes_transac_get_document.php";
    private static final String ANSWER = "/modules/actes/actes_transac_reponse_create.php";
    private static final ActesXml XML = new ActesXml();

    private Path pkiDir;
    private RawS2low.Pki pki;
    private TdtSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        pkiDir = Files.createTempDirectory("simulator-letters-pki");
        pki = RawS2low.Pki.create(pkiDir);
        simulator = TdtSimulator.builder().tls(pki.tls()).pacing(Pacing.ONE_STEP_PER_POLL).start();
    }

    @AfterAll
    void stop() {
        simulator.close();
        TdtSimulator.quietlyDeleteTree(pkiDir);
    }

    private RawS2low raw() throws Exception {
        return new RawS2low(simulator.url(), pki);
    }

    private static String today() {
        return DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneId.of("Europe/Paris")));
    }

    private long acknowledged(RawS2low raw, String number) throws Exception {
        long id = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, number, "99_DC")));
        raw.pollUntil(id, 4);
        return id;
    }

    /** The entries of a .tar.gz, in order. */
    private static Map<String, byte[]> untar(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) entries.put(e.getName(), tar.readAllBytes());
        }
        return entries;
    }

    private static <T> T read(byte[] xml, String name, Class<T> type) {
        InputStream in = new ByteArrayInputStream(xml);
        return XML.read(in, name, type);
    }

    /** get_document?id=<child>, its relative Location resolved against the script's URL, then the archive. */
    private Map<String, byte[]> archiveOf(RawS2low raw, long child) throws Exception {
        RawS2low.Reply redirect = raw.get(DOCUMENT + "?id=" + child);
        assertEquals(302, redirect.code());
        String location = redirect.location();
        assertTrue(location.matches("actes_download_file\\.php\\?env=[0-9]+"), "relative, as S²LOW writes it: " + location);
        URI resolved = URI.create(DOCUMENT).resolve(location);
        assertEquals("/modules/actes/actes_download_file.php", resolved.getPath());
        RawS2low.Reply archive = raw.get(resolved.toString());
        assertEquals(200, archive.code());
        assertEquals("application/x-gzip", archive.header("Content-Type").orElse(""));
        return untar(archive.body());
    }

    @Test
    @DisplayName("letters are child transactions of the acte: 21 for 2-1 and 5-1, 7 then 8 for 3-1 and 4-1 (class/actes/ActesAnalyseFichierRecuController.php, actes_transac_get_document.php)")
    void lettersAreChildTransactionsOfTheActe() throws Exception {
        try (RawS2low raw = raw()) {
            long pending = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "COURRIER_0", "99_DC")));
            assertThrows(IllegalStateException.class, () -> simulator.issueLetter(pending, LetterType.COURRIER_SIMPLE),
                    "no letter before the ARActe");
            assertThrows(IllegalArgumentException.class, () -> simulator.issueLetter(999_999, LetterType.COURRIER_SIMPLE));

            long acte = acknowledged(raw, "COURRIER_1");
            assertEquals("", raw.get(DOCUMENT + "?id=" + acte).latin1());
            long pieces = simulator.issueLetter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);
            long simple = simulator.issueLetter(acte, LetterType.COURRIER_SIMPLE);
            long observations = simulator.issueLetter(acte, LetterType.LETTRE_OBSERVATIONS);
            long defere = simulator.issueLetter(acte, LetterType.DEFERE_TRIBUNAL_ADMINISTRATIF);

            RawS2low.Reply lines = raw.get(DOCUMENT + "?id=" + acte);
            assertEquals("text/plain", lines.header("Content-Type").orElse(""));
            assertEquals("3-7-" + pieces + "\n2-21-" + simple + "\n4-7-" + observations + "\n5-21-" + defere + "\n", lines.latin1());
            assertEquals(lines.latin1(), raw.get(DOCUMENT + "?unique_id=078-217803105-20260427-COURRIER_1-CC").latin1());

            assertEquals("OK\n7\n", raw.get(TdtSimulator.STATUS + "?transaction=" + pieces).latin1());
            assertEquals("OK\n8\n", raw.get(TdtSimulator.STATUS + "?transaction=" + pieces).latin1(), "S²LOW sent the 3-2");
            assertEquals("OK\n21\n", raw.get(TdtSimulator.STATUS + "?transaction=" + simple).latin1());
            assertEquals("OK\n21\n", raw.get(TdtSimulator.STATUS + "?transaction=" + simple).latin1(), "no AR for a 2-1");
            assertEquals("KO\nNuméro de transaction invalide.", raw.get(DOCUMENT + "?id=999999").utf8());
        }
    }

    @Test
    @DisplayName("a letter's archive: relative 302 to actes_download_file.php?env=N, envelope, message and PDF (actes_transac_get_document.php, actes_download_file.php)")
    void letterArchiveIsReachedThroughARelativeRedirect() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "COURRIER_2");
            long letter = simulator.issueLetter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES, "Le contrat signé, svp.");
            Map<String, byte[]> entries = archiveOf(raw, letter);
            assertEquals(3, entries.size(), entries.keySet().toString());
            String envelopeName = entries.keySet().iterator().next();
            assertTrue(envelopeName.matches("EACT--SPREF0781-217803105-" + today() + "-[0-9]+\\.xml"), envelopeName);
            String messageName = message(entries);
            assertTrue(messageName.matches("078-217803105-20260427-COURRIER_2-CC-3-1_[0-9]+\\.xml"), messageName);

            DemandePieceComplementaire m = read(entries.get(messageName), messageName, DemandePieceComplementaire.class);
            assertEquals("078-217803105-20260427-COURRIER_2-CC", m.getIDActe());
            assertEquals(LocalDate.now(ZoneId.of("Europe/Paris")), m.getDateCourrierPref());
            assertEquals("Le contrat signé, svp.", m.getDescriptionPieces());
            String pdf = m.getDocument().getNomFichier();
            assertTrue(new String(entries.get(pdf), StandardCharsets.ISO_8859_1).startsWith("%PDF-"), pdf);
            EnveloppeMISILLCL envelope = read(entries.get(envelopeName), envelopeName, EnveloppeMISILLCL.class);
            assertEquals("217803105", envelope.getDestinataire().getSIREN());
            assertEquals("078", envelope.getEmetteur().getIDSousPref().getDepartement());
            assertEquals("1", envelope.getEmetteur().getIDSousPref().getArrondissement());
            assertEquals(messageName, envelope.getFormulairesEnvoyes().getFormulaire().get(0).getNomFichier());

            JsonNode files = MAPPER.readTree(raw.get("/modules/actes/actes_transac_get_files_list.php?transaction=" + letter).utf8());
            assertEquals(messageName, files.get(0).path("name").asText());
            assertEquals(pdf, files.get(1).path("name").asText());

            long defere = simulator.issueLetter(acte, LetterType.DEFERE_TRIBUNAL_ADMINISTRATIF, "Incompétence.");
            Map<String, byte[]> ta = archiveOf(raw, defere);
            String taName = message(ta);
            assertTrue(taName.matches("078-217803105-20260427-COURRIER_2-CC-5-1_[0-9]+\\.xml"), taName);
            DefereTA d = read(ta.get(taName), taName, DefereTA.class);
            assertEquals("Incompétence.", d.getNatureIllegalite());
            assertEquals(1, d.getPiecesJointes().getPieceJointe().size());
        }
    }

    /** The message among the archive's entries: the one XML file that is not the envelope. */
    private static String message(Map<String, byte[]> entries) {
        List<String> xml = entries.keySet().stream().filter(n -> n.endsWith(".xml") && !n.startsWith("EACT--")).toList();
        assertEquals(1, xml.size(), entries.keySet().toString());
        return xml.get(0);
    }

    @Test
    @DisplayName("unread prefecture documents are listed until marked read; answers never (api/list_document_prefecture.php, api/document_prefecture_mark_as_read.php, class/actes/ActesTransactionsSQL.php)")
    void unreadDocumentsAreListedUntilMarkedRead() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "COURRIER_3");
            long letter = simulator.issueLetter(acte, LetterType.LETTRE_OBSERVATIONS);
            JsonNode row = unread(raw, letter);
            assertTrue(row.path("id").isIntegralNumber() && row.path("related_transaction_id").isIntegralNumber()
                    && row.path("last_status_id").isIntegralNumber(), row.toString());
            assertEquals("4", row.path("type").asText());
            assertTrue(row.path("type").isTextual());
            assertEquals(acte, row.path("related_transaction_id").asLong());
            assertEquals("COURRIER_3", row.path("number").asText());
            assertEquals("078-217803105-20260427-COURRIER_3-CC", row.path("unique_id").asText());
            assertEquals(7, row.path("last_status_id").asInt());

            assertEquals("{\"result\":\"ok\"}", raw.get("/modules/actes/api/document_prefecture_mark_as_read.php?transaction_id="
                    + letter).latin1());
            assertFalse(unreadIds(raw).contains(letter));
            assertEquals("{\"result\":\"ok\"}",
                    raw.get("/modules/actes/api/document_prefecture_mark_as_read.php?transaction_id=999999").latin1());
        }
    }

    private static JsonNode unread(RawS2low raw, long id) throws Exception {
        for (JsonNode d : MAPPER.readTree(raw.get("/modules/actes/api/list_document_prefecture.php").utf8())) {
            if (d.path("id").asLong() == id) return d;
        }
        throw new AssertionError("document " + id + " not listed");
    }

    private static List<Long> unreadIds(RawS2low raw) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (JsonNode d : MAPPER.readTree(raw.get("/modules/actes/api/list_document_prefecture.php").utf8())) {
            ids.add(d.path("id").asLong());
        }
        return ids;
    }

    private MultipartEntityBuilder answer(long letter, String typeEnvoie, String... attachmentTypes) throws IOException {
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        RawS2low.text(form, "id", String.valueOf(letter));
        if (typeEnvoie != null) RawS2low.text(form, "type_envoie", typeEnvoie);
        RawS2low.text(form, "type_acte", "99_DC");
        RawS2low.pdf(form, dir, "acte_pdf_file", "reponse " + letter);
        for (int i = 0; i < attachmentTypes.length; i++) {
            RawS2low.pdf(form, dir, "acte_attachments[]", "piece " + letter + "-" + i);
            RawS2low.text(form, "type_pj[]", attachmentTypes[i]);
        }
        return form;
    }

    @Test
    @DisplayName("answer 3-4 to a 3-1, api in the query: \"OK : id généré\", attachments listed, 3-5 at status 4 (actes_transac_reponse_create.php, ActesTransaction::generateReponseCourrierXMLFile, ActesTransaction::getCourrierInfo)")
    void answerWithPiecesListsItsAttachmentsAndIsAcknowledged() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "REPONSE_1");
            long letter = simulator.issueLetter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);
            RawS2low.Reply created = raw.post(ANSWER + "?api=1", answer(letter, "4", "99_DC"));
            assertEquals("text/plain", created.header("Content-Type").orElse(""));
            String text = created.utf8();
            assertTrue(text.matches("OK : id généré : [0-9]+\n"), text);
            long answer = Long.parseLong(text.substring("OK : id généré : ".length()).strip());

            assertEquals("3-1-" + answer + "\n", raw.get(DOCUMENT + "?id=" + acte).latin1(), "the answer shows instead of the letter");
            boolean listed = false;
            for (JsonNode t : MAPPER.readTree(raw.get("/modules/actes/api/list_actes.php?status_id=1").utf8()).path("transactions")) {
                if (t.path("id").asText().equals(String.valueOf(answer))) {
                    assertEquals("3", t.path("type").asText());
                    assertEquals("REPONSE_1", t.path("number").asText(), "answers carry the acte's number");
                    listed = true;
                }
            }
            assertTrue(listed, "the answer is in list_actes at status 1");
            assertFalse(unreadIds(raw).contains(answer), "answers have a type_reponse");

            Map<String, byte[]> entries = archiveOf(raw, answer);
            String prefix = "078-217803105-" + today() + "-REPONSE_1-CC-3-4";
            assertEquals(List.of("EACT--217803105--" + today() + "-" + envelopeSerial(entries) + ".xml", prefix + "_0.xml",
                    "99_DC-" + prefix + "_1.pdf", "99_DC-" + prefix + "_2.pdf"), new ArrayList<>(entries.keySet()));
            PieceComplementaire m = read(entries.get(prefix + "_0.xml"), "m", PieceComplementaire.class);
            assertEquals("078-217803105-20260427-REPONSE_1-CC", m.getIDActe());
            assertEquals(List.of("99_DC-" + prefix + "_1.pdf", "99_DC-" + prefix + "_2.pdf"),
                    m.getDocuments().getDocument().stream().map(d -> d.getNomFichier()).toList());
            EnveloppeCLMISILL envelope = read(entries.values().iterator().next(), "e", EnveloppeCLMISILL.class);
            assertEquals(prefix + "_0.xml", envelope.getFormulairesEnvoyes().getFormulaire().get(0).getNomFichier());

            String four = raw.pollUntil(answer, 4);
            ARPieceComplementaire ar = read(four.substring("OK\n4\n".length()).getBytes(StandardCharsets.ISO_8859_1), "3-5",
                    ARPieceComplementaire.class);
            assertEquals("078-217803105-20260427-REPONSE_1-CC", ar.getInfosCourrierPref().getIDActe());
        }
    }

    private static String envelopeSerial(Map<String, byte[]> entries) {
        String envelope = entries.keySet().iterator().next();
        return envelope.substring(envelope.lastIndexOf('-') + 1, envelope.length() - ".xml".length());
    }

    @Test
    @DisplayName("answer 2-2, api in the body: OK\\n<id>\\n\\n, attachment archived but not named, stays at 3 (actes_transac_reponse_create.php, ActesTransaction::generateReponseCourrierXMLFile)")
    void answerToASimpleLetterStaysTransmitted() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "REPONSE_2");
            long letter = simulator.issueLetter(acte, LetterType.COURRIER_SIMPLE);
            MultipartEntityBuilder form = RawS2low.text(answer(letter, "4", "99_DC"), "api", "1");
            long answer = RawS2low.createdId(raw.post(ANSWER, form));

            Map<String, byte[]> entries = archiveOf(raw, answer);
            String prefix = "078-217803105-" + today() + "-REPONSE_2-CC-2-2";
            assertEquals(4, entries.size(), "the attachment is in the archive: " + entries.keySet());
            assertTrue(entries.containsKey("99_DC-" + prefix + "_2.pdf"), entries.keySet().toString());
            ReponseCourrierSimple m = read(entries.get(prefix + "_0.xml"), "m", ReponseCourrierSimple.class);
            assertEquals("99_DC-" + prefix + "_1.pdf", m.getDocument().getNomFichier());
            assertFalse(new String(entries.get(prefix + "_0.xml"), StandardCharsets.ISO_8859_1).contains("_2.pdf"),
                    "only a 3-4 names its attachments");

            raw.pollUntil(answer, 3);
            for (int i = 0; i < 3; i++) {
                assertEquals("OK\n3\n", raw.get(TdtSimulator.STATUS + "?transaction=" + answer).latin1(), "no AR for a 2-2");
            }
        }
    }

    @Test
    @DisplayName("answer 4-3 (refusal) to a 4-1, acknowledged by a 4-5 (actes_transac_reponse_create.php, class/actes/ActesAnalyseFichierRecuController.php)")
    void refusalOfObservationsIsAcknowledged() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "REPONSE_3");
            long letter = simulator.issueLetter(acte, LetterType.LETTRE_OBSERVATIONS);
            String text = raw.post(ANSWER + "?api=1", answer(letter, "3")).utf8();
            long answer = Long.parseLong(text.substring("OK : id généré : ".length()).strip());
            Map<String, byte[]> entries = archiveOf(raw, answer);
            String prefix = "078-217803105-" + today() + "-REPONSE_3-CC-4-3";
            read(entries.get(prefix + "_0.xml"), "m", RejetLettreObservations.class);
            String four = raw.pollUntil(answer, 4);
            read(four.substring("OK\n4\n".length()).getBytes(StandardCharsets.ISO_8859_1), "4-5", ARReponseRejetLettreObservations.class);
        }
    }

    @Test
    @DisplayName("answer refusals: \"KO : …\" with api in the query, the generic KO for a missing typology (actes_transac_reponse_create.php)")
    void answerRefusals() throws Exception {
        try (RawS2low raw = raw()) {
            long acte = acknowledged(raw, "REPONSE_4");
            long letter = simulator.issueLetter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES);
            assertEquals("KO : Transaction inconnue", raw.post(ANSWER + "?api=1", answer(999_999, "4")).utf8());
            assertEquals("KO : Erreur lors de la génération de l'acte : Vous devez choisir un type de réponse",
                    raw.post(ANSWER + "?api=1", answer(letter, null)).utf8());
            assertEquals("KO : Erreur lors de la génération de l'acte : Mauvais type de transaction.",
                    raw.post(ANSWER + "?api=1", answer(acte, "4")).utf8());
            MultipartEntityBuilder noTypology = MultipartEntityBuilder.create();
            RawS2low.text(noTypology, "id", String.valueOf(letter));
            RawS2low.text(noTypology, "type_envoie", "4");
            RawS2low.pdf(noTypology, dir, "acte_pdf_file", "sans typologie");
            assertEquals("KO\nErreur lors de la réception du fichier : typologie absente\n",
                    raw.post(ANSWER + "?api=1", noTypology).latin1());
            assertEquals("3-7-" + letter + "\n", raw.get(DOCUMENT + "?id=" + acte).latin1(), "nothing recorded");
        }
    }
}
