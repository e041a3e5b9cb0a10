package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.Secret;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code simulator --tls}: certificates made once, config lines printed without passwords, the client
 * connects; {@code --admin-port} prints the administration's address, which answers.
 */
class SimulatorCommandIT {
    @TempDir
    Path dir;

    @Test
    void tlsSimulatorPrintsAWorkingClientConfigWithoutPasswords() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new SimulatorCommand(Clock.systemUTC(), stop));
        cl.setOut(new PrintWriter(out, true));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> cl.execute("--port", "0", "--tls", "--dir", dir.toString(),
                    "--admin-port", "0", "--tsa"));
            Map<String, String> config = new HashMap<>();
            for (int i = 0; i < 200 && !(config.containsKey(TdtConfig.KEY_TRUSTSTORE) && out.toString().contains("Administration")
                    && out.toString().contains("tsa.url="));
                 i++) {
                Thread.sleep(50);
                out.toString().lines().filter(l -> l.startsWith("tdt.")).forEach(l ->
                        config.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
            }
            assertTrue(config.containsKey(TdtConfig.KEY_TRUSTSTORE), out.toString());
            Matcher admin = Pattern.compile("Administration du simulateur sur (http://127\\.0\\.0\\.1:[0-9]+)")
                    .matcher(out.toString());
            assertTrue(admin.find(), out.toString());
            HttpResponse<String> unknown = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(admin.group(1) + "/letters?transaction=999999&type=3-1"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode(), "the administration answers: " + unknown.body());
            Path keystore = Path.of(config.get(TdtConfig.KEY_KEYSTORE));
            Path truststore = Path.of(config.get(TdtConfig.KEY_TRUSTSTORE));
            String clientPassword = Files.readString(Path.of(keystore + ".password"), StandardCharsets.US_ASCII).strip();
            String trustPassword = Files.readString(Path.of(truststore + ".password"), StandardCharsets.US_ASCII).strip();
            assertFalse(out.toString().contains(clientPassword), "passwords are never printed");
            assertFalse(out.toString().contains(trustPassword), "passwords are never printed");
            TdtConfig tdt = TdtConfig.builder(URI.create(config.get(TdtConfig.KEY_URL)), keystore, Secret.of(clientPassword))
                    .truststore(truststore, Secret.of(trustPassword)).build();
            try (TdtClient client = new TdtClient(tdt)) {
                client.testConnection();
                assertEquals("Posté", client.statusLabels().get(1));
            }
            Matcher tsa = Pattern.compile("tsa\\.url=(http://127\\.0\\.0\\.1:[0-9]+/tsa)").matcher(out.toString());
            assertTrue(tsa.find(), out.toString());
            byte[] token = new fr.actesconnector.bundle.TsaClient(URI.create(tsa.group(1)), java.time.Duration.ofSeconds(10))
                    .stamp(new byte[32]);
            assertTrue(token.length > 100, "an RFC 3161 token");
            stop.countDown();
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
            assertTrue(Files.isRegularFile(dir.resolve("simulator-server.p12")));
        } finally {
            stop.countDown();
            runner.shutdownNow();
        }
    }

    @Test
    void accountOptionNeedsOneOfTheThreeRights() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SimulatorCommand(Clock.systemUTC(), new CountDownLatch(1)));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(ExitCodes.INVALID_INPUT, cl.execute("--port", "0", "--dir", dir.toString(), "--account", "agent:s3cr:et:XX"));
        assertTrue(err.toString().contains("--account attend LOGIN:MOT_DE_PASSE:DROIT"), err.toString());
        assertFalse(err.toString().contains("s3cr"), "the password is never printed");
    }
}
