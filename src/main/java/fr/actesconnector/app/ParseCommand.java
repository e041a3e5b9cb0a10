package fr.actesconnector.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.actesconnector.inbox.Attachment;
import fr.actesconnector.inbox.MessageParser;
import fr.actesconnector.inbox.MessageType;
import fr.actesconnector.inbox.ParseResult;
import fr.actesconnector.inbox.Reply;
import fr.actesconnector.model.ActesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code parse FICHIER [--json]}: reads a message received from the prefecture (XML, .tar.gz, .eml or
 * TdT reply) and prints what it says. The JSON keys and the exit codes are relied on by scripts.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Lit un message reçu de la préfecture (fichier XML, archive .tar.gz, e-mail .eml ou réponse du TdT)"
                + " et affiche son contenu.")
public final class ParseCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseCommand.class);
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    @Parameters(index = "0", paramLabel = "FICHIER", description = "Fichier reçu : .xml, .tar.gz, .eml ou réponse du TdT.")
    Path file;

    @Option(names = "--json", description = "Affiche un tableau JSON, un objet par message ACTES trouvé.")
    boolean json;

    @Option(names = "--pieces", paramLabel = "DOSSIER",
            description = "Enregistre dans ce dossier les pièces jointes (courriers PDF…) trouvées.")
    Path attachmentDir;

    @Spec
    CommandSpec spec;

    private final MessageParser parser;

    public ParseCommand() {
        this(new MessageParser());
    }

    public ParseCommand(MessageParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParseResult result;
        try {
            result = parser.parse(file, Optional.ofNullable(attachmentDir));
        } catch (ActesException e) {
            err.println(e.userMessage());
            err.flush();
            LOG.debug("{}", e.getMessage(), e);
            return ExitCodes.of(e.reason());
        }
        out.print(json ? toJson(result) : summary(result));
        out.flush();
        return ExitCodes.OK;
    }

    /** The JSON array printed by {@code --json}: one object per message, absent values as null. */
    public static String toJson(ParseResult result) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (Reply r : result.replies()) {
            ObjectNode o = array.addObject();
            o.put("type", r.rootName());
            o.put("idActe", r.idActe().orElse(null));
            o.put("dateReception", iso(r.dateReception()));
            o.put("numeroInterne", r.numeroInterne().orElse(null));
            o.put("codeNatureActe", r.codeNatureActe().orElse(null));
            o.put("objet", r.objet().orElse(null));
            o.put("classificationDateVersionEnCours", iso(r.classificationDateVersionEnCours()));
            if (r.anomalie().isPresent()) {
                ObjectNode a = o.putObject("anomalie");
                a.put("nature", r.anomalie().get().nature());
                a.put("detail", r.anomalie().get().detail().orElse(null));
            } else {
                o.putNull("anomalie");
            }
            o.put("dateCourrierPref", iso(r.dateCourrierPref()));
            o.put("sourceFile", r.sourceFile());
            o.put("dateActe", iso(r.acte().flatMap(Reply.ActeRecu::date)));
            o.put("matiere", r.acte().flatMap(Reply.ActeRecu::matiere).orElse(null));
            if (r.acte().isPresent()) {
                ArrayNode levels = o.putArray("classification");
                r.acte().get().codesMatiere().forEach(levels::add);
            } else {
                o.putNull("classification");
            }
            o.put("classificationDateVersion", iso(r.acte().flatMap(Reply.ActeRecu::classificationDateVersion)));
            o.put("date", iso(r.date()));
            o.put("dateClassification", iso(r.dateClassification()));
            o.put("siren", r.collectiviteSiren().orElse(null));
            o.put("emetteur", r.emitter().map(Reply.Emitter::code).orElse(null));
            o.put("description", r.description().orElse(null));
            o.put("motif", r.motif().orElse(null));
            o.put("natureIllegalite", r.natureIllegalite().orElse(null));
            o.put("dateDepot", iso(r.dateDepot()));
            ArrayNode docs = o.putArray("documents");
            r.documents().forEach(docs::add);
            o.put("container", result.source().equals(r.sourceFile()) ? null : result.source());
            ArrayNode warnings = o.putArray("avertissements");
            r.warnings().forEach(warnings::add);
        }
        try {
            return mapper.writeValueAsString(array) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** A readable French account of the messages, for the secretariat. */
    public static String summary(ParseResult result) {
        StringBuilder s = new StringBuilder();
        s.append(result.source()).append(" : ").append(result.replies().size())
                .append(result.replies().size() > 1 ? " messages ACTES" : " message ACTES").append('\n');
        result.mail().ifPresent(m -> {
            m.from().ifPresent(f -> s.append("  E-mail de : ").append(f).append('\n'));
            m.subject().ifPresent(t -> s.append("  Objet de l'e-mail : ").append(t).append('\n'));
        });
        for (Reply r : result.replies()) {
            s.append('\n').append(label(r.type())).append(" (").append(r.rootName()).append(", fichier ")
                    .append(r.sourceFile()).append(")\n");
            line(s, "Identifiant de l'acte", r.idActe());
            line(s, "Date de réception", r.dateReception().map(FRENCH_DATE::format));
            line(s, "Date du courrier de la préfecture", r.dateCourrierPref().map(FRENCH_DATE::format));
            line(s, "Date", r.date().map(FRENCH_DATE::format));
            line(s, "Numéro de l'acte", r.numeroInterne());
            line(s, "Date de la décision", r.acte().flatMap(Reply.ActeRecu::date).map(FRENCH_DATE::format));
            line(s, "Code nature de l'acte", r.codeNatureActe().map(String::valueOf));
            line(s, "Matière", r.acte().flatMap(Reply.ActeRecu::matiere));
            line(s, "Objet", r.objet());
            line(s, "Version de la classification utilisée",
                    r.acte().flatMap(Reply.ActeRecu::classificationDateVersion).map(FRENCH_DATE::format));
            line(s, "Classification en vigueur", r.classificationDateVersionEnCours().map(FRENCH_DATE::format));
            outdatedClassification(r).ifPresent(t -> line(s, "À faire", Optional.of(t)));
            line(s, "Date de classification", r.dateClassification().map(FRENCH_DATE::format));
            r.anomalie().ifPresent(a -> line(s, "Anomalie", Optional.of(a.nature() + a.detail().map(d -> " - " + d).orElse(""))));
            line(s, "Pièces demandées", r.description());
            line(s, "Motif", r.motif());
            line(s, "Nature de l'illégalité", r.natureIllegalite());
            line(s, "Date de dépôt au tribunal", r.dateDepot().map(FRENCH_DATE::format));
            line(s, "Émetteur", r.emitter().map(Reply.Emitter::code));
            line(s, "SIREN de la collectivité", r.collectiviteSiren());
            if (!r.documents().isEmpty()) line(s, "Documents", Optional.of(String.join(", ", r.documents())));
        }
        if (!result.attachments().isEmpty()) {
            s.append("\nAutres fichiers :\n");
            for (Attachment a : result.attachments()) {
                s.append("  ").append(a.name()).append(" (").append(a.size()).append(" octets")
                        .append(a.savedAs().map(p -> ", enregistré dans " + p).orElse("")).append(")\n");
            }
        }
        result.trailingText().ifPresent(t -> s.append("\nMessage du TdT : ").append(t).append('\n'));
        result.replies().stream().flatMap(r -> r.warnings().stream())
                .forEach(w -> s.append("\nAttention : ").append(w).append('\n'));
        return s.toString();
    }

    /**
     * For a refused acte whose classification version is not the prefecture's (the usual anomaly 002),
     * what to do; empty otherwise.
     */
    static Optional<String> outdatedClassification(Reply r) {
        Optional<LocalDate> sent = r.acte().flatMap(Reply.ActeRecu::classificationDateVersion);
        Optional<LocalDate> current = r.classificationDateVersionEnCours();
        if (r.type() != MessageType.ANOMALIE_ACTE || sent.isEmpty() || current.isEmpty() || sent.equals(current)) {
            return Optional.empty();
        }
        return Optional.of("l'acte a été envoyé avec la classification du " + FRENCH_DATE.format(sent.get())
                + ", la préfecture applique celle du " + FRENCH_DATE.format(current.get())
                + " : mettez la classification à jour (tdt classification --update), puis transmettez l'acte"
                + " de nouveau sous un nouveau numéro.");
    }

    private static void line(StringBuilder s, String label, Optional<String> value) {
        value.ifPresent(v -> s.append("  ").append(label).append(" : ").append(v).append('\n'));
    }

    private static String iso(Optional<LocalDate> date) {
        return date.map(LocalDate::toString).orElse(null);
    }

    static String label(MessageType type) {
        return switch (type) {
            case ACTE -> "Acte transmis";
            case AR_ACTE -> "Accusé de réception de l'acte";
            case ANOMALIE_ACTE -> "Anomalie : l'acte a été refusé";
            case COURRIER_SIMPLE -> "Courrier simple de la préfecture";
            case REPONSE_COURRIER_SIMPLE -> "Réponse à un courrier simple";
            case DEMANDE_PIECE_COMPLEMENTAIRE -> "Demande de pièces complémentaires";
            case AR_DEMANDE_PIECE_COMPLEMENTAIRE -> "Accusé de réception de la demande de pièces";
            case REFUS_PIECE_COMPLEMENTAIRE -> "Refus de fournir les pièces complémentaires";
            case PIECE_COMPLEMENTAIRE -> "Envoi de pièces complémentaires";
            case AR_PIECE_COMPLEMENTAIRE -> "Accusé de réception des pièces complémentaires";
            case LETTRE_OBSERVATIONS -> "Lettre d'observations";
            case AR_LETTRE_OBSERVATIONS -> "Accusé de réception de la lettre d'observations";
            case REJET_LETTRE_OBSERVATIONS -> "Rejet de la lettre d'observations";
            case REPONSE_LETTRE_OBSERVATIONS -> "Réponse à la lettre d'observations";
            case AR_REPONSE_REJET_LETTRE_OBSERVATIONS -> "Accusé de réception de la réponse à la lettre d'observations";
            case DEFERE_TA -> "Déféré au tribunal administratif";
            case ANNULATION -> "Demande d'annulation de la transmission";
            case AR_ANNULATION -> "Accusé de réception de l'annulation";
            case DEMANDE_CLASSIFICATION -> "Demande de classification";
            case RETOUR_CLASSIFICATION -> "Classification de la préfecture";
            case REPONSE_CLASSIFICATION_SANS_CHANGEMENT -> "Classification inchangée";
            case ENVELOPPE_CL_MISILL -> "Enveloppe de la collectivité";
            case ENVELOPPE_MISILL_CL -> "Enveloppe de la préfecture";
            case ANOMALIE_ENVELOPPE -> "Anomalie : l'enveloppe a été refusée";
        };
    }
}
