//! Employees of an OPD: list, create, edit, deactivate, reset password, CSV import.

use super::EmployeePage;
use crate::error::AppError;
use domain::model::ImportReport;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_employees")]
pub async fn list_employees(
    opd_id: String,
    query: String,
    page: i64,
) -> Result<EmployeePage, AppError> {
    use crate::api::ctx::*;
    require_opd_admin(&opd_id).await?;
    let page = page.max(1);
    let (rows, total) = state()
        .store
        .list_employees(&opd_id, &query, (page - 1) * super::PER_PAGE, super::PER_PAGE)
        .await?;
    Ok(EmployeePage { rows, total, page, per_page: super::PER_PAGE })
}

/// Creates (empty id) or updates an employee. A new account gets a temporary password, returned once.
#[server(prefix = "/api", endpoint = "save_employee")]
pub async fn save_employee(
    opd_id: String,
    id: String,
    nip: String,
    name: String,
    email: String,
    phone: String,
    position_id: String,
) -> Result<Option<String>, AppError> {
    use crate::api::ctx::*;
    use backend::store::org::EmployeeInput;
    let (s, opd) = require_opd_admin(&opd_id).await?;
    let st = state();
    let input = EmployeeInput {
        nip,
        name,
        email,
        phone,
        position_id: (!position_id.is_empty()).then_some(position_id),
    };
    if id.is_empty() {
        let temp = backend::auth::temporary_password();
        let hash = backend::auth::hash_password(&temp).await?;
        st.store.create_employee(&s.actor(), &opd.pemda_id, &opd.id, &input, &hash).await?;
        Ok(Some(temp))
    } else {
        employee_in(&s, &opd.id, &id).await?;
        st.store.update_employee(&s.actor(), &opd.id, &id, &input).await?;
        Ok(None)
    }
}

#[server(prefix = "/api", endpoint = "set_employee_active")]
pub async fn set_employee_active(opd_id: String, id: String, active: bool) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let (s, _) = require_opd_admin(&opd_id).await?;
    if id == s.user.employee_id && !active {
        return Err(backend::BackendError::invalid(
            "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        )
        .into());
    }
    employee_in(&s, &opd_id, &id).await?;
    Ok(state().store.set_employee_active(&s.actor(), &opd_id, &id, active).await?)
}

/// The employee must be in this OPD, and an admin's account may only be changed by an Admin Pemda:
/// otherwise an Admin OPD could reset an Admin Pemda's password and take over the account.
#[cfg(feature = "ssr")]
async fn employee_in(s: &crate::api::ctx::Session, opd_id: &str, id: &str) -> Result<(), AppError> {
    use domain::roles::Role;
    let st = crate::api::ctx::state();
    let e = st.store.get_employee(id).await?;
    if e.opd_id != opd_id {
        return Err(backend::BackendError::not_found("Pegawai tidak ditemukan di OPD ini.").into());
    }
    let grants = st.store.grants_of(id).await?;
    let is_admin = grants.iter().any(|g| matches!(g.role, Role::AdminPemda | Role::AdminOpd));
    if is_admin && id != s.user.employee_id && !s.user.caps.is_admin_pemda() {
        return Err(backend::BackendError::Forbidden(
            "Akun admin hanya dapat diubah oleh Admin Pemda.".into(),
        )
        .into());
    }
    Ok(())
}

/// Resets a password to a temporary one (returned once); the person must change it at next login.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(opd_id: String, id: String) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let (s, _) = require_opd_admin(&opd_id).await?;
    employee_in(&s, &opd_id, &id).await?;
    Ok(backend::auth::admin_reset_password(&state().store, &s.actor(), &id).await?)
}

#[server(prefix = "/api", endpoint = "unlock_account")]
pub async fn unlock_account(opd_id: String, id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let (s, _) = require_opd_admin(&opd_id).await?;
    employee_in(&s, &opd_id, &id).await?;
    Ok(state().store.unlock_account(&s.actor(), &id).await?)
}

/// Checks (commit = false) or imports (commit = true) a CSV file sent as base64.
#[server(prefix = "/api", endpoint = "import_employees")]
pub async fn import_employees(
    opd_id: String,
    data_b64: String,
    commit: bool,
) -> Result<ImportReport, AppError> {
    use crate::api::ctx::*;
    use base64::Engine;
    let (s, _) = require_opd_admin(&opd_id).await?;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(data_b64.as_bytes()).map_err(|_| {
            backend::BackendError::invalid("Berkas tidak terbaca. Pilih ulang berkas CSV.")
        })?;
    let st = state();
    Ok(if commit {
        backend::import::commit(&st.store, &s.actor(), &opd_id, &bytes).await?
    } else {
        backend::import::preview(&st.store, &opd_id, &bytes).await?
    })
}
