//! Server functions, grouped by area. Each is thin: authorise, call the backend, map errors.

pub mod admin;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod dashboard;
pub mod incoming;
pub mod kinerja;
pub mod letters;
pub mod notifications;
pub mod org;
pub mod security;
pub mod tte;
