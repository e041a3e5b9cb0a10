package fr.actesconnector.tdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TdtSubmissionTest {
    static final String SUBJECT = "Contrat P360 - MAHOUDAN - PREMIUM du parc informatique de la Mairie avec la Société "
            + "Promosoft Informatique.";

    @Test
    void fromTheHoudanActe() {
        Acte acte = new Acte(new Collectivite("HOUDAN", "217803105", "078", "3", "31"), "2026-DEC-020",
                LocalDate.of(2026, 4, 27), Nature.CC, Classification.of(1, 4),
                "Contrat P360 – MAHOUDAN – PREMIUM du parc informatique de la Mairie avec la Société Promosoft Informatique.",
                new Piece(Path.of("decision.pdf"), new Typologie("99_DC")),
                List.of(new Piece(Path.of("contrat.pdf"), new Typologie("99_DC"))), false);
        TdtSubmission s = TdtSubmission.from(acte);
        assertEquals("2026_DEC_020", s.number());
        assertEquals(SUBJECT, s.subject(), "en-dashes transliterated");
        assertEquals(Nature.CC, s.nature());
        assertEquals(1, s.annexes().size());
        assertEquals(Optional.empty(), s.documentSignature());
    }

    @Test
    void reportsEveryViolationAtOnce() {
        InvalidActeException e = assertThrows(InvalidActeException.class, () -> new TdtSubmission(Nature.CC,
                "2026-DEC-020", LocalDate.of(2026, 4, 27), "Objet – avec tiret", Classification.of(1),
                new Piece(Path.of("d.pdf"), new Typologie("DC")), List.of(new Piece(Path.of("a.pdf"), new Typologie("99_DC"))),
                Optional.empty(), List.of(Path.of("s1"), Path.of("s2")), false));
        assertEquals(5, e.violations().size(), e.userMessage());
        assertTrue(e.userMessage().contains("hors ISO-8859-1"));
    }

    @Test
    void subjectLongerThan499IsRefused() {
        InvalidActeException e = assertThrows(InvalidActeException.class, () -> new TdtSubmission(Nature.CC,
                "2026_DEC_020", LocalDate.of(2026, 4, 27), "x".repeat(500), Classification.of(1, 4),
                new Piece(Path.of("d.pdf"), new Typologie("99_DC")), List.of(), Optional.empty(), List.of(), false));
        assertTrue(e.userMessage().contains("499"));
    }

    @Test
    void aSubjectOfExactly499CharactersIsAccepted() {
        assertEquals(499, new TdtSubmission(Nature.CC, "2026_DEC_020", LocalDate.of(2026, 4, 27), "x".repeat(499),
                Classification.of(1, 4), new Piece(Path.of("d.pdf"), new Typologie("99_DC")), List.of(), Optional.empty(),
                List.of(), false).subject().length());
    }

    /** Each annex's typologie is checked, and the violation names the annex by its rank. */
    @Test
    void aMalformedAnnexTypologieNamesItsAnnex() {
        InvalidActeException e = assertThrows(InvalidActeException.class, () -> new TdtSubmission(Nature.CC,
                "2026_DEC_020", LocalDate.of(2026, 4, 27), "Objet", Classification.of(1, 4),
                new Piece(Path.of("d.pdf"), new Typologie("99_DC")), List.of(new Piece(Path.of("a1.pdf"), new Typologie("99_DC")),
                new Piece(Path.of("a2.pdf"), new Typologie("DC"))), Optional.empty(), List.of(), false));
        assertEquals(List.of("typologie de l'annexe 2"), e.violations().stream().map(fr.actesconnector.model.Violation::field).toList());
    }
}
