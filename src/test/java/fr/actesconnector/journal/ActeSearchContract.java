package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web page's list of actes ({@link ActeSearch}) on every supported database: H2 ({@code ActeSearchH2Test})
 * and PostgreSQL ({@code ActeSearchPostgresIT}). Each test gets an empty database.
 */
abstract class ActeSearchContract {
    static final String SIREN = "217803105";
    static final LocalDate DECISION = LocalDate.of(2026, 4, 27);
    static final Instant START = Instant.parse("2026-04-28T08:00:00Z");

    MutableClock clock;
    JournalConfig config;
    Journal journal;

    abstract JournalConfig newDatabase() throws Exception;

    @BeforeEach
    void openJournal() throws Exception {
        clock = new MutableClock(START);
        config = newDatabase();
        journal = new Journal(config, clock);
    }

    @AfterEach
    void closeJournal() {
        journal.close();
    }

    long register(String numeroInterne, String objet) {
        return register(SIREN, numeroInterne, objet);
    }

    long register(String siren, String numeroInterne, String objet) {
        IdActe id = IdActe.of("078", siren, DECISION, numeroInterne, Nature.DE);
        return journal.register(new NewActe(id, siren, numeroInterne.replace('_', '-'), numeroInterne, DECISION, Nature.DE,
                Classification.of(1, 4), objet, false)).entry().id();
    }

    /** {@code n} actes registered a minute apart; their ids, oldest first. */
    List<Long> registerMany(String prefix, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(register(String.format("%s_%03d", prefix, i), "Délibération n° " + i));
            clock.advance(Duration.ofMinutes(1));
        }
        return ids;
    }

    static List<Long> ids(ActeSearch.Page page) {
        return page.entries().stream().map(JournalEntry::id).toList();
    }

    /** Every page from the first, following {@code next}. */
    static List<ActeSearch.Page> walk(ActeSearch search, ActeSearch.Criteria criteria, int size) {
        List<ActeSearch.Page> pages = new ArrayList<>();
        ActeSearch.Page p = search.page(criteria, Optional.empty(), size);
        pages.add(p);
        while (p.next().isPresent()) {
            p = search.page(criteria, p.next(), size);
            pages.add(p);
            if (pages.size() > 1000) throw new AssertionError("the pages never end");
        }
        return pages;
    }

    @Test
    void pagesGoThroughEveryActeNewestFirstAndBackWithTheCount() {
        List<Long> registered = registerMany("2026_DEC", 120);
        ActeSearch search = journal.search();

        List<ActeSearch.Page> pages = walk(search, ActeSearch.Criteria.ALL, 50);

        assertEquals(List.of(50, 50, 20), pages.stream().map(p -> p.entries().size()).toList());
        List<Long> seen = pages.stream().flatMap(p -> ids(p).stream()).toList();
        List<Long> newestFirst = new ArrayList<>(registered);
        newestFirst.sort(Comparator.reverseOrder());
        assertEquals(newestFirst, seen, "every acte once, newest first");
        pages.forEach(p -> assertEquals(120, p.total()));
        pages.forEach(p -> assertFalse(p.totalCapped() || p.windowed()));
        assertEquals(ActeSearch.Ordering.REGISTRATION, pages.get(0).ordering());
        assertEquals(Optional.empty(), pages.get(0).previous(), "the first page has none before it");
        assertEquals(ids(pages.get(1)), ids(search.page(ActeSearch.Criteria.ALL, pages.get(2).previous(), 50)));
        assertEquals(ids(pages.get(0)), ids(search.page(ActeSearch.Criteria.ALL, pages.get(1).previous(), 50)));
    }

    @Test
    void actesRegisteredAtTheSameInstantAreNeitherSkippedNorRepeated() {
        List<Long> registered = new ArrayList<>();
        for (int i = 1; i <= 23; i++) registered.add(register(String.format("2026_SAME_%02d", i), "Même instant"));

        List<Long> seen = walk(journal.search(), ActeSearch.Criteria.ALL, 5).stream().flatMap(p -> ids(p).stream()).toList();

        assertEquals(23, seen.size());
        assertEquals(new HashSet<>(registered), new HashSet<>(seen));
    }

    @Test
    void aPreviousPageShorterThanAPageGivesTheFirstPageFull() {
        registerMany("2026_DEC", 12);
        ActeSearch search = journal.search();
        ActeSearch.Page first = search.page(ActeSearch.Criteria.ALL, Optional.empty(), 5);
        ActeSearch.Page second = search.page(ActeSearch.Criteria.ALL, first.next(), 5);
        // Two actes more arrive while the second page is read: its "before" has 7 actes, the first page shows 5.
        registerMany("2026_NEW", 2);

        ActeSearch.Page back = search.page(ActeSearch.Criteria.ALL, second.previous(), 5);

        assertEquals(5, back.entries().size());
        assertEquals(Optional.of(ActeSearch.Cursor.before(back.entries().get(0).id())), back.previous(),
                "the two newer actes are one page back");
        assertEquals(14, back.total());
    }

    @Test
    void stateAndRegistrationTimeFilter() {
        List<Long> ids = registerMany("2026_DEC", 10);
        journal.markPosting(ids.get(2));
        journal.recordError(ids.get(2), "Refusé par le TdT");
        journal.markPosting(ids.get(7));
        journal.recordError(ids.get(7), "Refusé par le TdT");
        ActeSearch search = journal.search();

        ActeSearch.Page errors = search.page(ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.ERROR)),
                Optional.empty(), 50);
        assertEquals(List.of(ids.get(7), ids.get(2)), ids(errors));
        assertEquals(2, errors.total());

        // Registered from the 4th minute (inclusive) to the 8th (exclusive): actes 4 to 7.
        ActeSearch.Criteria window = ActeSearch.Criteria.ALL.between(Optional.of(START.plus(Duration.ofMinutes(3))),
                Optional.of(START.plus(Duration.ofMinutes(7))));
        ActeSearch.Page between = search.page(window, Optional.empty(), 2);
        assertEquals(List.of(ids.get(6), ids.get(5)), ids(between));
        assertEquals(4, between.total());
        assertEquals(List.of(ids.get(4), ids.get(3)), ids(search.page(window, between.next(), 2)));

        ActeSearch.Page both = search.page(ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.ERROR))
                .between(Optional.of(START.plus(Duration.ofMinutes(5))), Optional.empty()), Optional.empty(), 50);
        assertEquals(List.of(ids.get(7)), ids(both));
    }

    @Test
    void aNumberIsAPrefixOfTheNormalisedNumberListedByNumber() {
        long dec1 = register("2026_DEC_001", "a");
        long arr = register("2026_ARR_001", "b");
        long dec2 = register("2026_DEC_002", "c");
        long dec10 = register("2026_DEC_010", "d");
        long other = register("2025_DEC_001", "e");
        ActeSearch search = journal.search();

        ActeSearch.Page dec = search.page(ActeSearch.Criteria.ALL.withNumero("2026-dec"), Optional.empty(), 50);
        assertEquals(List.of(dec10, dec2, dec1), ids(dec), "highest number first");
        assertEquals(ActeSearch.Ordering.NUMERO, dec.ordering());
        assertEquals(3, dec.total());
        assertEquals(List.of(dec1), ids(search.page(ActeSearch.Criteria.ALL.withNumero("2026-DEC-001"), Optional.empty(), 50)));
        assertEquals(Set.of(dec1, arr, dec2, dec10), Set.copyOf(ids(search.page(ActeSearch.Criteria.ALL.withNumero("2026_"),
                Optional.empty(), 50))), "a trailing separator is kept in the prefix, whatever the collation");
        assertEquals(Set.of(dec1, arr, dec2, dec10, other), Set.copyOf(ids(search.page(
                ActeSearch.Criteria.ALL.withNumero("202"), Optional.empty(), 50))));
        assertEquals(List.of(), ids(search.page(ActeSearch.Criteria.ALL.withNumero("2026-DEC-0011"), Optional.empty(), 50)));
        assertEquals(List.of(), ids(search.page(ActeSearch.Criteria.ALL.withNumero("---"), Optional.empty(), 50)),
                "nothing left once normalised: nothing matches");
        // Paged in number order too.
        ActeSearch.Page first = search.page(ActeSearch.Criteria.ALL.withNumero("2026"), Optional.empty(), 2);
        ActeSearch.Page second = search.page(ActeSearch.Criteria.ALL.withNumero("2026"), first.next(), 2);
        assertEquals(List.of(dec10, dec2), ids(first));
        assertEquals(List.of(dec1, arr), ids(second));
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void anIdActeIsAPrefixOfTheIdActe() {
        long a = register("2026_DEC_001", "a");
        register("2026_DEC_002", "b");
        ActeSearch search = journal.search();

        ActeSearch.Page exact = search.page(ActeSearch.Criteria.ALL.withIdActe(" 078-217803105-20260427-2026_dec_001-de "),
                Optional.empty(), 50);
        assertEquals(List.of(a), ids(exact));
        assertEquals(ActeSearch.Ordering.ID_ACTE, exact.ordering());
        assertEquals(2, search.page(ActeSearch.Criteria.ALL.withIdActe("078-217803105-2026"), Optional.empty(), 50).total());
        assertEquals(0, search.page(ActeSearch.Criteria.ALL.withIdActe("078%"), Optional.empty(), 50).total(),
                "a LIKE wildcard is not a wildcard");
    }

    @Test
    void theObjetIgnoresCaseAndAccentsAndWildcards() {
        long eclairage = register("2026_DEC_001", "Délibération : ÉCLAIRAGE public");
        long voirie = register("2026_DEC_002", "DELIBERATION voirie communale");
        long remise = register("2026_DEC_003", "Remise de 100% des pénalités");
        long taux = register("2026_DEC_004", "Taux_special");
        ActeSearch search = journal.search();

        assertEquals(List.of(eclairage), ids(search.page(ActeSearch.Criteria.ALL.withObjet("eclairage"), Optional.empty(), 50)));
        assertEquals(List.of(voirie, eclairage), ids(search.page(ActeSearch.Criteria.ALL.withObjet("délibération"),
                Optional.empty(), 50)));
        assertEquals(List.of(remise), ids(search.page(ActeSearch.Criteria.ALL.withObjet("100%"), Optional.empty(), 50)));
        assertEquals(List.of(remise), ids(search.page(ActeSearch.Criteria.ALL.withObjet("%"), Optional.empty(), 50)));
        assertEquals(List.of(taux), ids(search.page(ActeSearch.Criteria.ALL.withObjet("_"), Optional.empty(), 50)));
        assertEquals(List.of(), ids(search.page(ActeSearch.Criteria.ALL.withObjet("'; DROP TABLE acte; --"),
                Optional.empty(), 50)));
        assertEquals(4, journal.search().page(ActeSearch.Criteria.ALL, Optional.empty(), 50).total());
    }

    @Test
    void theObjetIsSearchedInABoundedWindowThatThePageNames() {
        List<Long> ids = registerMany("2026_DEC", 25);
        ActeSearch search = journal.search(10, 1000);

        ActeSearch.Page recent = search.page(ActeSearch.Criteria.ALL.withObjet("délibération"), Optional.empty(), 4);
        assertTrue(recent.windowed(), "more actes than the window: the page says so");
        assertEquals(10, recent.total());
        List<Long> seen = walk(search, ActeSearch.Criteria.ALL.withObjet("délibération"), 4).stream()
                .flatMap(p -> ids(p).stream()).toList();
        assertEquals(List.of(ids.get(24), ids.get(23), ids.get(22), ids.get(21), ids.get(20), ids.get(19), ids.get(18),
                ids.get(17), ids.get(16), ids.get(15)), seen, "the ten newest, paged");

        // Older actes are reached by narrowing the registration time.
        ActeSearch.Page older = search.page(ActeSearch.Criteria.ALL.withObjet("n° 3").between(Optional.empty(),
                Optional.of(START.plus(Duration.ofMinutes(5)))), Optional.empty(), 50);
        assertEquals(List.of(ids.get(2)), ids(older));
        assertFalse(older.windowed());
    }

    @Test
    void aFilteredCountStopsAtTheLimitAndSaysSo() {
        registerMany("2026_DEC", 8);
        ActeSearch search = journal.search(1000, 5);

        ActeSearch.Page prepared = search.page(ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.PREPARED)),
                Optional.empty(), 3);
        assertEquals(5, prepared.total());
        assertTrue(prepared.totalCapped());
        assertEquals(8, walk(search, ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.PREPARED)), 3).stream()
                .mapToInt(p -> p.entries().size()).sum(), "every acte is still listed");
        ActeSearch.Page all = search.page(ActeSearch.Criteria.ALL, Optional.empty(), 3);
        if (config.isH2()) {
            assertEquals(8, all.total(), "H2 keeps the table's count: the whole list is counted");
            assertFalse(all.totalCapped());
        } else {
            assertEquals(5, all.total(), "PostgreSQL would read the whole table to count it");
            assertTrue(all.totalCapped());
        }
    }

    static final String MAULETTE = "217803816";

    /**
     * Two collectivités with the same numbers: the list of one, in each of its orders (newest first, by state, by
     * number, by IDActe, by objet), pages and counts only its actes.
     */
    @Test
    void aCollectivitesListHoldsOnlyItsActesInEveryOrder() {
        List<Long> houdan = new ArrayList<>();
        List<Long> maulette = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            houdan.add(register(SIREN, String.format("2026_DEC_%03d", i), "Voirie n° " + i));
            maulette.add(register(MAULETTE, String.format("2026_DEC_%03d", i), "Voirie n° " + i));
            clock.advance(Duration.ofMinutes(1));
        }
        journal.markPosting(maulette.get(3));
        journal.recordError(maulette.get(3), "Refusé par le TdT");
        ActeSearch search = journal.search();
        ActeSearch.Criteria only = ActeSearch.Criteria.ALL.withSiren(MAULETTE);

        List<Long> newestFirst = new ArrayList<>(maulette);
        newestFirst.sort(Comparator.reverseOrder());
        List<ActeSearch.Page> pages = walk(search, only, 3);
        assertEquals(newestFirst, pages.stream().flatMap(p -> ids(p).stream()).toList(), "Maulette's, newest first");
        pages.forEach(p -> assertEquals(7, p.total()));
        assertEquals(ids(pages.get(0)), ids(search.page(only, pages.get(1).previous(), 3)), "and back");
        assertEquals(ids(pages.get(0)), ids(search.page(only, Optional.of(ActeSearch.Cursor.after(houdan.get(3))), 3)),
                "a cursor on another collectivité's acte places nothing: the first page");
        assertEquals(List.of(maulette.get(3)), ids(search.page(only.withStates(Set.of(TransmissionState.ERROR)),
                Optional.empty(), 50)));
        assertEquals(0, search.page(ActeSearch.Criteria.ALL.withSiren(SIREN).withStates(Set.of(TransmissionState.ERROR)),
                Optional.empty(), 50).total(), "Houdan has no acte in error");
        assertEquals(List.of(maulette.get(1)), ids(search.page(only.withNumero("2026-DEC-002"), Optional.empty(), 50)));
        assertEquals(List.of(maulette.get(6), maulette.get(5)), ids(search.page(only.withNumero("2026"), Optional.empty(), 2)));
        assertEquals(7, search.page(only.withIdActe("078-"), Optional.empty(), 2).total(), "a prefix both share");
        assertEquals(0, search.page(only.withIdActe("078-217803105"), Optional.empty(), 50).total(), "Houdan's IDActe");
        assertEquals(List.of(maulette.get(4)), ids(search.page(only.withObjet("n° 5"), Optional.empty(), 50)));
        assertEquals(14, search.page(ActeSearch.Criteria.ALL, Optional.empty(), 50).total(), "no SIREN: both");
    }
}
