-- Ten years of a syndicate's actes (500 000 across 200 collectivités): each list, search and lease query
-- reads one index in its own order and stops after its page; none reads the whole table (EXPLAIN on
-- PostgreSQL in JournalScaleIT). The poller's and the sender's leases read ix_acte_due (V3).
-- The list, newest first, paged by its key (created_at, id): replaces ix_acte_created (created_at alone).
DROP INDEX ix_acte_created;
CREATE INDEX ix_acte_list ON acte (created_at, id);
-- The same list for one state is V8's ix_acte_state_created (status --state, the page's filter), and the
-- search by number whatever the collectivité V8's ix_acte_numero; for one collectivité (its accounts):
CREATE INDEX ix_acte_siren_list ON acte (siren, created_at, id);
-- The acte replacing a refused one, looked up each time an acte is shown.
CREATE INDEX ix_acte_replaces ON acte (replaces_id);
-- The year-end export: the actes decided in a period.
CREATE INDEX ix_acte_decision ON acte (date_decision, id);
