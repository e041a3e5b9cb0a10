package fr.actesconnector.tdt;

/**
 * One file of a transaction ({@code actes_transac_get_files_list.php}): element 0 is the message
 * XML, 1 the acte document, 2.. the annexes.
 */
public record TdtFile(long id, String name, String postedFilename, String mimetype, long size, String sign,
                      String codePj) {
    public boolean isPdf() {
        return "application/pdf".equalsIgnoreCase(mimetype);
    }
}
