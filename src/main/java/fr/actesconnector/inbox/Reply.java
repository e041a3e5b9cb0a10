package fr.actesconnector.inbox;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ACTES message as received: what it says, where it came from and its bytes for storage.
 * Fields a message kind does not carry are empty. Immutable.
 *
 * @param type               root element
 * @param sourceFile         name of the XML file (file, archive entry or attachment name)
 * @param idActe             {@code IDActe} of the message (attribute, or of {@code InfosCourrierPref})
 * @param dateReception      {@code DateReception} (ARActe, ARAnnulation, AR of answers)
 * @param dateCourrierPref   {@code DateCourrierPref} of a prefecture letter or the letter an AR answers
 * @param date               {@code Date} of an AnomalieActe / AnomalieEnveloppe
 * @param acte               the acte echoed in {@code ActeRecu} (ARActe, AnomalieActe) or the Acte itself
 * @param classificationDateVersionEnCours prefecture's classification version (ARActe, AnomalieActe)
 * @param dateClassification {@code DateClassification} of a classification message
 * @param anomalie           nature and detail of an anomaly
 * @param description        {@code DescriptionPieces} of a DemandePieceComplementaire
 * @param motif              {@code Motif} of a LettreObservations
 * @param natureIllegalite   {@code NatureIllegalite} of a DefereTA
 * @param dateDepot          {@code DateDepot} of a DefereTA
 * @param documents          names of the documents the message names (letter PDF, pièces jointes…)
 * @param emitter            prefecture emitter, from the message's envelope
 * @param siren              SIREN of the collectivité: envelope {@code Destinataire}, or the rejected
 *                           envelope's {@code IDCL} for an AnomalieEnveloppe
 * @param formulaires        message files an envelope lists in {@code FormulairesEnvoyes}
 * @param xml                the bytes as received
 */
public record Reply(
        MessageType type,
        String sourceFile,
        Optional<String> idActe,
        Optional<LocalDate> dateReception,
        Optional<LocalDate> dateCourrierPref,
        Optional<LocalDate> date,
        Optional<ActeRecu> acte,
        Optional<LocalDate> classificationDateVersionEnCours,
        Optional<LocalDate> dateClassification,
        Optional<Anomalie> anomalie,
        Optional<String> description,
        Optional<String> motif,
        Optional<String> natureIllegalite,
        Optional<LocalDate> dateDepot,
        List<String> documents,
        Optional<Emitter> emitter,
        Optional<String> siren,
        List<String> formulaires,
        RawXml xml) {

    /** {@code <IDActe>-<T>-<S>_<n>.xml}: the IDActe a message file name starts with. */
    private static final Pattern MESSAGE_FILE =
            Pattern.compile("^([09][0-9][0-9AB]-[0-9]{9}-[0-9]{8}-[A-Za-z0-9_]{1,15}-[A-Z]{2})-[0-9]-[0-9]_[0-9]+\\.xml$");

    public Reply {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(idActe, "idActe");
        Objects.requireNonNull(dateReception, "dateReception");
        Objects.requireNonNull(dateCourrierPref, "dateCourrierPref");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(acte, "acte");
        Objects.requireNonNull(classificationDateVersionEnCours, "classificationDateVersionEnCours");
        Objects.requireNonNull(dateClassification, "dateClassification");
        Objects.requireNonNull(anomalie, "anomalie");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(motif, "motif");
        Objects.requireNonNull(natureIllegalite, "natureIllegalite");
        Objects.requireNonNull(dateDepot, "dateDepot");
        documents = List.copyOf(documents);
        Objects.requireNonNull(emitter, "emitter");
        Objects.requireNonNull(siren, "siren");
        formulaires = List.copyOf(formulaires);
        Objects.requireNonNull(xml, "xml");
    }

    /**
     * What people should know about how the message was read, in French (one sentence each): today, that
     * its bytes did not match its declared encoding and were read in the one they are really in.
     */
    public List<String> warnings() {
        String encoding = xml.encoding().frenchWarning(sourceFile);
        return encoding.isEmpty() ? List.of() : List.of(encoding);
    }

    /** Root element name, e.g. {@code ARActe}. */
    public String rootName() {
        return type.rootName();
    }

    public Optional<String> numeroInterne() {
        return acte.flatMap(ActeRecu::numeroInterne);
    }

    public Optional<Integer> codeNatureActe() {
        return acte.flatMap(ActeRecu::codeNatureActe);
    }

    public Optional<String> objet() {
        return acte.flatMap(ActeRecu::objet);
    }

    /** The collectivité's SIREN: stated by an envelope, else read from the IDActe. */
    public Optional<String> collectiviteSiren() {
        if (siren.isPresent()) {
            return siren;
        }
        return idActe.filter(id -> id.length() > 13).map(id -> id.substring(4, 13));
    }

    /** How to find the acte this message is about. */
    public ActeMatch match() {
        if (idActe.isPresent()) {
            return new ActeMatch.ByIdActe(idActe.get());
        }
        if (type == MessageType.ANOMALIE_ACTE && acte.isPresent()
                && acte.get().numeroInterne().isPresent() && acte.get().date().isPresent()) {
            return new ActeMatch.ByActeIdentity(siren, acte.get().numeroInterne().get(), acte.get().date().get());
        }
        if (type == MessageType.ANOMALIE_ENVELOPPE) {
            List<String> ids = formulaires.stream()
                    .map(MESSAGE_FILE::matcher)
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .distinct()
                    .toList();
            if (!ids.isEmpty() || siren.isPresent()) {
                return new ActeMatch.ByEnvelopeForms(siren, ids);
            }
        }
        return new ActeMatch.None();
    }

    /** This reply with the emitter and recipient SIREN of the envelope it came with (kept if already set). */
    public Reply withEnvelope(Optional<Emitter> envelopeEmitter, Optional<String> envelopeSiren) {
        return new Reply(type, sourceFile, idActe, dateReception, dateCourrierPref, date, acte,
                classificationDateVersionEnCours, dateClassification, anomalie, description, motif, natureIllegalite,
                dateDepot, documents, emitter.or(() -> envelopeEmitter), siren.or(() -> envelopeSiren), formulaires, xml);
    }

    /**
     * The acte as the message echoes it ({@code ActeRecu}); every part may be missing in a damaged or
     * unusual message, so all are optional.
     */
    public record ActeRecu(Optional<LocalDate> date, Optional<String> numeroInterne, Optional<Integer> codeNatureActe,
                           Optional<String> objet, List<Integer> codesMatiere,
                           Optional<LocalDate> classificationDateVersion) {
        public ActeRecu {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(numeroInterne, "numeroInterne");
            Objects.requireNonNull(codeNatureActe, "codeNatureActe");
            Objects.requireNonNull(objet, "objet");
            codesMatiere = List.copyOf(codesMatiere);
            Objects.requireNonNull(classificationDateVersion, "classificationDateVersion");
        }

        /** Classification as written in the AR mail ({@code 1.4}); empty without codes. */
        public Optional<String> matiere() {
            if (codesMatiere.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder s = new StringBuilder();
            for (Integer code : codesMatiere) {
                if (s.length() > 0) s.append('.');
                s.append(code);
            }
            return Optional.of(s.toString());
        }
    }

    /** {@code Nature} (3 digits, kept as received, even outside the schema list) and {@code Detail}. */
    public record Anomalie(String nature, Optional<String> detail) {
        public Anomalie {
            Objects.requireNonNull(nature, "nature");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Emitter of a prefecture envelope: SGAR, préfecture or sous-préfecture. */
    public record Emitter(Kind kind, String departement, Optional<String> arrondissement) {
        public enum Kind { SGAR, PREFECTURE, SOUS_PREFECTURE }

        public Emitter {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(departement, "departement");
            Objects.requireNonNull(arrondissement, "arrondissement");
        }

        /** As in the ministry's envelope names: {@code SPREF0781}, {@code PREF078}, {@code SGAR078}. */
        public String code() {
            return switch (kind) {
                case SGAR -> "SGAR" + departement;
                case PREFECTURE -> "PREF" + departement;
                case SOUS_PREFECTURE -> "SPREF" + departement + arrondissement.orElse("");
            };
        }
    }
}
