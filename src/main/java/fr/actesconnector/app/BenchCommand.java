package fr.actesconnector.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import fr.actesconnector.ActesConnector;
import fr.actesconnector.ConnectorConfig;
import fr.actesconnector.Poller;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.NewActe;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.signing.DemoCertificate;
import fr.actesconnector.signing.SigningConfig;
import fr.actesconnector.simulator.SimulatorPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench}: the speed and memory goals, measured in one run and printed as a table.
 * P1 prepare + sign + archive of a 150 MiB acte beside OpenSSL + tar doing the same work;
 * P2 10 000 pending transactions polled against the simulator with 20 ms latency, 8 at a time;
 * P3 the demo's wall time; P4 a syndicate on PostgreSQL ({@link BenchP4}, with {@code --journal-url}). Run it as
 * {@code java -Xmx64m -jar target/actes.jar bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Mesure les objectifs de vitesse et de mémoire (P1 préparation 150 Mio, P2 10 000 suivis, P3 démo,"
                + " P4 un syndicat sur PostgreSQL).")
public final class BenchCommand implements Callable<Integer> {
    private static final long MIB = 1024L * 1024;

    @Option(names = "--quick", description = "Petites tailles (15 Mio, 1 000 transactions) pour un essai rapide.")
    boolean quick;

    @Option(names = "--latency-ms", paramLabel = "MS", description = "Latence du simulateur pour P2 (défaut : 20).")
    int latencyMs = 20;

    @Option(names = "--only", paramLabel = "P", description = "Ne mesure que P1, P2, P3 ou P4.")
    String only;

    @Option(names = "--dir", paramLabel = "DOSSIER", description = "Dossier de travail (défaut : un dossier temporaire, supprimé).")
    Path dir;

    @Option(names = "--journal-url", paramLabel = "URL", description = "PostgreSQL de P4 (jdbc:postgresql://…) ; chaque partie"
            + " y crée son schéma et le supprime ensuite. Mot de passe : variable ACTES_JOURNAL_PASSWORD.")
    String journalUrl;

    @Option(names = "--journal-user", paramLabel = "COMPTE", defaultValue = "postgres",
            description = "Compte PostgreSQL de P4 (défaut : ${DEFAULT-VALUE}).")
    String journalUser;

    @Option(names = "--p4-collectivites", paramLabel = "N", description = "P4a : nombre de collectivités (défaut : 50 ;"
            + " 10 avec --quick).")
    Integer p4Collectivites;

    @Option(names = "--p4-actes", paramLabel = "N", description = "P4a : actes par collectivité (défaut : 200 ; 20 avec --quick).")
    Integer p4Actes;

    @Option(names = "--p4-journal", paramLabel = "N", description = "P4b : actes dans le journal (défaut : 500 000 ;"
            + " 50 000 avec --quick).")
    Integer p4JournalActes;

    @Spec
    CommandSpec spec;

    record Row(String name, String ours, String reference, String ratio, String goal, String verdict) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        p4Sizes(); // a wrong size is said before P1 runs, not minutes later
        boolean ownsDir = dir == null;
        Path work = ownsDir ? Files.createTempDirectory("actes-bench-") : Files.createDirectories(dir);
        List<Row> rows = new ArrayList<>();
        try {
            out.println("Banc d'essai actes-connector" + (quick ? " (--quick)" : "") + " — Java "
                    + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                    + " cœurs, tas max " + Runtime.getRuntime().maxMemory() / MIB + " Mio");
            out.flush();
            if (only == null || only.equalsIgnoreCase("P1")) rows.add(p1(work.resolve("p1"), out));
            if (only == null || only.equalsIgnoreCase("P2")) rows.add(p2(work.resolve("p2"), out));
            if (only == null || only.equalsIgnoreCase("P3")) rows.add(p3(work.resolve("p3"), out));
            if (only == null || only.equalsIgnoreCase("P4")) rows.addAll(p4(work.resolve("p4"), out));
        } finally {
            if (ownsDir) deleteTree(work);
        }
        out.println();
        out.printf(Locale.ROOT, "| %-44s | %-26s | %-24s | %-6s | %-22s | %-4s |%n", "mesure", "actes-connector", "référence", "ratio",
                "objectif", "ok");
        out.println("|" + "-".repeat(46) + "|" + "-".repeat(28) + "|" + "-".repeat(26) + "|" + "-".repeat(8) + "|"
                + "-".repeat(24) + "|" + "-".repeat(6) + "|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %-44s | %-26s | %-24s | %-6s | %-22s | %-4s |%n", r.name(), r.ours(), r.reference(), r.ratio(),
                    r.goal(), r.verdict());
        }
        return ExitCodes.OK;
    }

    // ---------------------------------------------------------------- P4

    private List<Row> p4(Path work, PrintWriter out) throws Exception {
        if (journalUrl == null || !journalUrl.startsWith("jdbc:postgresql:")) {
            return List.of(new Row("P4 un syndicat sur PostgreSQL", "—", "--journal-url jdbc:postgresql://…", "—", "—", "—"));
        }
        return new BenchP4(new BenchP4.Database(journalUrl, journalUser), Files.createDirectories(work), out, p4Sizes(), latencyMs,
                jarPath()).run();
    }

    /** P4's sizes: the full ones, {@code --quick}'s, each replaced by its {@code --p4-…} option when given. */
    BenchP4.Sizes p4Sizes() {
        if ((p4Collectivites != null && p4Collectivites < 1) || (p4Actes != null && p4Actes < 1)
                || (p4JournalActes != null && p4JournalActes < BenchP4.Sizes.MIN_JOURNAL)) {
            throw new ActesException(Reason.INVALID_INPUT, "--p4-collectivites et --p4-actes valent au moins 1, --p4-journal au"
                    + " moins " + BenchP4.Sizes.MIN_JOURNAL + ".", "bench P4 sizes out of range");
        }
        BenchP4.Sizes base = quick ? BenchP4.Sizes.QUICK : BenchP4.Sizes.FULL;
        return new BenchP4.Sizes(p4Collectivites == null ? base.collectivites() : p4Collectivites,
                p4Actes == null ? base.perCollectivite() : p4Actes, p4JournalActes == null ? base.journalActes() : p4JournalActes);
    }

    // ---------------------------------------------------------------- P1

    private Row p1(Path work, PrintWriter out) throws Exception {
        long total = quick ? 15 * MIB : 150 * MIB;
        long document = quick ? MIB : 10 * MIB;
        long annexSize = quick ? 2 * MIB : 10 * MIB;
        Files.createDirectories(work.resolve("files"));
        List<Path> files = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        files.add(pdf(work.resolve("files").resolve("acte.pdf"), document, random));
        long remaining = total - document;
        for (int i = 1; remaining > 0; i++) {
            long size = Math.min(annexSize, remaining);
            files.add(pdf(work.resolve("files").resolve("annexe-" + i + ".pdf"), size, random));
            remaining -= size;
        }
        Clock clock = Clock.systemDefaultZone();
        SigningConfig signing = new DemoCertificate(work.resolve("certificat"), clock).ensure("Banc d'essai");
        Path config = DemoCommand.writeBenchConfig(work, signing);
        out.println("P1 : " + files.size() + " fichiers, " + total / MIB + " Mio…");
        out.flush();

        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        try (ActesConnector connector = new ActesConnector(ConnectorConfig.load(config, Map.of()), clock)) {
            Acte acte = new Acte(connector.config().collectivite(), "BENCH-P1", java.time.LocalDate.now(clock).minusDays(1),
                    Nature.CC, Classification.of(1, 4), "Banc d'essai P1", new Piece(files.get(0), new Typologie("99_DC")),
                    files.subList(1, files.size()).stream().map(f -> new Piece(f, new Typologie("99_DC"))).toList(), false);
            connector.prepare(acte, work.resolve("ours"), true);
        }
        double ours = seconds(start);
        long peak = peakHeap();

        Double reference = openssl(work, files, signing);
        String ratio = reference == null ? "—" : String.format(Locale.ROOT, "%.2f", ours / reference);
        boolean ok = (reference == null || ours <= reference) && peak <= 64 * MIB;
        return new Row("P1 préparer+signer+archiver " + total / MIB + " Mio",
                String.format(Locale.ROOT, "%.2f s, tas max %d Mio", ours, peak / MIB),
                reference == null ? "openssl absent" : String.format(Locale.ROOT, "%.2f s (openssl+tar)", reference),
                ratio, "ratio ≤ 1.0, tas ≤ 64 Mio", ok ? "oui" : "non");
    }

    private static Path pdf(Path file, long size, SecureRandom random) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(file)) {
            byte[] head = "%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n".getBytes(StandardCharsets.ISO_8859_1);
            o.write(head);
            long left = size - head.length;
            while (left > 0) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                o.write(buf, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** The same work with OpenSSL and tar: one detached CMS signature per file, then tar czf of everything. */
    private static Double openssl(Path work, List<Path> files, SigningConfig signing) throws Exception {
        if (!onPath("openssl") || !onPath("tar")) return null;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(signing.keystore())) {
            ks.load(in, signing.password().reveal());
        }
        String alias = ks.aliases().nextElement();
        Path key = work.resolve("key.pem");
        Path cert = work.resolve("cert.pem");
        writePem(key, ks.getKey(alias, signing.password().reveal()));
        writePem(cert, ks.getCertificate(alias));
        Path sigs = Files.createDirectories(work.resolve("openssl"));
        long start = System.nanoTime();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            Path sig = sigs.resolve(f.getFileName() + ".p7s");
            run(List.of("openssl", "cms", "-sign", "-binary", "-outform", "DER", "-md", "sha256", "-in", f.toString(),
                    "-signer", cert.toString(), "-inkey", key.toString(), "-out", sig.toString()));
            names.add(f.getFileName().toString());
        }
        List<String> tar = new ArrayList<>(List.of("tar", "czf", sigs.resolve("archive.tar.gz").toString(),
                "-C", files.get(0).getParent().toString()));
        tar.addAll(names);
        run(tar);
        return seconds(start);
    }

    private static void writePem(Path file, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            // Keys as unencrypted PKCS#8 ("PRIVATE KEY"), which OpenSSL reads for RSA and EC alike.
            if (o instanceof PrivateKey k) w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
            else w.writeObject((X509Certificate) o);
        }
        Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- P2

    private Row p2(Path work, PrintWriter out) throws Exception {
        int count = quick ? 1_000 : 10_000;
        int concurrency = 8;
        Duration latency = Duration.ofMillis(latencyMs);
        Path jar = jarPath();
        if (jar == null) return new Row("P2 suivi de " + count + " transactions", "—", "lancer depuis actes.jar", "—", "—", "—");
        Files.createDirectories(work);
        Clock clock = Clock.systemDefaultZone();
        out.println("P2 : simulateur dans son propre processus, " + count + " actes à y créer…");
        out.flush();
        // The TdT is another machine: its simulator gets its own JVM, so the heap measured is the connector's.
        Path simDir = work.resolve("simulateur");
        Path seedFile = work.resolve("seed.txt");
        Process sim = new ProcessBuilder(javaExecutable(), "-Xmx1g", "-XX:+UseSerialGC",
                "-jar", jar.toString(), "simulator", "--port", "0", "--tls",
                "--dir", simDir.toString(), "--delay-ms", String.valueOf(latencyMs), "--polls-per-step", "1000000000",
                "--seed", String.valueOf(count), "--seed-file", seedFile.toString())
                .redirectErrorStream(true).start();
        // Not closed by try-with-resources: the drain thread holds its lock until the process ends.
        java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        try {
            String url = null;
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("Prêt")) {
                if (line.startsWith("tdt.url=")) url = line.substring("tdt.url=".length());
            }
            if (url == null || line == null) throw new IOException("the simulator did not start");
            Thread drain = new Thread(() -> quietlyDrain(lines), "simulator-output");
            drain.setDaemon(true);
            drain.start();
            SimulatorPki pki = new SimulatorPki(simDir, clock);
            Path config = DemoCommand.writeBenchTdtConfig(work, java.net.URI.create(url), pki, concurrency);
            ShiftedClock pollClock = new ShiftedClock(clock);
            try (ActesConnector connector = new ActesConnector(ConnectorConfig.load(config, Map.of()), pollClock)) {
                register(connector, Files.readAllLines(seedFile));
                double bound = count * latency.toMillis() / 1000.0 / concurrency;
                // Two rounds over the same actes: the first in a cold JVM (a daemon's first minute), the second
                // once the JIT has compiled the poll path (the daemon's every other round); the goal is judged on
                // the second, the first is shown beside it.
                Round cold = round(connector, out, "1er tour", count, latency, concurrency);
                pollClock.shift(Duration.ofDays(1)); // every acte due again
                Round warm = round(connector, out, "2e tour", count, latency, concurrency);
                boolean ok = warm.report().polled() == count && warm.report().failed() == 0 && cold.report().failed() == 0
                        && warm.seconds() <= 1.2 * bound;
                return new Row("P2 suivi de " + count + " transactions (C=" + concurrency + ")",
                        String.format(Locale.ROOT, "%.1f s (1er tour, JVM froide : %.1f s), %d échecs", warm.seconds(),
                                cold.seconds(), warm.report().failed() + cold.report().failed()),
                        String.format(Locale.ROOT, "borne %.1f s", bound),
                        String.format(Locale.ROOT, "%.2f (%.2f)", warm.seconds() / bound, cold.seconds() / bound),
                        String.format(Locale.ROOT, "≤ 1.2 × borne ; tas %d→%d→%d Mio (max %d)", cold.heapBefore() / MIB,
                                cold.heapAfter() / MIB, warm.heapAfter() / MIB, Math.max(cold.peak(), warm.peak()) / MIB),
                        ok ? "oui" : "non");
            }
        } finally {
            sim.destroy();
            sim.waitFor();
        }
    }

    private record Round(double seconds, Poller.Report report, long heapBefore, long heapAfter, long peak) {
    }

    private static Round round(ActesConnector connector, PrintWriter out, String name, int count, Duration latency,
                               int concurrency) {
        System.gc();
        long heapBefore = usedHeap();
        resetPeaks();
        out.println("P2 : " + name + ", suivi de " + count + " transactions, latence " + latency.toMillis() + " ms, "
                + concurrency + " en parallèle…");
        out.flush();
        long start = System.nanoTime();
        Poller.Report report = connector.poller("bench").pollOnce();
        double seconds = seconds(start);
        long peak = peakHeap();
        System.gc();
        return new Round(seconds, report, heapBefore, usedHeap(), peak);
    }

    /** The system clock moved forward on demand, to make every acte due again without touching the journal. */
    private static final class ShiftedClock extends Clock {
        private final Clock base;
        private volatile Duration shift = Duration.ZERO;

        ShiftedClock(Clock base) {
            this.base = base;
        }

        void shift(Duration more) {
            shift = shift.plus(more);
        }

        @Override
        public java.time.ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("fixed zone");
        }

        @Override
        public java.time.Instant instant() {
            return base.instant().plus(shift);
        }
    }

    /** The seeded transactions as POSTED entries of the journal, due now (not measured). */
    private static void register(ActesConnector connector, List<String> seeded) throws Exception {
        Journal journal = connector.journal();
        java.time.LocalDate decision = java.time.LocalDate.now(connector.clock()).minusDays(1);
        Path pdf = connector.config().baseDir().resolve("acte.pdf");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String line : seeded) {
                String[] parts = line.split(" ");
                futures.add(pool.submit(() -> {
                    Acte acte = new Acte(connector.config().collectivite(), parts[0], decision, Nature.CC,
                            Classification.of(1, 4), "Banc d'essai " + parts[0], new Piece(pdf, new Typologie("99_DC")),
                            List.of(), false);
                    long id = journal.register(NewActe.of(acte)).entry().id();
                    journal.markPosting(id);
                    journal.recordPosted(id, parts[1]);
                    journal.leases().reschedule(id, connector.clock().instant());
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads a process's output to its end on a daemon thread, so that the process never blocks on a full pipe. */
    static void drain(java.io.BufferedReader lines) {
        Thread drain = new Thread(() -> quietlyDrain(lines), "process-output");
        drain.setDaemon(true);
        drain.start();
    }

    private static void quietlyDrain(java.io.BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // the simulator's log is not part of the measure
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    // ---------------------------------------------------------------- P3

    private static final int P3_RUNS = 5;

    private Row p3(Path work, PrintWriter out) throws Exception {
        Path jar = jarPath();
        if (jar == null) return new Row("P3 démo (java -jar)", "—", "—", "—", "< 3 s", "—");
        Files.createDirectories(work);
        out.println("P3 : démonstration (premier lancement, puis " + P3_RUNS + " lancements sur un nouveau journal)…");
        out.flush();
        List<String> cmd = List.of(javaExecutable(), "-jar", jar.toString(), "demo", "--dir", work.resolve("demo").toString(),
                "--out", work.resolve("out").toString());
        long start = System.nanoTime();
        run(cmd);
        double first = seconds(start);
        // Each measured run starts from a new journal, as a first send would; the median of a few runs,
        // since one JVM start on a shared machine varies by a few tenths of a second.
        double[] runs = new double[P3_RUNS];
        for (int i = 0; i < P3_RUNS; i++) {
            try (Stream<Path> files = Files.walk(work.resolve("demo"))) {
                files.filter(p -> p.getFileName().toString().startsWith("journal")).sorted(Comparator.reverseOrder())
                        .forEach(BenchCommand::quietlyDelete);
            }
            deleteTree(work.resolve("demo").resolve("transmissions"));
            start = System.nanoTime();
            run(cmd);
            runs[i] = seconds(start);
        }
        double[] sorted = runs.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[P3_RUNS / 2];
        return new Row("P3 démo de bout en bout (nouveau journal)",
                String.format(Locale.ROOT, "%.2f s (médiane de %d : %.2f–%.2f s)", median, P3_RUNS, sorted[0],
                        sorted[P3_RUNS - 1]),
                String.format(Locale.ROOT, "1er lancement %.2f s", first), "—", "< 3 s", median < 3 ? "oui" : "non");
    }

    /** The java of this JVM, so that the processes measured run on the same runtime as the bench. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jarPath() {
        try {
            Path p = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("actes-bench-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (p.waitFor() != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IOException("command failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound of the live heap. */
    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(BenchCommand::quietlyDelete);
        }
    }

    private static void quietlyDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // temporary bench files
        }
    }
}
