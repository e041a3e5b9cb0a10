-- The web page's list of actes, paged newest first and searched (journal.ActeSearch): a state in
-- registration order (the list filtered by state reads one page of this index, not every acte of that
-- state), and a number prefix read as a range. Registration order alone is ix_acte_created (V1); an
-- IDActe is uk_acte_id_acte.
CREATE INDEX ix_acte_state_created ON acte (state, created_at, id);
CREATE INDEX ix_acte_numero ON acte (numero_interne);
