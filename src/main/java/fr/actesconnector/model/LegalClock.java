package fr.actesconnector.model;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The legal clock of one acte ("le calendrier légal"), INDICATIVE: from the facts the journal holds
 * (reception in prefecture, publication or notification, the prefecture's letters and the town's
 * answers) it computes the date the acte became exécutoire, the last day the préfet may refer it to
 * the administrative tribunal (déféré préfectoral), and the third parties' deadlines, each with the
 * rule and its source in French. Only the administrative judge decides on time limits: the dates are
 * a guide for the secretariat, recomputed from the journal and never stored.
 *
 * <p>A pure function of {@link Facts}: no clock is read; "today" is a fact like the others and only
 * changes the wording (expired or not, answer still possible), never a computed date.
 *
 * <p>"Two months after D" is {@code D.plusMonths(2)} throughout (date to date, the end of month
 * clamped): neither the délai franc nor the extension of a deadline ending on a weekend or a public
 * holiday is applied, and a note says so.
 */
public final class LegalClock {
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private static final String CGCT_L2131_1 = "CGCT art. L.2131-1";
    private static final String CGCT_L2131_6 = "CGCT art. L.2131-6";
    private static final String CGCT_L2131_8 = "CGCT art. L.2131-8";
    private static final String CJA_R421_1 = "CJA art. R.421-1";
    private static final String PIECES_SOURCE =
            "CGCT art. L.2131-6 et jurisprudence du Conseil d'État sur la demande de pièces";
    private static final String RECOURS_GRACIEUX_SOURCE =
            "CE, 18 avril 1986, Commissaire de la République d'Ille-et-Vilaine";
    private static final String EXPLANATIONS_SOURCE = "CE, 15 mai 2013, n° 357031";

    static final String MISSING_RECEPTION = "la date de réception en préfecture (accusé de réception)";
    static final String MISSING_PUBLICATION = "la date de publication ou de notification";

    private LegalClock() {
    }

    /** The published or notified side of the acte: its date and how it was made known. */
    public record Publication(LocalDate date, Mode mode) {
        public enum Mode {
            /** Published or posted (publié, affiché): actes réglementaires. */
            PUBLICATION,
            /** Notified to the persons concerned (notifié aux intéressés): individual decisions. */
            NOTIFICATION
        }

        public Publication {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** The town's answer to a prefecture letter. */
    public record Answer(AnswerKind kind, LocalDate sentOn, Optional<LocalDate> receivedOn) {
        public enum AnswerKind {
            /** The town sent what was asked (pieces, or its answer to the observations). */
            SENT,
            /** The town refused (to send the pieces, to withdraw or change the acte). */
            REFUSED
        }

        /**
         * @param sentOn     the day the town sent its answer
         * @param receivedOn the prefecture's reception of the answer (DateReception of the AR 3-5 or 4-5), once known
         */
        public Answer {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sentOn, "sentOn");
            Objects.requireNonNull(receivedOn, "receivedOn");
        }

        /** Sent, and acknowledged by the prefecture on {@code receivedOn}. */
        public static Answer sent(LocalDate sentOn, LocalDate receivedOn) {
            return new Answer(AnswerKind.SENT, sentOn, Optional.of(receivedOn));
        }

        /** Sent, the prefecture's acknowledgement not yet known. */
        public static Answer sent(LocalDate sentOn) {
            return new Answer(AnswerKind.SENT, sentOn, Optional.empty());
        }

        /** Refused by the town on {@code sentOn}. */
        public static Answer refused(LocalDate sentOn) {
            return new Answer(AnswerKind.REFUSED, sentOn, Optional.empty());
        }
    }

    /**
     * A letter from the prefecture about the acte.
     *
     * @param date            its DateCourrierPref
     * @param recoursGracieux for a {@link Kind#LETTRE_OBSERVATIONS}: whether it asks the town to withdraw or change
     *                        the acte (a recours gracieux), rather than merely asking for explanations; ignored for
     *                        the other kinds
     * @param answer          the town's answer, if any
     */
    public record Letter(Kind kind, LocalDate date, boolean recoursGracieux, Optional<Answer> answer) {
        public enum Kind {
            /** 2-1, courrier simple. */
            COURRIER_SIMPLE,
            /** 3-1, demande de pièces complémentaires. */
            DEMANDE_PIECES,
            /** 4-1, lettre d'observations. */
            LETTRE_OBSERVATIONS,
            /** 5-1, déféré au tribunal administratif. */
            DEFERE
        }

        public Letter {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(answer, "answer");
        }

        /** A letter without answer; a lettre d'observations is taken as asking to withdraw or change the acte. */
        public static Letter of(Kind kind, LocalDate date) {
            return new Letter(kind, date, true, Optional.empty());
        }

        public Letter answeredBy(Answer a) {
            return new Letter(kind, date, recoursGracieux, Optional.of(a));
        }

        /** The same letter asking only for explanations, not to withdraw or change the acte. */
        public Letter explanationsOnly() {
            return new Letter(kind, date, false, answer);
        }
    }

    /**
     * What the journal knows of one acte.
     *
     * @param today the day the clock is read; it only changes the wording, never a date
     */
    public record Facts(Optional<LocalDate> dateReception, Optional<Publication> publication, List<Letter> letters,
                        boolean cancelled, LocalDate today) {
        public Facts {
            Objects.requireNonNull(dateReception, "dateReception");
            Objects.requireNonNull(publication, "publication");
            letters = List.copyOf(Objects.requireNonNull(letters, "letters"));
            Objects.requireNonNull(today, "today");
        }

        /** Nothing known yet, read on {@code today}. */
        public static Facts asOf(LocalDate today) {
            return new Facts(Optional.empty(), Optional.empty(), List.of(), false, today);
        }

        /** With the ARActe's DateReception. */
        public Facts receivedOn(LocalDate date) {
            return new Facts(Optional.of(date), publication, letters, cancelled, today);
        }

        public Facts publishedOn(LocalDate date) {
            return new Facts(dateReception, Optional.of(new Publication(date, Publication.Mode.PUBLICATION)),
                    letters, cancelled, today);
        }

        public Facts notifiedOn(LocalDate date) {
            return new Facts(dateReception, Optional.of(new Publication(date, Publication.Mode.NOTIFICATION)),
                    letters, cancelled, today);
        }

        public Facts withLetter(Letter letter) {
            List<Letter> more = new ArrayList<>(letters);
            more.add(Objects.requireNonNull(letter, "letter"));
            return new Facts(dateReception, publication, more, cancelled, today);
        }

        public Facts withCancelled(boolean isCancelled) {
            return new Facts(dateReception, publication, letters, isCancelled, today);
        }
    }

    /**
     * The clock of one acte; every French text is indicative.
     *
     * @param executoire                the day the acte became exécutoire, once both dates are known
     * @param executoireMissing         what is still missing for it, in French (empty once exécutoire)
     * @param defere                    whether the préfet referred the acte to the tribunal (a 5-1)
     * @param defereJusquau             the last day of the préfet's window; empty when suspended, not started or moot
     * @param defereRule                a French sentence: which rule gave that day, or why there is none
     * @param recoursTiersJusquau       the last day for third parties to go to the tribunal
     * @param demandeDefereTiersJusquau the last day for third parties to ask the préfet to refer the acte
     * @param notes                     French notes: sources, caveats, letters without effect
     * @param summary                   a French one-liner for a list row
     */
    public record Result(Optional<LocalDate> executoire, List<String> executoireMissing, boolean defere,
                         Optional<LocalDate> defereJusquau, String defereRule, Optional<LocalDate> recoursTiersJusquau,
                         Optional<LocalDate> demandeDefereTiersJusquau, List<String> notes, String summary) {
        public Result {
            Objects.requireNonNull(executoire, "executoire");
            executoireMissing = List.copyOf(executoireMissing);
            Objects.requireNonNull(defereJusquau, "defereJusquau");
            Objects.requireNonNull(defereRule, "defereRule");
            Objects.requireNonNull(recoursTiersJusquau, "recoursTiersJusquau");
            Objects.requireNonNull(demandeDefereTiersJusquau, "demandeDefereTiersJusquau");
            notes = List.copyOf(notes);
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** The clock of the acte these facts describe. */
    public static Result compute(Facts facts) {
        Objects.requireNonNull(facts, "facts");
        List<String> notes = new ArrayList<>();

        // Rule 1 (CGCT art. L.2131-1): exécutoire once transmitted to the prefecture AND published or notified,
        // i.e. on the later of the two dates.
        List<String> missing = new ArrayList<>();
        if (facts.dateReception().isEmpty()) missing.add(MISSING_RECEPTION);
        if (facts.publication().isEmpty()) missing.add(MISSING_PUBLICATION);
        Optional<LocalDate> executoire = Optional.empty();
        if (missing.isEmpty()) {
            LocalDate reception = facts.dateReception().get();
            Publication publication = facts.publication().get();
            executoire = Optional.of(reception.isAfter(publication.date()) ? reception : publication.date());
            notes.add("Exécutoire à la plus tardive des deux dates, réception en préfecture (" + fr(reception)
                    + ") et " + word(publication.mode()) + " (" + fr(publication.date()) + ") ("
                    + CGCT_L2131_1 + ").");
        }

        Window window = defereWindow(facts, notes);
        String rule = facts.cancelled() ? "acte annulé : " + window.rule() : window.rule();
        if (window.end().isPresent()) {
            notes.add("La date limite du déféré est la fin des deux mois, comptés de date à date, sans délai franc "
                    + "ni report au jour ouvrable suivant : elle est indicative (" + CGCT_L2131_6 + ").");
        }

        // Rule 7, third parties. CJA art. R.421-1: two months after publication or notification to go to the
        // tribunal; CGCT art. L.2131-8: two months after the acte became exécutoire to ask the préfet to refer it.
        Optional<LocalDate> recoursTiers = facts.publication().map(p -> twoMonthsAfter(p.date()));
        facts.publication().ifPresent(p -> notes.add("Recours des tiers devant le tribunal administratif : jusqu'au "
                + fr(twoMonthsAfter(p.date())) + ", deux mois après la " + word(p.mode()) + " du " + fr(p.date())
                + " (" + CJA_R421_1 + "), indicatif."));
        Optional<LocalDate> demandeDefereTiers = executoire.map(LegalClock::twoMonthsAfter);
        executoire.ifPresent(e -> notes.add("Demande de déféré adressée au préfet par un tiers : jusqu'au "
                + fr(twoMonthsAfter(e)) + ", deux mois après que l'acte est devenu exécutoire (" + CGCT_L2131_8
                + "), indicatif."));

        String summary = summary(facts, executoire, missing, window);
        return new Result(executoire, missing, window.state() == State.DEFERE, window.end(), rule, recoursTiers,
                demandeDefereTiers, notes, summary);
    }

    /** Where the préfet's window stands after the letters read so far. */
    private enum State { NOT_STARTED, OPEN, SUSPENDED, DEFERE }

    /** The préfet's window: its last day when {@code OPEN}, and the French rule that explains it. */
    private record Window(State state, Optional<LocalDate> end, String rule) {
        static Window open(LocalDate from, String rule) {
            return new Window(State.OPEN, Optional.of(twoMonthsAfter(from)), rule);
        }

        /** Whether a letter of this date falls within the window: on or before its last day (rule 5). */
        boolean covers(LocalDate date) {
            return state == State.OPEN && !date.isAfter(end.get());
        }

        /**
         * The window restarted for two months from {@code from}. A restart never shortens it: a letter written
         * while a request for pieces was pending may be answered before the pieces reached the prefecture.
         */
        Window restartedFrom(LocalDate from, String newRule) {
            Window restarted = open(from, newRule);
            return state == State.OPEN && restarted.end.get().isBefore(end.get()) ? this : restarted;
        }
    }

    private static Window defereWindow(Facts facts, List<String> notes) {
        // Rule 2 (CGCT art. L.2131-6): the préfet may refer the acte to the tribunal within two months of its
        // reception in prefecture.
        Window window = facts.dateReception()
                .map(r -> Window.open(r, "deux mois après la réception en préfecture du " + fr(r)
                        + " (" + CGCT_L2131_6 + ")"))
                .orElse(new Window(State.NOT_STARTED, Optional.empty(), "délai non commencé : il court à compter "
                        + "de la réception en préfecture, encore inconnue (" + CGCT_L2131_6 + ")"));

        List<Letter> letters = facts.letters().stream().sorted(Comparator.comparing(Letter::date)).toList();
        if (letters.stream().anyMatch(l -> l.kind() == Letter.Kind.LETTRE_OBSERVATIONS)) {
            notes.add("Seule une lettre d'observations qui demande de retirer ou de modifier l'acte (recours gracieux) "
                    + "prolonge le délai du déféré ; une simple demande d'explications ne le prolonge pas ("
                    + EXPLANATIONS_SOURCE + ").");
        }
        // Rules 3 to 6, in date order: each restart is the window later letters are judged against.
        for (Letter letter : letters) {
            switch (letter.kind()) {
                case DEFERE -> {
                    return referredToTribunal(window, letter, notes);
                }
                case DEMANDE_PIECES -> window = afterDemandePieces(window, letter, notes);
                case LETTRE_OBSERVATIONS -> window = afterObservations(window, letter, facts.today(), notes);
                case COURRIER_SIMPLE -> { } // rule 5: a courrier simple (2-1) neither interrupts nor prolongs it
            }
        }
        return window;
    }

    // Rule 6: a déféré (5-1) brings the acte before the tribunal; the préfet's window no longer matters.
    private static Window referredToTribunal(Window window, Letter letter, List<String> notes) {
        if (window.state() == State.OPEN && !window.covers(letter.date())) {
            notes.add("Le déféré du " + fr(letter.date()) + " est daté après la fin du délai calculé ("
                    + fr(window.end().get()) + ") : le tribunal administratif jugera s'il est dans les temps.");
        }
        return new Window(State.DEFERE, Optional.empty(),
                "déféré au tribunal administratif le " + fr(letter.date()) + " : le délai est sans objet");
    }

    // Rule 3 (CGCT art. L.2131-6; CE, 13 janvier 1988, Mutuelle générale des personnels des collectivités locales):
    // a request for pieces within the window interrupts it; it restarts for two months from the prefecture's
    // reception of the pieces (AR 3-5) or from the town's refusal to send them.
    private static Window afterDemandePieces(Window window, Letter letter, List<String> notes) {
        if (window.state() != State.OPEN) return window; // not started, or already waiting for pieces
        if (!window.covers(letter.date())) return outside(window, letter, "La demande de pièces", notes);
        String asked = "la demande de pièces du " + fr(letter.date());
        if (letter.answer().isEmpty()) {
            return suspended("pièces demandées le " + fr(letter.date()) + ", le délai repart pour deux mois "
                    + "à leur réception par la préfecture");
        }
        Answer answer = letter.answer().get();
        if (answer.kind() == Answer.AnswerKind.REFUSED) {
            return window.restartedFrom(answer.sentOn(), "deux mois après le refus de la commune du "
                    + fr(answer.sentOn()) + " de transmettre les pièces, " + asked + " ayant interrompu le délai ("
                    + PIECES_SOURCE + ")");
        }
        if (answer.receivedOn().isEmpty()) {
            return suspended("pièces envoyées le " + fr(answer.sentOn()) + " en réponse à " + asked
                    + ", le délai repart pour deux mois à leur réception par la préfecture (accusé de réception "
                    + "encore inconnu)");
        }
        LocalDate received = answer.receivedOn().get();
        return window.restartedFrom(received, "deux mois après la réception des pièces par la préfecture le "
                + fr(received) + ", " + asked + " ayant interrompu le délai (" + PIECES_SOURCE + ")");
    }

    private static Window suspended(String why) {
        return new Window(State.SUSPENDED, Optional.empty(), "délai suspendu : " + why + " (" + PIECES_SOURCE + ")");
    }

    // Rule 4 (CE, 18 avril 1986, Commissaire de la République d'Ille-et-Vilaine): a lettre d'observations asking
    // to withdraw or change the acte is a recours gracieux; the window restarts for two months from the town's
    // answer (4-3 or 4-4), or from the implicit rejection born of two months' silence. A mere request for
    // explanations does not prolong it (CE, 15 mai 2013, n° 357031).
    private static Window afterObservations(Window window, Letter letter, LocalDate today, List<String> notes) {
        if (!letter.recoursGracieux()) {
            notes.add("La lettre d'observations du " + fr(letter.date()) + " demande seulement des explications, "
                    + "sans demander de retirer ou de modifier l'acte : elle ne prolonge pas le délai du déféré ("
                    + EXPLANATIONS_SOURCE + ").");
            return window;
        }
        if (window.state() != State.OPEN) return window;
        if (!window.covers(letter.date())) return outside(window, letter, "La lettre d'observations", notes);
        String letterText = "la lettre d'observations du " + fr(letter.date());
        if (letter.answer().isPresent()) {
            Answer answer = letter.answer().get();
            LocalDate answered = answer.receivedOn().orElse(answer.sentOn());
            return window.restartedFrom(answered, "deux mois après la réponse de la commune du " + fr(answered)
                    + " à " + letterText + ", recours gracieux du préfet (" + RECOURS_GRACIEUX_SOURCE + ")");
        }
        LocalDate implicitRejection = twoMonthsAfter(letter.date());
        if (today.isBefore(implicitRejection)) {
            notes.add("La lettre d'observations du " + fr(letter.date()) + " est sans réponse : faute de réponse, "
                    + "elle est rejetée implicitement le " + fr(implicitRejection) + " ; une réponse de la commune "
                    + "avant cette date fera courir le délai à partir de la réponse.");
        }
        return window.restartedFrom(implicitRejection, "deux mois après le rejet implicite du " + fr(implicitRejection)
                + ", né du silence de la commune deux mois après " + letterText + ", recours gracieux du préfet ("
                + RECOURS_GRACIEUX_SOURCE + ")");
    }

    // Rule 5: a letter dated after the window's last day leaves the window as it is.
    private static Window outside(Window window, Letter letter, String what, List<String> notes) {
        notes.add(what + " du " + fr(letter.date()) + " est postérieure à la fin du délai du déféré ("
                + fr(window.end().get()) + ") : elle ne le modifie pas.");
        return window;
    }

    private static String summary(Facts facts, Optional<LocalDate> executoire, List<String> missing, Window window) {
        StringBuilder s = new StringBuilder();
        if (facts.cancelled()) s.append("acte annulé ; ");
        s.append(executoire.map(e -> "exécutoire le " + fr(e))
                .orElseGet(() -> "pas encore exécutoire : il manque " + String.join(" et ", missing)));
        s.append(" ; ");
        s.append(switch (window.state()) {
            case DEFERE -> "déféré au tribunal administratif le " + fr(firstDefere(facts));
            case SUSPENDED -> "délai de déféré suspendu";
            case NOT_STARTED -> "délai de déféré non commencé";
            case OPEN -> (facts.today().isAfter(window.end().get()) ? "délai de déféré expiré le "
                    : "déféré possible jusqu'au ") + fr(window.end().get());
        });
        return s.append(" (indicatif)").toString();
    }

    private static LocalDate firstDefere(Facts facts) {
        return facts.letters().stream().filter(l -> l.kind() == Letter.Kind.DEFERE).map(Letter::date)
                .min(Comparator.naturalOrder()).orElseThrow();
    }

    // "Two months after D", date to date: neither délai franc nor extension past a weekend or holiday.
    private static LocalDate twoMonthsAfter(LocalDate d) {
        return d.plusMonths(2);
    }

    private static String word(Publication.Mode mode) {
        return mode == Publication.Mode.PUBLICATION ? "publication" : "notification";
    }

    /** A date as French people write it: 29/04/2026. */
    static String fr(LocalDate date) {
        return FRENCH_DATE.format(date);
    }
}
