package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.actesconnector.simulator.LetterType;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.SimulatedTsa;
import fr.actesconnector.testing.Houdan;
import fr.actesconnector.testing.SimulatedTdt;
import fr.actesconnector.testing.TestPki;
import fr.actesconnector.testing.Zips;

/**
 * The proof bundle from the jar: the Houdan acte signed, sent to the simulator, acknowledged, asked for pieces
 * and answered; {@code export} then {@code verify-bundle} (exit 0), each tampering (exit 1, the check named),
 * hostile zips (exit 2), and the period export with its index. The fiche's first page is rendered to
 * {@code target/fiche-houdan.png}.
 */
class ProofBundleCliIT {
    static final Path FICHE_PNG = Path.of("target", "fiche-houdan.png");

    @TempDir
    Path dir;
    SimulatedTdt tdt;
    SimulatedTsa tsa;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = new TestPki("CA de test");
        pki.signer("Commune de Houdan - TEST").writePkcs12(dir.resolve("signature.p12"), "signature", "motdepasse".toCharArray());
        tsa = SimulatedTsa.start(Clock.systemDefaultZone());
        tdt = new SimulatedTdt(dir, Clock.systemDefaultZone(), Pacing.ONE_STEP_PER_POLL, Map.of("signature.keystore", "signature.p12",
                "signature.password", "motdepasse", "poll.interval-seconds", "1", "tsa.url", tsa.url().toString()));
        Houdan.writePdf(dir.resolve("decision.pdf"), "Decision 2026-DEC-020");
        Houdan.writePdf(dir.resolve("contrat.pdf"), "Contrat P360-MAHOUDAN-PREMIUM");
        Houdan.writePdf(dir.resolve("devis.pdf"), "Devis");
    }

    @AfterEach
    void stop() {
        tdt.close();
        tsa.close();
    }

    private CliIT.Run cli(String... args) throws Exception {
        return CliIT.runWithConfig(dir, tdt.config(), args);
    }

    private CliIT.Run verifyBundle(Path zip) throws Exception {
        return CliIT.run(dir, "verify-bundle", zip.toString());
    }

    private JsonNode pollUntil(String path, String value) throws Exception {
        for (int i = 0; i < 8; i++) {
            assertEquals(0, cli("poll", "--once").exit());
            CliIT.Run status = cli("status", "--json");
            JsonNode a = new ObjectMapper().readTree(status.out()).get(0);
            if (value.equals(a.at(path).asText())) return a;
        }
        throw new AssertionError(path + " never " + value);
    }

    @Test
    void theHoudanBundleAfterItsArIsVerifiedAndEveryTamperingIsNamed() throws Exception {
        CliIT.Run sent = cli("send", "--number", "2026-DEC-020", "--date", "2026-04-27", "--nature", "CC",
                "--classification", "1.4", "--subject", Houdan.OBJET_DECISION, "--document", dir.resolve("decision.pdf").toString(),
                "--annex", dir.resolve("contrat.pdf") + ":99_DC", "--sign");
        assertEquals(0, sent.exit(), sent.err());
        JsonNode acte = pollUntil("/state", "ACKNOWLEDGED");
        String letter = String.valueOf(tdt.simulator().issueLetter(acte.get("transactionId").asLong(),
                LetterType.DEMANDE_PIECES_COMPLEMENTAIRES));
        assertEquals(0, cli("poll", "--once").exit());
        CliIT.Run pieces = cli("reply", "--acte", Houdan.ID_ACTE, "--letter", letter, "--kind", "pieces",
                "--document", dir.resolve("devis.pdf").toString());
        assertEquals(0, pieces.exit(), pieces.err());
        pollUntil("/courriers/0/answer/state", "ACKNOWLEDGED");

        CliIT.Run export = cli("export", "--acte", Houdan.ID_ACTE, "--out", dir.resolve("preuves").toString());
        assertEquals(0, export.exit(), export.err());
        Path bundle = Path.of(export.outLines().get(export.outLines().size() - 1));
        assertEquals(Houdan.ID_ACTE + ".zip", bundle.getFileName().toString());

        Map<String, byte[]> entries = Zips.read(bundle);
        String document = "envoi/99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf";
        String annex = "envoi/99_DC-" + Houdan.ID_ACTE + "-1-1_2.pdf";
        for (String expected : List.of(document, annex, "signatures/99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf.p7s",
                "signatures/99_DC-" + Houdan.ID_ACTE + "-1-1_2.pdf.pem", "historique.json", "fiche.pdf", "manifest.json",
                "manifest.tsr")) {
            assertTrue(entries.containsKey(expected), expected + " in " + entries.keySet());
        }
        JsonNode manifest = new ObjectMapper().readTree(entries.get("manifest.json"));
        List<String> kinds = manifest.get("files").findValuesAsText("kind");
        assertTrue(kinds.containsAll(List.of("archive", "document", "annexe", "signature", "signature-pem", "ar", "stamped_pdf",
                "bordereau", "courrier", "answer_file", "answer", "history", "fiche")), kinds.toString());
        String ar = manifest.get("files").findParents("kind").stream().filter(f -> f.get("kind").asText().equals("ar")
                && f.get("path").asText().endsWith(".xml")).findFirst().orElseThrow().get("path").asText();
        JsonNode history = new ObjectMapper().readTree(entries.get("historique.json"));
        assertTrue(history.get("historique").findValuesAsText("par").containsAll(List.of("la commune — la ligne de commande ("
                + System.getProperty("user.name") + ")", "le TdT", "la préfecture", "la commune")), history.toPrettyString());

        CliIT.Run verified = verifyBundle(bundle);
        assertEquals(0, verified.exit(), verified.out() + verified.err());
        for (String expected : List.of("[OK]    Signature : signatures/", "[OK]    Accusé de réception : ", "[OK]    Horodatage : ",
                "[OK]    Dates : ", "[OK]    Contenu : ", "non contrôlée", "Dossier de preuve vérifié")) {
            assertTrue(verified.out().contains(expected), expected + " in:\n" + verified.out());
        }
        assertFalse(verified.out().contains("ÉCHEC"), verified.out());

        renderFiche(entries.get("fiche.pdf"));
        withoutTheSoftware(entries);

        // a byte of the decision's PDF
        CliIT.Run pdf = verifyBundle(Zips.edit(bundle, dir.resolve("t-pdf.zip"), document, ProofBundleCliIT::flipAByte));
        assertEquals(1, pdf.exit(), pdf.out());
        assertTrue(pdf.out().contains("[ÉCHEC] Empreinte : " + document), pdf.out());
        assertTrue(pdf.out().contains("[ÉCHEC] Signature : signatures/99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf.p7s"), pdf.out());

        // a byte of the PDF changed in the zip file itself, with no zip tool
        CliIT.Run raw = verifyBundle(Zips.corruptInPlace(bundle, dir.resolve("t-raw.zip"), document, -1, 1));
        assertEquals(1, raw.exit(), raw.out() + raw.err());
        assertTrue(raw.out().contains("[ÉCHEC] Empreinte : " + document), raw.out());

        // a byte of the manifest (one digit of a hash)
        CliIT.Run mf = verifyBundle(Zips.edit(bundle, dir.resolve("t-manifest.zip"), "manifest.json", b -> {
            String s = new String(b, StandardCharsets.UTF_8);
            int i = s.indexOf("\"sha256\" : \"") + "\"sha256\" : \"".length();
            return (s.substring(0, i) + (s.charAt(i) == '0' ? '1' : '0') + s.substring(i + 1)).getBytes(StandardCharsets.UTF_8);
        }));
        assertEquals(1, mf.exit(), mf.out());
        assertTrue(mf.out().contains("[ÉCHEC] Horodatage") && mf.out().contains("[ÉCHEC] Empreinte"), mf.out());

        // the ARActe's objet, the manifest recomputed to match it
        CliIT.Run objet = verifyBundle(forged(bundle, ar, b -> new String(b, StandardCharsets.ISO_8859_1)
                .replace("MAHOUDAN - PREMIUM", "MAHOUDAN - BASIQUE").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(1, objet.exit(), objet.out());
        assertTrue(objet.out().contains("[ÉCHEC] Accusé de réception") && objet.out().contains("Objet"), objet.out());

        // an extra file
        CliIT.Run extra = verifyBundle(Zips.add(bundle, dir.resolve("t-extra.zip"), "accuse/faux.pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, extra.exit(), extra.out());
        assertTrue(extra.out().contains("[ÉCHEC] Contenu : accuse/faux.pdf : fichier hors du manifeste"), extra.out());

        // hostile zips: exit 2 at once, nothing written outside
        Map<String, byte[]> slip = new java.util.LinkedHashMap<>(entries);
        slip.put("../evil.txt", "x".getBytes(StandardCharsets.US_ASCII));
        CliIT.Run zipSlip = verifyBundle(Zips.write(dir.resolve("t-slip.zip"), slip));
        assertEquals(2, zipSlip.exit(), zipSlip.out() + zipSlip.err());
        assertTrue(zipSlip.err().contains("remonte hors du dossier"), zipSlip.err());
        assertFalse(Files.exists(dir.getParent().resolve("evil.txt")));
        long start = System.nanoTime();
        CliIT.Run bomb = verifyBundle(Zips.declaredBomb(dir.resolve("t-bomb.zip"), "envoi/gros.pdf", 10_000_000_000L));
        assertEquals(2, bomb.exit(), bomb.out() + bomb.err());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "at once");
        assertTrue(bomb.err().contains("envoi/gros.pdf"), bomb.err());
        CliIT.Run notZip = verifyBundle(Files.writeString(dir.resolve("t-text.zip"), "bonjour"));
        assertEquals(2, notZip.exit(), notZip.err());
        CliIT.Run absent = verifyBundle(dir.resolve("absent.zip"));
        assertEquals(2, absent.exit(), absent.err());

        // the year's archive: one zip per acte sent, and the index
        CliIT.Run year = cli("export", "--since", "2026-01-01", "--until", "2026-12-31", "--out", dir.resolve("annee").toString());
        assertEquals(0, year.exit(), year.err());
        Path index = dir.resolve("annee").resolve("index.json");
        assertEquals(index.toString(), year.outLines().get(year.outLines().size() - 1));
        JsonNode rows = new ObjectMapper().readTree(index.toFile()).get("actes");
        assertEquals(1, rows.size());
        assertEquals(Houdan.ID_ACTE + ".zip", rows.get(0).get("dossier").asText());
        assertEquals(0, verifyBundle(dir.resolve("annee").resolve(Houdan.ID_ACTE + ".zip")).exit());
        CliIT.Run none = cli("export", "--since", "2025-01-01", "--until", "2025-12-31", "--out", dir.resolve("vide").toString());
        assertEquals(0, none.exit(), none.err());
        assertEquals(0, new ObjectMapper().readTree(dir.resolve("vide").resolve("index.json").toFile()).get("actes").size());
        CliIT.Run unknown = cli("export", "--acte", "078-217803105-20260427-2026_DEC_099-CC", "--out", dir.resolve("x").toString());
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("n'est pas dans le journal"), unknown.err());
    }

    /**
     * The README's commands, when the tools are there (as OpenSslIT): every hash by {@code jq | sha256sum -c}, the
     * decision's signature by {@code openssl cms -verify}, the time-stamp by {@code openssl ts -verify}.
     */
    private void withoutTheSoftware(Map<String, byte[]> entries) throws Exception {
        for (String tool : List.of("bash", "jq", "sha256sum", "openssl")) {
            if (java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                System.err.println("skipping the check without the software: " + tool + " is not on PATH");
                return;
            }
        }
        Path folder = Files.createDirectories(dir.resolve("sans-logiciel").resolve("dossier"));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Path target = folder.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, e.getValue());
        }
        Files.writeString(folder.resolveSibling("tsa.pem"), TestPki.pem(tsa.certificate()));
        String doc = "99_DC-" + Houdan.ID_ACTE + "-1-1_1.pdf";
        String script = String.join("\n", "set -eo pipefail",
                "jq -r '.files[] | \"\\(.sha256)  \\(.path)\"' manifest.json | sha256sum -c --quiet",
                "openssl cms -verify -binary -inform DER -in signatures/" + doc + ".p7s -content envoi/" + doc
                        + " -noverify -out /dev/null",
                "openssl ts -verify -in manifest.tsr -token_in -digest \"$(sha256sum manifest.json | cut -d' ' -f1)\""
                        + " -CAfile ../tsa.pem");
        Process p = new ProcessBuilder("bash", "-c", script).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("CMS Verification successful") && output.contains("Verification: OK"), output);
    }

    private static byte[] flipAByte(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 1;
        return copy;
    }

    /** An edited copy whose manifest is recomputed to match, as a careful forger would (the token then fails too). */
    private Path forged(Path bundle, String name, UnaryOperator<byte[]> edit) throws Exception {
        Map<String, byte[]> entries = Zips.read(bundle);
        byte[] edited = edit.apply(entries.get(name));
        entries.put(name, edited);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(entries.get("manifest.json"));
        manifest.get("files").forEach(f -> {
            if (f.get("path").asText().equals(name)) {
                try {
                    ((ObjectNode) f).put("sha256", HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(edited)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                ((ObjectNode) f).put("size", edited.length);
            }
        });
        entries.put("manifest.json", json.writeValueAsBytes(manifest));
        entries.remove("manifest.tsr");
        return Zips.write(dir.resolve("t-forged.zip"), entries);
    }

    /** Page 1 of fiche.pdf as PNG in target/, to be looked at; and its text, checked. */
    private static void renderFiche(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            for (String expected : List.of("Dossier de preuve", Houdan.ID_ACTE, "Reçu en préfecture le", "Déféré préfectoral",
                    "SHA-256", "manifest.json", "Société Promosoft")) {
                assertTrue(text.contains(expected), expected + " in:\n" + text);
            }
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(0, 110);
            Files.createDirectories(FICHE_PNG.getParent());
            ImageIO.write(image, "png", FICHE_PNG.toFile());
        }
    }
}
