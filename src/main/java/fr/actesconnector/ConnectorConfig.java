package fr.actesconnector;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.ValidationSettings;

/**
 * The connector's configuration: a Java properties file (UTF-8), then {@code ACTES_*} environment
 * overrides ({@code ACTES_} + key uppercased, {@code .} and {@code -} → {@code _}), relative paths
 * resolved against the file's folder. The file describes one collectivité, or names with
 * {@code collectivites.dir} a folder holding one file per collectivité ({@link CollectiviteConfig}):
 * the main file then keeps what is shared (journal, TdT URL and trust, mail, web). Every problem is
 * gathered into one {@link ConfigException}.
 */
public final class ConnectorConfig extends ConfigValues {
    /** Keys an environment variable may set even when the file does not name them. */
    static final Set<String> KNOWN_KEYS = Set.of(
            "collectivite.nom", "collectivite.siren", "collectivite.departement", "collectivite.arrondissement",
            "collectivite.nature", "referent.nom", "referent.telephone", "referent.email", "retour.emails",
            "classification.file", "classification.max-age-days", "limits.max-archive-bytes", "tdt.trigramme",
            "signature.keystore", "signature.password", "signature.alias", "signature.trust",
            "tdt.url", "tdt.client.keystore", "tdt.client.password", "tdt.truststore", "tdt.truststore.password",
            "tdt.login", "tdt.password", "tdt.timeout-seconds", "tdt.proxy", "tdt.confirm-held", "tdt.confirm.login",
            "tdt.confirm.password",
            "journal.url", "journal.user", "journal.password", "data.dir", "collectivites.dir",
            "poll.interval-seconds", "poll.concurrency",
            "mail.imap.host", "mail.imap.port", "mail.imap.user", "mail.imap.password", "mail.imap.folder",
            "mail.imap.tls", "mail.imap.processed-folder", "mail.smtp.host", "mail.smtp.port", "mail.smtp.user",
            "mail.smtp.password", "mail.smtp.tls", "mail.smtp.from", "notify.to",
            "web.enabled", "web.port", "web.bind", "web.session-minutes", "web.secure-cookies", "web.refresh-seconds",
            "web.tls.keystore", "web.tls.password",
            "journal.pool-size", "journal.posting-grace-seconds", "tdt.retry.max-attempts",
            "tdt.retry.initial-delay-seconds", "tdt.retry.max-delay-seconds", "tsa.url", "tdt.max-requests-per-second",
            "poll.lease-seconds");
    /** E-mail pattern of the ministry's schema (no '+', TLD of 2 to 6 letters). */
    static final Pattern EMAIL = Pattern.compile(
            "[_a-zA-Z0-9-]+(\\.[_a-zA-Z0-9-]+)*@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*\\.[a-zA-Z]{2,6}");
    private static final Pattern TRIGRAM = Pattern.compile("[A-Za-z0-9]{3}");
    /** Identity keys a collectivité's file must set itself: inheriting them would make two collectivités one. */
    private static final Set<String> NOT_INHERITED = Set.of("collectivite.siren", "collectivite.nom");

    /** The referent named in the envelope. */
    public record Referent(String nom, String telephone, String email) {
    }

    private final List<CollectiviteConfig> collectivites;
    private final String trigramme;

    private ConnectorConfig(Path baseDir, Map<String, String> values, Map<String, String> env) {
        super(baseDir, values);
        List<String> problems = new ArrayList<>();
        long maxBytes = positiveLong("limits.max-archive-bytes", ValidationSettings.DEFAULT_MAX_ARCHIVE_BYTES, problems);
        this.trigramme = require("tdt.trigramme", problems);
        if (!trigramme.isEmpty() && !TRIGRAM.matcher(trigramme).matches()) {
            problems.add("tdt.trigramme « " + trigramme + " » doit compter 3 lettres ou chiffres (le trigramme du TdT).");
        }
        this.collectivites = get("collectivites.dir").isPresent() ? readCollectivites(maxBytes, env, problems)
                : single(maxBytes, env, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid configuration: " + problems.size() + " problem(s)");
        }
    }

    /** Today's single file: the main file is the collectivité ({@code ACTES_<SIREN>_*} still apply). */
    private List<CollectiviteConfig> single(long maxBytes, Map<String, String> env, List<String> problems) {
        Map<String, String> own = new TreeMap<>(values());
        get("collectivite.siren").ifPresent(siren -> applyCollectiviteEnv(own, siren, env));
        try {
            return List.of(new CollectiviteConfig(Optional.empty(), baseDir(), own, maxBytes));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return List.of();
        }
    }

    /** One collectivité per {@code *.properties} of {@code collectivites.dir}, in file name order. */
    private List<CollectiviteConfig> readCollectivites(long maxBytes, Map<String, String> env, List<String> problems) {
        Path dir = path("collectivites.dir").orElseThrow();
        if (!Files.isDirectory(dir)) {
            problems.add("Le dossier des collectivités « " + dir + " » (collectivites.dir) est introuvable.");
            return List.of();
        }
        List<Path> files;
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".properties") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add("Le dossier des collectivités « " + dir + " » (collectivites.dir) est illisible : " + e.getMessage());
            return List.of();
        }
        if (files.isEmpty()) {
            problems.add("Le dossier des collectivités « " + dir + " » (collectivites.dir) ne contient aucun fichier "
                    + ".properties : ajoutez-y un fichier par collectivité.");
        }
        List<CollectiviteConfig> out = new ArrayList<>();
        Map<String, Path> sirens = new TreeMap<>();
        for (Path file : files) {
            String name = "« " + baseDir().relativize(file.toAbsolutePath()) + " » : ";
            List<String> own = new ArrayList<>();
            try {
                Map<String, String> fileValues = read(file);
                for (String key : fileValues.keySet()) {
                    if (KNOWN_KEYS.contains(key) && !CollectiviteConfig.ownKey(key)) {
                        own.add("la clé « " + key + " » est commune à toutes les collectivités : mettez-la dans le fichier "
                                + "principal.");
                    }
                }
                Map<String, String> merged = inherited();
                merged.putAll(fileValues);
                for (String key : NOT_INHERITED) {
                    if (!fileValues.containsKey(key)) merged.remove(key);
                }
                String siren = fileValues.getOrDefault("collectivite.siren", "");
                if (!siren.isEmpty()) applyCollectiviteEnv(merged, siren, env);
                CollectiviteConfig c = new CollectiviteConfig(Optional.of(file.toAbsolutePath()),
                        file.toAbsolutePath().getParent(), merged, maxBytes);
                Path other = sirens.putIfAbsent(c.siren(), file);
                if (other != null) {
                    own.add("le SIREN " + c.siren() + " est déjà celui de « " + other.getFileName()
                            + " » : une collectivité n'a qu'un fichier.");
                } else if (own.isEmpty()) {
                    out.add(c);
                }
            } catch (ConfigException e) {
                own.addAll(e.problems());
            }
            own.forEach(p -> problems.add(name + p));
        }
        return List.copyOf(out);
    }

    /** The main values a collectivité inherits, paths made absolute so that they keep pointing where the main file meant. */
    private Map<String, String> inherited() {
        Map<String, String> m = new TreeMap<>(values());
        for (String key : CollectiviteConfig.PATH_KEYS) {
            path(key).ifPresent(v -> m.put(key, v.toString()));
        }
        m.remove("collectivites.dir");
        return m;
    }

    /** {@code ACTES_<SIREN>_<KEY>} for each key a collectivité may set, except its SIREN. */
    private static void applyCollectiviteEnv(Map<String, String> values, String siren, Map<String, String> env) {
        Set<String> keys = new LinkedHashSet<>(KNOWN_KEYS);
        keys.addAll(values.keySet());
        for (String key : keys) {
            if (!CollectiviteConfig.ownKey(key) || key.equals("collectivite.siren")) continue;
            String v = env.get(envName(siren, key));
            if (v != null) values.put(key, v.trim());
        }
    }

    /**
     * Reads {@code file} then applies the {@code ACTES_*} overrides of {@code env}, and the collectivités'
     * files when {@code collectivites.dir} is set.
     *
     * @throws ConfigException listing every problem, in French
     */
    public static ConnectorConfig load(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Le fichier de configuration « " + file + " » est introuvable : indiquez-le avec --config.",
                    "config file not found: " + file);
        }
        Map<String, String> values = read(file);
        Set<String> keys = new LinkedHashSet<>(KNOWN_KEYS);
        keys.addAll(values.keySet());
        for (String key : keys) {
            String v = env.get(envName(key));
            if (v != null) values.put(key, v.trim());
        }
        Path base = file.toAbsolutePath().getParent();
        return new ConnectorConfig(base, values, env);
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
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
        return values;
    }

    /** Name of the environment variable overriding {@code key}: {@code tdt.client.password} → {@code ACTES_TDT_CLIENT_PASSWORD}. */
    public static String envName(String key) {
        return "ACTES_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Name of the variable overriding {@code key} for one collectivité: {@code ACTES_217803105_TDT_PASSWORD}. */
    public static String envName(String siren, String key) {
        return "ACTES_" + siren + "_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Every collectivité, in the order of their files (one when the main file describes it). */
    public List<CollectiviteConfig> collectivites() {
        return collectivites;
    }

    /** The collectivité whose SIREN is {@code siren}, if configured. */
    public Optional<CollectiviteConfig> find(String siren) {
        return collectivites.stream().filter(c -> c.siren().equals(siren)).findFirst();
    }

    /**
     * The collectivité of {@code siren}.
     *
     * @throws ConfigException naming the configured ones when it is not among them
     */
    public CollectiviteConfig of(String siren) {
        return find(siren).orElseThrow(() -> new ConfigException("La collectivité de SIREN " + siren + " n'est pas dans la "
                + "configuration (" + labels() + ").", "collectivité " + siren + " not configured"));
    }

    /**
     * The collectivité a command acts for: {@code requested} (its SIREN), else the only one configured.
     *
     * @throws ConfigException in French when several are configured and none is requested, or when it is unknown
     */
    public CollectiviteConfig select(Optional<String> requested) {
        if (requested.isPresent()) return of(requested.get().trim());
        if (collectivites.size() == 1) return collectivites.get(0);
        throw new ConfigException("Cette configuration compte " + collectivites.size() + " collectivités (" + labels()
                + ") : indiquez laquelle avec --collectivite SIREN.", "several collectivités, none chosen");
    }

    private String labels() {
        return String.join(", ", collectivites.stream().map(CollectiviteConfig::label).toList());
    }

    /** The first collectivité (the only one of a single-file configuration): for callers that serve one. */
    public CollectiviteConfig first() {
        return collectivites.get(0);
    }

    /**
     * The first collectivité's identity, for the callers that serve one (the web page); with several, callers
     * choose with {@link #select} or {@link #of}. Its other settings are the {@link CollectiviteConfig}'s.
     */
    public Collectivite collectivite() {
        return first().collectivite();
    }

    /** Limits and zone: {@code limits.max-archive-bytes} is shared, the classification's age the first collectivité's. */
    public ValidationSettings validationSettings() {
        return first().validationSettings();
    }

    public String trigramme() {
        return trigramme;
    }

    /** Folder where the journal, archives and received files live ({@code data.dir}, default {@code ./data} beside the config). */
    public Path dataDir() {
        return path("data.dir").orElse(baseDir().resolve("data"));
    }

    @Override
    String missing(String key) {
        return "La clé « " + key + " » manque dans la configuration (ou la variable " + envName(key) + ").";
    }

    @Override
    public String toString() {
        return "ConnectorConfig" + Arrays.toString(new String[]{baseDir().toString(),
                String.join(",", collectivites.stream().map(CollectiviteConfig::siren).toList())});
    }
}
