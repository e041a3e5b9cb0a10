package fr.actesconnector.journal;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link Journal#register(NewActe)} stores about an acte before anything is sent: the inputs as the
 * user typed them and as transmitted.
 */
public record NewActe(IdActe idActe, String siren, String numero, String numeroInterne, LocalDate dateDecision,
                      Nature nature, Classification classification, String objet, boolean documentPapier) {
    public NewActe {
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(numero, "numero");
        Objects.requireNonNull(numeroInterne, "numeroInterne");
        Objects.requireNonNull(dateDecision, "dateDecision");
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(objet, "objet");
        if (!idActe.siren().equals(siren) || !idActe.numeroInterne().equals(numeroInterne)) {
            throw new IllegalArgumentException("IDActe " + idActe + " does not match SIREN " + siren
                    + " and numero interne " + numeroInterne);
        }
    }

    /** The journal inputs of a validated acte; the objet is kept as transmitted (ISO-8859-1). */
    public static NewActe of(Acte acte) {
        return new NewActe(acte.idActe(), acte.collectivite().siren(), acte.numero(), acte.numeroInterne(),
                acte.dateDecision(), acte.nature(), acte.classification(), acte.objetLatin1(), acte.documentPapier());
    }
}
