package fr.actesconnector.inbox;

import jakarta.mail.Session;

import javax.net.ssl.SSLSocketFactory;
import java.util.Optional;
import java.util.Properties;

/** Jakarta Mail sessions built from the settings: TLS with host name check, timeouts, never the JVM default session. */
final class MailSessions {
    private MailSessions() {
    }

    static String imapProtocol(MailConfig.Imap imap) {
        return imap.security() == MailConfig.Security.TLS ? "imaps" : "imap";
    }

    static String smtpProtocol(MailConfig.Smtp smtp) {
        return smtp.security() == MailConfig.Security.TLS ? "smtps" : "smtp";
    }

    static Session imap(MailConfig.Imap imap, Optional<SSLSocketFactory> tls) {
        String p = imapProtocol(imap);
        Properties props = common(p, imap.host(), imap.port(), imap.timeout().toMillis(), imap.security(), tls);
        props.setProperty("mail.mime.decodefilename", "true");
        return Session.getInstance(props);
    }

    static Session smtp(MailConfig.Smtp smtp, Optional<SSLSocketFactory> tls) {
        String p = smtpProtocol(smtp);
        Properties props = common(p, smtp.host(), smtp.port(), smtp.timeout().toMillis(), smtp.security(), tls);
        props.setProperty("mail." + p + ".auth", String.valueOf(smtp.user().isPresent()));
        props.setProperty("mail." + p + ".from", smtp.from());
        return Session.getInstance(props);
    }

    private static Properties common(String p, String host, int port, long timeoutMillis, MailConfig.Security security,
                                     Optional<SSLSocketFactory> tls) {
        Properties props = new Properties();
        props.setProperty("mail." + p + ".host", host);
        props.setProperty("mail." + p + ".port", String.valueOf(port));
        props.setProperty("mail." + p + ".connectiontimeout", String.valueOf(timeoutMillis));
        props.setProperty("mail." + p + ".timeout", String.valueOf(timeoutMillis));
        props.setProperty("mail." + p + ".writetimeout", String.valueOf(timeoutMillis));
        if (security != MailConfig.Security.NONE) {
            props.setProperty("mail." + p + ".ssl.checkserveridentity", "true");
            tls.ifPresent(factory -> props.put("mail." + p + ".ssl.socketFactory", factory));
        }
        if (security == MailConfig.Security.STARTTLS) {
            props.setProperty("mail." + p + ".starttls.enable", "true");
            props.setProperty("mail." + p + ".starttls.required", "true");
        }
        return props;
    }
}
