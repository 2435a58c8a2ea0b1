//! The server functions of this feature: authenticate, authorise, then hand over to the
//! feature's server side.

#[cfg(feature = "ssr")]
use super::db;
#[cfg(feature = "ssr")]
use crate::auth::citizen as identity;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::{CODE_PATH, SIGN_IN_PATH};
use leptos::prelude::*;

#[server(endpoint = "dang-nhap/gui-ma")]
pub async fn request_sign_in_code(phone: String, tiep: String) -> Result<(), AppError> {
    use crate::domain::phone::PhoneNumber;
    use db::CodeRequest;

    let return_to = crate::security::local_path(&tiep);
    let again = |slug: &str, typed: &str| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("loi", slug)
            .append_pair("so", typed)
            .append_pair("tiep", &return_to)
            .finish();
        format!("{SIGN_IN_PATH}?{query}")
    };
    let next = match PhoneNumber::parse(&phone) {
        Err(_) => again("so-khong-hop-le", phone.chars().take(20).collect::<String>().as_str()),
        Ok(number) => {
            let client = crate::security::client_address();
            let sent = crate::state::with_db({
                let number = number.clone();
                move |pool| async move { db::issue_code(&pool, &number, &client).await }
            })
            .await;
            match sent {
                Ok(CodeRequest::Sent) => {
                    identity::remember_pending(identity::PendingSignIn { phone: number.to_string(), return_to })
                        .await?;
                    CODE_PATH.to_owned()
                }
                Ok(CodeRequest::TooManyForPhone | CodeRequest::TooManyForClient) => again("qua-nhieu", ""),
                Ok(CodeRequest::BudgetSpent) => again("tam-ngung", ""),
                Err(_) => again("tam-loi", &phone),
            }
        }
    };
    leptos_axum::redirect(&next);
    Ok(())
}

#[server(endpoint = "dang-nhap/xac-nhan")]
pub async fn verify_sign_in_code(code: String) -> Result<(), AppError> {
    use crate::domain::phone::PhoneNumber;
    use db::CodeCheck;

    let Some(pending) = identity::pending().await? else {
        leptos_axum::redirect(SIGN_IN_PATH);
        return Ok(());
    };
    let phone = PhoneNumber::from_stored(pending.phone.clone());
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    let checked = crate::state::with_db({
        let phone = phone.clone();
        move |pool| async move { db::check_code(&pool, &phone, &code).await }
    })
    .await;
    let next = match checked {
        Ok(CodeCheck::Accepted(id)) => match identity::to_link().await? {
            None => {
                identity::establish(&identity::Citizen { id, phone, assurance: identity::Assurance::Phone }).await?;
                pending.return_to
            }
            // The national identity asserted earlier in this session: the phone now proven, the
            // account is linked to it, or refused if it holds another ID number.
            Some(asserted) => {
                let linked =
                    crate::state::with_db(
                        move |pool| async move { identity::link_national_id(&pool, id, &asserted).await },
                    )
                    .await;
                match linked {
                    Ok(identity::Linked::Linked) => {
                        let citizen = identity::Citizen { id, phone, assurance: identity::Assurance::NationalIdentity };
                        identity::establish(&citizen).await?;
                        pending.return_to
                    }
                    Ok(identity::Linked::ToAnother) => {
                        identity::end().await?;
                        format!("{SIGN_IN_PATH}?loi={}", super::LINKED_TO_ANOTHER)
                    }
                    Err(_) => format!("{CODE_PATH}?loi=tam-loi"),
                }
            }
        },
        Ok(CodeCheck::Wrong) => format!("{CODE_PATH}?loi=sai-ma"),
        Ok(CodeCheck::Spent) => format!("{CODE_PATH}?loi=het-han"),
        Err(_) => format!("{CODE_PATH}?loi=tam-loi"),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// Signs the citizen out; one signed in with the national digital identity is sent on to sign
/// out at the provider too, where it offers that, and comes back to the home page.
#[server(endpoint = "dang-xuat")]
pub async fn sign_out() -> Result<(), AppError> {
    let citizen = identity::current_citizen().await?;
    identity::end().await?;
    let provider = use_context::<crate::auth::national_id::Provider>();
    let at_provider = match (citizen, provider) {
        (Some(citizen), Some(provider)) if citizen.assurance == identity::Assurance::NationalIdentity => {
            provider.logout_url(&format!("{}/", crate::state::public_origin())).await
        }
        _ => None,
    };
    leptos_axum::redirect(at_provider.as_deref().unwrap_or("/"));
    Ok(())
}

/// Whether the portal offers sign-in with the national digital identity, and whether an identity
/// it asserted waits in this session for a phone number to be proven.
#[server(endpoint = "dang-nhap/dinh-danh/trang-thai")]
pub async fn national_sign_in() -> Result<(bool, bool), AppError> {
    let offered = use_context::<crate::auth::national_id::Provider>().is_some();
    Ok((offered, identity::to_link().await?.is_some()))
}

/// The signed-in citizen's number, masked, for the page header.
#[server(endpoint = "tai-khoan")]
pub async fn signed_in_as() -> Result<Option<String>, AppError> {
    Ok(identity::current_citizen().await?.map(|citizen| citizen.phone.masked()))
}

/// Where the code was sent, masked; `None` when no sign-in is under way.
#[server(endpoint = "dang-nhap/dang-cho")]
pub async fn pending_sign_in() -> Result<Option<(String, String)>, AppError> {
    use crate::domain::phone::PhoneNumber;
    Ok(identity::pending().await?.map(|p| (PhoneNumber::from_stored(p.phone).masked(), p.return_to)))
}
