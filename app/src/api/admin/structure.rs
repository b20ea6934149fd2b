//! Units, positions and acting officials of an OPD.

use crate::error::AppError;
use domain::model::{Acting, Opd, Position, Unit};
use domain::org::{ActingKind, LeaderSlot, PositionLevel, UnitKind};
use leptos::prelude::*;

/// The OPD (with its head and Sekretaris positions), its units and its positions.
#[server(prefix = "/api", endpoint = "admin_structure", output = crate::api::JsonReply)]
pub async fn admin_structure(opd_id: String) -> Result<(Opd, Vec<Unit>, Vec<Position>), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let st = state();
    Ok((
        admin.opd().clone(),
        st.store.list_units(&opd_id).await?,
        st.store.list_positions(&opd_id).await?,
    ))
}

/// Makes a position the OPD's head or Sekretaris: the Admin Pemda only, audited.
#[server(prefix = "/api", endpoint = "set_opd_leader", output = crate::api::JsonReply)]
pub async fn set_opd_leader(
    opd_id: String,
    slot: LeaderSlot,
    position_id: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.set_opd_leader(&admin, &opd_id, slot, &position_id).await?)
}

#[server(prefix = "/api", endpoint = "save_unit", output = crate::api::JsonReply)]
pub async fn save_unit(
    opd_id: String,
    id: String,
    parent_id: String,
    name: String,
    kind: UnitKind,
    code: String,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let id = (!id.is_empty()).then_some(id);
    let parent = (!parent_id.is_empty()).then_some(parent_id);
    Ok(state()
        .store
        .save_unit(
            &admin,
            &backend::store::org::UnitInput {
                id: id.as_deref(),
                parent_id: parent.as_deref(),
                name: &name,
                kind,
                code: &code,
            },
        )
        .await?)
}

#[server(prefix = "/api", endpoint = "delete_unit", output = crate::api::JsonReply)]
pub async fn delete_unit(opd_id: String, id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.delete_unit(&admin, &id).await?)
}

#[server(prefix = "/api", endpoint = "save_position", output = crate::api::JsonReply)]
pub async fn save_position(
    opd_id: String,
    id: String,
    unit_id: String,
    title: String,
    level: PositionLevel,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let id = (!id.is_empty()).then_some(id);
    Ok(state().store.save_position(&admin, id.as_deref(), &unit_id, &title, level).await?)
}

#[server(prefix = "/api", endpoint = "delete_position", output = crate::api::JsonReply)]
pub async fn delete_position(opd_id: String, id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.delete_position(&admin, &id).await?)
}

#[server(prefix = "/api", endpoint = "list_acting", output = crate::api::JsonReply)]
pub async fn list_acting(opd_id: String) -> Result<Vec<Acting>, AppError> {
    use crate::api::ctx::*;
    require_opd_admin(&opd_id).await?;
    Ok(state().store.list_acting(&opd_id, backend::today_wib()).await?)
}

/// Appoints a Plt/Plh; dates come from date inputs as YYYY-MM-DD.
#[server(prefix = "/api", endpoint = "create_acting", output = crate::api::JsonReply)]
pub async fn create_acting(
    opd_id: String,
    position_id: String,
    nip: String,
    kind: ActingKind,
    start: String,
    end: String,
    note: String,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    use backend::BackendError;
    let admin = require_opd_admin(&opd_id).await?;
    let st = state();
    let start_day = domain::time::parse_iso_date(&start)
        .ok_or_else(|| BackendError::invalid("Tanggal mulai tidak valid."))?;
    let end_day = domain::time::parse_iso_date(&end)
        .ok_or_else(|| BackendError::invalid("Tanggal selesai tidak valid."))?;
    let nip = domain::nip::Nip::parse(&nip, domain::time::wib_year(backend::now_ms()))
        .map_err(|e| BackendError::invalid(e.to_string()))?;
    let emp = st.store.find_employee_by_nip(nip.as_str()).await?.ok_or_else(|| {
        BackendError::invalid(format!("Pegawai dengan NIP {nip} tidak ditemukan."))
    })?;
    if position_id.is_empty() {
        return Err(BackendError::invalid("Pilih jabatan yang dilaksanakan.").into());
    }
    // The store refuses self-appointment and an acting head appointed by anyone but the Admin
    // Pemda (domain::roles::check_acting_appointment).
    Ok(st
        .store
        .create_acting(
            &admin,
            &backend::store::org::ActingInput {
                position_id: &position_id,
                employee_id: &emp.id,
                kind,
                start_day,
                end_day,
                note: &note,
            },
        )
        .await?)
}

#[server(prefix = "/api", endpoint = "end_acting", output = crate::api::JsonReply)]
pub async fn end_acting(opd_id: String, id: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.end_acting(&admin, &id).await?)
}
