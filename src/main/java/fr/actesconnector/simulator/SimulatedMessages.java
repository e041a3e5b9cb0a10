package fr.actesconnector.simulator;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Collectivite;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The ACTES messages the simulated TdT and prefecture write: the 1-1 message S²LOW builds from the
 * post, and the ARActe, AnomalieActe and ARAnnulation the ministry sends back, all echoing the
 * posted data through {@link TransmissionWriter#fill} and marshalled by {@link ActesXml}.
 */
final class SimulatedMessages {
    /** Detached signatures larger than this are not echoed (a real one is a few kB). */
    private static final int MAX_SIGNATURE_BYTES = 1024 * 1024;

    private final ActesXml xml;
    private final Collectivite collectivite;
    private final LocalDate classificationDate;

    SimulatedMessages(ActesXml xml, Collectivite collectivite, LocalDate classificationDate) {
        this.xml = Objects.requireNonNull(xml, "xml");
        this.collectivite = Objects.requireNonNull(collectivite, "collectivite");
        this.classificationDate = Objects.requireNonNull(classificationDate, "classificationDate");
    }

    LocalDate classificationDate() {
        return classificationDate;
    }

    /** Writes the 1-1 Acte message of {@code posted} to {@code target}. */
    void writeActe(Transaction.Posted posted, Path target) throws IOException {
        fr.actesconnector.protocol.jaxb.Acte m = new fr.actesconnector.protocol.jaxb.Acte();
        fill(m, posted);
        xml.write(m, target);
    }

    void writeARActe(Transaction.Posted posted, LocalDate reception, Path target) throws IOException {
        ARActe ar = new ARActe();
        ar.setIDActe(posted.idActe().value());
        ar.setDateReception(reception);
        ActeData recu = new ActeData();
        fill(recu, posted);
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
        fill(recu, posted);
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

    private void fill(ActeData m, Transaction.Posted posted) throws IOException {
        List<Transaction.StoredFile> pieces = posted.files().subList(1, posted.files().size());
        List<ArchivedPiece> named = new ArrayList<>();
        List<String> signatures = new ArrayList<>();
        boolean anySignature = false;
        for (Transaction.StoredFile f : pieces) {
            named.add(new ArchivedPiece(named.isEmpty() ? "document" : "annexe", f.name(), f.path(),
                    f.kind().orElse(FileKind.PDF)));
            String signature = f.signature().isPresent() ? signatureText(f.signature().get()) : null;
            anySignature |= signature != null;
            signatures.add(signature);
        }
        Acte acte = new Acte(collectivite, posted.number(), posted.decisionDate(), posted.nature(), posted.classification(),
                posted.subject(), new Piece(pieces.get(0).path(), new Typologie(pieces.get(0).codePj())),
                pieces.subList(1, pieces.size()).stream().map(f -> new Piece(f.path(), new Typologie(f.codePj()))).toList(),
                posted.documentPapier());
        TransmissionWriter.fill(m, acte, classificationDate, named, anySignature ? signatures : List.of());
    }

    /** A detached signature as S²LOW embeds it: PEM text; DER is wrapped in a PKCS7 PEM block. */
    private static String signatureText(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
        }
        if (bytes.length > MAX_SIGNATURE_BYTES) return null;
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("-----BEGIN")) return text.strip();
        return "-----BEGIN PKCS7-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(bytes)
                + "\n-----END PKCS7-----";
    }
}
