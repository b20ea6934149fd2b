//! Shared fixtures: a generated test PKI (never stored) and generated PDFs.

use std::time::{Duration, SystemTime};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Point, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use rand::{Rng, SeedableRng};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};
use tte::pki::{IssueOptions, IssuedCert, SignerSubject};
use tte::{Certificate, KdfParams, Passphrase, Pki, PkiNames, Tsa, UnlockedKey};

pub const CRL_URL: &str = "http://127.0.0.1:9/pki/crl";

pub struct Signer {
    pub issued: IssuedCert,
    pub cert: Certificate,
    pub key: UnlockedKey,
}

pub struct Fixture {
    pub pki: Pki,
    pub root: Certificate,
    pub issuing: Certificate,
    pub tsa: Tsa,
    pub signers: Vec<Signer>,
    /// An empty CRL signed by the issuing CA (DER).
    pub crl_der: Vec<u8>,
}

impl Fixture {
    pub fn identity(&self, i: usize) -> tte::SigningIdentity<'_> {
        let s = &self.signers[i];
        tte::SigningIdentity {
            key: &s.key,
            cert: s.cert.clone(),
            chain: vec![self.issuing.clone(), self.root.clone()],
        }
    }
}

pub fn fixture() -> Fixture {
    fixture_with_crl(CRL_URL)
}

pub fn fixture_with_crl(crl_url: &str) -> Fixture {
    let ca_pass = Passphrase::new("ca-passphrase-for-tests");
    let names =
        PkiNames { installation: "Kabupaten Uji".into(), pemda: "Pemerintah Kabupaten Uji".into() };
    let now = SystemTime::now();
    let pki = Pki::init_with(&names, &ca_pass, now, KdfParams::TEST_ONLY_FAST).unwrap();
    let ca = pki.unlock_issuing(&ca_pass).unwrap();
    let subjects = [
        (
            "Budi Santoso, S.H., M.Si.",
            "197901012005011001",
            "Kepala Dinas",
            "Dinas Komunikasi dan Informatika",
        ),
        ("Siti Rahayu", "198203152008012002", "Sekretaris Daerah", "Sekretariat Daerah"),
    ];
    let mut signers = Vec::new();
    for (name, nip, pos, opd) in subjects {
        let subject = SignerSubject {
            name: name.into(),
            nip: nip.into(),
            position: pos.into(),
            opd: opd.into(),
            pemda: names.pemda.clone(),
            email: None,
        };
        let opts =
            IssueOptions { now, crl_url: Some(crl_url.into()), kdf: KdfParams::TEST_ONLY_FAST };
        let pass = Passphrase::new(format!("pass-{nip}"));
        let issued = tte::issue_signing_cert(&ca, &subject, 365, &pass, &opts).unwrap();
        let cert = issued.stored.certificate().unwrap();
        let key = issued.stored.key.decrypt(&pass).unwrap();
        signers.push(Signer { issued, cert, key });
    }
    let crl_der = tte::make_crl(
        &ca,
        &[],
        now - Duration::from_secs(60),
        now + Duration::from_secs(7 * 86400),
    )
    .unwrap();
    Fixture {
        crl_der,
        root: pki.root_cert().unwrap(),
        issuing: pki.issuing_cert().unwrap(),
        tsa: pki.unlock_tsa(&ca_pass).unwrap(),
        pki,
        signers,
    }
}

const FONT: &[u8] = include_bytes!("../../../backend/assets/fonts/LiberationSans-Regular.ttf");

fn glyphs(text: &str) -> Vec<KrillaGlyph> {
    let sk = skrifa::FontRef::new(FONT).unwrap();
    let upem =
        f32::from(sk.metrics(FontSize::unscaled(), LocationRef::default()).units_per_em.max(1));
    let gm = sk.glyph_metrics(FontSize::unscaled(), LocationRef::default());
    let cmap = sk.charmap();
    text.char_indices()
        .map(|(i, c)| {
            let gid = cmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF);
            let adv = gm.advance_width(gid).unwrap_or(0.0) / upem;
            KrillaGlyph::new(
                GlyphId::new(gid.to_u32()),
                adv,
                0.0,
                0.0,
                0.0,
                i..i + c.len_utf8(),
                None,
            )
        })
        .collect()
}

/// A one-page A4 letter written by krilla 0.8; `noise_px` adds a random RGB image of that many pixels
/// per side (incompressible, to reach a realistic size).
pub fn krilla_pdf(noise_px: u32) -> Vec<u8> {
    let font = Font::new(FONT.to_vec().into(), 0).unwrap();
    let mut doc = Document::new();
    let mut page = doc.start_page_with(PageSettings::from_wh(595.0, 842.0).unwrap());
    let mut s = page.surface();
    s.set_fill(Some(Fill { paint: rgb::Color::new(0, 0, 0).into(), ..Default::default() }));
    let lines = [
        "PEMERINTAH KABUPATEN UJI",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Nomor: 800/123/Diskominfo/2025",
        "Hal: Undangan Rapat Koordinasi",
        "Dengan hormat, kami mengundang Bapak/Ibu untuk menghadiri rapat koordinasi",
        "pada hari Senin, tanggal 3 Februari 2025, pukul 09.00 WIB, bertempat di ruang rapat.",
        "Demikian undangan ini kami sampaikan, atas perhatiannya diucapkan terima kasih.",
        "Ditandatangani secara elektronik oleh: Budi Santoso, S.H., M.Si., Kepala Dinas",
    ];
    for (i, l) in lines.iter().enumerate() {
        s.draw_glyphs(
            Point::from_xy(60.0, 90.0 + 22.0 * i as f32),
            &glyphs(l),
            font.clone(),
            l,
            11.0,
            false,
        );
    }
    if noise_px > 0 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let px: Vec<u8> = (0..noise_px * noise_px * 4)
            .map(|i| if i % 4 == 3 { 255 } else { rng.r#gen() })
            .collect();
        let img = Image::from_rgba8(px, noise_px, noise_px);
        s.push_transform(&Transform::from_translate(400.0, 600.0));
        s.draw_image(img, Size::from_wh(120.0, 120.0).unwrap());
        s.pop();
    }
    s.finish();
    page.finish();
    doc.finish().unwrap()
}

/// A minimal hand-written PDF 1.4 with a classic xref table.
pub fn minimal_pdf() -> Vec<u8> {
    let objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".into(),
        {
            let s = "BT /F1 18 Tf 72 760 Td (Surat uji tanda tangan) Tj ET";
            format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len())
        },
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut v = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offs = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offs.push(v.len());
        v.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let x = v.len();
    v.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offs {
        v.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    v.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n", objs.len() + 1)
            .as_bytes(),
    );
    v
}

/// A minimal PDF 1.5 whose objects 2..4 live in a compressed object stream and whose cross-reference
/// is a FlateDecode xref stream with the PNG Up predictor (like files from many other producers).
pub fn xref_stream_pdf() -> Vec<u8> {
    let content = "BT /F1 18 Tf 72 760 Td (Surat dengan xref stream) Tj ET";
    let mut v = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = vec![(0u8, 0u64, 0u16); 8]; // (type, field2, field3) for objects 0..7
    offsets[0] = (0, 0, 65535);
    let o1 = v.len();
    v.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offsets[1] = (1, o1 as u64, 0);
    // Object stream 6 with objects 2, 3, 4.
    let members = [
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 4 0 R >> >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ];
    let mut body = String::new();
    let mut header = String::new();
    for (i, m) in members.iter().enumerate() {
        header.push_str(&format!("{} {} ", i + 2, body.len()));
        body.push_str(m);
        body.push('\n');
        offsets[i + 2] = (2, 6, i as u16);
    }
    let first = header.len();
    let raw = format!("{header}{body}");
    let z = miniz_oxide::deflate::compress_to_vec_zlib(raw.as_bytes(), 6);
    let o5 = v.len();
    v.extend_from_slice(
        format!("5 0 obj\n<< /Length {} >>\nstream\n{content}\nendstream\nendobj\n", content.len())
            .as_bytes(),
    );
    offsets[5] = (1, o5 as u64, 0);
    let o6 = v.len();
    v.extend_from_slice(
        format!("6 0 obj\n<< /Type /ObjStm /N 3 /First {first} /Filter /FlateDecode /Length {} >>\nstream\n", z.len())
            .as_bytes(),
    );
    v.extend_from_slice(&z);
    v.extend_from_slice(b"\nendstream\nendobj\n");
    offsets[6] = (1, o6 as u64, 0);
    let o7 = v.len();
    offsets[7] = (1, o7 as u64, 0);
    // Rows of W [1 4 2] with the PNG Up predictor.
    let mut rows = Vec::new();
    let mut prev = [0u8; 7];
    for (t, f2, f3) in &offsets {
        let mut row = [0u8; 7];
        row[0] = *t;
        row[1..5].copy_from_slice(&(*f2 as u32).to_be_bytes());
        row[5..7].copy_from_slice(&f3.to_be_bytes());
        rows.push(2u8);
        for i in 0..7 {
            rows.push(row[i].wrapping_sub(prev[i]));
        }
        prev = row;
    }
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&rows, 6);
    v.extend_from_slice(
        format!(
            "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >> /Length {} >>\nstream\n",
            z.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(&z);
    v.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{o7}\n%%EOF\n").as_bytes());
    v
}

/// Appends an incremental update that adds one unreferenced object (no signature).
pub fn append_update(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).to_string();
    let prev: usize = text
        .split("startxref")
        .last()
        .unwrap()
        .trim()
        .trim_end_matches("%%EOF")
        .trim()
        .parse()
        .unwrap();
    let mut v = pdf.to_vec();
    let off = v.len();
    v.extend_from_slice(b"9999 0 obj\n<< /Note (added later) >>\nendobj\n");
    let x = v.len();
    // Root is object 1 in our minimal PDFs; for others read it from the verifier? Keep /Root generic.
    let root = root_ref(pdf);
    v.extend_from_slice(
        format!("xref\n9999 1\n{off:010} 00000 n \ntrailer\n<< /Size 10000 /Root {root} /Prev {prev} >>\nstartxref\n{x}\n%%EOF\n")
            .as_bytes(),
    );
    v
}

/// The "/Root n g R" value of the last trailer (text search, good enough for test files).
pub fn root_ref(pdf: &[u8]) -> String {
    let s = String::from_utf8_lossy(pdf);
    let i = s.rfind("/Root ").unwrap();
    let rest = &s[i + 6..];
    let end = rest.find('R').unwrap();
    format!("{}R", &rest[..end])
}

pub fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}

pub fn write_tmp(dir: &std::path::Path, name: &str, data: &[u8]) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

pub fn tmp_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "tte-{tag}-{}-{}",
        std::process::id(),
        rand::thread_rng().r#gen::<u32>()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Serves a CRL (set later through the returned cell) as `application/pkix-crl` on a loopback port for up
/// to `max_requests` connections or 10 minutes, whichever comes first. Returns the URL and the cell.
pub fn serve_crl(max_requests: usize) -> (String, std::sync::Arc<std::sync::OnceLock<Vec<u8>>>) {
    let cell = std::sync::Arc::new(std::sync::OnceLock::<Vec<u8>>::new());
    let body_cell = cell.clone();
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(600);
        let mut served = 0;
        while served < max_requests && std::time::Instant::now() < deadline {
            match listener.accept() {
                Ok((mut conn, _)) => {
                    served += 1;
                    let _ = conn.set_nonblocking(false);
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut buf = [0u8; 4096];
                    let mut req = Vec::new();
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match conn.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => req.extend_from_slice(&buf[..n]),
                        }
                    }
                    let body = body_cell.get().cloned().unwrap_or_default();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = conn.write_all(head.as_bytes());
                    let _ = conn.write_all(&body);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (format!("http://127.0.0.1:{port}/pki/crl"), cell)
}
