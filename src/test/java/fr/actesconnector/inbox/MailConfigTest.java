package fr.actesconnector.inbox;

import fr.actesconnector.model.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailConfigTest {
    @Test
    void defaultsAreTlsInboxAndProcessedFolder() {
        MailConfig c = MailConfig.fromProperties(Map.of("mail.imap.host", "imap.example.fr", "mail.imap.user", "u",
                "mail.imap.password", "secret-imap", "mail.smtp.host", "smtp.example.fr",
                "mail.smtp.from", "actes@example.fr", "notify.to", "a@example.fr, b@example.fr"));
        MailConfig.Imap imap = c.imap().orElseThrow();
        assertEquals(MailConfig.Security.TLS, imap.security());
        assertEquals(993, imap.port());
        assertEquals("INBOX", imap.folder());
        assertEquals("ACTES-traites", imap.processedFolder());
        assertFalse(imap.toString().contains("secret-imap"));
        MailConfig.Smtp smtp = c.smtp().orElseThrow();
        assertEquals(MailConfig.Security.STARTTLS, smtp.security());
        assertEquals(587, smtp.port());
        assertEquals(List.of("a@example.fr", "b@example.fr"), c.notifyTo());
    }

    @Test
    void nothingConfiguredMeansNoMail() {
        MailConfig c = MailConfig.fromProperties(Map.of());
        assertTrue(c.imap().isEmpty());
        assertTrue(c.smtp().isEmpty());
    }

    @Test
    void everyProblemIsReportedInFrench() {
        ConfigException e = assertThrows(ConfigException.class, () -> MailConfig.fromProperties(Map.of(
                "mail.imap.host", "imap.example.fr", "mail.imap.port", "huit", "mail.imap.tls", "peut-etre",
                "mail.smtp.host", "smtp.example.fr", "notify.to", "pas une adresse")));
        List<String> problems = e.problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("mail.imap.port")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("mail.imap.tls")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("mail.imap.user")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("mail.smtp.from")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("notify.to")), problems.toString());
    }
}
