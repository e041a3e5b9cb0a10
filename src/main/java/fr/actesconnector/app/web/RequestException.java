package fr.actesconnector.app.web;

import java.util.Set;

/** A request refused with an HTTP status and a French title and message for the error page. */
final class RequestException extends RuntimeException {
    final int status;
    final String title;
    /** For a 405: the methods the page accepts (the Allow header). */
    final Set<String> allowed;

    RequestException(int status, String title, String message) {
        this(status, title, message, Set.of());
    }

    private RequestException(int status, String title, String message, Set<String> allowed) {
        super(message);
        this.status = status;
        this.title = title;
        this.allowed = Set.copyOf(allowed);
    }

    static RequestException notFound() {
        return new RequestException(404, "Page introuvable", "Cette page n'existe pas.");
    }

    static RequestException noFile() {
        return new RequestException(404, "Document introuvable",
                "Ce document n'est pas (ou plus) disponible pour cet acte.");
    }

    static RequestException methodNotAllowed() {
        return new RequestException(405, "Action impossible", "Cette action n'est pas possible sur cette page.");
    }

    /** 405 with the methods the page accepts, sent as the Allow header. */
    static RequestException methodNotAllowed(Set<String> allowed) {
        return new RequestException(405, "Action impossible", "Cette action n'est pas possible sur cette page.", allowed);
    }

    /** The session's CSRF token is missing from the form or is not this session's. */
    static RequestException csrf() {
        return new RequestException(403, "Formulaire expiré", "Le formulaire a expiré ou ne vient pas de cette page "
                + "(jeton de sécurité absent ou incorrect) : rechargez la page, puis recommencez.");
    }
}
