/**
 * The durable journal of transmissions: one row per acte with its inputs, archive, TdT transaction,
 * state and replies, kept in H2 (embedded file, default) or PostgreSQL, schema by its own numbered scripts.
 *
 * <p>Crash safety rests on one contract: every transition is committed, with its history row,
 * <em>before</em> the external call that depends on it ({@link fr.actesconnector.journal.Journal#markPosting}
 * before the POST) and the outcome is recorded after it ({@link fr.actesconnector.journal.Journal#recordPosted}).
 * A restart therefore finds either PREPARED (nothing posted), POSTING (look the acte up at the TdT
 * before any resend) or a posted state.
 *
 * <p>Imports only {@code model}, JDBC and HikariCP. Arguments are non-null unless
 * documented otherwise; absent values are returned as {@link java.util.Optional}.
 */
package fr.actesconnector.journal;
