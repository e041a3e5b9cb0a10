package fr.actesconnector.tdt;

import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An answer to a prefecture document ({@code actes_transac_reponse_create.php}).
 *
 * @param childTransactionId the incoming document being answered (type 2, 3 or 4)
 * @param kind               send (2-2, 3-4, 4-4) or explicit refusal (3-3, 4-3)
 * @param letter             the answer letter with its typology
 * @param pieces             additional pièces, only for 3-4 (pièces complémentaires)
 */
public record ReponseSubmission(long childTransactionId, Kind kind, Piece letter, Optional<Path> letterSignature,
                                List<Piece> pieces) {
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
        if (kind == Kind.REFUSE && !pieces.isEmpty()) throw new IllegalArgumentException("a refusal carries no pièces");
    }

    public static ReponseSubmission send(long childTransactionId, Path letter, Typologie typologie) {
        return new ReponseSubmission(childTransactionId, Kind.SEND, new Piece(letter, typologie), Optional.empty(), List.of());
    }
}
