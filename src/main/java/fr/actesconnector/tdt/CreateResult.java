package fr.actesconnector.tdt;

/**
 * Outcome of posting an acte: the TdT's transaction id. {@code recovered} is true when the POST
 * failed ambiguously and the id was found afterwards on the TdT (the acte was recorded once).
 * {@code OK} is not acceptance: the TdT still validates asynchronously (status 1 → 2 or -1).
 */
public record CreateResult(long transactionId, boolean recovered) {
}
