package fr.actesconnector.tdt;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the TdT client; immutable and thread-safe, validated in its constructor (every
 * problem reported at once). Build it with {@link #builder(URI, Path, Secret)} or read it from the
 * {@code tdt.*} properties with {@link #fromProperties(Map, Path)}.
 *
 * @param url             S²LOW instance root, https only
 * @param clientKeystore  PKCS#12 holding the client certificate and its key (mutual TLS)
 * @param clientPassword  password of {@code clientKeystore} and of its key
 * @param truststore      PKCS#12 trust store; empty = the JDK's default trust
 * @param basicLogin      HTTP Basic login, needed when the certificate is shared by several accounts
 * @param timeout         connect and read timeout
 * @param proxy           optional HTTP proxy ({@code http://host:port})
 * @param maxAttempts     attempts of a read (GET) before giving up, at least 1
 * @param initialBackoff  delay before the second attempt; doubled at each attempt, with jitter
 * @param maxBackoff      upper bound of one delay
 * @param maxRequestsPerSecond  requests a second this process sends to the account at most ({@link TdtRateLimits})
 */
public record TdtConfig(
        URI url,
        Path clientKeystore,
        Secret clientPassword,
        Optional<Path> truststore,
        Optional<Secret> truststorePassword,
        Optional<String> basicLogin,
        Optional<Secret> basicPassword,
        Duration timeout,
        Optional<URI> proxy,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double maxRequestsPerSecond) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    /** Politeness towards a shared TdT: a daemon polling thousands of actes stays under this per account. */
    public static final double DEFAULT_MAX_REQUESTS_PER_SECOND = 10;
    static final double MAX_REQUESTS_PER_SECOND = 10_000;

    public static final String KEY_URL = "tdt.url";
    public static final String KEY_KEYSTORE = "tdt.client.keystore";
    public static final String KEY_KEYSTORE_PASSWORD = "tdt.client.password";
    public static final String KEY_TRUSTSTORE = "tdt.truststore";
    public static final String KEY_TRUSTSTORE_PASSWORD = "tdt.truststore.password";
    public static final String KEY_LOGIN = "tdt.login";
    public static final String KEY_PASSWORD = "tdt.password";
    public static final String KEY_TIMEOUT = "tdt.timeout-seconds";
    public static final String KEY_PROXY = "tdt.proxy";
    public static final String KEY_RETRY_ATTEMPTS = "tdt.retry.max-attempts";
    public static final String KEY_RETRY_INITIAL = "tdt.retry.initial-delay-seconds";
    public static final String KEY_RETRY_MAX = "tdt.retry.max-delay-seconds";
    public static final String KEY_MAX_RATE = "tdt.max-requests-per-second";

    public TdtConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(clientKeystore, "clientKeystore");
        Objects.requireNonNull(clientPassword, "clientPassword");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
        Objects.requireNonNull(basicLogin, "basicLogin");
        Objects.requireNonNull(basicPassword, "basicPassword");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        List<String> problems = new ArrayList<>();
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            problems.add(KEY_URL + " doit être une adresse https:// complète (ex. https://s2low.example.fr), reçu : " + url);
        }
        if (truststore.isPresent() && truststorePassword.isEmpty()) {
            problems.add(KEY_TRUSTSTORE_PASSWORD + " est obligatoire quand " + KEY_TRUSTSTORE + " est renseigné.");
        }
        if (basicLogin.isPresent() != basicPassword.isPresent()) {
            problems.add(KEY_LOGIN + " et " + KEY_PASSWORD + " vont ensemble : renseignez les deux ou aucun.");
        }
        basicLogin.filter(l -> !l.matches("[\\x21-\\x7E]+")).ifPresent(l ->
                problems.add(KEY_LOGIN + " doit être en ASCII sans espace ni deux-points (le TdT peut mal décoder les accents)."));
        basicLogin.filter(l -> l.contains(":")).ifPresent(l ->
                problems.add(KEY_LOGIN + " ne peut pas contenir « : »."));
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(KEY_TIMEOUT + " doit être compris entre 1 et 3600 secondes.");
        }
        proxy.filter(p -> !"http".equalsIgnoreCase(p.getScheme()) || p.getHost() == null).ifPresent(p ->
                problems.add(KEY_PROXY + " doit être de la forme http://hôte:port, reçu : " + p));
        if (maxAttempts < 1 || maxAttempts > 10) {
            problems.add(KEY_RETRY_ATTEMPTS + " doit être compris entre 1 et 10.");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add(KEY_RETRY_MAX + " doit être supérieur ou égal à " + KEY_RETRY_INITIAL + " (délais positifs).");
        }
        if (!(maxRequestsPerSecond >= 0.01 && maxRequestsPerSecond <= MAX_REQUESTS_PER_SECOND)) {
            problems.add(KEY_MAX_RATE + " doit être un nombre compris entre 0.01 et " + (long) MAX_REQUESTS_PER_SECOND
                    + " (requêtes par seconde).");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid TdT configuration: " + problems.size() + " problem(s)");
        }
    }

    public static Builder builder(URI url, Path clientKeystore, Secret clientPassword) {
        return new Builder(url, clientKeystore, clientPassword);
    }

    /**
     * Reads the {@code tdt.*} keys of {@code props}; relative paths are resolved against
     * {@code baseDir}. Every problem (missing key, unreadable file, bad number) goes into one
     * {@link ConfigException}.
     */
    public static TdtConfig fromProperties(Map<String, String> props, Path baseDir) {
        Objects.requireNonNull(props, "props");
        Objects.requireNonNull(baseDir, "baseDir");
        List<String> problems = new ArrayList<>();
        URI url = null;
        String rawUrl = value(props, KEY_URL);
        if (rawUrl == null) {
            problems.add(KEY_URL + " est obligatoire : l'adresse https:// du TdT (S²LOW).");
        } else {
            try {
                url = new URI(rawUrl);
            } catch (URISyntaxException e) {
                problems.add(KEY_URL + " n'est pas une adresse valide : " + rawUrl);
            }
        }
        Path keystore = file(props, KEY_KEYSTORE, baseDir, true, problems);
        String keystorePassword = value(props, KEY_KEYSTORE_PASSWORD);
        if (keystorePassword == null) {
            problems.add(KEY_KEYSTORE_PASSWORD + " est obligatoire : le mot de passe du fichier PKCS#12 du certificat client.");
        }
        Path truststore = file(props, KEY_TRUSTSTORE, baseDir, false, problems);
        Optional<Secret> truststorePassword = Optional.ofNullable(value(props, KEY_TRUSTSTORE_PASSWORD)).map(Secret::of);
        Optional<String> login = Optional.ofNullable(value(props, KEY_LOGIN));
        Optional<Secret> password = Optional.ofNullable(value(props, KEY_PASSWORD)).map(Secret::of);
        long timeout = number(props, KEY_TIMEOUT, DEFAULT_TIMEOUT.toSeconds(), problems);
        Optional<URI> proxy = Optional.empty();
        String rawProxy = value(props, KEY_PROXY);
        if (rawProxy != null) {
            try {
                proxy = Optional.of(new URI(rawProxy));
            } catch (URISyntaxException e) {
                problems.add(KEY_PROXY + " n'est pas une adresse valide : " + rawProxy);
            }
        }
        long attempts = number(props, KEY_RETRY_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, problems);
        long initial = number(props, KEY_RETRY_INITIAL, DEFAULT_INITIAL_BACKOFF.toSeconds(), problems);
        long max = number(props, KEY_RETRY_MAX, DEFAULT_MAX_BACKOFF.toSeconds(), problems);
        double rate = decimal(props, KEY_MAX_RATE, DEFAULT_MAX_REQUESTS_PER_SECOND, problems);
        // Placeholders let the constructor report its own problems together with ours.
        List<String> all = new ArrayList<>(problems);
        TdtConfig config = null;
        try {
            config = new TdtConfig(url != null ? url : URI.create("https://placeholder.invalid"),
                    keystore != null ? keystore : baseDir, Secret.of(keystorePassword != null ? keystorePassword : ""),
                    Optional.ofNullable(truststore), truststorePassword, login, password, Duration.ofSeconds(timeout),
                    proxy, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, attempts)),
                    Duration.ofSeconds(initial), Duration.ofSeconds(max), rate);
        } catch (ConfigException e) {
            all.addAll(e.problems());
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all, "invalid TdT configuration: " + all.size() + " problem(s)");
        }
        return config;
    }

    private static String value(Map<String, String> props, String key) {
        String v = props.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Path file(Map<String, String> props, String key, Path baseDir, boolean required, List<String> problems) {
        String v = value(props, key);
        if (v == null) {
            if (required) problems.add(key + " est obligatoire : le chemin du fichier PKCS#12 (.p12) du certificat client.");
            return null;
        }
        Path p = baseDir.resolve(v).normalize();
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problems.add(key + " : fichier introuvable ou illisible : " + p);
        }
        return p;
    }

    private static long number(Map<String, String> props, String key, long defaultValue, List<String> problems) {
        String v = value(props, key);
        if (v == null) return defaultValue;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add(key + " doit être un nombre entier, reçu : " + v);
            return defaultValue;
        }
    }

    private static double decimal(Map<String, String> props, String key, double defaultValue, List<String> problems) {
        String v = value(props, key);
        if (v == null) return defaultValue;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            problems.add(key + " doit être un nombre (ex. 10 ou 0.5), reçu : " + v);
            return defaultValue;
        }
    }

    /** Builder with the defaults above; {@link #build()} validates. */
    public static final class Builder {
        private final URI url;
        private final Path clientKeystore;
        private final Secret clientPassword;
        private Path truststore;
        private Secret truststorePassword;
        private String login;
        private Secret password;
        private Duration timeout = DEFAULT_TIMEOUT;
        private URI proxy;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double maxRequestsPerSecond = DEFAULT_MAX_REQUESTS_PER_SECOND;

        private Builder(URI url, Path clientKeystore, Secret clientPassword) {
            this.url = url;
            this.clientKeystore = clientKeystore;
            this.clientPassword = clientPassword;
        }

        public Builder truststore(Path file, Secret password) {
            this.truststore = Objects.requireNonNull(file, "file");
            this.truststorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        public Builder basicAuth(String login, Secret password) {
            this.login = Objects.requireNonNull(login, "login");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder proxy(URI proxy) {
            this.proxy = proxy;
            return this;
        }

        public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder maxRequestsPerSecond(double perSecond) {
            this.maxRequestsPerSecond = perSecond;
            return this;
        }

        public TdtConfig build() {
            return new TdtConfig(url, clientKeystore, clientPassword, Optional.ofNullable(truststore),
                    Optional.ofNullable(truststorePassword), Optional.ofNullable(login), Optional.ofNullable(password),
                    timeout, Optional.ofNullable(proxy), maxAttempts, initialBackoff, maxBackoff, maxRequestsPerSecond);
        }
    }
}
