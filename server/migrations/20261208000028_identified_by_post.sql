-- A dossier an officer enters for papers that came by post was not identified at the counter:
-- nobody saw the applicant. It is recorded as such ('qua-buu-chinh'), and 'tai-quay' now means
-- the officer confirmed at filing that they checked the applicant's identity papers.
ALTER TABLE dossiers DROP CONSTRAINT dossiers_identified_by_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_identified_by_check
    CHECK (identified_by IN ('so-dien-thoai', 'dinh-danh', 'tai-quay', 'qua-buu-chinh'));
UPDATE dossiers SET identified_by = 'qua-buu-chinh' WHERE assisted_by IS NOT NULL AND channel = 'post';
