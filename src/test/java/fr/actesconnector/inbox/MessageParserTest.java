package fr.actesconnector.inbox;

import fr.actesconnector.model.Reason;
import fr.actesconnector.protocol.UnreadableMessageException;
import fr.actesconnector.testing.Houdan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static fr.actesconnector.inbox.InboxFixtures.AR_FILE;
import static fr.actesconnector.inbox.InboxFixtures.ENVELOPE_FILE;
import static fr.actesconnector.inbox.InboxFixtures.entries;
import static fr.actesconnector.inbox.InboxFixtures.houdanArActe;
import static fr.actesconnector.inbox.InboxFixtures.houdanEnvelope;
import static fr.actesconnector.inbox.InboxFixtures.pdf;
import static fr.actesconnector.inbox.InboxFixtures.resource;
import static fr.actesconnector.inbox.InboxFixtures.tarGz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageParserTest {
    private static final Path SAMPLES = Path.of("..", "shared", "reference", "samples");
    private final MessageParser parser = new MessageParser();

    static Stream<Path> messages() throws IOException {
        try (Stream<Path> list = Files.list(resource(""))) {
            return list.filter(p -> p.toString().endsWith(".xml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageOfTheCatalogueIsReadWithItsRootName(Path file) throws IOException {
        ParseResult result = parser.parse(file);
        assertEquals(1, result.replies().size());
        Reply reply = result.replies().get(0);
        String name = file.getFileName().toString();
        String expectedRoot = name.substring(name.indexOf('_') + 1, name.length() - 4);
        if (!name.matches("^[0-9]-[0-9]_.*")) expectedRoot = name.substring(0, name.length() - 4);
        assertEquals(expectedRoot, reply.rootName());
        assertEquals(name, reply.sourceFile());
        assertEquals(Files.size(file), reply.xml().size());
        assertTrue(reply.xml().text().contains(expectedRoot));
    }

    @Test
    void houdanArActeGivesEveryValue() {
        Reply r = parser.parseXml(new ByteArrayInputStream(houdanArActe()), AR_FILE).replies().get(0);
        assertEquals(MessageType.AR_ACTE, r.type());
        assertEquals(Optional.of(Houdan.ID_ACTE), r.idActe());
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), r.dateReception());
        assertEquals(Optional.of("2026_DEC_020"), r.numeroInterne());
        assertEquals(Optional.of(4), r.codeNatureActe());
        assertEquals(Optional.of(Houdan.OBJET_ACKNOWLEDGED), r.objet());
        assertEquals(Optional.of("1.4"), r.acte().flatMap(Reply.ActeRecu::matiere));
        assertEquals(Optional.of(Houdan.DATE_DECISION), r.acte().flatMap(Reply.ActeRecu::date));
        assertEquals(Optional.of(InboxFixtures.CLASSIFICATION_EN_COURS), r.classificationDateVersionEnCours());
        assertEquals(new ActeMatch.ByIdActe(Houdan.ID_ACTE), r.match());
        assertEquals(Optional.of(Houdan.SIREN), r.collectiviteSiren());
        assertEquals(2, r.documents().size());
        assertEquals(StandardCharsets.ISO_8859_1, r.xml().declaredCharset());
        assertTrue(r.xml().text().contains("Société"));
    }

    @Test
    void anomalieActeIsMatchedByNumeroAndDateWithTheEnvelopeSiren() {
        byte[] anomaly = bytes(resource("1-3_AnomalieActe.xml"));
        String anomalyName = "078-217803105----1-3_12.xml";
        Reply bare = parser.parseXml(new ByteArrayInputStream(anomaly), anomalyName).replies().get(0);
        assertEquals(new ActeMatch.ByActeIdentity(Optional.empty(), "2026_DEC_020", Houdan.DATE_DECISION), bare.match());
        assertEquals(Optional.of(new Reply.Anomalie("002",
                Optional.of("ODT-VERIF-01 : la date de classification n'est pas à jour"))), bare.anomalie());
        assertTrue(bare.idActe().isEmpty());

        byte[] archive = tarGz(entries("EACT--SPREF0781-217803105-20260429-7.xml", houdanEnvelope(anomalyName),
                anomalyName, anomaly));
        ParseResult result = parser.parseArchive(new ByteArrayInputStream(archive), "retour.tar.gz", Optional.empty());
        Reply withEnvelope = result.first(MessageType.ANOMALIE_ACTE).orElseThrow();
        assertEquals(new ActeMatch.ByActeIdentity(Optional.of(Houdan.SIREN), "2026_DEC_020", Houdan.DATE_DECISION),
                withEnvelope.match());
        assertEquals("SPREF0781", withEnvelope.emitter().orElseThrow().code());
    }

    @Test
    void anomalieEnveloppeOutsideTheSchemaListIsKeptAndPointsAtTheRejectedActe() {
        Reply r = parser.parse(resource("lenient/AnomalieEnveloppe-Nature999.xml")).replies().get(0);
        assertEquals("999", r.anomalie().orElseThrow().nature());
        assertEquals(new ActeMatch.ByEnvelopeForms(Optional.of(Houdan.SIREN), List.of(Houdan.ID_ACTE)), r.match());
    }

    @Test
    void prefectureLettersGiveTheirDatesTextsAndDocuments() {
        Reply courrier = parser.parse(resource("2-1_CourrierSimple.xml")).replies().get(0);
        assertEquals(Optional.of(Houdan.ID_ACTE), courrier.idActe());
        assertTrue(courrier.dateCourrierPref().isPresent());
        assertEquals(1, courrier.documents().size());

        Reply demande = parser.parse(resource("3-1_DemandePieceComplementaire.xml")).replies().get(0);
        assertTrue(demande.description().isPresent());
        Reply lettre = parser.parse(resource("4-1_LettreObservations.xml")).replies().get(0);
        assertTrue(lettre.motif().isPresent());
        Reply defere = parser.parse(resource("5-1_DefereTA.xml")).replies().get(0);
        assertEquals(Optional.of(LocalDate.of(2026, 6, 20)), defere.dateDepot());
        assertTrue(defere.natureIllegalite().orElseThrow().startsWith("Incompétence"));
        assertEquals(List.of("99_AU-078-217803105-20260620-2026_DEC_020-CC-5-1_1.pdf"), defere.documents());

        Reply arPiece = parser.parse(resource("3-5_ARPieceComplementaire.xml")).replies().get(0);
        assertEquals(Optional.of(LocalDate.of(2026, 6, 2)), arPiece.dateReception());
        assertEquals(Optional.of(LocalDate.of(2026, 5, 12)), arPiece.dateCourrierPref());
        assertEquals(new ActeMatch.ByIdActe(Houdan.ID_ACTE), arPiece.match());

        Reply arAnnulation = parser.parse(resource("6-2_ARAnnulation.xml")).replies().get(0);
        assertTrue(arAnnulation.dateReception().isPresent());
        assertTrue(arAnnulation.idActe().isPresent());

        Reply classification = parser.parse(resource("7-2_RetourClassification.xml")).replies().get(0);
        assertTrue(classification.dateClassification().isPresent());
        assertInstanceOf(ActeMatch.None.class, classification.match());
    }

    @Test
    void utf8WithCrlfReadsTheSameAsLatin1() {
        String text = new String(houdanArActe(), StandardCharsets.ISO_8859_1)
                .replace("encoding=\"ISO-8859-1\"", "encoding=\"UTF-8\"").replace("\n", "\r\n");
        Reply r = parser.parseXml(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), AR_FILE).replies().get(0);
        assertEquals(Optional.of(Houdan.OBJET_ACKNOWLEDGED), r.objet());
        assertEquals(StandardCharsets.UTF_8, r.xml().declaredCharset());
    }

    @Test
    void utf8DeclaredIso88591IsReadAsUtf8WithAWarningAndNeverAsMojibake() {
        byte[] utf8 = new String(houdanArActe(), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        Reply r = parser.parseXml(new ByteArrayInputStream(utf8), AR_FILE).replies().get(0);
        assertEquals(Optional.of(Houdan.OBJET_ACKNOWLEDGED), r.objet());
        assertTrue(r.xml().text().contains("Société") && !r.xml().text().contains("SociÃ©tÃ©"), r.xml().text());
        assertEquals(StandardCharsets.ISO_8859_1, r.xml().declaredCharset());
        assertEquals(List.of("Le message « " + AR_FILE + " » annonce l'encodage ISO-8859-1 mais ses octets sont en UTF-8 :"
                + " il a été lu en UTF-8 pour que ses accents restent justes ; signalez-le à son émetteur."), r.warnings());
        assertTrue(r.xml().bytes().length == utf8.length, "the bytes are kept as received");

        Reply genuine = parser.parseXml(new ByteArrayInputStream(houdanArActe()), AR_FILE).replies().get(0);
        assertEquals(List.of(), genuine.warnings());
        assertEquals(Optional.of(Houdan.OBJET_ACKNOWLEDGED), genuine.objet());
    }

    @Test
    void aMessageKeptAsTextIsReadBackWhateverItsDeclaration() {
        String text = new String(houdanArActe(), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"), text);
        Reply r = parser.parseText(text, "ar.xml").replies().get(0);
        assertEquals(Optional.of(Houdan.OBJET_ACKNOWLEDGED), r.objet());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void anArchiveMadeInItsFolderWithDotSlashNamesIsFlat(@TempDir Path tmp) throws IOException {
        // the names `tar czf x.tar.gz -C dir .` writes: "./" itself, then "./name"
        byte[] letter = pdf("courrier");
        byte[] archive = tarGz(entries("./", new byte[0], "./" + ENVELOPE_FILE, houdanEnvelope(), "./" + AR_FILE,
                houdanArActe(), "./lettre.pdf", letter));
        ParseResult result = parser.parseArchive(new ByteArrayInputStream(archive), "retour.tar.gz", Optional.of(tmp));
        assertEquals(List.of(ENVELOPE_FILE, AR_FILE), result.replies().stream().map(Reply::sourceFile).toList());
        assertEquals(Optional.of("SPREF0781"), result.replies().get(1).emitter().map(Reply.Emitter::code),
                "the envelope lists the message by its flat name");
        assertEquals(List.of("lettre.pdf"), result.attachments().stream().map(Attachment::name).toList());
        assertEquals("lettre.pdf", result.attachments().get(0).savedAs().orElseThrow().getFileName().toString());
    }

    @Test
    void aRealSubFolderIsRefusedEvenWrittenWithDotSlash() {
        byte[] folder = tarGz(entries("./", new byte[0], "./" + AR_FILE, houdanArActe(), "./annexes/", new byte[0]));
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> parser.parseArchive(new ByteArrayInputStream(folder), "retour.tar.gz", Optional.empty()));
        assertTrue(e.userMessage().contains("l'entrée « annexes/ » est un sous-dossier"), e.userMessage());
        byte[] inFolder = tarGz(entries("./" + AR_FILE, houdanArActe(), "./annexes/lettre.pdf", pdf("x")));
        UnreadableMessageException f = assertThrows(UnreadableMessageException.class,
                () -> parser.parseArchive(new ByteArrayInputStream(inFolder), "retour.tar.gz", Optional.empty()));
        assertTrue(f.userMessage().contains("« annexes/lettre.pdf » comporte un chemin"), f.userMessage());
    }

    @Test
    void aFolderGivenAsTheFileIsSaidToBeAFolder(@TempDir Path tmp) {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class, () -> parser.parse(tmp));
        assertTrue(e.userMessage().contains("c'est un dossier, pas un fichier"), e.userMessage());
    }

    @Test
    void archiveGivesMessagesAndKeepsPdfsInTheGivenDirectoryOnly(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("pieces");
        byte[] letter = pdf("courrier");
        byte[] archive = tarGz(entries(ENVELOPE_FILE, houdanEnvelope(), AR_FILE, houdanArActe(),
                "99_AU-078-217803105-20260501-2026_DEC_020-CC-2-1_1.pdf", letter, "notes.xml", "<autre/>".getBytes(StandardCharsets.US_ASCII)));
        Path file = tmp.resolve("retour.tar.gz");
        Files.write(file, archive);
        ParseResult result = parser.parse(file, Optional.of(dir));
        assertEquals(List.of(MessageType.ENVELOPPE_MISILL_CL, MessageType.AR_ACTE),
                result.replies().stream().map(Reply::type).toList());
        assertEquals(2, result.attachments().size());
        Attachment pdfAttachment = result.attachments().get(0);
        assertEquals(letter.length, pdfAttachment.size());
        assertEquals("application/pdf", pdfAttachment.contentType());
        Path saved = pdfAttachment.savedAs().orElseThrow();
        assertEquals(dir.toAbsolutePath().normalize(), saved.getParent());
        assertEquals(List.of(letter[0], letter[1]), List.of(Files.readAllBytes(saved)[0], Files.readAllBytes(saved)[1]));
        assertEquals(Optional.of("SPREF0781"), result.replies().get(1).emitter().map(Reply.Emitter::code));
        assertEquals(Optional.of(Houdan.SIREN), result.replies().get(1).siren());
    }

    @Test
    void emlFileGivesTheMessagesAndTheMailEnvelope(@TempDir Path tmp) throws IOException {
        Path eml = tmp.resolve("ar.eml");
        Files.write(eml, InboxFixtures.toBytes(InboxFixtures.houdanArMail(InboxFixtures.session())));
        ParseResult result = parser.parse(eml);
        assertEquals(List.of(ENVELOPE_FILE, AR_FILE), result.replies().stream().map(Reply::sourceFile).toList());
        MailInfo mail = result.mail().orElseThrow();
        assertEquals(Optional.of(InboxFixtures.MAIL_SUBJECT), mail.subject());
        assertEquals(Optional.of(InboxFixtures.MAIL_FROM), mail.from());
        Reply ar = result.first(MessageType.AR_ACTE).orElseThrow();
        assertEquals(Optional.of(LocalDate.of(2026, 4, 29)), ar.dateReception());
        assertTrue(result.attachments().isEmpty());
    }

    @Test
    void mailAttachmentNamesNeverChooseWhereFilesGo(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("a").resolve("b");
        var message = InboxFixtures.mail(InboxFixtures.session(), "x", "corps",
                entries(AR_FILE, houdanArActe(), "../../evil.pdf", pdf("x"), "/etc/cron.d/x.pdf", pdf("y")));
        ParseResult result = parser.parseEmail(message, "mail", Optional.of(dir));
        for (Attachment a : result.attachments()) {
            assertEquals(dir.toAbsolutePath().normalize(), a.savedAs().orElseThrow().getParent());
        }
        assertFalse(Files.exists(tmp.resolve("evil.pdf")));
        assertFalse(Files.exists(tmp.resolve("a").resolve("evil.pdf")));
        assertEquals(2, result.attachments().size());
    }

    @Test
    void tdtReplyWithTrailingTextGivesTheXmlOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("OK\n4\n".getBytes(StandardCharsets.US_ASCII));
        byte[] ar = houdanArActe();
        out.writeBytes(ar);
        out.writeBytes("Transmis le 29/04/2026".getBytes(StandardCharsets.ISO_8859_1));
        ParseResult result = parser.parse(new ByteArrayInputStream(out.toByteArray()), "transaction 42", Optional.empty());
        Reply r = result.replies().get(0);
        assertEquals(Optional.of(Houdan.ID_ACTE), r.idActe());
        assertEquals(Optional.of("Transmis le 29/04/2026"), result.trailingText());
        assertTrue(r.xml().text().strip().endsWith("</actes:ARActe>"));
    }

    @Test
    void tdtAnomalyReplyKeepsS2lowMessage() {
        byte[] anomaly = bytes(resource("1-3_AnomalieActe.xml"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("OK\n-1\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(anomaly);
        out.writeBytes("Anomalie signalee par le MI : 002 - ODT-VERIF-01".getBytes(StandardCharsets.ISO_8859_1));
        ParseResult result = parser.parseTdtReply(new ByteArrayInputStream(out.toByteArray()), "transaction 42");
        assertEquals(MessageType.ANOMALIE_ACTE, result.replies().get(0).type());
        assertEquals(Optional.of("Anomalie signalee par le MI : 002 - ODT-VERIF-01"), result.trailingText());
    }

    @Test
    void tdtReplyWithoutMessageOrKoIsUnreadable() {
        var noXml = assertThrows(UnreadableMessageException.class, () -> parser.parseTdtReply(
                new ByteArrayInputStream("OK\n3\n".getBytes(StandardCharsets.US_ASCII)), "transaction 42"));
        assertTrue(noXml.userMessage().contains("aucun message ACTES"), noXml.userMessage());
        var ko = assertThrows(UnreadableMessageException.class, () -> parser.parseTdtReply(
                new ByteArrayInputStream("KO\nAccès refusé".getBytes(StandardCharsets.UTF_8)), "transaction 42"));
        assertTrue(ko.userMessage().contains("Accès refusé"), ko.userMessage());
    }

    @Test
    void inputWithoutActesMessageIsUnreadableButAPdfInAnArchiveIsNot() {
        byte[] onlyPdf = tarGz(entries("courrier.pdf", pdf("x")));
        var e = assertThrows(UnreadableMessageException.class,
                () -> parser.parseArchive(new ByteArrayInputStream(onlyPdf), "vide.tar.gz", Optional.empty()));
        assertTrue(e.userMessage().contains("aucun message ACTES"), e.userMessage());
        assertTrue(e.userMessage().contains("courrier.pdf"), e.userMessage());
        assertEquals(Reason.INVALID_INPUT, e.reason());

        var mail = InboxFixtures.mail(InboxFixtures.session(), "Bonjour", "Un simple message", entries());
        assertThrows(UnreadableMessageException.class, () -> parser.parseEmail(mail, "mail", Optional.empty()));

        var notXml = assertThrows(UnreadableMessageException.class, () -> parser.parse(
                new ByteArrayInputStream("bonjour".getBytes(StandardCharsets.US_ASCII)), "x.bin", Optional.empty()));
        assertTrue(notXml.userMessage().contains("format n'est pas reconnu"), notXml.userMessage());
    }

    @Test
    void sharedSamplesAreRead() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(SAMPLES), "../shared absent");
        Reply ar = parser.parse(SAMPLES.resolve("006-210600235-20180522-684-AI-1-2_5279.xml")).replies().get(0);
        assertEquals(Optional.of("006-210600235-20180522-684-AI"), ar.idActe());
        assertEquals(Optional.of(LocalDate.of(2018, 5, 28)), ar.dateReception());
        assertEquals(Optional.of("Contrat à durée déterminée - Jean Dupont"), ar.objet());
        Reply env = parser.parse(SAMPLES.resolve("EACT--SPREF0441-214400152-20181012-9.xml")).replies().get(0);
        assertEquals(Optional.of("214400152"), env.siren());
        assertEquals("SPREF0441", env.emitter().orElseThrow().code());
        Reply classification = parser.parse(SAMPLES.resolve("exemple_codes_matieres.xml")).replies().get(0);
        assertEquals(Optional.of(LocalDate.of(2017, 12, 8)), classification.dateClassification());
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
