-- When the journal recorded each file of the archive (status --json lists every kept file with its time).
-- Rows written before this script keep NULL: their time is not known.
ALTER TABLE acte_file ADD COLUMN recorded_at TIMESTAMP WITH TIME ZONE;
