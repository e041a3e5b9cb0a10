package fr.actesconnector.inbox;

import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.LimitedInputStream;
import fr.actesconnector.protocol.SafeXml;
import fr.actesconnector.protocol.TarNames;
import fr.actesconnector.protocol.UnreadableMessageException;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.transform.sax.SAXSource;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads every form an ACTES message arrives in — a bare XML file, a {@code .tar.gz} archive, an
 * e-mail ({@code .eml} or a {@link MimeMessage} from IMAP), a TdT status reply ({@code OK\n4\n<ARActe…>})
 * — into {@link Reply} values.
 * <p>
 * Lenient on content (unknown codes, CRLF, ISO-8859-1 or UTF-8, missing optional parts), strict on
 * safety: every XML through {@link ActesXml} (no DTD, no entity, capped); archive entries with path
 * parts, links, devices, absurd sizes or too many entries refused; files that are not ACTES messages
 * (PDF letters) are kept as {@link Attachment}s, written only into the directory the caller gives, under
 * a sanitised name. An input without any ACTES message is an {@link UnreadableMessageException}.
 * <p>
 * Immutable and thread-safe.
 */
public final class MessageParser {
    private static final Logger LOG = LoggerFactory.getLogger(MessageParser.class);
    private static final int MAX_MIME_DEPTH = 8;
    /** Room for S²LOW's text after the XML in a status reply. */
    private static final int MAX_TRAILING_TEXT = 64 * 1024;

    private final ParserLimits limits;
    private final SafeXml safeXml;
    private final ActesXml xml;

    public MessageParser() {
        this(ParserLimits.DEFAULT);
    }

    public MessageParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.safeXml = new SafeXml(limits.maxXmlBytes());
        this.xml = new ActesXml(safeXml);
    }

    public ParserLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- entry points

    /** Reads a file of any supported form (recognised by its content); attachments are not written. */
    public ParseResult parse(Path file) {
        return parse(file, Optional.empty());
    }

    /** As {@link #parse(Path)}, writing attachments (PDFs…) into {@code attachmentDir} when given. */
    public ParseResult parse(Path file, Optional<Path> attachmentDir) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(attachmentDir, "attachmentDir");
        String name = String.valueOf(file.getFileName());
        if (Files.isDirectory(file)) {
            throw new UnreadableMessageException(name, "c'est un dossier, pas un fichier : indiquez le fichier reçu"
                    + " lui-même (.xml, .tar.gz ou .eml)", "a directory", null);
        }
        if (!Files.isRegularFile(file)) {
            throw new UnreadableMessageException(name, "le fichier est introuvable ou n'est pas un fichier ordinaire",
                    "not a regular file", null);
        }
        Form form;
        try (InputStream in = Files.newInputStream(file)) {
            form = sniff(new BufferedInputStream(in), name);
        } catch (IOException e) {
            throw ioFailure(name, e);
        }
        if (form == Form.EMAIL) {
            // a shared file stream lets Jakarta Mail read parts lazily instead of loading the whole mail
            try (SharedFileInputStream in = new SharedFileInputStream(file.toFile())) {
                return parseEmail(new MimeMessage(session(), in), name, attachmentDir);
            } catch (IOException | MessagingException e) {
                throw unreadable(name, "l'e-mail est illisible (sa structure MIME n'a pas pu être lue)", e);
            }
        }
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return parse(in, name, form, attachmentDir);
        } catch (IOException e) {
            throw ioFailure(name, e);
        }
    }

    /** Reads {@code in} (left open) of any supported form, recognised by its first bytes. */
    public ParseResult parse(InputStream in, String name, Optional<Path> attachmentDir) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attachmentDir, "attachmentDir");
        BufferedInputStream buffered = new BufferedInputStream(in);
        try {
            return parse(buffered, name, sniff(buffered, name), attachmentDir);
        } catch (IOException e) {
            throw ioFailure(name, e);
        }
    }

    /** One ACTES message as XML. */
    public ParseResult parseXml(InputStream in, String name) {
        Collector c = new Collector(name, Optional.empty());
        Optional<Reply> reply = readXml(in, name, c, true);
        return c.result(reply.stream().toList(), Optional.empty(), Optional.empty());
    }

    /**
     * One ACTES message kept as text (the journal keeps them so). Its declaration named the encoding of
     * bytes that are gone: it is dropped and the characters are read as they are.
     */
    public ParseResult parseText(String text, String name) {
        Objects.requireNonNull(text, "text");
        String body = XML_DECLARATION.matcher(text).replaceFirst("");
        return parseXml(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), name);
    }

    private static final java.util.regex.Pattern XML_DECLARATION = java.util.regex.Pattern.compile("^\\uFEFF?\\s*<\\?xml[^>]*\\?>");

    /** A {@code .tar.gz} archive: its ACTES messages, the other files as attachments. */
    public ParseResult parseArchive(InputStream in, String name, Optional<Path> attachmentDir) {
        Collector c = new Collector(name, attachmentDir);
        return c.run(() -> {
            List<Reply> replies = new ArrayList<>();
            readArchive(in, name, c, replies);
            return c.result(replies, Optional.empty(), Optional.empty());
        });
    }

    /** An e-mail read from {@code in} (held in memory, capped: prefer {@link #parse(Path)} for files). */
    public ParseResult parseEmail(InputStream in, String name, Optional<Path> attachmentDir) {
        Objects.requireNonNull(in, "in");
        try {
            MimeMessage message = new MimeMessage(session(), new LimitedInputStream(in, limits.maxTotalBytes()));
            return parseEmail(message, name, attachmentDir);
        } catch (MessagingException e) {
            throw unreadable(name, "l'e-mail est illisible ou trop volumineux", e);
        }
    }

    /**
     * An e-mail: XML attachments and {@code .tar.gz} attachments parsed, other attachments kept; the
     * subject, sender, Message-ID and date recorded.
     */
    public ParseResult parseEmail(MimeMessage message, String name, Optional<Path> attachmentDir) {
        Objects.requireNonNull(message, "message");
        Collector c = new Collector(name, attachmentDir);
        return c.run(() -> {
            List<Reply> replies = new ArrayList<>();
            MailInfo info;
            try {
                info = mailInfo(message);
                readPart(message, name, c, replies, 0);
            } catch (MessagingException e) {
                throw unreadable(name, "l'e-mail est mal formé (sa structure MIME n'a pas pu être lue)", e);
            } catch (IOException e) {
                throw ioFailure(name, e);
            }
            return c.result(replies, Optional.of(info), Optional.empty());
        });
    }

    /**
     * A TdT status reply: {@code OK\n<status>\n} then the stored ACTES message (ARActe at status 4,
     * anomaly at -1, ARAnnulation at 0) and possibly S²LOW's message text, which is returned as
     * {@link ParseResult#trailingText()}.
     */
    public ParseResult parseTdtReply(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        byte[] bytes = readCapped(in, name, limits.maxXmlBytes() + MAX_TRAILING_TEXT);
        int line0 = indexOf(bytes, (byte) '\n', 0);
        String first = new String(bytes, 0, line0 < 0 ? bytes.length : line0, StandardCharsets.ISO_8859_1).strip();
        if (!"OK".equals(first)) {
            String detail = line0 < 0 ? "" : " : " + decodeTolerantly(bytes, line0 + 1, bytes.length).strip();
            throw new UnreadableMessageException(name, "le TdT n'a pas répondu OK" + abbreviate(detail, 300),
                    "TdT reply is not OK", null);
        }
        int line1 = line0 < 0 ? -1 : indexOf(bytes, (byte) '\n', line0 + 1);
        int start = line1 < 0 ? bytes.length : line1 + 1;
        while (start < bytes.length && Character.isWhitespace(bytes[start])) {
            start++;
        }
        if (start >= bytes.length || bytes[start] != '<') {
            throw new UnreadableMessageException(name,
                    "la réponse du TdT ne contient aucun message ACTES (seulement l'état de la transmission)",
                    "TdT reply without XML", null);
        }
        int end = rootEnd(bytes, start);
        byte[] message = java.util.Arrays.copyOfRange(bytes, start, end);
        String trailing = decodeTolerantly(bytes, end, bytes.length).strip();
        Collector c = new Collector(name, Optional.empty());
        Optional<Reply> reply = readXml(new ByteArrayInputStream(message), name, c, true);
        return c.result(reply.stream().toList(), Optional.empty(),
                trailing.isEmpty() ? Optional.empty() : Optional.of(trailing));
    }

    // ---------------------------------------------------------------- forms

    private enum Form { XML, ARCHIVE, EMAIL, TDT_REPLY }

    private ParseResult parse(BufferedInputStream in, String name, Form form, Optional<Path> attachmentDir) {
        return switch (form) {
            case XML -> parseXml(in, name);
            case ARCHIVE -> parseArchive(in, name, attachmentDir);
            case EMAIL -> parseEmail(in, name, attachmentDir);
            case TDT_REPLY -> parseTdtReply(in, name);
        };
    }

    private static Form sniff(BufferedInputStream in, String name) throws IOException {
        in.mark(64);
        byte[] head = in.readNBytes(64);
        in.reset();
        if (head.length == 0) {
            throw new UnreadableMessageException(name, "le fichier est vide", "empty input", null);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return Form.ARCHIVE;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("OK\n") || text.startsWith("OK\r\n") || text.startsWith("KO\n") || text.startsWith("KO\r\n")) {
            return Form.TDT_REPLY;
        }
        String stripped = text.replace("\uFEFF", "").replace("\u00EF\u00BB\u00BF", "").stripLeading();
        if (stripped.startsWith("<")) {
            return Form.XML;
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".eml") || text.matches("(?s)^[A-Za-z][A-Za-z0-9-]*:.*")) {
            return Form.EMAIL;
        }
        throw new UnreadableMessageException(name,
                "son format n'est pas reconnu (ni XML, ni archive .tar.gz, ni e-mail .eml, ni réponse du TdT)",
                "unknown input format", null);
    }

    // ---------------------------------------------------------------- XML

    /**
     * Reads one XML. {@code mustBeActes}: a bare file must be an ACTES message; inside an archive or an
     * e-mail a well-formed XML of another kind is only an attachment. Hostile or broken XML fails either way.
     */
    private Optional<Reply> readXml(InputStream in, String name, Collector c, boolean mustBeActes) {
        byte[] bytes = readCapped(in, name, limits.maxXmlBytes());
        c.count(name, bytes.length);
        Optional<String> root = actesRoot(bytes, name);
        if (root.isEmpty() || MessageType.ofRootName(root.get()).isEmpty()) {
            if (mustBeActes) {
                throw new UnreadableMessageException(name, "ce n'est pas un message ACTES (élément racine "
                        + root.map(r -> "actes:" + r).orElse("hors de l'espace de noms ACTES") + ")",
                        "not an ACTES message", null);
            }
            c.keep(new ByteArrayInputStream(bytes), name, "application/xml");
            return Optional.empty();
        }
        Object message = xml.read(bytes, name); // in the encoding the bytes are really in
        RawXml raw = RawXml.wrap(bytes);
        if (raw.encoding().mismatch()) {
            LOG.debug("{}: declares {} but is {}; read as {}", printable(name), raw.encoding().declared(),
                    raw.encoding().actual(), raw.encoding().actual());
        }
        return Optional.of(ReplyMapper.toReply(message, name, raw));
    }

    /**
     * Local name of the root when it is in the ACTES namespace. Parsing stops at the root's start tag;
     * a document that fails before it (DOCTYPE, garbage) is handed to {@link ActesXml} for its French reason.
     */
    private Optional<String> actesRoot(byte[] bytes, String name) {
        SAXSource source = safeXml.source(bytes, name);
        XMLReader reader = source.getXMLReader();
        String[] found = new String[2];
        reader.setContentHandler(new DefaultHandler() {
            @Override
            public void startElement(String uri, String localName, String qName, Attributes attributes)
                    throws SAXException {
                found[0] = uri;
                found[1] = localName;
                throw new SAXException(ROOT_FOUND);
            }
        });
        reader.setErrorHandler(new DefaultHandler());
        try {
            reader.parse(source.getInputSource());
        } catch (SAXException | IOException e) {
            if (found[1] == null) {
                xml.read(bytes, name); // throws the precise French reason
                throw unreadable(name, "le XML est illisible", e);
            }
        }
        return ActesXml.ACTES_NS.equals(found[0]) ? Optional.of(found[1]) : Optional.empty();
    }

    private static final String ROOT_FOUND = "root element found";

    // ---------------------------------------------------------------- archive

    private void readArchive(InputStream in, String name, Collector c, List<Reply> replies) {
        // bounds the decompressed stream itself: a gzip bomb stops here even between entries
        long streamCap = limits.maxTotalBytes() + (limits.maxEntries() + 4L) * 2048L;
        try {
            GzipCompressorInputStream gzip = new GzipCompressorInputStream(in, true);
            TarArchiveInputStream tar = new TarArchiveInputStream(new LimitedInputStream(gzip, streamCap));
            TarArchiveEntry entry;
            int count = 0;
            while ((entry = tar.getNextEntry()) != null) {
                count++;
                if (count > limits.maxEntries()) {
                    throw unreadable(name, "l'archive contient plus de " + limits.maxEntries()
                            + " fichiers, ce qu'aucun envoi ACTES ne comporte", null);
                }
                if (TarNames.isTopFolder(entry)) {
                    continue; // "./" of tar czf x.tar.gz -C dir .
                }
                String entryName = checkEntry(entry, name);
                c.declare(name, entryName, entry.getSize());
                InputStream body = new LimitedInputStream(new NonClosing(tar),
                        limits.maxEntryBytes());
                if (isXmlName(entryName)) {
                    readXml(body, entryName, c, false).ifPresent(replies::add);
                } else {
                    c.keep(body, entryName, contentTypeOf(entryName));
                }
            }
        } catch (LimitedInputStream.TooLargeException e) {
            throw unreadable(name, "l'archive décompressée dépasse la taille maximale autorisée", e);
        } catch (IOException e) {
            throw unreadable(name, "l'archive .tar.gz est endommagée ou n'en est pas une", e);
        }
    }

    /**
     * The entry's name (without tar's leading {@code ./}) if it is a plain file at the archive's top level;
     * refuses anything else.
     */
    private String checkEntry(TarArchiveEntry entry, String archive) {
        String entryName = TarNames.relative(entry.getName());
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » est un lien, refusé dans une archive ACTES", null);
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » est un fichier spécial, refusé dans une archive ACTES", null);
        }
        if (entry.isDirectory()) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » est un sous-dossier, alors qu'une archive"
                    + " ACTES est plate (tous ses fichiers au même niveau)", null);
        }
        if (entryName.isEmpty() || entryName.contains("/") || entryName.contains("\\")
                || entryName.contains("..") || entryName.contains(":") || entryName.indexOf('\0') >= 0) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » comporte un chemin (répertoire, « / », « \\ » ou « .. »)"
                    + " alors qu'une archive ACTES est plate", null);
        }
        if (!entry.isFile()) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » n'est pas un fichier ordinaire", null);
        }
        if (entry.getSize() < 0 || entry.getSize() > limits.maxEntryBytes()) {
            throw unreadable(archive, "l'entrée « " + printable(entryName) + " » annonce une taille de " + entry.getSize()
                    + " octets, au-delà du maximum de " + limits.maxEntryBytes() + " octets", null);
        }
        return entryName;
    }

    // ---------------------------------------------------------------- e-mail

    private void readPart(Part part, String mailName, Collector c, List<Reply> replies, int depth)
            throws MessagingException, IOException {
        if (depth > MAX_MIME_DEPTH) {
            throw unreadable(mailName, "l'e-mail imbrique trop de parties", null);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                c.countPart(mailName);
                readPart(multipart.getBodyPart(i), mailName, c, replies, depth + 1);
            }
            return;
        }
        if (part.isMimeType("message/rfc822") && part.getContent() instanceof MimeMessage forwarded) {
            readPart(forwarded, mailName, c, replies, depth + 1); // a forwarded ministry mail
            return;
        }
        String fileName = part.getFileName();
        String shown = fileName == null ? "" : fileName.strip();
        String lower = shown.toLowerCase(Locale.ROOT);
        boolean attached = !shown.isEmpty() || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        if (!attached) {
            return; // the mail's own text: what it says is in the XML
        }
        if (shown.isEmpty()) {
            shown = "piece-jointe";
        }
        try (InputStream body = new LimitedInputStream(part.getInputStream(), limits.maxEntryBytes())) {
            if (lower.endsWith(".xml") || part.isMimeType("text/xml") || part.isMimeType("application/xml")) {
                readXml(body, shown, c, false).ifPresent(replies::add);
            } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || part.isMimeType("application/gzip")
                    || part.isMimeType("application/x-gzip") || part.isMimeType("application/x-compressed-tar")) {
                readArchive(body, shown, c, replies);
            } else {
                c.keep(body, shown, baseType(part.getContentType(), shown));
            }
        } catch (LimitedInputStream.TooLargeException e) {
            throw unreadable(mailName, "la pièce jointe « " + printable(shown) + " » dépasse la taille maximale autorisée", e);
        }
    }

    private static MailInfo mailInfo(MimeMessage message) throws MessagingException {
        Address[] from = message.getFrom();
        Optional<String> sender = from == null || from.length == 0 ? Optional.empty() : Optional.of(from[0].toString());
        return new MailInfo(Optional.ofNullable(message.getSubject()), sender, Optional.ofNullable(message.getMessageID()),
                Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant));
    }

    private static Session session() {
        Properties props = new Properties();
        props.setProperty("mail.mime.decodefilename", "true"); // RFC 2047 encoded attachment names
        return Session.getInstance(props);
    }

    // ---------------------------------------------------------------- helpers

    private static boolean isXmlName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".xml");
    }

    private static String contentTypeOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pdf")) return "application/pdf";
        if (lower.endsWith(".xml")) return "application/xml";
        if (lower.endsWith(".png")) return "image/png";
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) return "image/jpeg";
        return "application/octet-stream";
    }

    private static String baseType(String contentType, String name) {
        if (contentType == null || contentType.isBlank()) {
            return contentTypeOf(name);
        }
        int semi = contentType.indexOf(';');
        String base = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return "application/octet-stream".equals(base) ? contentTypeOf(name) : base;
    }

    private byte[] readCapped(InputStream in, String name, long cap) {
        try (InputStream limited = new LimitedInputStream(in, cap)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            limited.transferTo(out);
            return out.toByteArray();
        } catch (LimitedInputStream.TooLargeException e) {
            throw unreadable(name, "il dépasse la taille maximale autorisée (" + cap + " octets)", e);
        } catch (IOException e) {
            throw ioFailure(name, e);
        }
    }

    /** End (exclusive) of the root element starting at {@code start}; the whole input when not found. */
    static int rootEnd(byte[] bytes, int start) {
        // ISO-8859-1 maps bytes one to one, so offsets in the string are offsets in the bytes (UTF-8 too:
        // multi-byte sequences never contain ASCII)
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int i = start;
        while (i < s.length()) {
            int lt = s.indexOf('<', i);
            if (lt < 0 || lt + 1 >= s.length()) return s.length();
            char next = s.charAt(lt + 1);
            if (next == '?') {
                int close = s.indexOf("?>", lt);
                if (close < 0) return s.length();
                i = close + 2;
            } else if (s.startsWith("<!--", lt)) {
                int close = s.indexOf("-->", lt);
                if (close < 0) return s.length();
                i = close + 3;
            } else if (next == '!') {
                return s.length(); // DOCTYPE: the parser will refuse it with its reason
            } else {
                int nameEnd = lt + 1;
                while (nameEnd < s.length() && !Character.isWhitespace(s.charAt(nameEnd))
                        && s.charAt(nameEnd) != '>' && s.charAt(nameEnd) != '/') {
                    nameEnd++;
                }
                String qName = s.substring(lt + 1, nameEnd);
                int tagEnd = endOfTag(s, nameEnd);
                if (tagEnd < 0) return s.length();
                if (s.charAt(tagEnd - 1) == '/') return tagEnd + 1;
                int close = s.indexOf("</" + qName, tagEnd);
                while (close >= 0) {
                    int j = close + 2 + qName.length();
                    while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                    if (j < s.length() && s.charAt(j) == '>') return j + 1;
                    close = s.indexOf("</" + qName, close + 1);
                }
                return s.length();
            }
        }
        return s.length();
    }

    /** Index of the {@code >} closing a start tag, skipping quoted attribute values; -1 when truncated. */
    private static int endOfTag(String s, int from) {
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '>') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) return i;
        }
        return -1;
    }

    /** S²LOW mixes UTF-8 and ISO-8859-1 texts: UTF-8 when the bytes are valid UTF-8, else Latin-1. */
    static String decodeTolerantly(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** A name from untrusted input, safe to show: control characters replaced, length bounded. */
    static String printable(String name) {
        StringBuilder s = new StringBuilder();
        name.codePoints().limit(120).forEach(cp -> s.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return name.length() > 120 ? s + "…" : s.toString();
    }

    static UnreadableMessageException unreadable(String name, String frenchDetail, Throwable cause) {
        return new UnreadableMessageException(printable(name), frenchDetail,
                cause == null ? frenchDetail : String.valueOf(cause.getMessage()), cause);
    }

    private static UnreadableMessageException ioFailure(String name, IOException e) {
        if (e instanceof LimitedInputStream.TooLargeException tooLarge) {
            return unreadable(name, "il dépasse la taille maximale autorisée (" + tooLarge.maxBytes() + " octets)", e);
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return unreadable(name, "l'accès au fichier est refusé (droits du fichier ou du dossier)", e);
        }
        return unreadable(name, "il n'a pas pu être lu jusqu'au bout", e);
    }

    /** What one input produced so far; removes the files it wrote when the input is refused. */
    private final class Collector {
        private final String source;
        private final Optional<Path> dir;
        private final List<Attachment> attachments = new ArrayList<>();
        private final List<Path> written = new ArrayList<>();
        private final Set<String> usedNames = new HashSet<>();
        private long total;
        private long declared;
        private int parts;

        Collector(String source, Optional<Path> dir) {
            this.source = source;
            this.dir = dir.map(d -> d.toAbsolutePath().normalize());
        }

        ParseResult run(java.util.function.Supplier<ParseResult> work) {
            boolean done = false;
            try {
                ParseResult result = work.get();
                done = true;
                return result;
            } finally {
                if (!done) {
                    written.forEach(MessageParser::deleteQuietly);
                }
            }
        }

        void count(String name, long bytes) {
            total += bytes;
            if (total > limits.maxTotalBytes()) {
                throw unreadable(source, "son contenu dépasse au total la taille maximale autorisée ("
                        + limits.maxTotalBytes() + " octets)", null);
            }
        }

        void declare(String archive, String entry, long size) {
            declared += size;
            if (declared > limits.maxTotalBytes()) {
                throw unreadable(archive, "ses fichiers annoncent au total plus de " + limits.maxTotalBytes()
                        + " octets (dernier : « " + printable(entry) + " »)", null);
            }
        }

        void countPart(String mail) {
            parts++;
            if (parts > limits.maxEntries()) {
                throw unreadable(mail, "l'e-mail contient plus de " + limits.maxEntries() + " parties", null);
            }
        }

        /** Digests (and writes, when a directory was given) a non-ACTES file. */
        void keep(InputStream in, String name, String contentType) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
            long size;
            Optional<Path> saved = Optional.empty();
            try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
                if (dir.isPresent()) {
                    Path target = target(name);
                    Path temp = Files.createTempFile(dir.get(), ".part-", ".tmp");
                    written.add(temp);
                    try (OutputStream out = Files.newOutputStream(temp)) {
                        size = digesting.transferTo(out);
                    }
                    Files.move(temp, target); // no REPLACE_EXISTING: never overwrites
                    written.remove(temp);
                    written.add(target);
                    saved = Optional.of(target);
                } else {
                    size = digesting.transferTo(OutputStream.nullOutputStream());
                }
            } catch (LimitedInputStream.TooLargeException e) {
                throw unreadable(name, "il dépasse la taille maximale autorisée (" + e.maxBytes() + " octets)", e);
            } catch (IOException e) {
                throw unreadable(source, "impossible d'enregistrer la pièce jointe « " + printable(name) + " » dans « "
                        + dir.map(String::valueOf).orElse("") + " » (droits du dossier, espace disque)", e);
            }
            count(name, size);
            attachments.add(new Attachment(printable(name), contentType, size,
                    HexFormat.of().formatHex(sha.digest()), saved));
        }

        /** A fresh file of {@code dir} named after {@code name}, whatever {@code name} contains. */
        private Path target(String name) throws IOException {
            Path base = dir.orElseThrow();
            Files.createDirectories(base);
            String safe = safeFileName(name);
            String candidate = safe;
            for (int n = 2; usedNames.contains(candidate) || Files.exists(base.resolve(candidate)); n++) {
                candidate = n + "-" + safe;
            }
            usedNames.add(candidate);
            Path target = base.resolve(candidate).normalize();
            if (!base.equals(target.getParent())) {
                throw new IOException("unsafe attachment name"); // cannot happen after sanitising; checked anyway
            }
            return target;
        }

        ParseResult result(List<Reply> replies, Optional<MailInfo> mail, Optional<String> trailing) {
            if (replies.isEmpty()) {
                String others = attachments.isEmpty() ? "" : " (fichiers présents : "
                        + attachments.stream().map(Attachment::name).collect(Collectors.joining(", ")) + ")";
                throw unreadable(source, "il ne contient aucun message ACTES" + abbreviate(others, 400), null);
            }
            List<Reply> enriched = withEnvelopes(replies);
            LOG.debug("{}: {} ACTES message(s), {} other file(s)", printable(source), enriched.size(), attachments.size());
            return new ParseResult(printable(source), enriched, attachments, mail, trailing);
        }
    }

    /**
     * Gives each message the emitter and recipient SIREN of the prefecture envelope that lists it
     * (or of the only envelope present): an AnomalieActe is matched by SIREN through it.
     */
    private static List<Reply> withEnvelopes(List<Reply> replies) {
        List<Reply> envelopes = replies.stream().filter(r -> r.type() == MessageType.ENVELOPPE_MISILL_CL).toList();
        if (envelopes.isEmpty()) {
            return replies;
        }
        List<Reply> out = new ArrayList<>();
        for (Reply r : replies) {
            if (r.type().isEnvelope()) {
                out.add(r);
                continue;
            }
            Optional<Reply> envelope = envelopes.stream().filter(e -> e.formulaires().contains(r.sourceFile())).findFirst();
            if (envelope.isEmpty() && envelopes.size() == 1) {
                envelope = Optional.of(envelopes.get(0));
            }
            out.add(envelope.map(e -> r.withEnvelope(e.emitter(), e.siren())).orElse(r));
        }
        return out;
    }

    /** Keeps letters, digits, {@code . _ -}; no leading dot; bounded length. */
    static String safeFileName(String name) {
        String last = name;
        int slash = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
        if (slash >= 0) last = last.substring(slash + 1);
        StringBuilder s = new StringBuilder();
        for (char ch : last.toCharArray()) {
            s.append((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '.' || ch == '_' || ch == '-' ? ch : '_');
        }
        String safe = s.toString().replaceAll("\\.{2,}", ".").replaceFirst("^[.]+", "");
        if (safe.length() > 150) safe = safe.substring(safe.length() - 150);
        return safe.isEmpty() ? "piece-jointe" : safe;
    }

    /** Lets an entry's reader close its stream without closing the archive. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the archive stream is closed by its owner
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove {} after a refused input: {}", file, e.getMessage());
        }
    }
}
