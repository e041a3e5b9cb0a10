package fr.actesconnector.inbox;

import fr.actesconnector.protocol.UnreadableMessageException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ministry's returns saved as {@code .eml} files ({@code inbox --eml FICHIER…}): same handling as
 * {@link ImapInbox}, the files themselves left untouched.
 */
public final class EmlInbox {
    private final MessageParser parser;
    private final Optional<Path> attachmentRoot;

    public EmlInbox(MessageParser parser, Optional<Path> attachmentRoot) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.attachmentRoot = Objects.requireNonNull(attachmentRoot, "attachmentRoot");
    }

    public IntakeResult ingest(List<Path> files, ReplyHandler handler) {
        Objects.requireNonNull(handler, "handler");
        List<ParseResult> processed = new ArrayList<>();
        List<IntakeResult.LeftAlone> left = new ArrayList<>();
        for (Path file : files) {
            String name = String.valueOf(file.getFileName());
            Optional<Path> dir = ImapInbox.freshDir(attachmentRoot, MessageParser.safeFileName(name) + "-");
            ParseResult result;
            try {
                result = parser.parse(file, dir);
            } catch (UnreadableMessageException e) {
                left.add(new IntakeResult.LeftAlone(name, Optional.empty(), e.userMessage(), IntakeResult.Why.UNREADABLE));
                continue;
            }
            boolean accepted = false;
            try {
                accepted = handler.handle(result);
            } finally {
                if (!accepted) dir.ifPresent(ImapInbox::deleteTreeQuietly);
            }
            if (accepted) {
                processed.add(result);
            } else {
                left.add(new IntakeResult.LeftAlone(name, result.mail(),
                        LeftAloneReason.notInJournal(result, "courriel laissé de côté"), IntakeResult.Why.NOT_IN_JOURNAL));
            }
        }
        return new IntakeResult(processed, left);
    }
}
