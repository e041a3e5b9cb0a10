package fr.actesconnector.app.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;

/**
 * Settings of the web page: {@code web.bind} (default 127.0.0.1: only this machine), {@code web.port}
 * (8080), {@code web.session-minutes} (idle timeout, 30), {@code web.secure-cookies} (true when a TLS
 * reverse proxy serves the page), {@code web.refresh-seconds} (30), {@code web.tls.keystore} and
 * {@code web.tls.password} (the page served in HTTPS itself); the upload limit is
 * {@code limits.max-archive-bytes}. Immutable.
 */
public record WebConfig(InetAddress bind, int port, Duration sessionIdle, boolean secureCookies,
                        Duration refresh, long maxUploadBytes, boolean signingAvailable, Optional<Tls> tls) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_SESSION_MINUTES = 30;
    public static final int DEFAULT_REFRESH_SECONDS = 30;

    /** The PKCS#12 store holding the page's HTTPS key and certificate chain, and its password. */
    public record Tls(Path keystore, Secret password) {
        public Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(password, "password");
        }
    }

    public WebConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (maxUploadBytes <= 0) throw new IllegalArgumentException("maxUploadBytes must be positive");
    }

    /** Plain HTTP. */
    public WebConfig(InetAddress bind, int port, Duration sessionIdle, boolean secureCookies, Duration refresh,
                     long maxUploadBytes, boolean signingAvailable) {
        this(bind, port, sessionIdle, secureCookies, refresh, maxUploadBytes, signingAvailable, Optional.empty());
    }

    /** The same settings served in HTTPS with {@code tls}. */
    public WebConfig withTls(Tls tls) {
        return new WebConfig(bind, port, sessionIdle, secureCookies, refresh, maxUploadBytes, signingAvailable,
                Optional.of(tls));
    }

    /** Whether the page is served beyond this machine ({@code web.bind} not a loopback address). */
    public boolean reachableFromNetwork() {
        return !bind.isLoopbackAddress();
    }

    /** Reads the {@code web.*} keys; {@code port} overrides {@code web.port} when present (0 = any free port). */
    public static WebConfig from(ConnectorConfig config, Optional<Integer> port) {
        List<String> problems = new ArrayList<>();
        String bindText = config.get("web.bind").orElse(DEFAULT_BIND);
        InetAddress bind = null;
        try {
            // Literal addresses only: a host name would need a DNS lookup at start.
            if (!bindText.matches("[0-9.]+|[0-9A-Fa-f:]+")) throw new UnknownHostException(bindText);
            bind = InetAddress.getByName(bindText);
        } catch (UnknownHostException e) {
            problems.add("web.bind « " + bindText + " » doit être une adresse IP (ex. 127.0.0.1, ou 0.0.0.0 pour toutes les "
                    + "interfaces derrière un proxy TLS).");
        }
        int p = port.orElseGet(() -> (int) number(config, "web.port", DEFAULT_PORT, 0, 65535, problems));
        long minutes = number(config, "web.session-minutes", DEFAULT_SESSION_MINUTES, 1, 24 * 60, problems);
        long refresh = number(config, "web.refresh-seconds", DEFAULT_REFRESH_SECONDS, 1, 3600, problems);
        String secure = config.get("web.secure-cookies").orElse("false");
        if (!secure.equals("true") && !secure.equals("false")) {
            problems.add("web.secure-cookies doit valoir true ou false.");
        }
        Optional<Tls> tls = tls(config, problems);
        if (!problems.isEmpty()) throw new ConfigException(problems, "invalid web settings");
        return new WebConfig(bind, p, Duration.ofMinutes(minutes), secure.equals("true"), Duration.ofSeconds(refresh),
                config.validationSettings().maxArchiveBytes(),
                config.collectivites().stream().anyMatch(c -> c.get("signature.keystore").isPresent()), tls);
    }

    private static Optional<Tls> tls(ConnectorConfig config, List<String> problems) {
        Optional<Path> keystore = config.path("web.tls.keystore");
        Optional<Secret> password = config.secret("web.tls.password");
        if (keystore.isEmpty()) {
            if (password.isPresent()) {
                problems.add("web.tls.password est indiqué sans web.tls.keystore : indiquez aussi le fichier PKCS#12 (.p12) "
                        + "du certificat HTTPS de la page.");
            }
            return Optional.empty();
        }
        if (!Files.isRegularFile(keystore.get())) {
            problems.add("web.tls.keystore : fichier introuvable (" + keystore.get() + ") ; indiquez le fichier PKCS#12 (.p12) "
                    + "du certificat HTTPS de la page.");
        }
        if (password.isEmpty()) {
            problems.add("web.tls.password est obligatoire avec web.tls.keystore : le mot de passe du fichier PKCS#12.");
        }
        return problems.isEmpty() ? Optional.of(new Tls(keystore.get(), password.get())) : Optional.empty();
    }

    private static long number(ConnectorConfig config, String key, long def, long min, long max, List<String> problems) {
        Optional<String> v = config.get(key);
        if (v.isEmpty()) return def;
        try {
            long n = Long.parseLong(v.get());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add("La valeur « " + v.get() + " » de " + key + " doit être un nombre entier entre " + min + " et " + max + ".");
        return def;
    }
}
