package fr.actesconnector.tdt;

/**
 * One line {@code <type>-<status>-<id>} of {@code actes_transac_get_document.php}; when the child was
 * already answered, {@code id} is the answer's transaction id.
 */
public record ChildTransaction(int type, int status, long id) {
}
