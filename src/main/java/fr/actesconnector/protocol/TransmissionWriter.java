package fr.actesconnector.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import fr.actesconnector.model.Acte;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Classification;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.FileKind;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Latin1Text;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.AnnexList;
import fr.actesconnector.protocol.jaxb.AttachedForms;
import fr.actesconnector.protocol.jaxb.CollectiviteIdentity;
import fr.actesconnector.protocol.jaxb.CollectiviteSender;
import fr.actesconnector.protocol.jaxb.Contact;
import fr.actesconnector.protocol.jaxb.EnveloppeCLMISILL;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.ReturnAddresses;
import fr.actesconnector.protocol.jaxb.SignedFile;

/**
 * Builds the transmission of an acte (ACTES-PROTOCOL.md §5, §6, §11): the {@code Acte} (1-1)
 * message, the {@code EnveloppeCLMISILL} envelope, the document and annexes under their ministry
 * names, all in one flat {@code .tar.gz}. Both XML files are validated against the project's schema
 * before the archive is written; the acte itself must already have passed {@code ActeValidator}.
 */
public final class TransmissionWriter {
    /** Who sends: the collectivité, its referent and the addresses the prefecture answers to. */
    public record Sender(Collectivite collectivite, String referentNom, String referentTelephone, String referentEmail,
                         List<String> adressesRetour) {
        public Sender {
            Objects.requireNonNull(collectivite, "collectivite");
            adressesRetour = List.copyOf(adressesRetour);
            if (adressesRetour.isEmpty()) throw new IllegalArgumentException("at least one return address");
        }
    }

    /**
     * Everything one archive needs. {@code signatures} is empty or holds, for each piece in
     * transmission order (document then annexes), the PEM text of its detached CMS signature.
     */
    public record Request(Acte acte, LocalDate classificationDate, Sender sender, String trigramme, LocalDate day,
                          int envelopeNumber, List<String> signatures) {
        public Request {
            Objects.requireNonNull(acte, "acte");
            Objects.requireNonNull(classificationDate, "classificationDate");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(trigramme, "trigramme");
            Objects.requireNonNull(day, "day");
            signatures = List.copyOf(signatures);
            if (!signatures.isEmpty() && signatures.size() != acte.pieces().size()) {
                throw new IllegalArgumentException("one signature per piece expected");
            }
        }
    }

    /** A file of the archive: its ministry name and where its bytes came from. */
    public record ArchivedPiece(String role, String name, Path source, FileKind kind) {
    }

    /** The written archive and the names inside it. */
    public record Prepared(IdActe idActe, Path archive, String envelopeName, String messageName,
                           List<ArchivedPiece> pieces) {
        public List<String> entryNames() {
            List<String> names = new ArrayList<>();
            names.add(envelopeName);
            names.add(messageName);
            pieces.forEach(p -> names.add(p.name()));
            return names;
        }
    }

    private final ActesXml xml;
    private final ArchiveWriter archives;

    public TransmissionWriter(ActesXml xml, ArchiveWriter archives) {
        this.xml = Objects.requireNonNull(xml, "xml");
        this.archives = Objects.requireNonNull(archives, "archives");
    }

    /** Writes the archive into {@code outDir}; on failure nothing is left there. */
    public Prepared write(Request request, Path outDir, Instant now) {
        Acte acte = request.acte();
        IdActe id = acte.idActe();
        List<ArchivedPiece> pieces = name(acte, id);
        String messageName = MinistryNames.message(id, MinistryNames.ACTE);
        String siren = acte.collectivite().siren();
        String envelopeName = MinistryNames.envelope(siren, request.day(), request.envelopeNumber());
        Path archive = outDir.resolve(MinistryNames.archive(request.trigramme(), siren, request.day(), request.envelopeNumber()));
        if (Files.exists(archive)) {
            throw new ActesException(Reason.INTERNAL, "L'archive « " + archive.getFileName() + " » existe déjà dans "
                    + outDir + " : elle n'a pas été remplacée.", "archive already exists: " + archive);
        }
        Path staging = null;
        try {
            Files.createDirectories(outDir);
            staging = Files.createTempDirectory(outDir, ".staging-");
            Path message = staging.resolve(messageName);
            xml.writeValidated(acteMessage(request, pieces), message);
            Path envelope = staging.resolve(envelopeName);
            xml.writeValidated(envelope(request.sender(), messageName), envelope);
            List<ArchiveWriter.Entry> entries = new ArrayList<>();
            entries.add(new ArchiveWriter.Entry(envelopeName, envelope));
            entries.add(new ArchiveWriter.Entry(messageName, message));
            pieces.forEach(p -> entries.add(new ArchiveWriter.Entry(p.name(), p.source(), p.kind() == FileKind.XML)));
            archives.write(archive, entries, now);
            return new Prepared(id, archive, envelopeName, messageName, pieces);
        } catch (IOException e) {
            throw new ActesException(Reason.INTERNAL, "Le dossier « " + outDir + " » n'est pas utilisable ("
                    + e.getClass().getSimpleName() + ") : vérifiez qu'il existe et que vous pouvez y écrire.",
                    id + ": cannot prepare in " + outDir + ": " + e, e);
        } finally {
            quietlyDeleteTree(staging);
        }
    }

    /** Ministry names of the document (k = 1) and annexes (k = 2…), with the extension of their real type. */
    static List<ArchivedPiece> name(Acte acte, IdActe id) {
        List<ArchivedPiece> out = new ArrayList<>();
        List<Piece> pieces = acte.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            FileKind kind = kindOf(p.file());
            out.add(new ArchivedPiece(i == 0 ? "document" : "annexe", MinistryNames.piece(p.typologie(), id, i + 1, kind),
                    p.file(), kind));
        }
        return out;
    }

    private static FileKind kindOf(Path file) {
        try {
            return FileKind.detect(file).orElseThrow(() -> new ActesException(Reason.INVALID_INPUT,
                    "Le fichier « " + file.getFileName() + " » n'est ni un PDF, ni un XML, ni une image PNG ou JPEG.",
                    "unsupported file type: " + file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static fr.actesconnector.protocol.jaxb.Acte acteMessage(Request request, List<ArchivedPiece> pieces) {
        Acte acte = request.acte();
        fr.actesconnector.protocol.jaxb.Acte m = new fr.actesconnector.protocol.jaxb.Acte();
        fill(m, acte, request.classificationDate(), pieces, request.signatures());
        return m;
    }

    /** Fills the DonneesActe part, shared by the 1-1 message and the echo a prefecture sends back. */
    public static void fill(ActeData m, Acte acte, LocalDate classificationDate, List<ArchivedPiece> pieces,
                            List<String> signatures) {
        m.setDate(acte.dateDecision());
        m.setNumeroInterne(acte.numeroInterne());
        m.setCodeNatureActe(acte.nature().code());
        Classification c = acte.classification();
        m.setCodeMatiere1(matiere(c.level(1)).orElseThrow());
        m.setCodeMatiere2(matiere(c.level(2)).orElseThrow());
        m.setCodeMatiere3(matiere(c.level(3)).orElse(null));
        m.setCodeMatiere4(matiere(c.level(4)).orElse(null));
        m.setCodeMatiere5(matiere(c.level(5)).orElse(null));
        m.setObjet(Latin1Text.transliterate(acte.objet().trim()));
        m.setClassificationDateVersion(classificationDate);
        m.setDocument(signedFile(pieces.get(0).name(), signatures.isEmpty() ? null : signatures.get(0)));
        AnnexList annexes = new AnnexList();
        annexes.setNombre(pieces.size() - 1);
        for (int i = 1; i < pieces.size(); i++) {
            annexes.getAnnexe().add(signedFile(pieces.get(i).name(), signatures.isEmpty() ? null : signatures.get(i)));
        }
        m.setAnnexes(annexes);
        m.setDocumentPapier(acte.documentPapier() ? "O" : "N");
    }

    private static Optional<MatiereCodeEntry> matiere(Optional<Integer> level) {
        return level.map(l -> {
            MatiereCodeEntry e = new MatiereCodeEntry();
            e.setCodeMatiere(l);
            return e;
        });
    }

    private static SignedFile signedFile(String name, String signaturePem) {
        SignedFile f = new SignedFile();
        f.setNomFichier(name);
        if (signaturePem != null) f.setSignature(signaturePem.strip());
        return f;
    }

    static EnveloppeCLMISILL envelope(Sender sender, String messageName) {
        Collectivite c = sender.collectivite();
        CollectiviteIdentity idcl = new CollectiviteIdentity();
        idcl.setSIREN(c.siren());
        idcl.setDepartement(c.departement());
        idcl.setArrondissement(c.arrondissement());
        idcl.setNature(c.nature());
        CollectiviteSender emetteur = new CollectiviteSender();
        emetteur.setIDCL(idcl);
        if (!blank(sender.referentNom()) || !blank(sender.referentTelephone()) || !blank(sender.referentEmail())) {
            Contact referent = new Contact();
            referent.setNom(blank(sender.referentNom()) ? null : Latin1Text.transliterate(sender.referentNom()));
            referent.setTelephone(blank(sender.referentTelephone()) ? null : sender.referentTelephone());
            referent.setEmail(blank(sender.referentEmail()) ? null : sender.referentEmail());
            emetteur.setReferent(referent);
        }
        ReturnAddresses retour = new ReturnAddresses();
        retour.getEmail().addAll(sender.adressesRetour());
        AttachedForms forms = new AttachedForms();
        forms.getFormulaire().add(signedFile(messageName, null));
        EnveloppeCLMISILL e = new EnveloppeCLMISILL();
        e.setEmetteur(emetteur);
        e.setAdressesRetour(retour);
        e.setFormulairesEnvoyes(forms);
        return e;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void quietlyDeleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover hidden staging file is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
