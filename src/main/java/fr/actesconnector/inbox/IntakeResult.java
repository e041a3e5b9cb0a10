package fr.actesconnector.inbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One intake round: the e-mails handled (and moved to the processed folder) and those left in place with
 * the French reason why.
 */
public record IntakeResult(List<ParseResult> processed, List<LeftAlone> leftAlone) {
    public IntakeResult {
        processed = List.copyOf(processed);
        leftAlone = List.copyOf(leftAlone);
    }

    /** Why an e-mail was left alone. */
    public enum Why {
        /** No ACTES message could be read from it (not a ministry mail, damaged, hostile). */
        UNREADABLE,
        /** Read, but about no acte of the journal (another collectivité, an acte sent without the connector). */
        NOT_IN_JOURNAL
    }

    /**
     * An e-mail not processed.
     *
     * @param reason French, one or more sentences: what was found and what to do
     */
    public record LeftAlone(String source, Optional<MailInfo> mail, String reason, Why why) {
        public LeftAlone {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(mail, "mail");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(why, "why");
        }
    }
}
