package fr.actesconnector.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.SignedFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseCommandTest {
    private static final String ID_ACTE = "078-217803105-20260427-2026_DEC_020-CC";
    private static final String OBJET =
            "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.";
    private static final Path SAMPLES = Path.of("..", "shared", "reference", "samples");

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ParseCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path houdanAr() throws IOException {
        ActeData acte = new ActeData();
        acte.setDate(LocalDate.of(2026, 4, 27));
        acte.setNumeroInterne("2026_DEC_020");
        acte.setCodeNatureActe(4);
        MatiereCodeEntry m1 = new MatiereCodeEntry();
        m1.setCodeMatiere(1);
        MatiereCodeEntry m2 = new MatiereCodeEntry();
        m2.setCodeMatiere(4);
        acte.setCodeMatiere1(m1);
        acte.setCodeMatiere2(m2);
        acte.setObjet(OBJET);
        acte.setClassificationDateVersion(LocalDate.of(2026, 3, 2));
        SignedFile doc = new SignedFile();
        doc.setNomFichier("99_DC-078-217803105-20260427-2026_DEC_020-CC-1-1_1.pdf");
        acte.setDocument(doc);
        acte.setDocumentPapier("N");
        ARActe ar = new ARActe();
        ar.setIDActe(ID_ACTE);
        ar.setDateReception(LocalDate.of(2026, 4, 29));
        ar.setActeRecu(acte);
        ar.setClassificationDateVersionEnCours(LocalDate.of(2026, 3, 2));
        Path file = tmp.resolve("078-217803105-20260427-2026_DEC_020-CC-1-2_53043.xml");
        new ActesXml().write(ar, file);
        return file;
    }

    @Test
    void jsonOfTheHoudanArHasTheExactValues() throws IOException {
        Path file = houdanAr();
        byte[] raw = Files.readAllBytes(file);
        assertTrue(new String(raw, StandardCharsets.ISO_8859_1).contains("Société"), "file is ISO-8859-1");
        Run r = run(file.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertEquals(1, array.size());
        JsonNode o = array.get(0);
        assertEquals("ARActe", o.get("type").asText());
        assertEquals(ID_ACTE, o.get("idActe").asText());
        assertEquals("2026-04-29", o.get("dateReception").asText());
        assertEquals("2026_DEC_020", o.get("numeroInterne").asText());
        assertEquals(4, o.get("codeNatureActe").asInt());
        assertTrue(o.get("codeNatureActe").isInt());
        assertEquals(OBJET, o.get("objet").asText());
        assertEquals("2026-03-02", o.get("classificationDateVersionEnCours").asText());
        assertTrue(o.get("anomalie").isNull());
        assertEquals("2026-03-02", o.get("classificationDateVersion").asText());
        assertEquals("[1,4]", o.get("classification").toString());
        assertEquals("[]", o.get("avertissements").toString());
        assertTrue(o.has("dateCourrierPref") && o.get("dateCourrierPref").isNull());
        assertEquals(file.getFileName().toString(), o.get("sourceFile").asText());
    }

    @Test
    void anomalyJsonCarriesNatureAndDetail() throws IOException {
        Path file = tmp.resolve("ano.xml");
        try (var in = ParseCommandTest.class.getResourceAsStream("/messages/1-3_AnomalieActe.xml")) {
            Files.copy(in, file);
        }
        Run r = run("--json", file.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out()).get(0);
        assertEquals("AnomalieActe", o.get("type").asText());
        assertTrue(o.get("idActe").isNull());
        assertEquals("002", o.get("anomalie").get("nature").asText());
        assertEquals("ODT-VERIF-01 : la date de classification n'est pas à jour", o.get("anomalie").get("detail").asText());
        assertEquals("2026_DEC_020", o.get("numeroInterne").asText());
        // what was sent, beside what the prefecture applies: the usual cause of anomaly 002
        assertEquals("[1,4]", o.get("classification").toString());
        assertEquals("1.4", o.get("matiere").asText());
        assertEquals("2025-11-14", o.get("classificationDateVersion").asText());
        assertEquals("2026-03-01", o.get("classificationDateVersionEnCours").asText());
    }

    @Test
    void anomalyTextShowsTheClassificationSentAndWhatToDo() throws IOException {
        Path file = tmp.resolve("ano.xml");
        try (var in = ParseCommandTest.class.getResourceAsStream("/messages/1-3_AnomalieActe.xml")) {
            Files.copy(in, file);
        }
        Run r = run(file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  Matière : 1.4\n"), r.out());
        assertTrue(r.out().contains("  Version de la classification utilisée : 14/11/2025\n"), r.out());
        assertTrue(r.out().contains("  Classification en vigueur : 01/03/2026\n"), r.out());
        assertTrue(r.out().contains("  À faire : l'acte a été envoyé avec la classification du 14/11/2025, la préfecture"
                + " applique celle du 01/03/2026 : mettez la classification à jour (tdt classification --update)"), r.out());
    }

    @Test
    void anomalyShowsEveryClassificationLevelSentDownToTheFifth() throws IOException {
        Path file = tmp.resolve("ano-5.xml");
        try (var in = ParseCommandTest.class.getResourceAsStream("/messages/1-3_AnomalieActe.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String second = "<actes:CodeMatiere2 actes:CodeMatiere=\"4\"/>";
            assertTrue(xml.contains(second));
            Files.writeString(file, xml.replace(second, second + "<actes:CodeMatiere3 actes:CodeMatiere=\"2\"/>"
                    + "<actes:CodeMatiere4 actes:CodeMatiere=\"3\"/><actes:CodeMatiere5 actes:CodeMatiere=\"1\"/>"),
                    StandardCharsets.ISO_8859_1);
        }
        JsonNode o = new ObjectMapper().readTree(run("--json", file.toString()).out()).get(0);
        assertEquals("[1,4,2,3,1]", o.get("classification").toString());
        assertEquals("1.4.2.3.1", o.get("matiere").asText());
        Run text = run(file.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("  Matière : 1.4.2.3.1\n"), text.out());
    }

    @Test
    void utf8DeclaredIso88591IsReadRightAndSaid() throws IOException {
        Path file = tmp.resolve("ano-utf8.xml");
        try (var in = ParseCommandTest.class.getResourceAsStream("/messages/1-3_AnomalieActe.xml")) {
            Files.writeString(file, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
        Run text = run(file.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("la Société Promosoft"), text.out());
        assertTrue(text.out().contains("\nAttention : Le message « ano-utf8.xml » annonce l'encodage ISO-8859-1 mais ses"
                + " octets sont en UTF-8"), text.out());
        Run json = run(file.toString(), "--json");
        JsonNode o = new ObjectMapper().readTree(json.out()).get(0);
        assertTrue(o.get("objet").asText().contains("la Société Promosoft"), o.toString());
        assertEquals(1, o.get("avertissements").size(), o.toString());
        assertTrue(o.get("avertissements").get(0).asText().contains("lu en UTF-8"), o.toString());
    }

    @Test
    void aFolderIsSaidToBeAFolder() {
        Run r = run(tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("c'est un dossier, pas un fichier"), r.err());
    }

    @Test
    void withoutJsonAFrenchSummaryIsPrinted() throws IOException {
        Run r = run(houdanAr().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Accusé de réception de l'acte"), r.out());
        assertTrue(r.out().contains("Date de réception : 29/04/2026"), r.out());
        assertTrue(r.out().contains("Identifiant de l'acte : " + ID_ACTE), r.out());
    }

    @Test
    void hostileOrMissingInputExitsWithTwoAndAFrenchReason() throws IOException {
        Path xxe = tmp.resolve("xxe.xml");
        Files.writeString(xxe, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
        for (Path input : List.of(xxe, tmp.resolve("absent.xml"))) {
            Run r = run(input.toString(), "--json");
            assertEquals(2, r.code());
            assertEquals("", r.out());
            assertTrue(r.err().contains("n'est pas un message ACTES lisible"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void sharedSamplesParse() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLES), "../shared absent");
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path sample : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                Run r = run(sample.toString(), "--json");
                assertEquals(0, r.code(), sample + ": " + r.err());
                JsonNode o = new ObjectMapper().readTree(r.out()).get(0);
                assertEquals(sample.getFileName().toString(), o.get("sourceFile").asText());
            }
        }
        Run ar = run(SAMPLES.resolve("006-210600235-20180522-684-AI-1-2_5279.xml").toString(), "--json");
        JsonNode o = new ObjectMapper().readTree(ar.out()).get(0);
        assertEquals("2018-05-28", o.get("dateReception").asText());
        assertEquals("684", o.get("numeroInterne").asText());
        assertEquals(3, o.get("codeNatureActe").asInt());
        assertEquals("2017-04-19", o.get("classificationDateVersionEnCours").asText());
        assertEquals("[4,2]", o.get("classification").toString());
        assertEquals("2017-04-19", o.get("classificationDateVersion").asText());
        assertEquals(0, o.get("avertissements").size());
    }
}
