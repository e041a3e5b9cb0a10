package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page's one escaping helper, and the form problems that write what was typed through it. */
class HtmlTest {
    @Test
    void escapesTheFiveCharactersThatMatterInTextAndAttributes() {
        assertEquals("&lt;script&gt;&amp;&quot;&#39;", Html.esc("<script>&\"'"));
        assertEquals("Délibération n° 12 – « budget »", Html.esc("Délibération n° 12 – « budget »"));
        assertEquals("", Html.esc(null));
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "<|&lt;", ">|&gt;", "&|&amp;", "\"|&quot;", "'|&#39;"})
    void escapesEachCharacterAloneAndWithinText(String raw, String escaped) {
        assertEquals(escaped, Html.esc(raw), raw);
        assertEquals("a" + escaped + "b" + escaped, Html.esc("a" + raw + "b" + raw), "every occurrence, in text: " + raw);
    }

    @Test
    void formProblemsEscapeMessagesControlsAndLinks() {
        FormProblems p = new FormProblems("f", "Titre <b>", List.of(FormProblems.Problem.of("La date « <i> » est fausse",
                "f-date"), FormProblems.Problem.of("Hors champ", "")), Map.of("date", "<i>"));
        assertEquals("<div class=\"resume-erreurs\" role=\"alert\" tabindex=\"-1\" id=\"resume-erreurs\"><h2>Titre &lt;b&gt;</h2>"
                + "<ul><li><a href=\"#f-date\">La date « &lt;i&gt; » est fausse</a></li><li>Hors champ</li></ul></div>",
                p.summary());
        assertEquals("<p class=\"erreur\" id=\"f-date-erreur\"><span class=\"visuellement-cache\">Erreur : </span>"
                + "La date « &lt;i&gt; » est fausse</p>", p.errorText("f-date"));
        assertEquals(" aria-describedby=\"f-date-aide f-date-erreur\" aria-invalid=\"true\"", p.described("f-date"));
        assertEquals(" aria-describedby=\"f-mode-aide\"", p.described("f-mode"));
        assertEquals("<i>", p.value("f", "date", ""), "kept as typed; escaped where written");
        assertEquals("x", p.value("autre", "date", "x"));
        assertEquals(Optional.empty(), p.problems().get(1).control());
    }

    @Test
    void formProblemsTellWhetherThereIsAny() {
        assertFalse(new FormProblems("f", "Titre", List.of(), Map.of()).any());
        assertTrue(new FormProblems("f", "Titre", List.of(FormProblems.Problem.of("Date manquante", "f-date")), Map.of()).any());
    }
}
