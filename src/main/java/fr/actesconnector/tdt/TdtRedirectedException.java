package fr.actesconnector.tdt;

/**
 * The TdT answered a script by a redirect to its web interface instead of an API reply: S²LOW's way of
 * refusing outside API mode (unknown id, no right), and of answering scripts without API mode at all.
 */
final class TdtRedirectedException extends TdtRefusedException {
    TdtRedirectedException(String operation, String path) {
        super(operation, "le TdT a renvoyé vers son interface web (" + path + ") au lieu de répondre : "
                + "identifiant inconnu, document absent ou droits insuffisants sur ce compte.");
    }
}
