-- Supplement requests carry the receiving agency and procedure of their dossier (neither ever
-- changes), so the statistics count the dossiers asked for supplements in a period from this
-- table's time index alone: joining every request to its dossier took 0.3–0.6 s for a year at a
-- million dossiers, one random heap read per request.
ALTER TABLE supplement_requests ADD COLUMN receiving_agency_id bigint REFERENCES agencies (id),
                                ADD COLUMN procedure_id bigint REFERENCES procedures (id);
UPDATE supplement_requests r SET receiving_agency_id = d.receiving_agency_id, procedure_id = v.procedure_id
FROM dossiers d JOIN procedure_versions v ON v.id = d.version_id WHERE d.id = r.dossier_id;
ALTER TABLE supplement_requests ALTER COLUMN receiving_agency_id SET NOT NULL, ALTER COLUMN procedure_id SET NOT NULL;

CREATE FUNCTION supplement_request_scope() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT d.receiving_agency_id, v.procedure_id INTO NEW.receiving_agency_id, NEW.procedure_id
  FROM dossiers d JOIN procedure_versions v ON v.id = d.version_id WHERE d.id = NEW.dossier_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER supplement_requests_scope BEFORE INSERT OR UPDATE OF dossier_id ON supplement_requests
    FOR EACH ROW EXECUTE FUNCTION supplement_request_scope();

CREATE INDEX supplement_requests_counted_idx ON supplement_requests (requested_at)
    INCLUDE (receiving_agency_id, procedure_id, dossier_id);
DROP INDEX supplement_requests_time_idx;
