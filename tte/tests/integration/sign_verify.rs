//! Signing and verification round trips on krilla-written, hand-written and xref-stream PDFs.

use std::time::{Duration, SystemTime};

use crate::common::*;
use rand::Rng;
use tte::verify::verify_pdf_inner;
use tte::{Overall, SignError, SignOptions, sign_pdf, verify_pdf};

fn opts<'a>(tsa: Option<&'a dyn tte::TimestampSource>) -> SignOptions<'a> {
    SignOptions {
        reason: Some("Persetujuan surat".into()),
        location: Some("Kabupaten Uji".into()),
        tsa,
        ..Default::default()
    }
}

#[test]
fn krilla_pdf_is_classic_xref() {
    let pdf = krilla_pdf(0);
    let tail = String::from_utf8_lossy(&pdf[pdf.len() - 200..]).to_string();
    assert!(tail.contains("trailer"), "krilla 0.8 writes a classic xref table: {tail}");
}

#[test]
fn sign_and_verify_bb_and_bt() {
    let f = fixture();
    let anchors = [f.root.clone()];
    for (name, pdf) in
        [("krilla", krilla_pdf(0)), ("minimal", minimal_pdf()), ("xref-stream", xref_stream_pdf())]
    {
        // Unsigned: no signature.
        assert_eq!(verify_pdf(&pdf, &anchors).overall, Overall::NoSignature, "{name}");
        for with_ts in [false, true] {
            let o = opts(if with_ts { Some(&f.tsa) } else { None });
            let signed = sign_pdf(&pdf, &f.identity(0), &o).unwrap();
            assert!(
                signed.starts_with(&pdf),
                "{name}: incremental update keeps the original bytes"
            );
            let v = verify_pdf_inner(&signed, &anchors);
            assert_eq!(v.overall, Overall::Valid, "{name} ts={with_ts}: {:#?}", v.signatures);
            let s = &v.signatures[0];
            assert!(s.intact && s.chain_trusted && s.covers_whole_file && !s.modified_after);
            assert_eq!(s.signer.common_name.as_deref(), Some("Budi Santoso, S.H., M.Si."));
            assert_eq!(s.signer.serial_number.as_deref(), Some("197901012005011001"));
            assert_eq!(s.signer.title.as_deref(), Some("Kepala Dinas"));
            assert_eq!(
                s.signer.organizational_unit.as_deref(),
                Some("Dinas Komunikasi dan Informatika")
            );
            assert_eq!(s.serial_hex.as_deref(), Some(f.signers[0].issued.serial_hex.as_str()));
            assert!(s.issuer.as_deref().unwrap().contains("Issuing CA e-Office Kabupaten Uji"));
            assert_eq!(s.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
            assert!(s.claimed_time_unix.is_some());
            assert_eq!(s.timestamp.is_some(), with_ts);
            if let Some(t) = &s.timestamp {
                assert!(t.valid, "{:?}", t.problems);
                assert!((t.gen_time_unix.unwrap() - s.claimed_time_unix.unwrap()).abs() < 60);
            }
            assert_eq!(v.file_sha256.len(), 64);
            // Untrusted anchor: intact but not trusted.
            let other = fixture();
            let v2 = verify_pdf(&signed, std::slice::from_ref(&other.root));
            assert!(v2.signatures[0].intact && !v2.signatures[0].chain_trusted);
            assert!(matches!(v2.overall, Overall::Invalid { .. }));
        }
    }
}

#[test]
fn visible_signature_and_options() {
    let f = fixture();
    let mut o = opts(Some(&f.tsa));
    o.visible_rect = Some((0, [400.0, 100.0, 560.0, 160.0]));
    o.field_name = Some("TTE Kepala Dinas".into());
    o.name = Some("Budi Santoso".into());
    let signed = sign_pdf(&krilla_pdf(0), &f.identity(0), &o).unwrap();
    let v = verify_pdf_inner(&signed, std::slice::from_ref(&f.root));
    assert_eq!(v.overall, Overall::Valid, "{:#?}", v.signatures);
    assert_eq!(v.signatures[0].field_name.as_deref(), Some("TTE Kepala Dinas"));
    o.visible_rect = Some((5, [0.0; 4]));
    assert!(matches!(sign_pdf(&krilla_pdf(0), &f.identity(0), &o), Err(SignError::NoSuchPage(5))));
}

#[test]
fn two_signers_incremental() {
    let f = fixture();
    let anchors = [f.root.clone()];
    for pdf in [krilla_pdf(0), xref_stream_pdf()] {
        let once = sign_pdf(&pdf, &f.identity(0), &opts(Some(&f.tsa))).unwrap();
        let mut o2 = opts(Some(&f.tsa));
        o2.visible_rect = Some((0, [300.0, 50.0, 500.0, 90.0]));
        let twice = sign_pdf(&once, &f.identity(1), &o2).unwrap();
        assert!(twice.starts_with(&once));
        let v = verify_pdf_inner(&twice, &anchors);
        assert_eq!(v.overall, Overall::Valid, "{:#?}", v.signatures);
        assert_eq!(v.signatures.len(), 2);
        let (a, b) = (&v.signatures[0], &v.signatures[1]);
        assert!(a.intact && b.intact);
        assert!(a.modified_after && a.later_changes_allowed && !a.covers_whole_file);
        assert!(b.covers_whole_file && !b.modified_after);
        assert_eq!(a.signer.common_name.as_deref(), Some("Budi Santoso, S.H., M.Si."));
        assert_eq!(b.signer.common_name.as_deref(), Some("Siti Rahayu"));
        assert_ne!(a.field_name, b.field_name);
        // A non-signature update after both: changed after signing.
        let changed = append_update(&twice);
        let v = verify_pdf_inner(&changed, &anchors);
        assert!(matches!(v.overall, Overall::Invalid { .. }), "{:?}", v.overall);
        assert!(v.signatures.iter().all(|s| s.modified_after));
    }
}

#[test]
fn content_change_between_signatures_is_caught() {
    // Signer 2's update also rewrites the page content object: signer 1's signature must show the change.
    let f = fixture();
    let pdf = minimal_pdf();
    let once = sign_pdf(&pdf, &f.identity(0), &opts(None)).unwrap();
    // Forge an update that redefines object 4 (the content stream), then let signer 2 sign on top.
    let text = String::from_utf8_lossy(&once).to_string();
    let prev: usize = text
        .rsplit("startxref")
        .next()
        .unwrap()
        .trim()
        .trim_end_matches("%%EOF")
        .trim()
        .parse()
        .unwrap();
    let mut forged = once.clone();
    let off = forged.len();
    let s = "BT /F1 18 Tf 72 760 Td (Isi diganti!) Tj ET";
    forged.extend_from_slice(
        format!("4 0 obj\n<< /Length {} >>\nstream\n{s}\nendstream\nendobj\n", s.len()).as_bytes(),
    );
    let x = forged.len();
    forged.extend_from_slice(
        format!("xref\n4 1\n{off:010} 00000 n \ntrailer\n<< /Size 12 /Root 1 0 R /Prev {prev} >>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
    );
    let twice = sign_pdf(&forged, &f.identity(1), &opts(None)).unwrap();
    let v = verify_pdf_inner(&twice, std::slice::from_ref(&f.root));
    assert!(matches!(v.overall, Overall::Invalid { .. }));
    assert!(
        v.signatures[0].intact && !v.signatures[0].later_changes_allowed,
        "{:#?}",
        v.signatures[0]
    );
    assert!(v.signatures[1].intact && v.signatures[1].covers_whole_file);
}

#[test]
fn signing_refusals() {
    let f = fixture();
    let pdf = minimal_pdf();
    // Key of another signer.
    let wrong = tte::SigningIdentity {
        key: &f.signers[1].key,
        cert: f.signers[0].cert.clone(),
        chain: vec![],
    };
    assert!(matches!(sign_pdf(&pdf, &wrong, &opts(None)), Err(SignError::KeyMismatch)));
    // Certificate expired at the signing time.
    let mut o = opts(None);
    o.signing_time = SystemTime::now() + Duration::from_secs(400 * 86400);
    assert!(matches!(sign_pdf(&pdf, &f.identity(0), &o), Err(SignError::CertificateNotValid)));
    // Placeholder too small.
    let mut o = opts(Some(&f.tsa));
    o.placeholder_bytes = 1000;
    match sign_pdf(&pdf, &f.identity(0), &o) {
        Err(SignError::PlaceholderTooSmall { needed, available }) => assert!(needed > available),
        other => {
            panic!("expected PlaceholderTooSmall, got {other:?}", other = other.map(|v| v.len()))
        }
    }
    // Not a PDF.
    assert!(matches!(sign_pdf(b"hello", &f.identity(0), &opts(None)), Err(SignError::NotPdf(_))));
    // A failing time-stamp source aborts signing.
    let failing =
        tte::tsa::FnTimestampSource(|_: &[u8; 32]| Err(tte::TsaError::Internal("offline".into())));
    assert!(matches!(
        sign_pdf(&pdf, &f.identity(0), &opts(Some(&failing))),
        Err(SignError::Timestamp(_))
    ));
}

#[test]
fn cms_size_and_placeholder() {
    let f = fixture();
    let pdf = krilla_pdf(0);
    let mut o = opts(Some(&f.tsa));
    o.placeholder_bytes = 20_000;
    let signed = sign_pdf(&pdf, &f.identity(0), &o).unwrap();
    // Measure the DER length inside the placeholder.
    let i = signed.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    let hex_part = std::str::from_utf8(&signed[i..i + 40_000]).unwrap();
    let der_len = hex_part.trim_end_matches('0').len().div_ceil(2);
    eprintln!("B-T CMS with signer+issuing+root and TSA token: about {der_len} bytes of DER");
    assert!(
        der_len < tte::pades::DEFAULT_PLACEHOLDER_BYTES * 3 / 4,
        "default placeholder leaves headroom"
    );
    eprintln!(
        "unsigned {} bytes, signed (default placeholder) {} bytes",
        pdf.len(),
        sign_pdf(&pdf, &f.identity(0), &opts(Some(&f.tsa))).unwrap().len()
    );
}

#[test]
fn verifier_never_panics_on_garbage() {
    let f = fixture();
    let anchors = [f.root.clone()];
    let signed = sign_pdf(&minimal_pdf(), &f.identity(0), &opts(Some(&f.tsa))).unwrap();
    let mut r = rng(42);
    // Truncations.
    for cut in (0..signed.len()).step_by(97).chain([signed.len() - 1, signed.len() - 7]) {
        let v = verify_pdf_inner(&signed[..cut], &anchors);
        assert_ne!(v.overall, Overall::Valid);
    }
    // Random bytes, random bytes after a PDF header, random splices.
    for i in 0..300 {
        let n = r.gen_range(0..4000);
        let mut junk: Vec<u8> = (0..n).map(|_| r.r#gen()).collect();
        if i % 2 == 0 {
            junk.splice(0..0, b"%PDF-1.7\n".iter().copied());
        }
        if i % 3 == 0 {
            let at = r.gen_range(0..signed.len());
            let mut s = signed[..at].to_vec();
            s.extend_from_slice(&junk);
            junk = s;
        }
        if i % 5 == 0 {
            junk.extend_from_slice(b"\nstartxref\n9\n%%EOF\n");
        }
        let v = verify_pdf_inner(&junk, &anchors);
        assert_ne!(v.overall, Overall::Valid);
    }
    // Many random multi-byte corruptions of a valid signed file.
    for _ in 0..200 {
        let mut s = signed.clone();
        for _ in 0..r.gen_range(1..20) {
            let p = r.gen_range(0..s.len());
            s[p] = r.r#gen();
        }
        let _ = verify_pdf_inner(&s, &anchors);
    }
}
