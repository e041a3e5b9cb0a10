package fr.actesconnector.protocol;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Typologie;

/**
 * The ministry's file-name rules (ACTES-PROTOCOL.md §4): every name is derived from the IDActe,
 * the SIREN and dates, never from the names the user's files had.
 */
public final class MinistryNames {
    /** Application code of the envelopes; every production name observed uses EACT. */
    public static final String APPLICATION = "EACT";
    public static final String ACTE = "1-1";
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    private MinistryNames() {
    }

    /** {@code <IDActe>-<T-S>_0.xml}, the collectivité side always uses sequence 0. */
    public static String message(IdActe id, String code) {
        return id.value() + "-" + code + "_0.xml";
    }

    /** {@code <TYPO>-<IDActe>-1-1_<k>.<ext>}: the document is k = 1, annexes from 2 in their order. */
    public static String piece(Typologie typologie, IdActe id, int k, FileKind kind) {
        if (k < 1) throw new IllegalArgumentException("k starts at 1: " + k);
        return typologie.code() + "-" + id.value() + "-" + ACTE + "_" + k + "." + kind.extension();
    }

    /** The typology a {@link #piece} name begins with; empty for another name. */
    public static java.util.Optional<Typologie> typologieOf(String pieceName) {
        int dash = pieceName.indexOf('-');
        if (dash != 5) return java.util.Optional.empty();
        Typologie t = new Typologie(pieceName.substring(0, dash));
        return t.isWellFormed() ? java.util.Optional.of(t) : java.util.Optional.empty();
    }

    /** {@code EACT--<SIREN>--<YYYYMMDD>-<n>.xml}, dated the day the envelope is generated. */
    public static String envelope(String siren, LocalDate day, int n) {
        checkCounter(n);
        return APPLICATION + "--" + siren + "--" + BASIC.format(day) + "-" + n + ".xml";
    }

    /** {@code <TTT>-EACT--<SIREN>--<YYYYMMDD>-<n>.tar.gz}: the envelope's name prefixed by the TdT's trigram. */
    public static String archive(String trigramme, String siren, LocalDate day, int n) {
        Objects.requireNonNull(trigramme, "trigramme");
        String envelope = envelope(siren, day, n);
        return trigramme + "-" + envelope.substring(0, envelope.length() - ".xml".length()) + ".tar.gz";
    }

    private static void checkCounter(int n) {
        if (n < 1 || n > 9999) throw new IllegalArgumentException("envelope counter out of 1..9999: " + n);
    }
}
