//! Public statistics cost database time (seconds of it at a million dossiers) and anyone may
//! ask: each client gets 60 reports a minute (page or CSV), and at most four are computed at
//! once for everyone; the rest wait their turn, up to ten seconds.

use crate::error::AppError;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

const PER_CLIENT_PER_MINUTE: u32 = 60;
const AT_ONCE: usize = 4;
const LONGEST_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct PublicStatsLimit {
    per_client: Arc<DefaultKeyedRateLimiter<String>>,
    running: Arc<Semaphore>,
}

impl Default for PublicStatsLimit {
    fn default() -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(PER_CLIENT_PER_MINUTE).unwrap_or(NonZeroU32::MIN));
        Self { per_client: Arc::new(RateLimiter::keyed(quota)), running: Arc::new(Semaphore::new(AT_ONCE)) }
    }
}

impl PublicStatsLimit {
    /// A turn to compute one report for `client`, held until the permit is dropped.
    pub async fn admit(&self, client: &str) -> Result<OwnedSemaphorePermit, AppError> {
        if self.per_client.check_key(&client.to_owned()).is_err() {
            return Err(AppError::TooManyRequests);
        }
        match tokio::time::timeout(LONGEST_WAIT, self.running.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Unavailable),
        }
    }

    /// Drops the counts of clients quiet for a minute (the hourly housekeeping).
    pub fn forget_quiet_clients(&self) {
        self.per_client.retain_recent();
        self.per_client.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_client_gets_its_quota_and_no_more_and_others_are_not_held_back() {
        let limit = PublicStatsLimit::default();
        for _ in 0..PER_CLIENT_PER_MINUTE {
            drop(limit.admit("203.0.113.9").await.unwrap());
        }
        assert_eq!(limit.admit("203.0.113.9").await.unwrap_err(), AppError::TooManyRequests);
        assert!(limit.admit("198.51.100.7").await.is_ok());
    }

    #[tokio::test]
    async fn at_most_four_reports_run_at_once() {
        let limit = PublicStatsLimit::default();
        let held = hold_every_turn(&limit).await;
        assert_eq!(held.len(), AT_ONCE);
        assert_eq!(limit.running.available_permits(), 0);
        drop(held);
        assert_eq!(limit.running.available_permits(), AT_ONCE);
    }

    async fn hold_every_turn(limit: &PublicStatsLimit) -> Vec<OwnedSemaphorePermit> {
        let mut held = Vec::new();
        for client in 0..AT_ONCE {
            held.push(limit.admit(&format!("client {client}")).await.unwrap());
        }
        held
    }
}
