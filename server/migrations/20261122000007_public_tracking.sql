-- Public look-ups of a dossier by code and the last digits of the applicant's phone, kept to
-- rate-limit guessing per client address and per dossier code.
CREATE TABLE tracking_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL,
    client_address  text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    succeeded       boolean NOT NULL
);
CREATE INDEX tracking_attempts_client_idx ON tracking_attempts (client_address, at);
CREATE INDEX tracking_attempts_code_idx ON tracking_attempts (code, at);
