//! Server-only services of e-Office.

pub mod auth;
pub mod error;
pub mod help;
pub mod import;
pub mod mail;
pub mod render;
pub mod rights;
pub mod seed;
pub mod sign;
pub mod store;

pub use error::{BackendError, Result};
pub use store::{Actor, DbKind, Store};

/// Current time in unix milliseconds. The only clock the backend reads.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn today_wib() -> i64 {
    domain::time::wib_day(now_ms())
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Random URL-safe token of `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
