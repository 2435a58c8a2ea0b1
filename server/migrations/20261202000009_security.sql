-- An agency can never be its own ancestor: recursive tree queries (scopes, statistics,
-- administration) would otherwise never end.
CREATE FUNCTION agencies_refuse_parent_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE ancestors (id, depth) AS (
            SELECT NEW.parent_id, 1
            UNION ALL
            SELECT a.parent_id, ancestors.depth + 1
            FROM agencies a JOIN ancestors ON a.id = ancestors.id
            WHERE a.parent_id IS NOT NULL AND ancestors.depth < 64
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'agency % would be its own ancestor', NEW.identifier USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER agencies_no_parent_cycle
    BEFORE INSERT OR UPDATE OF parent_id ON agencies
    FOR EACH ROW EXECUTE FUNCTION agencies_refuse_parent_cycle();

-- The portal's hourly budget of sign-in SMS counts every code of the last hour.
CREATE INDEX sign_in_codes_created_idx ON sign_in_codes (created_at);

-- Feedback is limited per client; only a keyed hash of the address is kept, to count.
ALTER TABLE procedure_feedback ADD COLUMN client_key text;
CREATE INDEX procedure_feedback_client_idx ON procedure_feedback (client_key, created_at);
