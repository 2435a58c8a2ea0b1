-- Benchmark only (run by .ci/bench against its own throw-away database): grows the demo
-- catalog to about 5,000 procedures by copying each demo procedure with codes 8.xxxxxx, names
-- ending "(bản thử N)", the same version in force and the same channels, so search and browse
-- can be timed on a catalog of realistic size.
CREATE TEMP TABLE originals AS
    SELECT p.id, p.code, row_number() OVER (ORDER BY p.id) AS rn, v.id AS version_id
    FROM procedures p JOIN current_procedure_versions v ON v.procedure_id = p.id
    WHERE p.code NOT LIKE '8.%';

CREATE TEMP TABLE copies AS
    SELECT o.*, g, format('8.%s', lpad((g * 100 + o.rn)::text, 6, '0')) AS copy_code
    FROM originals o, generate_series(1, :copies) g;

INSERT INTO procedures (code, name, field_id, level, applicant, competent_agency, is_popular, search_text)
SELECT c.copy_code, p.name || ' (bản thử ' || c.g || ')', p.field_id, p.level, p.applicant, p.competent_agency, false,
       replace(p.search_text, p.code, c.copy_code) || ' ban thu ' || c.g
FROM copies c JOIN procedures p ON p.id = c.id
ON CONFLICT (code) DO NOTHING;

INSERT INTO procedure_versions (procedure_id, effective_from, online_kind, steps, conditions, legal_basis, result)
SELECT n.id, v.effective_from, v.online_kind, v.steps, v.conditions, v.legal_basis, v.result
FROM copies c JOIN procedures n ON n.code = c.copy_code JOIN procedure_versions v ON v.id = c.version_id
ON CONFLICT (procedure_id, effective_from) DO NOTHING;

INSERT INTO procedure_channels (version_id, channel, time_amount, time_unit, time_note)
SELECT nv.id, ch.channel, ch.time_amount, ch.time_unit, ch.time_note
FROM copies c
JOIN procedures n ON n.code = c.copy_code
JOIN procedure_versions nv ON nv.procedure_id = n.id
JOIN procedure_channels ch ON ch.version_id = c.version_id AND ch.case_no IS NULL
ON CONFLICT DO NOTHING;

INSERT INTO agency_procedures (agency_id, procedure_id)
SELECT ap.agency_id, n.id FROM copies c JOIN procedures n ON n.code = c.copy_code
JOIN agency_procedures ap ON ap.procedure_id = c.id
ON CONFLICT DO NOTHING;

DELETE FROM search_words;
INSERT INTO search_words
    SELECT DISTINCT btrim(w, '.') FROM procedures, regexp_split_to_table(search_text, '[^a-z0-9.]+') AS w
    WHERE btrim(w, '.') <> '';

-- What autovacuum does after a bulk change (the triggers rewrote catalog_listing per statement).
VACUUM ANALYZE;
SELECT count(*) AS procedures_in_force FROM current_procedure_versions;
