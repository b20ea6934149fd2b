//! Tamper test: one changed byte at each of 1,000 random positions of a signed letter (one position per
//! copy, seeded), plus an appended incremental update: our verifier must report every copy as not valid.
//! (`validators.rs` runs pdfsig and pyHanko on a sample of such copies.)

use crate::common::*;
use rand::Rng;
use tte::verify::verify_pdf_inner;
use tte::{Overall, SignOptions, sign_pdf};

#[test]
fn thousand_single_byte_changes_and_an_appended_update() {
    let f = fixture();
    let anchors = [f.root.clone()];
    let opts = SignOptions { tsa: Some(&f.tsa), reason: Some("Uji".into()), ..Default::default() };
    let signed = sign_pdf(&krilla_pdf(0), &f.identity(0), &opts).unwrap();
    assert_eq!(verify_pdf_inner(&signed, &anchors).overall, Overall::Valid);
    let contents = signed.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 10;
    let gap = contents..contents + tte::pades::DEFAULT_PLACEHOLDER_BYTES * 2 + 2;

    let mut r = rng(0x7e7e);
    let (mut in_gap, mut outside) = (0, 0);
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for i in 0..1000 {
        let pos = r.gen_range(0..signed.len());
        let x = r.gen_range(1..=255u8);
        let mut copy = signed.clone();
        copy[pos] ^= x;
        let v = verify_pdf_inner(&copy, &anchors);
        assert_ne!(v.overall, Overall::Valid, "copy {i}: byte {pos} ^ {x:#04x} not detected");
        if gap.contains(&pos) {
            in_gap += 1
        } else {
            outside += 1
        }
        let key = match &v.overall {
            Overall::Invalid { reason_en, .. } => {
                reason_en.split(" (").next().unwrap_or_default().to_string()
            }
            other => format!("{other:?}"),
        };
        *reasons.entry(key).or_default() += 1;
    }
    eprintln!(
        "1000 single-byte changes: {outside} in the signed ranges, {in_gap} inside /Contents; verdicts: {reasons:#?}"
    );

    // Targeted: every hex digit of /Contents changed to another hex digit (both cases) at a sample of
    // places, including the zero padding.
    for pos in (gap.start + 1..gap.end - 1).step_by(211) {
        for &c in b"07aF" {
            if signed[pos] == c {
                continue;
            }
            let mut copy = signed.clone();
            copy[pos] = c;
            assert_ne!(
                verify_pdf_inner(&copy, &anchors).overall,
                Overall::Valid,
                "/Contents byte {pos} -> {}",
                c as char
            );
        }
    }

    let appended = append_update(&signed);
    let v = verify_pdf_inner(&appended, &anchors);
    assert!(matches!(v.overall, Overall::Invalid { .. }), "{:?}", v.overall);
    assert!(
        v.signatures[0].intact
            && v.signatures[0].modified_after
            && !v.signatures[0].later_changes_allowed
    );
}
