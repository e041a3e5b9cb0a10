package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** {@code status --json} prints, without databind, the very text databind printed: scripts read it. */
class JsonTextTest {
    @Test
    void itWritesWhatObjectMapperWithIndentOutputWrites() throws Exception {
        Map<String, Object> acte = new LinkedHashMap<>();
        acte.put("idActe", "078-217803105-20260427-2026_DEC_020-CC");
        acte.put("objet", "Convention « P360 » : guillemets \" barre \\ tab\t ligne\n contrôle \u0001 fin </script> 😀");
        acte.put("tdtStatus", 4);
        acte.put("big", 5_000_000_000L);
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
        List<Object> rows = new ArrayList<>(List.of(acte, Map.of("seul", "x")));
        ObjectMapper databind = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        assertEquals(databind.writeValueAsString(rows), JsonText.indented(rows));
        assertEquals(databind.writeValueAsString(List.of()), JsonText.indented(List.of()), "an empty journal");
    }

    @Test
    void itRefusesWhatItWouldNotWriteAsDatabindDid() {
        assertThrows(IllegalArgumentException.class, () -> JsonText.indented(List.of(java.time.LocalDate.of(2026, 4, 29))));
    }
}
