package fr.actesconnector.protocol;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.util.Objects;

/**
 * Entry names of a received {@code .tar.gz} as the archive is flat. {@code tar czf x.tar.gz -C dir .}
 * names its entries {@code ./name} and adds {@code ./} itself: that archive is flat too. Every reader of
 * archives goes through here, so that they all agree; only a real sub-folder is refused, by the reader.
 */
public final class TarNames {
    private TarNames() {
    }

    /** The folder the archive was made in ({@code ./} or {@code .}): nothing to read, nothing to refuse. */
    public static boolean isTopFolder(TarArchiveEntry entry) {
        Objects.requireNonNull(entry, "entry");
        String name = relative(entry.getName());
        return entry.isDirectory() && (name.isEmpty() || name.equals("."));
    }

    /** {@code name} without the leading {@code ./} that tar writes (any number of them). */
    public static String relative(String name) {
        Objects.requireNonNull(name, "name");
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }
}
