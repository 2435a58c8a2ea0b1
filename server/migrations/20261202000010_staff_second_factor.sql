-- The staff second factor (TOTP, RFC 6238): required for leaders and administrators, open to
-- every officer. One owner: app/src/auth/second_factor.rs.

CREATE TABLE staff_second_factors (
    staff_id      uuid PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
    -- The shared secret (20 random bytes). Unconfirmed until the officer types a first code.
    secret        bytea NOT NULL CHECK (length(secret) = 20),
    confirmed_at  timestamptz,
    -- The last 30-second step a code was accepted for: a code works once (RFC 6238 §5.2).
    last_step     bigint NOT NULL DEFAULT 0
);

-- One-time codes for a lost phone, kept as SHA-256 hashes (each has 50 random bits).
CREATE TABLE staff_recovery_codes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL,
    used_at    timestamptz
);
CREATE INDEX staff_recovery_codes_staff_idx ON staff_recovery_codes (staff_id) WHERE used_at IS NULL;

-- Wrong second-factor codes per account, for the limit (the password was right: counted per
-- account from every address).
CREATE TABLE staff_second_factor_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id  uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_second_factor_failures_idx ON staff_second_factor_failures (staff_id, at);

-- Tracking: a client that once proved a code keeps its way in when strangers' guesses lock
-- the code, so successes are kept longer than failures and found by code and client.
CREATE INDEX tracking_attempts_success_idx ON tracking_attempts (code, client_address) WHERE succeeded;
