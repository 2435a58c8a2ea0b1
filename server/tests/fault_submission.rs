//! Kills the real server process (SIGKILL) during a burst of concurrent submissions and
//! starts it again: every submission whose receipt was returned exists exactly once, no
//! dossier is half-written, and submitting again files each draft once, numbered without gaps.

use reqwest::{redirect::Policy, Client, StatusCode};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

const CITIZENS: usize = 16;
const TAPS_PER_CITIZEN: usize = 3;
/// The server is killed once this many receipts came back, with the rest still in flight.
const KILL_AFTER_RECEIPTS: usize = 8;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database_url: &str, files: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("DATABASE_MAX_CONNECTIONS", "20")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "mot-cua")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("FILE_STORE", files)
            .env("TRUST_FORWARDED_FOR", "on")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let server = Self { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..300 {
            if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not become healthy");
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn database_url_of(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").unwrap();
    let name = pool.connect_options().get_database().unwrap().to_owned();
    format!("{}/{name}", base.rsplit_once('/').unwrap().0)
}

struct Citizen {
    client: Client,
    draft: Uuid,
}

async fn sign_in_and_fill(server: &Server, pool: &PgPool, index: usize) -> Citizen {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(
            [
                (
                    reqwest::header::HeaderName::from_static("x-forwarded-for"),
                    format!("10.0.0.{index}").parse().unwrap(),
                ),
                // A browser's plain form post: the server answers with a redirect.
                (reqwest::header::ACCEPT, "text/html".parse().unwrap()),
            ]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let phone = format!("09130000{index:02}");
    let post = |path: &str, form: Vec<(&str, String)>| client.post(format!("{}{path}", server.base)).form(&form).send();
    post("/api/dang-nhap/gui-ma", vec![("phone", phone.clone()), ("tiep", "/".into())]).await.unwrap();
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox_messages WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
            .bind(&phone)
            .fetch_one(pool)
            .await
            .unwrap();
    let code = body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned();
    let signed_in = post("/api/dang-nhap/xac-nhan", vec![("code", code)]).await.unwrap();
    assert_eq!(signed_in.headers()["location"], "/");
    let started = post("/api/nop-ho-so/bat-dau", vec![("code", "2.000635".into())]).await.unwrap();
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    let draft: Uuid = location.split('/').nth(3).unwrap().parse().unwrap();
    let answers = serde_json::json!({
        "ho_ten_nguoi_yeu_cau": format!("Công dân {index}"), "cccd_nguoi_yeu_cau": "037090001234",
        "quan_he": "Chính tôi", "loai_trich_luc": "Khai sinh", "ho_ten_trong_trich_luc": "Nguyễn Văn Bình",
        "ngay_sinh_trong_trich_luc": "1990-01-01", "noi_da_dang_ky": "UBND xã Gia Viễn", "so_ban": "1"
    });
    sqlx::query("UPDATE drafts SET answers = $2, receiving_agency_id = (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.01') WHERE id = $1")
        .bind(draft)
        .bind(answers)
        .execute(pool)
        .await
        .unwrap();
    Citizen { client, draft }
}

/// The receipt's dossier code, when the server answered with the receipt's address.
async fn submit(client: Client, base: String, draft: Uuid) -> Option<String> {
    let form = [("draft", draft.to_string()), ("cam_doan", "co".into())];
    let reply = client.post(format!("{base}/api/nop-ho-so/nop")).form(&form).send().await.ok()?;
    if reply.status() != StatusCode::FOUND {
        return None;
    }
    reply.headers()["location"].to_str().ok()?.strip_prefix("/ho-so-cua-toi/").map(str::to_owned)
}

#[sqlx::test(migrations = false)]
async fn a_killed_server_leaves_every_returned_receipt_filed_once_and_nothing_half_written(pool: PgPool) {
    let files = std::env::temp_dir().join(format!("mot-cua-fault-{}", Uuid::new_v4()));
    let database_url = database_url_of(&pool);
    let server = Server::start(&database_url, &files).await;
    let mut citizens = Vec::new();
    for index in 0..CITIZENS {
        citizens.push(sign_in_and_fill(&server, &pool, index).await);
    }

    // The burst: every citizen taps "Nộp hồ sơ" three times at once; the server dies while
    // the replies are coming back.
    let (first_reply, mut first_reply_seen) = tokio::sync::mpsc::channel::<()>(CITIZENS * TAPS_PER_CITIZEN);
    let mut taps = Vec::new();
    for citizen in &citizens {
        for _ in 0..TAPS_PER_CITIZEN {
            let (client, base, draft, signal) =
                (citizen.client.clone(), server.base.clone(), citizen.draft, first_reply.clone());
            taps.push(tokio::spawn(async move {
                let code = submit(client, base, draft).await;
                if code.is_some() {
                    let _ = signal.try_send(());
                }
                (draft, code)
            }));
        }
    }
    let some_receipts = async {
        for _ in 0..KILL_AFTER_RECEIPTS {
            first_reply_seen.recv().await;
        }
    };
    assert!(tokio::time::timeout(Duration::from_secs(60), some_receipts).await.is_ok(), "receipts came back");
    server.kill();
    let mut returned: BTreeMap<Uuid, String> = BTreeMap::new();
    let mut returned_count = 0;
    for tap in taps {
        if let (draft, Some(code)) = tap.await.unwrap() {
            returned_count += 1;
            if let Some(earlier) = returned.insert(draft, code.clone()) {
                assert_eq!(earlier, code, "two receipts for one draft");
            }
        }
    }
    assert!(returned_count >= 1);
    let filed_before_restart: i64 = sqlx::query_scalar("SELECT count(*) FROM dossiers").fetch_one(&pool).await.unwrap();
    println!(
        "killed mid-burst: {returned_count} of {} taps got a receipt, {filed_before_restart} dossiers committed",
        CITIZENS * TAPS_PER_CITIZEN
    );

    // Nothing half-written: each dossier has its event and its receipt message, each draft
    // marked submitted has exactly its one dossier.
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM dossiers s WHERE (SELECT count(*) FROM dossier_events e WHERE e.dossier_id = s.id) <> 1 \
           OR (SELECT count(*) FROM outbox_messages m WHERE m.dossier_id = s.id AND m.purpose = 'receipt') <> 1 \
           OR NOT EXISTS (SELECT 1 FROM drafts d WHERE d.id = s.draft_id AND d.submitted_at IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    let submitted_without_dossier: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM drafts d WHERE d.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dossiers s WHERE s.draft_id = d.id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(submitted_without_dossier, 0);
    for (draft, code) in &returned {
        let stored: Vec<Uuid> = sqlx::query_scalar("SELECT draft_id FROM dossiers WHERE code = $1")
            .bind(code)
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(stored, vec![*draft], "receipt {code} is filed exactly once, for its draft");
    }

    // After the restart, every citizen submits again: returned receipts come back unchanged,
    // the others are filed now, once each, and the day's numbers have no gap.
    let server = Server::start(&database_url, &files).await;
    for citizen in &citizens {
        let code =
            submit(citizen.client.clone(), server.base.clone(), citizen.draft).await.expect("a receipt after restart");
        if let Some(before) = returned.get(&citizen.draft) {
            assert_eq!(&code, before);
        }
    }
    server.kill();
    let mut numbers: Vec<i32> = sqlx::query_scalar("SELECT split_part(code, '-', 3)::int FROM dossiers ORDER BY 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    numbers.dedup();
    assert_eq!(numbers, (1..=CITIZENS as i32).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(files);
}
