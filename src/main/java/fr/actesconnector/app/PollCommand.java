package fr.actesconnector.app;

import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.Poller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code poll --once}: asks the TdT about every pending acte now, whatever the daemon's schedule, then
 * reads the prefecture's letters waiting on the TdT.
 */
@Command(name = "poll", mixinStandardHelpOptions = true, description = "Interroge le TdT pour les actes en attente.")
public final class PollCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--once", required = true, description = "Un seul tour, puis s'arrête (le daemon tourne en continu).")
    boolean once;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ActesConnector connector = config.open()) {
            Poller.Report r = connector.poller(Daemon.ownerName()).pollAllNow();
            spec.commandLine().getOut().println(r);
            int letters = connector.fetchPrefectureDocuments();
            spec.commandLine().getOut().println(letters + " document(s) de la préfecture enregistré(s)");
        }
        return ExitCodes.OK;
    }
}
