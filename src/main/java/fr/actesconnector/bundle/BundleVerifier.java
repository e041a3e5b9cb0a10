package fr.actesconnector.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.LimitedInputStream;
import fr.actesconnector.protocol.TarNames;
import fr.actesconnector.protocol.jaxb.ARActe;
import fr.actesconnector.protocol.jaxb.Acte;
import fr.actesconnector.protocol.jaxb.ActeData;
import fr.actesconnector.protocol.jaxb.AnswerReceipt;
import fr.actesconnector.protocol.jaxb.LetterReference;
import fr.actesconnector.protocol.jaxb.MatiereCodeEntry;
import fr.actesconnector.protocol.jaxb.SignedFile;
import fr.actesconnector.signing.VerifiedSignature;
import fr.actesconnector.signing.Verifier;

/**
 * Checks a proof bundle offline, as anyone could without the connector: every hash and size of the
 * manifest, nothing in the zip outside it, the RFC 3161 token over the manifest when there is one, every
 * CMS signature against its document, the archive sent against the files beside it, the ARActe against
 * the {@code Acte} message sent, and the dates in order. Each check is reported in French; a bundle that
 * cannot be opened safely is refused ({@link NotABundleException}) before anything is read.
 */
public final class BundleVerifier {
    /** A manifest larger than this is not one. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** A time-stamp token is a few kilobytes. */
    private static final long MAX_TOKEN_BYTES = 1024 * 1024;
    private static final long MAX_ARCHIVE_BYTES = 512L * 1024 * 1024;
    private static final Pattern ARCHIVE_DAY = Pattern.compile("--(\\d{8})-\\d+\\.tar\\.gz$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    public enum Status { OK, FAILED, INFO }

    /** One check: what was checked (French), its outcome, and the French sentence saying what was found. */
    public record Check(String subject, Status status, String message) {
        public Check {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Every check made, in order; the bundle holds when none failed. */
    public record Report(String idActe, List<Check> checks) {
        public Report {
            Objects.requireNonNull(idActe, "idActe");
            checks = List.copyOf(checks);
        }

        public boolean verified() {
            return checks.stream().noneMatch(c -> c.status() == Status.FAILED);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> c.status() == Status.FAILED).toList();
        }
    }

    private final Clock clock;
    private final SafeZip zip;
    private final Path tempParent;
    private final ActesXml xml = new ActesXml();

    public BundleVerifier(Clock clock, SafeZip.Limits limits, Path tempParent) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zip = new SafeZip(limits);
        this.tempParent = Objects.requireNonNull(tempParent, "tempParent");
    }

    /**
     * @throws NotABundleException when {@code bundle} is not a zip, has no manifest, or is refused as hostile
     */
    public Report verify(Path bundle) {
        Objects.requireNonNull(bundle, "bundle");
        try (SafeZip.Extracted x = zip.extract(bundle, tempParent)) {
            Path manifestFile = x.files().get(Manifest.NAME);
            if (x.damaged().containsKey(Manifest.NAME)) {
                return new Report("?", List.of(new Check("Manifeste", Status.FAILED, "manifest.json est endommagé dans le "
                        + "zip (" + x.damaged().get(Manifest.NAME) + ") : aucune empreinte ne peut être contrôlée.")));
            }
            if (manifestFile == null) {
                throw new NotABundleException("« " + bundle.getFileName() + " » ne contient pas de manifest.json : ce n'est "
                        + "pas un dossier de preuve.", "no manifest in " + bundle);
            }
            List<Check> checks = new ArrayList<>();
            Manifest manifest;
            try (InputStream in = new LimitedInputStream(Files.newInputStream(manifestFile), MAX_MANIFEST_BYTES)) {
                manifest = Manifest.read(in);
                if (!Manifest.FORMAT.equals(manifest.format())) throw new IOException("format " + manifest.format());
            } catch (IOException | RuntimeException e) {
                checks.add(new Check("Manifeste", Status.FAILED, "manifest.json est illisible ou altéré ("
                        + e.getClass().getSimpleName() + ") : aucune empreinte ne peut être contrôlée."));
                return new Report("?", checks);
            }
            checks.add(new Check("Manifeste", Status.OK, "manifest.json lu : " + manifest.files().size()
                    + " fichiers annoncés pour l'acte " + manifest.idActe() + "."));
            hashes(manifest, x.files(), x.damaged(), checks);
            timestamp(x.files(), manifestFile, checks);
            signatures(manifest, x.files(), checks);
            Optional<Acte> sent = archive(manifest, x.files(), checks);
            List<ARActe> ars = acknowledgements(manifest, x.files(), sent, checks);
            dates(manifest, x.files(), sent, ars, checks);
            return new Report(manifest.idActe(), checks);
        }
    }

    // ---------------------------------------------------------------- hashes and completeness

    private static void hashes(Manifest manifest, Map<String, Path> files, Map<String, String> damaged, List<Check> checks) {
        Set<String> listed = new HashSet<>();
        for (Manifest.Entry e : manifest.files()) {
            if (!listed.add(e.path())) {
                checks.add(new Check("Empreinte", Status.FAILED, e.path() + " : cité deux fois dans le manifeste."));
                continue;
            }
            if (damaged.containsKey(e.path())) {
                checks.add(new Check("Empreinte", Status.FAILED, e.path() + " : contenu endommagé dans le zip ("
                        + damaged.get(e.path()) + ") : le fichier a été modifié."));
                continue;
            }
            Path file = files.get(e.path());
            if (file == null) {
                checks.add(new Check("Empreinte", Status.FAILED, e.path() + " : annoncé par le manifeste, absent du dossier."));
                continue;
            }
            try {
                long size = Files.size(file);
                String sha = sha256(file);
                if (!sha.equals(e.sha256()) || size != e.size()) {
                    checks.add(new Check("Empreinte", Status.FAILED, e.path() + " : empreinte SHA-256 " + sha + " (" + size
                            + " octets), le manifeste annonce " + e.sha256() + " (" + e.size()
                            + " octets) : le fichier ou le manifeste a été modifié."));
                } else {
                    checks.add(new Check("Empreinte", Status.OK, e.path() + " : SHA-256 et taille conformes au manifeste."));
                }
            } catch (IOException ex) {
                checks.add(new Check("Empreinte", Status.FAILED, e.path() + " : illisible (" + ex.getClass().getSimpleName() + ")."));
            }
        }
        List<String> extra = java.util.stream.Stream.concat(files.keySet().stream(), damaged.keySet().stream())
                .filter(n -> !listed.contains(n) && !n.equals(Manifest.NAME)
                && !n.equals(Manifest.TIMESTAMP_NAME)).toList();
        if (extra.isEmpty()) {
            checks.add(new Check("Contenu", Status.OK, "Aucun fichier du dossier n'est hors du manifeste."));
        } else {
            for (String n : extra) {
                checks.add(new Check("Contenu", Status.FAILED, n + " : fichier hors du manifeste (ajouté après coup)."));
            }
        }
    }

    // ---------------------------------------------------------------- time-stamp

    private void timestamp(Map<String, Path> files, Path manifestFile, List<Check> checks) {
        Path token = files.get(Manifest.TIMESTAMP_NAME);
        if (token == null) {
            checks.add(new Check("Horodatage", Status.INFO, "Pas de jeton d'horodatage (tsa.url non configuré) : "
                    + "le manifeste n'est pas daté par un tiers."));
            return;
        }
        try {
            if (Files.size(token) > MAX_TOKEN_BYTES) throw new IOException("token of " + Files.size(token) + " bytes");
            TimeStampCheck.Result r = TimeStampCheck.check(Files.readAllBytes(token), sha256Bytes(manifestFile));
            checks.add(new Check("Horodatage", Status.OK, "Le manifeste est horodaté le " + Fiche.moment(r.time())
                    + " par « " + r.authority() + " » (jeton RFC 3161 valide ; l'autorité est affichée, non contrôlée "
                    + "par rapport à une liste de confiance)."));
        } catch (ActesException e) {
            checks.add(new Check("Horodatage", Status.FAILED, e.userMessage()));
        } catch (IOException e) {
            checks.add(new Check("Horodatage", Status.FAILED, "Le jeton d'horodatage est illisible."));
        }
    }

    // ---------------------------------------------------------------- signatures

    private void signatures(Manifest manifest, Map<String, Path> files, List<Check> checks) {
        Verifier verifier = new Verifier(clock);
        boolean any = false;
        for (Manifest.Entry e : manifest.files()) {
            if (!e.kind().startsWith("signature")) continue;
            any = true;
            Path signature = files.get(e.path());
            Path document = e.signs() == null ? null : files.get(e.signs());
            if (signature == null || document == null) {
                checks.add(new Check("Signature", Status.FAILED, e.path() + " : "
                        + (signature == null ? "absente du dossier." : "le document signé (" + e.signs() + ") manque.")));
                continue;
            }
            try {
                VerifiedSignature v = verifier.verify(document, signature);
                checks.add(new Check("Signature", Status.OK, e.path() + " : signature CMS valide de « " + e.signs()
                        + " » ; signataire « " + v.signerSubject() + " »"
                        + v.signingTime().map(t -> ", signé le " + Fiche.moment(t)).orElse("")
                        + " (identité affichée, non contrôlée par rapport à une liste de confiance)."));
            } catch (ActesException ex) {
                checks.add(new Check("Signature", Status.FAILED, e.path() + " : " + ex.userMessage()
                        .replace(signature.toString(), e.path()).replace(document.toString(), e.signs())));
            }
        }
        if (!any) checks.add(new Check("Signature", Status.INFO, "L'acte a été transmis sans signature électronique."));
    }

    // ---------------------------------------------------------------- the archive sent

    /** Reads the archive sent: its Acte message, and its files compared with those beside it in the bundle. */
    private Optional<Acte> archive(Manifest manifest, Map<String, Path> files, List<Check> checks) {
        Optional<Manifest.Entry> archive = manifest.files().stream().filter(e -> e.kind().equals("archive")).findFirst();
        if (archive.isEmpty() || files.get(archive.get().path()) == null) {
            checks.add(new Check("Archive transmise", Status.FAILED, "Le dossier ne contient pas l'archive transmise (.tar.gz)."));
            return Optional.empty();
        }
        Map<String, String> besides = new LinkedHashMap<>();
        for (Manifest.Entry e : manifest.files()) {
            if ((e.kind().equals("document") || e.kind().equals("annexe")) && files.get(e.path()) != null) {
                besides.put(name(e.path()), e.path());
            }
        }
        Acte acte = null;
        String messageName = null;
        Map<String, String> tarHashes = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(files.get(archive.get().path()));
             TarArchiveInputStream tar = new TarArchiveInputStream(new LimitedInputStream(new GZIPInputStream(raw), MAX_ARCHIVE_BYTES))) {
            for (TarArchiveEntry te; (te = tar.getNextEntry()) != null; ) {
                if (!te.isFile()) continue;
                String n = TarNames.relative(te.getName()); // "./name" of tar czf x.tar.gz -C dir .
                if (n.endsWith("-1-1_0.xml")) {
                    acte = xml.read(new NonClosing(tar), n, Acte.class);
                    messageName = n;
                } else {
                    MessageDigest md = BundleWriter.sha256();
                    byte[] buffer = new byte[64 * 1024];
                    for (int r; (r = tar.read(buffer)) != -1; ) md.update(buffer, 0, r);
                    tarHashes.put(n, HexFormat.of().formatHex(md.digest()));
                }
            }
        } catch (IOException | ActesException e) {
            checks.add(new Check("Archive transmise", Status.FAILED, archive.get().path() + " est illisible ou n'est pas une "
                    + "archive ACTES (" + (e instanceof ActesException a ? a.userMessage() : e.getClass().getSimpleName()) + ")."));
            return Optional.empty();
        }
        if (acte == null) {
            checks.add(new Check("Archive transmise", Status.FAILED, archive.get().path() + " ne contient pas de message Acte (1-1)."));
            return Optional.empty();
        }
        String messageId = messageName.substring(0, messageName.length() - "-1-1_0.xml".length());
        if (!messageId.equals(manifest.idActe())) {
            checks.add(new Check("Archive transmise", Status.FAILED, "Le message de l'archive est celui de l'acte " + messageId
                    + ", le manifeste annonce " + manifest.idActe() + "."));
        }
        for (Map.Entry<String, String> b : besides.entrySet()) {
            String inTar = tarHashes.get(b.getKey());
            Path file = files.get(b.getValue());
            try {
                if (inTar == null) {
                    checks.add(new Check("Archive transmise", Status.FAILED, b.getValue() + " n'est pas dans l'archive transmise."));
                } else if (!inTar.equals(sha256(file))) {
                    checks.add(new Check("Archive transmise", Status.FAILED, b.getValue() + " diffère du fichier de même nom "
                            + "dans l'archive transmise."));
                } else {
                    checks.add(new Check("Archive transmise", Status.OK, b.getValue() + " est identique au fichier transmis."));
                }
            } catch (IOException e) {
                checks.add(new Check("Archive transmise", Status.FAILED, b.getValue() + " est illisible."));
            }
        }
        sentSignatures(manifest, files, acte, checks);
        checks.add(new Check("Archive transmise", Status.OK, "Message Acte lu dans l'archive : numéro " + acte.getNumeroInterne()
                + ", objet « " + acte.getObjet() + " »."));
        return Optional.of(acte);
    }

    /** Each PEM signature of the bundle is the one the Acte message carried for its file (ACTES-PROTOCOL §9). */
    private static void sentSignatures(Manifest manifest, Map<String, Path> files, Acte acte, List<Check> checks) {
        Map<String, String> inMessage = new LinkedHashMap<>();
        List<SignedFile> signed = new ArrayList<>();
        if (acte.getDocument() != null) signed.add(acte.getDocument());
        if (acte.getAnnexes() != null) signed.addAll(acte.getAnnexes().getAnnexe());
        for (SignedFile f : signed) {
            if (f.getNomFichier() != null && f.getSignature() != null) inMessage.put(f.getNomFichier(), base64(f.getSignature()));
        }
        for (Manifest.Entry e : manifest.files()) {
            if (!e.kind().equals("signature-pem") || e.signs() == null || files.get(e.path()) == null) continue;
            String sent = inMessage.get(name(e.signs()));
            try {
                String kept = base64(Files.readString(files.get(e.path()), StandardCharsets.US_ASCII));
                if (sent == null) {
                    checks.add(new Check("Archive transmise", Status.FAILED, e.path() + " : le message Acte envoyé ne porte pas "
                            + "de signature pour " + name(e.signs()) + "."));
                } else if (!sent.equals(kept)) {
                    checks.add(new Check("Archive transmise", Status.FAILED, e.path() + " n'est pas la signature que le message "
                            + "Acte envoyé porte pour " + name(e.signs()) + "."));
                } else {
                    checks.add(new Check("Archive transmise", Status.OK, e.path() + " est la signature transmise dans le message Acte."));
                }
            } catch (IOException | RuntimeException ex) {
                checks.add(new Check("Archive transmise", Status.FAILED, e.path() + " est illisible."));
            }
        }
    }

    /** The base64 body of a PEM text, without armour nor whitespace (S²LOW may escape or trim it). */
    private static String base64(String pem) {
        return pem.replaceAll("-----[A-Z0-9 #]+-----", "").replaceAll("[^A-Za-z0-9+/=]", "");
    }

    // ---------------------------------------------------------------- the ARActe

    private List<ARActe> acknowledgements(Manifest manifest, Map<String, Path> files, Optional<Acte> sent, List<Check> checks) {
        List<ARActe> ars = new ArrayList<>();
        for (Manifest.Entry e : manifest.files()) {
            if (!e.kind().equals("ar") || files.get(e.path()) == null || !e.path().endsWith(".xml")) continue;
            Object message;
            try {
                message = xml.read(files.get(e.path()));
            } catch (ActesException ex) {
                checks.add(new Check("Accusé de réception", Status.FAILED, e.path() + " est illisible : " + ex.userMessage()));
                continue;
            }
            if (!(message instanceof ARActe ar)) continue;
            ars.add(ar);
            if (sent.isEmpty()) continue;
            List<String> differences = compare(manifest.idActe(), sent.get(), ar);
            if (differences.isEmpty()) {
                checks.add(new Check("Accusé de réception", Status.OK, e.path() + " : IDActe, numéro interne, nature, matière et "
                        + "objet sont ceux du message envoyé ; reçu en préfecture le " + day(ar.getDateReception()) + "."));
            } else {
                checks.add(new Check("Accusé de réception", Status.FAILED, e.path() + " ne correspond pas au message envoyé : "
                        + String.join(" ; ", differences) + "."));
            }
        }
        if (ars.isEmpty()) {
            checks.add(new Check("Accusé de réception", Status.INFO, "Le dossier ne contient pas d'accusé de réception (ARActe) : "
                    + "l'acte n'avait pas encore été reçu en préfecture quand il a été établi."));
        }
        return ars;
    }

    static List<String> compare(String idActe, ActeData sent, ARActe ar) {
        List<String> d = new ArrayList<>();
        ActeData recu = ar.getActeRecu();
        differ(d, "IDActe", idActe, ar.getIDActe());
        if (recu == null) {
            d.add("l'accusé ne reprend pas l'acte reçu (ActeRecu)");
            return d;
        }
        differ(d, "NumeroInterne", sent.getNumeroInterne(), recu.getNumeroInterne());
        differ(d, "CodeNatureActe", String.valueOf(sent.getCodeNatureActe()), String.valueOf(recu.getCodeNatureActe()));
        differ(d, "Date", String.valueOf(sent.getDate()), String.valueOf(recu.getDate()));
        List<Function<ActeData, MatiereCodeEntry>> levels = List.of(ActeData::getCodeMatiere1, ActeData::getCodeMatiere2,
                ActeData::getCodeMatiere3, ActeData::getCodeMatiere4, ActeData::getCodeMatiere5);
        for (int i = 0; i < levels.size(); i++) {
            differ(d, "CodeMatiere" + (i + 1), code(levels.get(i).apply(sent)), code(levels.get(i).apply(recu)));
        }
        differ(d, "Objet", sent.getObjet(), recu.getObjet());
        return d;
    }

    private static String code(MatiereCodeEntry e) {
        return e == null ? "(aucun)" : String.valueOf(e.getCodeMatiere());
    }

    private static void differ(List<String> d, String field, String sent, String acknowledged) {
        if (!Objects.equals(sent, acknowledged)) {
            d.add(field + " « " + acknowledged + " » au lieu de « " + sent + " »");
        }
    }

    // ---------------------------------------------------------------- dates

    private void dates(Manifest manifest, Map<String, Path> files, Optional<Acte> sent, List<ARActe> ars, List<Check> checks) {
        List<String> problems = new ArrayList<>();
        LocalDate decision = sent.map(ActeData::getDate).orElse(null);
        LocalDate sentOn = manifest.files().stream().filter(e -> e.kind().equals("archive")).findFirst()
                .map(e -> ARCHIVE_DAY.matcher(e.path())).filter(Matcher::find)
                .map(m -> LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE)).orElse(null);
        LocalDate reception = ars.stream().map(ARActe::getDateReception).filter(Objects::nonNull).min(LocalDate::compareTo).orElse(null);
        List<LocalDate> letters = new ArrayList<>();
        List<LocalDate> answers = new ArrayList<>();
        for (Manifest.Entry e : manifest.files()) {
            if (!(e.kind().equals("courrier") || e.kind().equals("answer")) || !e.path().endsWith(".xml")) continue;
            Path f = files.get(e.path());
            if (f == null) continue;
            try {
                Object m = xml.read(f);
                if (m instanceof LetterReference l && l.getDateCourrierPref() != null) {
                    if (l.getIDActe() != null && !l.getIDActe().equals(manifest.idActe())) {
                        problems.add(e.path() + " concerne l'acte " + l.getIDActe());
                    }
                    letters.add(l.getDateCourrierPref());
                } else if (m instanceof AnswerReceipt a && a.getDateReception() != null) {
                    answers.add(a.getDateReception());
                }
            } catch (ActesException ex) {
                problems.add(e.path() + " est illisible");
            }
        }
        order(problems, "la décision", decision, "l'envoi", sentOn);
        order(problems, "l'envoi", sentOn, "la réception en préfecture", reception);
        LocalDate before = reception != null ? reception : sentOn != null ? sentOn : decision;
        String beforeLabel = reception != null ? "la réception en préfecture" : "l'envoi";
        for (LocalDate l : letters) order(problems, beforeLabel, before, "le courrier de la préfecture du " + day(l), l);
        LocalDate firstLetter = letters.stream().min(LocalDate::compareTo).orElse(before);
        for (LocalDate a : answers) order(problems, "le premier courrier", firstLetter, "l'accusé de réception de la réponse du " + day(a), a);
        String chain = "décision " + day(decision) + " ≤ envoi " + day(sentOn) + " ≤ réception " + day(reception)
                + (letters.isEmpty() ? "" : " ≤ courriers " + letters.stream().map(BundleVerifier::day).toList())
                + (answers.isEmpty() ? "" : " ≤ accusés des réponses " + answers.stream().map(BundleVerifier::day).toList());
        if (problems.isEmpty()) {
            checks.add(new Check("Dates", Status.OK, "Les dates se suivent : " + chain + "."));
        } else {
            checks.add(new Check("Dates", Status.FAILED, "Les dates ne se suivent pas : " + String.join(" ; ", problems) + "."));
        }
    }

    private static void order(List<String> problems, String firstLabel, LocalDate first, String thenLabel, LocalDate then) {
        if (first != null && then != null && then.isBefore(first)) {
            problems.add(thenLabel + " (" + day(then) + ") précède " + firstLabel + " (" + day(first) + ")");
        }
    }

    private static String day(LocalDate d) {
        return d == null ? "—" : DAY.format(d);
    }

    // ---------------------------------------------------------------- helpers

    private static String name(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(sha256Bytes(file));
    }

    static byte[] sha256Bytes(Path file) throws IOException {
        MessageDigest md = BundleWriter.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) != -1; ) md.update(buffer, 0, n);
        }
        return md.digest();
    }

    /** Lets a parser read one tar entry without closing the archive. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar stream is closed by its owner
        }
    }
}
