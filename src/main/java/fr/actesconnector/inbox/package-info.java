/**
 * The prefecture's replies: every incoming ACTES message (AR, anomalies, courriers, classification…)
 * read from a bare XML file, a {@code .tar.gz} archive, an e-mail or a TdT status reply into
 * {@link fr.actesconnector.inbox.Reply} values; intake from an IMAP folder or {@code .eml} files, and
 * the secretariat's notification e-mails.
 * <p>
 * This package returns values and never touches the journal: the façade matches each reply to its acte
 * ({@link fr.actesconnector.inbox.Reply#match()}) and records it. Every XML goes through
 * {@code protocol.ActesXml} (hardened, capped); archive entries and attachment names are never trusted
 * as paths.
 */
package fr.actesconnector.inbox;
