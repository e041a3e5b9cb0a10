package fr.actesconnector;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.Secret;
import fr.actesconnector.model.ValidationSettings;
import fr.actesconnector.model.Violation;

/**
 * The connector's configuration: a Java properties file (UTF-8), then {@code ACTES_*} environment
 * overrides ({@code ACTES_} + key uppercased, {@code .} and {@code -} → {@code _}), relative paths
 * resolved against the file's folder. Every problem is gathered into one {@link ConfigException}.
 */
public final class ConnectorConfig {
    /** Keys an environment variable may set even when the file does not name them. */
    static final Set<String> KNOWN_KEYS = Set.of(
            "collectivite.nom", "collectivite.siren", "collectivite.departement", "collectivite.arrondissement",
            "collectivite.nature", "referent.nom", "referent.telephone", "referent.email", "retour.emails",
            "classification.file", "classification.max-age-days", "limits.max-archive-bytes", "tdt.trigramme",
            "signature.keystore", "signature.password", "signature.alias", "signature.trust",
            "tdt.url", "tdt.client.keystore", "tdt.client.password", "tdt.truststore", "tdt.truststore.password",
            "tdt.login", "tdt.password", "tdt.timeout-seconds", "tdt.proxy", "tdt.confirm-held", "tdt.confirm.login",
            "tdt.confirm.password",
            "journal.url", "journal.user", "journal.password", "data.dir",
            "poll.interval-seconds", "poll.concurrency",
            "mail.imap.host", "mail.imap.port", "mail.imap.user", "mail.imap.password", "mail.imap.folder",
            "mail.imap.tls", "mail.imap.processed-folder", "mail.smtp.host", "mail.smtp.port", "mail.smtp.user",
            "mail.smtp.password", "mail.smtp.tls", "mail.smtp.from", "notify.to",
            "web.enabled", "web.port", "web.bind", "web.session-minutes", "web.secure-cookies", "web.refresh-seconds",
            "journal.pool-size", "journal.posting-grace-seconds", "tdt.retry.max-attempts",
            "tdt.retry.initial-delay-seconds", "tdt.retry.max-delay-seconds", "tsa.url", "tdt.max-requests-per-second",
            "poll.lease-seconds");
    /** E-mail pattern of the ministry's schema (no '+', TLD of 2 to 6 letters). */
    static final Pattern EMAIL = Pattern.compile(
            "[_a-zA-Z0-9-]+(\\.[_a-zA-Z0-9-]+)*@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*\\.[a-zA-Z]{2,6}");
    private static final Pattern TRIGRAM = Pattern.compile("[A-Za-z0-9]{3}");

    /** The referent named in the envelope. */
    public record Referent(String nom, String telephone, String email) {
    }

    private final Path baseDir;
    private final Map<String, String> values;
    private final Collectivite collectivite;
    private final Referent referent;
    private final List<String> retourEmails;
    private final Path classificationFile;
    private final ValidationSettings validationSettings;
    private final String trigramme;

    private ConnectorConfig(Path baseDir, Map<String, String> values) {
        this.baseDir = baseDir;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        List<String> problems = new ArrayList<>();
        this.collectivite = new Collectivite(req("collectivite.nom", problems), req("collectivite.siren", problems),
                req("collectivite.departement", problems), req("collectivite.arrondissement", problems),
                req("collectivite.nature", problems));
        if (problems.isEmpty()) {
            ActeValidator.validateCollectivite(collectivite).stream().map(Violation::message).forEach(problems::add);
        }
        this.referent = new Referent(get("referent.nom").orElse(""), get("referent.telephone").orElse(""),
                get("referent.email").orElse(""));
        if (!referent.email().isEmpty() && !EMAIL.matcher(referent.email()).matches()) {
            problems.add("referent.email « " + referent.email() + " » n'est pas une adresse que le ministère accepte "
                    + "(pas de « + », extension de 2 à 6 lettres).");
        }
        List<String> emails = new ArrayList<>();
        for (String e : req("retour.emails", problems).split(",")) {
            String t = e.trim();
            if (t.isEmpty()) continue;
            if (!EMAIL.matcher(t).matches()) {
                problems.add("retour.emails : « " + t + " » n'est pas une adresse que le ministère accepte "
                        + "(pas de « + », extension de 2 à 6 lettres).");
            }
            emails.add(t);
        }
        if (emails.isEmpty() && values.containsKey("retour.emails")) {
            problems.add("retour.emails est vide : indiquez au moins l'adresse qui recevra les retours de la préfecture.");
        }
        this.retourEmails = List.copyOf(emails);
        String classification = req("classification.file", problems);
        this.classificationFile = classification.isEmpty() ? baseDir : baseDir.resolve(classification).normalize();
        long maxBytes = positiveLong("limits.max-archive-bytes", ValidationSettings.DEFAULT_MAX_ARCHIVE_BYTES, problems);
        long maxAge = positiveLong("classification.max-age-days", ValidationSettings.DEFAULT_CLASSIFICATION_MAX_AGE_DAYS, problems);
        this.validationSettings = new ValidationSettings(maxBytes, (int) Math.min(maxAge, Integer.MAX_VALUE),
                ValidationSettings.DEFAULT_ZONE);
        this.trigramme = req("tdt.trigramme", problems);
        if (!trigramme.isEmpty() && !TRIGRAM.matcher(trigramme).matches()) {
            problems.add("tdt.trigramme « " + trigramme + " » doit compter 3 lettres ou chiffres (le trigramme du TdT).");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid configuration: " + problems.size() + " problem(s)");
        }
    }

    /**
     * Reads {@code file} then applies the {@code ACTES_*} overrides of {@code env}.
     *
     * @throws ConfigException listing every problem, in French
     */
    public static ConnectorConfig load(Path file, Map<String, String> env) {
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Le fichier de configuration « " + file + " » est introuvable : indiquez-le avec --config.",
                    "config file not found: " + file);
        }
        try (Reader r = new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder())) {
            p.load(r);
        } catch (CharacterCodingException e) {
            throw new ConfigException("Le fichier de configuration « " + file + " » n'est pas encodé en UTF-8 : "
                    + "enregistrez-le en UTF-8.", "config file not UTF-8: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Le fichier de configuration « " + file + " » est illisible : " + e.getMessage(),
                    "cannot read config file " + file + ": " + e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        Set<String> keys = new LinkedHashSet<>(KNOWN_KEYS);
        keys.addAll(values.keySet());
        for (String key : keys) {
            String v = env.get(envName(key));
            if (v != null) values.put(key, v.trim());
        }
        Path base = file.toAbsolutePath().getParent();
        return new ConnectorConfig(base, values);
    }

    /** Name of the environment variable overriding {@code key}: {@code tdt.client.password} → {@code ACTES_TDT_CLIENT_PASSWORD}. */
    public static String envName(String key) {
        return "ACTES_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Path baseDir() {
        return baseDir;
    }

    /** Every key after overrides, for the packages' own config factories. Contains secrets: never log it. */
    public Map<String, String> values() {
        return values;
    }

    public Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public Optional<Secret> secret(String key) {
        return get(key).map(Secret::of);
    }

    /** A path value resolved against the config file's folder. */
    public Optional<Path> path(String key) {
        return get(key).map(v -> baseDir.resolve(v).normalize());
    }

    public Collectivite collectivite() {
        return collectivite;
    }

    public Referent referent() {
        return referent;
    }

    public List<String> retourEmails() {
        return retourEmails;
    }

    public Path classificationFile() {
        return classificationFile;
    }

    public ValidationSettings validationSettings() {
        return validationSettings;
    }

    public String trigramme() {
        return trigramme;
    }

    /** Folder where the journal, archives and received files live ({@code data.dir}, default {@code ./data} beside the config). */
    public Path dataDir() {
        return path("data.dir").orElse(baseDir.resolve("data"));
    }

    private String req(String key, List<String> problems) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            problems.add("La clé « " + key + " » manque dans la configuration (ou la variable " + envName(key) + ").");
            return "";
        }
        return v.get();
    }

    private long positiveLong(String key, long def, List<String> problems) {
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

    @Override
    public String toString() {
        return "ConnectorConfig" + Arrays.toString(new String[]{baseDir.toString(), collectivite.siren()});
    }
}
