//! Organisation: Pemda, OPD, units, positions, employees, acting officials.

use super::sql::Filter;
use super::{Actor, CodeCols, Store, WriteTx};
use crate::rights::{OpdAdmin, PemdaAdmin};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::account::{required_text, valid_email, valid_phone};
use domain::model::*;
use domain::nip::Nip;
use domain::org::{
    ActingKind, LeaderSlot, PositionLevel, PositionNode, UnitKind, UnitNode, check_acting_period,
    creates_cycle, derive_superiors,
};
use domain::roles::Role;
use domain::roles::{RightsError, check_account_change, check_acting_appointment};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

fn flag(r: &AnyRow, col: &str) -> Result<bool> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

pub(crate) fn opd_from(r: &AnyRow) -> Result<Opd> {
    Ok(Opd {
        id: r.try_get("id")?,
        pemda_id: r.try_get("pemda_id")?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        code: r.try_get("code")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        website: r.try_get("website")?,
        active: flag(r, "active")?,
        head_position_id: r.try_get("head_position_id")?,
        secretary_position_id: r.try_get("secretary_position_id")?,
    })
}

fn unit_from(r: &AnyRow) -> Result<Unit> {
    Ok(Unit {
        id: r.try_get("id")?,
        opd_id: r.try_get("opd_id")?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        kind: r.code("kind")?,
        code: r.try_get("code")?,
        sort_order: r.try_get("sort_order")?,
    })
}

fn position_from(r: &AnyRow) -> Result<Position> {
    Ok(Position {
        id: r.try_get("id")?,
        opd_id: r.try_get("opd_id")?,
        unit_id: r.try_get("unit_id")?,
        title: r.try_get("title")?,
        level: r.level("level")?,
    })
}

pub(crate) fn employee_from(r: &AnyRow) -> Result<Employee> {
    Ok(Employee {
        id: r.try_get("id")?,
        pemda_id: r.try_get("pemda_id")?,
        opd_id: r.try_get("opd_id")?,
        nip: r.try_get("nip")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        position_id: r.try_get("position_id")?,
        active: flag(r, "active")?,
    })
}

const OPD_COLS: &str = "id, pemda_id, name, short_name, code, address, phone, email, website, active, \
     head_position_id, secretary_position_id";
const EMP_COLS: &str = "id, pemda_id, opd_id, nip, name, email, phone, position_id, active";
const UNIT_COLS: &str = "id, opd_id, parent_id, name, kind, code, sort_order";
const POS_COLS: &str = "id, opd_id, unit_id, title, level";

/// Input for creating or editing an employee (the admin form).
#[derive(Clone, Debug, Default)]
pub struct EmployeeInput {
    pub nip: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub position_id: Option<String>,
}

pub use domain::model::OpdInput;

pub(crate) fn current_year() -> u32 {
    domain::time::wib_year(now_ms())
}

/// Validated, normalised employee fields.
pub(crate) struct CleanEmployee {
    pub nip: Nip,
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
}

pub(crate) fn clean_employee(input: &EmployeeInput) -> Result<CleanEmployee> {
    let nip =
        Nip::parse(&input.nip, current_year()).map_err(|e| BackendError::invalid(e.to_string()))?;
    let name = required_text(&input.name, 200)
        .ok_or_else(|| BackendError::invalid("Nama wajib diisi (maksimal 200 karakter)."))?;
    let email = match input.email.trim() {
        "" => None,
        e if valid_email(e) => Some(e.to_lowercase()),
        _ => return Err(BackendError::invalid("Alamat email tidak valid.")),
    };
    let phone = input.phone.trim().to_string();
    if !phone.is_empty() && !valid_phone(&phone) {
        return Err(BackendError::invalid("Nomor telepon tidak valid (8-15 digit)."));
    }
    Ok(CleanEmployee { nip, name, email, phone })
}

/// A unit as the structure form gives it: `id` None to create one; `kind` by its code.
#[derive(Clone, Copy)]
pub struct UnitInput<'a> {
    pub id: Option<&'a str>,
    pub parent_id: Option<&'a str>,
    pub name: &'a str,
    pub kind: UnitKind,
    pub code: &'a str,
}

/// A new unit of an OPD, under `parent_id` (None only for the OPD's root unit).
pub(crate) struct NewUnit<'a> {
    pub opd_id: &'a str,
    pub id: &'a str,
    pub parent_id: Option<&'a str>,
    pub name: &'a str,
    pub kind: UnitKind,
    pub code: &'a str,
    pub sort: i64,
}

fn slot_column(slot: LeaderSlot) -> &'static str {
    match slot {
        LeaderSlot::Head => "head_position_id",
        LeaderSlot::Secretary => "secretary_position_id",
    }
}

fn slot_audit(slot: LeaderSlot) -> &'static str {
    match slot {
        LeaderSlot::Head => "opd.set_head",
        LeaderSlot::Secretary => "opd.set_secretary",
    }
}

/// The OPD's head and Sekretaris positions, as stored.
pub(crate) async fn opd_leaders(
    tx: &mut WriteTx,
    opd_id: &str,
) -> Result<(Option<String>, Option<String>)> {
    let r = sqlx::query("SELECT head_position_id, secretary_position_id FROM opd WHERE id = $1")
        .bind(opd_id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| BackendError::not_found("OPD tidak ditemukan."))?;
    Ok((r.try_get("head_position_id")?, r.try_get("secretary_position_id")?))
}

/// Notifies the OPD's head (holder and acting officials) and every Admin Pemda of its Pemda, except
/// the person the notice is about.
async fn notify_leaders(
    tx: &mut WriteTx,
    opd_id: &str,
    about_employee_id: &str,
    text: &str,
) -> Result<()> {
    let rows = sqlx::query(
        "SELECT e.id FROM opd o JOIN employee e ON e.position_id = o.head_position_id AND e.active = 1 WHERE o.id = $1 \
         UNION SELECT a.employee_id FROM opd o JOIN acting a ON a.position_id = o.head_position_id AND a.ended = 0 WHERE o.id = $1 \
         UNION SELECT g.employee_id FROM opd o JOIN role_grant g ON g.role = 'admin_pemda' AND g.scope_id = o.pemda_id WHERE o.id = $1",
    )
    .bind(opd_id)
    .fetch_all(tx.conn())
    .await?;
    let mut to = Vec::new();
    for r in rows {
        let id: String = r.try_get("id")?;
        if id != about_employee_id {
            to.push(id);
        }
    }
    let link = format!("/admin/opd/{opd_id}");
    super::notifications::notify_tx(tx, &to, "leader_move", text, Some(&link)).await
}

/// Whether the employee holds the position, or acts in it (Plt/Plh not ended).
async fn holds_position(tx: &mut WriteTx, employee_id: &str, position_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM employee WHERE id = $1 AND position_id = $2) \
         + (SELECT COUNT(*) FROM acting WHERE employee_id = $1 AND position_id = $2 AND ended = 0) AS n",
    )
    .bind(employee_id)
    .bind(position_id)
    .fetch_one(tx.conn())
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// A position to create (`id` None) or to change, in a unit of an OPD.
pub(crate) struct PositionSpec<'a> {
    pub opd_id: &'a str,
    pub id: Option<&'a str>,
    pub unit_id: &'a str,
    pub title: &'a str,
    pub level: PositionLevel,
}

/// A new employee's account: the checked employee data, where they sit, and their first password.
pub(crate) struct NewAccount<'a> {
    pub pemda_id: &'a str,
    pub opd_id: &'a str,
    pub employee: &'a CleanEmployee,
    pub position_id: Option<&'a str>,
    pub password_hash: &'a str,
    /// The password is a temporary one that must be changed at first login.
    pub must_change: bool,
}

/// An acting official (Plt or Plh, by `kind` code) for a position over a period of days.
#[derive(Clone, Copy)]
pub struct ActingInput<'a> {
    pub position_id: &'a str,
    pub employee_id: &'a str,
    pub kind: ActingKind,
    pub start_day: i64,
    pub end_day: i64,
    pub note: &'a str,
}

impl Store {
    // ---------- Pemda and OPD ----------

    pub async fn get_pemda(&self, id: &str) -> Result<Pemda> {
        let r = sqlx::query(
            "SELECT id, name, short_name, code, number_format FROM pemda WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Pemda tidak ditemukan."))?;
        Ok(Pemda {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            short_name: r.try_get("short_name")?,
            code: r.try_get("code")?,
            number_format: r.try_get("number_format")?,
        })
    }

    pub async fn count_pemda(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM pemda")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    pub(crate) async fn create_pemda(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        name: &str,
        short_name: &str,
        code: &str,
    ) -> Result<String> {
        let id = new_id();
        let now = now_ms();
        sqlx::query("INSERT INTO pemda (id, name, short_name, code, number_format, created_ms, second_factor_due_ms, second_factor_recheck_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(name)
            .bind(short_name)
            .bind(code)
            .bind("{klasifikasi}/{urut}/{kode_unit}/{tahun}")
            .bind(now)
            .bind(now + domain::second_factor::GRACE_MS)
            .bind(domain::second_factor::DEFAULT_RECHECK_MINUTES)
            .execute(tx.conn())
            .await?;
        for (code, kname) in crate::seed::KLASIFIKASI {
            sqlx::query("INSERT INTO klasifikasi (pemda_id, code, name) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(code)
                .bind(kname)
                .execute(tx.conn())
                .await?;
        }
        tx.audit(actor, "pemda.create", "pemda", Some(&id), json!({ "name": name })).await?;
        Ok(id)
    }

    pub async fn list_opds(&self, pemda_id: &str) -> Result<Vec<Opd>> {
        let rows =
            sqlx::query(&format!("SELECT {OPD_COLS} FROM opd WHERE pemda_id = $1 ORDER BY name"))
                .bind(pemda_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(opd_from).collect()
    }

    pub async fn get_opd(&self, id: &str) -> Result<Opd> {
        let r = sqlx::query(&format!("SELECT {OPD_COLS} FROM opd WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("OPD tidak ditemukan."))?;
        opd_from(&r)
    }

    pub fn clean_opd(input: &OpdInput) -> Result<OpdInput> {
        let name = required_text(&input.name, 200)
            .ok_or_else(|| BackendError::invalid("Nama OPD wajib diisi."))?;
        let short_name = required_text(&input.short_name, 60)
            .ok_or_else(|| BackendError::invalid("Singkatan OPD wajib diisi."))?;
        let code = required_text(&input.code, 40).ok_or_else(|| {
            BackendError::invalid("Kode unit OPD wajib diisi (dipakai pada nomor surat).")
        })?;
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
            return Err(BackendError::invalid(
                "Kode unit hanya boleh berisi huruf, angka, titik dan tanda hubung.",
            ));
        }
        let email = input.email.trim().to_lowercase();
        if !email.is_empty() && !valid_email(&email) {
            return Err(BackendError::invalid("Alamat email OPD tidak valid."));
        }
        let phone = input.phone.trim().to_string();
        if !phone.is_empty() && !valid_phone(&phone) {
            return Err(BackendError::invalid("Nomor telepon OPD tidak valid."));
        }
        Ok(OpdInput {
            name,
            short_name,
            code,
            address: input.address.trim().chars().take(500).collect(),
            phone,
            email,
            website: input.website.trim().chars().take(200).collect(),
        })
    }

    pub async fn create_opd(&self, admin: &PemdaAdmin, input: &OpdInput) -> Result<String> {
        let (actor, pemda_id) = (&admin.actor(), admin.pemda_id());
        let o = Self::clean_opd(input)?;
        let mut tx = self.begin_write().await?;
        let id = self.create_opd_tx(&mut tx, actor, pemda_id, &o).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn create_opd_tx(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        pemda_id: &str,
        o: &OpdInput,
    ) -> Result<String> {
        let dup = sqlx::query("SELECT id FROM opd WHERE pemda_id = $1 AND LOWER(name) = LOWER($2)")
            .bind(pemda_id)
            .bind(&o.name)
            .fetch_optional(tx.conn())
            .await?;
        if dup.is_some() {
            return Err(BackendError::Conflict(format!("OPD bernama \"{}\" sudah ada.", o.name)));
        }
        let id = new_id();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO opd (id, pemda_id, name, short_name, code, address, phone, email, website, active, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)",
        )
        .bind(&id)
        .bind(pemda_id)
        .bind(&o.name)
        .bind(&o.short_name)
        .bind(&o.code)
        .bind(&o.address)
        .bind(&o.phone)
        .bind(&o.email)
        .bind(&o.website)
        .bind(now)
        .execute(tx.conn())
        .await?;
        // Every OPD starts with its root unit, where the head's position sits.
        let root = new_id();
        sqlx::query("INSERT INTO unit (id, opd_id, parent_id, name, kind, code, sort_order, created_ms) VALUES ($1, $2, NULL, $3, 'opd', $4, 0, $5)")
            .bind(&root)
            .bind(&id)
            .bind(format!("Pimpinan {}", o.short_name))
            .bind(&o.code)
            .bind(now)
            .execute(tx.conn())
            .await?;
        tx.audit(actor, "opd.create", "opd", Some(&id), json!({ "name": o.name, "code": o.code }))
            .await?;
        Ok(id)
    }

    /// Changes an OPD of the Admin Pemda's own Pemda.
    pub async fn update_opd(
        &self,
        admin: &PemdaAdmin,
        id: &str,
        input: &OpdInput,
        active: bool,
    ) -> Result<()> {
        let actor = &admin.actor();
        if self.get_opd(id).await?.pemda_id != admin.pemda_id() {
            return Err(BackendError::forbidden());
        }
        if !active && admin.caller().user.opd_id == id {
            return Err(BackendError::Forbidden(
                "Anda tidak dapat menonaktifkan OPD Anda sendiri.".into(),
            ));
        }
        let o = Self::clean_opd(input)?;
        let mut tx = self.begin_write().await?;
        if !active {
            // The people of a deactivated OPD are signed out now and cannot sign in (auth::login).
            sqlx::query(
                "DELETE FROM session WHERE employee_id IN (SELECT id FROM employee WHERE opd_id = $1)",
            )
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        let n = sqlx::query(
            "UPDATE opd SET name = $1, short_name = $2, code = $3, address = $4, phone = $5, email = $6, website = $7, active = $8 WHERE id = $9",
        )
        .bind(&o.name)
        .bind(&o.short_name)
        .bind(&o.code)
        .bind(&o.address)
        .bind(&o.phone)
        .bind(&o.email)
        .bind(&o.website)
        .bind(active as i64)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("OPD tidak ditemukan."));
        }
        tx.audit(
            actor,
            "opd.update",
            "opd",
            Some(id),
            json!({ "name": o.name, "code": o.code, "active": active }),
        )
        .await?;
        tx.commit().await
    }

    // ---------- Units ----------

    pub async fn list_units(&self, opd_id: &str) -> Result<Vec<Unit>> {
        let rows = sqlx::query(&format!(
            "SELECT {UNIT_COLS} FROM unit WHERE opd_id = $1 ORDER BY sort_order, name"
        ))
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(unit_from).collect()
    }

    pub async fn get_unit(&self, id: &str) -> Result<Unit> {
        let r = sqlx::query(&format!("SELECT {UNIT_COLS} FROM unit WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Unit kerja tidak ditemukan."))?;
        unit_from(&r)
    }

    /// Creates (id None) or updates a unit. The parent must be in the same OPD and must not create a cycle.
    pub async fn save_unit(&self, admin: &OpdAdmin, unit: &UnitInput<'_>) -> Result<String> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let UnitInput { id, parent_id, name, kind, code } = *unit;
        let name = required_text(name, 200).ok_or_else(|| {
            BackendError::invalid("Nama unit wajib diisi (maksimal 200 karakter).")
        })?;
        let code: String = code.trim().chars().take(40).collect();
        let units = self.list_units(opd_id).await?;
        let nodes: Vec<UnitNode> = units
            .iter()
            .map(|u| UnitNode { id: u.id.clone(), parent_id: u.parent_id.clone() })
            .collect();
        match parent_id {
            Some(p) if !units.iter().any(|u| u.id == p) => {
                return Err(BackendError::invalid("Unit induk tidak ditemukan di OPD ini."));
            }
            Some(p) if id.is_some_and(|me| creates_cycle(&nodes, me, p)) => {
                return Err(BackendError::invalid(
                    "Unit induk tidak boleh unit itu sendiri atau unit di bawahnya.",
                ));
            }
            None if kind != UnitKind::Opd => {
                return Err(BackendError::invalid("Pilih unit induk."));
            }
            None if units.iter().any(|u| u.parent_id.is_none() && Some(u.id.as_str()) != id) => {
                return Err(BackendError::invalid(
                    "OPD sudah memiliki unit pimpinan; unit lain harus memiliki unit induk.",
                ));
            }
            _ => {}
        }
        if units.iter().any(|u| u.name.eq_ignore_ascii_case(&name) && Some(u.id.as_str()) != id) {
            return Err(BackendError::Conflict(format!(
                "Unit bernama \"{name}\" sudah ada di OPD ini."
            )));
        }
        let mut tx = self.begin_write().await?;
        let uid = match id {
            Some(id) => {
                if !units.iter().any(|u| u.id == id) {
                    return Err(BackendError::not_found("Unit kerja tidak ditemukan."));
                }
                sqlx::query("UPDATE unit SET parent_id = $1, name = $2, kind = $3, code = $4 WHERE id = $5 AND opd_id = $6")
                    .bind(parent_id)
                    .bind(&name)
                    .bind(kind.code())
                    .bind(&code)
                    .bind(id)
                    .bind(opd_id)
                    .execute(tx.conn())
                    .await?;
                tx.audit(
                    actor,
                    "unit.update",
                    "unit",
                    Some(id),
                    json!({ "name": name, "parent_id": parent_id, "kind": kind.code() }),
                )
                .await?;
                id.to_string()
            }
            None => {
                let id = new_id();
                self.insert_unit(
                    &mut tx,
                    actor,
                    NewUnit {
                        opd_id,
                        id: &id,
                        parent_id,
                        name: &name,
                        kind,
                        code: &code,
                        sort: units.len() as i64,
                    },
                )
                .await?;
                id
            }
        };
        tx.commit().await?;
        Ok(uid)
    }

    pub(crate) async fn insert_unit(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        unit: NewUnit<'_>,
    ) -> Result<()> {
        let NewUnit { opd_id, id, parent_id, name, kind, code, sort } = unit;
        sqlx::query("INSERT INTO unit (id, opd_id, parent_id, name, kind, code, sort_order, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id)
            .bind(opd_id)
            .bind(parent_id)
            .bind(name)
            .bind(kind.code())
            .bind(code)
            .bind(sort)
            .bind(now_ms())
            .execute(tx.conn())
            .await?;
        tx.audit(
            actor,
            "unit.create",
            "unit",
            Some(id),
            json!({ "name": name, "parent_id": parent_id, "kind": kind.code() }),
        )
        .await
    }

    pub async fn delete_unit(&self, admin: &OpdAdmin, id: &str) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let mut tx = self.begin_write().await?;
        let children: i64 = sqlx::query("SELECT COUNT(*) AS n FROM unit WHERE parent_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        let positions: i64 = sqlx::query("SELECT COUNT(*) AS n FROM position WHERE unit_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        if children > 0 || positions > 0 {
            return Err(BackendError::Conflict(
                "Unit masih memiliki sub-unit atau jabatan; pindahkan atau hapus dahulu.".into(),
            ));
        }
        let n =
            sqlx::query("DELETE FROM unit WHERE id = $1 AND opd_id = $2 AND parent_id IS NOT NULL")
                .bind(id)
                .bind(opd_id)
                .execute(tx.conn())
                .await?
                .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found(
                "Unit tidak ditemukan atau unit pimpinan tidak dapat dihapus.",
            ));
        }
        tx.audit(actor, "unit.delete", "unit", Some(id), json!({})).await?;
        tx.commit().await
    }

    // ---------- Positions ----------

    pub async fn list_positions(&self, opd_id: &str) -> Result<Vec<Position>> {
        let rows = sqlx::query(&format!(
            "SELECT {POS_COLS} FROM position WHERE opd_id = $1 ORDER BY level, title"
        ))
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(position_from).collect()
    }

    pub async fn get_position(&self, id: &str) -> Result<Position> {
        let r = sqlx::query(&format!("SELECT {POS_COLS} FROM position WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Jabatan tidak ditemukan."))?;
        position_from(&r)
    }

    /// Creates (id None) or updates a position. A unit has at most one head position.
    pub async fn save_position(
        &self,
        admin: &OpdAdmin,
        id: Option<&str>,
        unit_id: &str,
        title: &str,
        level: PositionLevel,
    ) -> Result<String> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let title = required_text(title, 200).ok_or_else(|| {
            BackendError::invalid("Nama jabatan wajib diisi (maksimal 200 karakter).")
        })?;
        let unit = self.get_unit(unit_id).await?;
        if unit.opd_id != opd_id {
            return Err(BackendError::invalid("Unit kerja tidak ada di OPD ini."));
        }
        let mut tx = self.begin_write().await?;
        let pid = self
            .upsert_position_tx(
                &mut tx,
                actor,
                PositionSpec { opd_id, id, unit_id, title: &title, level },
            )
            .await?;
        tx.commit().await?;
        Ok(pid)
    }

    pub(crate) async fn upsert_position_tx(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        position: PositionSpec<'_>,
    ) -> Result<String> {
        let PositionSpec { opd_id, id, unit_id, title, level } = position;
        if let Some(id) = id {
            self.check_position_change(tx, actor, opd_id, id, unit_id, level).await?;
        }
        if level.is_head() {
            let other_head = sqlx::query(
                "SELECT title FROM position WHERE unit_id = $1 AND level < 5 AND id <> $2",
            )
            .bind(unit_id)
            .bind(id.unwrap_or(""))
            .fetch_optional(tx.conn())
            .await?;
            if let Some(r) = other_head {
                let t: String = r.try_get("title")?;
                return Err(BackendError::Conflict(format!(
                    "Unit ini sudah memiliki jabatan pimpinan \"{t}\"; satu unit hanya satu pimpinan."
                )));
            }
        }
        let dup = sqlx::query(
            "SELECT id FROM position WHERE unit_id = $1 AND LOWER(title) = LOWER($2) AND id <> $3",
        )
        .bind(unit_id)
        .bind(title)
        .bind(id.unwrap_or(""))
        .fetch_optional(tx.conn())
        .await?;
        if dup.is_some() {
            return Err(BackendError::Conflict(format!(
                "Jabatan \"{title}\" sudah ada di unit ini."
            )));
        }
        match id {
            Some(id) => {
                let n = sqlx::query("UPDATE position SET unit_id = $1, title = $2, level = $3 WHERE id = $4 AND opd_id = $5")
                    .bind(unit_id)
                    .bind(title)
                    .bind(level.code())
                    .bind(id)
                    .bind(opd_id)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(BackendError::not_found("Jabatan tidak ditemukan."));
                }
                tx.audit(
                    actor,
                    "position.update",
                    "position",
                    Some(id),
                    json!({ "title": title, "unit_id": unit_id, "level": level.code() }),
                )
                .await?;
                self.claim_vacant_leader_slot(tx, actor, opd_id, id, level).await?;
                Ok(id.to_string())
            }
            None => {
                let id = new_id();
                sqlx::query("INSERT INTO position (id, opd_id, unit_id, title, level, created_ms) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&id)
                    .bind(opd_id)
                    .bind(unit_id)
                    .bind(title)
                    .bind(level.code())
                    .bind(now_ms())
                    .execute(tx.conn())
                    .await?;
                tx.audit(
                    actor,
                    "position.create",
                    "position",
                    Some(&id),
                    json!({ "title": title, "unit_id": unit_id, "level": level.code() }),
                )
                .await?;
                self.claim_vacant_leader_slot(tx, actor, opd_id, &id, level).await?;
                Ok(id)
            }
        }
    }

    /// Refuses a change of a position's level or unit that would promote the caller (a position
    /// they hold or act in) or demote the OPD's head or Sekretaris position (changed only by the
    /// Admin Pemda through `set_opd_leader`).
    async fn check_position_change(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        opd_id: &str,
        id: &str,
        unit_id: &str,
        level: PositionLevel,
    ) -> Result<()> {
        let Some(cur) =
            sqlx::query("SELECT unit_id, level FROM position WHERE id = $1 AND opd_id = $2")
                .bind(id)
                .bind(opd_id)
                .fetch_optional(tx.conn())
                .await?
        else {
            return Err(BackendError::not_found("Jabatan tidak ditemukan."));
        };
        let (cur_unit, cur_level): (String, PositionLevel) =
            (cur.try_get("unit_id")?, cur.level("level")?);
        if cur_unit == unit_id && cur_level == level {
            return Ok(());
        }
        if let Some(me) = &actor.employee_id
            && holds_position(tx, me, id).await?
        {
            return Err(RightsError::OwnPosition.into());
        }
        if cur_level != level {
            let (head, secretary) = opd_leaders(tx, opd_id).await?;
            if head.as_deref() == Some(id) || secretary.as_deref() == Some(id) {
                return Err(RightsError::LeaderSlotByPemdaOnly.into());
            }
        }
        Ok(())
    }

    /// The first head (level 1) or Sekretaris (level 2) position of an OPD fills the empty slot;
    /// an occupied slot changes only through `set_opd_leader`.
    async fn claim_vacant_leader_slot(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        opd_id: &str,
        position_id: &str,
        level: PositionLevel,
    ) -> Result<()> {
        let Some(slot) = LeaderSlot::for_level(level) else {
            return Ok(());
        };
        let column = slot_column(slot);
        let n = sqlx::query(&format!(
            "UPDATE opd SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
        ))
        .bind(position_id)
        .bind(opd_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n > 0 {
            tx.audit(
                actor,
                slot_audit(slot),
                "opd",
                Some(opd_id),
                json!({ "position_id": position_id, "previous": null, "first": true }),
            )
            .await?;
        }
        Ok(())
    }

    /// Makes `position_id` the head (Kepala OPD) or the Sekretaris of its OPD: the Admin Pemda's
    /// explicit, audited action. The position must be of the matching level (1 or 2).
    pub async fn set_opd_leader(
        &self,
        admin: &PemdaAdmin,
        opd_id: &str,
        slot: LeaderSlot,
        position_id: &str,
    ) -> Result<()> {
        let opd = self.get_opd(opd_id).await?;
        if opd.pemda_id != admin.pemda_id() {
            return Err(BackendError::not_found("OPD tidak ditemukan."));
        }
        let pos = self.get_position(position_id).await?;
        if pos.opd_id != opd.id {
            return Err(BackendError::invalid("Jabatan tidak ada di OPD ini."));
        }
        if LeaderSlot::for_level(pos.level) != Some(slot) {
            return Err(BackendError::invalid(match slot {
                LeaderSlot::Head => "Kepala OPD harus jabatan tingkat Kepala OPD.",
                LeaderSlot::Secretary => "Sekretaris OPD harus jabatan tingkat Sekretaris.",
            }));
        }
        let column = slot_column(slot);
        let mut tx = self.begin_write().await?;
        let previous: Option<String> =
            sqlx::query(&format!("SELECT {column} AS p FROM opd WHERE id = $1"))
                .bind(opd_id)
                .fetch_one(tx.conn())
                .await?
                .try_get("p")?;
        if previous.as_deref() == Some(position_id) {
            return Ok(());
        }
        sqlx::query(&format!("UPDATE opd SET {column} = $1 WHERE id = $2"))
            .bind(position_id)
            .bind(opd_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            &admin.actor(),
            slot_audit(slot),
            "opd",
            Some(opd_id),
            json!({ "position_id": position_id, "previous": previous }),
        )
        .await?;
        tx.commit().await
    }

    pub async fn delete_position(&self, admin: &OpdAdmin, id: &str) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let mut tx = self.begin_write().await?;
        let (head, secretary) = opd_leaders(&mut tx, opd_id).await?;
        if head.as_deref() == Some(id) || secretary.as_deref() == Some(id) {
            return Err(RightsError::LeaderSlotByPemdaOnly.into());
        }
        let holders: i64 = sqlx::query("SELECT COUNT(*) AS n FROM employee WHERE position_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        let acting: i64 = sqlx::query("SELECT COUNT(*) AS n FROM acting WHERE position_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        if holders > 0 || acting > 0 {
            return Err(BackendError::Conflict(
                "Jabatan masih diisi pegawai atau punya riwayat Plt/Plh; kosongkan dahulu.".into(),
            ));
        }
        // A removed position no longer receives the OPD's new mail: the head does again.
        sqlx::query("UPDATE opd SET incoming_disposer_position_id = NULL WHERE incoming_disposer_position_id = $1").bind(id).execute(tx.conn()).await?;
        let n = sqlx::query("DELETE FROM position WHERE id = $1 AND opd_id = $2")
            .bind(id)
            .bind(opd_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Jabatan tidak ditemukan."));
        }
        tx.audit(actor, "position.delete", "position", Some(id), json!({})).await?;
        tx.commit().await
    }

    /// Direct superior position of every position of an OPD, derived from the unit tree.
    pub async fn superiors(&self, opd_id: &str) -> Result<HashMap<String, Option<String>>> {
        let units = self.list_units(opd_id).await?;
        let positions = self.list_positions(opd_id).await?;
        Ok(derive_superiors(
            &units
                .iter()
                .map(|u| UnitNode { id: u.id.clone(), parent_id: u.parent_id.clone() })
                .collect::<Vec<_>>(),
            &positions
                .iter()
                .map(|p| PositionNode {
                    id: p.id.clone(),
                    unit_id: p.unit_id.clone(),
                    level: p.level,
                })
                .collect::<Vec<_>>(),
        ))
    }

    // ---------- Employees ----------

    pub async fn get_employee(&self, id: &str) -> Result<Employee> {
        let r = sqlx::query(&format!("SELECT {EMP_COLS} FROM employee WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Pegawai tidak ditemukan."))?;
        employee_from(&r)
    }

    pub async fn find_employee_by_nip(&self, nip: &str) -> Result<Option<Employee>> {
        let r = sqlx::query(&format!("SELECT {EMP_COLS} FROM employee WHERE nip = $1"))
            .bind(nip)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(employee_from).transpose()
    }

    pub async fn find_employee_by_email(&self, email: &str) -> Result<Option<Employee>> {
        let r = sqlx::query(&format!("SELECT {EMP_COLS} FROM employee WHERE email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(employee_from).transpose()
    }

    pub async fn holders_of(&self, position_id: &str) -> Result<Vec<PersonBrief>> {
        let rows = sqlx::query("SELECT id, nip, name FROM employee WHERE position_id = $1 AND active = 1 ORDER BY name")
            .bind(position_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonBrief {
                    id: r.try_get("id")?,
                    nip: r.try_get("nip")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Employees of an OPD for the admin list, filtered by name/NIP, paged.
    pub async fn list_employees(
        &self,
        opd_id: &str,
        query: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<EmployeeRow>, i64)> {
        let mut f = Filter::new();
        let opd = f.arg(opd_id);
        f.cond(format!("e.opd_id = {opd}"));
        f.search(query, &["LOWER(e.name)", "e.nip"]);
        let where_ = f.where_sql();
        let count_sql = format!("SELECT COUNT(*) AS n FROM employee e WHERE {where_}");
        let total: i64 =
            f.bind(sqlx::query(&count_sql)).fetch_one(&self.pool).await?.try_get("n")?;
        let list_sql = format!(
            "SELECT e.id, e.pemda_id, e.opd_id, e.nip, e.name, e.email, e.phone, e.position_id, e.active, \
                    p.title AS position_title, u.name AS unit_name, a.locked_until_ms \
             FROM employee e LEFT JOIN position p ON p.id = e.position_id LEFT JOIN unit u ON u.id = p.unit_id \
             LEFT JOIN account a ON a.employee_id = e.id \
             WHERE {where_} ORDER BY COALESCE(p.level, 9), e.name LIMIT {} OFFSET {}",
            limit.max(0),
            offset.max(0)
        );
        let rows = f.bind(sqlx::query(&list_sql)).fetch_all(&self.pool).await?;
        let grants = sqlx::query("SELECT g.employee_id, g.role FROM role_grant g JOIN employee e ON e.id = g.employee_id WHERE e.opd_id = $1")
            .bind(opd_id)
            .fetch_all(&self.pool)
            .await?;
        let mut roles: HashMap<String, Vec<Role>> = HashMap::new();
        for g in &grants {
            roles.entry(g.try_get("employee_id")?).or_default().push(g.code("role")?);
        }
        let now = now_ms();
        let list = rows
            .iter()
            .map(|r| {
                let employee = employee_from(r)?;
                let locked = r.try_get::<Option<i64>, _>("locked_until_ms")?.unwrap_or(0) > now;
                Ok(EmployeeRow {
                    roles: roles.get(&employee.id).cloned().unwrap_or_default(),
                    employee,
                    position_title: r.try_get("position_title")?,
                    unit_name: r.try_get("unit_name")?,
                    locked,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    async fn check_position_for(
        &self,
        tx: &mut WriteTx,
        opd_id: &str,
        position_id: Option<&str>,
        employee_id: Option<&str>,
    ) -> Result<()> {
        let Some(pid) = position_id else { return Ok(()) };
        let r = sqlx::query("SELECT opd_id, level, title FROM position WHERE id = $1")
            .bind(pid)
            .fetch_optional(tx.conn())
            .await?
            .ok_or_else(|| BackendError::invalid("Jabatan tidak ditemukan."))?;
        if r.try_get::<String, _>("opd_id")? != opd_id {
            return Err(BackendError::invalid("Jabatan tidak ada di OPD ini."));
        }
        if r.level("level")? < PositionLevel::Staf {
            let holder = sqlx::query(
                "SELECT name FROM employee WHERE position_id = $1 AND id <> $2 AND active = 1",
            )
            .bind(pid)
            .bind(employee_id.unwrap_or(""))
            .fetch_optional(tx.conn())
            .await?;
            if let Some(h) = holder {
                let name: String = h.try_get("name")?;
                let title: String = r.try_get("title")?;
                return Err(BackendError::Conflict(format!(
                    "Jabatan \"{title}\" sudah dijabat oleh {name}. Kosongkan dahulu atau tunjuk Plt/Plh."
                )));
            }
        }
        Ok(())
    }

    /// Creates an employee and their account (the password hash is made by the caller).
    pub async fn create_employee(
        &self,
        admin: &OpdAdmin,
        input: &EmployeeInput,
        password_hash: &str,
    ) -> Result<String> {
        let actor = &admin.actor();
        let (pemda_id, opd_id) = (admin.opd().pemda_id.as_str(), admin.opd().id.as_str());
        let c = clean_employee(input)?;
        let mut tx = self.begin_write().await?;
        let id = self
            .insert_employee_tx(
                &mut tx,
                actor,
                NewAccount {
                    pemda_id,
                    opd_id,
                    employee: &c,
                    position_id: input.position_id.as_deref(),
                    password_hash,
                    must_change: true,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn insert_employee_tx(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        account: NewAccount<'_>,
    ) -> Result<String> {
        let NewAccount { pemda_id, opd_id, employee: c, position_id, password_hash, must_change } =
            account;
        if sqlx::query("SELECT id FROM employee WHERE nip = $1")
            .bind(c.nip.as_str())
            .fetch_optional(tx.conn())
            .await?
            .is_some()
        {
            return Err(BackendError::Conflict(format!("NIP {} sudah terdaftar.", c.nip)));
        }
        if let Some(e) = &c.email
            && sqlx::query("SELECT id FROM employee WHERE email = $1")
                .bind(e)
                .fetch_optional(tx.conn())
                .await?
                .is_some()
        {
            return Err(BackendError::Conflict(format!("Email {e} sudah dipakai pegawai lain.")));
        }
        self.check_position_for(tx, opd_id, position_id, None).await?;
        let id = new_id();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO employee (id, pemda_id, opd_id, nip, name, email, phone, position_id, active, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
        )
        .bind(&id)
        .bind(pemda_id)
        .bind(opd_id)
        .bind(c.nip.as_str())
        .bind(&c.name)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(position_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "INSERT INTO account (employee_id, password_hash, must_change, failed_count, locked_until_ms, lang, created_ms, password_changed_ms) \
             VALUES ($1, $2, $3, 0, 0, 'id', $4, $4)",
        )
        .bind(&id)
        .bind(password_hash)
        .bind(must_change as i64)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.audit(
            actor,
            "employee.create",
            "employee",
            Some(&id),
            json!({ "nip": c.nip.as_str(), "name": c.name, "position_id": position_id }),
        )
        .await?;
        if let Some(pid) = position_id {
            self.record_leader_move(tx, actor, opd_id, &id, pid, None).await?;
        }
        Ok(id)
    }

    pub async fn update_employee(
        &self,
        admin: &OpdAdmin,
        id: &str,
        input: &EmployeeInput,
    ) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        self.employee_of(admin, id).await?;
        let c = clean_employee(input)?;
        let mut tx = self.begin_write().await?;
        self.update_employee_tx(&mut tx, actor, opd_id, id, &c, input.position_id.as_deref())
            .await?;
        tx.commit().await
    }

    pub(crate) async fn update_employee_tx(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        opd_id: &str,
        id: &str,
        c: &CleanEmployee,
        position_id: Option<&str>,
    ) -> Result<()> {
        if let Some(r) = sqlx::query("SELECT id FROM employee WHERE nip = $1 AND id <> $2")
            .bind(c.nip.as_str())
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
        {
            let _: String = r.try_get("id")?;
            return Err(BackendError::Conflict(format!(
                "NIP {} sudah terdaftar untuk pegawai lain.",
                c.nip
            )));
        }
        if let Some(e) = &c.email
            && sqlx::query("SELECT id FROM employee WHERE email = $1 AND id <> $2")
                .bind(e)
                .bind(id)
                .fetch_optional(tx.conn())
                .await?
                .is_some()
        {
            return Err(BackendError::Conflict(format!("Email {e} sudah dipakai pegawai lain.")));
        }
        self.check_position_for(tx, opd_id, position_id, Some(id)).await?;
        let previous: Option<String> =
            sqlx::query("SELECT position_id FROM employee WHERE id = $1 AND opd_id = $2")
                .bind(id)
                .bind(opd_id)
                .fetch_optional(tx.conn())
                .await?
                .ok_or_else(|| BackendError::not_found("Pegawai tidak ditemukan di OPD ini."))?
                .try_get("position_id")?;
        let moves = previous.as_deref() != position_id;
        if moves && actor.employee_id.as_deref() == Some(id) {
            return Err(RightsError::OwnPosition.into());
        }
        let n = sqlx::query("UPDATE employee SET nip = $1, name = $2, email = $3, phone = $4, position_id = $5, updated_ms = $6 WHERE id = $7 AND opd_id = $8")
            .bind(c.nip.as_str())
            .bind(&c.name)
            .bind(&c.email)
            .bind(&c.phone)
            .bind(position_id)
            .bind(now_ms())
            .bind(id)
            .bind(opd_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Pegawai tidak ditemukan di OPD ini."));
        }
        tx.audit(actor, "employee.update", "employee", Some(id), json!({ "nip": c.nip.as_str(), "name": c.name, "email": c.email, "phone": c.phone, "position_id": position_id })).await?;
        match position_id {
            Some(pid) if moves => {
                self.record_leader_move(tx, actor, opd_id, id, pid, previous.as_deref()).await
            }
            _ => Ok(()),
        }
    }

    /// A move into a leader position (levels 1 to 3) gets its own audit entry and a notification to
    /// the OPD's head and every Admin Pemda, so a quiet promotion cannot go unseen.
    async fn record_leader_move(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        opd_id: &str,
        employee_id: &str,
        position_id: &str,
        previous: Option<&str>,
    ) -> Result<()> {
        let p = sqlx::query(
            "SELECT p.title, p.level, e.name FROM position p, employee e WHERE p.id = $1 AND e.id = $2",
        )
        .bind(position_id)
        .bind(employee_id)
        .fetch_one(tx.conn())
        .await?;
        let level = p.level("level")?;
        if level > PositionLevel::KepalaBidang {
            return Ok(());
        }
        let (title, name): (String, String) = (p.try_get("title")?, p.try_get("name")?);
        tx.audit(
            actor,
            "employee.leader_move",
            "employee",
            Some(employee_id),
            json!({ "position_id": position_id, "title": title, "level": level.code(), "previous_position_id": previous }),
        )
        .await?;
        let text = format!("{name} ditempatkan pada jabatan pimpinan \"{title}\".");
        notify_leaders(tx, opd_id, employee_id, &text).await
    }

    /// Deactivating ends the person's sessions; their records stay.
    pub async fn set_employee_active(
        &self,
        admin: &OpdAdmin,
        id: &str,
        active: bool,
    ) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        if id == admin.caller().user.employee_id && !active {
            return Err(RightsError::SelfDeactivation.into());
        }
        self.employee_of(admin, id).await?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE employee SET active = $1, updated_ms = $2 WHERE id = $3 AND opd_id = $4",
        )
        .bind(active as i64)
        .bind(now_ms())
        .bind(id)
        .bind(opd_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Pegawai tidak ditemukan di OPD ini."));
        }
        if !active {
            sqlx::query("DELETE FROM session WHERE employee_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        tx.audit(
            actor,
            if active { "employee.activate" } else { "employee.deactivate" },
            "employee",
            Some(id),
            json!({}),
        )
        .await?;
        tx.commit().await
    }

    /// The employee, when they are in the admin's OPD and the admin may change their account
    /// (an admin's account only by an Admin Pemda or themselves).
    pub async fn employee_of(&self, admin: &OpdAdmin, id: &str) -> Result<Employee> {
        let e = match self.get_employee(id).await {
            Ok(e) if e.opd_id == admin.opd().id => e,
            Ok(_) | Err(BackendError::NotFound(_)) => {
                return Err(BackendError::not_found("Pegawai tidak ditemukan di OPD ini."));
            }
            Err(e) => return Err(e),
        };
        let user = &admin.caller().user;
        check_account_change(&user.caps, &user.employee_id, id, &self.grants_of(id).await?)?;
        Ok(e)
    }

    // ---------- Acting officials ----------

    pub async fn list_acting(&self, opd_id: &str, from_day: i64) -> Result<Vec<Acting>> {
        let rows = sqlx::query(
            "SELECT a.id, a.position_id, a.employee_id, e.name AS employee_name, a.kind, a.start_day, a.end_day, a.note \
             FROM acting a JOIN position p ON p.id = a.position_id JOIN employee e ON e.id = a.employee_id \
             WHERE p.opd_id = $1 AND a.ended = 0 AND a.end_day >= $2 ORDER BY a.start_day",
        )
        .bind(opd_id)
        .bind(from_day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Acting {
                    id: r.try_get("id")?,
                    position_id: r.try_get("position_id")?,
                    employee_id: r.try_get("employee_id")?,
                    employee_name: r.try_get("employee_name")?,
                    kind: r.code("kind")?,
                    start_day: r.try_get("start_day")?,
                    end_day: r.try_get("end_day")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// Appoints a Plt/Plh. The acting person must be in the same Pemda and not already the holder.
    pub async fn create_acting(
        &self,
        admin: &OpdAdmin,
        acting: &ActingInput<'_>,
    ) -> Result<String> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let ActingInput { position_id, employee_id, kind, start_day, end_day, note } = *acting;
        check_acting_period(kind, start_day, end_day)
            .map_err(|e| BackendError::invalid(e.to_string()))?;
        let pos = self.get_position(position_id).await?;
        if pos.opd_id != opd_id {
            return Err(BackendError::invalid("Jabatan tidak ada di OPD ini."));
        }
        let user = &admin.caller().user;
        check_acting_appointment(&user.caps, &user.employee_id, employee_id, pos.level)?;
        if pos.level >= PositionLevel::Staf {
            return Err(BackendError::invalid(
                "Plt/Plh hanya untuk jabatan pimpinan (Kepala, Sekretaris, Kabid, Kasi).",
            ));
        }
        let emp = self.get_employee(employee_id).await?;
        if emp.pemda_id != admin.opd().pemda_id || !emp.active {
            return Err(BackendError::invalid(
                "Pegawai yang ditunjuk tidak ditemukan atau tidak aktif.",
            ));
        }
        if emp.position_id.as_deref() == Some(position_id) {
            return Err(BackendError::invalid(
                "Pegawai ini sudah menjabat jabatan tersebut secara definitif.",
            ));
        }
        let mut tx = self.begin_write().await?;
        let overlap = sqlx::query("SELECT id FROM acting WHERE position_id = $1 AND ended = 0 AND start_day <= $2 AND end_day >= $3")
            .bind(position_id)
            .bind(end_day)
            .bind(start_day)
            .fetch_optional(tx.conn())
            .await?;
        if overlap.is_some() {
            return Err(BackendError::Conflict(
                "Sudah ada Plt/Plh untuk jabatan ini pada periode tersebut.".into(),
            ));
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO acting (id, position_id, employee_id, kind, start_day, end_day, note, created_by, created_ms, ended) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
        )
        .bind(&id)
        .bind(position_id)
        .bind(employee_id)
        .bind(kind.code())
        .bind(start_day)
        .bind(end_day)
        .bind(note.trim().chars().take(500).collect::<String>())
        .bind(&actor.employee_id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.audit(actor, "acting.create", "acting", Some(&id), json!({ "position_id": position_id, "employee_id": employee_id, "kind": kind.code(), "start_day": start_day, "end_day": end_day })).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn end_acting(&self, admin: &OpdAdmin, id: &str) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE acting SET ended = 1 WHERE id = $1 AND position_id IN (SELECT id FROM position WHERE opd_id = $2)")
            .bind(id)
            .bind(opd_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Penunjukan Plt/Plh tidak ditemukan."));
        }
        tx.audit(actor, "acting.end", "acting", Some(id), json!({})).await?;
        tx.commit().await
    }

    // ---------- Org chart ----------

    pub async fn org_chart(&self, opd_id: &str, today: i64) -> Result<OrgChart> {
        let opd = self.get_opd(opd_id).await?;
        let units = self.list_units(opd_id).await?;
        let positions = self.list_positions(opd_id).await?;
        let superiors = self.superiors(opd_id).await?;
        let acting = self.list_acting(opd_id, today).await?;
        let people = sqlx::query("SELECT id, nip, name, position_id FROM employee WHERE opd_id = $1 AND active = 1 ORDER BY name")
            .bind(opd_id)
            .fetch_all(&self.pool)
            .await?;
        let mut by_pos: HashMap<String, Vec<PersonBrief>> = HashMap::new();
        let mut unplaced = Vec::new();
        for r in &people {
            let p = PersonBrief {
                id: r.try_get("id")?,
                nip: r.try_get("nip")?,
                name: r.try_get("name")?,
            };
            match r.try_get::<Option<String>, _>("position_id")? {
                Some(pid) => by_pos.entry(pid).or_default().push(p),
                None => unplaced.push(p),
            }
        }
        let positions = positions
            .into_iter()
            .map(|p| PositionView {
                holders: by_pos.remove(&p.id).unwrap_or_default(),
                superior_position_id: superiors.get(&p.id).cloned().flatten(),
                acting: acting
                    .iter()
                    .filter(|a| a.position_id == p.id && a.start_day <= today)
                    .cloned()
                    .collect(),
                position: p,
            })
            .collect();
        Ok(OrgChart { opd, units, positions, unplaced })
    }
}

impl Store {
    /// The OPD's logo (PNG or JPEG) for the kop surat, if one was uploaded.
    pub async fn opd_logo(&self, opd_id: &str) -> Result<Option<Vec<u8>>> {
        let r = sqlx::query("SELECT logo FROM opd WHERE id = $1")
            .bind(opd_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => r.try_get::<Option<Vec<u8>>, _>("logo")?,
            None => None,
        })
    }

    /// Sets (or with `None` removes) the OPD's logo. Judged by content: a PNG or JPEG up to 512 KB
    /// that the letter renderer can embed.
    pub async fn set_opd_logo(&self, admin: &OpdAdmin, logo: Option<&[u8]>) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        if let Some(bytes) = logo {
            if bytes.len() > domain::files::MAX_LOGO_BYTES {
                return Err(BackendError::invalid("Logo terlalu besar (maksimal 512 KB)."));
            }
            match domain::files::sniff(bytes) {
                Ok(domain::files::FileKind::Png | domain::files::FileKind::Jpeg) => {}
                Ok(_) | Err(_) => {
                    return Err(BackendError::invalid("Logo harus berkas PNG atau JPEG."));
                }
            }
            crate::render::check_image(bytes).map_err(|_| {
                BackendError::invalid(
                    "Gambar logo tidak dapat dibaca (harus berkas PNG atau JPEG yang utuh).",
                )
            })?;
        }
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE opd SET logo = $1 WHERE id = $2")
            .bind(logo.map(|b| b.to_vec()))
            .bind(opd_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("OPD tidak ditemukan."));
        }
        tx.audit(
            actor,
            if logo.is_some() { "opd.logo_set" } else { "opd.logo_remove" },
            "opd",
            Some(opd_id),
            json!({ "bytes": logo.map_or(0, <[u8]>::len) }),
        )
        .await?;
        tx.commit().await
    }
}
