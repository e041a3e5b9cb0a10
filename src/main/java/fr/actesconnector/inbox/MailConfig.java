package fr.actesconnector.inbox;

import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * E-mail settings: the IMAP box the ministry's returns arrive in, the SMTP server notifications leave
 * through, and who is notified. Immutable; every problem reported at once in a {@link ConfigException}.
 * TLS is on by default for both; a connection without TLS must be asked for ({@code …tls=false}).
 */
public record MailConfig(Optional<Imap> imap, Optional<Smtp> smtp, List<String> notifyTo) {
    public static final String DEFAULT_FOLDER = "INBOX";
    public static final String DEFAULT_PROCESSED_FOLDER = "ACTES-traites";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** How the connection to the mail server is protected. */
    public enum Security {
        /** TLS from the first byte (IMAPS 993, SMTPS 465). */
        TLS,
        /** Plain connection upgraded with STARTTLS, which is required (IMAP 143, submission 587). */
        STARTTLS,
        /** No encryption: only for a server on the same machine or a test. */
        NONE
    }

    public record Imap(String host, int port, String user, Secret password, String folder, Security security,
                       String processedFolder, Duration timeout) {
        public Imap {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(processedFolder, "processedFolder");
            Objects.requireNonNull(timeout, "timeout");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port: " + port);
        }
    }

    public record Smtp(String host, int port, Optional<String> user, Secret password, String from, Security security,
                       Duration timeout) {
        public Smtp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(timeout, "timeout");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port: " + port);
        }
    }

    public MailConfig {
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(smtp, "smtp");
        notifyTo = List.copyOf(notifyTo);
    }

    /**
     * Reads {@code mail.imap.host|port|user|password|folder|tls|processed-folder},
     * {@code mail.smtp.host|port|user|password|from|tls} and {@code notify.to} (comma-separated).
     * IMAP is configured when {@code mail.imap.host} is set, SMTP when {@code mail.smtp.host} is.
     * {@code tls}: {@code true} (TLS from the start), {@code starttls} or {@code false}.
     */
    public static MailConfig fromProperties(Map<String, String> properties) {
        Objects.requireNonNull(properties, "properties");
        List<String> problems = new ArrayList<>();
        Optional<Imap> imap = Optional.empty();
        String imapHost = value(properties, "mail.imap.host");
        if (!imapHost.isEmpty()) {
            Security security = security(properties, "mail.imap.tls", Security.TLS, problems);
            int port = port(properties, "mail.imap.port", security == Security.TLS ? 993 : 143, problems);
            String user = value(properties, "mail.imap.user");
            if (user.isEmpty()) {
                problems.add("mail.imap.user est obligatoire avec mail.imap.host : indiquez le compte de la boîte"
                        + " qui reçoit les retours de la préfecture.");
            }
            String folder = orDefault(properties, "mail.imap.folder", DEFAULT_FOLDER);
            String processed = orDefault(properties, "mail.imap.processed-folder", DEFAULT_PROCESSED_FOLDER);
            if (folder.equals(processed)) {
                problems.add("mail.imap.processed-folder doit différer de mail.imap.folder (" + folder + ").");
            }
            if (problems.isEmpty()) {
                imap = Optional.of(new Imap(imapHost, port, user, Secret.of(properties.getOrDefault("mail.imap.password", "")),
                        folder, security, processed, DEFAULT_TIMEOUT));
            }
        }
        Optional<Smtp> smtp = Optional.empty();
        String smtpHost = value(properties, "mail.smtp.host");
        List<String> notifyTo = new ArrayList<>();
        for (String address : value(properties, "notify.to").split("[,;]")) {
            if (!address.isBlank()) {
                checkAddress("notify.to", address.strip(), problems);
                notifyTo.add(address.strip());
            }
        }
        if (!smtpHost.isEmpty()) {
            int before = problems.size();
            Security security = security(properties, "mail.smtp.tls", Security.STARTTLS, problems);
            int port = port(properties, "mail.smtp.port", security == Security.TLS ? 465 : security == Security.STARTTLS ? 587 : 25,
                    problems);
            String from = value(properties, "mail.smtp.from");
            if (from.isEmpty()) {
                problems.add("mail.smtp.from est obligatoire avec mail.smtp.host : indiquez l'adresse d'expédition"
                        + " des notifications.");
            } else {
                checkAddress("mail.smtp.from", from, problems);
            }
            if (notifyTo.isEmpty()) {
                problems.add("notify.to est obligatoire avec mail.smtp.host : indiquez la ou les adresses du secrétariat"
                        + " à prévenir, séparées par des virgules.");
            }
            String user = value(properties, "mail.smtp.user");
            if (problems.size() == before) {
                smtp = Optional.of(new Smtp(smtpHost, port, user.isEmpty() ? Optional.empty() : Optional.of(user),
                        Secret.of(properties.getOrDefault("mail.smtp.password", "")), from, security, DEFAULT_TIMEOUT));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid mail configuration (" + problems.size() + " problems)");
        }
        return new MailConfig(imap, smtp, notifyTo);
    }

    private static String value(Map<String, String> properties, String key) {
        String v = properties.get(key);
        return v == null ? "" : v.strip();
    }

    private static String orDefault(Map<String, String> properties, String key, String defaultValue) {
        String v = value(properties, key);
        return v.isEmpty() ? defaultValue : v;
    }

    private static Security security(Map<String, String> properties, String key, Security defaultValue, List<String> problems) {
        String v = value(properties, key).toLowerCase(Locale.ROOT);
        switch (v) {
            case "":
                return defaultValue;
            case "true":
            case "tls":
            case "ssl":
                return Security.TLS;
            case "starttls":
                return Security.STARTTLS;
            case "false":
            case "none":
                return Security.NONE;
            default:
                problems.add(key + " doit valoir true (TLS), starttls ou false ; valeur lue : " + v);
                return defaultValue;
        }
    }

    private static int port(Map<String, String> properties, String key, int defaultValue, List<String> problems) {
        String v = value(properties, key);
        if (v.isEmpty()) return defaultValue;
        try {
            int port = Integer.parseInt(v);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " doit être un numéro de port entre 1 et 65535 ; valeur lue : " + v);
        return defaultValue;
    }

    private static void checkAddress(String key, String address, List<String> problems) {
        try {
            new InternetAddress(address, true).validate();
        } catch (AddressException e) {
            problems.add(key + " contient une adresse e-mail invalide : " + address);
        }
    }
}
