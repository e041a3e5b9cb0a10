package fr.actesconnector.simulator;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Typologie;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.TransmissionWriter;
import fr.actesconnector.protocol.TransmissionWriter.ArchivedPiece;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.ARAnnulation;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.AnomalieActe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ACTES messages of an acte: the 1-1 message S²LOW builds from the post, and the ARActe,
 * AnomalieActe and ARAnnulation the ministry sends back, all echoing the posted data through
 * {@link TransmissionWriter#fill} and marshalled by {@link ActesXml}.
 */
final class SimulatedMessages {
    private static final String SIGNATURE_MARK = "@@SIMULATED-S2LOW-SIGNATURE-";

    private final ActesXml xml;
    private final LocalDate classificationDate;

    SimulatedMessages(ActesXml xml, LocalDate classificationDate) {
        this.xml = Objects.requireNonNull(xml, "xml");
        this.classificationDate = Objects.requireNonNull(classificationDate, "classificationDate");
    }

    /**
     * Writes the 1-1 message of {@code posted} to {@code target}. Each uploaded signature goes into
     * {@code Signature} as its bytes, trailing whitespace removed and {@code "} turned into {@code \"},
     * nothing else: S²LOW reads the file as a string and writes it as is (ActesTransaction.class.php,
     * addSign and generateActeXMLFile). A binary (DER) signature therefore makes a message that is
     * not XML; the validation after the OK refuses it.
     */
    void writeActe(Transaction.Posted posted, Path target) throws IOException {
        fr.actesconnector.protocol.jaxb.Acte m = new fr.actesconnector.protocol.jaxb.Acte();
        List<Transaction.StoredFile> pieces = pieces(posted);
        List<String> marks = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < pieces.size(); i++) {
            any |= pieces.get(i).signature().isPresent();
            marks.add(pieces.get(i).signature().isPresent() ? SIGNATURE_MARK + i + "@@" : null);
        }
        fill(m, posted, any ? marks : List.of());
        ByteArrayOutputStream marshalled = new ByteArrayOutputStream();
        xml.write(m, marshalled); // small: the signatures are spliced in as the file is written
        String text = marshalled.toString(StandardCharsets.ISO_8859_1);
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".message-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                int from = 0;
                for (int i = 0; i < pieces.size(); i++) {
                    if (marks.get(i) == null) continue;
                    int at = text.indexOf(marks.get(i), from);
                    out.write(text.substring(from, at).getBytes(StandardCharsets.ISO_8859_1));
                    copySignature(pieces.get(i).signature().get(), out);
                    from = at + marks.get(i).length();
                }
                out.write(text.substring(from).getBytes(StandardCharsets.ISO_8859_1));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void writeARActe(Transaction.Posted posted, LocalDate reception, Path target) throws IOException {
        ARActe ar = new ARActe();
        ar.setIDActe(posted.idActe().value());
        ar.setDateReception(reception);
        ActeData recu = new ActeData();
        fill(recu, posted, signatureTexts(posted));
        ar.setActeRecu(recu);
        ar.setClassificationDateVersionEnCours(classificationDate);
        xml.write(ar, target);
    }

    void writeAnomalieActe(Transaction.Posted posted, LocalDate day, Transaction.Anomaly anomaly, Path target)
            throws IOException {
        AnomalieActe a = new AnomalieActe();
        a.setDate(day);
        a.setNature(anomaly.nature());
        a.setDetail(anomaly.detail());
        ActeData recu = new ActeData();
        fill(recu, posted, signatureTexts(posted));
        a.setActeRecu(recu);
        a.setClassificationDateVersionEnCours(classificationDate);
        xml.write(a, target);
    }

    void writeARAnnulation(IdActe idActe, LocalDate reception, Path target) {
        ARAnnulation ar = new ARAnnulation();
        ar.setIDActe(idActe.value());
        ar.setDateReception(reception);
        xml.write(ar, target);
    }

    /**
     * The signature as S²LOW stores it (rtrim of the file), as text when it is UTF-8, which is what
     * get_files_list can put in its JSON; empty for a binary one (PHP's json_encode then fails).
     */
    static Optional<String> storedSignatureText(Path signature) throws IOException {
        byte[] bytes = trimmedBytes(signature);
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static List<Transaction.StoredFile> pieces(Transaction.Posted posted) {
        return posted.files().subList(1, posted.files().size());
    }

    /** The echo the prefecture makes of each signature: only text signatures ever get that far. */
    private static List<String> signatureTexts(Transaction.Posted posted) throws IOException {
        List<String> texts = new ArrayList<>();
        boolean any = false;
        for (Transaction.StoredFile f : pieces(posted)) {
            String text = f.signature().isPresent() ? new String(trimmedBytes(f.signature().get()), StandardCharsets.ISO_8859_1) : null;
            any |= text != null && !text.isEmpty();
            texts.add(text == null || text.isEmpty() ? null : text);
        }
        return any ? texts : List.of();
    }

    private void fill(ActeData m, Transaction.Posted posted, List<String> signatures) {
        List<Transaction.StoredFile> pieces = pieces(posted);
        List<ArchivedPiece> named = new ArrayList<>();
        for (Transaction.StoredFile f : pieces) {
            named.add(new ArchivedPiece(named.isEmpty() ? "document" : "annexe", f.name(), f.path(),
                    f.kind().orElse(FileKind.PDF)));
        }
        Acte acte = new Acte(posted.authority(), posted.number(), posted.decisionDate(), posted.nature(), posted.classification(),
                posted.subject(), new Piece(pieces.get(0).path(), new Typologie(pieces.get(0).codePj())),
                pieces.subList(1, pieces.size()).stream().map(f -> new Piece(f.path(), new Typologie(f.codePj()))).toList(),
                posted.documentPapier());
        TransmissionWriter.fill(m, acte, classificationDate, named, signatures);
    }

    /** rtrim: the bytes without trailing spaces, tabs, CR, LF, NUL and vertical tabs. */
    private static void copySignature(Path signature, OutputStream out) throws IOException {
        long keep = trimmedLength(signature);
        try (InputStream in = Files.newInputStream(signature)) {
            byte[] buf = new byte[8192];
            long left = keep;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '"') out.write('\\');
                    out.write(buf[i]);
                }
                left -= n;
            }
        }
    }

    private static byte[] trimmedBytes(Path signature) throws IOException {
        long keep = trimmedLength(signature);
        try (InputStream in = Files.newInputStream(signature)) {
            return in.readNBytes((int) Math.min(keep, Integer.MAX_VALUE - 8));
        }
    }

    private static long trimmedLength(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long end = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (end > 0) {
                long start = Math.max(0, end - buf.capacity());
                buf.clear().limit((int) (end - start));
                ch.position(start);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // fill the block
                }
                for (int i = (int) (end - start) - 1; i >= 0; i--) {
                    byte b = buf.get(i);
                    if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != 0 && b != 0x0B) return start + i + 1;
                }
                end = start;
            }
            return 0;
        }
    }
}
