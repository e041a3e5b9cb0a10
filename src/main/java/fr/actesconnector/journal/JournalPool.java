package fr.actesconnector.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.actesconnector.model.Reason;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * The journal's HikariCP pool: its settings, an H2 URL completed so that several processes share the file and
 * its page cache stays small, and the French message when the database cannot be opened.
 */
final class JournalPool {
    static final int H2_CACHE_KIB = 2048;
    static final String H2_BIND_PROPERTY = "h2.bindAddress";
    /** H2's "Database may be already in use": the file is locked by a process that does not share it. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    static {
        // H2's mixed-mode server listens on every interface unless told otherwise; the journal is shared by
        // this machine's processes only. A value given on the command line wins.
        if (System.getProperty(H2_BIND_PROPERTY) == null) System.setProperty(H2_BIND_PROPERTY, "127.0.0.1");
    }

    private JournalPool() {
    }

    /**
     * Opens the pool; with {@code setInitializationFailTimeout(1)} it fails here when the database does not answer.
     *
     * @throws JournalException (UNAVAILABLE) when the database cannot be reached or opened
     */
    static HikariDataSource open(JournalConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("journal");
        hc.setJdbcUrl(config.isH2() ? withH2Sharing(withH2Cache(config.url())) : config.url());
        if (!config.user().isEmpty()) hc.setUsername(config.user());
        if (!config.password().isEmpty()) hc.setPassword(new String(config.password().reveal()));
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(1);
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        hc.setInitializationFailTimeout(1);
        // H2 gives up on a row lock after 1 s by default; the counter and leases may queue longer.
        if (config.isH2()) hc.setConnectionInitSql("SET LOCK_TIMEOUT 10000");
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (config.isH2() && cause instanceof SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                throw new JournalException(Reason.UNAVAILABLE, "Le journal " + config.displayUrl() + " est verrouillé :"
                        + " un autre programme l'a ouvert sans le partager (une version plus ancienne du connecteur, ou"
                        + " journal.url avec AUTO_SERVER=FALSE ou FILE_LOCK). Arrêtez ce programme, ou retirez ces options"
                        + " de journal.url, puis recommencez.",
                        "journal: " + config.displayUrl() + " locked by a process that does not share it: "
                                + cause.getMessage(), e);
            }
            String hint = config.isH2() ? " Vérifiez que le dossier du journal existe et que ce compte peut y écrire."
                    : " Vérifiez journal.url, journal.user et journal.password, et que le serveur PostgreSQL est"
                    + " démarré et joignable.";
            throw new JournalException(Reason.UNAVAILABLE,
                    "Impossible d'ouvrir le journal " + config.displayUrl() + "." + hint,
                    "journal: cannot open " + config.displayUrl() + ": " + cause.getMessage(), e);
        }
    }

    /**
     * Several processes share an H2 file journal (a {@code daemon} or {@code serve}, and the commands run
     * meanwhile) through H2's automatic mixed mode: the first to open the file serves it to the others on
     * a loopback port it writes, with a random key, in the lock file beside the journal. A URL that says
     * {@code AUTO_SERVER} itself, or chooses a {@code FILE_LOCK} (mixed mode needs the default), is kept as
     * written; in-memory and remote ({@code tcp:}, {@code ssl:}) URLs have nothing to share.
     */
    static String withH2Sharing(String url) {
        if (!JournalConfig.isH2File(url)) return url;
        Set<String> keys = JournalConfig.h2OptionKeys(url);
        if (keys.contains("AUTO_SERVER") || keys.contains("FILE_LOCK")) return url;
        return url + ";AUTO_SERVER=TRUE";
    }

    /**
     * H2 sizes its page cache at 1/16 of the heap; the journal is small and read mostly through its
     * indexes, and on a daemon run with a small heap (-Xmx64m) that cache kept the garbage collector
     * marking all the time (P2: GC pauses 6.9 s, 2.9 s with 2 MiB). A URL that sets CACHE_SIZE wins.
     */
    static String withH2Cache(String url) {
        if (url.toUpperCase(java.util.Locale.ROOT).contains(";CACHE_SIZE=")) return url;
        return url + ";CACHE_SIZE=" + H2_CACHE_KIB;
    }
}
