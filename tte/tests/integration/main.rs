//! The signature tests, in one binary so the 2-core machine links them once: signing and our own
//! verifier, tampering, and the independent validators (pdfsig, pyHanko). `common` holds the
//! fixtures (test CA, documents, CRL server) they share.

#![allow(clippy::unwrap_used)] // A test panics to fail; unwrap is how it says so.

mod common;

mod sign_verify;
mod tamper;
mod validators;
