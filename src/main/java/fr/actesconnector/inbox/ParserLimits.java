package fr.actesconnector.inbox;

/**
 * Caps applied while reading untrusted input, so a hostile archive or e-mail is stopped while
 * streaming, not after filling memory or disk.
 *
 * @param maxXmlBytes        one ACTES message (a classification is about 50 KiB)
 * @param maxEntryBytes      one archive entry or e-mail attachment
 * @param maxTotalBytes      everything unpacked from one input
 * @param maxEntries         archive entries or e-mail parts in one input
 */
public record ParserLimits(long maxXmlBytes, long maxEntryBytes, long maxTotalBytes, int maxEntries) {
    public static final long DEFAULT_MAX_XML_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_ENTRY_BYTES = 200L * 1024 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 500L * 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRIES = 200;
    public static final ParserLimits DEFAULT =
            new ParserLimits(DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_ENTRIES);

    public ParserLimits {
        if (maxXmlBytes <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxXmlBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxXmlBytes must fit in memory: " + maxXmlBytes);
        }
    }
}
