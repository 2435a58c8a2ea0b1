-- The submission transaction for pgbench, run by .ci/bench after the HTTP submissions.
-- It queues one `file_dossier` call for each dossier filed online in the last hour, with the
-- arguments the portal passed for it. Each call files a fresh draft with the same answers,
-- for a fresh citizen with ten drafts, so the hourly limit is checked as it is for the HTTP
-- citizens. `.ci/bench-filing.pgbench` takes the next call from the queue and makes it.
DROP TABLE IF EXISTS bench_filing, bench_filing_call;
DROP SEQUENCE IF EXISTS bench_filing_n;
CREATE SEQUENCE bench_filing_n;

CREATE TABLE bench_filing AS
SELECT row_number() OVER (ORDER BY s.received_at, s.id) AS n, gen_random_uuid() AS draft, s.*
  FROM dossiers s
 WHERE s.channel = 'online' AND s.received_at > now() - interval '1 hour';
ALTER TABLE bench_filing ADD PRIMARY KEY (n), ADD COLUMN citizen uuid, ADD COLUMN read_at timestamptz;

INSERT INTO citizens (id, phone)
SELECT gen_random_uuid(), '0916' || lpad(k::text, 6, '0')
  FROM generate_series(0, (SELECT count(*) FROM bench_filing) / 10) k
ON CONFLICT (phone) DO NOTHING;
UPDATE bench_filing b SET citizen = c.id
  FROM citizens c WHERE c.phone = '0916' || lpad(((b.n - 1) / 10)::text, 6, '0');

INSERT INTO drafts (id, citizen_id, version_id, receiving_agency_id, answers, expires_at)
SELECT draft, citizen, version_id, receiving_agency_id, answers, now() + interval '30 days' FROM bench_filing;
UPDATE bench_filing b SET read_at = d.updated_at FROM drafts d WHERE d.id = b.draft;

-- The arguments, as the portal builds them: the dossier row without its code (a new id), the
-- first audit entry, and the receipt message with the mark where its code goes.
CREATE TABLE bench_filing_call AS
SELECT b.n, b.draft, b.citizen, b.read_at,
       left(b.code, length(b.code) - 4) AS prefix,
       jsonb_set(to_jsonb(b) - 'code' - 'n' - 'draft' - 'citizen' - 'read_at', '{id}', to_jsonb(gen_random_uuid()))
         || jsonb_build_object('received_on', (b.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS dossier,
       (SELECT to_jsonb(e) - 'id' - 'dossier_id' - 'at' FROM dossier_events e
         WHERE e.dossier_id = b.id ORDER BY e.id LIMIT 1) AS event,
       (SELECT jsonb_build_object('phone', c.phone, 'body', replace(m.body, b.code, 'XMAHOSOMOIX'),
                                  'purpose', m.purpose, 'with_email', true)
          FROM outbox_messages m JOIN dossiers s ON s.id = m.dossier_id JOIN citizens c ON c.id = s.citizen_id
         WHERE m.dossier_id = b.id AND m.channel = 'sms' LIMIT 1) AS message
  FROM bench_filing b;
ALTER TABLE bench_filing_call ADD PRIMARY KEY (n);
DROP TABLE bench_filing;
ANALYZE bench_filing_call;
