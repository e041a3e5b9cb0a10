package fr.actesconnector.model;

import java.util.Objects;

/**
 * The local authority sending the actes ({@code IDCL}): its name, SIREN, département (3 characters,
 * {@code 078}, {@code 02A}, {@code 971}), arrondissement (one digit) and collectivity type code
 * ({@code Nature}, two digits, 31 for a commune). Values are checked by {@link ActeValidator}.
 */
public record Collectivite(String nom, String siren, String departement, String arrondissement, String nature) {
    public Collectivite {
        Objects.requireNonNull(nom, "nom");
        Objects.requireNonNull(siren, "siren");
        Objects.requireNonNull(departement, "departement");
        Objects.requireNonNull(arrondissement, "arrondissement");
        Objects.requireNonNull(nature, "nature");
    }
}
