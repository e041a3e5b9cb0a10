package fr.actesconnector.tdt;

/**
 * The TdT did not accept who we are: client certificate refused during the TLS handshake, no
 * account bound to it, wrong Basic login, or a redirect to its login page. Certain: nothing was
 * processed by the TdT.
 */
public class TdtAuthenticationException extends TdtUnavailableException {
    public TdtAuthenticationException(String userMessage, String logMessage, Throwable cause) {
        super(userMessage, logMessage, cause, false);
    }
}
