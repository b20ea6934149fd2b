//! `eoffice bench-sign` (hidden): signing throughput in one run on this machine.
//!
//! (a) e-Office: render a one-page letter with its QR code and sign it (PAdES B-T with the
//!     in-process TSA), the official's key unlocked once; on 1 thread and on all requested threads.
//! (b) pyHanko through its Python API (not the CLI), in one process, its key loaded once, signing
//!     the same unsigned letter, once B-B (no time stamp, which only favours it) and once B-T with
//!     pyHanko's in-process time stamper. pyHanko only signs; e-Office also renders the letter.
//! Prints both figures and the ratio. Test keys are generated here and deleted afterwards.

use backend::render::{
    LetterDocument, SignatureBlock, qr_png, render_letter, render_letter_with_info,
};
use backend::sign::{LetterSigner, LocalCaUnlocked, SignContext};
use backend::store::pki::CaKeys;
use domain::letter_body::LetterBody;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PYTHON_BENCH: &str = r#"
import io, sys, time
from pyhanko.sign import signers, fields
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
n, d = int(sys.argv[1]), sys.argv[2]
signer = signers.SimpleSigner.load(d + '/key.pem', d + '/cert.pem', ca_chain_files=(d + '/chain.pem',), key_passphrase=None)
data = open(d + '/unsigned.pdf', 'rb').read()
meta = signers.PdfSignatureMetadata(field_name='Signature1', subfilter=fields.SigSeedSubFilter.PADES, md_algorithm='sha256')
# B-T with pyHanko's in-process time-stamp authority, as e-Office has its own. pyHanko's is RSA-only:
# a throw-away RSA-2048 TSA certificate is made here.
import datetime
from asn1crypto import keys as a_keys, x509 as a_x509
from cryptography import x509 as c_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = c_x509.Name([c_x509.NameAttribute(NameOID.COMMON_NAME, 'Bench TSA')])
now = datetime.datetime.now(datetime.timezone.utc)
c = (c_x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(k.public_key())
     .serial_number(c_x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
     .not_valid_after(now + datetime.timedelta(days=30))
     .add_extension(c_x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
     .sign(k, hashes.SHA256()))
tsa = DummyTimeStamper(
    tsa_cert=a_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)),
    tsa_key=a_keys.PrivateKeyInfo.load(k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))
def one(ts=None):
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer, timestamper=ts).getvalue()
open(d + '/pyhanko-signed.pdf', 'wb').write(one())
open(d + '/pyhanko-signed-bt.pdf', 'wb').write(one(tsa))
for ts in (None, tsa):
    t = time.perf_counter()
    for _ in range(n):
        one(ts)
    dt = time.perf_counter() - t
    print('%.3f' % (n / dt))
"#;

fn letter() -> LetterDocument {
    LetterDocument {
        pemda_name: "PEMERINTAH KABUPATEN BOJONEGORO".into(),
        opd_name: "DINAS KOMUNIKASI DAN INFORMATIKA".into(),
        opd_address: "Jalan Pahlawan No. 5, Bojonegoro 62111, Telepon (0353) 881826, Pos-el kominfo@bojonegorokab.go.id".into(),
        logo: None,
        title: None,
        number: Some("000.5.6.2/15/412.208/2026".into()),
        sifat: "Biasa".into(),
        lampiran: "1 (satu) berkas".into(),
        hal: "Undangan Rapat Koordinasi SPBE Tahun 2026".into(),
        place_date: "Bojonegoro, 30 November 2026".into(),
        recipients: vec!["Kepala Bappeda Kabupaten Bojonegoro".into()],
        recipient_place: "di Bojonegoro".into(),
        body: LetterBody::from_plain(
            "Dengan hormat,\n\nDalam rangka pelaksanaan Sistem Pemerintahan Berbasis Elektronik (SPBE) di lingkungan Pemerintah \
             Kabupaten Bojonegoro, kami mengundang Bapak/Ibu untuk hadir pada rapat koordinasi pada hari Senin, 7 Desember 2026, \
             pukul 09.00 WIB, di Ruang Rapat Angling Dharma.\n\nDemikian atas perhatian dan kehadirannya kami sampaikan terima kasih.",
        ),
        signature: SignatureBlock {
            above: vec![],
            position: "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA".into(),
            statement: None,
            qr_png: None,
            name: "Drs. BAMBANG SUTRISNO, M.Si.".into(),
            rank: Some("Pembina Utama Muda".into()),
            nip: "NIP. 197203151998031004".into(),
        },
        co_signature: None,
        tembusan: vec!["Bupati Bojonegoro (sebagai laporan)".into()],
        footer_note: None,
        watermark: None,
    }
}

fn ctx(public_id: &str) -> SignContext {
    SignContext {
        letter_id: "bench".into(),
        public_id: public_id.into(),
        signer_employee_id: "bench".into(),
        signer_name: "Drs. BAMBANG SUTRISNO, M.Si.".into(),
        signer_nip: "197203151998031004".into(),
        signer_position: "Kepala Dinas Komunikasi dan Informatika".into(),
        opd_name: "DINAS KOMUNIKASI DAN INFORMATIKA".into(),
        signed_ms: backend::now_ms(),
        signature_rect: None,
    }
}

/// One letter: QR, render, sign. Returns the signed size.
fn render_and_sign(signer: &LocalCaUnlocked, base: &LetterDocument) -> Res<usize> {
    let public_id = backend::random_token(18);
    let mut c = ctx(&public_id);
    let look = signer.appearance(&c);
    let mut doc = base.clone();
    doc.signature.statement = look.statement;
    doc.signature.qr_png = look.qr_png;
    doc.footer_note = look.footer_note;
    let (pdf, info) = render_letter_with_info(&doc)?;
    c.signature_rect = Some(info.signature_rect);
    Ok(signer.sign_now(&pdf, &c)?.len())
}

/// Milliseconds per letter of rendering (with QR) and of signing alone, on one thread.
fn phases(signer: &LocalCaUnlocked, n: usize) -> Res<(f64, f64)> {
    let base = letter();
    let (mut render, mut sign) = (0.0, 0.0);
    for _ in 0..n {
        let public_id = backend::random_token(18);
        let mut c = ctx(&public_id);
        let t = Instant::now();
        let look = signer.appearance(&c);
        let mut doc = base.clone();
        doc.signature.statement = look.statement;
        doc.signature.qr_png = look.qr_png;
        doc.footer_note = look.footer_note;
        let (pdf, info) = render_letter_with_info(&doc)?;
        render += t.elapsed().as_secs_f64();
        c.signature_rect = Some(info.signature_rect);
        let t = Instant::now();
        signer.sign_now(&pdf, &c)?;
        sign += t.elapsed().as_secs_f64();
    }
    Ok((render * 1000.0 / n as f64, sign * 1000.0 / n as f64))
}

fn ours(signer: &Arc<LocalCaUnlocked>, n: usize, threads: usize) -> Res<f64> {
    let base = letter();
    let start = Instant::now();
    let per = n.div_ceil(threads);
    let results: Vec<Res<usize>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let signer = signer.clone();
                let base = base.clone();
                s.spawn(move || -> Res<usize> {
                    let mut done = 0;
                    for _ in 0..per {
                        render_and_sign(&signer, &base)?;
                        done += 1;
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("bench thread panicked".into())))
            .collect()
    });
    let mut total = 0;
    for r in results {
        total += r?;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

fn default_python() -> PathBuf {
    let home =
        std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"));
    std::env::var_os("TTE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cache/eoffice/venv"))
        .join("bin/python")
}

pub fn run(n: usize, threads: usize, python: Option<PathBuf>, keep: Option<PathBuf>) -> Res<()> {
    let threads = threads.max(1);
    let n = n.max(threads);
    println!(
        "bench-sign: {n} one-page letters, {} core(s) on this machine",
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1)
    );
    // A test PKI and an official's key, unlocked once.
    let names = tte::PkiNames {
        installation: "Kabupaten Bojonegoro".into(),
        pemda: "Pemerintah Kabupaten Bojonegoro".into(),
    };
    let ca_pass = tte::Passphrase::new(backend::random_token(24));
    let pki =
        tte::Pki::init_with(&names, &ca_pass, SystemTime::now(), tte::KdfParams::TEST_ONLY_FAST)?;
    let issuing = pki.unlock_issuing(&ca_pass)?;
    let subject = tte::SignerSubject {
        name: "Drs. BAMBANG SUTRISNO, M.Si.".into(),
        nip: "197203151998031004".into(),
        position: "Kepala Dinas Komunikasi dan Informatika".into(),
        opd: "Dinas Komunikasi dan Informatika".into(),
        pemda: "Pemerintah Kabupaten Bojonegoro".into(),
        email: None,
    };
    let pass = tte::Passphrase::new("passphrase bench 2026");
    let opts =
        tte::IssueOptions { now: SystemTime::now(), crl_url: None, kdf: tte::KdfParams::DEFAULT };
    let issued = tte::issue_signing_cert(&issuing, &subject, 30, &pass, &opts)?;
    let unlock_start = Instant::now();
    let key = issued.stored.key.decrypt(&pass)?;
    let unlock_ms = unlock_start.elapsed().as_secs_f64() * 1000.0;
    let key_pkcs8 = key.pkcs8_der()?;
    let cert = issued.stored.certificate()?;
    let ca = Arc::new(CaKeys {
        root: pki.root_cert()?,
        tsa: pki.unlock_tsa(&ca_pass)?,
        issuer_name: "Issuing CA e-Office Kabupaten Bojonegoro".into(),
        issuing,
        generation: 1,
        previous: Vec::new(),
    });
    let signer = Arc::new(LocalCaUnlocked::new(
        key,
        cert.clone(),
        ca.clone(),
        "https://eoffice.bojonegorokab.go.id",
        false,
    ));
    // Warm up (fonts are parsed on first use) and check the output once.
    let base = letter();
    render_and_sign(&signer, &base)?;
    let one_thread = ours(&signer, n, 1)?;
    let all_threads = if threads > 1 { ours(&signer, n, threads)? } else { one_thread };
    let (render_ms, sign_ms) = phases(&signer, n.min(200))?;
    println!(
        "e-Office  render + QR + PAdES B-T sign: {one_thread:8.1} docs/s on 1 thread, {all_threads:8.1} docs/s on {threads} threads (key unlocked once in {unlock_ms:.0} ms)"
    );
    println!(
        "          per letter on 1 thread: render with QR {render_ms:.2} ms, sign with time stamp {sign_ms:.2} ms"
    );

    // pyHanko on the same unsigned letter.
    let dir = match &keep {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("eoffice-bench-{}", backend::new_id())),
    };
    std::fs::create_dir_all(&dir)?;
    let mut unsigned_doc = letter();
    unsigned_doc.signature.qr_png =
        Some(qr_png("https://eoffice.bojonegorokab.go.id/verifikasi/AbCdEfGhIjKlMnOpQrStUvWx")?);
    unsigned_doc.signature.statement =
        Some("Ditandatangani secara elektronik oleh: Drs. BAMBANG SUTRISNO, M.Si.".into());
    std::fs::write(dir.join("unsigned.pdf"), render_letter(&unsigned_doc)?)?;
    std::fs::write(dir.join("key.pem"), pem("PRIVATE KEY", &key_pkcs8))?;
    std::fs::write(dir.join("cert.pem"), pem("CERTIFICATE", &issued.stored.cert_der))?;
    std::fs::write(
        dir.join("chain.pem"),
        format!(
            "{}{}",
            pem("CERTIFICATE", &pki.issuing.cert_der),
            pem("CERTIFICATE", &pki.root.cert_der)
        ),
    )?;
    std::fs::write(dir.join("bench.py"), PYTHON_BENCH)?;
    let python = python.unwrap_or_else(default_python);
    let py = py_bench(&python, &dir, n);
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    match py {
        Ok((bb, bt)) => {
            println!(
                "pyHanko   Python API, 1 process, key loaded once: {bb:8.1} docs/s B-B (no time stamp), {bt:8.1} docs/s B-T (in-process RSA TSA)"
            );
            println!(
                "ratio     e-Office (render + B-T) / pyHanko (sign only): {:.1}x / {:.1}x (vs B-B / vs B-T) on 1 thread, {:.1}x / {:.1}x on {threads} threads",
                one_thread / bb,
                one_thread / bt,
                all_threads / bb,
                all_threads / bt
            );
        }
        Err(e) => println!(
            "pyHanko   not measured: {e} (install it with tte/scripts/install-validators.sh or pass --python)"
        ),
    }
    Ok(())
}

fn py_bench(python: &Path, dir: &Path, n: usize) -> Res<(f64, f64)> {
    if !python.is_file() {
        return Err(format!("{} not found", python.display()).into());
    }
    let out = std::process::Command::new(python)
        .arg(dir.join("bench.py"))
        .arg(n.to_string())
        .arg(dir)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "pyHanko bench failed: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
        )
        .into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let rates: Vec<f64> = text.lines().filter_map(|l| l.trim().parse::<f64>().ok()).collect();
    match rates.as_slice() {
        [bb, bt] => Ok((*bb, *bt)),
        _ => Err(format!("unexpected pyHanko bench output: {text}").into()),
    }
}
