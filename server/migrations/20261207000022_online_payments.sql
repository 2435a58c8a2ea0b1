-- Online fee payments (issue 16): one row per attempt to pay a dossier's fee through a payment
-- gateway, written only by `app/src/filed/payments.rs`. The merchant reference is what the
-- gateway knows the attempt by (VNPAY's vnp_TxnRef); it is unique for ever, so a notification
-- can name one attempt only. An attempt is marked paid by the gateway's signed notification
-- (IPN) or by asking the gateway (reconciliation), never by the citizen's browser.
CREATE TABLE payments (
    id             bigserial PRIMARY KEY,
    merchant_ref   text NOT NULL UNIQUE CHECK (merchant_ref ~ '^[A-Za-z0-9]{8,40}$'),
    dossier_id     uuid NOT NULL REFERENCES dossiers (id),
    -- 'filing': the fee of the catalog paid when filing; 'obligation': a fee the desk asked for.
    purpose        text NOT NULL CHECK (purpose IN ('filing', 'obligation')),
    fee_name       text NOT NULL CHECK (length(fee_name) BETWEEN 1 AND 300),
    amount_vnd     bigint NOT NULL CHECK (amount_vnd > 0 AND amount_vnd < 10000000000),
    -- The agency the money goes to.
    agency_id      bigint NOT NULL REFERENCES agencies (id),
    gateway        text NOT NULL CHECK (gateway IN ('vnpay', 'demo')),
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed', 'expired')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    -- How the attempt left 'pending': the gateway's notification, a query to it, or expiry.
    settled_by     text CHECK (settled_by IN ('ipn', 'query', 'expiry')),
    settled_at     timestamptz,
    -- The gateway's answer: its transaction number, the bank, when it says the money moved,
    -- and its response code for an attempt that failed.
    transaction_no text,
    bank_code      text,
    paid_at        timestamptz,
    gateway_code   text,
    CHECK ((status = 'pending') = (settled_at IS NULL)),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
-- One live attempt per dossier and purpose: a second tab or a second tap reuses it, so the
-- citizen cannot pay the same fee twice through two attempts.
CREATE UNIQUE INDEX payments_one_pending ON payments (dossier_id, purpose) WHERE status = 'pending';
CREATE INDEX payments_dossier_idx ON payments (dossier_id);
-- Reconciliation reads the attempts still pending.
CREATE INDEX payments_pending_idx ON payments (created_at) WHERE status = 'pending';
