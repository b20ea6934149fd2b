//! The store's integration tests, in one binary so the 2-core machine links them once. Each
//! module is one area; `common` holds the fresh databases, `dual_test!` (every case on SQLite and
//! on PostgreSQL) and the helpers the areas share.

#![allow(clippy::unwrap_used)] // A test panics to fail; unwrap is how it says so.

#[macro_use]
mod common;

mod backup;
mod cosign;
mod dashboard;
mod export;
mod incoming;
mod kinerja;
mod letters;
mod notify;
mod rights;
mod second_factor;
mod security;
mod store;
mod survey;
mod tour;
mod tte;
