package fr.actesconnector.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import fr.actesconnector.protocol.LimitedInputStream;

/**
 * Opens a zip that may be hostile. Every name and declared size is checked on the central directory
 * first (count, names with {@code ..}, absolute paths, backslashes, drive letters, control characters,
 * duplicates, declared sizes, compression ratio), before a single byte is extracted; then each entry is
 * copied into a fresh temporary folder through caps that hold even when the declared sizes lie.
 * Nothing is ever written outside that folder.
 */
public final class SafeZip {
    /** Caps of one opening; the defaults fit a year of actes of 150 MiB each, one zip per acte. */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, long maxRatio) {
        public static final Limits DEFAULT = new Limits(2_000, 256L * 1024 * 1024, 1024L * 1024 * 1024, 200);

        public Limits {
            if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxRatio < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /**
     * The extracted entries, by name in zip order, in {@code folder}, and those whose bytes could not be read
     * (corrupt compressed data), with why; {@link #close()} deletes the folder.
     */
    public record Extracted(Path folder, Map<String, Path> files, Map<String, String> damaged) implements AutoCloseable {
        public Extracted {
            Objects.requireNonNull(folder, "folder");
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
            damaged = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(damaged));
        }

        @Override
        public void close() {
            quietlyDeleteTree(folder);
        }
    }

    /** A name of one or more segments of ordinary characters separated by '/': no '..', no '\', no leading '/'. */
    private static final Pattern SEGMENT = Pattern.compile("[^\\\\/:\\p{Cntrl}]+");
    /** Below this size, a high compression ratio is not a threat (a small XML compresses well). */
    private static final long RATIO_FLOOR = 1024 * 1024;

    private final Limits limits;

    public SafeZip(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Checks the whole central directory of {@code zip}, then extracts it under a new folder of {@code tempParent}.
     *
     * @throws NotABundleException (INVALID_INPUT) with the French reason, before anything is extracted when it can be known
     */
    public Extracted extract(Path zip, Path tempParent) {
        Objects.requireNonNull(zip, "zip");
        Objects.requireNonNull(tempParent, "tempParent");
        String shown = String.valueOf(zip.getFileName());
        if (!Files.isRegularFile(zip)) {
            throw new NotABundleException("Le fichier « " + zip + " » est introuvable ou n'est pas un fichier.",
                    "not a regular file: " + zip);
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Map<String, ZipEntry> entries = check(file, shown);
            Path folder = Files.createTempDirectory(tempParent, "dossier-");
            Map<String, Path> out = new LinkedHashMap<>();
            Map<String, String> damaged = new LinkedHashMap<>();
            try {
                long total = 0;
                int index = 0;
                for (Map.Entry<String, ZipEntry> e : entries.entrySet()) {
                    if (e.getValue().isDirectory()) continue;
                    // never the entry's own name on disk: a numbered file in the temporary folder
                    Path target = folder.resolve(String.format(Locale.ROOT, "%05d.bin", index++));
                    try {
                        total += copy(file, e.getValue(), target, limits.maxTotalBytes() - total, shown);
                        out.put(e.getKey(), target);
                    } catch (ZipException | java.io.EOFException damage) {
                        // the directory is sound but these bytes are not: the verifier names the entry
                        Files.deleteIfExists(target);
                        damaged.put(e.getKey(), String.valueOf(damage.getMessage()));
                    }
                }
                return new Extracted(folder, out, damaged);
            } catch (RuntimeException | IOException ex) {
                quietlyDeleteTree(folder);
                throw ex;
            }
        } catch (ZipException e) {
            throw new NotABundleException("« " + shown + " » n'est pas une archive zip lisible (" + e.getMessage()
                    + ") : ce n'est pas un dossier de preuve.", "not a zip: " + zip + ": " + e, e);
        } catch (IOException e) {
            throw new NotABundleException("« " + shown + " » ne peut pas être lu (" + e.getClass().getSimpleName()
                    + ") : vérifiez le fichier et ses droits d'accès.", "cannot read zip " + zip + ": " + e, e);
        }
    }

    /** The central directory's entries by name, once every name, count and declared size is checked. */
    private Map<String, ZipEntry> check(ZipFile file, String shown) {
        Map<String, ZipEntry> entries = new LinkedHashMap<>();
        Set<String> folded = new HashSet<>();
        long declaredTotal = 0;
        int count = 0;
        for (Enumeration<? extends ZipEntry> en = file.entries(); en.hasMoreElements(); ) {
            ZipEntry entry = en.nextElement();
            if (++count > limits.maxEntries()) {
                throw refused(shown, "il contient plus de " + limits.maxEntries() + " fichiers", "too many entries");
            }
            String name = entry.getName();
            String problem = nameProblem(name);
            if (problem != null) {
                throw refused(shown, "le nom « " + printable(name) + " » " + problem, "unsafe entry name: " + printable(name));
            }
            // case-folded too: on Windows or macOS two such names are the same file
            if (entries.containsKey(name) || !folded.add(name.toLowerCase(Locale.ROOT))) {
                throw refused(shown, "le nom « " + name + " » y figure deux fois", "duplicate entry: " + name);
            }
            long size = entry.getSize();
            long compressed = entry.getCompressedSize();
            if (size > limits.maxEntryBytes()) {
                throw refused(shown, "le fichier « " + name + " » y occuperait " + megabytes(size) + " une fois décompressé "
                        + "(au plus " + megabytes(limits.maxEntryBytes()) + ")", "entry " + name + " declares " + size + " bytes");
            }
            if (size > RATIO_FLOOR && compressed > 0 && size / compressed > limits.maxRatio()) {
                throw refused(shown, "le fichier « " + name + " » est compressé " + size / compressed + " fois (bombe zip)",
                        "entry " + name + " ratio " + size / compressed);
            }
            if (size > 0) declaredTotal += size;
            if (declaredTotal > limits.maxTotalBytes()) {
                throw refused(shown, "son contenu décompressé dépasserait " + megabytes(limits.maxTotalBytes()),
                        "declared total over " + limits.maxTotalBytes());
            }
            entries.put(name, entry);
        }
        return entries;
    }

    /** Why {@code name} cannot be a bundle entry, in French, or null when it is fine. */
    static String nameProblem(String name) {
        if (name.isEmpty()) return "est vide";
        if (name.length() > 255) return "est trop long";
        if (name.indexOf('\\') >= 0) return "contient une barre oblique inverse (\\)";
        if (name.startsWith("/")) return "est un chemin absolu";
        if (name.length() >= 2 && name.charAt(1) == ':') return "désigne un lecteur (chemin absolu Windows)";
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) return "remonte hors du dossier (..)";
            if (segment.isEmpty() || segment.equals(".")) return "contient un segment vide ou « . »";
            if (!SEGMENT.matcher(segment).matches()) return "contient un caractère interdit";
        }
        return null;
    }

    /** Copies one entry, stopping as soon as it goes past its cap or the bytes left; returns its size. */
    private long copy(ZipFile file, ZipEntry entry, Path target, long left, String shown) throws IOException {
        long cap = Math.min(limits.maxEntryBytes(), left);
        if (cap <= 0) {
            throw refused(shown, "son contenu décompressé dépasse " + megabytes(limits.maxTotalBytes()), "total over cap");
        }
        long compressed = Math.max(1, entry.getCompressedSize());
        try (InputStream in = new LimitedInputStream(file.getInputStream(entry), cap);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[64 * 1024];
            long written = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                written += n;
                if (written > RATIO_FLOOR && written / compressed > limits.maxRatio()) {
                    throw refused(shown, "le fichier « " + entry.getName() + " » se décompresse bien au-delà de sa taille "
                            + "déclarée (bombe zip)", "entry " + entry.getName() + " inflates past ratio");
                }
            }
            if (entry.getSize() >= 0 && written != entry.getSize()) {
                throw refused(shown, "le fichier « " + entry.getName() + " » n'a pas la taille que l'archive annonce",
                        "entry " + entry.getName() + " size " + written + " != declared " + entry.getSize());
            }
            return written;
        } catch (LimitedInputStream.TooLargeException e) {
            throw refused(shown, "le fichier « " + entry.getName() + " » dépasse " + megabytes(cap) + " une fois décompressé",
                    "entry " + entry.getName() + " over " + cap + " bytes");
        }
    }

    private static NotABundleException refused(String zip, String why, String log) {
        return new NotABundleException("Le fichier « " + zip + " » est refusé sans être ouvert : " + why + ". "
                + "Ce n'est pas un dossier de preuve produit par le connecteur, ou il a été fabriqué pour nuire.",
                "zip " + zip + " refused: " + log);
    }

    private static String megabytes(long bytes) {
        if (bytes >= 1024L * 1024 * 1024) return String.format(Locale.FRANCE, "%.1f Gio", bytes / (1024.0 * 1024 * 1024));
        return String.format(Locale.FRANCE, "%.1f Mio", bytes / (1024.0 * 1024));
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(120).forEach(c -> b.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return b.toString();
    }

    static void quietlyDeleteTree(Path folder) {
        if (folder == null || !Files.exists(folder)) return;
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless; the verdict is what matters
                }
            });
        } catch (IOException ignored) {
            // same: temporary folder only
        }
    }
}
