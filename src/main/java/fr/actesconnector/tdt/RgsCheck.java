package fr.actesconnector.tdt;

/** Answer of {@code test-rgs.php}: whether the TLS client certificate is accepted for transmission. */
public record RgsCheck(boolean rgs, String message) {
}
