package fr.actesconnector.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.CollectiviteConfig;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.app.web.PasswordPolicy;
import fr.actesconnector.app.web.Passwords;
import fr.actesconnector.journal.Users;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code user add|remove|list|disable|enable|collectivites}: the web page's accounts and the collectivités each
 * belongs to ({@code --collectivite SIREN}, repeatable, or {@code --syndicat}). The password is read from the console
 * (typed twice, not echoed) or, when there is no console, from the first line of standard input; never
 * from an argument, which other users of the machine could see. Every change is recorded in the journal as made
 * by the command line and the OS user.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Gère les comptes de la page web.",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.ListUsers.class,
                UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Collectivites.class})
public final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Crée un compte ; le mot de passe est demandé (ou lu sur l'entrée standard).")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "IDENTIFIANT", description = "Identifiant (minuscules, chiffres, . _ - @).")
        String login;

        @Option(names = "--role", paramLabel = "agent|admin", description = "Rôle du compte : agent (transmettre, suivre, "
                + "répondre) ou admin (aussi les comptes et l'annulation). Par défaut : admin tant qu'aucun administrateur "
                + "actif n'existe (le premier compte), agent ensuite.")
        String role;

        @Option(names = "--nom", paramLabel = "NOM", description = "Nom et prénom de la personne, affichés dans la liste des comptes.")
        String fullName;

        @Mixin
        ScopeOptions scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String normalized = Users.normalizeLogin(login);
            Optional<Users.Role> asked = Optional.empty();
            if (role != null) {
                asked = Optional.of(Users.Role.parse(role).orElseThrow(() -> new ActesException(Reason.INVALID_INPUT,
                        "Le rôle « " + role + " » est inconnu : agent ou admin.", "unknown role " + role)));
            }
            Optional<String> name = Optional.ofNullable(fullName).map(String::strip).filter(n -> !n.isEmpty());
            try (ActesConnector connector = config.open()) {
                ConnectorConfig cc = connector.config();
                Users.Scope s = scope.scope(cc);
                Users users = connector.journal().users();
                Users.Role r = asked.orElse(users.anyActiveAdmin() ? Users.Role.AGENT : Users.Role.ADMIN);
                char[] password = readPassword(spec.commandLine().getOut());
                try {
                    // an account of a syndicate's page may serve any of its collectivités: none of their names
                    Optional<String> weak = Optional.empty();
                    for (fr.actesconnector.CollectiviteConfig c : connector.config().collectivites()) {
                        if (weak.isEmpty()) weak = PasswordPolicy.standard().weakness(password, normalized, name, c.collectivite().nom());
                    }
                    if (weak.isPresent()) throw new ActesException(Reason.INVALID_INPUT, weak.get(), "password refused by policy");
                    users.add(normalized, new Passwords(new SecureRandom()).hash(password), r, name, s, Actor.commandLine());
                } finally {
                    Arrays.fill(password, '\0');
                }
                // With one collectivité, said as before: there is nothing to choose.
                spec.commandLine().getOut().println("Compte « " + normalized + " » créé (" + r.label()
                        + (cc.collectivites().size() > 1 ? " ; " + describe(cc, s) : "") + ").");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Supprime un compte ; ses sessions sur la page web se ferment.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "IDENTIFIANT")
        String login;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ActesConnector connector = config.open()) {
                String normalized = Users.normalizeLogin(login);
                if (!connector.journal().users().remove(normalized, Actor.commandLine())) return unknown(spec, normalized);
                spec.commandLine().getOut().println("Compte « " + normalized + " » supprimé.");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Désactive un compte : il ne peut plus se connecter et ses sessions se ferment.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "IDENTIFIANT")
        String login;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return setDisabled(config, spec, login, true);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Réactive un compte désactivé.")
    static final class Enable implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "IDENTIFIANT")
        String login;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return setDisabled(config, spec, login, false);
        }
    }

    private static int setDisabled(ConfigOption config, CommandSpec spec, String login, boolean disabled) {
        try (ActesConnector connector = config.open()) {
            String normalized = Users.normalizeLogin(login);
            if (!connector.journal().users().setDisabled(normalized, disabled, Actor.commandLine())) {
                return unknown(spec, normalized);
            }
            spec.commandLine().getOut().println("Compte « " + normalized + " » " + (disabled ? "désactivé." : "réactivé."));
            return ExitCodes.OK;
        }
    }

    /** {@code --collectivite SIREN}… or {@code --syndicat}: the collectivités of an account. */
    static final class ScopeOptions {
        @Option(names = "--collectivite", paramLabel = "SIREN", description = "Une collectivité du compte, par son SIREN "
                + "(répétable) : le compte ne voit que leurs actes. Inutile avec une seule collectivité configurée.")
        List<String> sirens = new ArrayList<>();

        @Option(names = "--syndicat", description = "Un compte de tout le syndicat : il voit les actes de chaque "
                + "collectivité configurée et passe de l'une à l'autre.")
        boolean syndicate;

        /**
         * The scope asked; with one collectivité configured and nothing asked, that one.
         *
         * @throws ConfigException in French: both asked, a SIREN not configured, or nothing asked with several
         */
        Users.Scope scope(ConnectorConfig config) {
            if (syndicate && !sirens.isEmpty()) {
                throw new ConfigException("--syndicat et --collectivite s'excluent : un compte de tout le syndicat voit déjà "
                        + "chaque collectivité. Indiquez l'un ou l'autre.", "--syndicat with --collectivite");
            }
            if (syndicate) return Users.Scope.syndicateWide();
            if (!sirens.isEmpty()) return Users.Scope.of(sirens.stream().map(s -> config.of(s.trim()).siren()).toList());
            if (config.collectivites().size() == 1) return Users.Scope.of(List.of(config.first().siren()));
            throw new ConfigException("Cette configuration compte " + config.collectivites().size() + " collectivités ("
                    + String.join(", ", config.collectivites().stream().map(CollectiviteConfig::label).toList())
                    + ") : indiquez celles du compte avec --collectivite SIREN (répétable), ou --syndicat pour un compte de "
                    + "tout le syndicat.", "several collectivités, no scope for the account");
        }
    }

    /** The configured collectivités of {@code scope} (every one for the syndicate). */
    static List<CollectiviteConfig> collectivitesOf(ConnectorConfig config, Users.Scope scope) {
        return config.collectivites().stream().filter(c -> scope.syndicate() || scope.sirens().contains(c.siren())).toList();
    }

    /**
     * An account's collectivités in French, for people: « tout le syndicat », their labels (SIREN when no longer
     * configured), and for an account without any the only collectivité of the configuration, else « aucune ».
     */
    static String describe(ConnectorConfig config, Users.Scope scope) {
        if (scope.syndicate()) return "tout le syndicat";
        if (scope.none()) {
            return config.collectivites().size() == 1 ? config.first().label() : "aucune collectivité (ne peut pas se connecter)";
        }
        return String.join(", ", scope.sirens().stream().map(s -> config.find(s).map(CollectiviteConfig::label)
                .orElse("SIREN " + s + " (hors configuration)")).toList());
    }

    @Command(name = "collectivites", mixinStandardHelpOptions = true,
            description = "Change les collectivités d'un compte (--collectivite SIREN, répétable, ou --syndicat) ; ses "
                    + "sessions sur la page web suivent à leur prochaine page.")
    static final class Collectivites implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "IDENTIFIANT")
        String login;

        @Mixin
        ScopeOptions scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ActesConnector connector = config.open()) {
                String normalized = Users.normalizeLogin(login);
                Users.Scope s = scope.scope(connector.config());
                if (!connector.journal().users().setScope(normalized, s, Actor.commandLine())) return unknown(spec, normalized);
                spec.commandLine().getOut().println("Compte « " + normalized + " » : " + describe(connector.config(), s) + ".");
                return ExitCodes.OK;
            }
        }
    }

    private static int unknown(CommandSpec spec, String login) {
        spec.commandLine().getErr().println("Aucun compte « " + login + " » : rien n'a été modifié (voir « user list »).");
        return ExitCodes.INVALID_INPUT;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Liste les comptes, leur rôle, leur état et leurs collectivités.")
    static final class ListUsers implements Callable<Integer> {
        private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ActesConnector connector = config.open()) {
                List<Users.User> users = connector.journal().users().list();
                if (users.isEmpty()) out.println("Aucun compte. Créez-en un avec « user add IDENTIFIANT ».");
                ZoneId zone = connector.config().validationSettings().zone();
                users.forEach(u -> out.println(u.login() + "\t" + u.role().word() + "\t" + (u.disabled() ? "désactivé" : "actif")
                        + "\t" + describe(connector.config(), u.scope()) + "\tcréé le " + DAY.format(u.createdAt().atZone(zone))
                        + u.fullName().map(n -> "\t" + n).orElse("")));
            }
            return ExitCodes.OK;
        }
    }

    /** From the console when there is one (asked twice), else the first line of standard input. */
    static char[] readPassword(PrintWriter out) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Mot de passe : ");
            char[] second = console.readPassword("Mot de passe (confirmation) : ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                if (first != null) Arrays.fill(first, '\0');
                if (second != null) Arrays.fill(second, '\0');
                throw new ActesException(Reason.INVALID_INPUT, "Les deux saisies du mot de passe diffèrent : recommencez.",
                        "password confirmation mismatch");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new ActesException(Reason.INVALID_INPUT, "Aucun mot de passe reçu : tapez-le quand il est demandé, "
                    + "ou envoyez-le sur l'entrée standard (ex. printf '%s\\n' \"$MDP\" | java -jar actes.jar user add …).",
                    "no password on stdin");
        }
        return line.toCharArray();
    }
}
