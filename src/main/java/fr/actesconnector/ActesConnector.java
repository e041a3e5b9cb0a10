package fr.actesconnector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.actesconnector.inbox.EmlInbox;
import fr.actesconnector.inbox.ImapInbox;
import fr.actesconnector.inbox.IntakeResult;
import fr.actesconnector.inbox.MailConfig;
import fr.actesconnector.inbox.MessageParser;
import fr.actesconnector.inbox.Notifier;
import fr.actesconnector.inbox.ParseResult;
import fr.actesconnector.journal.ArchivedFile;
import fr.actesconnector.journal.Journal;
import fr.actesconnector.journal.Publications;
import fr.actesconnector.journal.JournalConfig;
import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.NewActe;
import fr.actesconnector.journal.Registration;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.model.Acte;
import fr.actesconnector.model.Actor;
import fr.actesconnector.model.ActeValidator;
import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.ConfigException;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.InvalidActeException;
import fr.actesconnector.model.Piece;
import fr.actesconnector.model.Reason;
import fr.actesconnector.model.Violation;
import fr.actesconnector.protocol.ActesXml;
import fr.actesconnector.protocol.ArchiveWriter;
import fr.actesconnector.protocol.ClassificationReader;
import fr.actesconnector.protocol.TransmissionWriter;
import fr.actesconnector.protocol.UnreadableMessageException;
import fr.actesconnector.signing.DetachedSignature;
import fr.actesconnector.signing.Signer;
import fr.actesconnector.signing.SigningConfig;
import fr.actesconnector.tdt.CreateResult;
import fr.actesconnector.tdt.TdtClient;
import fr.actesconnector.tdt.TdtConfig;
import fr.actesconnector.tdt.TdtRefusedException;
import fr.actesconnector.tdt.TdtSubmission;
import fr.actesconnector.tdt.TdtUnavailableException;

/**
 * The connector's façade: the only place where the chain acte → message → signed archive → TdT →
 * journal is composed. Its constructor reads every collectivité's classification at once (fail
 * fast), unless made by {@link #oneShot} for a command that reads the journal only; the journal, TdT clients,
 * signers and the JAXB machinery are made on first use, since {@code prepare} needs no journal nor TdT and
 * {@code status} no XML. Each acte goes through its own collectivité (by SIREN): its classification, its
 * signing certificate, its TdT account; one TdT client per account, shared by the collectivités
 * that use the same one. Thread-safe; {@link #close()} releases everything.
 */
public final class ActesConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActesConnector.class);

    /** Where the send path is; tests inject failures at each checkpoint to prove restarts post once. */
    public enum Checkpoint { REGISTERED, ARCHIVED, POSTING_MARKED, CREATED, POSTED }

    /** Hook called at each checkpoint of {@link #send}; the default does nothing. */
    @FunctionalInterface
    public interface SendProbe {
        void reached(Checkpoint checkpoint, IdActe idActe);
    }

    /** Result of {@link #prepare}: the archive, its IDActe, the signatures written and the warnings. */
    public record Prepared(IdActe idActe, Path archive, List<String> entryNames, List<Path> signatureFiles,
                           List<Violation> warnings) {
    }

    /**
     * Result of {@link #send}: the journal entry after the call; {@code posted} is false when the acte
     * was already known and nothing was sent.
     */
    public record Sent(JournalEntry entry, boolean posted, boolean recovered, List<Violation> warnings) {
        public String transactionId() {
            return entry.transactionId().orElse("");
        }
    }

    /** Result of {@link #reply}: the answer as journaled; {@code posted} false when it was already sent. */
    public record Replied(fr.actesconnector.journal.Letters.Answer answer, boolean posted) {
    }

    private final ConnectorConfig config;
    private final Clock clock;
    private Journal journal;
    // Made on first use: the JAXB context and the classification read are some 600 classes, loaded for nothing by status.
    private final Lazy<ActesXml> xml = new Lazy<>(() -> new ActesXml());
    private final Lazy<TransmissionWriter> writer = new Lazy<>(() -> new TransmissionWriter(xml(), new ArchiveWriter()));
    private final SendProbe probe;
    private final Lazy<MessageParser> parser = new Lazy<>(() -> new MessageParser());
    /** By SIREN; an entry is replaced when {@link #updateClassification} fetches a new one. */
    private final Lazy<Map<String, ClassificationCatalogue>> catalogues = new Lazy<>(this::readCatalogues);
    private MailConfig mailConfig;
    private ReplyRecorder replyRecorder;
    /** One client per TdT account (its settings), whatever the number of collectivités using it; guards the two below. */
    private final Map<TdtConfig, TdtClient> tdtPool = new HashMap<>();
    /** By SIREN: the account that posts, and the one that follows (tdt.confirm.login, else the same); read without lock. */
    private final Map<String, TdtClient> postingTdt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, TdtClient> followingTdt = new java.util.concurrent.ConcurrentHashMap<>();
    /** One request budget per TdT account for every client this connector makes. */
    private final Lazy<fr.actesconnector.tdt.TdtRateLimits> rateLimits = new Lazy<>(() -> new fr.actesconnector.tdt.TdtRateLimits());
    private AnswerSender answerSender;
    private final Map<String, Signer> signers = new HashMap<>();

    public ActesConnector(ConnectorConfig config, Clock clock) {
        this(config, clock, (c, id) -> { });
    }

    public ActesConnector(ConnectorConfig config, Clock clock, SendProbe probe) {
        this(config, clock, probe, false);
    }

    private ActesConnector(ConnectorConfig config, Clock clock, SendProbe probe, boolean oneShot) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probe = Objects.requireNonNull(probe, "probe");
        if (!oneShot) catalogues.get(); // fail fast, unless a one-shot command may not need them
    }

    /**
     * A connector for a one-shot command that reads the journal only ({@code status}): the classifications are
     * read at their first use rather than now, so such a command neither loads the XML machinery nor fails on a
     * classification file it does not need. Otherwise as the constructor's connector.
     */
    public static ActesConnector oneShot(ConnectorConfig config, Clock clock) {
        return new ActesConnector(config, clock, (c, id) -> { }, true);
    }

    private Map<String, ClassificationCatalogue> readCatalogues() {
        Map<String, ClassificationCatalogue> bySiren = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Path, ClassificationCatalogue> read = new HashMap<>(); // collectivités of one prefecture share a file
        for (CollectiviteConfig c : config.collectivites()) {
            bySiren.put(c.siren(), read.computeIfAbsent(c.classificationFile(), this::readCatalogue));
        }
        return bySiren;
    }

    private ClassificationCatalogue readCatalogue(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Le fichier de classification « " + file + " » (classification.file) est introuvable : "
                    + "récupérez la classification de la préfecture avec « tdt classification --update ».",
                    "classification file not found: " + file);
        }
        try {
            return new ClassificationReader(xml()).read(file);
        } catch (UnreadableMessageException e) {
            throw new ConfigException("La classification « " + file + " » (classification.file) est illisible : "
                    + e.userMessage(), "unreadable classification " + file + ": " + e.getMessage());
        }
    }

    public ConnectorConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The first collectivité's classification (the only one of a single-file configuration). */
    public ClassificationCatalogue catalogue() {
        return catalogue(config.first().siren());
    }

    /**
     * The classification of the collectivité {@code siren}.
     *
     * @throws ConfigException when that collectivité is not configured
     */
    public ClassificationCatalogue catalogue(String siren) {
        ClassificationCatalogue c = catalogues.get().get(siren);
        if (c == null) config.of(siren); // throws, naming the configured ones
        return c;
    }

    /** For labels only: the collectivité's classification, or the first's for an acte whose collectivité left the configuration. */
    ClassificationCatalogue labelsFor(String siren) {
        return catalogues.get().getOrDefault(siren, catalogue());
    }

    /**
     * The journal, opened on first use so that a refused {@code prepare} writes nothing at all;
     * long-running commands call it at start to fail fast.
     */
    public synchronized Journal journal() {
        if (journal == null) {
            Map<String, String> values = new HashMap<>(config.values());
            // The poller's threads each hold a connection for a moment: size the pool after them.
            values.putIfAbsent("journal.pool-size", String.valueOf(Math.min(64, PollSettings.from(config).concurrency() + 2)));
            JournalConfig jc = JournalConfig.fromProperties(values, config.baseDir());
            requireGraceAboveTimeout(jc);
            journal = new Journal(jc, clock);
        }
        return journal;
    }

    /**
     * Another daemon looks a POSTING acte up on the TdT once the grace has passed: were the POST still in flight
     * (the TdT answers within tdt.timeout-seconds), it would find nothing and the acte would be sent twice.
     */
    private void requireGraceAboveTimeout(JournalConfig jc) {
        long timeout = TdtConfig.DEFAULT_TIMEOUT.toSeconds();
        try {
            timeout = Long.parseLong(config.get("tdt.timeout-seconds").orElse(String.valueOf(timeout)).trim());
        } catch (NumberFormatException e) {
            // reported with the TdT's settings
        }
        if (config.get("tdt.url").isPresent() && jc.postingGrace().toSeconds() <= timeout) {
            throw new ConfigException("journal.posting-grace-seconds (" + jc.postingGrace().toSeconds() + ") doit dépasser "
                    + "tdt.timeout-seconds (" + timeout + ") : un envoi encore en cours pourrait sinon être cherché sur le TdT "
                    + "par un autre démon, introuvable, et envoyé une seconde fois.",
                    "posting grace " + jc.postingGrace() + " not above TdT timeout " + timeout + " s");
        }
    }

    public ActesXml xml() {
        return xml.get();
    }

    /** Every finding on {@code acte}, errors and warnings. */
    public List<Violation> validate(Acte acte) {
        return validator(acte).validate(acte);
    }

    /** The validator of the acte's collectivité: its classification, its limits. */
    private ActeValidator validator(Acte acte) {
        String siren = acte.collectivite().siren();
        return new ActeValidator(catalogue(siren), config.of(siren).validationSettings(), clock);
    }

    /**
     * Validates the acte, signs its files if asked, and writes its archive into {@code outDir}.
     *
     * @throws InvalidActeException with every violation when the acte cannot be transmitted
     */
    public Prepared prepare(Acte acte, Path outDir, boolean sign) {
        List<Violation> warnings = validator(acte).check(acte);
        List<Path> signatureFiles = sign ? sign(acte, outDir) : List.of();
        TransmissionWriter.Prepared p;
        try {
            p = writeArchive(acte, outDir, signatureFiles);
        } catch (RuntimeException e) {
            signatureFiles.forEach(ActesConnector::quietlyDelete); // no half-done output: signatures without their archive
            throw e;
        }
        LOG.info("{}: archive {} written", p.idActe(), p.archive().getFileName());
        return new Prepared(p.idActe(), p.archive(), p.entryNames(), signatureFiles, warnings);
    }

    private TransmissionWriter.Prepared writeArchive(Acte acte, Path outDir, List<Path> signatureFiles) {
        List<String> pems = new ArrayList<>();
        for (Path s : signatureFiles) pems.add(DetachedSignature.read(s).pem());
        LocalDate day = LocalDate.now(clock.withZone(config.validationSettings().zone()));
        String siren = acte.collectivite().siren();
        CollectiviteConfig collectivite = config.of(siren);
        int n = journal().counters().nextEnvelopeNumber(siren, day);
        // A name already on disk (journal restored from a backup, shared folder): take the next number.
        while (Files.exists(outDir.resolve(fr.actesconnector.protocol.MinistryNames.archive(config.trigramme(), siren, day, n)))) {
            n = journal().counters().nextEnvelopeNumber(siren, day);
        }
        ConnectorConfig.Referent r = collectivite.referent();
        TransmissionWriter.Sender sender = new TransmissionWriter.Sender(acte.collectivite(), r.nom(), r.telephone(),
                r.email(), collectivite.retourEmails());
        return writer.get().write(new TransmissionWriter.Request(acte, catalogue(siren).dateClassification(), sender,
                config.trigramme(), day, n, pems), outDir, clock.instant());
    }

    /** Signs the document and each annex; the {@code .p7s} files go to {@code dir}, named after the pieces' order. */
    private List<Path> sign(Acte acte, Path dir) {
        Signer s = signer(acte.collectivite().siren());
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ActesException(Reason.INVALID_INPUT, "Le dossier « " + dir + " » ne peut pas être créé.",
                    "cannot create " + dir, e);
        }
        IdActe id = acte.idActe();
        for (int i = 0; i < acte.pieces().size(); i++) {
            Path target = dir.resolve(id.value() + "-" + (i + 1) + ".p7s");
            s.signTo(acte.pieces().get(i).file(), target);
            out.add(target);
        }
        return out;
    }

    /** The signer of the collectivité {@code siren} ({@code signature.*}), made on first use. */
    private synchronized Signer signer(String siren) {
        Signer signer = signers.get(siren);
        if (signer == null) {
            CollectiviteConfig c = config.of(siren);
            String whose = config.collectivites().size() > 1 ? " (" + c.label() + ")" : "";
            Path keystore = c.path("signature.keystore").orElseThrow(() -> new ConfigException(
                    "signature.keystore manque" + whose + " : indiquez le fichier PKCS#12 du certificat de signature pour "
                            + "utiliser --sign.", "signature.keystore missing for " + siren));
            SigningConfig sc = new SigningConfig(keystore, c.secret("signature.password").orElseThrow(() ->
                    new ConfigException("signature.password manque" + whose + " : donnez le mot de passe du certificat de "
                            + "signature (variable " + (whose.isEmpty() ? ConnectorConfig.envName("signature.password")
                            : ConnectorConfig.envName(siren, "signature.password")) + ").",
                            "signature.password missing for " + siren)),
                    c.get("signature.alias"));
            signer = new Signer(sc, clock);
            signer.warnings().forEach(w -> LOG.warn("signing certificate of {}: {}", siren, w));
            signers.put(siren, signer);
        }
        return signer;
    }

    /** Warnings about the first collectivité's signing certificate (expiry within 90 days), in French. */
    public List<String> signerWarnings() {
        return signerWarnings(config.first().siren());
    }

    /** Warnings about the signing certificate of the collectivité {@code siren}, in French. */
    public List<String> signerWarnings(String siren) {
        return signer(siren).warnings();
    }

    /** The first collectivité's TdT client (the only one of a single-file configuration). */
    public TdtClient tdt() {
        return tdt(config.first().siren());
    }

    /**
     * The client of the TdT account that posts for the collectivité {@code siren} ({@code tdt.*} keys of
     * its configuration), made on first use and shared with the collectivités of the same account.
     */
    public TdtClient tdt(String siren) {
        TdtClient client = postingTdt.get(siren); // the poller's threads ask for each acte
        if (client != null) return client;
        synchronized (tdtPool) {
            return postingTdt.computeIfAbsent(siren, s -> {
                CollectiviteConfig c = config.of(s);
                return pooled(TdtConfig.fromProperties(c.values(), c.baseDir()));
            });
        }
    }

    /** The one client of an account: several collectivités on one login share its connections. Under {@code tdtPool}. */
    private TdtClient pooled(TdtConfig account) {
        return tdtPool.computeIfAbsent(account, a -> new TdtClient(a, rateLimits.get()));
    }

    /**
     * Sends {@code acte} once: validates, registers it in the journal, writes and signs its archive,
     * marks it POSTING, posts, records the transaction id. If the acte is already in the journal,
     * nothing is posted and its entry is returned; an acte left POSTING by a crash is first looked up
     * on the TdT.
     */
    public Sent send(Acte acte, boolean sign) {
        return send(acte, sign, Optional.empty(), Actor.program());
    }

    /**
     * As {@link #send(Acte, boolean)}; with {@code replaces}, the acte is the corrected version of a refused
     * one (anomaly, TdT status -1), sent under a new number and linked to it in the journal.
     */
    public Sent send(Acte acte, boolean sign, Optional<IdActe> replaces) {
        return send(acte, sign, replaces, Actor.program());
    }

    /** Whether {@link #send} posts the acte itself or leaves it to a daemon. */
    public enum Delivery {
        /** Posted by this call. */
        NOW,
        /** Journaled, archived and signed, then left in the sending queue: a daemon posts it ({@link Sender}). */
        QUEUE
    }

    /**
     * As {@link #send(Acte, boolean, Optional)}, the journal naming {@code actor} as who asked for the acte to be
     * sent (its registration and the start of its posting, in the acte's history).
     */
    public Sent send(Acte acte, boolean sign, Optional<IdActe> replaces, Actor actor) {
        return send(acte, sign, replaces, actor, Delivery.NOW);
    }

    /** {@link #send(Acte, boolean, Optional, Actor, Delivery)} for a program. */
    public Sent send(Acte acte, boolean sign, Optional<IdActe> replaces, Delivery delivery) {
        return send(acte, sign, replaces, Actor.program(), delivery);
    }

    /**
     * As {@link #send(Acte, boolean, Optional, Actor)}; with {@link Delivery#QUEUE} nothing is posted here: the acte
     * waits in the journal's sending queue, PREPARED, and {@code posted} is false.
     */
    public Sent send(Acte acte, boolean sign, Optional<IdActe> replaces, Actor actor, Delivery delivery) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(delivery, "delivery");
        List<Violation> warnings = validator(acte).check(acte);
        Journal journal = journal();
        Optional<JournalEntry> replaced = Optional.empty();
        if (replaces.isPresent()) replaced = Optional.of(checkReplaceable(journal, replaces.get(), acte));
        Registration reg = journal.register(NewActe.of(acte), actor);
        if (replaced.isPresent() && reg.created()) journal.publications().recordReplaces(reg.entry().id(), replaced.get().id());
        JournalEntry entry = reg.entry();
        IdActe id = acte.idActe();
        if (!reg.created()) {
            if (entry.state() == TransmissionState.POSTING) {
                Optional<JournalEntry> resolved = resolvePosting(entry);
                if (resolved.isPresent()) return new Sent(resolved.get(), false, true, warnings);
                entry = journal.entries().findById(entry.id()).orElseThrow();
            }
            if (entry.state() != TransmissionState.PREPARED) {
                LOG.info("{}: already in the journal ({}), not posted again", id, entry.state());
                return new Sent(entry, false, false, warnings);
            }
        }
        probe.reached(Checkpoint.REGISTERED, id);
        Path dir = transmissionDir(id);
        List<ArchivedFile> files = journal.files().archived(entry.id());
        if (entry.archivePath().isEmpty()) {
            // The journal keeps its own copy of each file: the user's (or the web page's temporary) files may go.
            Acte kept = keepCopies(acte, dir.resolve("pieces"));
            List<Path> signatures = sign ? sign(kept, dir) : List.of();
            TransmissionWriter.Prepared p = writeArchive(kept, dir, signatures);
            files = archivedFiles(p, signatures);
            entry = journal.recordArchive(entry.id(), p.archive(), files);
        }
        probe.reached(Checkpoint.ARCHIVED, id);
        if (delivery == Delivery.QUEUE) {
            entry = journal.leases().queueForSending(entry.id(), clock.instant());
            return new Sent(entry, false, false, warnings);
        }
        Acte stored = withPieces(acte, files.stream().filter(f -> f.role() == ArchivedFile.Role.DOCUMENT
                || f.role() == ArchivedFile.Role.ANNEXE).map(ArchivedFile::path).toList());
        List<Path> signatures = files.stream().filter(f -> f.role() == ArchivedFile.Role.SIGNATURE)
                .map(ArchivedFile::path).toList();
        TdtSubmission submission = signatures.isEmpty() ? TdtSubmission.from(stored)
                : TdtSubmission.from(stored, Optional.of(signatures.get(0)), signatures.subList(1, signatures.size()));
        try {
            return post(entry, submission, Optional.empty(), warnings, actor);
        } catch (fr.actesconnector.journal.IllegalTransitionException e) {
            // A daemon's sender took the queued acte between our read and our mark: it posts it, once.
            JournalEntry current = journal.entries().findById(entry.id()).orElseThrow();
            LOG.info("{}: being posted by another process ({}), not posted here", id, current.state());
            return new Sent(current, false, false, warnings);
        }
    }

    /**
     * The write-ahead post of an acte PREPARED with its archive: POSTING committed, the POST, the transaction
     * recorded. A refusal puts the acte in ERROR; a failure that certainly left the TdT untouched puts it back
     * in PREPARED (in the sending queue again at {@code sendAgainAt} when given); an ambiguous one leaves it
     * POSTING, for the lookup on the TdT.
     *
     * @throws IllegalTransitionException when the acte is no longer PREPARED (another process is posting it)
     */
    private Sent post(JournalEntry entry, TdtSubmission submission, Optional<java.time.Instant> sendAgainAt,
                      List<Violation> warnings, Actor actor) {
        Journal journal = journal();
        IdActe id = entry.idActe();
        TdtClient client = tdt(entry.siren());
        entry = journal.markPosting(entry.id(), actor);
        probe.reached(Checkpoint.POSTING_MARKED, id);
        CreateResult created;
        try {
            created = client.create(submission, id);
        } catch (TdtRefusedException e) {
            journal.recordError(entry.id(), "Refusé par le TdT : " + e.tdtMessage());
            throw e;
        } catch (TdtUnavailableException e) {
            if (!e.outcomeUnknown()) journal.revertToPrepared(entry.id(), "Non envoyé : " + e.userMessage(), sendAgainAt);
            throw e;
        } catch (RuntimeException e) {
            journal.revertToPrepared(entry.id(), "Non envoyé : " + e.getClass().getSimpleName(), sendAgainAt);
            throw e;
        }
        // The crash window that matters: posted on the TdT, not yet in the journal (resolved by lookup).
        probe.reached(Checkpoint.CREATED, id);
        entry = journal.recordPosted(entry.id(), String.valueOf(created.transactionId()));
        probe.reached(Checkpoint.POSTED, id);
        LOG.info("{}: posted, transaction {}{}", id, created.transactionId(), created.recovered() ? " (recovered)" : "");
        return new Sent(entry, true, created.recovered(), warnings);
    }

    /**
     * Posts an acte of the sending queue that this process leased
     * ({@link fr.actesconnector.journal.Leases#leaseQueued}), from what the journal kept (its files, typologies and
     * signatures), as {@link #send} does. A failure that left the
     * TdT untouched puts it back in the queue for {@code sendAgainAt}.
     *
     * @throws IllegalTransitionException when another process posted it meanwhile
     * @throws InvalidActeException       when what the journal kept cannot make a submission
     */
    public Sent postQueued(JournalEntry leased, java.time.Instant sendAgainAt) {
        Objects.requireNonNull(leased, "leased");
        Objects.requireNonNull(sendAgainAt, "sendAgainAt");
        List<ArchivedFile> files = journal().files().archived(leased.id());
        List<Piece> pieces = new ArrayList<>();
        List<Path> signatures = new ArrayList<>();
        for (ArchivedFile f : files) {
            if (f.role() == ArchivedFile.Role.SIGNATURE) {
                signatures.add(f.path());
            } else if (f.role() == ArchivedFile.Role.DOCUMENT || f.role() == ArchivedFile.Role.ANNEXE) {
                pieces.add(new Piece(f.path(), fr.actesconnector.protocol.MinistryNames.typologieOf(f.ministryName())
                        .orElseThrow(() -> new InvalidActeException(List.of(Violation.error("typologie", "Le fichier « "
                                + f.ministryName() + " » de l'acte " + leased.idActe() + " n'a pas de typologie lisible"
                                + " dans son nom : il ne peut pas être envoyé."))))));
            }
        }
        if (pieces.isEmpty()) {
            throw new InvalidActeException(List.of(Violation.error("document", "L'acte " + leased.idActe()
                    + " n'a aucun fichier dans le journal : il ne peut pas être envoyé.")));
        }
        TdtSubmission submission = new TdtSubmission(leased.nature(), leased.numeroInterne(), leased.dateDecision(),
                leased.objet(), leased.classification(), pieces.get(0), pieces.subList(1, pieces.size()),
                signatures.isEmpty() ? Optional.empty() : Optional.of(signatures.get(0)),
                signatures.isEmpty() ? List.of() : signatures.subList(1, signatures.size()), leased.documentPapier());
        return post(leased, submission, Optional.of(sendAgainAt), List.of(), Actor.program());
    }

    /** A sender of this connector's sending queue; see {@link Sender}. */
    public Sender sender(String owner) {
        return new Sender(this, PollSettings.from(config), owner);
    }

    private static JournalEntry checkReplaceable(Journal journal, IdActe replaces, Acte acte) {
        JournalEntry old = journal.entries().findByIdActe(replaces).orElseThrow(() -> new InvalidActeException(List.of(Violation.error(
                "--replaces", "L'acte " + replaces + " à remplacer n'est pas dans le journal."))));
        List<Violation> problems = new ArrayList<>();
        if (old.state() != TransmissionState.ERROR && old.state() != TransmissionState.REJECTED) {
            problems.add(Violation.error("--replaces", "L'acte " + replaces + " n'a pas été refusé (état : " + old.state().label()
                    + ") : seul un acte refusé (anomalie, erreur du TdT) se corrige et se renvoie ; un acte reçu en "
                    + "préfecture s'annule."));
        }
        if (!old.siren().equals(acte.collectivite().siren())) {
            problems.add(Violation.error("--replaces", "L'acte " + replaces + " à remplacer est celui de la collectivité de SIREN "
                    + old.siren() + " : sa correction se transmet au nom de la même collectivité, pas de "
                    + acte.collectivite().nom() + " (SIREN " + acte.collectivite().siren() + ")."));
        } else if (old.numeroInterne().equals(acte.numeroInterne())) {
            problems.add(Violation.error("--number", "Le numéro " + acte.numeroInterne() + " est celui de l'acte refusé : le TdT "
                    + "n'accepte jamais deux fois le même numéro, même après un refus. Donnez un nouveau numéro (ex. "
                    + acte.numeroInterne().substring(0, Math.min(14, acte.numeroInterne().length())) + "B)."));
        }
        if (!problems.isEmpty()) throw new InvalidActeException(problems);
        return old;
    }

    /**
     * Answers a prefecture letter (2-2, 3-3/3-4, 4-3/4-4) once, exactly as {@link #send} sends an acte:
     * journaled, marked POSTING before the POST, looked up on the TdT after a crash.
     */
    public Replied reply(IdActe idActe, String letterTransaction, fr.actesconnector.model.ReplyKind kind, Piece document,
                         List<Piece> annexes) {
        return reply(idActe, letterTransaction, kind, document, annexes, Actor.program());
    }

    /** As {@link #reply(IdActe, String, fr.actesconnector.model.ReplyKind, Piece, List)}, the acte's history naming {@code actor}. */
    public Replied reply(IdActe idActe, String letterTransaction, fr.actesconnector.model.ReplyKind kind, Piece document,
                         List<Piece> annexes, Actor actor) {
        return answers().reply(idActe, letterTransaction, kind, document, annexes, Objects.requireNonNull(actor, "actor"));
    }

    synchronized AnswerSender answers() {
        if (answerSender == null) answerSender = new AnswerSender(this, probe);
        return answerSender;
    }

    MessageParser parser() {
        return parser.get();
    }

    /**
     * The legal clock of the acte (exécutoire, the préfet's window, third parties), indicative, computed from
     * the journal each time.
     */
    public fr.actesconnector.model.LegalClock.Result legalClock(JournalEntry e) {
        java.time.ZoneId zone = config.validationSettings().zone();
        return fr.actesconnector.model.LegalClock.compute(ActeClock.facts(journal(), e, LocalDate.now(clock.withZone(zone)), zone));
    }

    /**
     * The legal clocks of several actes, from their publications, letters and answers read in a few queries
     * rather than a few per acte ({@code status --json} over hundreds of actes), by journal id.
     */
    public Map<Long, fr.actesconnector.model.LegalClock.Result> legalClocks(List<JournalEntry> entries) {
        List<Long> ids = entries.stream().map(JournalEntry::id).toList();
        Journal journal = journal();
        Map<Long, List<fr.actesconnector.journal.Letters.Letter>> letters = journal.letters().ofActes(ids);
        return legalClocks(entries, journal.publications().of(ids), letters, journal.letters().answersOf(letters.values()
                .stream().flatMap(List::stream).map(fr.actesconnector.journal.Letters.Letter::id).toList()));
    }

    /**
     * The same from facts the caller has already read for these actes (their publications, letters by acte id, the
     * letters' answers by letter id), so that {@code status --json}, which prints them too, reads them once.
     */
    public Map<Long, fr.actesconnector.model.LegalClock.Result> legalClocks(List<JournalEntry> entries,
            Map<Long, Publications.Publication> publications, Map<Long, List<fr.actesconnector.journal.Letters.Letter>> letters,
            Map<Long, fr.actesconnector.journal.Letters.Answer> answers) {
        java.time.ZoneId zone = config.validationSettings().zone();
        LocalDate today = LocalDate.now(clock.withZone(zone));
        Map<Long, fr.actesconnector.model.LegalClock.Result> clocks = new java.util.LinkedHashMap<>();
        for (JournalEntry e : entries) {
            clocks.put(e.id(), fr.actesconnector.model.LegalClock.compute(ActeClock.facts(e,
                    Optional.ofNullable(publications.get(e.id())), letters.getOrDefault(e.id(), List.of()), answers, today, zone)));
        }
        return clocks;
    }


    /** Result of {@link #exportBundles}: the bundles written, the period's {@code index.json}, the actes never sent. */
    public record ExportedPeriod(List<Path> bundles, Path index, List<String> skipped) {
        public ExportedPeriod {
            bundles = List.copyOf(bundles);
            Objects.requireNonNull(index, "index");
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Writes the proof bundle of a transmitted acte, {@code <IDActe>.zip} in {@code outDir}: the archive as
     * sent, its files and signatures, the ARActe, stamped PDFs, bordereau, letters and answers with their ARs,
     * the history, {@code fiche.pdf} and {@code manifest.json} (time-stamped when {@code tsa.url} is set).
     * What the web page's « Télécharger le dossier de preuve » calls.
     */
    public Path exportBundle(IdActe idActe, Path outDir) {
        return bundleExport().export(Objects.requireNonNull(idActe, "idActe"), Objects.requireNonNull(outDir, "outDir"));
    }

    /** One bundle per acte decided between {@code since} and {@code until} (inclusive) and sent, and an {@code index.json}. */
    public ExportedPeriod exportBundles(LocalDate since, LocalDate until, Path outDir) {
        return bundleExport().exportPeriod(Optional.empty(), Objects.requireNonNull(since, "since"),
                Objects.requireNonNull(until, "until"), Objects.requireNonNull(outDir, "outDir"));
    }

    /** As {@link #exportBundles(LocalDate, LocalDate, Path)}, for the actes of the collectivité {@code siren} only. */
    public ExportedPeriod exportBundles(String siren, LocalDate since, LocalDate until, Path outDir) {
        config.of(siren);
        return bundleExport().exportPeriod(Optional.of(siren), Objects.requireNonNull(since, "since"),
                Objects.requireNonNull(until, "until"), Objects.requireNonNull(outDir, "outDir"));
    }

    private BundleExport bundleExport() {
        Optional<fr.actesconnector.bundle.BundleWriter.TimeStamper> tsa = config.get("tsa.url").map(u ->
                new fr.actesconnector.bundle.TsaClient(java.net.URI.create(u), java.time.Duration.ofSeconds(
                        Long.parseLong(config.get("tdt.timeout-seconds").orElse("60")))));
        return new BundleExport(this, new fr.actesconnector.bundle.BundleWriter(tsa));
    }

    /** Cancels the acte {@code idActe} (6-1): see {@link #cancel(long)}. */
    public JournalEntry cancel(IdActe idActe) {
        return cancel(idActe, Actor.program());
    }

    /** Cancels the acte {@code idActe} (6-1): see {@link #cancel(long, Actor)}. */
    public JournalEntry cancel(IdActe idActe, Actor actor) {
        JournalEntry e = journal().entries().findByIdActe(idActe).orElseThrow(() -> new ActesException(Reason.INVALID_INPUT,
                "L'acte " + idActe + " n'est pas dans le journal.", "no journal entry " + idActe));
        return cancel(e.id(), actor);
    }

    /**
     * Records the publication (or display) or the notification of the acte; it makes the acte exécutoire
     * with the reception in prefecture (CGCT L.2131-1), and goes on the stamped PDF when known before it is fetched.
     */
    public JournalEntry publish(IdActe idActe, LocalDate date, String mode) {
        return publish(idActe, date, mode, Actor.program());
    }

    /** As {@link #publish(IdActe, LocalDate, String)}, the acte's history naming {@code actor} as who recorded it. */
    public JournalEntry publish(IdActe idActe, LocalDate date, String mode, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        Journal journal = journal();
        List<Violation> problems = new ArrayList<>();
        Optional<JournalEntry> entry = journal.entries().findByIdActe(idActe);
        if (entry.isEmpty()) problems.add(Violation.error("--acte", "L'acte " + idActe + " n'est pas dans le journal."));
        if (!mode.equals("publication") && !mode.equals("notification")) {
            problems.add(Violation.error("--mode", "Le mode « " + mode + " » est inconnu : publication (ou affichage) ou "
                    + "notification (aux personnes intéressées)."));
        }
        LocalDate today = LocalDate.now(clock.withZone(config.validationSettings().zone()));
        if (date.isAfter(today)) {
            problems.add(Violation.error("--date", "La date " + date + " est dans le futur : indiquez le jour où l'acte a été "
                    + "publié ou notifié."));
        }
        if (entry.isPresent() && date.isBefore(entry.get().dateDecision())) {
            problems.add(Violation.error("--date", "La date " + date + " précède la décision (" + entry.get().dateDecision()
                    + ")."));
        }
        if (!problems.isEmpty()) throw new InvalidActeException(problems);
        journal.publications().recordPublication(entry.get().id(), new Publications.Publication(date, mode), actor);
        return journal.entries().findById(entry.get().id()).orElseThrow();
    }

    /**
     * An acte left POSTING (crash or ambiguous failure): looks it up on the TdT. Found: recorded as
     * posted. Certainly absent: back to PREPARED so that it can be posted, unless it changed since {@code entry}
     * was read (another process resolved it meanwhile). Returns the entry when it was found or had changed.
     */
    public Optional<JournalEntry> resolvePosting(JournalEntry entry) {
        Journal journal = journal();
        IdActe id = entry.idActe();
        Optional<Long> tx = tdt(entry.siren()).findTransaction(id, entry.numeroInterne());
        if (tx.isPresent()) {
            LOG.info("{}: found on the TdT as transaction {} after an interrupted post", id, tx.get());
            return Optional.of(journal.recordPosted(entry.id(), String.valueOf(tx.get())));
        }
        // Back in the sending queue: the intent to send was committed, a daemon (or send again) posts it. Unless the
        // acte changed during the lookup (another daemon resolved it and posted it again): then it is left as it is.
        Optional<JournalEntry> reverted = journal.revertToPreparedIfUnchanged(entry,
                "Introuvable sur le TdT après un envoi interrompu : sera renvoyé.", Optional.of(clock.instant()));
        if (reverted.isEmpty()) {
            JournalEntry now = journal.entries().findById(entry.id()).orElseThrow();
            LOG.info("{}: not found on the TdT, but changed meanwhile ({}): left as it is", id, now.state());
            return Optional.of(now);
        }
        LOG.info("{}: not found on the TdT, may be posted again", id);
        return Optional.empty();
    }

    /**
     * Asks the TdT to cancel an acknowledged acte (6-1). The journal records the request before the
     * POST; the acte becomes CANCELLED when the poller sees status 0 (ARAnnulation received).
     */
    public JournalEntry cancel(long entryId) {
        return cancel(entryId, Actor.program());
    }

    /** As {@link #cancel(long)}, the acte's history naming {@code actor} as who asked for the cancellation. */
    public JournalEntry cancel(long entryId, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        Journal journal = journal();
        JournalEntry entry = journal.entries().findById(entryId).orElseThrow(() -> new ActesException(Reason.INVALID_INPUT,
                "Aucun acte n° " + entryId + " dans le journal.", "no journal entry " + entryId));
        if (entry.state() != TransmissionState.ACKNOWLEDGED || entry.transactionId().isEmpty()) {
            throw new ActesException(Reason.INVALID_INPUT, "L'acte " + entry.idActe() + " ne peut être annulé que lorsque "
                    + "la préfecture en a accusé réception (état actuel : " + entry.state().label() + ").",
                    entry.idActe() + ": cancel refused in state " + entry.state());
        }
        TdtClient client = tdt(entry.siren());
        entry = journal.requestCancel(entryId, actor);
        try {
            long cancelTx = client.cancel(Long.parseLong(entry.transactionId().orElseThrow()));
            LOG.info("{}: cancellation posted, transaction {}", entry.idActe(), cancelTx);
            return journal.recordCancelPosted(entryId, String.valueOf(cancelTx));
        } catch (TdtRefusedException e) {
            journal.recordCancelRefused(entryId, "Annulation refusée par le TdT : " + e.tdtMessage());
            throw e;
        } catch (TdtUnavailableException e) {
            if (!e.outcomeUnknown()) journal.recordCancelRefused(entryId, "Annulation non envoyée : " + e.userMessage());
            throw e;
        }
    }

    /** Result of {@link #updateClassification}: the new catalogue and where the previous file was kept. */
    public record ClassificationUpdate(ClassificationCatalogue previous, ClassificationCatalogue current,
                                       Optional<Path> backup) {
        public boolean changed() {
            return !previous.dateClassification().equals(current.dateClassification());
        }
    }

    /** {@link #updateClassification(String, boolean)} for the first collectivité. */
    public ClassificationUpdate updateClassification(boolean request) {
        return updateClassification(config.first().siren(), request);
    }

    /**
     * Fetches the prefecture's classification from the TdT with the account of the collectivité {@code siren}
     * (after asking for a new one when {@code request}), checks it against the schema, and replaces its
     * {@code classification.file}, keeping the previous file as {@code <file>.<date>.bak}; the collectivités
     * sharing that file see the new one too.
     */
    public synchronized ClassificationUpdate updateClassification(String siren, boolean request) {
        TdtClient client = tdt(siren);
        if (request) client.requestClassification();
        Path file = config.of(siren).classificationFile();
        Path tmp = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".classification-", ".xml");
            client.fetchClassification(tmp);
            List<fr.actesconnector.protocol.XmlFinding> errors = fr.actesconnector.protocol.Schemas.validate(tmp)
                    .stream().filter(fr.actesconnector.protocol.XmlFinding::isError).toList();
            if (!errors.isEmpty()) {
                throw new ActesException(Reason.REFUSED, "La classification reçue du TdT n'est pas conforme au schéma ACTES ("
                        + errors.get(0) + ") : le fichier actuel est conservé.", "classification from TdT invalid: " + errors);
            }
            ClassificationCatalogue fresh = new ClassificationReader(xml()).read(tmp);
            ClassificationCatalogue previous = catalogue(siren);
            Optional<Path> backup = Optional.empty();
            if (Files.exists(file)) {
                Path b = file.resolveSibling(file.getFileName() + "." + previous.dateClassification() + ".bak");
                Files.copy(file, b, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                backup = Optional.of(b);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            for (CollectiviteConfig c : config.collectivites()) {
                if (c.classificationFile().equals(file)) catalogues.get().put(c.siren(), fresh);
            }
            LOG.info("classification of {} updated: {} -> {}", siren, previous.dateClassification(), fresh.dateClassification());
            return new ClassificationUpdate(previous, fresh, backup);
        } catch (IOException e) {
            throw new ActesException(Reason.INTERNAL, "La classification n'a pas pu être enregistrée dans « " + file
                    + " » : vérifiez les droits du dossier.", "cannot replace classification " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // hidden temporary file; harmless
                }
            }
        }
    }

    /** Records parsed replies into the journal (and notifies the secretariat when SMTP is configured). */
    public List<ReplyRecorder.Outcome> recordReplies(ParseResult result) {
        return replyRecorder().record(result);
    }

    /**
     * Ingests the ministry's e-mails saved as {@code .eml} files. A mail is "processed" when at least
     * one of its messages concerned an acte of the journal; others are reported.
     */
    public IntakeResult ingestEml(List<Path> files) {
        return new EmlInbox(parser(), Optional.of(config.dataDir().resolve("recus"))).ingest(files, this::handle);
    }

    /** Reads the IMAP folder ({@code mail.imap.*}); processed mails are moved, unknown ones left and reported. */
    public Optional<IntakeResult> ingestImap() {
        Optional<MailConfig.Imap> imap = mailConfig().imap();
        if (imap.isEmpty()) return Optional.empty();
        return Optional.of(new ImapInbox(imap.get(), parser(), Optional.of(config.dataDir().resolve("recus")), Optional.empty())
                .poll(this::handle));
    }

    private boolean handle(ParseResult result) {
        List<ReplyRecorder.Outcome> outcomes = recordReplies(result);
        return outcomes.stream().anyMatch(ReplyRecorder.Outcome::matched);
    }

    /**
     * Reads the prefecture's documents the TdT holds (courriers, demandes de pièces, lettres
     * d'observations, déférés), records each on its acte with its files, then marks it read on the
     * TdT. A document about no acte of the journal, or unreadable, stays unread on the TdT and is
     * logged; the others go on.
     */
    public int fetchPrefectureDocuments() {
        java.util.Set<TdtClient> accounts = new java.util.LinkedHashSet<>();
        for (CollectiviteConfig c : config.collectivites()) accounts.add(followTdt(c.siren()));
        int recorded = 0;
        for (TdtClient client : accounts) recorded += fetchPrefectureDocuments(client);
        return recorded;
    }

    /** The prefecture's documents one TdT account sees (those of its collectivité). */
    private int fetchPrefectureDocuments(TdtClient client) {
        int recorded = 0;
        Path dir = config.dataDir().resolve("recus").resolve("tdt");
        for (fr.actesconnector.tdt.PrefectureDocument d : client.listPrefectureDocuments()) {
            Path archive = dir.resolve("document-" + d.id() + ".tar.gz");
            try {
                Files.createDirectories(dir);
                client.downloadPrefectureDocument(d.id(), archive);
                ParseResult parsed = parser().parse(archive, Optional.of(dir.resolve("document-" + d.id())));
                if (replyRecorder().record(parsed, Optional.of(String.valueOf(d.id()))).stream()
                        .anyMatch(ReplyRecorder.Outcome::matched)) {
                    client.markAsRead(d.id());
                    recorded++;
                } else {
                    LOG.warn("prefecture document {} (type {}, number {}) matches no acte of the journal; left unread",
                            d.id(), d.type(), d.number());
                }
            } catch (IOException e) {
                throw new ActesException(Reason.INTERNAL, "Le dossier « " + dir + " » n'est pas utilisable.",
                        "cannot store prefecture document " + d.id(), e);
            } catch (UnreadableMessageException e) {
                LOG.warn("prefecture document {} unreadable, left unread: {}", d.id(), e.getMessage());
            }
        }
        return recorded;
    }

    /** {@link #followTdt(String)} of the first collectivité. */
    public TdtClient followTdt() {
        return followTdt(config.first().siren());
    }

    /**
     * The client of the account that follows the actes of the collectivité {@code siren} and releases held
     * ones: {@code tdt.confirm.login} / {@code tdt.confirm.password} when set, else its posting account.
     * S²LOW lets only an account with the RW right read statuses ({@code class/User.php}, canEdit), so an
     * account that may only create (CS) posts and this one follows.
     */
    public TdtClient followTdt(String siren) {
        TdtClient client = followingTdt.get(siren);
        if (client != null) return client;
        synchronized (tdtPool) {
            CollectiviteConfig c = config.of(siren);
            if (c.get("tdt.confirm.login").isEmpty()) {
                client = tdt(siren);
            } else {
                Map<String, String> values = new HashMap<>(c.values());
                values.put("tdt.login", c.get("tdt.confirm.login").orElseThrow());
                values.remove("tdt.password");
                c.get("tdt.confirm.password").ifPresent(p -> values.put("tdt.password", p));
                client = pooled(TdtConfig.fromProperties(values, c.baseDir()));
            }
            followingTdt.put(siren, client);
            return client;
        }
    }

    /** {@link #confirmHeld(String, long)} with the first collectivité's account. */
    public Optional<JournalEntry> confirmHeld(long transactionId) {
        return confirmHeld(config.first().siren(), transactionId);
    }

    /**
     * Releases on the TdT an acte held in status 17 ({@link #followTdt(String)}'s account must have the TT or RW
     * right) and, when the journal has it, records it as posted. Returns the journal entry, if any.
     */
    public Optional<JournalEntry> confirmHeld(String siren, long transactionId) {
        followTdt(siren).confirmHeld(transactionId);
        Journal journal = journal();
        Optional<JournalEntry> entry = journal.entries().findByTransactionId(String.valueOf(transactionId));
        if (entry.isPresent() && entry.get().state() == TransmissionState.HELD) {
            return Optional.of(journal.recordStatus(entry.get().id(), 1, "validé sur le TdT par un agent télétransmetteur"));
        }
        return entry;
    }

    private synchronized MailConfig mailConfig() {
        if (mailConfig == null) mailConfig = MailConfig.fromProperties(config.values());
        return mailConfig;
    }

    private synchronized ReplyRecorder replyRecorder() {
        if (replyRecorder == null) {
            MailConfig mail = mailConfig();
            Optional<Notifier> notifier = mail.smtp().isPresent() && !mail.notifyTo().isEmpty()
                    ? Optional.of(new Notifier(mail.smtp().get(), mail.notifyTo(), Optional.empty(), clock))
                    : Optional.empty();
            replyRecorder = new ReplyRecorder(this, notifier);
        }
        return replyRecorder;
    }

    /** Tells the secretariat about a change the poller saw on the TdT (AR or anomaly with its XML). */
    void notifyFromTdt(JournalEntry entry, byte[] xml, String name) {
        notifyFromTdt(entry, xml, name, Optional.empty());
    }

    /** As {@link #notifyFromTdt(JournalEntry, byte[], String)}, the mail beginning with {@code warning} (French). */
    void notifyFromTdt(JournalEntry entry, byte[] xml, String name, Optional<String> warning) {
        // Without mail the parse would be for nothing: a second reading of each AR, a quarter of the pollers' samples (P4a).
        if (xml.length == 0 || !replyRecorder().notifies()) return;
        try {
            ParseResult parsed = parser().parseXml(new java.io.ByteArrayInputStream(xml), name);
            parsed.replies().forEach(r -> replyRecorder().notify(r, entry, warning));
        } catch (ActesException e) {
            LOG.warn("{}: no notification: {}", entry.idActe(), e.getMessage());
        }
    }

    /** A poller over this connector's journal and TdT; see {@link Poller}. */
    public Poller poller(String owner) {
        return new Poller(this, PollSettings.from(config), owner);
    }

    /** Copies the acte's files under {@code dir} (names "1.pdf", "2.pdf"… in piece order) and returns the acte on them. */
    private static Acte keepCopies(Acte acte, Path dir) {
        List<Path> copies = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            List<Piece> pieces = acte.pieces();
            for (int i = 0; i < pieces.size(); i++) {
                Path copy = dir.resolve((i + 1) + ".bin");
                Files.copy(pieces.get(i).file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copies.add(copy);
            }
        } catch (IOException e) {
            throw new ActesException(Reason.INTERNAL, "Les fichiers de l'acte n'ont pas pu être copiés dans « " + dir
                    + " » : vérifiez l'espace disque.", acte.idActe() + ": cannot copy pieces: " + e, e);
        }
        return withPieces(acte, copies);
    }

    /** The same acte on other files (same order, same typologies). */
    private static Acte withPieces(Acte acte, List<Path> files) {
        if (files.size() != acte.pieces().size()) {
            throw new ActesException(Reason.INVALID_INPUT, "L'acte " + acte.idActe() + " est déjà dans le journal avec "
                    + (files.size() - 1) + " annexe(s) : il ne peut pas être renvoyé avec d'autres fichiers.",
                    acte.idActe() + ": journal has " + files.size() + " pieces, request " + acte.pieces().size());
        }
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) pieces.add(new Piece(files.get(i), acte.pieces().get(i).typologie()));
        return new Acte(acte.collectivite(), acte.numero(), acte.dateDecision(), acte.nature(), acte.classification(),
                acte.objet(), pieces.get(0), pieces.subList(1, pieces.size()), acte.documentPapier());
    }

    /** Folder of one transmission's files: {@code <data.dir>/transmissions/<IDActe>}. */
    public Path transmissionDir(IdActe id) {
        return config.dataDir().resolve("transmissions").resolve(id.value());
    }

    private static List<ArchivedFile> archivedFiles(TransmissionWriter.Prepared p, List<Path> signatures) {
        List<ArchivedFile> files = new ArrayList<>();
        for (TransmissionWriter.ArchivedPiece piece : p.pieces()) {
            files.add(file(piece.role().equals("document") ? ArchivedFile.Role.DOCUMENT : ArchivedFile.Role.ANNEXE,
                    piece.name(), piece.source()));
        }
        for (Path s : signatures) files.add(file(ArchivedFile.Role.SIGNATURE, s.getFileName().toString(), s));
        return files;
    }

    static ArchivedFile file(ArchivedFile.Role role, String name, Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long size = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
            return new ArchivedFile(role, name, path.toAbsolutePath(), size, HexFormat.of().formatHex(md.digest()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ActesException(Reason.INTERNAL, "Le fichier « " + path + " » n'a pas pu être relu.",
                    "cannot hash " + path + ": " + e, e);
        }
    }

    private static void quietlyDelete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        synchronized (tdtPool) {
            for (TdtClient c : tdtPool.values()) c.close(); // a loop, not TdtClient::close: no TdT class loaded for status
        }
        if (journal != null) journal.close();
    }
}
