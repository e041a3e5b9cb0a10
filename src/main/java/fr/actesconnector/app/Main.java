package fr.actesconnector.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.FrenchText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code actes.jar}: picocli verbs, French messages, exit codes. The only place that exits. */
@Command(name = "actes", mixinStandardHelpOptions = true, version = "actes-connector 0.1",
        description = "Transmission des actes au contrôle de légalité (protocole @ctes) via un tiers de télétransmission.")
public final class Main implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** The verbs, in the order of the usage text. */
    static final List<Class<?>> VERBS = List.of(PrepareCommand.class, SendCommand.class, TdtCommand.class,
            StatusCommand.class, PollCommand.class, DaemonCommand.class, VerifyCommand.class, ParseCommand.class,
            InboxCommand.class, SimulatorCommand.class, BenchCommand.class, ServeCommand.class, UserCommand.class,
            DemoCommand.class, ReplyCommand.class, CancelCommand.class, PublishCommand.class, ExportCommand.class,
            VerifyBundleCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale says: French messages must not turn into '?' under a bare POSIX locale.
        System.exit(run(args, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /**
     * The command line with the verb of {@code args} only, or every verb when the first argument names
     * none (usage, help, a mistyped verb): picocli reflects over each verb it is given, which cost a
     * quarter of a second at every start with all fourteen.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        boolean known = VERBS.stream().anyMatch(v -> name(v).equals(first)) && !first.equals("help");
        for (Class<?> verb : VERBS) {
            if (!known || name(verb).equals(first)) cl.addSubcommand(name(verb), verb);
        }
        return cl;
    }

    private static String name(Class<?> verb) {
        return verb.getAnnotation(Command.class).name();
    }

    /** Runs a command line and returns its exit code; used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.registerConverter(LocalDate.class, Main::isoDate);
        cl.setParameterExceptionHandler((ex, a) -> {
            boolean root = ex.getCommandLine().getParent() == null;
            err.println("Erreur : " + french(ex, root));
            LOG.debug("command line refused: {}", ex.getMessage());
            err.println("Aide : java -jar actes.jar " + (root ? "" : ex.getCommandLine().getCommandName() + " ") + "--help");
            return ExitCodes.INVALID_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ActesException ae) {
                err.println(ae.userMessage());
                LOG.debug("{}", ae.getMessage(), ae);
                return ExitCodes.of(ae.reason());
            }
            err.println("Erreur interne inattendue (" + ex.getClass().getSimpleName()
                    + ") : relancez avec -Dorg.slf4j.simpleLogger.defaultLogLevel=debug et transmettez le journal à l'assistance.");
            LOG.error("unexpected failure", ex);
            return ExitCodes.INTERNAL;
        });
        return cl.execute(args);
    }

    /** Dates on the command line: {@code AAAA-MM-JJ}, refused in French saying what is wrong. */
    static LocalDate isoDate(String text) {
        return FrenchText.isoDate(text).orElseThrow(() -> new CommandLine.TypeConversionException(
                "la date « " + text + " » " + FrenchText.whyNotADate(text).orElseThrow() + " (ex. 2026-04-27)"));
    }

    /** picocli speaks English; the secretariat reads French. No final stop. */
    static String french(CommandLine.ParameterException ex, boolean root) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            String what = arg.startsWith("-") ? "option inconnue" : root ? "commande inconnue" : "argument en trop";
            return what + " « " + arg + " »" + (u.getSuggestions().isEmpty() ? ""
                    : " ; vouliez-vous dire « " + String.join(" », « ", u.getSuggestions()) + " » ?");
        }
        if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            List<String> names = m.getMissing().stream().map(Main::name).toList();
            boolean options = m.getMissing().stream().allMatch(a -> a instanceof CommandLine.Model.OptionSpec);
            String what = options ? (names.size() == 1 ? "l'option obligatoire " : "les options obligatoires ")
                    : (names.size() == 1 ? "l'argument " : "les arguments ");
            return "il manque " + what + String.join(", ", names);
        }
        if (ex instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() != null) {
            return "l'option " + name(o.getOverwritten()) + " est donnée plusieurs fois : gardez-en une seule";
        }
        CommandLine.Model.ArgSpec arg = ex.getArgSpec();
        if (arg != null && ex.getValue() != null) {
            if (ex.getCause() instanceof CommandLine.TypeConversionException t && t.getMessage().startsWith("la date")) {
                return t.getMessage() + " pour " + name(arg);
            }
            return "la valeur « " + ex.getValue() + " » de " + name(arg) + " n'est pas valide" + expected(arg.type());
        }
        return "la ligne de commande n'est pas comprise (options manquantes, en trop ou mal écrites)";
    }

    private static String name(CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return " : un nombre entier est attendu";
        }
        if (type.isEnum()) {
            return " : valeurs possibles " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", "));
        }
        return "";
    }
}
