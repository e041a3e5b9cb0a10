package fr.actesconnector.journal;

import fr.actesconnector.testing.LocalPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The list's contract on a real PostgreSQL (zonky embedded binaries), one fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActeSearchPostgresIT extends ActeSearchContract {
    private LocalPostgres postgres;
    private int databases;

    @BeforeAll
    void startPostgres() throws IOException {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    JournalConfig newDatabase() throws Exception {
        return postgres.journal("search_" + (++databases));
    }
}
