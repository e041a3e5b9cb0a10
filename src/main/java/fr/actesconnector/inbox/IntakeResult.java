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

    /** An e-mail not processed: no ACTES message, unreadable, or declined by the handler. */
    public record LeftAlone(String source, Optional<MailInfo> mail, String reason) {
        public LeftAlone {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(mail, "mail");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
