//! The staff second factor, the one writer of `staff_second_factors`, `staff_recovery_codes` and
//! `staff_second_factor_failures`: TOTP codes from an authenticator app (RFC 6238: SHA-1, six
//! digits, 30-second steps, one step of clock drift either way, each code accepted once) and
//! ten one-time recovery codes for a lost phone.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

/// Wrong codes allowed per account in 15 minutes (the password was already right).
const FAILURES_PER_ACCOUNT: i64 = 5;
const STEP_SECS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Một Cửa";

fn totp(secret: &[u8], username: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECS, secret.to_vec(), Some(ISSUER.to_owned()), username.to_owned()).ok()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The time step a six-digit code is valid for, within one step of `now` either way.
pub fn matching_step(secret: &[u8], code: &str, now: u64) -> Option<i64> {
    let totp = totp(secret, "")?;
    let step = now / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| totp.check(code, s * STEP_SECS))
        .and_then(|s| i64::try_from(s).ok())
}

/// What an authenticator app needs: the `otpauth://` address (for the QR code) and the secret
/// in base 32, grouped by four for typing it in by hand.
pub fn app_setup(secret: &[u8], username: &str) -> Option<(String, String)> {
    let totp = totp(secret, username)?;
    let base32 = totp.get_secret_base32();
    let grouped = base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    Some((totp.get_url(), grouped.join(" ")))
}

/// Only letters and digits count, in lower case: `ABCD-EFGH-JK` is `abcdefghjk`.
fn normalised(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).take(40).collect()
}

fn recovery_hash(code: &str) -> Vec<u8> {
    Sha256::digest(normalised(code).as_bytes()).to_vec()
}

/// Ten characters from 31 without look-alikes (about 50 bits), shown as `abcde-fghjk`.
fn new_recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let code: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{}", &code[..5], &code[5..])
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    /// Not set up, or set up but never confirmed: the secret to show.
    Pending {
        secret: Vec<u8>,
    },
    Active {
        recovery_codes_left: i64,
    },
}

/// The account's second factor, creating an unconfirmed secret when there is none.
pub async fn enrolment(pool: &PgPool, staff_id: Uuid) -> Result<Enrolment, sqlx::Error> {
    use rand::RngCore;
    let mut secret = vec![0u8; 20];
    rand::rng().fill_bytes(&mut secret);
    sqlx::query(
        "INSERT INTO staff_second_factors (staff_id, secret) VALUES ($1, $2) ON CONFLICT (staff_id) DO NOTHING",
    )
    .bind(staff_id)
    .bind(&secret)
    .execute(pool)
    .await?;
    let (secret, confirmed, left): (Vec<u8>, bool, i64) = sqlx::query_as(
        "SELECT f.secret, f.confirmed_at IS NOT NULL, \
           (SELECT count(*) FROM staff_recovery_codes r WHERE r.staff_id = f.staff_id AND r.used_at IS NULL) \
         FROM staff_second_factors f WHERE f.staff_id = $1",
    )
    .bind(staff_id)
    .fetch_one(pool)
    .await?;
    Ok(if confirmed { Enrolment::Active { recovery_codes_left: left } } else { Enrolment::Pending { secret } })
}

pub async fn is_active(pool: &PgPool, staff_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM staff_second_factors WHERE staff_id = $1 AND confirmed_at IS NOT NULL)",
    )
    .bind(staff_id)
    .fetch_one(pool)
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Right,
    Wrong,
    TooManyAttempts,
}

/// Checks a code from the app or a recovery code. Checks of one account take their turn (an
/// advisory lock), so a burst cannot pass the count, and a code accepted once, or a code of an
/// earlier step, is refused. `confirming`: the code of an unconfirmed set-up, which it confirms.
async fn check(pool: &PgPool, staff_id: Uuid, code: &str, confirming: bool) -> Result<Checked, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("second factor {staff_id}"))
        .execute(&mut *tx)
        .await?;
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM staff_second_factor_failures WHERE staff_id = $1 AND at > now() - interval '15 minutes'",
    )
    .bind(staff_id)
    .fetch_one(&mut *tx)
    .await?;
    if failures >= FAILURES_PER_ACCOUNT {
        return Ok(Checked::TooManyAttempts);
    }
    let factor: Option<(Vec<u8>, i64)> = sqlx::query_as(
        "SELECT secret, last_step FROM staff_second_factors WHERE staff_id = $1 AND (confirmed_at IS NOT NULL) <> $2",
    )
    .bind(staff_id)
    .bind(confirming)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((secret, last_step)) = factor else { return Ok(Checked::Wrong) };
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let step = matching_step(&secret, &digits, now_secs()).filter(|step| *step > last_step);
    let right = match step {
        Some(step) => {
            sqlx::query(
                "UPDATE staff_second_factors SET last_step = $2, confirmed_at = coalesce(confirmed_at, now()) \
                 WHERE staff_id = $1",
            )
            .bind(staff_id)
            .bind(step)
            .execute(&mut *tx)
            .await?;
            true
        }
        None if !confirming => sqlx::query(
            "UPDATE staff_recovery_codes SET used_at = now() \
             WHERE id = (SELECT id FROM staff_recovery_codes WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1)",
        )
        .bind(staff_id)
        .bind(recovery_hash(code))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1,
        None => false,
    };
    if !right {
        sqlx::query("INSERT INTO staff_second_factor_failures (staff_id) VALUES ($1)")
            .bind(staff_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(if right { Checked::Right } else { Checked::Wrong })
}

/// A code at sign-in, after the password.
pub async fn verify(pool: &PgPool, staff_id: Uuid, code: &str) -> Result<Checked, sqlx::Error> {
    check(pool, staff_id, code, false).await
}

/// The first code from the app turns the second factor on.
pub async fn confirm(pool: &PgPool, staff_id: Uuid, code: &str) -> Result<Checked, sqlx::Error> {
    check(pool, staff_id, code, true).await
}

/// New recovery codes in place of the old ones, to show once.
pub async fn new_recovery_codes(pool: &PgPool, staff_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| recovery_hash(c)).collect();
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO staff_recovery_codes (staff_id, code_hash) SELECT $1, unnest($2::bytea[])")
        .bind(staff_id)
        .bind(&hashes)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Removes the second factor: the officer's own choice (where the role allows it) or an
/// administrator's for a lost phone. The next sign-in sets it up again where it is required.
pub async fn remove(pool: &PgPool, staff_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_second_factors WHERE staff_id = $1").bind(staff_id).execute(pool).await?;
    sqlx::query("DELETE FROM staff_recovery_codes WHERE staff_id = $1").bind(staff_id).execute(pool).await?;
    Ok(())
}

/// Wrong codes older than a day (the limit looks back 15 minutes).
pub async fn forget_old_failures(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_second_factor_failures WHERE at < now() - interval '1 day'").execute(pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" at 59 s gives 94287082,
    /// whose last six digits are the six-digit code.
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        assert_eq!(matching_step(secret, "287082", 59 + 30), Some(1), "one step of drift");
        assert_eq!(matching_step(secret, "287082", 59 + 90), None, "too late");
        assert_eq!(matching_step(secret, "287083", 59), None);
        // 1111111109 s gives 07081804.
        assert_eq!(matching_step(secret, "081804", 1_111_111_109), Some(1_111_111_109 / 30));
    }

    #[test]
    fn recovery_codes_are_typed_loosely_and_are_distinct() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(recovery_hash(&code), recovery_hash(&format!(" {} ", code.to_uppercase().replace('-', " "))));
        assert_ne!(new_recovery_code(), new_recovery_code());
    }

    #[test]
    fn the_app_gets_an_otpauth_address() {
        let (url, typed) = app_setup(&[7u8; 20], "lanhdao.giavien").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains("lanhdao.giavien") && url.contains("secret="), "{url}");
        assert_eq!(typed.replace(' ', "").len(), 32);
    }
}
