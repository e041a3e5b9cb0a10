package fr.actesconnector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.ValidationSettings;
import fr.actesconnector.model.Violation;

/**
 * One collectivité of the configuration: its identity ({@code IDCL}), referent, return addresses,
 * classification, signing certificate and TdT account. Its values are the main configuration's,
 * overridden by its own file (if any), overridden by {@code ACTES_<SIREN>_*} variables; relative
 * paths resolve against {@link #baseDir()}. Immutable; made by {@link ConnectorConfig#load}.
 */
public final class CollectiviteConfig extends ConfigValues {
    /** Keys a collectivité's own file may set; the others are shared and belong to the main file. */
    static final Set<String> OWN_KEYS = Set.of("retour.emails", "classification.file", "classification.max-age-days",
            "tdt.client.keystore", "tdt.client.password", "tdt.login", "tdt.password", "tdt.confirm.login",
            "tdt.confirm.password");
    private static final List<String> OWN_PREFIXES = List.of("collectivite.", "referent.", "signature.");
    /** Keys holding a path: inherited from the main file, they keep resolving against the main file's folder. */
    static final Set<String> PATH_KEYS = Set.of("classification.file", "signature.keystore", "signature.trust",
            "tdt.client.keystore", "tdt.truststore");

    private final Optional<Path> file;
    private final Collectivite collectivite;
    private final ConnectorConfig.Referent referent;
    private final List<String> retourEmails;
    private final Path classificationFile;
    private final ValidationSettings validationSettings;

    /**
     * @param file           its own file, empty when the main file describes the only collectivité
     * @param maxArchiveBytes the shared {@code limits.max-archive-bytes}
     * @throws ConfigException every problem, in French
     */
    CollectiviteConfig(Optional<Path> file, Path baseDir, Map<String, String> values, long maxArchiveBytes) {
        super(baseDir, values);
        this.file = file;
        List<String> problems = new ArrayList<>();
        this.collectivite = new Collectivite(require("collectivite.nom", problems), require("collectivite.siren", problems),
                require("collectivite.departement", problems), require("collectivite.arrondissement", problems),
                require("collectivite.nature", problems));
        if (problems.isEmpty()) {
            ActeValidator.validateCollectivite(collectivite).stream().map(Violation::message).forEach(problems::add);
        }
        this.referent = new ConnectorConfig.Referent(get("referent.nom").orElse(""), get("referent.telephone").orElse(""),
                get("referent.email").orElse(""));
        if (!referent.email().isEmpty() && !ConnectorConfig.EMAIL.matcher(referent.email()).matches()) {
            problems.add("referent.email « " + referent.email() + " » n'est pas une adresse que le ministère accepte "
                    + "(pas de « + », extension de 2 à 6 lettres).");
        }
        List<String> emails = new ArrayList<>();
        for (String e : require("retour.emails", problems).split(",")) {
            String t = e.trim();
            if (t.isEmpty()) continue;
            if (!ConnectorConfig.EMAIL.matcher(t).matches()) {
                problems.add("retour.emails : « " + t + " » n'est pas une adresse que le ministère accepte "
                        + "(pas de « + », extension de 2 à 6 lettres).");
            }
            emails.add(t);
        }
        if (emails.isEmpty() && values.containsKey("retour.emails")) {
            problems.add("retour.emails est vide : indiquez au moins l'adresse qui recevra les retours de la préfecture.");
        }
        this.retourEmails = List.copyOf(emails);
        String classification = require("classification.file", problems);
        this.classificationFile = classification.isEmpty() ? baseDir : baseDir.resolve(classification).normalize();
        long maxAge = positiveLong("classification.max-age-days", ValidationSettings.DEFAULT_CLASSIFICATION_MAX_AGE_DAYS,
                problems);
        this.validationSettings = new ValidationSettings(maxArchiveBytes, (int) Math.min(maxAge, Integer.MAX_VALUE),
                ValidationSettings.DEFAULT_ZONE);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems, "invalid collectivité configuration: " + problems.size() + " problem(s)");
        }
    }

    /** Whether a collectivité's own file may set {@code key}. */
    static boolean ownKey(String key) {
        return OWN_KEYS.contains(key) || OWN_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** Its own file; empty when the main configuration file is the collectivité's (one collectivité). */
    public Optional<Path> file() {
        return file;
    }

    public Collectivite collectivite() {
        return collectivite;
    }

    public String siren() {
        return collectivite.siren();
    }

    /** « Commune de Houdan (SIREN 217803105) », for messages. */
    public String label() {
        return collectivite.nom() + " (SIREN " + collectivite.siren() + ")";
    }

    public ConnectorConfig.Referent referent() {
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

    @Override
    String missing(String key) {
        return file.isPresent() ? "La clé « " + key + " » manque."
                : "La clé « " + key + " » manque dans la configuration (ou la variable " + ConnectorConfig.envName(key) + ").";
    }

    @Override
    public String toString() {
        return "CollectiviteConfig[" + collectivite.siren() + file.map(f -> ", " + f.getFileName()).orElse("") + "]";
    }
}
