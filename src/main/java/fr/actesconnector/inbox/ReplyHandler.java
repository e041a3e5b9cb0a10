package fr.actesconnector.inbox;

/**
 * Receives the messages of one e-mail. Returns {@code true} once they are safely recorded (the mail is
 * then moved to the processed folder), {@code false} when they are about no acte of its journal (the mail stays
 * and is reported, naming the acte). Throws when recording failed (journal down): intake stops and the mail stays, to be
 * handled again at the next round — so handling must be idempotent (the journal keys on IDActe).
 */
@FunctionalInterface
public interface ReplyHandler {
    boolean handle(ParseResult messages);
}
