-- The dossiers behind a fee figure: the fee events of the period, found without reading the
-- whole audit trail (which holds some ten events per dossier).
CREATE INDEX dossier_events_fees_idx ON dossier_events (at, dossier_id)
    WHERE action IN ('thanh-toan-truc-tuyen', 'da-nop-phi');
