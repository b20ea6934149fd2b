//! Electronic signature (TTE): the official's own certificate and passphrase, the Admin Pemda's
//! certificate administration, and signing one or several letters with the passphrase.

use crate::error::AppError;
use domain::tte::{CertPage, CertView, PkiStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the signing form needs to know about the current user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SigningInfo {
    /// "approval", "local-ca" or "remote".
    pub signer_kind: String,
    /// Signing asks for the official's passphrase.
    pub needs_passphrase: bool,
    pub certificate: Option<CertView>,
    /// The person has a second factor: the form offers the code field.
    pub second_factor: bool,
    /// Signing now needs a code (the session's last check is too old).
    pub code_needed: bool,
}

/// One letter of a batch signing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchResult {
    pub id: String,
    pub ok: bool,
    /// The new state, or why this letter was not signed.
    pub message: String,
}

#[server(prefix = "/api", endpoint = "signing_info", output = crate::api::JsonReply)]
pub async fn get_signing_info() -> Result<SigningInfo, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let st = state();
    let kind = st.signer.kind().to_string();
    let (code_needed, _) = st.store.signing_code_needed(&s.user, &s.token).await?;
    Ok(SigningInfo {
        second_factor: s.user.second_factor,
        code_needed,
        needs_passphrase: kind != "approval",
        signer_kind: kind,
        certificate: st.store.my_certificate(&s.user).await?,
    })
}

#[server(prefix = "/api", endpoint = "my_certificate", output = crate::api::JsonReply)]
pub async fn my_certificate() -> Result<Option<CertView>, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.my_certificate(&s.user).await?)
}

/// First use: the official chooses the passphrase that protects their signing key.
#[server(prefix = "/api", endpoint = "activate_tte", output = crate::api::JsonReply)]
pub async fn activate_tte(passphrase: String, confirm: String) -> Result<CertView, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state()
        .store
        .activate_certificate(&s.user, Some(s.ip.clone()), &passphrase, &confirm)
        .await?)
}

#[server(prefix = "/api", endpoint = "change_tte_passphrase", output = crate::api::JsonReply)]
pub async fn change_tte_passphrase(
    old: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state()
        .store
        .change_certificate_passphrase(&s.user, Some(s.ip.clone()), &old, &new, &confirm)
        .await?)
}

#[server(prefix = "/api", endpoint = "pki_status", output = crate::api::JsonReply)]
pub async fn get_pki_status() -> Result<PkiStatus, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let s = admin.caller();
    Ok(state().store.pki_status(&s.user.pemda_id).await?)
}

#[server(prefix = "/api", endpoint = "list_tte_certificates", output = crate::api::JsonReply)]
pub async fn list_tte_certificates(q: String, page: i64) -> Result<CertPage, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let s = admin.caller();
    Ok(state().store.list_certificates(&s.user, &q, page).await?)
}

/// The Admin Pemda authorises a certificate for an official; the key is made when the official
/// sets their passphrase.
#[server(prefix = "/api", endpoint = "enrol_tte", output = crate::api::JsonReply)]
pub async fn enrol_tte(employee_id: String, validity_days: i64) -> Result<CertView, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let s = admin.caller();
    Ok(state().store.enrol_certificate(&s.user, s.ip.clone(), &employee_id, validity_days).await?)
}

#[server(prefix = "/api", endpoint = "revoke_tte", output = crate::api::JsonReply)]
pub async fn revoke_tte(cert_id: String, reason: String) -> Result<CertView, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let s = admin.caller();
    // Not an enum argument: the form's empty choice gets this message, not a decoding error.
    let reason: domain::tte::RevocationReason =
        reason.parse().map_err(|_| backend::BackendError::invalid("Pilih alasan pencabutan."))?;
    Ok(state().store.revoke_certificate(&s.user, s.ip.clone(), &cert_id, reason).await?)
}

/// Signs one letter. `tampilan` is "visible" (the signature block and QR on the page, the
/// default) or "invisible".
#[server(prefix = "/api", endpoint = "sign_letter", output = crate::api::JsonReply)]
pub async fn sign_one_letter(
    id: String,
    version: i64,
    passphrase: String,
    tampilan: String,
    code: Option<String>,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let st = state();
    st.store.visible_letter(&s.user, &id).await?;
    st.store.check_signing_factor(&s.user, Some(s.ip.clone()), &s.token, code.as_deref()).await?;
    let creds = credentials(passphrase, &tampilan);
    let next = st
        .store
        .sign_letter(&s.user, Some(s.ip.clone()), &id, version, st.signer.as_ref(), &creds)
        .await?;
    Ok(next.label().to_string())
}

/// Signs several letters with one passphrase entry. `items` is "id:version" separated by commas.
#[server(prefix = "/api", endpoint = "sign_letters", output = crate::api::JsonReply)]
pub async fn sign_letters_batch(
    items: String,
    passphrase: String,
    tampilan: String,
    code: Option<String>,
) -> Result<Vec<BatchResult>, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let st = state();
    let mut list = Vec::new();
    for part in items.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, ver) = part
            .split_once(':')
            .ok_or_else(|| backend::BackendError::invalid("Daftar surat tidak valid."))?;
        let ver = ver
            .parse::<i64>()
            .map_err(|_| backend::BackendError::invalid("Daftar surat tidak valid."))?;
        list.push((id.to_string(), ver));
    }
    if list.is_empty() {
        return Err(backend::BackendError::invalid(
            "Pilih minimal satu surat untuk ditandatangani.",
        )
        .into());
    }
    if list.len() > 50 {
        return Err(backend::BackendError::invalid("Maksimal 50 surat sekali tanda tangan.").into());
    }
    st.store.check_signing_factor(&s.user, Some(s.ip.clone()), &s.token, code.as_deref()).await?;
    let creds = credentials(passphrase, &tampilan);
    let done = st
        .store
        .sign_letters(&s.user, Some(s.ip.clone()), &list, st.signer.as_ref(), &creds)
        .await?;
    Ok(done
        .into_iter()
        .map(|(id, r)| match r {
            Ok(state) => BatchResult { id, ok: true, message: state },
            Err(message) => BatchResult { id, ok: false, message },
        })
        .collect())
}

#[cfg(feature = "ssr")]
fn credentials(passphrase: String, tampilan: &str) -> backend::sign::SignCredentials {
    backend::sign::SignCredentials {
        passphrase: (!passphrase.is_empty()).then_some(passphrase),
        invisible: tampilan == "invisible",
    }
}

/// The Admin Pemda's second-factor rule: from which day it is required of admins and certificate
/// holders (`due`, YYYY-MM-DD), and after how many minutes signing asks for a code again.
#[server(prefix = "/api", endpoint = "set_second_factor_policy", output = crate::api::JsonReply)]
pub async fn set_second_factor_policy(
    due: String,
    recheck_minutes: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let minutes = recheck_minutes.trim().parse::<i64>().map_err(|_| {
        backend::BackendError::invalid("Batas pemeriksaan ulang harus berupa angka menit.")
    })?;
    Ok(state().store.set_second_factor_policy(&admin, &due, minutes).await?)
}
