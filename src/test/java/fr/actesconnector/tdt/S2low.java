package fr.actesconnector.tdt;

import fr.actesconnector.model.IdActe;
import java.util.Set;

/**
 * An S²LOW to hold the contract against ({@link S2lowContract}). The {@code will…} methods say what
 * S²LOW will answer next: WireMock stubs S²LOW's bytes for it; the simulator does it for real and
 * ignores them.
 */
interface S2low extends AutoCloseable {
    /**
     * @param maxRequestBytes  the web server's body limit (Apache LimitRequestBody); 0 for the default
     * @param arActeBefore5047 get_ARActe.php as before S²LOW 5.0.47 (a redirect, no API mode)
     */
    record Options(long maxRequestBytes, boolean arActeBefore5047) {
        static final Options DEFAULT = new Options(0, false);
    }

    /** The account bound to the client certificate, with the TT (télétransmission) right. */
    TdtClient client();

    /** An account sharing the certificate, with the CS right only (HTTP Basic picks it). */
    TdtClient csClient();

    /** Posts {@code submission} with {@link #client()} and brings it to status 4 (ARActe received). */
    long acknowledgedActe(TdtSubmission submission, IdActe idActe) throws Exception;

    /** The prefecture sends a letter of {@code type} (2, 3, 4 or 5) about the acknowledged acte. */
    long issueLetter(long acteTransaction, int type) throws Exception;

    /** Reads the status until it is one of {@code codes} (the simulator moves on as it is polled). */
    StatusReport awaitStatus(long transaction, Set<Integer> codes);

    /** The text of {@code Signature} of file {@code index} (1 document, 2… annexes) in the message S²LOW built. */
    String signatureInMessage(long transaction, int index) throws Exception;

    default void willCreate(String number) {
    }

    default void willHold(String number) {
    }

    default void willRefuseTypologyLater(String number, String typologie) {
    }

    default void willCancel(long acteTransaction) {
    }

    default void willAnswer(long letterTransaction) {
    }

    default void willRefuseBody() {
    }

    @Override
    void close();
}
