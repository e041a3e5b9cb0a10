package fr.actesconnector.inbox;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How the journal finds the acte a {@link Reply} is about. */
public sealed interface ActeMatch {

    /** Every message after the AR names its acte by IDActe. */
    record ByIdActe(String idActe) implements ActeMatch {
        public ByIdActe {
            Objects.requireNonNull(idActe, "idActe");
        }
    }

    /**
     * An AnomalieActe has no IDActe: the acte is the one of this collectivité (SIREN, from the
     * accompanying envelope's {@code Destinataire}, when known) with this NumeroInterne and decision date.
     */
    record ByActeIdentity(Optional<String> siren, String numeroInterne, LocalDate decisionDate) implements ActeMatch {
        public ByActeIdentity {
            Objects.requireNonNull(siren, "siren");
            Objects.requireNonNull(numeroInterne, "numeroInterne");
            Objects.requireNonNull(decisionDate, "decisionDate");
        }
    }

    /**
     * An AnomalieEnveloppe refuses a whole envelope: its acte(s) are those whose message files the
     * rejected envelope listed (IDActes read from the file names {@code <IDActe>-1-1_0.xml}).
     */
    record ByEnvelopeForms(Optional<String> siren, List<String> idActes) implements ActeMatch {
        public ByEnvelopeForms {
            Objects.requireNonNull(siren, "siren");
            idActes = List.copyOf(idActes);
        }
    }

    /** Not about one acte (classification, bare envelope). */
    record None() implements ActeMatch {
    }
}
