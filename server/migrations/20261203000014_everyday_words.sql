-- Codes typed loosely ("demo nb 03 261202 0001") find the dossier: the stored code reduced to
-- upper-case letters and digits, as `dossier_code::COMPACT_CODE_SQL` writes it; text_pattern_ops
-- serves the desk's prefix search too.
CREATE INDEX dossiers_code_compact_idx
    ON dossiers ((upper(regexp_replace(code, '[^A-Za-z0-9]', '', 'g'))) text_pattern_ops);

-- The names people use for a procedure besides its formal one ("giấy độc thân"), searched and
-- ranked with it; folded into search_text by the catalog import.
ALTER TABLE procedures ADD COLUMN common_names text[] NOT NULL DEFAULT '{}';

-- Everyday words for the catalog's words ("nhập hộ khẩu" for "đăng ký thường trú"), both folded
-- as search queries are: catalog data, replaced by an import that lists them.
CREATE TABLE search_synonyms (
    everyday text PRIMARY KEY CHECK (everyday <> '' AND everyday ~ '^[a-z0-9. ]+$'),
    formal text NOT NULL CHECK (formal <> '' AND formal ~ '^[a-z0-9. ]+$')
);

-- The desk finds a dossier by a personal ID number (12 digits) anywhere in its answers: the
-- applicant's or the person concerned's.
CREATE FUNCTION dossier_id_numbers(answers jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ARRAY(SELECT value FROM jsonb_each_text(answers) WHERE value ~ '^[0-9]{12}$');
CREATE INDEX dossiers_id_numbers_idx ON dossiers USING gin (dossier_id_numbers(answers));
