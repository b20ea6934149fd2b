//! Checking signed PDFs: the verdict of the `tte` crate, completed with what the database knows
//! about each certificate (revoked, expired), for the upload form, the QR code's public page and
//! the command line.

use super::*;
use domain::letter::Sifat;
/// What the database says about a certificate serial, for revocation checks.
struct SerialRecord {
    status: String,
    revoked_ms: Option<i64>,
    revoked_reason: Option<String>,
    not_after_ms: Option<i64>,
}

/// The largest PDF the public verification checks (the upload form says so).
pub const VERIFY_MAX_BYTES: usize = 15 * 1024 * 1024;

impl Store {
    // --- Verification ----------------------------------------------------------------------

    async fn serial_record(&self, serial_hex: &str) -> Result<Option<SerialRecord>> {
        let r = sqlx::query("SELECT status, revoked_ms, revoked_reason, not_after_ms FROM signing_cert WHERE serial_hex = $1 LIMIT 1")
            .bind(serial_hex)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok(SerialRecord {
                status: r.try_get("status")?,
                revoked_ms: r.try_get("revoked_ms")?,
                revoked_reason: r.try_get("revoked_reason")?,
                not_after_ms: r.try_get("not_after_ms")?,
            })
        })
        .transpose()
    }

    /// Our view of each signature: who, when, intact, trusted, and the certificate's status now
    /// and at the signing time (from this installation's revocation records).
    async fn signature_checks(&self, verdict: &tte::Verdict) -> Result<Vec<SignatureCheck>> {
        let now = now_ms();
        let mut out = Vec::with_capacity(verdict.signatures.len());
        for s in &verdict.signatures {
            let timestamped = s.timestamp.as_ref().is_some_and(|t| t.valid);
            let signed_ms = s.validation_time_unix.map(|t| t * 1000);
            let record = match (&s.serial_hex, s.chain_trusted) {
                (Some(serial), true) => self.serial_record(serial).await?,
                _ => None,
            };
            let (status_now, revoked_ms) = match &record {
                None => ("tidak_dikenal".to_string(), None),
                Some(r) => {
                    let st = if r.status == "dicabut" {
                        CertStatus::Dicabut
                    } else if r
                        .not_after_ms
                        .or(s.cert_not_after_unix.map(|t| t * 1000))
                        .is_some_and(|t| t <= now)
                    {
                        CertStatus::Kedaluwarsa
                    } else {
                        CertStatus::Aktif
                    };
                    (st.code().to_string(), r.revoked_ms)
                }
            };
            let mut problems = s.problems.clone();
            // The chain check already required validity at the (time-stamped) signing time; a
            // revocation counts against the signature only if it came before that time, which
            // only a time stamp proves.
            let revoked_before = match (revoked_ms, signed_ms) {
                (Some(rv), Some(at)) if timestamped => rv <= at,
                (Some(_), _) => true,
                (None, _) => false,
            };
            if revoked_before {
                let why = record
                    .as_ref()
                    .and_then(|r| r.revoked_reason.as_deref())
                    .and_then(RevocationReason::from_code)
                    .map(|x| x.label())
                    .unwrap_or("");
                problems.push(format!("certificate revoked before the signing time ({why})"));
            }
            let valid_at_signing =
                s.intact && s.chain_trusted && record.is_some() && !revoked_before;
            out.push(SignatureCheck {
                status_now,
                valid_at_signing,
                revoked_ms,
                revoked_reason: record
                    .as_ref()
                    .and_then(|r| r.revoked_reason.as_deref())
                    .and_then(RevocationReason::from_code),
                problems,
                ..unchecked_revocation(s)
            });
        }
        Ok(out)
    }

    /// Checks any PDF: each signature, whether the file changed after signing, whether it is a
    /// document this installation issued. Never fails on bad input (it answers NotPdf/NoSignature).
    pub async fn verify_upload(&self, pdf: &[u8]) -> Result<VerifyReport> {
        if pdf.len() > VERIFY_MAX_BYTES {
            return Err(BackendError::invalid(format!(
                "Berkas lebih besar dari {} MB; periksa berkas PDF yang lebih kecil.",
                VERIFY_MAX_BYTES / (1024 * 1024)
            )));
        }
        let anchors = self.trust_anchors().await?;
        let bytes = pdf.to_vec();
        let verdict = blocking(move || tte::verify_pdf(&bytes, &anchors)).await?;
        let sha = verdict.file_sha256.clone();
        let issued = sqlx::query("SELECT d.public_id, l.state, l.co_signer_id FROM letter_document d JOIN letter l ON l.id = d.letter_id WHERE d.sha256 = $1 LIMIT 1")
            .bind(&sha)
            .fetch_optional(&self.pool)
            .await?;
        let public_id: Option<String> =
            issued.as_ref().map(|r| r.try_get("public_id")).transpose()?;
        let checks = self.signature_checks(&verdict).await?;
        let mut report = report_of(&verdict, checks, public_id);
        // A co-signed letter between its two signatures, or one whose signing was cancelled, carries
        // valid signatures but is not a finished document.
        if let Some(r) = &issued {
            if r.try_get::<String, _>("state")? == LetterState::CoSigning.code() {
                let who = match r.try_get::<Option<String>, _>("co_signer_id")? {
                    Some(id) => self.get_employee(&id).await?.name,
                    None => "penanda tangan kedua".into(),
                };
                report.outcome = VerifyOutcome::Invalid;
                report.message_id = format!(
                    "Belum berlaku: dokumen ini masih menunggu tanda tangan elektronik kedua ({who})."
                );
                report.message_en = format!(
                    "Not valid yet: this document still waits for the second electronic signature ({who})."
                );
            }
        } else if let Some(r) =
            sqlx::query("SELECT public_id, reason FROM letter_void WHERE sha256 = $1 LIMIT 1")
                .bind(&sha)
                .fetch_optional(&self.pool)
                .await?
        {
            let reason: String = r.try_get("reason")?;
            report.outcome = VerifyOutcome::Invalid;
            report.message_id = format!(
                "Tidak berlaku: penandatanganan dokumen ini dibatalkan dan nomornya batal. {reason}"
            );
            report.message_en =
                "Not valid: the signing of this document was cancelled and its number is void."
                    .into();
            report.issued_here = true;
            report.public_id = Some(r.try_get("public_id")?);
        }
        Ok(report)
    }

    /// What the QR code's page shows: the stored document, verified now. Confidential letters
    /// (Rahasia, Sangat Rahasia) show only that the document exists and whether it is valid.
    pub async fn public_document(&self, public_id: &str) -> Result<Option<PublicDocument>> {
        if public_id.is_empty() || public_id.len() > 64 {
            return Ok(None);
        }
        // The current document of a letter, or a once-signed one whose signing was cancelled.
        let current = sqlx::query(
            "SELECT d.pdf, d.sha256, d.signer_kind, d.created_ms, l.subject, l.number, l.sifat, l.state, l.co_signer_id, l.co_signer_position_id, \
             o.name AS opd_name, e.name AS signer_name, COALESCE(p.title, '') AS signer_title, CAST(NULL AS TEXT) AS void_reason \
             FROM letter_document d JOIN letter l ON l.id = d.letter_id JOIN opd o ON o.id = l.opd_id \
             LEFT JOIN employee e ON e.id = l.signed_by LEFT JOIN position p ON p.id = l.signer_position_id WHERE d.public_id = $1",
        )
        .bind(public_id)
        .fetch_optional(&self.pool)
        .await?;
        let r = match current {
            Some(r) => r,
            None => match sqlx::query(
                "SELECT v.pdf, v.sha256, v.signer_kind, v.signed_ms AS created_ms, l.subject, v.number, l.sifat, 'void' AS state, CAST(NULL AS TEXT) AS co_signer_id, \
                 CAST(NULL AS TEXT) AS co_signer_position_id, o.name AS opd_name, e.name AS signer_name, COALESCE(p.title, '') AS signer_title, v.reason AS void_reason \
                 FROM letter_void v JOIN letter l ON l.id = v.letter_id JOIN opd o ON o.id = l.opd_id \
                 LEFT JOIN employee e ON e.id = v.signed_by LEFT JOIN position p ON p.id = l.signer_position_id WHERE v.public_id = $1",
            )
            .bind(public_id)
            .fetch_optional(&self.pool)
            .await?
            {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        let pdf: Vec<u8> = r.try_get("pdf")?;
        let anchors = self.trust_anchors().await?;
        let verdict = blocking(move || tte::verify_pdf(&pdf, &anchors)).await?;
        let signatures = self.signature_checks(&verdict).await?;
        let sifat =
            Sifat::from_code(&r.try_get::<String, _>("sifat")?).unwrap_or(Sifat::SangatRahasia);
        let confidential = sifat.is_confidential();
        let first = signatures.first();
        let (signer_name, signer_position, issuer) = match first {
            Some(s) => (s.signer_name.clone(), s.signer_position.clone(), s.issuer.clone()),
            None => (
                r.try_get::<Option<String>, _>("signer_name")?.unwrap_or_default(),
                r.try_get("signer_title")?,
                String::new(),
            ),
        };
        let created: i64 = r.try_get("created_ms")?;
        let mut pending_signers = Vec::new();
        if r.try_get::<String, _>("state")? == LetterState::CoSigning.code() {
            let title = match r.try_get::<Option<String>, _>("co_signer_position_id")? {
                Some(p) => self.get_position(&p).await?.title,
                None => String::new(),
            };
            let name = match r.try_get::<Option<String>, _>("co_signer_id")? {
                Some(e) => self.get_employee(&e).await?.name,
                None => String::new(),
            };
            pending_signers.push(if name.is_empty() { title } else { format!("{title} ({name})") });
        }
        let voided: Option<String> = r.try_get("void_reason")?;
        Ok(Some(PublicDocument {
            public_id: public_id.to_string(),
            confidential,
            downloadable: sifat == Sifat::Biasa,
            subject: if confidential { String::new() } else { r.try_get("subject")? },
            number: if confidential {
                String::new()
            } else {
                r.try_get::<Option<String>, _>("number")?.unwrap_or_default()
            },
            opd_name: r.try_get("opd_name")?,
            signer_name,
            signer_position,
            signed_ms: first.and_then(|s| s.signed_ms).unwrap_or(created),
            issuer,
            signer_kind: r.try_get("signer_kind")?,
            sha256: r.try_get("sha256")?,
            signatures,
            pending_signers,
            voided,
        }))
    }

    /// The stored PDF of a public (Biasa), finished document (for the download link): not
    /// while it waits for a co-signature, and not once its signing was cancelled.
    pub async fn public_document_pdf(&self, public_id: &str) -> Result<Option<Vec<u8>>> {
        let r = sqlx::query("SELECT d.pdf, l.sifat, l.state FROM letter_document d JOIN letter l ON l.id = d.letter_id WHERE d.public_id = $1")
            .bind(public_id)
            .fetch_optional(&self.pool)
            .await?;
        match r {
            Some(r)
                if r.try_get::<String, _>("sifat")? == Sifat::Biasa.code()
                    && r.try_get::<String, _>("state")? != LetterState::CoSigning.code() =>
            {
                Ok(Some(r.try_get("pdf")?))
            }
            _ => Ok(None),
        }
    }
}

/// The overall verdict in our words.
fn report_of(
    v: &tte::Verdict,
    signatures: Vec<SignatureCheck>,
    public_id: Option<String>,
) -> VerifyReport {
    let changed = !v.signatures.is_empty()
        && (v.signatures.iter().any(|s| !s.intact || !s.later_changes_allowed)
            || v.signatures.last().is_some_and(|s| !s.covers_whole_file));
    let (outcome, id, en) = match &v.overall {
        tte::Overall::NotPdf => (VerifyOutcome::NotPdf, "Berkas ini bukan PDF.".to_string(), "The file is not a PDF.".to_string()),
        tte::Overall::NoSignature => (
            VerifyOutcome::NoSignature,
            "PDF ini tidak memuat tanda tangan elektronik.".to_string(),
            "This PDF carries no electronic signature.".to_string(),
        ),
        // A signature from another CA usually also carries that CA's time stamp, which tte reports
        // first; for a reader the untrusted signer is the point, unless the file itself changed.
        tte::Overall::Invalid { .. } if signatures.iter().all(|s| s.intact) && !changed && signatures.iter().any(|s| !s.trusted) => (
            VerifyOutcome::Invalid,
            "Tidak sah: sertifikat penanda tangan tidak diterbitkan oleh otoritas sertifikat yang dipercaya instalasi ini.".to_string(),
            "Not valid: the signer's certificate was not issued by a certificate authority this installation trusts.".to_string(),
        ),
        tte::Overall::Invalid { reason_id, reason_en } => (VerifyOutcome::Invalid, format!("Tidak sah: {reason_id}."), format!("Not valid: {reason_en}.")),
        tte::Overall::Valid => match signatures.iter().find(|s| !s.valid_at_signing) {
            Some(s) if s.status_now == "dicabut" => (
                VerifyOutcome::Invalid,
                format!("Tidak sah: sertifikat {} sudah dicabut sebelum dokumen ditandatangani.", s.signer_name),
                format!("Not valid: the certificate of {} was revoked before the document was signed.", s.signer_name),
            ),
            Some(s) => (
                VerifyOutcome::Invalid,
                format!("Tidak sah: sertifikat {} tidak terdaftar di instalasi ini.", s.signer_name),
                format!("Not valid: the certificate of {} is not registered in this installation.", s.signer_name),
            ),
            None => (
                VerifyOutcome::Valid,
                "Sah: semua tanda tangan utuh, dari sertifikat tepercaya, dan dokumen tidak diubah setelah ditandatangani.".to_string(),
                "Valid: every signature is intact and trusted, and the document was not changed after signing.".to_string(),
            ),
        },
    };
    VerifyReport {
        outcome,
        message_id: id,
        message_en: en,
        sha256: v.file_sha256.clone(),
        modified_after_signing: changed,
        issued_here: public_id.is_some(),
        public_id,
        signatures,
    }
}

/// Our view of one signature as the verifier reports it, before any revocation lookup: the
/// certificate's status is "tidak_diperiksa" and an intact, trusted signature counts as valid at
/// signing. `signature_checks` fills in the status from this installation's records.
fn unchecked_revocation(s: &tte::SignatureReport) -> SignatureCheck {
    SignatureCheck {
        signer_name: s.signer.common_name.clone().unwrap_or_default(),
        signer_nip: s.signer.serial_number.clone().unwrap_or_default(),
        signer_position: s.signer.title.clone().unwrap_or_default(),
        signer_opd: s.signer.organizational_unit.clone().unwrap_or_default(),
        issuer: s.issuer.as_deref().map(cn_of_rfc4514).unwrap_or_default(),
        serial_hex: s.serial_hex.clone().unwrap_or_default(),
        signed_ms: s.validation_time_unix.map(|t| t * 1000),
        timestamped: s.timestamp.as_ref().is_some_and(|t| t.valid),
        intact: s.intact,
        trusted: s.chain_trusted,
        status_now: "tidak_diperiksa".into(),
        valid_at_signing: s.intact && s.chain_trusted,
        revoked_ms: None,
        revoked_reason: None,
        problems: s.problems.clone(),
    }
}

/// Verifies against given trust anchors without any database (the CLI with `--root`): revocation
/// is not checked, so `status_now` is "tidak_diperiksa" and a trusted, intact signature counts as
/// valid at signing.
pub async fn verify_with_anchors(pdf: &[u8], anchors: Vec<Certificate>) -> Result<VerifyReport> {
    let bytes = pdf.to_vec();
    let verdict = blocking(move || tte::verify_pdf(&bytes, &anchors)).await?;
    let checks = verdict.signatures.iter().map(unchecked_revocation).collect();
    Ok(report_of(&verdict, checks, None))
}
