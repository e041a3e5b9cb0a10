package fr.actesconnector.tdt;

/** One transaction of {@code list_actes.php}. {@code date} is kept as the TdT wrote it. */
public record TdtTransaction(long id, String subject, String number, String date, String natureDescr,
                             String classification, int type) {
}
