package fr.actesconnector.app.web;

import java.time.format.DateTimeFormatter;
import java.util.Optional;

import fr.actesconnector.inbox.MessageParser;
import fr.actesconnector.inbox.MessageType;
import fr.actesconnector.inbox.Reply;
import fr.actesconnector.journal.Anomaly;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ReplyKind;

/** Plain French for the secretariat: where an acte stands, what an anomaly means, the letters and their answers. */
final class Plain {
    private Plain() {
    }

    /** The state as a sentence a secretary understands; the journal's short label stays in the history. */
    static String state(TransmissionState state) {
        return switch (state) {
            case PREPARED -> "Préparé, pas encore envoyé";
            case POSTING -> "Envoi au TdT en cours";
            case HELD -> "En attente de validation sur le TdT par un agent télétransmetteur";
            case POSTED -> "Reçu par le TdT, en cours de vérification";
            case VALIDATED -> "En attente de transmission à la préfecture";
            case TRANSMITTED -> "Transmis à la préfecture, accusé de réception attendu";
            case ACKNOWLEDGED -> "Accusé de réception reçu";
            case CANCEL_REQUESTED -> "Annulation demandée";
            case CANCELLED -> "Annulé";
            case ERROR -> "En erreur";
            case REJECTED -> "Rejeté par la préfecture";
        };
    }

    /** What the secretariat should do about the state, when anything. */
    static String advice(TransmissionState state) {
        return switch (state) {
            case ERROR, REJECTED -> "Corrigez l'acte puis transmettez-le de nouveau sous un nouveau numéro : "
                    + "le TdT n'accepte jamais deux fois le même numéro.";
            case HELD -> "Le compte TdT du connecteur peut déposer mais pas télétransmettre : un agent télétransmetteur "
                    + "doit valider l'envoi sur le TdT (ou « tdt confirm », ou tdt.confirm-held=true avec son compte).";
            case POSTING -> "Si cet état dure, le connecteur vérifiera auprès du TdT si l'envoi est arrivé : ne le "
                    + "transmettez pas une deuxième fois.";
            default -> "";
        };
    }

    static String anomaly(Anomaly a) {
        String detail = a.detail().isBlank() ? "" : " (détail donné par la préfecture : « " + a.detail().trim() + " »)";
        String sent = a.rawXml().map(Plain::sentClassification).orElse("");
        if ("002".equals(a.nature().trim())) {
            return "La préfecture a refusé l'acte parce que la classification utilisée n'était plus à jour (anomalie 002)"
                    + detail + "." + sent + " Mettez à jour la classification (tdt classification --update), puis transmettez "
                    + "l'acte de nouveau sous un nouveau numéro.";
        }
        return "La préfecture a refusé l'acte (anomalie " + a.nature().trim() + ")" + detail + "." + sent
                + " Corrigez ce qui est signalé, puis transmettez l'acte de nouveau sous un nouveau numéro.";
    }

    /** What the refused acte carried (every classification level, its version) against the prefecture's version. */
    private static String sentClassification(String anomalyXml) {
        Optional<Reply> r;
        try {
            r = new MessageParser().parseText(anomalyXml, "anomalie.xml").first(MessageType.ANOMALIE_ACTE);
        } catch (ActesException e) {
            return ""; // an AnomalieEnveloppe, or a message kept by an older version: the detail says enough
        }
        Optional<Reply.ActeRecu> acte = r.flatMap(Reply::acte);
        if (acte.isEmpty() || acte.get().matiere().isEmpty()) return "";
        DateTimeFormatter day = DateTimeFormatter.ofPattern("dd/MM/yyyy");
        return " Classification envoyée : " + acte.get().matiere().get()
                + acte.get().classificationDateVersion().map(d -> ", version du " + day.format(d)).orElse("")
                + r.get().classificationDateVersionEnCours().map(d -> " ; version en vigueur à la préfecture : "
                + day.format(d)).orElse("") + ".";
    }

    /** How the acte was made known: {@code publication} (or display) or {@code notification}. */
    static String publicationMode(String mode) {
        return "notification".equals(mode) ? "notifié aux personnes intéressées" : "publié ou affiché";
    }

    /** The letter's type as the secretariat names it, with its message code. */
    static String letterType(Letters.Letter letter) {
        return switch (letter.letterType()) {
            case 2 -> "Courrier simple (2-1)";
            case 3 -> "Demande de pièces complémentaires (3-1)";
            case 4 -> "Lettre d'observations (4-1)";
            case 5 -> "Déféré au tribunal administratif (5-1)";
            default -> "Courrier de la préfecture (" + letter.type() + ")";
        };
    }

    /** What the letter's text is: DescriptionPieces, Motif or NatureIllegalite. */
    static String letterText(Letters.Letter letter) {
        return switch (letter.letterType()) {
            case 3 -> "Pièces demandées";
            case 4 -> "Motif";
            case 5 -> "Nature de l'illégalité";
            default -> "Texte";
        };
    }

    /** Where the town's answer stands. */
    static String answerState(Letters.AnswerState state) {
        return switch (state) {
            case PREPARED -> "Préparée, pas encore envoyée";
            case POSTING -> "Envoi au TdT en cours";
            case POSTED -> "Reçue par le TdT";
            case TRANSMITTED -> "Transmise à la préfecture";
            case ACKNOWLEDGED -> "Accusé de réception reçu";
            case ERROR -> "En erreur";
        };
    }

    /** The kind of answer, from the journal's word ({@code pieces}…), with its message code. */
    static String answerKind(String word) {
        return ReplyKind.parse(word).map(k -> k.label() + " (" + k.messageCode() + ")").orElse(word);
    }
}
