-- Sign-in with the national digital identity (issue 17): a citizen's account holds the personal
-- identification number the identity provider asserted, once the citizen proved both the
-- provider's sign-in and the account's phone number in one session (auth/citizen.rs). One
-- account per ID number, never replaced by another. `identity_data` keeps what the provider
-- gave at the last sign-in (full name, date of birth, address) for the forms it fills in.
ALTER TABLE citizens
    ADD COLUMN national_id          text UNIQUE CHECK (national_id ~ '^[0-9]{12}$'),
    ADD COLUMN identity_data        jsonb CHECK (identity_data IS NULL OR jsonb_typeof(identity_data) = 'object'),
    ADD COLUMN identity_checked_at  timestamptz,
    ADD CHECK ((national_id IS NULL) = (identity_checked_at IS NULL));
