package fr.actesconnector.journal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of the transmitted archive: its role, the ministry's file name inside the archive, where the
 * connector keeps it, its size and SHA-256 (lowercase hex).
 */
public record ArchivedFile(Role role, String ministryName, Path path, long size, String sha256) {
    static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    public enum Role { ENVELOPE, MESSAGE, DOCUMENT, ANNEXE, SIGNATURE }

    public ArchivedFile {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(ministryName, "ministryName");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) throw new IllegalArgumentException("negative size: " + size);
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a lowercase SHA-256: " + sha256);
    }
}
