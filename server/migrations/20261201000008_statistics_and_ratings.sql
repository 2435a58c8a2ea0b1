-- On-time statistics, the satisfaction rating at hand-over, and e-mail notices.

ALTER TABLE dossiers
    -- When the dossier left the open set: result ready, refused, withdrawn or stopped.
    ADD COLUMN closed_at    timestamptz,
    -- The Vietnam date the result was ready, and how that compares with the due date
    -- (domain::statistics::Timeliness), written in the transaction that finishes the dossier.
    ADD COLUMN finished_on  date,
    ADD COLUMN timeliness   text CHECK (timeliness IN ('som', 'dung_han', 'tre'));

-- Dossiers finished or closed before this migration (the same rule as the domain module).
UPDATE dossiers SET closed_at = finished_at,
    finished_on = (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
WHERE finished_at IS NOT NULL;
UPDATE dossiers SET timeliness = CASE WHEN finished_on < due_date THEN 'som'
                                      WHEN finished_on = due_date THEN 'dung_han' ELSE 'tre' END
WHERE finished_on IS NOT NULL;
UPDATE dossiers d SET closed_at = (SELECT max(e.at) FROM dossier_events e WHERE e.dossier_id = d.id)
WHERE closed_at IS NULL AND status IN ('khong_tiep_nhan', 'rut_ho_so', 'dung_xu_ly');

ALTER TABLE dossiers
    ADD CONSTRAINT dossiers_finish_facts CHECK ((finished_at IS NULL) = (finished_on IS NULL)
                                                AND (finished_on IS NULL) = (timeliness IS NULL)),
    ADD CONSTRAINT dossiers_closed_when_closed CHECK (
        (status IN ('khong_tiep_nhan', 'rut_ho_so', 'dung_xu_ly') OR finished_at IS NOT NULL) = (closed_at IS NOT NULL));

-- A report reads the dossiers received before its end that were still open, or closed, after
-- its start: by agency and time first.
CREATE INDEX dossiers_stats_idx ON dossiers (receiving_agency_id, received_at);
CREATE INDEX dossiers_closed_idx ON dossiers (closed_at);
CREATE INDEX dossiers_open_idx ON dossiers (received_at) WHERE closed_at IS NULL;
CREATE INDEX supplement_requests_dossier_idx ON supplement_requests (dossier_id, requested_at);
CREATE INDEX supplement_requests_time_idx ON supplement_requests (requested_at);

CREATE TABLE dossier_ratings (
    dossier_id     uuid PRIMARY KEY REFERENCES dossiers (id),
    level          text NOT NULL CHECK (level IN ('rat_hai_long', 'hai_long', 'khong_hai_long')),
    reason         text CHECK (length(reason) BETWEEN 1 AND 500),
    -- Online by the applicant, or on the desk's tablet page (the officer who handed it over).
    via            text NOT NULL CHECK (via IN ('online', 'desk')),
    staff_user_id  uuid REFERENCES staff_users (id),
    rated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (level <> 'khong_hai_long' OR reason IS NOT NULL),
    CHECK ((via = 'desk') = (staff_user_id IS NOT NULL))
);
CREATE INDEX dossier_ratings_time_idx ON dossier_ratings (rated_at);

-- A citizen may add an e-mail address: every notice about their dossiers is then also sent
-- there (domain::email checks the form).
ALTER TABLE citizens ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%.__%');
