package fr.actesconnector.model;

import java.util.List;

/** The configuration is unusable; carries every problem found, not only the first. */
public class ConfigException extends ActesException {
    private final List<String> problems;

    public ConfigException(String userMessage, String logMessage) {
        this(List.of(userMessage), logMessage);
    }

    public ConfigException(List<String> problems, String logMessage) {
        super(Reason.INVALID_INPUT, String.join("\n", problems), logMessage);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
