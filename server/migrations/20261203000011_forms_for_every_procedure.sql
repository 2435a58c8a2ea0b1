-- Every online procedure can be filed: a version without an authored application form gets one
-- derived from its catalog data at import, and the dossier records the case the citizen chose
-- (which decides its documents, time limit and fee).
ALTER TABLE application_forms ADD COLUMN derived boolean NOT NULL DEFAULT false;

ALTER TABLE dossiers ADD COLUMN case_no smallint CHECK (case_no > 0);
