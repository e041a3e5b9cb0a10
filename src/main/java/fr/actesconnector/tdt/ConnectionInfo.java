package fr.actesconnector.tdt;

/**
 * Who the TdT thinks we are ({@code info-connexion.php}). Fields the TdT omitted are empty strings;
 * {@code json} is the raw answer for diagnosis.
 */
public record ConnectionInfo(String login, String userEmail, long authorityId, String authorityName,
                             String department, String district, String city, String json) {
}
