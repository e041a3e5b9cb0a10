package fr.actesconnector.app;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.Poller;
import fr.actesconnector.app.web.WebConfig;
import fr.actesconnector.app.web.WebServer;
import fr.actesconnector.model.ActesException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serve}: the secretariat's web page until the process is stopped. Unless {@code --no-poll}, it
 * also polls the TdT every {@code poll.interval-seconds}, so that the page shows the ARs; do not run it
 * beside {@code daemon} on the same journal with polling on (the daemon starts the page itself when
 * {@code web.enabled=true}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Démarre la page web du secrétariat (transmettre et suivre les actes).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Option(names = "--port", paramLabel = "PORT", description = "Port d'écoute (défaut : web.port, sinon 8080).")
    Integer port;

    @Option(names = "--no-poll", description = "Ne pas interroger le TdT (un démon le fait déjà).")
    boolean noPoll;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM halts when its hooks return: wait until the page is closed (its upload folder removed).
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "actes-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ActesConnector connector = config.open()) {
            connector.journal();
            WebConfig web = WebConfig.from(connector.config(), Optional.ofNullable(port));
            ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "actes-serve-poll");
                t.setDaemon(true);
                return t;
            });
            try (WebServer server = new WebServer(connector, web, Clock.systemDefaultZone()).start()) {
                if (!noPoll) {
                    Poller poller = connector.poller("serve-" + ProcessHandle.current().pid());
                    long seconds = poller.settings().interval().toSeconds();
                    polling.scheduleWithFixedDelay(() -> pollQuietly(poller), 0, seconds, TimeUnit.SECONDS);
                }
                server.warnings().forEach(spec.commandLine().getErr()::println);
                out.println(server.startLine() + " (Ctrl+C pour arrêter).");
                stop.await();
            } finally {
                polling.shutdownNow();
                polling.awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    /** One failed round must not stop the page; the poller already recorded per-acte failures. */
    private static void pollQuietly(Poller poller) {
        try {
            Poller.Report r = poller.pollOnce();
            if (r.polled() > 0) LOG.info("poll: {}", r);
        } catch (ActesException e) {
            LOG.warn("poll round failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("poll round failed", e);
        }
    }
}
