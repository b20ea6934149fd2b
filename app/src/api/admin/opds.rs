//! OPDs and role grants (Admin Pemda; Admin OPD may appoint the TU of their own OPD).

use super::RoleHolder;
use crate::error::AppError;
use domain::model::OpdInput;
use domain::roles::Role;
use leptos::prelude::*;

/// Creates an OPD (`id` empty) or changes one. The form sends the fields as `opd[name]` and so on.
#[server(prefix = "/api", endpoint = "save_opd", output = crate::api::JsonReply)]
pub async fn save_opd(
    id: String,
    opd: OpdInput,
    active: Option<String>,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let st = state();
    if id.is_empty() {
        Ok(st.store.create_opd(&admin, &opd).await?)
    } else {
        st.store.update_opd(&admin, &id, &opd, active.is_some()).await?;
        Ok(id)
    }
}

#[server(prefix = "/api", endpoint = "role_holders", output = crate::api::JsonReply)]
pub async fn role_holders() -> Result<Vec<RoleHolder>, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let st = state();
    let caps = &s.user.caps;
    if !caps.is_admin_pemda() && caps.admin_opd_ids().is_empty() {
        return Err(backend::BackendError::forbidden().into());
    }
    let opds = st.store.list_opds(&s.user.pemda_id).await?;
    let name_of = |id: &str| {
        opds.iter()
            .find(|o| o.id == id)
            .map(|o| o.short_name.clone())
            .unwrap_or_else(|| s.user.pemda_name.clone())
    };
    Ok(st
        .store
        .list_role_holders(&s.user.pemda_id)
        .await?
        .into_iter()
        .filter(|(_, _, scope)| caps.is_admin_pemda() || caps.admin_opd_ids().contains(scope))
        .map(|(person, role, scope_id)| RoleHolder {
            person,
            role,
            scope_name: name_of(&scope_id),
            scope_id,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "grant_role", output = crate::api::JsonReply)]
pub async fn grant_role(nip: String, role: Role) -> Result<(), AppError> {
    use crate::api::ctx::*;
    use backend::BackendError;
    // Rights come before looking at the input: a caller without any admin role learns nothing.
    let admin = require_some_admin().await?;
    let user = &admin.caller().user;
    let st = state();
    let nip = domain::nip::Nip::parse(&nip, domain::time::wib_year(backend::now_ms()))
        .map_err(|e| BackendError::invalid(e.to_string()))?;
    let emp = st.store.find_employee_by_nip(nip.as_str()).await?.ok_or_else(|| {
        BackendError::invalid(format!("Pegawai dengan NIP {nip} tidak ditemukan."))
    })?;
    if emp.pemda_id != user.pemda_id {
        return Err(
            BackendError::invalid(format!("Pegawai dengan NIP {nip} tidak ditemukan.")).into()
        );
    }
    let scope = if matches!(role, Role::AdminPemda | Role::PimpinanDaerah) {
        user.pemda_id.clone()
    } else {
        emp.opd_id.clone()
    };
    Ok(st.store.grant_role(&admin, &emp.id, role, &scope).await?)
}

#[server(prefix = "/api", endpoint = "revoke_role", output = crate::api::JsonReply)]
pub async fn revoke_role(
    employee_id: String,
    role: Role,
    scope_id: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_some_admin().await?;
    Ok(state().store.revoke_role(&admin, &employee_id, role, &scope_id).await?)
}

/// The OPD's kop surat logo as a data URL for the preview, if one was uploaded.
#[server(prefix = "/api", endpoint = "opd_logo", output = crate::api::JsonReply)]
pub async fn get_opd_logo(opd_id: String) -> Result<Option<String>, AppError> {
    use crate::api::ctx::*;
    use base64::Engine;
    let admin = require_opd_admin(&opd_id).await?;
    let logo = state().store.opd_logo(&admin.opd().id).await?;
    Ok(logo.map(|b| {
        let ct = if b.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" };
        format!("data:{ct};base64,{}", base64::engine::general_purpose::STANDARD.encode(b))
    }))
}

/// Uploads the kop surat logo (base64 of a PNG or JPEG up to 512 KB); an empty value removes it.
#[server(prefix = "/api", endpoint = "set_opd_logo", output = crate::api::JsonReply)]
pub async fn set_opd_logo(opd_id: String, data: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    use base64::Engine;
    let admin = require_opd_admin(&opd_id).await?;
    let bytes = if data.is_empty() {
        None
    } else {
        Some(
            base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map_err(|_| backend::BackendError::invalid("Berkas logo tidak terbaca."))?,
        )
    };
    Ok(state().store.set_opd_logo(&admin, bytes.as_deref()).await?)
}
