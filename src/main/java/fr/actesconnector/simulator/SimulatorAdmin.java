package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's own administration, on a separate port bound to loopback, plain HTTP: what a
 * prefecture would do, on request. {@code POST /letters?transaction=N&type=3-1[&texte=…]} issues a
 * letter about acte N and answers its transaction id; {@code GET /creates} lists each acte number with the
 * create requests that carried it. Nothing here is part of S²LOW's API.
 */
public final class SimulatorAdmin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorAdmin.class);

    private final TdtSimulator simulator;
    private final HttpServer server;
    private final ExecutorService executor;

    private SimulatorAdmin(TdtSimulator simulator, int port) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            this.server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new SimulatorException("L'administration du simulateur ne peut pas écouter sur le port " + port + " ("
                    + e.getMessage() + ") : choisissez un autre port (--admin-port).", "cannot bind " + address + ": " + e, e);
        }
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tdt-simulator-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("TdT simulator administration on http://127.0.0.1:{}", port());
    }

    /** Starts the administration of {@code simulator} on {@code port} of loopback (0: a free port). */
    public static SimulatorAdmin start(TdtSimulator simulator, int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        return new SimulatorAdmin(simulator, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            if ("/creates".equals(ex.getRequestURI().getPath()) && "GET".equals(ex.getRequestMethod())) {
                // "<number> <create requests>" per line: how many times each acte was posted (bench, tests)
                StringBuilder lines = new StringBuilder();
                simulator.createRequests().forEach((n, c) -> lines.append(n).append(' ').append(c).append('\n'));
                reply(ex, 200, lines.toString());
                return;
            }
            if (!"/letters".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, "Adresse inconnue : POST /letters?transaction=N&type=3-1 ou GET /creates.");
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                reply(ex, 405, "Utilisez POST /letters?transaction=N&type=3-1.");
                return;
            }
            Map<String, String> query = Http.query(ex.getRequestURI().getRawQuery());
            Optional<Long> transaction = Http.idParam(query, "transaction");
            Optional<LetterType> type = LetterType.ofCode(query.getOrDefault("type", ""));
            if (transaction.isEmpty() || type.isEmpty()) {
                reply(ex, 400, "Paramètres attendus : transaction (numéro de la transaction de l'acte) et type "
                        + "(2-1, 3-1, 4-1 ou 5-1).");
                return;
            }
            try {
                long id = simulator.issueLetter(transaction.get(), type.get(), query.getOrDefault("texte", ""));
                reply(ex, 200, id + "\n");
            } catch (IllegalArgumentException e) {
                reply(ex, 404, "La transaction " + transaction.get() + " n'est pas un acte connu du simulateur.");
            } catch (IllegalStateException e) {
                reply(ex, 409, "L'acte de la transaction " + transaction.get()
                        + " n'a pas encore d'accusé de réception : la préfecture ne peut pas encore lui écrire.");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("simulator administration request failed: {}", e.toString());
        }
    }

    private static void reply(HttpExchange ex, int code, String text) throws IOException {
        Http.send(ex, code, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
