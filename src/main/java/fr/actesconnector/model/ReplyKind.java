package fr.actesconnector.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The town's answers to a prefecture letter (ACTES-PROTOCOL.md §2): which letter each answers, whether it
 * refuses, and the message the TdT builds for it.
 */
public enum ReplyKind {
    /** 2-2, answer to a courrier simple. */
    REPONSE("reponse", 2, false, "2-2", "Réponse au courrier simple"),
    /** 3-4, the pièces complémentaires asked for (the only answer that carries several files). */
    PIECES("pieces", 3, false, "3-4", "Envoi des pièces complémentaires"),
    /** 3-3, refusal to send the pièces. */
    REFUS_PIECES("refus-pieces", 3, true, "3-3", "Refus d'envoi des pièces complémentaires"),
    /** 4-4, answer to a lettre d'observations (justification of the acte). */
    JUSTIFICATION("justification", 4, false, "4-4", "Réponse à la lettre d'observations"),
    /** 4-3, rejection of the observations. */
    REJET_OBSERVATIONS("rejet-observations", 4, true, "4-3", "Rejet de la lettre d'observations");

    private final String word;
    private final int letterType;
    private final boolean refusal;
    private final String messageCode;
    private final String label;

    ReplyKind(String word, int letterType, boolean refusal, String messageCode, String label) {
        this.word = word;
        this.letterType = letterType;
        this.refusal = refusal;
        this.messageCode = messageCode;
        this.label = label;
    }

    /** The word of the command line and of the journal: {@code reponse}, {@code pieces}… */
    public String word() {
        return word;
    }

    /** The type of the letter it answers: 2 courrier simple, 3 demande de pièces, 4 lettre d'observations. */
    public int letterType() {
        return letterType;
    }

    public boolean refusal() {
        return refusal;
    }

    public String messageCode() {
        return messageCode;
    }

    public String label() {
        return label;
    }

    /** Extra files are part of the answer only for 3-4. */
    public boolean allowsAnnexes() {
        return this == PIECES;
    }

    public static Optional<ReplyKind> parse(String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.word.equals(w)).findFirst();
    }

    /** The kinds that answer a letter of {@code letterType}. */
    public static String wordsFor(int letterType) {
        return String.join(", ", Arrays.stream(values()).filter(k -> k.letterType == letterType).map(ReplyKind::word).toList());
    }
}
