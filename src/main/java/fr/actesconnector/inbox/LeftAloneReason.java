package fr.actesconnector.inbox;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The French sentence for a mail whose messages the journal did not take: which acte, and what to do. */
final class LeftAloneReason {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private LeftAloneReason() {
    }

    /** {@code where}: what became of the mail, e.g. « courriel laissé de côté ». */
    static String notInJournal(ParseResult result, String where) {
        List<Reply> about = result.replies().stream().filter(r -> !r.type().isEnvelope()).toList();
        if (about.isEmpty()) about = result.replies();
        Set<String> sentences = new LinkedHashSet<>();
        for (Reply r : about) {
            sentences.add(sentence(r, where));
        }
        return String.join(" ", sentences);
    }

    private static String sentence(Reply r, String where) {
        String todo = r.collectiviteSiren().map(s -> " Vérifiez collectivite.siren dans la configuration (ce message concerne"
                + " le SIREN " + s + ")").orElse(" Vérifiez collectivite.siren dans la configuration")
                + " ; si l'acte a été transmis sans le connecteur, suivez-le sur le TdT.";
        ActeMatch match = r.match();
        if (match instanceof ActeMatch.ByIdActe m) {
            return "Acte " + m.idActe() + " inconnu du journal : " + where + "." + todo;
        }
        if (match instanceof ActeMatch.ByActeIdentity m) {
            return "Acte n° " + m.numeroInterne() + " du " + DAY.format(m.decisionDate()) + " inconnu du journal ("
                    + r.rootName() + ") : " + where + "." + todo;
        }
        if (match instanceof ActeMatch.ByEnvelopeForms m && !m.idActes().isEmpty()) {
            return (m.idActes().size() == 1 ? "Acte " : "Actes ") + String.join(", ", m.idActes())
                    + (m.idActes().size() == 1 ? " inconnu" : " inconnus") + " du journal (" + r.rootName() + ") : "
                    + where + "." + todo;
        }
        Optional<String> siren = r.collectiviteSiren();
        return "Le message " + r.rootName() + " ne désigne aucun acte du journal" + siren.map(s -> " (SIREN " + s + ")")
                .orElse("") + " : " + where + ".";
    }
}
