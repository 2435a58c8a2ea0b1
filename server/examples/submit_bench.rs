//! Benchmark (not a test) of online submission, run by `.ci/bench` against a release server:
//! signs in enough citizens that none files more than the portal's hourly limit, gives them
//! complete drafts, then submits them from 16 concurrent clients and reports submissions per
//! second (and fails unless every one of them was stored). Also reports the brotli bytes of every page of
//! the guided flow. Usage: submit_bench BASE_URL[,BASE_URL...] DATABASE_URL SUBMISSIONS PKG_DIR
//! With several servers (instances on one database), citizens sign in at one and the clients
//! submit through each in turn, so a session made by one instance is used by another.

use reqwest::{header, redirect::Policy, Client, StatusCode};
use sqlx::PgPool;
use std::time::Instant;
use uuid::Uuid;

const CLIENTS: usize = 16;
/// `app::dossier::db::MAX_FILINGS_PER_HOUR`: a citizen's eleventh filing within the hour is refused.
const PER_CITIZEN: usize = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bases, database_url, submissions, pkg] = args.as_slice() else {
        anyhow::bail!("usage: submit_bench BASE_URL[,BASE_URL...] DATABASE_URL SUBMISSIONS PKG_DIR");
    };
    let bases: Vec<&str> = bases.split(',').collect();
    let submissions: usize = submissions.parse()?;
    let pool = PgPool::connect(database_url).await?;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM dossiers").fetch_one(&pool).await?;
    // Each citizen signs in from their own address, as they would from their own phone.
    let mut citizens = Vec::new();
    for index in 0..submissions.div_ceil(PER_CITIZEN) {
        let client = sign_in(bases[index % bases.len()], &pool, index).await?;
        let drafts = drafts_for(&pool, index, PER_CITIZEN.min(submissions - index * PER_CITIZEN)).await?;
        citizens.push((client, drafts));
    }
    page_weights(bases[0], &pool, &citizens[0].0, pkg).await?;

    // Worker `w` submits the drafts of citizens w, w + 16, w + 32, ... one after another.
    let mut work: Vec<Vec<(Client, Uuid)>> = vec![Vec::new(); CLIENTS];
    for (index, (client, drafts)) in citizens.into_iter().enumerate() {
        work[index % CLIENTS].extend(drafts.into_iter().map(|draft| (client.clone(), draft)));
    }
    let started = Instant::now();
    let tasks: Vec<_> = work
        .into_iter()
        .enumerate()
        .map(|(worker, submissions)| {
            // The next instance after the one the worker's citizens signed in at.
            let base = bases[(worker + 1) % bases.len()].to_owned();
            tokio::spawn(async move {
                for (client, draft) in submissions {
                    let form = [("draft", draft.to_string()), ("cam_doan", "co".to_owned())];
                    let reply = client.post(format!("{base}/api/nop-ho-so/nop")).form(&form).send().await?;
                    anyhow::ensure!(reply.status() == StatusCode::FOUND, "submission answered {}", reply.status());
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let filed = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM dossiers").fetch_one(&pool).await? - before;
    println!(
        "submissions {submissions} in {elapsed:.2}s: {:.0}/s ({filed} dossiers stored)",
        submissions as f64 / elapsed
    );
    anyhow::ensure!(filed == submissions as i64, "{} submissions were not stored", submissions as i64 - filed);
    Ok(())
}

async fn sign_in(base: &str, pool: &PgPool, index: usize) -> anyhow::Result<Client> {
    let headers = [
        (
            header::HeaderName::from_static("x-forwarded-for"),
            format!("10.1.{}.{}", index / 250, index % 250 + 1).parse()?,
        ),
        (header::ACCEPT, "text/html".parse()?),
    ];
    let client = Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(headers.into_iter().collect())
        .build()?;
    let phone = bench_phone(index);
    // The code is read from the outbox; once a worker has sent it, only a placeholder is left
    // there, so the citizen asks for another one.
    let mut code = String::new();
    for _ in 0..3 {
        client
            .post(format!("{base}/api/dang-nhap/gui-ma"))
            .form(&[("phone", phone.as_str()), ("tiep", "/")])
            .send()
            .await?;
        let body: String =
            sqlx::query_scalar("SELECT body FROM outbox_messages WHERE recipient = $1 ORDER BY id DESC LIMIT 1")
                .bind(&phone)
                .fetch_one(pool)
                .await?;
        code = body.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap_or_default().to_owned();
        if !code.is_empty() {
            break;
        }
    }
    client.post(format!("{base}/api/dang-nhap/xac-nhan")).form(&[("code", code)]).send().await?;
    Ok(client)
}

fn bench_phone(index: usize) -> String {
    format!("0914{index:06}")
}

/// Complete drafts of "Cấp bản sao Trích lục hộ tịch" for the client's citizen, spread over the
/// communes (each commune numbers its own dossiers).
async fn drafts_for(pool: &PgPool, index: usize, count: usize) -> anyhow::Result<Vec<Uuid>> {
    let drafts = sqlx::query_scalar(
        "INSERT INTO drafts (id, citizen_id, version_id, receiving_agency_id, answers, expires_at) \
         SELECT gen_random_uuid(), c.id, f.version_id, \
                (SELECT id FROM agencies WHERE identifier = 'DEMO.NB.0' || (1 + (n + $2) % 5)), \
                jsonb_build_object('ho_ten_nguoi_yeu_cau', 'Công dân ' || n, 'cccd_nguoi_yeu_cau', '037090001234', \
                  'quan_he', 'Chính tôi', 'loai_trich_luc', 'Khai sinh', 'ho_ten_trong_trich_luc', 'Nguyễn Văn Bình', \
                  'ngay_sinh_trong_trich_luc', '1990-01-01', 'noi_da_dang_ky', 'UBND xã Gia Viễn', 'so_ban', '1'), \
                now() + interval '30 days' \
         FROM generate_series(1, $3) n, citizens c, application_forms f \
         JOIN current_procedure_versions v ON v.id = f.version_id JOIN procedures p ON p.id = v.procedure_id \
         WHERE c.phone = $1 AND p.code = '2.000635' RETURNING id",
    )
    .bind(bench_phone(index))
    .bind(index as i32)
    .bind(count as i32)
    .fetch_all(pool)
    .await?;
    Ok(drafts)
}

/// Brotli bytes of each page of the flow (HTML + CSS, + JS + WASM when it has an island).
async fn page_weights(base: &str, pool: &PgPool, client: &Client, pkg: &str) -> anyhow::Result<()> {
    let size_of = |suffix: &str| -> u64 {
        std::fs::read_dir(pkg)
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| {
                e.file_name().to_string_lossy().ends_with(suffix)
                    && !e.file_name().to_string_lossy().contains("_bg.wasm.gz")
            })
            .and_then(|e| e.metadata().ok())
            .map_or(0, |m| m.len())
    };
    let (css, js, wasm) = (size_of(".css.br"), size_of(".js.br"), size_of(".wasm.br"));
    let reply = client.post(format!("{base}/api/nop-ho-so/bat-dau")).form(&[("code", "1.001193")]).send().await?;
    let location = reply.headers()[header::LOCATION].to_str()?.to_owned();
    let draft = location.split('/').nth(3).unwrap_or_default().to_owned();
    let form: serde_json::Value = sqlx::query_scalar(
        "SELECT f.definition FROM application_forms f JOIN drafts d ON d.version_id = f.version_id WHERE d.id = $1::uuid",
    )
    .bind(&draft)
    .fetch_one(pool)
    .await?;
    let mut pages =
        vec!["/nop-ho-so/1.001193".to_owned(), "/dang-nhap".to_owned(), format!("/nop-ho-so/nhap/{draft}/noi-nop")];
    for page in form["pages"].as_array().into_iter().flatten() {
        pages.push(format!("/nop-ho-so/nhap/{draft}/{}", page["id"].as_str().unwrap_or_default()));
    }
    pages.push(format!("/nop-ho-so/nhap/{draft}/kiem-tra"));
    println!("brotli bytes per page of the birth registration flow (css {css}, js {js}, wasm {wasm} when scripted)");
    for page in pages {
        let reply = client.get(format!("{base}{page}")).header(header::ACCEPT_ENCODING, "br").send().await?;
        let html = reply.bytes().await?;
        let plain = client.get(format!("{base}{page}")).send().await?.text().await?;
        let scripted = plain.contains(r#"type="module""#);
        let total = html.len() as u64 + css + if scripted { js + wasm } else { 0 };
        let name = page.replace(&draft, "{nháp}");
        println!(
            "  {name:44} html {:6}  {}  total {total:6}",
            html.len(),
            if scripted { "+ js + wasm" } else { "no script  " }
        );
    }
    Ok(())
}
