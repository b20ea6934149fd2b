//! Signing throughput: `cargo run --release -p tte --example bench [iterations]`.
//!
//! Generates a test PKI (nothing is stored), a ~40 KB one-page letter with krilla, unlocks the signer key
//! once, then signs the same unsigned PDF repeatedly: PAdES B-B (no time stamp) and B-T (in-process TSA),
//! and verifies the B-T result repeatedly.

#![allow(clippy::unwrap_used)] // A test panics to fail; unwrap is how it says so.

// The test fixtures, of which the bench uses a few.
#[path = "../tests/integration/common.rs"]
#[allow(dead_code)]
mod common;

use std::time::Instant;

use tte::{SignOptions, sign_pdf, verify_pdf};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let f = common::fixture();
    let pdf = common::krilla_pdf(92);
    println!("unsigned PDF: {} bytes (krilla 0.8, one page, text + image)", pdf.len());
    let id = f.identity(0);
    for (label, tsa) in [
        ("B-B (no time stamp)", None),
        ("B-T (in-process RFC 3161 TSA)", Some(&f.tsa as &dyn tte::TimestampSource)),
    ] {
        let opts = SignOptions { reason: Some("Persetujuan".into()), tsa, ..Default::default() };
        // Warm-up.
        let signed = sign_pdf(&pdf, &id, &opts).unwrap();
        let t = Instant::now();
        for _ in 0..n {
            let out = sign_pdf(&pdf, &id, &opts).unwrap();
            std::hint::black_box(out);
        }
        let dt = t.elapsed().as_secs_f64();
        println!(
            "sign_pdf {label}: {n} signs in {dt:.3} s = {:.0} signs/s (signed size {} bytes)",
            n as f64 / dt,
            signed.len()
        );
        let anchors = [f.root.clone()];
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(verify_pdf(&signed, &anchors));
        }
        let dt = t.elapsed().as_secs_f64();
        println!("verify_pdf {label}: {:.0} verifications/s", n as f64 / dt);
    }
    // Key unlock cost with the default (production) Argon2id parameters.
    let pass = tte::Passphrase::new("passphrase pejabat");
    let enc = tte::EncryptedKey::encrypt(&f.signers[0].key, &pass).unwrap();
    let t = Instant::now();
    for _ in 0..5 {
        std::hint::black_box(enc.decrypt(&pass).unwrap());
    }
    println!(
        "unlock with default Argon2id (m=19456 KiB, t=2, p=1): {:.1} ms each",
        t.elapsed().as_secs_f64() * 200.0
    );
}
