package fr.actesconnector.model;

import java.time.LocalDate;

/**
 * Gives the {@code n} of {@code EACT--<SIREN>--<YYYYMMDD>-<n>}: unique per collectivité per day
 * (1…9999), durable across restarts. The journal implements it.
 */
@FunctionalInterface
public interface EnvelopeCounter {
    int next(String siren, LocalDate day);
}
