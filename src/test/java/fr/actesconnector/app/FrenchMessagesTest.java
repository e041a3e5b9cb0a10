package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.inbox.MessageParser;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.ValidationSettings;
import fr.actesconnector.model.Violation;
import fr.actesconnector.protocol.XmlEncoding;
import fr.actesconnector.testing.Houdan;

/**
 * Every French sentence the validator, the command line and the XML readers give for a wide set of wrong
 * inputs: no doubled or misplaced punctuation, no English from the parsers or picocli.
 */
class FrenchMessagesTest {
    /** Two full stops (not an ellipsis), four or more, an ellipsis then a stop, a stop after a comma… */
    private static final List<Pattern> BAD_PUNCTUATION = List.of(
            Pattern.compile("(?<!\\.)\\.\\.(?!\\.)"), Pattern.compile("\\.{4,}"), Pattern.compile("…\\."),
            Pattern.compile("\\.\\s+\\."), Pattern.compile("[,;:]\\s*\\.(?![\\w/])"), Pattern.compile("\\.\\s*[,;]"),
            Pattern.compile(" [.,](?![\\w/])"), Pattern.compile(",,"), Pattern.compile("\\( "), Pattern.compile(" \\)"),
            Pattern.compile("\\) \\("));
    private static final List<String> ENGLISH = List.of("Exception", "exception", "Invalid", "invalid value", "could not",
            "cannot", "Missing", "must ", "expected", "Expected", "unexpected", "Text '", "not allowed", "Premature",
            "Content is", "The element", "is not ", "does not", "Permission denied", "No such file", "Is a directory",
            "null");

    @TempDir
    Path dir;

    private final List<String> messages = new ArrayList<>();

    @Test
    void everyMessageIsCleanFrench() throws Exception {
        validatorMessages();
        optionMessages();
        commandLineMessages();
        readerMessages();
        assertTrue(messages.size() > 40, "a wide set was gathered: " + messages.size());
        List<String> wrong = messages.stream().flatMap(m -> problems(m).stream()).toList();
        assertEquals(List.of(), wrong);
    }

    /** What is wrong with one message: misplaced punctuation, English, a plural after 1. */
    static List<String> problems(String m) {
        List<String> wrong = new ArrayList<>();
        // what stands between « » is quoted (the input, a file name, « .. »): only the sentence around it is judged
        String sentence = QUOTED.matcher(m).replaceAll("«x»");
        for (Pattern p : BAD_PUNCTUATION) {
            if (p.matcher(sentence).find()) wrong.add("punctuation " + p + ": " + m);
        }
        for (String english : ENGLISH) {
            if (m.contains(english)) wrong.add("English « " + english + " »: " + m);
        }
        if (PLURAL_AFTER_ONE.matcher(m).find()) wrong.add("plural after 1: " + m);
        return wrong;
    }

    private static final Pattern QUOTED = Pattern.compile("« [^«»]* »");
    private static final Pattern PLURAL_AFTER_ONE = Pattern.compile(
            "(?<![\\d.,-])\\b1 (?!(?:fois|mois|mais|plus|sous|dans|pas|sans|vers|après|alors|puis)(?!\\p{L}))\\p{L}+s(?!\\p{L})");

    @Test
    void theScanCatchesWhatItLooksFor() {
        // the checks above would pass on an empty list; show they bite
        assertFalse(problems("Le fichier est vide..").isEmpty());
        assertFalse(problems("Choisissez parmi : 1, 2, ….").isEmpty());
        assertFalse(problems("vérifiez le chemin .").isEmpty());
        assertFalse(problems("Raccourcissez-le de 1 caractères.").isEmpty());
        assertFalse(problems("lecture impossible (Permission denied)").isEmpty());
        assertFalse(problems("La liste : .").isEmpty());
        assertFalse(problems("pas de mois 13 (de 01 à 12) (ex. 2026-04-27)").isEmpty());
        assertEquals(List.of(), problems("« … » → « ... ». Une archive .tar.gz, « .. », 11 caractères, 1 fois, 1.4 lettres,"
                + " ISO-8859-1 mais (.xml, .tar.gz ou .eml)."));
    }

    private void validatorMessages() throws IOException {
        Acte a = Houdan.acte(dir);
        ActeValidator validator = new ActeValidator(Houdan.catalogue(), ValidationSettings.DEFAULTS, Houdan.SENDING_DAY);
        Path folder = Files.createDirectories(dir.resolve("dossier"));
        Path empty = Files.createFile(dir.resolve("vide.pdf"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "du texte");
        Path xml = Files.writeString(dir.resolve("budget.xml"), "<?xml version=\"1.0\"?><budget/>");
        Path big = Houdan.writePdf(dir.resolve("big.pdf"), "big");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L * 1024 * 1024);
        }
        Typologie dc = new Typologie("99_DC");
        List<Acte> wrong = List.of(
                with(a, "2026-DEC-020-BIS-TER-QUATER", a.dateDecision(), a.classification(), a.objet(), a.document(), a.annexes()),
                with(a, "--", LocalDate.of(2030, 1, 1), a.classification(), "", a.document(), a.annexes()),
                with(a, "n°12", a.dateDecision(), Classification.of(1), "a".repeat(497) + "\u2026", a.document(), a.annexes()),
                with(a, a.numero(), a.dateDecision(), Classification.of(1, 9), "a".repeat(600) + "\u0007 \u2019 \u0153",
                        a.document(), a.annexes()),
                with(a, a.numero(), a.dateDecision(), Classification.of(9, 9), a.objet(),
                        new Piece(folder, new Typologie("99-XX")), List.of(new Piece(empty, dc), new Piece(text, dc),
                                new Piece(dir.resolve("absent.pdf"), new Typologie("10_AV")), new Piece(folder, dc))),
                with(a, a.numero(), a.dateDecision(), Classification.of(99, 1), a.objet(), new Piece(xml, dc),
                        List.of(new Piece(xml, dc))),
                with(a, a.numero(), a.dateDecision(), a.classification(), a.objet(), new Piece(text, dc), List.of()));
        for (Acte bad : wrong) {
            validator.validate(bad).stream().map(Violation::message).forEach(messages::add);
        }
        ActeValidator small = new ActeValidator(Houdan.catalogue(),
                new ValidationSettings(2L * 1024 * 1024, 1, ValidationSettings.DEFAULT_ZONE), Houdan.SENDING_DAY);
        small.validate(with(a, a.numero(), a.dateDecision(), a.classification(), a.objet(), a.document(),
                List.of(new Piece(big, dc)))).stream().map(Violation::message).forEach(messages::add);
        ActeValidator.validateCollectivite(new Collectivite(" ", "12345678", "100", "12", "3")).stream()
                .map(Violation::message).forEach(messages::add);
        ActeValidator.validateCollectivite(new Collectivite("Houdan", "217803106", "078", "1", "31")).stream()
                .map(Violation::message).forEach(messages::add);
    }

    private static Acte with(Acte a, String numero, LocalDate date, Classification c, String objet, Piece document,
                             List<Piece> annexes) {
        return new Acte(a.collectivite(), numero, date, a.nature(), c, objet, document, annexes, false);
    }

    private void optionMessages() {
        for (String[] values : new String[][] {{"2026-02-30", "ZZ", "x"}, {"27/04/2026", "9", "1..4"}, {"2026-13-01", "CC", "1.4"}}) {
            ActeOptions o = new ActeOptions();
            o.number = "1";
            o.date = values[0];
            o.nature = values[1];
            o.classification = values[2];
            o.subject = "Objet";
            o.document = dir.resolve("decision.pdf").toString();
            try {
                o.toActe(Houdan.collectivite(), acte -> List.of());
            } catch (ActesException e) {
                messages.add(e.userMessage());
            }
        }
    }

    private void commandLineMessages() {
        String[][] lines = {
                {"statu"}, {"demo", "--bogus"}, {"publish", "--config", "x"}, {"parse", "a", "--pieces", "a", "--pieces", "b"},
                {"simulator", "--port", "huit"}, {"export", "--config", "x", "--since", "2026-02-30", "--out", "o"},
                {"export", "--config", "x", "--until", "hier", "--out", "o"}, {"parse"},
                {"parse", dir.toString()}, {"parse", dir.resolve("absent.xml").toString()},
                {"prepare", "--config", dir.resolve("absent.properties").toString(), "--number", "1", "--date", "2026-02-30",
                        "--nature", "CC", "--classification", "1.4", "--subject", "s", "--document", "d.pdf", "--out", "o"}};
        for (String[] line : lines) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Main.run(line, new PrintWriter(out, true), new PrintWriter(err, true));
            err.toString().lines().filter(l -> !l.isBlank()).forEach(messages::add);
        }
    }

    private void readerMessages() throws IOException {
        MessageParser parser = new MessageParser();
        String ns = "xmlns:actes=\"http://www.interieur.gouv.fr/ACTES#v1.1-20040216\"";
        List<byte[]> inputs = List.of(
                new byte[0],
                "%PDF-1.4 pas un message".getBytes(StandardCharsets.US_ASCII),
                ("<?xml version=\"1.0\"?>\n<actes:ARActe " + ns + ">\n  <actes:ActeRecu").getBytes(StandardCharsets.US_ASCII),
                ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]><actes:ARActe " + ns + "/>").getBytes(StandardCharsets.US_ASCII),
                "<autre xmlns=\"urn:x\"/>".getBytes(StandardCharsets.US_ASCII),
                ("<actes:ARActe " + ns + " actes:IDActe=\"Soci\u00e9t\u00e9\"/>").getBytes(StandardCharsets.ISO_8859_1),
                ("<actes:ARAnnulation " + ns + " actes:IDActe=\"x\" actes:DateReception=\"2026-02-30\"/>")
                        .getBytes(StandardCharsets.US_ASCII),
                ("<actes:ARAnnulation " + ns + " actes:IDActe=\"x\" actes:DateReception=\"30/02/2026\"/>")
                        .getBytes(StandardCharsets.US_ASCII),
                ("<a><b></a>").getBytes(StandardCharsets.US_ASCII),
                "KO\nTransaction inconnue.\n".getBytes(StandardCharsets.UTF_8),
                "OK\n4\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {0x1f, (byte) 0x8b, 1, 2, 3},
                tarGz("./", "./sous-dossier/"),
                tarGz("./", "./lettre.pdf"));
        int n = 0;
        for (byte[] input : inputs) {
            Path file = dir.resolve("entree-" + (n++) + (input.length > 1 && input[0] == 0x1f ? ".tar.gz" : ".xml"));
            Files.write(file, input);
            try {
                parser.parse(file);
            } catch (ActesException e) {
                messages.add(e.userMessage());
            }
        }
        messages.add(XmlEncoding.of("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>".getBytes(StandardCharsets.UTF_8))
                .frenchWarning("m.xml"));
        try {
            parser.parse(new ByteArrayInputStream("From: a@b.fr\r\n\r\ncorps\r\n".getBytes(StandardCharsets.US_ASCII)),
                    "courriel.eml", Optional.empty());
        } catch (ActesException e) {
            messages.add(e.userMessage());
        }
    }

    /** A .tar.gz of the given entries (names ending in / are folders; others hold a small PDF). */
    private static byte[] tarGz(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (String name : names) {
                byte[] body = name.endsWith("/") ? new byte[0] : "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
                TarArchiveEntry e = new TarArchiveEntry(name, true);
                e.setSize(body.length);
                tar.putArchiveEntry(e);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
