package fr.actesconnector;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import fr.actesconnector.model.Secret;

/**
 * The keys of one configuration after inheritance and overrides, and the folder its relative paths
 * resolve against: what the main configuration ({@link ConnectorConfig}) and each collectivité's
 * ({@link CollectiviteConfig}) read the same way. Immutable.
 */
public abstract sealed class ConfigValues permits ConnectorConfig, CollectiviteConfig {
    private final Path baseDir;
    private final Map<String, String> values;

    ConfigValues(Path baseDir, Map<String, String> values) {
        this.baseDir = baseDir;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Folder against which relative paths resolve. */
    public final Path baseDir() {
        return baseDir;
    }

    /** Every key after inheritance and overrides, for the packages' config factories. Contains secrets: never log it. */
    public final Map<String, String> values() {
        return values;
    }

    /** The value of {@code key}; empty when absent or blank. */
    public final Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public final Optional<Secret> secret(String key) {
        return get(key).map(Secret::of);
    }

    /** A path value resolved against {@link #baseDir()}. */
    public final Optional<Path> path(String key) {
        return get(key).map(v -> baseDir.resolve(v).normalize());
    }

    /** The value of a required key, else "" and {@link #missing(String)} added to {@code problems}. */
    final String require(String key, List<String> problems) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            problems.add(missing(key));
            return "";
        }
        return v.get();
    }

    /** The French problem of a required key left out, naming where it belongs. */
    abstract String missing(String key);

    /** A positive whole number ({@code _} allowed as a separator), {@code def} when absent; a bad value is a problem. */
    final long positiveLong(String key, long def, List<String> problems) {
        Optional<String> v = get(key);
        if (v.isEmpty()) return def;
        try {
            long n = Long.parseLong(v.get().replace("_", ""));
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add("La valeur « " + v.get() + " » de " + key + " doit être un nombre entier positif.");
        return def;
    }
}
