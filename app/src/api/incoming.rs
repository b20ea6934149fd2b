//! Server functions of surat masuk: registration by the records clerk, the letter page with its
//! disposition tree, disposing, follow-up, review, filing, and the lists.

use crate::error::AppError;
use domain::disposition::{
    DisposeInput, DispositionPage, IncomingPage, IncomingSettings, IncomingStatus, IncomingView,
    PositionChoice, RegisterInput, RegisterOutcome, ScanUpload,
};
use domain::letter::Sifat;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Choices of the registration form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterOptions {
    pub klasifikasi: Vec<(String, String)>,
    /// Who may give the first disposition; the head of the OPD first.
    pub disposers: Vec<PositionChoice>,
    /// Senders registered before, for suggestions while typing.
    pub senders: Vec<String>,
    /// Today in WIB, "YYYY-MM-DD".
    pub today: String,
}

#[server(prefix = "/api", endpoint = "register_options", output = crate::api::JsonReply)]
pub async fn get_register_options() -> Result<RegisterOptions, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let st = state();
    if !s.user.caps.is_tu_of(&s.user.opd_id) {
        return Err(backend::BackendError::Forbidden(
            "Registrasi surat masuk hanya untuk petugas TU / pencatat surat.".into(),
        )
        .into());
    }
    Ok(RegisterOptions {
        klasifikasi: st.store.list_klasifikasi(&s.user.pemda_id).await?,
        disposers: st.store.disposer_choices(&s.user.opd_id).await?,
        senders: st.store.sender_suggestions(&s.user.opd_id).await?,
        today: domain::time::iso_date(domain::time::wib_day(backend::now_ms())),
    })
}

/// Registers scanned mail. The scan is a PDF or photos of the pages (base64), checked by content:
/// photos are combined into one PDF in the order given.
#[server(prefix = "/api", endpoint = "register_incoming", input = Json, output = crate::api::JsonReply)]
pub async fn register_incoming(
    input: RegisterInput,
    scan: ScanUpload,
) -> Result<RegisterOutcome, AppError> {
    use crate::api::ctx::*;
    use backend::BackendError;
    use base64::Engine;
    let s = require_session().await?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let max = domain::files::MAX_SCAN_BYTES;
    let too_big = || {
        BackendError::invalid(format!(
            "Hasil pindai terlalu besar (maksimal {} MB).",
            max / (1024 * 1024)
        ))
    };
    let (pdf, pages, original) = match (&scan.pdf_b64, scan.images_b64.as_slice()) {
        (Some(p), []) => {
            if p.len() > max / 3 * 4 + 8 {
                return Err(too_big().into());
            }
            let bytes = b64.decode(p.trim()).map_err(|_| {
                BackendError::invalid("Berkas pindaian tidak terbaca; pilih ulang berkasnya.")
            })?;
            if !bytes.starts_with(b"%PDF-") {
                return Err(BackendError::invalid(
                    "Berkas pindaian harus PDF (atau foto JPEG/PNG); isi berkas ini bukan PDF.",
                )
                .into());
            }
            let (pdf, pages) = backend::store::incoming::prepare_scan(Some(bytes), vec![]).await?;
            (pdf, pages, scan.original_name.clone())
        }
        (None, images) if !images.is_empty() => {
            if images.len() > domain::files::MAX_SCAN_PAGES {
                return Err(BackendError::invalid(format!(
                    "{} foto melebihi batas {} halaman per surat; pisahkan lampiran yang tebal atau pindai sebagai PDF.",
                    images.len(),
                    domain::files::MAX_SCAN_PAGES
                ))
                .into());
            }
            let mut decoded = Vec::with_capacity(images.len());
            let mut total = 0usize;
            for (i, img) in images.iter().enumerate() {
                let bytes = b64.decode(img.trim()).map_err(|_| {
                    BackendError::invalid(format!("Foto ke-{} tidak terbaca.", i + 1))
                })?;
                total += bytes.len();
                if total > max {
                    return Err(too_big().into());
                }
                decoded.push(bytes);
            }
            let n = decoded.len();
            let (pdf, pages) = backend::store::incoming::prepare_scan(None, decoded).await?;
            (pdf, pages, format!("{n} foto"))
        }
        _ => {
            return Err(BackendError::invalid(
                "Unggah hasil pindai surat: satu berkas PDF, atau foto setiap halaman.",
            )
            .into());
        }
    };
    Ok(state()
        .store
        .register_incoming(&s.user, Some(s.ip.clone()), &input, pdf, pages, &original)
        .await?)
}

#[server(prefix = "/api", endpoint = "incoming", output = crate::api::JsonReply)]
pub async fn get_incoming(id: String) -> Result<IncomingView, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.incoming_view(&s.user, &id).await?)
}

#[server(prefix = "/api", endpoint = "dispose", input = Json, output = crate::api::JsonReply)]
pub async fn dispose(input: DisposeInput) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    state().store.dispose(&s.user, Some(s.ip.clone()), &input).await?;
    Ok(())
}

/// A follow-up report: text, an optional linked reply letter, files as (name, base64).
#[server(prefix = "/api", endpoint = "report_disposition", input = Json, output = crate::api::JsonReply)]
pub async fn report_disposition(
    node_id: String,
    version: i64,
    text: String,
    letter_id: String,
    files: Vec<(String, String)>,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    use base64::Engine;
    let s = require_session().await?;
    let mut decoded = Vec::new();
    for (name, data) in files {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| backend::BackendError::invalid(format!("Berkas {name} tidak terbaca.")))?;
        decoded.push((name, bytes));
    }
    let letter = Some(letter_id.as_str()).filter(|l| !l.trim().is_empty());
    state()
        .store
        .report_disposition(
            &s.user,
            Some(s.ip.clone()),
            backend::store::incoming::FollowUpReport {
                node_id: &node_id,
                expected_version: version,
                text: &text,
                letter_id: letter,
                files: decoded,
            },
        )
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "review_disposition", output = crate::api::JsonReply)]
pub async fn review_disposition(
    node_id: String,
    version: i64,
    accept: bool,
    note: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    state()
        .store
        .review_disposition(&s.user, Some(s.ip.clone()), &node_id, version, accept, &note)
        .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "archive_incoming", output = crate::api::JsonReply)]
pub async fn archive_incoming(id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    state().store.archive_incoming(&s.user, Some(s.ip.clone()), &id).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_incoming", output = crate::api::JsonReply)]
pub async fn list_incoming(
    q: String,
    sifat: Option<Sifat>,
    status: Option<IncomingStatus>,
    page: i64,
) -> Result<IncomingPage, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    if q.chars().count() > 200 {
        return Err(backend::BackendError::invalid(
            "Kata kunci pencarian terlalu panjang (maksimal 200 karakter).",
        )
        .into());
    }
    Ok(state().store.incoming_list(&s.user, &q, sifat, status, page).await?)
}

#[server(prefix = "/api", endpoint = "list_dispositions", output = crate::api::JsonReply)]
pub async fn list_dispositions(
    tab: String,
    q: String,
    status: String,
    page: i64,
) -> Result<DispositionPage, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    if q.chars().count() > 200 {
        return Err(backend::BackendError::invalid(
            "Kata kunci pencarian terlalu panjang (maksimal 200 karakter).",
        )
        .into());
    }
    Ok(state().store.disposition_list(&s.user, &tab, &q, &status, page).await?)
}

/// How an OPD handles incoming mail, with the positions that may receive it (Admin OPD).
#[server(prefix = "/api", endpoint = "incoming_settings", output = crate::api::JsonReply)]
pub async fn get_incoming_settings(
    opd_id: String,
) -> Result<(IncomingSettings, Vec<PositionChoice>), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let (st, opd) = (state(), admin.opd());
    Ok((st.store.incoming_settings(&opd.id).await?, st.store.disposer_choices(&opd.id).await?))
}

/// Saves who receives the OPD's new mail for disposition (empty: the head) and whether
/// dispositions may go to peers.
#[server(prefix = "/api", endpoint = "save_incoming_settings", output = crate::api::JsonReply)]
pub async fn save_incoming_settings(
    opd_id: String,
    disposer_position_id: String,
    peer_disposition: bool,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let settings = IncomingSettings {
        disposer_position_id: Some(disposer_position_id).filter(|p| !p.trim().is_empty()),
        peer_disposition,
    };
    Ok(state().store.set_incoming_settings(&admin, &settings).await?)
}
