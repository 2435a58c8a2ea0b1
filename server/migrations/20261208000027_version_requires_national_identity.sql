-- A procedure version may be filed online only by a citizen signed in with the national digital
-- identity (the judicial record certificate, for instance): the catalog says so, the filing flow
-- enforces it. At the counter the officer checks the identity papers instead.
ALTER TABLE procedure_versions
    ADD COLUMN requires_national_identity boolean NOT NULL DEFAULT false;

-- The view's `v.*` was expanded when it was made: made again, it lists the new column too.
CREATE OR REPLACE VIEW current_procedure_versions AS
    SELECT v.*
    FROM procedure_versions v
    WHERE v.effective_from <= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
      AND (v.effective_to IS NULL OR v.effective_to > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
