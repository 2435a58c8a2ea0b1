-- Search text: code, name and field folded to lower-case ASCII by the application
-- (domain::text::fold_diacritics), matched with trigrams so typos are tolerated.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE procedures ADD COLUMN search_text text NOT NULL DEFAULT '';
CREATE INDEX procedures_search_trgm_idx ON procedures USING gin (search_text gin_trgm_ops);
