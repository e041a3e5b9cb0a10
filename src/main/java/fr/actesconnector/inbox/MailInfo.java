package fr.actesconnector.inbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Envelope of an e-mail the messages came in. */
public record MailInfo(Optional<String> subject, Optional<String> from, Optional<String> messageId,
                       Optional<Instant> sentDate) {
    public MailInfo {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sentDate, "sentDate");
    }
}
