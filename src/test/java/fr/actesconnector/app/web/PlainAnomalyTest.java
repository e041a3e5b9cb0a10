package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.actesconnector.journal.Anomaly;

/** The page's account of an anomaly names what the refused acte carried: its classification and that version. */
class PlainAnomalyTest {
    private static String anomalieActe() throws IOException {
        try (InputStream in = PlainAnomalyTest.class.getResourceAsStream("/messages/1-3_AnomalieActe.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // as the journal keeps it: text
        }
    }

    @Test
    void anomaly002ShowsTheClassificationAndVersionSentAgainstThePrefectures() throws IOException {
        String text = Plain.anomaly(new Anomaly("002", "ODT-VERIF-01", Optional.of(anomalieActe()), Instant.EPOCH));
        assertTrue(text.contains("(anomalie 002) (détail donné par la préfecture : « ODT-VERIF-01 »). Classification envoyée :"
                + " 1.4, version du 14/11/2025 ; version en vigueur à la préfecture : 01/03/2026. Mettez à jour"), text);
    }

    @Test
    void withoutTheMessageOrWithAnUnreadableOneTheSentenceStaysAsBefore() {
        String expected = "La préfecture a refusé l'acte (anomalie 005). Corrigez ce qui est signalé, puis transmettez"
                + " l'acte de nouveau sous un nouveau numéro.";
        assertEquals(expected, Plain.anomaly(new Anomaly("005", "", Optional.empty(), Instant.EPOCH)));
        assertEquals(expected, Plain.anomaly(new Anomaly("005", "", Optional.of("<pas du XML"), Instant.EPOCH)));
    }
}
