package fr.actesconnector.journal;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the journal lives: a JDBC URL (H2 embedded file by default, PostgreSQL for several daemons),
 * credentials, pool size, and how long a POSTING acte is left to its sender before a poller may look it
 * up at the TdT. Immutable; validated at construction.
 */
public record JournalConfig(String url, String user, Secret password, int poolSize, Duration postingGrace) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/journal";
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int MAX_POOL_SIZE = 64;
    public static final Duration DEFAULT_POSTING_GRACE = Duration.ofMinutes(15);

    static final String H2_PREFIX = "jdbc:h2:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    public JournalConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(postingGrace, "postingGrace");
        List<String> problems = check(url, user, poolSize, postingGrace);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid journal configuration for " + displayUrl(url));
        }
    }

    /** An H2 or PostgreSQL journal with default pool and grace. */
    public static JournalConfig of(String url, String user, Secret password) {
        return new JournalConfig(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_POSTING_GRACE);
    }

    /**
     * Reads {@code journal.url}, {@code journal.user}, {@code journal.password}, {@code journal.pool-size}
     * and {@code journal.posting-grace-seconds}. A relative H2 file path ({@code jdbc:h2:file:./data/journal},
     * the default) is resolved against {@code baseDir}, the configuration file's folder. Every problem is
     * reported in one {@link ConfigException}.
     */
    public static JournalConfig fromProperties(Map<String, String> properties, Path baseDir) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(baseDir, "baseDir");
        List<String> problems = new ArrayList<>();
        String url = properties.getOrDefault("journal.url", DEFAULT_URL).trim();
        if (url.isEmpty()) url = DEFAULT_URL;
        String user = properties.getOrDefault("journal.user", "").trim();
        Secret password = Secret.of(properties.getOrDefault("journal.password", ""));
        int poolSize = intProperty(properties, "journal.pool-size", DEFAULT_POOL_SIZE, problems);
        int graceSeconds = intProperty(properties, "journal.posting-grace-seconds",
                (int) DEFAULT_POSTING_GRACE.toSeconds(), problems);
        Duration grace = Duration.ofSeconds(graceSeconds);
        if (url.startsWith(H2_PREFIX)) url = resolveH2Path(url, baseDir);
        problems.addAll(check(url, user, poolSize, grace));
        if (!problems.isEmpty()) {
            throw new ConfigException(List.copyOf(new LinkedHashSet<>(problems)),
                    "invalid journal configuration for " + displayUrl(url));
        }
        return new JournalConfig(url, user, password, poolSize, grace);
    }

    public boolean isH2() {
        return url.startsWith(H2_PREFIX);
    }

    public boolean isPostgreSql() {
        return url.startsWith(POSTGRESQL_PREFIX);
    }

    /** The URL without its parameters (which may hold credentials), for messages and logs. */
    public String displayUrl() {
        return displayUrl(url);
    }

    static String displayUrl(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int i = url.indexOf(c);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return url.substring(0, cut);
    }

    private static List<String> check(String url, String user, int poolSize, Duration grace) {
        List<String> problems = new ArrayList<>();
        if (!url.startsWith(H2_PREFIX) && !url.startsWith(POSTGRESQL_PREFIX)) {
            problems.add("journal.url doit commencer par jdbc:h2: (fichier local, par défaut " + DEFAULT_URL
                    + ") ou jdbc:postgresql:// (serveur PostgreSQL) ; valeur lue : " + displayUrl(url));
        }
        if (url.startsWith(POSTGRESQL_PREFIX) && user.isEmpty()) {
            problems.add("journal.user est obligatoire avec PostgreSQL : indiquez le compte de la base du journal.");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            problems.add("journal.pool-size doit être compris entre 1 et " + MAX_POOL_SIZE + " ; valeur lue : "
                    + poolSize);
        }
        if (grace.isNegative() || grace.isZero()) {
            problems.add("journal.posting-grace-seconds doit être un nombre de secondes positif ; valeur lue : "
                    + grace.toSeconds());
        }
        return problems;
    }

    private static int intProperty(Map<String, String> properties, String key, int defaultValue, List<String> problems) {
        String text = properties.get(key);
        if (text == null || text.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            problems.add(key + " doit être un nombre entier ; valeur lue : " + text.trim());
            return defaultValue;
        }
    }

    /** An H2 database in a file of this machine: {@code jdbc:h2:file:…} or a bare path, not mem:, tcp:, ssl:, zip:… */
    static boolean isH2File(String url) {
        if (!url.startsWith(H2_PREFIX)) return false;
        String rest = url.substring(H2_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (rest.startsWith("file:")) return true;
        // Any other "name:" is an H2 scheme or file system (one letter would be a Windows drive).
        return !rest.matches("^[a-z][a-z0-9]+:.*");
    }

    /** The option names of an H2 URL ({@code ;NAME=value}), upper case. */
    static Set<String> h2OptionKeys(String url) {
        Set<String> keys = new HashSet<>();
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = (eq < 0 ? parts[i] : parts[i].substring(0, eq)).trim().toUpperCase(Locale.ROOT);
            if (!key.isEmpty()) keys.add(key);
        }
        return keys;
    }

    /** {@code jdbc:h2:file:./x;OPT} or {@code jdbc:h2:./x} → absolute path; mem:, tcp:, ssl: are left alone. */
    static String resolveH2Path(String url, Path baseDir) {
        String rest = url.substring(H2_PREFIX.length());
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")) return url;
        String scheme = lower.startsWith("file:") ? rest.substring(0, 5) : "";
        String pathAndOptions = rest.substring(scheme.length());
        int semicolon = pathAndOptions.indexOf(';');
        String pathText = semicolon < 0 ? pathAndOptions : pathAndOptions.substring(0, semicolon);
        String options = semicolon < 0 ? "" : pathAndOptions.substring(semicolon);
        if (pathText.isEmpty() || pathText.startsWith("~")) return url;
        Path path = Path.of(pathText);
        if (path.isAbsolute()) return url;
        Path resolved = baseDir.toAbsolutePath().resolve(path).normalize();
        return H2_PREFIX + "file:" + resolved + options;
    }
}
