package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} from the jar, open to the network in clear: the French warning on stderr, a start line with
 * the real port and the hint for the other computers; meanwhile {@code status} uses the same H2 journal; at
 * SIGTERM the page's upload folder is removed.
 */
class ServeCliIT {
    private static final Pattern LOCAL = Pattern.compile("Page web disponible sur (http://localhost:\\d+/) sur cette machine ;"
            + " depuis les autres postes : http://\\S+:\\d+/ \\(le nom de cette machine");

    @TempDir
    Path dir;

    @Test
    void aPageOpenToTheNetworkWithoutTlsIsWarnedAndSaysWhereToOpenIt() throws Exception {
        Files.copy(Path.of("config", "houdan.properties"), dir.resolve("houdan.properties"));
        Files.copy(Path.of("config", "classification-078.xml"), dir.resolve("classification-078.xml"));
        Path config = dir.resolve("houdan.properties");
        Files.writeString(config, "\nweb.bind=0.0.0.0\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = new ProcessBuilder("java", "-jar", CliIT.JAR.toAbsolutePath().toString(), "serve", "--no-poll",
                "--port", "0", "--config", config.toString()).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String line = "";
            for (int i = 0; i < 240 && !line.contains("Page web disponible") && serve.isAlive(); i++) {
                Thread.sleep(500);
                line = Files.readString(out, StandardCharsets.UTF_8);
            }
            Matcher m = LOCAL.matcher(line);
            assertTrue(m.find(), line + Files.readString(err, StandardCharsets.UTF_8));
            assertTrue(line.strip().endsWith("(Ctrl+C pour arrêter)."), line);
            String warnings = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(warnings.contains("Attention : la page web est ouverte au réseau (web.bind=0.0.0.0) sans chiffrement :"
                    + " les mots de passe et les actes y circulent en clair. Indiquez web.tls.keystore et web.tls.password"),
                    warnings);

            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))
                    .resolve("/connexion")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the printed address is the page's");

            CliIT.Run status = CliIT.runWithConfig(dir, config, "status", "--json");
            assertEquals(0, status.exit(), status.err());
            assertEquals("[ ]", status.out().strip());
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
        try (var folders = Files.list(dir.resolve("data").resolve("envois-en-cours"))) {
            assertEquals(List.of(), folders.filter(Files::isDirectory).toList(), "the upload folder is removed at stop");
        }
    }
}
