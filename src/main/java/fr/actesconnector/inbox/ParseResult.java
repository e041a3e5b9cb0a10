package fr.actesconnector.inbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one input held: its ACTES messages (never empty), the other files, the e-mail it came in and,
 * for a TdT reply, the text that followed the XML.
 *
 * @param source      name of the input (file name, e-mail name)
 * @param replies     the ACTES messages, in the order found
 * @param attachments files that are not ACTES messages
 * @param mail        the e-mail, when the input was one
 * @param trailingText text after the message in a TdT status reply (S²LOW's anomaly message)
 */
public record ParseResult(String source, List<Reply> replies, List<Attachment> attachments, Optional<MailInfo> mail,
                          Optional<String> trailingText) {
    public ParseResult {
        Objects.requireNonNull(source, "source");
        replies = List.copyOf(replies);
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(trailingText, "trailingText");
    }

    /** The first message of {@code type}. */
    public Optional<Reply> first(MessageType type) {
        return replies.stream().filter(r -> r.type() == type).findFirst();
    }
}
