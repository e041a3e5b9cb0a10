package fr.actesconnector.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.actesconnector.model.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list's contract on an H2 file, plus the plans H2 chooses: each page read from an index, in its order. */
class ActeSearchH2Test extends ActeSearchContract {
    @TempDir
    Path dir;

    @Override
    JournalConfig newDatabase() {
        return JournalConfig.of("jdbc:h2:file:" + dir.resolve("j"), "", Secret.of(""));
    }

    private String plan(ActeSearch.Criteria criteria) throws Exception {
        Map.Entry<String, List<Object>> q = ActeSearch.firstPageSql(criteria, 51);
        try (Connection c = DriverManager.getConnection(config.url());
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + q.getKey())) {
            Sql.bind(ps, q.getValue().toArray());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void eachListIsReadFromAnIndexInItsOrder() throws Exception {
        registerMany("2026_DEC", 3);
        String all = plan(ActeSearch.Criteria.ALL);
        assertTrue(all.contains("IX_ACTE_LIST") && all.contains("index sorted"), all);
        String state = plan(ActeSearch.Criteria.ALL.withStates(Set.of(TransmissionState.ERROR))
                .between(Optional.of(Instant.EPOCH), Optional.empty()));
        assertTrue(state.contains("IX_ACTE_STATE_CREATED: STATE = ") && state.contains("/* index sorted */"), state);
        String numero = plan(ActeSearch.Criteria.ALL.withNumero("2026-DEC"));
        assertTrue(numero.contains("IX_ACTE_NUMERO: NUMERO_INTERNE >= ") && numero.contains("NUMERO_INTERNE < ")
                && numero.contains("index sorted"), numero);
        String idActe = plan(ActeSearch.Criteria.ALL.withIdActe("078-217803105-2026"));
        assertTrue(idActe.contains("UK_ACTE_ID_ACTE") && idActe.contains("ID_ACTE < ") && idActe.contains("index sorted"),
                idActe);
    }

    @Test
    void aCollectivitesListIsReadFromItsIndexesInTheirOrder() throws Exception {
        registerMany("2026_DEC", 3);
        ActeSearch.Criteria one = ActeSearch.Criteria.ALL.withSiren(SIREN);
        String all = plan(one);
        assertTrue(all.contains("IX_ACTE_SIREN_CREATED: SIREN = ") && all.contains("index sorted"), all);
        String state = plan(one.withStates(Set.of(TransmissionState.ERROR)));
        assertTrue(state.contains("IX_ACTE_SIREN_STATE_CREATED: SIREN = ") && state.contains("index sorted"), state);
        String numero = plan(one.withNumero("2026-DEC"));
        assertTrue(numero.contains("UK_ACTE_NUMERO") && numero.contains("NUMERO_INTERNE < ") && numero.contains("index sorted"),
                numero);
        String idActe = plan(one.withIdActe("078-2178"));
        assertTrue(idActe.contains("IX_ACTE_SIREN_ID_ACTE: SIREN = ") && idActe.contains("ID_ACTE < ")
                && idActe.contains("index sorted"), idActe);
    }

    @Test
    void theUpperBoundOfAPrefixHoldsWhateverTheCollation() {
        assertEquals(Optional.of("2027"), ActeSearch.upperBound("2026_"), "trailing separators dropped");
        assertEquals(Optional.of("2026_DED"), ActeSearch.upperBound("2026_DEC"));
        assertEquals(Optional.of("2026_DEA"), ActeSearch.upperBound("2026_DE9"), "digits before letters");
        assertEquals(Optional.of("B"), ActeSearch.upperBound("AZ-"), "Z carried to the character before");
        assertEquals(Optional.empty(), ActeSearch.upperBound("ZZ_"), "nothing above: no upper bound");
    }
}
