package fr.actesconnector.tdt;

import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.model.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An answer to a prefecture letter ({@code actes_transac_reponse_create.php}).
 *
 * <p>S²LOW builds the answer's message from the letter's type and {@code type_envoie}
 * ({@code ActesTransaction.class.php}, {@code generateReponseCourrierXMLFile}): 2-2 for a courrier
 * simple, 3-3 / 3-4 for a demande de pièces, 4-3 / 4-4 for a lettre d'observations. Only a 3-4
 * lists extra files; S²LOW would put others in the archive without naming them, so they are refused here.
 *
 * @param childTransactionId the letter's transaction on the TdT (type 2, 3 or 4)
 * @param letterType         that transaction's type: 2 courrier simple, 3 demande de pièces, 4 lettre d'observations
 * @param kind               send (2-2, 3-4, 4-4) or explicit refusal (3-3, 4-3)
 * @param letter             the answer letter with its typology
 * @param letterSignature    detached signature of the letter (stored by S²LOW, not put in the message)
 * @param pieces             additional pièces, only for 3-4 (pièces complémentaires)
 */
public record ReponseSubmission(long childTransactionId, int letterType, Kind kind, Piece letter,
                                Optional<Path> letterSignature, List<Piece> pieces) {
    /** {@code type_envoie}: 4 = send, 3 = refuse. */
    public enum Kind {
        SEND(4), REFUSE(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public ReponseSubmission {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(letter, "letter");
        Objects.requireNonNull(letterSignature, "letterSignature");
        pieces = List.copyOf(Objects.requireNonNull(pieces, "pieces"));
        if (childTransactionId <= 0) throw new IllegalArgumentException("childTransactionId: " + childTransactionId);
        if (letterType < 2 || letterType > 4) {
            throw new InvalidActeException(List.of(Violation.error("courrier", "Seuls un courrier simple (2-1), une "
                    + "demande de pièces complémentaires (3-1) ou une lettre d'observations (4-1) appellent une réponse ; "
                    + "un déféré (5-1) n'en a pas.")));
        }
        if (letterType == 2 && kind == Kind.REFUSE) {
            throw new InvalidActeException(List.of(Violation.error("réponse", "Un courrier simple (2-1) ne se refuse "
                    + "pas : répondez-y (2-2).")));
        }
        if (!pieces.isEmpty() && !(letterType == 3 && kind == Kind.SEND)) {
            throw new InvalidActeException(List.of(Violation.error("annexes", "Seul l'envoi de pièces complémentaires "
                    + "(3-4) porte des pièces jointes ; pour une réponse " + messageCode() + ", joignez un seul document.")));
        }
    }

    /** The ACTES message S²LOW will build: {@code 2-2}, {@code 3-3}, {@code 3-4}, {@code 4-3} or {@code 4-4}. */
    public String messageCode() {
        return letterType + "-" + (letterType == 2 ? 2 : kind == Kind.REFUSE ? 3 : 4);
    }

    public static ReponseSubmission send(long childTransactionId, int letterType, Path letter, Typologie typologie) {
        return new ReponseSubmission(childTransactionId, letterType, Kind.SEND, new Piece(letter, typologie),
                Optional.empty(), List.of());
    }
}
