package fr.actesconnector.tdt;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/** The TdT answered {@code KO}: it read the request and refused it. Nothing was recorded. */
public class TdtRefusedException extends ActesException {
    private final String tdtMessage;

    public TdtRefusedException(String operation, String tdtMessage) {
        super(Reason.REFUSED, "Le TdT a refusé la demande (" + operation + ") : " + tdtMessage,
                "TdT answered KO to " + operation + ": " + tdtMessage);
        this.tdtMessage = tdtMessage;
    }

    /** The TdT's own words, HTML entities decoded. */
    public String tdtMessage() {
        return tdtMessage;
    }
}
