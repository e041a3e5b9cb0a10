package fr.actesconnector.tdt;

import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Secret;
import fr.actesconnector.simulator.LetterType;
import fr.actesconnector.simulator.Pacing;
import fr.actesconnector.simulator.Right;
import fr.actesconnector.simulator.SimulatorTls;
import fr.actesconnector.simulator.TdtSimulator;
import fr.actesconnector.testing.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The project's simulator under the S²LOW contract: two accounts on one certificate (the connector's,
 * right RW, and an agent's with the CS right only), HTTP Basic picking each. It moves one status per
 * read, so {@link #awaitStatus} polls.
 */
final class SimulatorS2low implements S2low {
    private static final String NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final TdtSimulator simulator;
    private final TdtClient client;
    private final TdtClient csClient;
    private final Path dir;

    SimulatorS2low(Path dir, Options options) throws Exception {
        this.dir = Objects.requireNonNull(dir, "dir");
        TestPki pki = new TestPki("Contract simulator CA");
        TestPki.TlsStores stores = pki.writeTlsStores(dir.resolve("sim-pki"), "Mairie de Houdan", PASSWORD);
        TdtSimulator.Builder builder = TdtSimulator.builder()
                .tls(new SimulatorTls(stores.serverKeystore(), Secret.of("changeit"), stores.serverTrust(), Secret.of("changeit")))
                .pacing(Pacing.ONE_STEP_PER_POLL).workDir(dir.resolve("sim"))
                .account("connecteur", "pw-rw", Right.RW).account("agent-cs", "pw-cs", Right.CS);
        if (options.maxRequestBytes() > 0) builder.maxRequestBytes(options.maxRequestBytes());
        if (options.arActeBefore5047()) builder.legacyArActe(true);
        simulator = builder.start();
        TdtConfig.Builder config = TdtConfig.builder(URI.create(simulator.url().toString()), stores.clientKeystore(), Secret.of("changeit"))
                .truststore(stores.clientTrust(), Secret.of("changeit")).timeout(Duration.ofSeconds(10))
                .retry(2, Duration.ofMillis(10), Duration.ofMillis(20));
        client = new TdtClient(config.basicAuth("connecteur", Secret.of("pw-rw")).build(), d -> { }, new SplittableRandom(1));
        csClient = new TdtClient(config.basicAuth("agent-cs", Secret.of("pw-cs")).build(), d -> { }, new SplittableRandom(1));
    }

    @Override
    public TdtClient client() {
        return client;
    }

    @Override
    public TdtClient csClient() {
        return csClient;
    }

    @Override
    public long acknowledgedActe(TdtSubmission submission, IdActe idActe) {
        long tx = client.create(submission, idActe).transactionId();
        StatusReport r = awaitStatus(tx, Set.of(4, -1));
        if (r.code() != 4) throw new AssertionError("acte not acknowledged by the simulator: " + r);
        return tx;
    }

    @Override
    public long issueLetter(long acteTransaction, int type) {
        LetterType letter = Arrays.stream(LetterType.values()).filter(t -> t.transactionType() == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("letter type " + type));
        return simulator.issueLetter(acteTransaction, letter);
    }

    @Override
    public StatusReport awaitStatus(long transaction, Set<Integer> codes) {
        StatusReport last = null;
        for (int i = 0; i < 20; i++) {
            last = client.getStatus(transaction);
            if (codes.contains(last.code())) return last;
        }
        throw new AssertionError("status never in " + codes + ": " + last);
    }

    /** The message the simulator built for the acte, as served (files_list element 0, then download). */
    @Override
    public String signatureInMessage(long transaction, int index) throws Exception {
        awaitStatus(transaction, Set.of(4, -1));
        List<TdtFile> files = client.listFiles(transaction);
        Path message = dir.resolve("message-" + transaction + ".xml");
        client.downloadFile(files.get(0).id(), false, message);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml;
        try (InputStream in = Files.newInputStream(message)) {
            xml = factory.newDocumentBuilder().parse(in);
        }
        Element holder = index == 1 ? (Element) xml.getElementsByTagNameNS(NS, "Document").item(0)
                : (Element) xml.getElementsByTagNameNS(NS, "Annexe").item(index - 2);
        NodeList signature = holder.getElementsByTagNameNS(NS, "Signature");
        if (signature.getLength() != 1) throw new AssertionError("no Signature for file " + index + " in " + message);
        return signature.item(0).getTextContent();
    }

    @Override
    public void close() {
        client.close();
        csClient.close();
        simulator.close();
    }
}
