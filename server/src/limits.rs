//! Per-address rate limits for the anonymous routes whose answers cost real work: checking a
//! signed PDF (the QR page and the upload form) and issuing time stamps. A token bucket per client
//! address; the map forgets idle addresses so it stays small.

use app::api::ctx::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

/// At most `per_minute` requests a minute per address, in bursts of up to that many.
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

/// Addresses remembered at most; beyond it, the full ones are kept and the rest forgotten.
const MAX_ADDRESSES: usize = 10_000;

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute: per_minute as f64, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from the address's bucket, or says how many seconds until one is free.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let rate = self.per_minute / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ADDRESSES {
            let cap = self.per_minute;
            map.retain(|_, (tokens, at)| *tokens + at.elapsed().as_secs_f64() * rate < cap);
        }
        let (tokens, at) = map.entry(key.to_string()).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil() as u64)
        }
    }
}

/// Checking signatures: the QR pages and their PDFs, and uploads to check.
pub static VERIFICATION: LazyLock<RateLimiter> = LazyLock::new(|| RateLimiter::new(60));
/// Time stamps for outside signing software.
pub static TIME_STAMPS: LazyLock<RateLimiter> = LazyLock::new(|| RateLimiter::new(120));

async fn limited(limiter: &RateLimiter, state: &AppState, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ip = app::api::ctx::client_ip_from(&parts, state.trust_proxy);
    match limiter.take(&ip) {
        Ok(()) => next.run(Request::from_parts(parts, body)).await,
        Err(wait) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            format!("Terlalu banyak permintaan dari alamat ini. Coba lagi dalam {wait} detik."),
        )
            .into_response(),
    }
}

pub async fn verification(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limited(&VERIFICATION, &state, req, next).await
}

pub async fn time_stamps(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limited(&TIME_STAMPS, &state, req, next).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_drains_the_bucket_per_address() {
        let l = RateLimiter::new(3);
        for _ in 0..3 {
            assert_eq!(l.take("10.0.0.1"), Ok(()));
        }
        let wait = l.take("10.0.0.1").unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(l.take("10.0.0.2"), Ok(()), "another address has its own bucket");
    }
}
