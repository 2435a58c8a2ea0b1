//! Sign-in with the national digital identity, as two plain routes: the start sends the
//! citizen to the provider, the callback checks what comes back and signs in the account the
//! identity is linked to. An identity not yet linked waits in the session while the citizen
//! proves a phone number by SMS code (`api::verify_sign_in_code` links the two); a citizen
//! signed in by phone in this session has proven it already and is linked at once.

use super::LINKED_TO_ANOTHER;
use crate::auth::citizen::{self, Assurance, Citizen, Linked};
use crate::auth::national_id::{Callback, Provider, Refusal};
use crate::domain::phone::PhoneNumber;
use crate::routes::SIGN_IN_PATH;
use axum::extract::{Extension, Query};
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::PgPool;
use tower_sessions::Session;

#[derive(Debug, serde::Deserialize)]
pub struct Start {
    #[serde(default)]
    tiep: String,
}

/// `GET /dang-nhap/dinh-danh`: to the provider, with a new state, nonce and PKCE challenge.
pub async fn start(Extension(provider): Extension<Provider>, session: Session, Query(start): Query<Start>) -> Response {
    let return_to = match start.tiep.as_str() {
        "" => crate::routes::MY_DOSSIERS_PATH.to_owned(),
        typed => crate::security::local_path(typed),
    };
    match provider.start(return_to.clone()).await {
        Ok((url, started)) => match citizen::remember_started(&session, &started).await {
            Ok(()) => Redirect::to(&url).into_response(),
            Err(_) => refused(Refusal::Unavailable, &return_to),
        },
        Err(refusal) => refused(refusal, &return_to),
    }
}

/// `GET /dang-nhap/dinh-danh/ve`: the provider's answer. Nothing is signed in unless every
/// check passes; the sign-in under way is used once.
pub async fn callback(
    Extension(provider): Extension<Provider>,
    Extension(pool): Extension<PgPool>,
    session: Session,
    Query(answer): Query<Callback>,
) -> Response {
    let Ok(Some(started)) = citizen::take_started(&session).await else {
        return refused(Refusal::UnknownState, "");
    };
    let return_to = started.return_to.clone();
    let asserted = match provider.finish(started, &answer).await {
        Ok(asserted) => asserted,
        Err(refusal) => return refused(refusal, &return_to),
    };
    let signed_in = |id, phone: String| Citizen {
        id,
        phone: PhoneNumber::from_stored(phone),
        assurance: Assurance::NationalIdentity,
    };
    // The account already linked to this identity.
    match citizen::by_national_id(&pool, &asserted.id_number).await {
        Ok(Some((id, phone))) => {
            if citizen::link_national_id(&pool, id, &asserted).await.is_err() {
                return refused(Refusal::Unavailable, &return_to);
            }
            return signed_in_to(&session, &signed_in(id, phone), &return_to).await;
        }
        Ok(None) => {}
        Err(_) => return refused(Refusal::Unavailable, &return_to),
    }
    // Signed in by phone in this session: both are proven, the account is linked now.
    if let Ok(Some(current)) = citizen::citizen_of(&session).await {
        return match citizen::link_national_id(&pool, current.id, &asserted).await {
            Ok(Linked::Linked) => {
                signed_in_to(&session, &signed_in(current.id, current.phone.to_string()), &return_to).await
            }
            Ok(Linked::ToAnother) => sign_in_page("loi", LINKED_TO_ANOTHER, &return_to),
            Err(_) => refused(Refusal::Unavailable, &return_to),
        };
    }
    // Otherwise the citizen proves a phone number first.
    if citizen::remember_to_link(&session, &asserted).await.is_err() {
        return refused(Refusal::Unavailable, &return_to);
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("lien-ket", "1").append_pair("tiep", &return_to);
    if let Some(phone) = &asserted.phone {
        query.append_pair("so", phone);
    }
    Redirect::to(&format!("{SIGN_IN_PATH}?{}", query.finish())).into_response()
}

async fn signed_in_to(session: &Session, citizen: &Citizen, return_to: &str) -> Response {
    match citizen::establish_in(session, citizen).await {
        Ok(()) => {
            Redirect::to(if return_to.is_empty() { crate::routes::MY_DOSSIERS_PATH } else { return_to }).into_response()
        }
        Err(_) => refused(Refusal::Unavailable, return_to),
    }
}

/// Back to the sign-in page with what went wrong; nothing signed in.
fn refused(refusal: Refusal, return_to: &str) -> Response {
    sign_in_page("dinh-danh", refusal.slug(), return_to)
}

fn sign_in_page(name: &str, slug: &str, return_to: &str) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair(name, slug);
    if !return_to.is_empty() {
        query.append_pair("tiep", return_to);
    }
    Redirect::to(&format!("{SIGN_IN_PATH}?{}", query.finish())).into_response()
}
