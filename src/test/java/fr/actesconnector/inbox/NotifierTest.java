package fr.actesconnector.inbox;

import fr.actesconnector.testing.Houdan;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifierTest {
    private final MessageParser parser = new MessageParser();

    @Test
    void anomalyBodyNamesTheActeTheAnomalyAndWhatToDo() {
        Reply anomaly = parser.parse(InboxFixtures.resource("1-3_AnomalieActe.xml")).replies().get(0);
        assertTrue(Notifier.isNotified(anomaly));
        assertEquals("ACTES : anomalie, l'acte 2026_DEC_020 a été refusé", Notifier.subject(anomaly));
        String body = Notifier.body(anomaly, ActeLabels.none());
        assertTrue(body.contains("Anomalie : 002 - ODT-VERIF-01"), body);
        assertTrue(body.contains("Nature de l'acte : Contrats, conventions et avenants"), body);
        assertTrue(body.contains("Matière : 1.4"), body);
        assertTrue(body.contains("Date de réception : 29/04/2026"), body);
        assertTrue(body.contains("Identifiant Acte : non communiqué"), body);
        assertTrue(body.contains("nouveau numéro"), body);
    }

    @Test
    void courrierUsesTheObjetFromTheLabels() {
        Reply courrier = parser.parse(InboxFixtures.resource("2-1_CourrierSimple.xml")).replies().get(0);
        assertTrue(Notifier.isNotified(courrier));
        String body = Notifier.body(courrier, new ActeLabels(Optional.of(Houdan.OBJET_ACKNOWLEDGED), Optional.empty(),
                Optional.empty()));
        assertTrue(body.contains("Objet : " + Houdan.OBJET_ACKNOWLEDGED), body);
        assertTrue(body.contains("Identifiant Acte : " + Houdan.ID_ACTE), body);
        assertTrue(body.contains("Date du courrier de la préfecture"), body);
    }

    @Test
    void aWarningHeadsTheMailAndMarksItsSubject() {
        Reply ar = parser.parse(InboxFixtures.resource("1-2_ARActe.xml")).replies().get(0);
        String warning = "L'accusé de réception porte l'identifiant " + Houdan.ID_ACTE + " et non 078-217803816-… : vérifiez.";
        ActeLabels labels = new ActeLabels(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(warning));
        assertTrue(Notifier.body(ar, labels).startsWith("Bonjour,\n\nATTENTION : " + warning + "\n\nLa préfecture a accusé"),
                Notifier.body(ar, labels));
        assertEquals("ACTES : accusé de réception de l'acte " + Houdan.ID_ACTE + " : à vérifier", Notifier.subject(ar, labels));
        assertFalse(Notifier.body(ar, ActeLabels.none()).contains("ATTENTION"));
        assertEquals(Notifier.subject(ar), Notifier.subject(ar, ActeLabels.none()));
    }

    @Test
    void envelopesAndClassificationsAreNotNotified() {
        Reply envelope = parser.parseXml(new ByteArrayInputStream(InboxFixtures.houdanEnvelope()), "env.xml").replies().get(0);
        assertFalse(Notifier.isNotified(envelope));
    }
}
