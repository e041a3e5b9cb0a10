package fr.actesconnector.model;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Limits applied by {@link ActeValidator}: {@code limits.max-archive-bytes} (default 150 MiB, S²LOW's
 * default), {@code classification.max-age-days} (default 30) and the zone in which "today" is judged.
 */
public record ValidationSettings(long maxArchiveBytes, int classificationMaxAgeDays, ZoneId zone) {
    public static final long DEFAULT_MAX_ARCHIVE_BYTES = 150L * 1024 * 1024;
    public static final int DEFAULT_CLASSIFICATION_MAX_AGE_DAYS = 30;
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Paris");
    public static final ValidationSettings DEFAULTS =
            new ValidationSettings(DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_CLASSIFICATION_MAX_AGE_DAYS, DEFAULT_ZONE);

    public ValidationSettings {
        Objects.requireNonNull(zone, "zone");
        if (maxArchiveBytes <= 0) throw new IllegalArgumentException("maxArchiveBytes must be positive");
        if (classificationMaxAgeDays <= 0) throw new IllegalArgumentException("classificationMaxAgeDays must be positive");
    }
}
