-- Accounts of a syndicate's page (many collectivités). An account belongs to the whole syndicate
-- (syndicate_wide) or to the collectivités listed for it in web_user_collectivite, by SIREN. An account with
-- neither (made before V10) sees the only collectivité of a one-collectivité configuration and nothing in a
-- configuration of several: never every collectivité by default (app.web.CollectiviteAccess).
ALTER TABLE web_user ADD COLUMN syndicate_wide BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE web_user_collectivite (
    login  VARCHAR(64) NOT NULL,
    siren  VARCHAR(9)  NOT NULL,
    CONSTRAINT pk_web_user_collectivite PRIMARY KEY (login, siren),
    CONSTRAINT fk_web_user_collectivite FOREIGN KEY (login) REFERENCES web_user (login) ON DELETE CASCADE
);

-- The page's list of one collectivité (journal.ActeSearch with a SIREN): newest first, one state newest
-- first, an IDActe prefix; a number prefix reads uk_acte_numero (siren, numero_interne) of V1. Descending as
-- the list's first page: H2 counts an index as sorted only in its own direction (else it would take
-- uk_acte_numero for "siren = ?" and sort); PostgreSQL reads them both ways.
-- V9's ix_acte_siren_list (siren, created_at, id) is the same list ascending: H2 would take it and sort.
DROP INDEX ix_acte_siren_list;
CREATE INDEX ix_acte_siren_created ON acte (siren DESC, created_at DESC, id DESC);
CREATE INDEX ix_acte_siren_state_created ON acte (siren DESC, state DESC, created_at DESC, id DESC);
CREATE INDEX ix_acte_siren_id_acte ON acte (siren DESC, id_acte DESC);
