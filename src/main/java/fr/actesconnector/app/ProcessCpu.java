package fr.actesconnector.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU seconds of the bench's processes, so that P4a can say where its CPU went per acte. A child process through
 * {@link ProcessHandle}; a process tree (a PostgreSQL server and its backends, the exited ones included) through
 * {@code /proc}, on Linux only: elsewhere, or for a server on another machine, nothing is measured.
 */
final class ProcessCpu {
    /** Linux's USER_HZ, the unit of /proc/PID/stat's times, 100 on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path PROC = Path.of("/proc");

    private ProcessCpu() {
    }

    /** User and system CPU seconds of a live process, NaN when the platform does not tell. */
    static double seconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /**
     * CPU seconds of {@code pid}, of its live children and of its children that have exited and been waited for:
     * a PostgreSQL server's postmaster and backends. Empty without {@code /proc}.
     */
    static OptionalDouble tree(long pid) {
        long[] root = stat(pid);
        if (root == null) return OptionalDouble.empty();
        long ticks = root[1] + root[2] + root[3] + root[4];
        try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars()
                .allMatch(Character::isDigit))) {
            for (Path p : all) {
                long[] child = stat(Long.parseLong(p.getFileName().toString()));
                if (child != null && child[0] == pid) ticks += child[1] + child[2];
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(ticks / TICKS_PER_SECOND);
    }

    /** The PID in the first line of a PostgreSQL data directory's {@code postmaster.pid}, -1 when unreadable. */
    static long postmaster(Path dataDirectory) {
        try {
            String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0);
            return Long.parseLong(first.trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** ppid, utime, stime, cutime, cstime of /proc/PID/stat, or null. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            // The command name (2nd field) may hold spaces and parentheses: count fields after its last ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String format(double seconds) {
        return Double.isNaN(seconds) ? "?" : String.format(java.util.Locale.ROOT, "%.1f", seconds);
    }
}
