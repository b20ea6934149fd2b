//! Employees of an OPD: list, create, edit, deactivate, reset password, CSV import.

use super::EmployeePage;
use crate::error::AppError;
use domain::model::ImportReport;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_employees", output = crate::api::JsonReply)]
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
#[server(prefix = "/api", endpoint = "save_employee", output = crate::api::JsonReply)]
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
    let admin = require_opd_admin(&opd_id).await?;
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
        st.store.create_employee(&admin, &input, &hash).await?;
        Ok(Some(temp))
    } else {
        st.store.update_employee(&admin, &id, &input).await?;
        Ok(None)
    }
}

#[server(prefix = "/api", endpoint = "set_employee_active", output = crate::api::JsonReply)]
pub async fn set_employee_active(opd_id: String, id: String, active: bool) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.set_employee_active(&admin, &id, active).await?)
}

/// Resets a password to a temporary one (returned once); the person must change it at next login.
#[server(prefix = "/api", endpoint = "reset_password", output = crate::api::JsonReply)]
pub async fn reset_password(opd_id: String, id: String) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(backend::auth::admin_reset_password(&state().store, &admin, &id).await?)
}

/// The Admin Pemda removes someone's second factor (lost phone and recovery codes).
#[server(prefix = "/api", endpoint = "reset_second_factor", output = crate::api::JsonReply)]
pub async fn reset_second_factor(id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.reset_second_factor(&admin, &id).await?)
}

#[server(prefix = "/api", endpoint = "unlock_account", output = crate::api::JsonReply)]
pub async fn unlock_account(opd_id: String, id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.unlock_account(&admin, &id).await?)
}

/// Checks (commit = false) or imports (commit = true) a CSV file sent as base64.
#[server(prefix = "/api", endpoint = "import_employees", output = crate::api::JsonReply)]
pub async fn import_employees(
    opd_id: String,
    data_b64: String,
    commit: bool,
) -> Result<ImportReport, AppError> {
    use crate::api::ctx::*;
    use base64::Engine;
    let admin = require_opd_admin(&opd_id).await?;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(data_b64.as_bytes()).map_err(|_| {
            backend::BackendError::invalid("Berkas tidak terbaca. Pilih ulang berkas CSV.")
        })?;
    let st = state();
    Ok(if commit {
        backend::import::commit(&st.store, &admin, &bytes).await?
    } else {
        backend::import::preview(&st.store, &admin, &bytes).await?
    })
}
