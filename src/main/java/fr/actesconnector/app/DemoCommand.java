package fr.actesconnector.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.signing.DemoCertificate;
import fr.actesconnector.signing.SigningConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: the Houdan decision 2026-DEC-020 on embedded defaults. Generates the decision and
 * the contract as PDFs, signs them with a TEST certificate made at first run, and writes the ACTES
 * archive into {@code ./out/}. Everything else lives under {@code ./data/demo/}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Démonstration : prépare et signe la décision 2026-DEC-020 de Houdan (certificat de TEST).")
public final class DemoCommand implements Callable<Integer> {
    static final String NUMERO = "2026-DEC-020";
    static final LocalDate DATE = LocalDate.of(2026, 4, 27);

    @Option(names = "--dir", paramLabel = "DOSSIER", description = "Dossier de travail de la démo (défaut : ./data/demo).")
    Path dir = Path.of("data", "demo");

    @Option(names = "--out", paramLabel = "DOSSIER", description = "Dossier de l'archive produite (défaut : ./out).")
    Path out = Path.of("out");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Clock clock = Clock.systemDefaultZone();
        Files.createDirectories(dir);
        SigningConfig signing = new DemoCertificate(dir.resolve("certificat"), clock).ensure("Commune de Houdan");
        Path config = writeConfig(dir, signing);
        Path decision = dir.resolve("documents").resolve("decision-2026-DEC-020.pdf");
        Path contract = dir.resolve("documents").resolve("contrat-P360-MAHOUDAN-PREMIUM.pdf");
        if (!Files.exists(decision)) DemoDocuments.decision(decision);
        if (!Files.exists(contract)) DemoDocuments.contract(contract);
        try (ActesConnector connector = new ActesConnector(ConnectorConfig.load(config, Map.of()), clock)) {
            Acte acte = new Acte(connector.config().collectivite(), NUMERO, DATE, Nature.CC, Classification.of(1, 4),
                    DemoDocuments.OBJET, new Piece(decision, new Typologie("99_DC")),
                    List.of(new Piece(contract, new Typologie("99_DC"))), false);
            ActesConnector.Prepared p = connector.prepare(acte, out, true);
            Output.warnings(stderr, p.warnings());
            Output.warningTexts(stderr, connector.signerWarnings());
            stdout.println("Démonstration : décision " + NUMERO + " de la Commune de Houdan (certificat de TEST).");
            stdout.println("IDActe : " + p.idActe());
            stdout.println("Archive ACTES : " + p.archive());
            p.entryNames().forEach(n -> stdout.println("  " + n));
            p.signatureFiles().forEach(s -> stdout.println("Signature CMS détachée : " + s));
            stdout.println("Vérifier une signature : java -jar target/actes.jar verify --document " + decision
                    + " --signature " + p.signatureFiles().get(0));
            stdout.println(p.archive());
        }
        return ExitCodes.OK;
    }

    /** The demo's configuration: the Houdan collectivité of config/houdan.properties, in the demo folder. */
    static Path writeConfig(Path dir, SigningConfig signing) {
        try {
            Path classification = dir.resolve("classification-078.xml");
            if (!Files.exists(classification)) {
                try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/classification-078.xml")) {
                    if (in == null) throw new IOException("classification resource missing from the jar");
                    Files.copy(in, classification, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path config = dir.resolve("demo.properties");
            String text = String.join("\n",
                    "# Written by the demo; the TEST certificate's password lives beside it.",
                    "collectivite.nom=Commune de Houdan",
                    "collectivite.siren=217803105",
                    "collectivite.departement=078",
                    "collectivite.arrondissement=1",
                    "collectivite.nature=31",
                    "referent.nom=Secrétariat de la mairie",
                    "referent.telephone=0130468130",
                    "referent.email=secretariat@ville-houdan.fr",
                    "retour.emails=secretariat@ville-houdan.fr",
                    "classification.file=classification-078.xml",
                    "classification.max-age-days=3650",
                    "tdt.trigramme=TTT",
                    "data.dir=.",
                    "journal.url=jdbc:h2:file:./journal",
                    "signature.keystore=" + dir.toAbsolutePath().relativize(signing.keystore().toAbsolutePath()),
                    "signature.password=" + new String(signing.password().reveal()),
                    "");
            Files.writeString(config, text, StandardCharsets.UTF_8);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
