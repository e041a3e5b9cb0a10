package fr.actesconnector.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Who asked for an action (send, answer, cancel, publish, account change), as the journal records it beside
 * the action: a person signed in on the web page, a person at the command line (the OS user), or a program
 * using the connector as a library. Stored as {@code kind:name} ({@link #stored()}), shown in French
 * ({@link #label()}, read after « par »).
 */
public record Actor(Kind kind, String name) {
    /** Longest name kept; the journal's column holds the kind too. */
    static final int MAX_NAME = 150;

    public enum Kind {
        /** A person signed in on the web page; the name is her login. */
        WEB("web"),
        /** A person at the command line; the name is the OS user. */
        COMMAND_LINE("cli"),
        /** A program calling the connector's façade without naming anyone; the name is the OS user. */
        PROGRAM("program");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        // Control characters would break the history's lines; the rest is escaped where it is shown.
        name = name.replaceAll("\\p{Cntrl}", " ").strip();
        if (name.isEmpty()) name = "?";
        if (name.length() > MAX_NAME) name = name.substring(0, MAX_NAME);
    }

    /** The person signed in on the web page as {@code login}. */
    public static Actor web(String login) {
        return new Actor(Kind.WEB, login);
    }

    /** The person running a command: the OS user of this process. */
    public static Actor commandLine() {
        return new Actor(Kind.COMMAND_LINE, osUser());
    }

    /** The default of the façade's methods that name nobody: a program run by the OS user of this process. */
    public static Actor program() {
        return new Actor(Kind.PROGRAM, osUser());
    }

    private static String osUser() {
        return System.getProperty("user.name", "?");
    }

    /** French, to follow « par »: {@code marie.dupont}, {@code la ligne de commande (jdupont)}. */
    public String label() {
        return switch (kind) {
            case WEB -> name;
            case COMMAND_LINE -> "la ligne de commande (" + name + ")";
            case PROGRAM -> "un programme (" + name + ")";
        };
    }

    /** The journal's form, read back by {@link #parse}. */
    public String stored() {
        return kind.prefix + ":" + name;
    }

    /** An actor read from the journal; an unknown kind (a newer connector's) is kept as a program's name. */
    public static Actor parse(String stored) {
        Objects.requireNonNull(stored, "stored");
        int colon = stored.indexOf(':');
        if (colon > 0) {
            String prefix = stored.substring(0, colon).toLowerCase(Locale.ROOT);
            for (Kind k : Kind.values()) {
                if (k.prefix.equals(prefix)) return new Actor(k, stored.substring(colon + 1));
            }
        }
        return new Actor(Kind.PROGRAM, stored);
    }
}
