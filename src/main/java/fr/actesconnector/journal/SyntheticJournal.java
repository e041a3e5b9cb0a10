package fr.actesconnector.journal;

import static fr.actesconnector.journal.Sql.bind;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Fills a new journal with the actes of a syndicate's years, for the benchmark (P4) and the scale tests:
 * {@code actes} actes of {@code collectivites} collectivités registered evenly over {@code years} years up to
 * {@code now}, each with its history, its document and, once acknowledged, its AR and bordereau. Most are
 * acknowledged, a few cancelled, rejected or in error, and the last {@link #PENDING} are still followed
 * (TRANSMITTED, due within the minute). Numbers are {@code A<year>_<n>}: the same number exists in every
 * collectivité, as communes number their actes alike. Written by JDBC batches, on the schema the journal's
 * migrations made; the database is vacuumed and analysed afterwards, as autovacuum would have done over the years.
 */
public final class SyntheticJournal {
    /** Actes still followed at the end of the period. */
    public static final int PENDING = 300;
    private static final int BATCH = 5_000;
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String[] NATURES = {"DE", "AR", "AI", "CC", "BF", "AU"};

    /** What was written: the collectivités' SIRENs and how many rows in each table. */
    public record Summary(List<String> sirens, int actes, int historyRows, int fileRows, int documentRows) {
        public Summary {
            sirens = List.copyOf(sirens);
        }
    }

    private SyntheticJournal() {
    }

    /**
     * Writes the actes into the empty journal of {@code config} (its schema already made by {@link Journal}).
     *
     * @throws JournalException when the database refuses a batch
     */
    public static Summary fill(JournalConfig config, int actes, int collectivites, int years, Instant now) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(now, "now");
        if (actes < 1 || collectivites < 1 || years < 1) throw new IllegalArgumentException("counts must be positive");
        List<String> sirens = sirens(collectivites);
        Properties props = new Properties();
        if (!config.user().isEmpty()) props.setProperty("user", config.user());
        if (!config.password().isEmpty()) props.setProperty("password", new String(config.password().reveal()));
        // PostgreSQL: one multi-row INSERT per batch instead of one round trip per row.
        if (config.isPostgreSql()) props.setProperty("reWriteBatchedInserts", "true");
        try (Connection c = DriverManager.getConnection(config.url(), props)) {
            c.setAutoCommit(false);
            int history = 0;
            int files = 0;
            int documents = 0;
            Instant start = now.minus(Duration.ofDays(365L * years));
            long span = Duration.between(start, now).toMillis();
            try (PreparedStatement acte = c.prepareStatement("INSERT INTO acte (id, id_acte, siren, numero, numero_interne,"
                    + " date_decision, nature, classification, objet, document_papier, archive_path, state,"
                    + " tdt_transaction_id, tdt_status, attempts, last_error, next_poll_at, ar_acte_xml, date_reception,"
                    + " acknowledged_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?,"
                    + " ?, ?, ?, ?)");
                 PreparedStatement hist = c.prepareStatement("INSERT INTO acte_history (acte_id, from_state, to_state,"
                         + " tdt_status, changed_at, detail) VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement file = c.prepareStatement("INSERT INTO acte_file (acte_id, file_order, file_role,"
                         + " ministry_name, file_path, size_bytes, sha256, recorded_at) VALUES (?, 0, 'DOCUMENT', ?, ?, ?, ?, ?)");
                 PreparedStatement doc = c.prepareStatement("INSERT INTO acte_document (acte_id, kind, message_type,"
                         + " file_path, size_bytes, sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < actes; i++) {
                    long id = i + 1L;
                    String siren = sirens.get(i % collectivites);
                    Instant created = start.plusMillis(span * i / actes);
                    LocalDate decision = LocalDate.ofInstant(created, ZoneOffset.UTC).minusDays(2);
                    String numero = "A" + decision.getYear() + "_" + (i / collectivites);
                    String nature = NATURES[i % NATURES.length];
                    String idActe = "078-" + siren + "-" + BASIC.format(decision) + "-" + numero + "-" + nature;
                    TransmissionState state = stateOf(i, actes);
                    Instant sent = created.plusSeconds(60);
                    Instant settled = created.plus(Duration.ofHours(26));
                    boolean acknowledged = state == TransmissionState.ACKNOWLEDGED || state == TransmissionState.CANCELLED;
                    Integer status = switch (state) {
                        case TRANSMITTED -> 3;
                        case ACKNOWLEDGED -> 4;
                        case CANCELLED -> 0;
                        case ERROR -> -1;
                        default -> null;
                    };
                    bind(acte, id, idActe, siren, numero.replace('_', '-'), numero, decision, nature, "1.4",
                            "Objet de l'acte " + numero + " de la collectivité " + siren, false,
                            "/srv/actes/transmissions/" + idActe + "/TTT-EACT--" + siren + "--" + BASIC.format(decision)
                                    + "-1.tar.gz", state.name(), String.valueOf(1_000_000 + id),
                            status == null ? new Sql.Null(Types.INTEGER) : status,
                            state == TransmissionState.ERROR || state == TransmissionState.REJECTED
                                    ? "Anomalie 002 : classification inconnue" : new Sql.Null(Types.VARCHAR),
                            state == TransmissionState.TRANSMITTED
                                    ? now.plusSeconds(i % 60 - 30) : new Sql.Null(Types.TIMESTAMP_WITH_TIMEZONE),
                            acknowledged ? "<actes:ARActe actes:IDActe=\"" + idActe + "\" actes:DateReception=\""
                                    + decision.plusDays(3) + "\"/>" : new Sql.Null(Types.VARCHAR),
                            acknowledged ? decision.plusDays(3) : new Sql.Null(Types.DATE),
                            acknowledged ? settled : new Sql.Null(Types.TIMESTAMP_WITH_TIMEZONE), created,
                            state == TransmissionState.TRANSMITTED ? sent : settled);
                    acte.addBatch();
                    history += history(hist, id, state, status, created, sent, settled);
                    bind(file, id, "99_DC-" + idActe + "-1-1_1.pdf", "/srv/actes/transmissions/" + idActe + "/pieces/1.bin",
                            250_000L, sha(i), created);
                    file.addBatch();
                    files++;
                    if (acknowledged) {
                        String dir = "/srv/actes/transmissions/" + idActe + "/";
                        bind(doc, id, "AR", "ARActe", dir + idActe + "-1-2_AR.xml", 700L, sha(i + actes), settled);
                        doc.addBatch();
                        bind(doc, id, "BORDEREAU", new Sql.Null(Types.VARCHAR), dir + idActe + "-bordereau.pdf", 40_000L,
                                sha(i + 2 * actes), settled);
                        doc.addBatch();
                        documents += 2;
                    }
                    if ((i + 1) % BATCH == 0 || i == actes - 1) {
                        acte.executeBatch();
                        hist.executeBatch();
                        file.executeBatch();
                        doc.executeBatch();
                        c.commit();
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // Explicit keys were given: the identity continues after them.
                if (config.isPostgreSql()) {
                    s.execute("SELECT setval(pg_get_serial_sequence('acte', 'id'), " + actes + ")");
                } else {
                    s.execute("ALTER TABLE acte ALTER COLUMN id RESTART WITH " + (actes + 1));
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // What autovacuum has long done on a ten-year-old journal: statistics, and the visibility map
                // that lets an index answer alone.
                s.execute(config.isPostgreSql() ? "VACUUM ANALYZE" : "ANALYZE");
            }
            return new Summary(sirens, actes, history, files, documents);
        } catch (SQLException e) {
            throw new JournalException(fr.actesconnector.model.Reason.INTERNAL,
                    "Le journal de test n'a pas pu être rempli : " + e.getMessage(),
                    "synthetic journal: " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    private static int history(PreparedStatement hist, long id, TransmissionState state, Integer status, Instant created,
                               Instant sent, Instant settled) throws SQLException {
        Sql.Null noState = new Sql.Null(Types.VARCHAR);
        Sql.Null noStatus = new Sql.Null(Types.INTEGER);
        bind(hist, id, noState, "PREPARED", noStatus, created, "enregistré");
        hist.addBatch();
        bind(hist, id, "PREPARED", "POSTING", noStatus, sent, "envoi au TdT");
        hist.addBatch();
        bind(hist, id, "POSTING", "POSTED", 1, sent.plusSeconds(1), "posté, transaction " + (1_000_000 + id));
        hist.addBatch();
        if (state == TransmissionState.TRANSMITTED) return 3;
        bind(hist, id, "POSTED", state.name(), status == null ? noStatus : status, settled, "statut du TdT");
        hist.addBatch();
        return 4;
    }

    /** Ten years' outcomes: 1 % in error, 1 % rejected, 2 % cancelled, the rest acknowledged; the last ones pending. */
    static TransmissionState stateOf(int i, int actes) {
        if (i >= actes - Math.min(PENDING, actes / 10)) return TransmissionState.TRANSMITTED;
        return switch (i % 100) {
            case 17 -> TransmissionState.ERROR;
            case 42 -> TransmissionState.REJECTED;
            case 63, 88 -> TransmissionState.CANCELLED;
            default -> TransmissionState.ACKNOWLEDGED;
        };
    }

    /** {@code n} valid SIRENs (Luhn key), the same ones at each call. */
    public static List<String> sirens(int n) {
        List<String> sirens = new ArrayList<>();
        for (int base = 20_000_000; sirens.size() < n; base++) {
            String head = String.valueOf(base);
            for (int key = 0; key <= 9; key++) {
                if (luhn(head + key)) {
                    sirens.add(head + key);
                    break;
                }
            }
        }
        return sirens;
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static String sha(long n) {
        return String.format("%064x", n);
    }
}
