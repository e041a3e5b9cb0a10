package fr.actesconnector.simulator;

import fr.actesconnector.model.ClassificationCatalogue;
import fr.actesconnector.model.Collectivite;
import fr.actesconnector.model.Nature;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated S²LOW keeps, its database in memory: transactions, included files, envelopes,
 * the numbers used, and the settings every handler reads. Thread-safe.
 */
final class Store {
    /** Settings fixed at start. */
    record Settings(Clock clock, Collectivite collectivite, long authorityId, ClassificationCatalogue catalogue,
                    Path classificationFile, Path workDir, Pacing pacing, int maxTransactions, long maxTotalBytes,
                    int maxFileUploads, String trigramme, Accounts accounts, boolean legacyArActe) {
    }

    /** Where an included file is: its transaction and its index in the transaction's files. */
    record FileRef(Transaction transaction, int index) {
    }

    final Settings settings;
    final SimulatedMessages messages;
    final LetterMessages letters;

    private final AtomicLong transactionIds = new AtomicLong(1000);
    private final AtomicLong fileIds = new AtomicLong(5000);
    private final AtomicLong envelopeIds = new AtomicLong(300);
    private final AtomicLong prefectureSerial = new AtomicLong(49437);
    private final Map<LocalDate, AtomicInteger> envelopeSerials = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<Long, Transaction> transactions = new ConcurrentSkipListMap<>();
    private final Map<String, Long> numbers = new ConcurrentHashMap<>();
    private final Map<String, Long> actesByIdActe = new ConcurrentHashMap<>();
    private final Map<String, Long> messageNames = new ConcurrentHashMap<>();
    private final Map<Long, FileRef> files = new ConcurrentHashMap<>();
    private final Map<Long, Path> envelopes = new ConcurrentHashMap<>();
    private final Map<Long, List<Long>> children = new ConcurrentHashMap<>();
    private final Map<String, Transaction.Anomaly> plannedAnomalies = new ConcurrentHashMap<>();
    private final Map<Long, java.util.Set<String>> statusReaders = new ConcurrentHashMap<>();
    /** Every create request an account made, by the number it carried, refused ones included. */
    private final Map<String, AtomicInteger> createRequests = new ConcurrentHashMap<>();

    Store(Settings settings, SimulatedMessages messages, LetterMessages letters) {
        this.settings = settings;
        this.messages = messages;
        this.letters = letters;
    }

    Instant now() {
        return settings.clock().instant();
    }

    LocalDate today() {
        return LocalDate.ofInstant(now(), TdtSimulator.PREFECTURE_ZONE);
    }

    LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, TdtSimulator.PREFECTURE_ZONE);
    }

    long nextTransactionId() {
        return transactionIds.incrementAndGet();
    }

    long nextFileId() {
        return fileIds.incrementAndGet();
    }

    long nextEnvelopeId() {
        return envelopeIds.incrementAndGet();
    }

    /** The prefecture's own numbering of the files it sends ({@code …-3-1_49438.xml}). */
    long nextPrefectureSerial() {
        return prefectureSerial.incrementAndGet();
    }

    /** The per-authority daily counter of envelope names (ActesEnvelopeSerialSQL), 1 to 9999. */
    int nextEnvelopeSerial(LocalDate day) {
        return (envelopeSerials.computeIfAbsent(day, d -> new AtomicInteger()).getAndIncrement() % 9999) + 1;
    }

    /** Reserves an acte number for the authority; false when any earlier transaction of it used it (isUnique). */
    boolean reserveNumber(Collectivite authority, String number, long transactionId) {
        return numbers.putIfAbsent(authority.siren() + "/" + number, transactionId) == null;
    }

    void releaseNumber(Collectivite authority, String number, long transactionId) {
        numbers.remove(authority.siren() + "/" + number, transactionId);
    }

    boolean numberUsed(Collectivite authority, String number) {
        return numbers.containsKey(authority.siren() + "/" + number);
    }

    /** The authority (collectivité) of an account: its own, else the simulator's. */
    Collectivite authority(Accounts.Account account) {
        return account.authority().orElse(settings.collectivite());
    }

    /** The authority of a transaction: its poster's (related transactions carry their acte's poster). */
    Collectivite authorityOf(Transaction t) {
        return settings.accounts().byLogin(t.facts.owner()).map(this::authority).orElse(settings.collectivite());
    }

    /** S²LOW shows a transaction only to the accounts of its authority (every account here is an authority admin). */
    boolean visibleTo(Accounts.Account reader, Transaction t) {
        return authority(reader).siren().equals(authorityOf(t).siren());
    }

    void recordStatusRead(long transactionId, String login) {
        statusReaders.computeIfAbsent(transactionId, k -> ConcurrentHashMap.newKeySet()).add(login);
    }

    java.util.Set<String> statusReaders(long transactionId) {
        return java.util.Set.copyOf(statusReaders.getOrDefault(transactionId, java.util.Set.of()));
    }

    int size() {
        return transactions.size();
    }

    void countCreateRequest(String number) {
        createRequests.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> createRequests() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        createRequests.forEach((n, c) -> counts.put(n, c.get()));
        return counts;
    }

    /** Records a transaction, its files, its envelope archive if kept, and its place under its related transaction. */
    void add(Transaction t, Optional<Path> envelopeArchive) {
        transactions.put(t.id, t);
        List<Transaction.StoredFile> stored = t.facts.files();
        for (int i = 0; i < stored.size(); i++) {
            files.put(stored.get(i).id(), new FileRef(t, i));
            String name = stored.get(i).name();
            if (name.endsWith("_0.xml")) messageNames.putIfAbsent(name, t.id);
        }
        envelopeArchive.ifPresent(a -> envelopes.put(t.facts.envelopeId(), a));
        t.facts.relatedId().ifPresent(r -> children.computeIfAbsent(r, k -> new CopyOnWriteArrayList<>()).add(t.id));
        if (t.kind == Transaction.Kind.ACTE) t.facts.idActe().ifPresent(i -> actesByIdActe.putIfAbsent(i.value(), t.id));
    }

    Optional<Transaction> get(long id) {
        return Optional.ofNullable(transactions.get(id));
    }

    Optional<Transaction> get(Optional<Long> id) {
        return id.flatMap(this::get);
    }

    /** Newest first, as list_actes orders them. */
    Iterable<Transaction> newestFirst() {
        return transactions.descendingMap().values();
    }

    Iterable<Transaction> oldestFirst() {
        return transactions.values();
    }

    List<Transaction> children(long id) {
        List<Transaction> out = new ArrayList<>();
        for (long c : children.getOrDefault(id, List.of())) get(c).ifPresent(out::add);
        return out;
    }

    Optional<FileRef> file(long id) {
        return Optional.ofNullable(files.get(id));
    }

    Optional<Path> envelope(long envelopeId) {
        return Optional.ofNullable(envelopes.get(envelopeId));
    }

    /**
     * ActesTransaction::getTransactionFromUniqueId: the type-1 transaction whose unique_id is {@code u}
     * (set by its ARActe), else the transaction whose message is named {@code u_0.xml}.
     */
    Optional<Transaction> byUniqueId(String u) {
        Optional<Transaction> acte = Optional.ofNullable(actesByIdActe.get(u)).flatMap(this::get)
                .filter(t -> t.uniqueId().filter(i -> i.value().equals(u)).isPresent());
        if (acte.isPresent()) return acte;
        return Optional.ofNullable(messageNames.get(u + "_0.xml")).flatMap(this::get);
    }

    void planAnomaly(String number, Transaction.Anomaly anomaly) {
        plannedAnomalies.put(number, anomaly);
    }

    Optional<Transaction.Anomaly> takeAnomaly(String number) {
        return Optional.ofNullable(plannedAnomalies.remove(number));
    }

    /** actes_natures.descr as the prefecture's classification names the nature. */
    String natureLabel(Nature nature) {
        return settings.catalogue().nature(nature).map(ClassificationCatalogue.NatureEntry::label).orElse(nature.label());
    }
}
