package fr.actesconnector.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.app.web.WebConfig;
import fr.actesconnector.app.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code daemon}: polls on a schedule until stopped (SIGTERM or Ctrl-C end it cleanly). */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Interroge le TdT à intervalles réguliers jusqu'à l'arrêt (SIGTERM).")
public final class DaemonCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ActesConnector connector = config.open();
        connector.journal(); // fail fast: the database must answer before the loop starts
        // every TdT account's settings and certificate, before the loop
        connector.config().collectivites().forEach(c -> {
            connector.tdt(c.siren());
            connector.followTdt(c.siren());
        });
        Daemon daemon = new Daemon(connector, connector.sender(Daemon.ownerName()), connector.poller(Daemon.ownerName()));
        Optional<WebServer> web = Optional.empty();
        if (connector.config().get("web.enabled").map(Boolean::parseBoolean).orElse(false)) {
            web = Optional.of(new WebServer(connector, WebConfig.from(connector.config(), Optional.empty()),
                    connector.clock()).start());
            web.get().warnings().forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getOut().println(web.get().startLine() + ".");
        }
        Optional<WebServer> started = web;
        Thread hook = new Thread(() -> {
            started.ifPresent(WebServer::close);
            daemon.stop(Duration.ofSeconds(30));
            connector.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("Daemon démarré (intervalle " + connector.poller("x").settings().interval().toSeconds()
                + " s) ; arrêt par Ctrl-C ou SIGTERM.");
        daemon.run();
        return ExitCodes.OK;
    }
}
