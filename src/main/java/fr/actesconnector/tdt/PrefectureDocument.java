package fr.actesconnector.tdt;

/**
 * An unread incoming document of the prefecture ({@code list_document_prefecture.php}): a child
 * transaction of type 2 (courrier simple), 3 (demande de pièces), 4 (lettre d'observations) or 5
 * (déféré). {@code relatedTransactionId} is the acte's transaction (0 if the TdT gave none).
 */
public record PrefectureDocument(long id, int type, long relatedTransactionId, String number, String uniqueId,
                                 int lastStatusId) {
}
