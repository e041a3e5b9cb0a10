package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** {@code status --json} prints, without Jackson, the very text databind printed: scripts read it. */
class JsonTextTest {
    private static final ObjectMapper DATABIND = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void itWritesWhatObjectMapperWithIndentOutputWrites() throws Exception {
        Map<String, Object> acte = new LinkedHashMap<>();
        acte.put("idActe", "078-217803105-20260427-2026_DEC_020-CC");
        acte.put("objet", "Convention « P360 » : guillemets \" barre \\ / tab\t ligne\n\r \b\f contrôle \u0001\u001f\u007f fin"
                + " </script> 😀 \u2028");
        acte.put("tdtStatus", 4);
        acte.put("big", 5_000_000_000L);
        acte.put("negatif", -1);
        acte.put("papier", false);
        acte.put("dateReception", null);
        acte.put("documents", List.of());
        acte.put("vide", Map.of());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("kind", "reponse");
        answer.put("dateReception", null);
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("type", "LettreObservations");
        letter.put("answer", answer);
        acte.put("courriers", List.of(letter, letter));
        acte.put("imbriques", List.of(List.of(), List.of(1, List.of("a")), Map.of("x", List.of(Map.of()))));
        List<Object> rows = new ArrayList<>(List.of(acte, Map.of("seul", "x")));
        assertEquals(DATABIND.writeValueAsString(rows), JsonText.indented(rows));
        assertEquals(DATABIND.writeValueAsString(List.of()), JsonText.indented(List.of()), "an empty journal");
    }

    @Test
    void everyCharacterIsEscapedOrNotAsDatabindDoes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x800; c++) all.append(c);
        assertEquals(DATABIND.writeValueAsString(List.of(all.toString())), JsonText.indented(List.of(all.toString())));
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) s.append((char) random.nextInt(Character.MAX_VALUE + 1));
            Map<String, Object> row = Map.of(s.toString(), List.of(s.toString()));
            assertEquals(DATABIND.writeValueAsString(row), JsonText.indented(row), "at " + i);
        }
    }

    @Test
    void itRefusesWhatItWouldNotWriteAsDatabindDid() {
        assertThrows(IllegalArgumentException.class, () -> JsonText.indented(List.of(java.time.LocalDate.of(2026, 4, 29))));
        assertThrows(IllegalArgumentException.class, () -> JsonText.indented(Map.of(1, "a")));
    }
}
