package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.model.Classification;
import fr.actesconnector.model.IdActe;
import fr.actesconnector.model.Nature;
import fr.actesconnector.model.Secret;
import fr.actesconnector.testing.MutableClock;

/**
 * The list of actes at its edges, where PIT found them unchecked: blank filters, bounds of one, a window or a
 * count exactly full, a page exactly full, the first page reached back, a number prefix with no upper bound.
 */
class ActeSearchSurvivorsTest {
    private static final Instant START = Instant.parse("2026-04-28T08:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);
    private Journal journal;

    @BeforeEach
    void open() {
        journal = new Journal(JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of("")), clock);
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private long register(String numeroInterne) {
        IdActe id = IdActe.of("078", JournalContract.SIREN, JournalContract.DECISION, numeroInterne, Nature.DE);
        long entry = journal.register(new NewActe(id, JournalContract.SIREN, numeroInterne.replace('_', '-'), numeroInterne,
                JournalContract.DECISION, Nature.DE, Classification.of(1, 4), "Délibération " + numeroInterne, false))
                .entry().id();
        clock.advance(Duration.ofMinutes(1));
        return entry;
    }

    /** {@code n} actes a minute apart; their ids, newest first (the list's order). */
    private List<Long> registerMany(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) ids.add(0, register(String.format("2026_DEC_%03d", i)));
        return ids;
    }

    private static List<Long> ids(ActeSearch.Page page) {
        return page.entries().stream().map(JournalEntry::id).toList();
    }

    @Test
    void blankTextsAreNoFilter() {
        ActeSearch.Criteria blank = new ActeSearch.Criteria(Optional.of(" "), Set.of(), Optional.empty(), Optional.empty(),
                Optional.of("  "), Optional.of(""), Optional.of(" \t"));
        assertEquals(ActeSearch.Criteria.ALL, blank);
        assertEquals(Optional.of("2026"), ActeSearch.Criteria.ALL.withNumero(" 2026 ").numero(), "trimmed");
    }

    @Test
    void boundsOfOneAreAcceptedAndZeroIsNot() {
        registerMany(3);
        assertThrows(IllegalArgumentException.class, () -> journal.search(0, 5));
        assertThrows(IllegalArgumentException.class, () -> journal.search(5, 0));
        ActeSearch search = journal.search(1, 1);
        assertThrows(IllegalArgumentException.class, () -> search.page(ActeSearch.Criteria.ALL, Optional.empty(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> search.page(ActeSearch.Criteria.ALL, Optional.empty(), ActeSearch.MAX_PAGE_SIZE + 1));
        assertEquals(1, search.page(ActeSearch.Criteria.ALL, Optional.empty(), 1).entries().size());
        assertDoesNotThrow(() -> search.page(ActeSearch.Criteria.ALL, Optional.empty(), ActeSearch.MAX_PAGE_SIZE));
    }

    /** As many actes as the objet's window: every one was searched, the page does not say "among the first". */
    @Test
    void aWindowExactlyFullIsNotWindowed() {
        registerMany(3);
        assertFalse(journal.search(3, 1000).page(ActeSearch.Criteria.ALL.withObjet("délibération"), Optional.empty(), 10)
                .windowed());
        assertTrue(journal.search(2, 1000).page(ActeSearch.Criteria.ALL.withObjet("délibération"), Optional.empty(), 10)
                .windowed());
    }

    /** As many matching actes as the count's limit: counted exactly, not "more than". */
    @Test
    void aCountExactlyAtTheLimitIsExact() {
        registerMany(3);
        ActeSearch.Criteria prepared = ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.PREPARED));
        ActeSearch.Page atLimit = journal.search(1000, 3).page(prepared, Optional.empty(), 10);
        assertEquals(3, atLimit.total());
        assertFalse(atLimit.totalCapped());
        assertTrue(journal.search(1000, 2).page(prepared, Optional.empty(), 10).totalCapped());
    }

    @Test
    void aFirstPageExactlyFullHasNoNextPage() {
        List<Long> ids = registerMany(2);
        ActeSearch.Page page = journal.search().page(ActeSearch.Criteria.ALL, Optional.empty(), 2);
        assertEquals(ids, ids(page));
        assertEquals(Optional.empty(), page.next());
    }

    /** Back from the second page to the first: it has nothing before it. */
    @Test
    void goingBackToTheFirstPageShowsNoPreviousPage() {
        List<Long> ids = registerMany(4);
        ActeSearch search = journal.search();
        ActeSearch.Page first = search.page(ActeSearch.Criteria.ALL, Optional.empty(), 2);
        ActeSearch.Page second = search.page(ActeSearch.Criteria.ALL, first.next(), 2);
        assertEquals(ids.subList(2, 4), ids(second));
        ActeSearch.Page back = search.page(ActeSearch.Criteria.ALL, second.previous(), 2);
        assertEquals(ids.subList(0, 2), ids(back));
        assertEquals(Optional.empty(), back.previous(), "the first page again");
        assertEquals(first.next(), back.next());
    }

    /** A cursor after the last acte (it was the last of its page, the list has not grown): the first page. */
    @Test
    void aCursorAfterTheLastActeGivesTheFirstPage() {
        List<Long> ids = registerMany(3);
        ActeSearch.Page page = journal.search().page(ActeSearch.Criteria.ALL, Optional.of(ActeSearch.Cursor.after(ids.get(2))), 2);
        assertEquals(ids.subList(0, 2), ids(page));
        assertEquals(Optional.empty(), page.previous());
    }

    /** "Z" has nothing above it among numbers: the prefix is read without an upper bound, and still found. */
    @Test
    void aNumberPrefixWithNothingAboveItIsFound() {
        register("2026_DEC_001");
        long zone = register("ZONE_12");
        long zz = register("ZZ_1");
        assertEquals(List.of(zz, zone), ids(journal.search().page(ActeSearch.Criteria.ALL.withNumero("z"), Optional.empty(), 10)));
        assertEquals(List.of(zz), ids(journal.search().page(ActeSearch.Criteria.ALL.withNumero("ZZ_"), Optional.empty(), 10)));
    }

    /** The smallest bound above the prefix: only the last character moves, at each end of 0–8 and A–Y. */
    @Test
    void theUpperBoundIsTheNextValueOfTheLastCharacter() {
        assertEquals(Optional.of("A1"), ActeSearch.upperBound("A0"));
        assertEquals(Optional.of("A9"), ActeSearch.upperBound("A8"));
        assertEquals(Optional.of("AB"), ActeSearch.upperBound("AA"));
        assertEquals(Optional.of("AZ"), ActeSearch.upperBound("AY"));
    }

    /** The page before, read upwards, is shown in the list's order even when ids do not follow registration times. */
    @Test
    void thePageBeforeIsInTheListsOrderWhateverTheIds() {
        clock.set(START.plus(Duration.ofHours(5)));
        long late = register("2026_DEC_001");
        clock.set(START.plus(Duration.ofHours(1)));
        long early = register("2026_DEC_002");
        clock.set(START.plus(Duration.ofHours(3)));
        long middle = register("2026_DEC_003");
        clock.set(START.plus(Duration.ofHours(4)));
        long fourth = register("2026_DEC_004");
        clock.set(START.plus(Duration.ofHours(2)));
        long second = register("2026_DEC_005");
        List<Long> newestFirst = List.of(late, fourth, middle, second, early);
        ActeSearch search = journal.search();
        for (ActeSearch.Criteria criteria : List.of(ActeSearch.Criteria.ALL,
                ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.PREPARED)))) {
            ActeSearch.Page first = search.page(criteria, Optional.empty(), 2);
            ActeSearch.Page next = search.page(criteria, first.next(), 2);
            ActeSearch.Page last = search.page(criteria, next.next(), 2);
            assertEquals(newestFirst.subList(4, 5), ids(last));
            assertEquals(newestFirst.subList(2, 4), ids(search.page(criteria, last.previous(), 2)), criteria.toString());
        }
    }
}
