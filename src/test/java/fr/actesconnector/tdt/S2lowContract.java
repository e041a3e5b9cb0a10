package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.signing.DetachedSignature;
import fr.actesconnector.signing.Signer;
import fr.actesconnector.signing.SigningKey;
import fr.actesconnector.signing.Verifier;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What S²LOW does, as the client meets it: each test names the S²LOW file ({@code libriciel/s2low})
 * whose behaviour it encodes. The same tests run against the project's simulator and against WireMock
 * replaying S²LOW's replies byte for byte ({@link S2lowContractSimulatorIT}, {@link S2lowContractWireMockIT}),
 * so that neither the client's tests nor the simulator can drift from S²LOW alone.
 */
abstract class S2lowContract {
    static final IdActe ID_ACTE = new IdActe(Houdan.ID_ACTE);
    static final String NUMBER = Houdan.NUMERO_INTERNE;

    @TempDir
    Path dir;

    /** The server under contract, with its options; closed by the test. */
    abstract S2low start(S2low.Options options) throws Exception;

    S2low start() throws Exception {
        return start(S2low.Options.DEFAULT);
    }

    // ------------------------------------------------------------------ the contracts

    @Test
    @DisplayName("signatures are uploaded as text and embedded as is (ActesTransaction.class.php: addSign, generateActeXMLFile)")
    void signaturesTravelAsPemText() throws Exception {
        try (S2low s2low = start()) {
            TestPki pki = new TestPki("Contract CA");
            TestPki.Identity signer = pki.ecSigner("Maire de Houdan");
            Path document = pdf("decision.pdf", 3000);
            Path annex = pdf("contrat.pdf", 5000);
            Signer sign = new Signer(new SigningKey(signer.key(), signer.chain()), Clock.systemUTC());
            Path documentSig = sign.sign(document).writeTo(dir.resolve("decision.p7s"));
            Path annexSig = sign.sign(annex).writeTo(dir.resolve("contrat.p7s"));
            s2low.willCreate(NUMBER);
            long tx = s2low.client().create(new TdtSubmission(Nature.CC, NUMBER, Houdan.DATE_DECISION,
                    Houdan.OBJET_ACKNOWLEDGED, Classification.of(1, 4), new Piece(document, new Typologie("99_DC")),
                    List.of(new Piece(annex, new Typologie("99_DC"))), Optional.of(documentSig), List.of(annexSig), false),
                    ID_ACTE).transactionId();

            Verifier verifier = new Verifier(Clock.systemUTC(), List.of(pki.ca().certificate()));
            String documentText = s2low.signatureInMessage(tx, 1);
            assertTrue(documentText.startsWith("-----BEGIN PKCS7-----"), documentText);
            Path asReceived = Files.writeString(dir.resolve("from-message-1.pem"), documentText, StandardCharsets.US_ASCII);
            verifier.verify(document, DetachedSignature.read(asReceived)); // throws when it does not verify
            Path annexText = Files.writeString(dir.resolve("from-message-2.pem"), s2low.signatureInMessage(tx, 2),
                    StandardCharsets.US_ASCII);
            verifier.verify(annex, DetachedSignature.read(annexText));
        }
    }

    @Test
    @DisplayName("a prefecture letter is listed, fetched through a relative redirect and marked read "
            + "(actes_transac_get_document.php, api/list_document_prefecture.php, api/document_prefecture_mark_as_read.php)")
    void prefectureLetterThroughRelativeRedirect() throws Exception {
        try (S2low s2low = start()) {
            long acte = s2low.acknowledgedActe(submission(NUMBER, "99_DC"), ID_ACTE);
            long letter = s2low.issueLetter(acte, 3);
            TdtClient client = s2low.client();

            List<PrefectureDocument> unread = client.listPrefectureDocuments();
            assertEquals(1, unread.size(), unread.toString());
            assertEquals(letter, unread.get(0).id());
            assertEquals(3, unread.get(0).type());
            assertEquals(acte, unread.get(0).relatedTransactionId());
            assertTrue(client.childTransactions(acte).stream().anyMatch(c -> c.id() == letter && c.type() == 3),
                    client.childTransactions(acte).toString());

            Path archive = dir.resolve("letter.tar.gz");
            client.downloadPrefectureDocument(letter, archive);
            List<String> names = tarNames(archive);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".xml") && n.contains("-3-1_")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".pdf")), names.toString());

            client.markAsRead(letter);
            assertEquals(List.of(), client.listPrefectureDocuments());
        }
    }

    @Test
    @DisplayName("an account with the CS right only gets status 17; post_confirm_api by a TT account releases it "
            + "(actes_transac_create.php, actes_transac_post_confirm_api.php)")
    void heldActesAreReleasedByATeletransmitter() throws Exception {
        try (S2low s2low = start()) {
            s2low.willHold(NUMBER);
            long tx = s2low.csClient().create(submission(NUMBER, "99_DC"), ID_ACTE).transactionId();
            assertEquals(17, s2low.client().getStatus(tx).code(), "created in 17 whatever en_attente says");

            s2low.client().confirmHeld(tx);
            int after = s2low.client().getStatus(tx).code();
            assertTrue(after == 1 || after == 2, "released: " + after);

            TdtRefusedException again = assertThrows(TdtRefusedException.class, () -> s2low.client().confirmHeld(tx));
            assertTrue(again.tdtMessage().contains("En attente d'être post"), again.tdtMessage());
        }
    }

    @Test
    @DisplayName("the typology is checked after the OK, and the number stays used "
            + "(class/actes/ActesAnalyseFichierAEnvoyerWorker.php, ActesTransaction::isUnique)")
    void typologyRefusedAfterTheOk() throws Exception {
        try (S2low s2low = start()) {
            s2low.willRefuseTypologyLater(NUMBER, "99_AU");
            TdtClient client = s2low.client();
            long tx = client.create(submission(NUMBER, "99_AU"), ID_ACTE).transactionId();
            StatusReport r = s2low.awaitStatus(tx, Set.of(-1, 4));
            assertEquals(-1, r.code());
            assertTrue(r.message().startsWith("Enveloppe invalide : "), r.message());
            assertTrue(r.message().contains("99_AU"), r.message());

            TdtRefusedException ko = assertThrows(TdtRefusedException.class,
                    () -> client.create(submission(NUMBER, "99_DC"), ID_ACTE));
            assertTrue(ko.tdtMessage().contains("même numéro"), ko.tdtMessage());
        }
    }

    @Test
    @DisplayName("the IDActe is known to S²LOW only from the AR (class/actes/ActesAnalyseFichierRecuController.php, "
            + "actes_transac_get_status.php)")
    void uniqueIdOnlyAfterTheAr() throws Exception {
        try (S2low s2low = start()) {
            s2low.willCreate(NUMBER);
            TdtClient client = s2low.client();
            long tx = client.create(submission(NUMBER, "99_DC"), ID_ACTE).transactionId();
            assertThrows(TdtRefusedException.class, () -> client.getStatus(ID_ACTE));
            assertEquals(Optional.of(tx), client.findTransaction(ID_ACTE, NUMBER), "found by number, not by IDActe");

            assertEquals(4, s2low.awaitStatus(tx, Set.of(4, -1)).code());
            StatusReport byIdActe = client.getStatus(ID_ACTE);
            assertEquals(4, byIdActe.code());
            assertTrue(byIdActe.hasXml());
        }
    }

    @Test
    @DisplayName("list_actes lists every transaction type; only type 1 is the acte (controller/ActesAPIController.php)")
    void listActesHoldsEveryType() throws Exception {
        try (S2low s2low = start()) {
            long acte = s2low.acknowledgedActe(submission(NUMBER, "99_DC"), ID_ACTE);
            s2low.willCancel(acte);
            long cancel = s2low.client().cancel(acte);
            assertNotEquals(acte, cancel);

            List<TdtTransaction> posted = s2low.client().listActes(1, 0, 100).transactions();
            assertTrue(posted.stream().anyMatch(t -> t.id() == cancel && t.type() == 6 && NUMBER.equals(t.number())),
                    "the cancellation carries the acte's number: " + posted);
            assertEquals(Optional.of(acte), s2low.client().findTransaction(ID_ACTE, NUMBER));
        }
    }

    @Test
    @DisplayName("answers: api in the query, 'OK : id généré', extra files only for a 3-4 "
            + "(actes_transac_reponse_create.php, ActesTransaction::generateReponseCourrierXMLFile)")
    void answersToALetter() throws Exception {
        try (S2low s2low = start()) {
            long acte = s2low.acknowledgedActe(submission(NUMBER, "99_DC"), ID_ACTE);
            long letter = s2low.issueLetter(acte, 3);
            s2low.willAnswer(letter);
            long answer = s2low.client().createReponse(new ReponseSubmission(letter, 3, ReponseSubmission.Kind.SEND,
                    new Piece(pdf("reponse.pdf", 2000), new Typologie("99_DC")), Optional.empty(),
                    List.of(new Piece(pdf("devis.pdf", 2000), new Typologie("99_DC")))));
            assertTrue(answer > 0 && answer != letter && answer != acte, "answer id " + answer);

            InvalidActeException refused = assertThrows(InvalidActeException.class, () -> new ReponseSubmission(letter, 4,
                    ReponseSubmission.Kind.SEND, new Piece(pdf("reponse-lo.pdf", 2000), new Typologie("99_DC")),
                    Optional.empty(), List.of(new Piece(pdf("piece.pdf", 2000), new Typologie("99_DC")))));
            assertTrue(refused.userMessage().contains("3-4"), refused.userMessage());
        }
    }

    @Test
    @DisplayName("a body over the web server's limit is answered 413 before S²LOW runs (Apache LimitRequestBody)")
    void bodyOverTheServerLimit() throws Exception {
        try (S2low s2low = start(new S2low.Options(64 * 1024, false))) {
            s2low.willRefuseBody();
            TdtClient client = s2low.client();
            TdtSubmission big = new TdtSubmission(Nature.CC, NUMBER, Houdan.DATE_DECISION, Houdan.OBJET_ACKNOWLEDGED,
                    Classification.of(1, 4), new Piece(pdf("gros.pdf", 200 * 1024), new Typologie("99_DC")), List.of(),
                    Optional.empty(), List.of(), false);
            TdtRefusedException e = assertThrows(TdtRefusedException.class, () -> client.create(big, ID_ACTE));
            assertTrue(e.userMessage().contains("archive trop volumineuse pour ce TdT (limite du serveur)"), e.userMessage());
            assertFalse(e.userMessage().contains("tdt.url"), e.userMessage());
            assertEquals(Optional.empty(), client.findTransaction(ID_ACTE, NUMBER), "nothing recorded");
        }
    }

    @Test
    @DisplayName("before S²LOW 5.0.47 get_ARActe redirects; the ARActe comes with get_status at 4 "
            + "(CHANGELOG 5.0.47, actes_transac_get_ARActe.php, actes_transac_get_status.php)")
    void arActeBefore5047() throws Exception {
        try (S2low s2low = start(new S2low.Options(0, true))) {
            long acte = s2low.acknowledgedActe(submission(NUMBER, "99_DC"), ID_ACTE);
            assertFalse(s2low.client().downloadARActe(acte, dir.resolve("ar.xml")));
            StatusReport r = s2low.client().getStatus(acte);
            assertEquals(4, r.code());
            assertTrue(new String(r.xmlBytes(), StandardCharsets.ISO_8859_1).contains("ARActe"), "ARActe after OK\\n4\\n");
        }
    }

    // ------------------------------------------------------------------ helpers

    TdtSubmission submission(String number, String typologie) throws IOException {
        return new TdtSubmission(Nature.CC, number, Houdan.DATE_DECISION, Houdan.OBJET_ACKNOWLEDGED, Classification.of(1, 4),
                new Piece(pdf("decision-" + number + ".pdf", 3000), new Typologie(typologie)),
                List.of(new Piece(pdf("contrat-" + number + ".pdf", 4000), new Typologie(typologie))),
                Optional.empty(), List.of(), false);
    }

    /** A small well-formed PDF of about {@code size} bytes. */
    Path pdf(String name, int size) throws IOException {
        Path p = dir.resolve(name);
        if (Files.exists(p)) return p;
        StringBuilder sb = new StringBuilder("%PDF-1.4\n% ").append(name).append('\n');
        while (sb.length() < size - 6) sb.append("% remplissage du document de test\n");
        sb.append("%%EOF\n");
        return Files.writeString(p, sb, StandardCharsets.ISO_8859_1);
    }

    /** Names of a .tar.gz's entries (ustar headers read directly: the test must not trust the project's reader). */
    static List<String> tarNames(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) break;
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                names.add(name);
                in.skipNBytes((size + 511) / 512 * 512);
            }
        }
        return names;
    }

    static LocalDate today() {
        return LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
