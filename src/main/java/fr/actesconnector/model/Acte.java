package fr.actesconnector.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * An acte as the collectivité wants to transmit it: independent of XML. {@code numero} is the
 * number as typed by the user (e.g. {@code 2026-DEC-020}); {@link #numeroInterne()} gives the
 * normalised form that is transmitted.
 */
public record Acte(
        Collectivite collectivite,
        String numero,
        LocalDate dateDecision,
        Nature nature,
        Classification classification,
        String objet,
        Piece document,
        List<Piece> annexes,
        boolean documentPapier) {

    public Acte {
        Objects.requireNonNull(collectivite, "collectivite");
        Objects.requireNonNull(numero, "numero");
        Objects.requireNonNull(dateDecision, "dateDecision");
        Objects.requireNonNull(nature, "nature");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(objet, "objet");
        Objects.requireNonNull(document, "document");
        annexes = List.copyOf(Objects.requireNonNull(annexes, "annexes"));
    }

    /** The transmitted number: {@link NumeroInterne#normalize(String)} of {@link #numero()}. */
    public String numeroInterne() {
        return NumeroInterne.normalize(numero);
    }

    /** The objet as transmitted: transliterated to ISO-8859-1. */
    public String objetLatin1() {
        return Latin1Text.transliterate(objet).trim();
    }

    /** IDActe of this acte; valid only once {@link ActeValidator} accepted the acte. */
    public IdActe idActe() {
        return IdActe.of(collectivite.departement(), collectivite.siren(), dateDecision, numeroInterne(), nature);
    }

    /** Every file in transmission order: the document then the annexes. */
    public List<Piece> pieces() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(document), annexes.stream()).toList();
    }
}
