package fr.actesconnector.journal;

import fr.actesconnector.model.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The list's contract on a real PostgreSQL (zonky embedded binaries), one fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActeSearchPostgresIT extends ActeSearchContract {
    private EmbeddedPostgres postgres;
    private int databases;

    @BeforeAll
    void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (postgres != null) postgres.close();
    }

    @Override
    JournalConfig newDatabase() throws Exception {
        String name = "search_" + (++databases);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return JournalConfig.of("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres",
                Secret.of("postgres"));
    }
}
