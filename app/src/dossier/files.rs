//! Receiving uploads into the file store, and serving them back only to their owner.

use super::db::{self, Attach, Draft};
use super::storage::FileStore;
use super::upload::{prepare, Rejected, MAX_UPLOAD_BYTES};
use axum::extract::{Extension, Path};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::use_context;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The input's name on the upload form (a camera input and a file input share it).
pub const FILE_FIELD: &str = "tep";

/// Stores each file posted in the form and attaches it to the draft's question. Stops at the
/// first rejected file; the files before it stay attached.
pub async fn receive_uploads(
    data: server_fn::codec::MultipartData,
    draft: &Draft,
    citizen_id: Uuid,
    question: &str,
) -> Result<(), Rejected> {
    let (Some(mut multipart), Some(store)) = (data.into_inner(), use_context::<FileStore>()) else {
        return Err(Rejected::NotSaved);
    };
    let pool = use_context::<PgPool>().ok_or(Rejected::NotSaved)?;
    let mut received = 0;
    // A body cut short by the size limit or a dropped connection reads as an error here.
    while let Some(mut field) = multipart.next_field().await.map_err(|_| Rejected::TooLarge)? {
        if field.name() != Some(FILE_FIELD) || field.file_name().is_none_or(str::is_empty) {
            continue;
        }
        let key = format!("drafts/{}/{}", draft.id, Uuid::new_v4());
        let stored = store_field(&mut field, &store, &key).await?;
        match db::attach_file(&pool, draft.id, citizen_id, question, &key, &stored).await {
            Ok(Attach::Added) => received += 1,
            Ok(Attach::NoRoom) => {
                forget(&key).await;
                return Err(Rejected::NoRoom);
            }
            Ok(Attach::CitizenFull) => {
                forget(&key).await;
                return Err(Rejected::CitizenFull);
            }
            Ok(Attach::Gone) | Err(_) => {
                forget(&key).await;
                return Err(Rejected::NotSaved);
            }
        }
    }
    if received == 0 {
        Err(Rejected::NoFile)
    } else {
        Ok(())
    }
}

/// Reads one uploaded file (within the size cap), checks and re-encodes it, and stores it.
async fn store_field(
    field: &mut multer::Field<'static>,
    store: &FileStore,
    key: &str,
) -> Result<super::upload::StoredDocument, Rejected> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| Rejected::TooLarge)? {
        if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
            return Err(Rejected::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    let stored = {
        // Decoding takes a core and up to a few hundred MiB: two at a time, the rest wait.
        let _turn = DECODES.acquire().await.map_err(|_| Rejected::NotSaved)?;
        tokio::task::spawn_blocking(move || prepare(&bytes)).await.map_err(|_| Rejected::NotSaved)??
    };
    store.put(key, stored.bytes.clone()).await.map_err(|error| {
        tracing::error!(%error, "storing an upload failed");
        Rejected::NotSaved
    })?;
    Ok(stored)
}

/// Stores the result document an officer uploads (the first file in the form).
pub async fn receive_result(
    data: server_fn::codec::MultipartData,
) -> Result<crate::filed::results::StoredResult, Rejected> {
    let (Some(mut multipart), Some(store)) = (data.into_inner(), use_context::<FileStore>()) else {
        return Err(Rejected::NotSaved);
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| Rejected::TooLarge)? {
        if field.name() != Some(FILE_FIELD) || field.file_name().is_none_or(str::is_empty) {
            continue;
        }
        let key = format!("results/{}", Uuid::new_v4());
        let stored = store_field(&mut field, &store, &key).await?;
        return Ok(crate::filed::results::StoredResult {
            storage_key: key,
            content_type: stored.content_type.to_owned(),
            size_bytes: i32::try_from(stored.bytes.len()).unwrap_or(i32::MAX),
        });
    }
    Err(Rejected::NoFile)
}

/// Deletes a stored object no longer referenced (a failure only leaves an unreachable file).
pub async fn forget(key: &str) {
    if let Some(store) = use_context::<FileStore>() {
        if let Err(error) = store.delete(key).await {
            tracing::warn!(%error, "deleting a stored file failed");
        }
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Không tìm thấy tệp.").into_response()
}

/// `GET /ho-so/tep/{id}`: the file, to the citizen who attached it or to staff of an agency
/// that may see the dossier; anyone else gets 404.
pub async fn download(
    Extension(pool): Extension<PgPool>,
    Extension(store): Extension<FileStore>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let Ok(file_id) = Uuid::parse_str(&id) else { return not_found() };
    let found = match (citizen_of(&session).await, staff_of(&session, &pool).await) {
        (_, Some(staff)) => crate::filed::results::staff_sees_file(&pool, file_id, &staff).await,
        (Some(citizen), None) => db::owned_file(&pool, file_id, citizen.id).await,
        (None, None) => return not_found(),
    };
    serve(&store, found).await
}

/// `GET /ho-so/tep/{id}/trang-dau`: a picture of a PDF's first page, for staff who may see the
/// file. Drawn once (two at a time, like photo decodes) and kept beside the PDF; a PDF that
/// cannot be drawn gets a plain "PDF" picture, so the page never shows a broken image.
pub async fn first_page(
    Extension(pool): Extension<PgPool>,
    Extension(store): Extension<FileStore>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let Ok(file_id) = Uuid::parse_str(&id) else { return not_found() };
    let Some(staff) = staff_of(&session, &pool).await else { return not_found() };
    let key = match crate::filed::results::staff_sees_file(&pool, file_id, &staff).await {
        Ok(Some((key, content_type))) if content_type == "application/pdf" => key,
        Ok(_) => return not_found(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let picture_key = super::storage::first_page_key(&key);
    if let Ok(picture) = store.get(&picture_key).await {
        return picture_response("image/png", picture);
    }
    let Ok(pdf) = store.get(&key).await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let drawn = match DECODES.acquire().await {
        Ok(_turn) => super::pdf_preview::first_page_png(pdf).await,
        Err(_) => None,
    };
    let Some(picture) = drawn else {
        return picture_response("image/svg+xml", bytes::Bytes::from_static(PDF_PLACEHOLDER.as_bytes()));
    };
    if let Err(error) = store.put(&picture_key, picture.clone()).await {
        tracing::warn!(%error, "keeping a first-page picture failed");
    }
    picture_response("image/png", picture.into())
}

const PDF_PLACEHOLDER: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" width="226" height="320" viewBox="0 0 226 320">"##,
    r##"<rect width="226" height="320" fill="#f3f2f1"/>"##,
    r##"<text x="113" y="175" font-family="sans-serif" font-size="48" text-anchor="middle" fill="#505a5f">PDF</text></svg>"##
);

fn picture_response(content_type: &'static str, bytes: bytes::Bytes) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, bytes).into_response()
}

/// `GET /ho-so-cua-toi/{code}/ket-qua` (the applicant's digital copy) and
/// `GET /can-bo/ho-so/{code}/ket-qua` (staff): the result document.
pub async fn download_result(
    Extension(pool): Extension<PgPool>,
    Extension(store): Extension<FileStore>,
    session: Session,
    Path(code): Path<String>,
) -> Response {
    use crate::filed::results::{result_file, ResultViewer};
    let viewer = match (citizen_of(&session).await, staff_of(&session, &pool).await) {
        (_, Some(staff)) => ResultViewer::Agency(staff.agency_id),
        (Some(citizen), None) => ResultViewer::Citizen(citizen.id),
        (None, None) => return not_found(),
    };
    serve(&store, result_file(&pool, &code, viewer).await).await
}

async fn citizen_of(session: &Session) -> Option<crate::auth::citizen::Citizen> {
    crate::auth::citizen::citizen_of(session).await.ok().flatten()
}

/// The signed-in officer (outside a Leptos request: the pool comes from the handler).
async fn staff_of(session: &Session, pool: &PgPool) -> Option<crate::auth::staff::Staff> {
    crate::auth::staff::staff_with_pool(session, pool).await.ok().flatten().filter(|s| s.not_ready().is_none())
}

async fn serve(store: &FileStore, found: Result<Option<(String, String)>, sqlx::Error>) -> Response {
    let (key, content_type) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Ok(bytes) = store.get(&key).await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let disposition = if content_type == "application/pdf" {
        "attachment; filename=\"tai-lieu.pdf\""
    } else {
        "inline; filename=\"tai-lieu.jpg\""
    };
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
        ),
        (header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, bytes).into_response()
}
