package fr.actesconnector.simulator;

import java.util.Arrays;
import java.util.Optional;

/** The letters a prefecture sends about an acknowledged acte (ACTES-PROTOCOL.md §2), each a child transaction on S²LOW. */
public enum LetterType {
    /** 2-1, no acknowledgement: status 21. */
    COURRIER_SIMPLE("2-1", 2, "CourrierSimple"),
    /** 3-1, S²LOW sends the 3-2 itself: status 7, then 8. */
    DEMANDE_PIECES_COMPLEMENTAIRES("3-1", 3, "DemandePieceComplementaire"),
    /** 4-1, S²LOW sends the 4-2 itself: status 7, then 8. */
    LETTRE_OBSERVATIONS("4-1", 4, "LettreObservations"),
    /** 5-1, information only: status 21. */
    DEFERE_TRIBUNAL_ADMINISTRATIF("5-1", 5, "DefereTA");

    private final String code;
    private final int transactionType;
    private final String root;

    LetterType(String code, int transactionType, String root) {
        this.code = code;
        this.transactionType = transactionType;
        this.root = root;
    }

    /** The message code, e.g. {@code 3-1}. */
    public String code() {
        return code;
    }

    /** The S²LOW transaction type of the child (2 to 5). */
    public int transactionType() {
        return transactionType;
    }

    /** Root element of the message. */
    public String root() {
        return root;
    }

    /** Whether S²LOW acknowledges it itself (3-2, 4-2). */
    boolean acknowledged() {
        return transactionType == 3 || transactionType == 4;
    }

    public static Optional<LetterType> ofCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
