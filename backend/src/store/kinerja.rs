//! e-Kinerja in the store: activities made from recorded e-Office work, activities logged by hand,
//! their validation by the direct superior (or the acting official), attendance, the month's
//! figures (computed by `domain::kinerja`), closing and reopening a month, and the settings.

use super::{Actor, Store, WriteTx};
use crate::rights::{OpdAdmin, PemdaAdmin};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::activity::{
    ActivityStatus, ActivityView, BankItem, CsvOutcome, EntryError, KinerjaSettings, ManualEntry,
    MonthResult, PositionClass, Recap, Unvalidated, YearView, check_entry, check_settings,
    default_kelas, month_days, month_of_day, working_days,
};
use domain::kinerja::{
    DayDeduction, DayRecord, FULL, MonthInput, NoCredit, Rating, WorkItem, WorkKind, credit_day,
    day_deduction, month_score,
};
use domain::model::SessionUser;
use domain::org::PositionLevel;
use domain::time::{DAY_MS, WIB_OFFSET_MS, wib_day};
use serde_json::json;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// An activity logged by hand.
#[derive(Clone, Debug)]
pub struct NewActivity {
    /// Chosen by the browser, so a retry after a lost answer stores it once.
    pub client_id: String,
    pub day: i64,
    pub start: i64,
    pub end: i64,
    pub bank_id: Option<String>,
    pub description: String,
    pub quantity: i64,
    /// Evidence: file name and bytes (a JPEG or PNG photo, or a PDF).
    pub evidence: Option<(String, Vec<u8>)>,
}

/// Whose work events to turn into activities.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    Employee(&'a str),
    Opd(&'a str),
}

pub(crate) fn day_start_ms(day: i64) -> i64 {
    day * DAY_MS - WIB_OFFSET_MS
}

fn now_day_minute() -> (i64, i64) {
    let now = now_ms();
    let day = wib_day(now);
    (day, (now - day_start_ms(day)) / 60_000)
}

fn no_credit_code(n: NoCredit) -> &'static str {
    match n {
        NoCredit::Unchanged => "unchanged",
        NoCredit::Repeated => "repeated",
        NoCredit::DailyCap => "daily_cap",
    }
}

fn link_of(entity: Option<&str>, id: Option<&str>) -> Option<String> {
    match (entity?, id?) {
        ("letter", id) => Some(format!("/surat-keluar/{id}")),
        ("incoming_letter", id) => Some(format!("/surat-masuk/{id}")),
        _ => None,
    }
}

const ACTIVITY_COLS: &str = "a.id, a.employee_id, e.name AS employee_name, a.day, a.work_kind, a.description, a.start_min, a.end_min, \
     a.quantity, a.unit, a.minutes, a.no_credit, a.status, a.note, a.source, a.bank_id, a.entity, a.entity_id, \
     (SELECT COUNT(*) FROM activity_evidence v WHERE v.activity_id = a.id) AS evidence";

fn activity_from(r: &sqlx::any::AnyRow) -> Result<ActivityView> {
    let entity: Option<String> = r.try_get("entity")?;
    let entity_id: Option<String> = r.try_get("entity_id")?;
    let source: String = r.try_get("source")?;
    let bank: Option<String> = r.try_get("bank_id")?;
    let kind: Option<String> = r.try_get("work_kind")?;
    Ok(ActivityView {
        id: r.try_get("id")?,
        employee_id: r.try_get("employee_id")?,
        employee_name: r.try_get("employee_name")?,
        day: r.try_get("day")?,
        work_kind: kind.as_deref().and_then(WorkKind::from_code),
        description: r.try_get("description")?,
        start: r.try_get("start_min")?,
        end: r.try_get("end_min")?,
        quantity: r.try_get("quantity")?,
        unit: r.try_get("unit")?,
        minutes: r.try_get("minutes")?,
        no_credit: r.try_get("no_credit")?,
        status: ActivityStatus::from_code(&r.try_get::<String, _>("status")?)
            .unwrap_or(ActivityStatus::Pending),
        note: r.try_get("note")?,
        free_text: source == "manual" && bank.is_none(),
        link: link_of(entity.as_deref(), entity_id.as_deref()),
        has_evidence: r.try_get::<i64, _>("evidence")? > 0,
    })
}

/// The employee an activity belongs to and where it stands, for the rights checks.
struct ActivityHead {
    employee_id: String,
    opd_id: String,
    position_id: Option<String>,
    month: i64,
    day: i64,
    source: String,
    status: String,
    bank_id: Option<String>,
}

impl Store {
    /// The Pemda's e-Kinerja settings (the defaults until the Admin Pemda sets them).
    pub async fn kinerja_settings(&self, pemda_id: &str) -> Result<KinerjaSettings> {
        let r = sqlx::query("SELECT settings FROM kinerja_settings WHERE pemda_id = $1")
            .bind(pemda_id)
            .fetch_optional(&self.pool)
            .await?;
        match r {
            Some(r) => serde_json::from_str(&r.try_get::<String, _>("settings")?)
                .map_err(|e| BackendError::caused("read kinerja settings", e)),
            None => Ok(KinerjaSettings::default()),
        }
    }

    pub async fn set_kinerja_settings(
        &self,
        admin: &PemdaAdmin,
        settings: &KinerjaSettings,
    ) -> Result<()> {
        check_settings(settings).map_err(|e| BackendError::Invalid(e.to_string()))?;
        let text = serde_json::to_string(settings)
            .map_err(|e| BackendError::caused("store kinerja settings", e))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO kinerja_settings (pemda_id, settings, updated_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (pemda_id) DO UPDATE SET settings = excluded.settings, updated_ms = excluded.updated_ms",
        )
        .bind(admin.pemda_id())
        .bind(&text)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.audit(
            &admin.actor(),
            "kinerja.settings",
            "pemda",
            Some(admin.pemda_id()),
            serde_json::from_str(&text).unwrap_or_default(),
        )
        .await?;
        tx.commit().await
    }

    /// Holidays and collective leave of a Pemda in a year: (day, name).
    pub async fn holidays(&self, pemda_id: &str, year: i64) -> Result<Vec<(i64, String)>> {
        let from = domain::time::days_from_civil(year, 1, 1);
        let to = domain::time::days_from_civil(year + 1, 1, 1);
        let rows = sqlx::query(
            "SELECT day, name FROM holiday WHERE pemda_id = $1 AND day >= $2 AND day < $3 ORDER BY day",
        )
        .bind(pemda_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("day")?, r.try_get("name")?))).collect()
    }

    /// Adds (or renames) a holiday; with an empty name, removes it.
    pub async fn set_holiday(&self, admin: &PemdaAdmin, day: i64, name: &str) -> Result<()> {
        let name = name.trim();
        if name.chars().count() > 120 {
            return Err(BackendError::Invalid(
                "Nama hari libur paling banyak 120 karakter.".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        if name.is_empty() {
            sqlx::query("DELETE FROM holiday WHERE pemda_id = $1 AND day = $2")
                .bind(admin.pemda_id())
                .bind(day)
                .execute(tx.conn())
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO holiday (pemda_id, day, name) VALUES ($1, $2, $3) \
                 ON CONFLICT (pemda_id, day) DO UPDATE SET name = excluded.name",
            )
            .bind(admin.pemda_id())
            .bind(day)
            .bind(name)
            .execute(tx.conn())
            .await?;
        }
        tx.audit(
            &admin.actor(),
            "kinerja.holiday",
            "pemda",
            Some(admin.pemda_id()),
            json!({ "day": domain::time::iso_date(day), "name": name }),
        )
        .await?;
        tx.commit().await
    }

    pub(crate) async fn holiday_days(&self, pemda_id: &str, month: i64) -> Result<Vec<i64>> {
        let Some((from, to)) = month_days(month) else { return Ok(Vec::new()) };
        let rows =
            sqlx::query("SELECT day FROM holiday WHERE pemda_id = $1 AND day >= $2 AND day < $3")
                .bind(pemda_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok(r.try_get("day")?)).collect()
    }

    /// Turns the recorded e-Office work of a person or an OPD in a month into activities, with
    /// the Pemda's standard minutes and the rules against gaming. Safe to run again and at once
    /// from several places: an event becomes at most one activity (UNIQUE work_event_id).
    pub async fn sync_activities(&self, scope: Scope<'_>, month: i64) -> Result<usize> {
        let Some((from, to)) = month_days(month) else { return Ok(0) };
        let (col, key) = match scope {
            Scope::Employee(id) => ("e.employee_id", id),
            Scope::Opd(id) => ("e.opd_id", id),
        };
        // Only when something is new: the common case is one cheap anti-join. It runs apart from
        // the read of those people's events: as one query with `IN (anti-join)`, PostgreSQL on
        // tables it had not analysed yet (a new installation, a busy first hour) estimated one row
        // and nested the two scans, quadratic in the month's events (231 s for 38,873 of them).
        let people_sql = format!(
            "SELECT DISTINCT e2.employee_id AS employee_id FROM work_event e2 \
             LEFT JOIN activity a2 ON a2.work_event_id = e2.id \
             WHERE {} = $1 AND e2.at_ms >= $2 AND e2.at_ms < $3 AND a2.id IS NULL",
            col.replace("e.", "e2.")
        );
        let people: Vec<String> = sqlx::query(&people_sql)
            .bind(key)
            .bind(day_start_ms(from))
            .bind(day_start_ms(to))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("employee_id"))
            .collect::<std::result::Result<_, _>>()?;
        if people.is_empty() {
            return Ok(0);
        }
        let mut rows = Vec::new();
        for chunk in people.chunks(200) {
            let list =
                (0..chunk.len()).map(|i| format!("${}", i + 4)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT e.id, e.pemda_id, e.opd_id, e.employee_id, e.position_id, e.kind, e.entity, e.entity_id, e.version, e.changed, e.at_ms, \
                 d.incoming_id, a.id AS activity_id \
                 FROM work_event e LEFT JOIN activity a ON a.work_event_id = e.id \
                 LEFT JOIN disposition d ON e.entity = 'disposition' AND d.id = e.entity_id \
                 WHERE {col} = $1 AND e.at_ms >= $2 AND e.at_ms < $3 AND e.employee_id IN ({list}) \
                 ORDER BY e.employee_id, e.at_ms, e.id"
            );
            let mut q = sqlx::query(&sql).bind(key).bind(day_start_ms(from)).bind(day_start_ms(to));
            for p in chunk {
                q = q.bind(p);
            }
            rows.extend(q.fetch_all(&self.pool).await?);
        }
        if rows.is_empty() {
            return Ok(0);
        }
        struct Ev {
            id: String,
            pemda_id: String,
            opd_id: String,
            employee_id: String,
            position_id: Option<String>,
            kind: WorkKind,
            entity: String,
            entity_id: String,
            at_ms: i64,
            done: bool,
            item: WorkItem,
        }
        let mut days: Vec<((String, i64), Vec<Ev>)> = Vec::new();
        let mut pemda = None;
        for r in &rows {
            let Some(kind) = WorkKind::of_event(&r.try_get::<String, _>("kind")?) else { continue };
            let mut entity: String = r.try_get("entity")?;
            let mut entity_id: String = r.try_get("entity_id")?;
            if let Some(inc) = r.try_get::<Option<String>, _>("incoming_id")? {
                entity = "incoming_letter".into();
                entity_id = inc;
            }
            let at_ms: i64 = r.try_get("at_ms")?;
            let employee_id: String = r.try_get("employee_id")?;
            let pemda_id: String = r.try_get("pemda_id")?;
            pemda.get_or_insert_with(|| pemda_id.clone());
            let ev = Ev {
                id: r.try_get("id")?,
                pemda_id,
                opd_id: r.try_get("opd_id")?,
                position_id: r.try_get("position_id")?,
                kind,
                item: WorkItem {
                    kind,
                    entity_id: entity_id.clone(),
                    version: r.try_get("version")?,
                    changed: r.try_get::<i64, _>("changed")? != 0,
                },
                entity,
                entity_id,
                at_ms,
                done: r.try_get::<Option<String>, _>("activity_id")?.is_some(),
                employee_id: employee_id.clone(),
            };
            let key = (employee_id, wib_day(at_ms));
            match days.last_mut() {
                Some((k, list)) if *k == key => list.push(ev),
                _ => days.push((key, vec![ev])),
            }
        }
        let Some(pemda) = pemda else { return Ok(0) };
        let settings = self.kinerja_settings(&pemda).await?;
        let mut tx = self.begin_write().await?;
        let mut made = 0;
        for ((_, day), evs) in &days {
            if evs.iter().all(|e| e.done) {
                continue;
            }
            let items: Vec<WorkItem> = evs.iter().map(|e| e.item.clone()).collect();
            let credit = credit_day(&items, |k| settings.rule(k));
            for (ev, c) in evs.iter().zip(credit) {
                if ev.done {
                    continue;
                }
                let (minutes, no_credit) = match c {
                    Ok(m) => (m, None),
                    Err(n) => (0, Some(no_credit_code(n))),
                };
                made += sqlx::query(
                    "INSERT INTO activity (id, pemda_id, opd_id, employee_id, position_id, day, month, source, work_event_id, work_kind, entity, entity_id, \
                     description, quantity, unit, minutes, no_credit, status, created_ms, at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'auto', $8, $9, $10, $11, '', 1, '', $12, $13, 'approved', $14, $15) \
                     ON CONFLICT (work_event_id) DO NOTHING",
                )
                .bind(new_id())
                .bind(&ev.pemda_id)
                .bind(&ev.opd_id)
                .bind(&ev.employee_id)
                .bind(&ev.position_id)
                .bind(*day)
                .bind(month_of_day(*day))
                .bind(&ev.id)
                .bind(ev.kind.code())
                .bind(&ev.entity)
                .bind(&ev.entity_id)
                .bind(minutes)
                .bind(no_credit)
                .bind(now_ms())
                .bind(ev.at_ms)
                .execute(tx.conn())
                .await?
                .rows_affected() as usize;
            }
        }
        tx.commit().await?;
        Ok(made)
    }

    /// The caller's activities of a month, newest day first.
    pub async fn my_activities(&self, user: &SessionUser, month: i64) -> Result<Vec<ActivityView>> {
        self.sync_activities(Scope::Employee(&user.employee_id), month).await?;
        let rows = sqlx::query(&format!(
            "SELECT {ACTIVITY_COLS} FROM activity a JOIN employee e ON e.id = a.employee_id \
             WHERE a.employee_id = $1 AND a.month = $2 ORDER BY a.day DESC, COALESCE(a.start_min, -1), a.at_ms"
        ))
        .bind(&user.employee_id)
        .bind(month)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(activity_from).collect()
    }

    /// The bank of the caller's (first) position.
    pub async fn my_bank(&self, user: &SessionUser) -> Result<Vec<BankItem>> {
        let Some(p) =
            user.positions.iter().find(|p| p.acting_kind.is_none()).or(user.positions.first())
        else {
            return Ok(Vec::new());
        };
        self.bank_of(&p.position_id).await
    }

    async fn bank_of(&self, position_id: &str) -> Result<Vec<BankItem>> {
        let rows = sqlx::query(
            "SELECT id, name, minutes, unit FROM activity_bank WHERE position_id = $1 ORDER BY name",
        )
        .bind(position_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BankItem {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    minutes: r.try_get("minutes")?,
                    unit: r.try_get("unit")?,
                })
            })
            .collect()
    }

    async fn month_closed(&self, conn: &mut WriteTx, opd_id: &str, month: i64) -> Result<bool> {
        Ok(sqlx::query("SELECT closed FROM kinerja_month WHERE opd_id = $1 AND month = $2")
            .bind(opd_id)
            .bind(month)
            .fetch_optional(conn.conn())
            .await?
            .map(|r| r.try_get::<i64, _>("closed"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }

    pub async fn is_month_closed(&self, opd_id: &str, month: i64) -> Result<bool> {
        Ok(sqlx::query("SELECT closed FROM kinerja_month WHERE opd_id = $1 AND month = $2")
            .bind(opd_id)
            .bind(month)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get::<i64, _>("closed"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }

    /// Logs an activity done outside e-Office. Returns its id (the same one on a retry).
    pub async fn log_activity(
        &self,
        actor: &Actor,
        user: &SessionUser,
        a: &NewActivity,
    ) -> Result<String> {
        let bad = |m: &str| BackendError::Invalid(m.to_string());
        let description = a.description.trim();
        if a.client_id.trim().is_empty() || a.client_id.len() > 64 {
            return Err(bad("Permintaan tidak valid: pengenal penyimpanan tidak ada."));
        }
        if let Some(r) = sqlx::query("SELECT id, employee_id FROM activity WHERE client_id = $1")
            .bind(&a.client_id)
            .fetch_optional(&self.pool)
            .await?
        {
            if r.try_get::<String, _>("employee_id")? != user.employee_id {
                return Err(BackendError::Conflict(
                    "Penyimpanan ini sudah tercatat untuk orang lain.".into(),
                ));
            }
            return Ok(r.try_get("id")?);
        }
        let Some(position) =
            user.positions.iter().find(|p| p.acting_kind.is_none()).or(user.positions.first())
        else {
            return Err(BackendError::Forbidden(
                "Anda belum memiliki jabatan; aktivitas dicatat menurut jabatan.".into(),
            ));
        };
        let bank = match &a.bank_id {
            Some(id) => Some(
                self.bank_of(&position.position_id)
                    .await?
                    .into_iter()
                    .find(|b| &b.id == id)
                    .ok_or_else(|| bad("Aktivitas tidak ada di bank aktivitas jabatan Anda."))?,
            ),
            None => None,
        };
        if bank.is_none() && description.chars().count() < 5 {
            return Err(bad("Tuliskan uraian aktivitas (paling sedikit 5 karakter)."));
        }
        if description.chars().count() > 500 {
            return Err(bad("Uraian aktivitas paling banyak 500 karakter."));
        }
        let evidence = match &a.evidence {
            Some((name, bytes)) => Some(check_evidence(name, bytes)?),
            None => None,
        };
        let settings = self.kinerja_settings(&user.pemda_id).await?;
        let entry = ManualEntry {
            day: a.day,
            start: a.start,
            end: a.end,
            quantity: a.quantity,
            standard_minutes: bank.as_ref().map(|b| b.minutes),
        };
        let month = month_of_day(a.day);
        self.sync_activities(Scope::Employee(&user.employee_id), month).await?;
        let mut tx = self.begin_write().await?;
        if self.month_closed(&mut tx, &user.opd_id, month).await? {
            return Err(bad(&EntryError::Closed.to_string()));
        }
        let rows = sqlx::query(
            "SELECT start_min, end_min, minutes FROM activity WHERE employee_id = $1 AND day = $2 AND status <> 'rejected'",
        )
        .bind(&user.employee_id)
        .bind(a.day)
        .fetch_all(tx.conn())
        .await?;
        let mut others = Vec::new();
        let mut day_minutes = 0;
        for r in &rows {
            day_minutes += r.try_get::<i64, _>("minutes")?;
            if let (Some(s), Some(e)) =
                (r.try_get::<Option<i64>, _>("start_min")?, r.try_get::<Option<i64>, _>("end_min")?)
            {
                others.push((s, e));
            }
        }
        let (now_day, now_minute) = now_day_minute();
        let minutes = check_entry(&entry, now_day, now_minute, &others, day_minutes, &settings)
            .map_err(|e| bad(&e.to_string()))?;
        let id = new_id();
        let (text, unit) = match &bank {
            Some(b) if description.is_empty() => (b.name.clone(), b.unit.clone()),
            Some(b) => (format!("{}: {description}", b.name), b.unit.clone()),
            None => (description.to_string(), String::new()),
        };
        sqlx::query(
            "INSERT INTO activity (id, pemda_id, opd_id, employee_id, position_id, day, month, source, bank_id, description, start_min, end_min, \
             quantity, unit, minutes, status, client_id, created_ms, at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8, $9, $10, $11, $12, $13, $14, 'pending', $15, $16, $16)",
        )
        .bind(&id)
        .bind(&user.pemda_id)
        .bind(&user.opd_id)
        .bind(&user.employee_id)
        .bind(&position.position_id)
        .bind(a.day)
        .bind(month)
        .bind(&a.bank_id)
        .bind(&text)
        .bind(a.start)
        .bind(a.end)
        .bind(a.quantity)
        .bind(&unit)
        .bind(minutes)
        .bind(&a.client_id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        if let (Some((name, bytes)), Some(ct)) = (&a.evidence, evidence) {
            sqlx::query(
                "INSERT INTO activity_evidence (activity_id, name, content_type, size, data) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(name.trim())
            .bind(ct)
            .bind(bytes.len() as i64)
            .bind(bytes.as_slice())
            .execute(tx.conn())
            .await?;
        }
        tx.audit(
            actor,
            "kinerja.activity_add",
            "activity",
            Some(&id),
            json!({ "day": a.day, "minutes": minutes }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn activity_head(&self, id: &str) -> Result<ActivityHead> {
        let r = sqlx::query(
            "SELECT employee_id, opd_id, position_id, month, day, source, status, bank_id FROM activity WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Aktivitas tidak ditemukan."))?;
        Ok(ActivityHead {
            employee_id: r.try_get("employee_id")?,
            opd_id: r.try_get("opd_id")?,
            position_id: r.try_get("position_id")?,
            month: r.try_get("month")?,
            day: r.try_get("day")?,
            source: r.try_get("source")?,
            status: r.try_get("status")?,
            bank_id: r.try_get("bank_id")?,
        })
    }

    /// Removes one's own manual activity while it waits for validation.
    pub async fn delete_activity(&self, actor: &Actor, user: &SessionUser, id: &str) -> Result<()> {
        let h = self.activity_head(id).await?;
        if h.employee_id != user.employee_id {
            return Err(BackendError::not_found("Aktivitas tidak ditemukan."));
        }
        if h.source != "manual" || h.status != "pending" {
            return Err(BackendError::Conflict(
                "Hanya aktivitas yang Anda catat sendiri dan belum divalidasi yang dapat dihapus."
                    .into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        if self.month_closed(&mut tx, &h.opd_id, h.month).await? {
            return Err(BackendError::Invalid(EntryError::Closed.to_string()));
        }
        sqlx::query("DELETE FROM activity_evidence WHERE activity_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("DELETE FROM activity WHERE id = $1 AND status = 'pending'")
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.audit(actor, "kinerja.activity_delete", "activity", Some(id), json!({ "day": h.day }))
            .await?;
        tx.commit().await
    }

    /// The positions whose holders' activities the caller validates: those whose direct superior
    /// is a position the caller holds or acts for today.
    async fn validated_positions(&self, user: &SessionUser) -> Result<Vec<String>> {
        if user.positions.is_empty() {
            return Ok(Vec::new());
        }
        let mine: HashSet<&str> = user.positions.iter().map(|p| p.position_id.as_str()).collect();
        let opds: Vec<String> = {
            let mut f = super::sql::Filter::new();
            let list = f.args_in(user.positions.iter().map(|p| p.position_id.clone()));
            let sql = format!("SELECT DISTINCT opd_id FROM position WHERE id IN ({list})");
            let mut q = sqlx::query(&sql);
            for a in f.args() {
                q = q.bind(a.clone());
            }
            q.fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("opd_id"))
                .collect::<std::result::Result<_, _>>()?
        };
        let mut out = Vec::new();
        for opd in opds {
            for (pos, sup) in self.superiors(&opd).await? {
                if sup.as_deref().is_some_and(|s| mine.contains(s)) {
                    out.push(pos);
                }
            }
        }
        Ok(out)
    }

    /// Whether the caller has staff whose activities they validate.
    pub async fn validates_anyone(&self, user: &SessionUser) -> Result<bool> {
        Ok(!self.validated_positions(user).await?.is_empty())
    }

    /// Whether the caller validates the activities of this activity's position.
    async fn may_validate(&self, user: &SessionUser, h: &ActivityHead) -> Result<bool> {
        let Some(p) = &h.position_id else { return Ok(false) };
        Ok(h.employee_id != user.employee_id && self.validated_positions(user).await?.contains(p))
    }

    /// The activities of the caller's staff in a month (pending first), for validation.
    pub async fn staff_activities(
        &self,
        user: &SessionUser,
        month: i64,
        only_pending: bool,
    ) -> Result<Vec<ActivityView>> {
        let positions = self.validated_positions(user).await?;
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        let mut f = super::sql::Filter::new();
        let list = f.args_in(positions);
        let staff: Vec<String> = {
            let sql =
                format!("SELECT id FROM employee WHERE position_id IN ({list}) AND active = 1");
            let mut q = sqlx::query(&sql);
            for a in f.args() {
                q = q.bind(a.clone());
            }
            q.fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<std::result::Result<_, _>>()?
        };
        for s in &staff {
            self.sync_activities(Scope::Employee(s), month).await?;
        }
        let status = if only_pending { " AND a.status = 'pending'" } else { "" };
        let sql = format!(
            "SELECT {ACTIVITY_COLS} FROM activity a JOIN employee e ON e.id = a.employee_id \
             WHERE a.position_id IN ({list}) AND a.month = {month}{status} \
             ORDER BY a.day DESC, e.name, COALESCE(a.start_min, -1), a.at_ms"
        );
        let mut q = sqlx::query(&sql);
        for a in f.args() {
            q = q.bind(a.clone());
        }
        q.fetch_all(&self.pool).await?.iter().map(activity_from).collect()
    }

    /// How many of the caller's staff's activities wait for validation (the badge).
    pub async fn validation_count(&self, user: &SessionUser) -> Result<i64> {
        let positions = self.validated_positions(user).await?;
        if positions.is_empty() {
            return Ok(0);
        }
        let mut f = super::sql::Filter::new();
        let list = f.args_in(positions);
        let sql = format!(
            "SELECT COUNT(*) AS n FROM activity WHERE position_id IN ({list}) AND status = 'pending'"
        );
        let mut q = sqlx::query(&sql);
        for a in f.args() {
            q = q.bind(a.clone());
        }
        Ok(q.fetch_one(&self.pool).await?.try_get("n")?)
    }

    /// Approves or rejects activities of the caller's staff. A rejection needs a note; free-text
    /// activities need the validator's rating (`minutes`) when approved one by one, and are left
    /// waiting by an approval of several at once. Returns how many changed.
    pub async fn validate_activities(
        &self,
        actor: &Actor,
        user: &SessionUser,
        ids: &[String],
        approve: bool,
        note: &str,
        minutes: Option<i64>,
    ) -> Result<usize> {
        let note = note.trim();
        if !approve && note.chars().count() < 3 {
            return Err(BackendError::Invalid(
                "Penolakan memerlukan catatan untuk pegawai.".into(),
            ));
        }
        if ids.is_empty() {
            return Err(BackendError::Invalid("Pilih aktivitas yang akan divalidasi.".into()));
        }
        if let Some(m) = minutes
            && !(0..=480).contains(&m)
        {
            return Err(BackendError::Invalid("Nilai menit harus antara 0 dan 480.".into()));
        }
        let mut heads = Vec::new();
        for id in ids {
            let h = self.activity_head(id).await?;
            if !self.may_validate(user, &h).await? {
                return Err(BackendError::Forbidden(
                    "Anda hanya dapat memvalidasi aktivitas bawahan langsung Anda (atau yang Anda jabat sebagai Plt/Plh).".into(),
                ));
            }
            heads.push((id, h));
        }
        let single = ids.len() == 1;
        let mut tx = self.begin_write().await?;
        let mut changed = 0;
        for (id, h) in heads {
            if self.month_closed(&mut tx, &h.opd_id, h.month).await? {
                return Err(BackendError::Invalid(EntryError::Closed.to_string()));
            }
            let free = h.source == "manual" && h.bank_id.is_none();
            if approve && free && minutes.is_none() {
                if single {
                    return Err(BackendError::Invalid(
                        "Aktivitas teks bebas perlu dinilai: isikan menit efektif yang disetujui."
                            .into(),
                    ));
                }
                continue;
            }
            let status = if approve { "approved" } else { "rejected" };
            let set_minutes = if approve && single { minutes } else { None };
            changed += sqlx::query(
                "UPDATE activity SET status = $1, note = $2, validator_id = $3, validated_ms = $4, minutes = COALESCE($5, minutes) WHERE id = $6",
            )
            .bind(status)
            .bind(note)
            .bind(&user.employee_id)
            .bind(now_ms())
            .bind(set_minutes)
            .bind(id.as_str())
            .execute(tx.conn())
            .await?
            .rows_affected() as usize;
            tx.audit(
                actor,
                &format!("kinerja.activity_{}", if approve { "approve" } else { "reject" }),
                "activity",
                Some(id),
                json!({ "note": note, "minutes": set_minutes }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// The evidence of an activity, for its owner, their validator and the OPD's admins.
    pub async fn activity_evidence(
        &self,
        user: &SessionUser,
        id: &str,
    ) -> Result<(String, String, Vec<u8>)> {
        let h = self.activity_head(id).await?;
        let allowed = h.employee_id == user.employee_id
            || user.caps.can_admin_opd(&h.opd_id, &user.pemda_id)
            || self.may_validate(user, &h).await?;
        if !allowed {
            return Err(BackendError::not_found("Bukti tidak ditemukan."));
        }
        let r = sqlx::query(
            "SELECT name, content_type, data FROM activity_evidence WHERE activity_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Bukti tidak ditemukan."))?;
        Ok((r.try_get("name")?, r.try_get("content_type")?, r.try_get("data")?))
    }

    /// Stores an attendance file (NIP, date, in, out, optional note) for an OPD: all rows or none.
    pub async fn import_attendance(&self, admin: &OpdAdmin, bytes: &[u8]) -> Result<CsvOutcome> {
        let mut out = CsvOutcome::default();
        let Some(text) = csv_text(bytes, &mut out) else { return Ok(out) };
        let opd_id = admin.opd().id.clone();
        let people: HashMap<String, String> =
            sqlx::query("SELECT id, nip FROM employee WHERE opd_id = $1")
                .bind(&opd_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get::<String, _>("nip")?, r.try_get::<String, _>("id")?)))
                .collect::<Result<_>>()?;
        let mut rows = Vec::new();
        let mut months = HashSet::new();
        let mut seen = HashSet::new();
        for (i, rec) in read_csv(text, &mut out).into_iter().enumerate() {
            let line = i + 2;
            let field = |k: usize| rec.get(k).map(|s| s.trim()).unwrap_or("");
            let nip: String = field(0).chars().filter(|c| !c.is_whitespace()).collect();
            let Some(emp) = people.get(&nip) else {
                out.row_errors.push((line, format!("NIP {nip} tidak terdaftar di OPD ini.")));
                continue;
            };
            let Some(day) = parse_day(field(1)) else {
                out.row_errors.push((
                    line,
                    format!(
                        "Tanggal '{}' tidak valid (pakai YYYY-MM-DD atau DD/MM/YYYY).",
                        field(1)
                    ),
                ));
                continue;
            };
            let time = |s: &str| {
                if s.is_empty() {
                    Ok(None)
                } else {
                    domain::activity::parse_hhmm(s).map(Some).ok_or(())
                }
            };
            let (Ok(check_in), Ok(check_out)) = (time(field(2)), time(field(3))) else {
                out.row_errors.push((line, "Jam masuk/pulang tidak valid (pakai HH:MM).".into()));
                continue;
            };
            let status = match field(4).to_lowercase().as_str() {
                "" | "hadir" | "h" => {
                    if check_in.is_none() && check_out.is_none() {
                        "tk"
                    } else {
                        "hadir"
                    }
                }
                "tk" | "alpa" | "alpha" => "tk",
                "cuti" | "c" => "cuti",
                "dl" | "dinas luar" | "tugas" => "dl",
                "sakit" | "s" => "sakit",
                other => {
                    out.row_errors.push((
                        line,
                        format!("Keterangan '{other}' tidak dikenal (HADIR, TK, CUTI, DL, SAKIT)."),
                    ));
                    continue;
                }
            };
            if !seen.insert((emp.clone(), day)) {
                out.row_errors
                    .push((line, format!("NIP {nip} pada tanggal itu tercatat dua kali.")));
                continue;
            }
            months.insert(month_of_day(day));
            rows.push((emp.clone(), day, check_in, check_out, status));
        }
        if rows.is_empty() && out.ok() {
            out.file_errors.push("Berkas tidak berisi baris kehadiran.".into());
        }
        let mut tx = self.begin_write().await?;
        for &m in &months {
            if self.month_closed(&mut tx, &opd_id, m).await? {
                out.file_errors.push(format!(
                    "Bulan {} sudah ditutup; kehadirannya tidak dapat diubah.",
                    domain::activity::month_label(m, domain::Lang::Id)
                ));
            }
        }
        if !out.ok() {
            return Ok(out);
        }
        for (emp, day, i, o, status) in &rows {
            sqlx::query(
                "INSERT INTO attendance (employee_id, day, opd_id, check_in, check_out, status) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (employee_id, day) DO UPDATE SET opd_id = excluded.opd_id, check_in = excluded.check_in, \
                 check_out = excluded.check_out, status = excluded.status",
            )
            .bind(emp)
            .bind(*day)
            .bind(&opd_id)
            .bind(*i)
            .bind(*o)
            .bind(*status)
            .execute(tx.conn())
            .await?;
        }
        tx.audit(
            &admin.actor(),
            "kinerja.attendance_import",
            "opd",
            Some(&opd_id),
            json!({ "rows": rows.len() }),
        )
        .await?;
        tx.commit().await?;
        out.stored = rows.len();
        Ok(out)
    }

    /// The activity bank of an OPD as CSV: unit, position, activity, minutes, output unit.
    pub async fn export_bank(&self, admin: &OpdAdmin) -> Result<String> {
        let rows = sqlx::query(
            "SELECT u.name AS unit, p.title, b.name, b.minutes, b.unit AS output FROM activity_bank b \
             JOIN position p ON p.id = b.position_id JOIN unit u ON u.id = p.unit_id WHERE b.opd_id = $1 ORDER BY u.name, p.title, b.name",
        )
        .bind(&admin.opd().id)
        .fetch_all(&self.pool)
        .await?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e| BackendError::caused("write bank CSV", e);
        w.write_record(["unit", "jabatan", "aktivitas", "menit", "satuan"]).map_err(io)?;
        for r in &rows {
            let m: i64 = r.try_get("minutes")?;
            w.write_record([
                r.try_get::<String, _>("unit")?,
                r.try_get::<String, _>("title")?,
                r.try_get::<String, _>("name")?,
                m.to_string(),
                r.try_get::<String, _>("output")?,
            ])
            .map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|e| BackendError::caused("write bank CSV", e))?;
        String::from_utf8(bytes).map_err(|e| BackendError::caused("bank CSV text", e))
    }

    /// Replaces an OPD's activity bank with a CSV file (all rows or none). Entries already used by
    /// an activity stay (with their figures updated when the file has them).
    pub async fn import_bank(&self, admin: &OpdAdmin, bytes: &[u8]) -> Result<CsvOutcome> {
        let mut out = CsvOutcome::default();
        let Some(text) = csv_text(bytes, &mut out) else { return Ok(out) };
        let opd_id = admin.opd().id.clone();
        let positions: HashMap<(String, String), String> = sqlx::query(
            "SELECT p.id, p.title, u.name FROM position p JOIN unit u ON u.id = p.unit_id WHERE p.opd_id = $1",
        )
        .bind(&opd_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok((
                (r.try_get::<String, _>("name")?.to_lowercase(), r.try_get::<String, _>("title")?.to_lowercase()),
                r.try_get::<String, _>("id")?,
            ))
        })
        .collect::<Result<_>>()?;
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for (i, rec) in read_csv(text, &mut out).into_iter().enumerate() {
            let line = i + 2;
            let field = |k: usize| rec.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
            let (unit, title, name, minutes, output) =
                (field(0), field(1), field(2), field(3), field(4));
            let Some(pos) = positions.get(&(unit.to_lowercase(), title.to_lowercase())) else {
                out.row_errors.push((
                    line,
                    format!("Jabatan '{title}' di unit '{unit}' tidak ada di OPD ini."),
                ));
                continue;
            };
            if name.chars().count() < 3 || name.chars().count() > 200 {
                out.row_errors.push((line, "Nama aktivitas harus 3 sampai 200 karakter.".into()));
                continue;
            }
            let Some(minutes) = minutes.parse::<i64>().ok().filter(|m| (1..=480).contains(m))
            else {
                out.row_errors.push((line, format!("Menit '{minutes}' harus angka 1 sampai 480.")));
                continue;
            };
            if output.is_empty() || output.chars().count() > 40 {
                out.row_errors.push((
                    line,
                    "Satuan keluaran wajib diisi (paling banyak 40 karakter).".into(),
                ));
                continue;
            }
            if !seen.insert((pos.clone(), name.to_lowercase())) {
                out.row_errors.push((
                    line,
                    format!("Aktivitas '{name}' tercatat dua kali untuk jabatan ini."),
                ));
                continue;
            }
            rows.push((pos.clone(), name, minutes, output));
        }
        if rows.is_empty() && out.ok() {
            out.file_errors.push("Berkas tidak berisi baris aktivitas.".into());
        }
        if !out.ok() {
            return Ok(out);
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM activity_bank WHERE opd_id = $1 AND id NOT IN (SELECT bank_id FROM activity WHERE bank_id IS NOT NULL)",
        )
        .bind(&opd_id)
        .execute(tx.conn())
        .await?;
        for (pos, name, minutes, output) in &rows {
            sqlx::query(
                "INSERT INTO activity_bank (id, opd_id, position_id, name, minutes, unit, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (position_id, name) DO UPDATE SET minutes = excluded.minutes, unit = excluded.unit",
            )
            .bind(new_id())
            .bind(&opd_id)
            .bind(pos)
            .bind(name)
            .bind(*minutes)
            .bind(output)
            .bind(now_ms())
            .execute(tx.conn())
            .await?;
        }
        tx.audit(
            &admin.actor(),
            "kinerja.bank_import",
            "opd",
            Some(&opd_id),
            json!({ "rows": rows.len() }),
        )
        .await?;
        tx.commit().await?;
        out.stored = rows.len();
        Ok(out)
    }

    /// The positions of an OPD with their class (kelas jabatan), by unit and title.
    pub async fn position_classes(&self, admin: &OpdAdmin) -> Result<Vec<PositionClass>> {
        let rows = sqlx::query(
            "SELECT p.id, p.title, p.level, CAST(p.kelas AS BIGINT) AS kelas, u.name AS unit_name FROM position p \
             JOIN unit u ON u.id = p.unit_id WHERE p.opd_id = $1 ORDER BY u.sort_order, u.name, p.level, p.title",
        )
        .bind(&admin.opd().id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let level =
                    PositionLevel::from_code(r.try_get("level")?).unwrap_or(PositionLevel::Staf);
                Ok(PositionClass {
                    position_id: r.try_get("id")?,
                    unit_name: r.try_get("unit_name")?,
                    title: r.try_get("title")?,
                    kelas: r.try_get("kelas")?,
                    default_kelas: default_kelas(level),
                })
            })
            .collect()
    }

    /// Sets the class of positions of the admin's OPD (None: the default of the level), all or
    /// none, audited once.
    pub async fn set_position_classes(
        &self,
        admin: &OpdAdmin,
        classes: &[(String, Option<i64>)],
    ) -> Result<usize> {
        if classes.iter().any(|(_, k)| k.is_some_and(|k| !domain::activity::valid_kelas(k))) {
            return Err(BackendError::Invalid("Kelas jabatan harus angka 1 sampai 17.".into()));
        }
        let opd_id = &admin.opd().id;
        let mut tx = self.begin_write().await?;
        for (id, kelas) in classes {
            let n = sqlx::query("UPDATE position SET kelas = $1 WHERE id = $2 AND opd_id = $3")
                .bind(*kelas)
                .bind(id)
                .bind(opd_id)
                .execute(tx.conn())
                .await?
                .rows_affected();
            if n == 0 {
                return Err(BackendError::not_found("Jabatan tidak ditemukan di OPD ini."));
            }
        }
        tx.audit(
            &admin.actor(),
            "kinerja.position_classes",
            "opd",
            Some(opd_id),
            json!({ "classes": classes }),
        )
        .await?;
        tx.commit().await?;
        Ok(classes.len())
    }

    /// Whether the caller may see an OPD's recap: its admins, its head (or acting head), and the
    /// Admin Pemda.
    pub async fn may_see_recap(&self, user: &SessionUser, opd_id: &str) -> Result<bool> {
        let opd = self.get_opd(opd_id).await?;
        if user.caps.can_admin_opd(&opd.id, &opd.pemda_id) {
            return Ok(true);
        }
        Ok(user.opd_id == opd_id
            && user.positions.iter().any(|p| p.level == PositionLevel::KepalaOpd))
    }

    /// The month of an OPD: the frozen figures of a closed month, or computed now (and stored
    /// when `store` is set).
    pub async fn opd_month(&self, opd_id: &str, month: i64, store: bool) -> Result<Recap> {
        let opd = self.get_opd(opd_id).await?;
        let closed = self.is_month_closed(opd_id, month).await?;
        let rows = if closed {
            self.stored_results(opd_id, month).await?
        } else {
            let rows = self.compute_month(&opd.pemda_id, opd_id, month).await?;
            if store {
                let mut tx = self.begin_write().await?;
                store_results(&mut tx, opd_id, month, &rows).await?;
                tx.commit().await?;
            }
            rows
        };
        Ok(Recap { opd_id: opd_id.into(), opd_name: opd.name, month, closed, rows })
    }

    async fn stored_results(&self, opd_id: &str, month: i64) -> Result<Vec<MonthResult>> {
        let rows = sqlx::query(
            "SELECT r.*, e.nip, e.name, COALESCE(u.name, '') AS unit_name FROM kinerja_result r JOIN employee e ON e.id = r.employee_id \
             LEFT JOIN unit u ON u.id = r.unit_id WHERE r.opd_id = $1 AND r.month = $2 ORDER BY unit_name, e.name",
        )
        .bind(opd_id)
        .bind(month)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MonthResult {
                    employee_id: r.try_get("employee_id")?,
                    nip: r.try_get("nip")?,
                    name: r.try_get("name")?,
                    position_title: r.try_get("position_title")?,
                    unit_name: r.try_get("unit_name")?,
                    approved_minutes: r.try_get("approved_minutes")?,
                    performance_bp: r.try_get("performance_bp")?,
                    discipline_bp: r.try_get("discipline_bp")?,
                    usage_penalty_bp: r.try_get("usage_penalty_bp")?,
                    base_tpp: r.try_get("base_tpp")?,
                    tpp: r.try_get("tpp")?,
                    lines: serde_json::from_str(&r.try_get::<String, _>("lines")?)
                        .map_err(|e| BackendError::caused("read result lines", e))?,
                })
            })
            .collect()
    }

    /// Computes every active employee's month in an OPD from activities, attendance and the
    /// e-Office usage record, with the Pemda's settings.
    pub async fn compute_month(
        &self,
        pemda_id: &str,
        opd_id: &str,
        month: i64,
    ) -> Result<Vec<MonthResult>> {
        let Some((from, to)) = month_days(month) else {
            return Err(BackendError::Invalid("Bulan tidak valid.".into()));
        };
        self.sync_activities(Scope::Opd(opd_id), month).await?;
        let settings = self.kinerja_settings(pemda_id).await?;
        let today = wib_day(now_ms());
        let month_over = to <= today;
        let count_pending = month_over && settings.unvalidated == Unvalidated::Approve;
        // People and their positions.
        let people = sqlx::query(
            "SELECT e.id, e.nip, e.name, e.position_id, COALESCE(p.title, '') AS title, p.level, CAST(p.kelas AS BIGINT) AS kelas, COALESCE(u.name, '') AS unit_name \
             FROM employee e LEFT JOIN position p ON p.id = e.position_id LEFT JOIN unit u ON u.id = p.unit_id \
             WHERE e.opd_id = $1 AND e.active = 1 ORDER BY unit_name, e.name",
        )
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?;
        let minutes: HashMap<String, i64> = sqlx::query(&format!(
            "SELECT employee_id, CAST(SUM(minutes) AS BIGINT) AS m FROM activity WHERE opd_id = $1 AND month = {month} \
             AND (status = 'approved'{}) GROUP BY employee_id",
            if count_pending { " OR status = 'pending'" } else { "" }
        ))
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<String, _>("employee_id")?, r.try_get::<i64, _>("m")?)))
        .collect::<Result<_>>()?;
        // Attendance: a working day counts once the OPD's file for it has been imported.
        let mut attendance: HashMap<String, HashMap<i64, DayRecord>> = HashMap::new();
        let mut imported: HashSet<i64> = HashSet::new();
        for r in sqlx::query(
            "SELECT employee_id, day, check_in, check_out, status FROM attendance WHERE opd_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(opd_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        {
            let day: i64 = r.try_get("day")?;
            imported.insert(day);
            let rec = match r.try_get::<String, _>("status")?.as_str() {
                "hadir" => DayRecord::Worked { check_in: r.try_get("check_in")?, check_out: r.try_get("check_out")? },
                "tk" => DayRecord::Absent,
                _ => DayRecord::Excused,
            };
            attendance.entry(r.try_get("employee_id")?).or_default().insert(day, rec);
        }
        let holidays = self.holiday_days(pemda_id, month).await?;
        let days: Vec<i64> = working_days(month, &holidays, (today + 1).max(from))
            .into_iter()
            .filter(|d| imported.contains(d))
            .collect();
        let (overdue, stale) =
            self.usage_counts(opd_id, from, to.min(today + 1), &settings).await?;
        // Own performance of everyone first (heads may count their unit's average).
        let superiors = self.superiors(opd_id).await?;
        struct P {
            id: String,
            nip: String,
            name: String,
            position_id: Option<String>,
            title: String,
            unit_name: String,
            level: Option<PositionLevel>,
            kelas: i64,
        }
        let mut list = Vec::new();
        for r in &people {
            let level = r.try_get::<Option<i64>, _>("level")?.and_then(PositionLevel::from_code);
            let kelas = r
                .try_get::<Option<i64>, _>("kelas")?
                .or_else(|| level.map(default_kelas))
                .unwrap_or(1);
            list.push(P {
                id: r.try_get("id")?,
                nip: r.try_get("nip")?,
                name: r.try_get("name")?,
                position_id: r.try_get("position_id")?,
                title: r.try_get("title")?,
                unit_name: r.try_get("unit_name")?,
                level,
                kelas,
            });
        }
        let own: HashMap<&str, i64> = list
            .iter()
            .map(|p| {
                let m = minutes.get(&p.id).copied().unwrap_or(0);
                (p.id.as_str(), domain::kinerja::performance_bp(m, &settings.scoring))
            })
            .collect();
        let mut out = Vec::with_capacity(list.len());
        for p in &list {
            let unit_average_bp = match (&p.position_id, p.level) {
                (Some(pos), Some(l))
                    if l.is_head() && settings.scoring.head_unit_share_pct.is_some() =>
                {
                    let staff: Vec<i64> = list
                        .iter()
                        .filter(|q| {
                            q.position_id.as_ref().is_some_and(|qp| {
                                superiors.get(qp).cloned().flatten().as_ref() == Some(pos)
                            })
                        })
                        .map(|q| own[q.id.as_str()])
                        .collect();
                    (!staff.is_empty()).then(|| staff.iter().sum::<i64>() / staff.len() as i64)
                }
                _ => None,
            };
            let person_days: Vec<DayDeduction> = days
                .iter()
                .map(|d| {
                    let rec = attendance
                        .get(&p.id)
                        .and_then(|a| a.get(d))
                        .copied()
                        .unwrap_or(DayRecord::Absent);
                    day_deduction(rec, settings.hours, &settings.scoring)
                })
                .collect();
            let input = MonthInput {
                approved_minutes: minutes.get(&p.id).copied().unwrap_or(0),
                days: person_days,
                overdue_dispositions: overdue.get(&p.id).copied().unwrap_or(0),
                stale_reviews: stale.get(&p.id).copied().unwrap_or(0),
                base_tpp: settings.base_tpp(p.kelas),
                unit_average_bp,
            };
            let mut score = month_score(&input, &settings.scoring);
            score.lines.insert(
                0,
                domain::kinerja::Line {
                    key: "attendance_days".into(),
                    value: days.len() as i64,
                    detail: format!(
                        "{} hari kerja dengan data kehadiran (kelas jabatan {})",
                        days.len(),
                        p.kelas
                    ),
                },
            );
            out.push(MonthResult {
                employee_id: p.id.clone(),
                nip: p.nip.clone(),
                name: p.name.clone(),
                position_title: p.title.clone(),
                unit_name: p.unit_name.clone(),
                approved_minutes: input.approved_minutes,
                performance_bp: score.performance_bp,
                discipline_bp: score.discipline_bp,
                usage_penalty_bp: score.usage_penalty_bp,
                base_tpp: input.base_tpp,
                tpp: score.tpp,
                lines: score.lines,
            });
        }
        debug_assert!(out.iter().all(|r| (0..=FULL).contains(&r.performance_bp)));
        Ok(out)
    }

    /// Per employee: dispositions not followed up by their deadline (deadline in the window and
    /// passed), and letter actions taken after waiting longer than the service level.
    async fn usage_counts(
        &self,
        opd_id: &str,
        from: i64,
        to: i64,
        s: &KinerjaSettings,
    ) -> Result<(HashMap<String, i64>, HashMap<String, i64>)> {
        let today = wib_day(now_ms());
        let mut overdue: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query(
            "SELECT to_employee_id, deadline_day, reported_ms FROM disposition \
             WHERE opd_id = $1 AND deadline_day >= $2 AND deadline_day < $3 AND to_employee_id IS NOT NULL",
        )
        .bind(opd_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        {
            let deadline: i64 = r.try_get("deadline_day")?;
            let late = match r.try_get::<Option<i64>, _>("reported_ms")? {
                Some(ms) => wib_day(ms) > deadline,
                None => deadline < today,
            };
            if late {
                *overdue.entry(r.try_get("to_employee_id")?).or_default() += 1;
            }
        }
        let mut stale: HashMap<String, i64> = HashMap::new();
        let limit = s.stale_review_hours * 3_600_000;
        let rows = sqlx::query(
            "SELECT a.letter_id, a.seq, a.actor_id, a.action, a.at_ms FROM letter_action a JOIN letter l ON l.id = a.letter_id \
             WHERE l.opd_id = $1 AND a.letter_id IN (SELECT letter_id FROM letter_action WHERE at_ms >= $2 AND at_ms < $3) \
             ORDER BY a.letter_id, a.seq",
        )
        .bind(opd_id)
        .bind(day_start_ms(from))
        .bind(day_start_ms(to))
        .fetch_all(&self.pool)
        .await?;
        let mut prev: Option<(String, i64)> = None;
        for r in &rows {
            let letter: String = r.try_get("letter_id")?;
            let at: i64 = r.try_get("at_ms")?;
            let action: String = r.try_get("action")?;
            if let Some((l, before)) = &prev
                && *l == letter
                && matches!(action.as_str(), "paraf" | "return" | "sign")
                && at >= day_start_ms(from)
                && at - before > limit
            {
                *stale.entry(r.try_get("actor_id")?).or_default() += 1;
            }
            prev = Some((letter, at));
        }
        // Letters still waiting at someone's position past the service level by the period's end.
        let until = day_start_ms(to).min(now_ms());
        for r in sqlx::query(
            "SELECT e.id FROM letter l JOIN employee e ON e.position_id = l.waiting_position_id AND e.active = 1 \
             WHERE l.opd_id = $1 AND l.state IN ('review', 'signing', 'co_signing') AND l.updated_ms < $2",
        )
        .bind(opd_id)
        .bind(until - limit)
        .fetch_all(&self.pool)
        .await?
        {
            *stale.entry(r.try_get("id")?).or_default() += 1;
        }
        Ok((overdue, stale))
    }

    /// The caller's own month, explained.
    pub async fn my_month(
        &self,
        user: &SessionUser,
        month: i64,
    ) -> Result<(bool, Option<MonthResult>)> {
        let recap = self.opd_month(&user.opd_id, month, false).await?;
        let row = recap.rows.into_iter().find(|r| r.employee_id == user.employee_id);
        Ok((recap.closed, row))
    }

    /// Closes an OPD's month: its figures are computed once more and frozen.
    pub async fn close_month(&self, admin: &OpdAdmin, month: i64) -> Result<()> {
        let opd = admin.opd();
        if month_days(month).is_none() {
            return Err(BackendError::Invalid("Bulan tidak valid.".into()));
        }
        if self.is_month_closed(&opd.id, month).await? {
            return Err(BackendError::Conflict("Bulan ini sudah ditutup.".into()));
        }
        let rows = self.compute_month(&opd.pemda_id, &opd.id, month).await?;
        let mut tx = self.begin_write().await?;
        if self.month_closed(&mut tx, &opd.id, month).await? {
            return Err(BackendError::Conflict("Bulan ini sudah ditutup.".into()));
        }
        store_results(&mut tx, &opd.id, month, &rows).await?;
        sqlx::query(
            "INSERT INTO kinerja_month (opd_id, month, closed, closed_ms, closed_by) VALUES ($1, $2, 1, $3, $4) \
             ON CONFLICT (opd_id, month) DO UPDATE SET closed = 1, closed_ms = excluded.closed_ms, closed_by = excluded.closed_by",
        )
        .bind(&opd.id)
        .bind(month)
        .bind(now_ms())
        .bind(&admin.caller().user.employee_id)
        .execute(tx.conn())
        .await?;
        tx.audit(
            &admin.actor(),
            "kinerja.month_close",
            "opd",
            Some(&opd.id),
            json!({ "month": month, "people": rows.len() }),
        )
        .await?;
        tx.commit().await?;
        // The quadrants as they stood at closing, for everyone's history.
        self.store_quadrants(opd, month).await
    }

    /// Reopens a closed month, with the reason in the audit chain.
    pub async fn reopen_month(&self, admin: &OpdAdmin, month: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.chars().count() < 10 {
            return Err(BackendError::Invalid(
                "Tuliskan alasan membuka kembali bulan ini (paling sedikit 10 karakter).".into(),
            ));
        }
        let opd = admin.opd();
        let mut tx = self.begin_write().await?;
        if !self.month_closed(&mut tx, &opd.id, month).await? {
            return Err(BackendError::Conflict("Bulan ini belum ditutup.".into()));
        }
        sqlx::query("UPDATE kinerja_month SET closed = 0 WHERE opd_id = $1 AND month = $2")
            .bind(&opd.id)
            .bind(month)
            .execute(tx.conn())
            .await?;
        tx.audit(
            &admin.actor(),
            "kinerja.month_reopen",
            "opd",
            Some(&opd.id),
            json!({ "month": month, "reason": reason }),
        )
        .await?;
        tx.commit().await
    }

    /// A person's year: the performance of each closed month, the work result (hasil kerja)
    /// from them, the superior's behaviour rating if given, and the predikat when both are known.
    pub async fn year_view(&self, employee_id: &str, year: i64) -> Result<YearView> {
        let e = sqlx::query(
            "SELECT e.name, e.nip, e.pemda_id, COALESCE(p.title, '') AS title FROM employee e \
             LEFT JOIN position p ON p.id = e.position_id WHERE e.id = $1",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Pegawai tidak ditemukan."))?;
        let settings = self.kinerja_settings(&e.try_get::<String, _>("pemda_id")?).await?;
        let months: Vec<(i64, i64)> = sqlx::query(
            "SELECT r.month, r.performance_bp FROM kinerja_result r JOIN kinerja_month m ON m.opd_id = r.opd_id AND m.month = r.month \
             WHERE r.employee_id = $1 AND m.closed = 1 AND r.month >= $2 AND r.month < $3 ORDER BY r.month",
        )
        .bind(employee_id)
        .bind(year * 100)
        .bind((year + 1) * 100)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("month")?, r.try_get("performance_bp")?)))
        .collect::<Result<_>>()?;
        let perilaku =
            sqlx::query("SELECT perilaku FROM kinerja_rating WHERE employee_id = $1 AND year = $2")
                .bind(employee_id)
                .bind(year)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get::<String, _>("perilaku"))
                .transpose()?
                .and_then(|p| Rating::from_code(&p));
        let bps: Vec<i64> = months.iter().map(|(_, bp)| *bp).collect();
        let hasil = settings.hasil(&bps);
        Ok(YearView {
            employee_id: employee_id.into(),
            name: e.try_get("name")?,
            nip: e.try_get("nip")?,
            position_title: e.try_get("title")?,
            year,
            months,
            hasil,
            perilaku,
            predikat: hasil.zip(perilaku).map(|(h, p)| domain::kinerja::predikat(h, p)),
        })
    }

    /// The years of the people whose behaviour the caller rates: the holders of the positions
    /// they validate (as direct superior or acting official), by name.
    pub async fn staff_years(&self, user: &SessionUser, year: i64) -> Result<Vec<YearView>> {
        let positions = self.validated_positions(user).await?;
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        let mut f = super::sql::Filter::new();
        let list = f.args_in(positions);
        let sql = format!(
            "SELECT id FROM employee WHERE position_id IN ({list}) AND active = 1 ORDER BY name"
        );
        let mut q = sqlx::query(&sql);
        for a in f.args() {
            q = q.bind(a.clone());
        }
        let ids: Vec<String> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids.iter().filter(|id| **id != user.employee_id) {
            out.push(self.year_view(id, year).await?);
        }
        Ok(out)
    }

    /// The superior's year-end behaviour rating of a member of their staff.
    pub async fn rate_behaviour(
        &self,
        actor: &Actor,
        user: &SessionUser,
        employee_id: &str,
        year: i64,
        perilaku: Rating,
    ) -> Result<()> {
        let this_year = domain::time::wib_year(now_ms()) as i64;
        if year != this_year && year != this_year - 1 {
            return Err(BackendError::Invalid(
                "Perilaku kerja dinilai untuk tahun berjalan atau tahun lalu saja.".into(),
            ));
        }
        let pos: Option<String> = sqlx::query("SELECT position_id FROM employee WHERE id = $1")
            .bind(employee_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Pegawai tidak ditemukan."))?
            .try_get("position_id")?;
        let ok = match pos {
            Some(p) => {
                employee_id != user.employee_id
                    && self.validated_positions(user).await?.contains(&p)
            }
            None => false,
        };
        if !ok {
            return Err(BackendError::Forbidden(
                "Anda hanya dapat menilai perilaku bawahan langsung Anda.".into(),
            ));
        }
        let code = perilaku.code();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO kinerja_rating (employee_id, year, perilaku, rated_by, rated_ms) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (employee_id, year) DO UPDATE SET perilaku = excluded.perilaku, rated_by = excluded.rated_by, rated_ms = excluded.rated_ms",
        )
        .bind(employee_id)
        .bind(year)
        .bind(code)
        .bind(&user.employee_id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.audit(
            actor,
            "kinerja.behaviour_rating",
            "employee",
            Some(employee_id),
            json!({ "year": year, "perilaku": code }),
        )
        .await?;
        tx.commit().await
    }
}

async fn store_results(
    tx: &mut WriteTx,
    opd_id: &str,
    month: i64,
    rows: &[MonthResult],
) -> Result<()> {
    sqlx::query("DELETE FROM kinerja_result WHERE opd_id = $1 AND month = $2")
        .bind(opd_id)
        .bind(month)
        .execute(tx.conn())
        .await?;
    let now = now_ms();
    for r in rows {
        let lines = serde_json::to_string(&r.lines)
            .map_err(|e| BackendError::caused("store result lines", e))?;
        sqlx::query(
            "INSERT INTO kinerja_result (month, employee_id, opd_id, unit_id, position_title, approved_minutes, performance_bp, discipline_bp, \
             usage_penalty_bp, base_tpp, tpp, lines, computed_ms) \
             VALUES ($1, $2, $3, (SELECT p.unit_id FROM employee e JOIN position p ON p.id = e.position_id WHERE e.id = $2), $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (month, employee_id) DO UPDATE SET opd_id = excluded.opd_id, unit_id = excluded.unit_id, position_title = excluded.position_title, \
             approved_minutes = excluded.approved_minutes, performance_bp = excluded.performance_bp, discipline_bp = excluded.discipline_bp, \
             usage_penalty_bp = excluded.usage_penalty_bp, base_tpp = excluded.base_tpp, tpp = excluded.tpp, lines = excluded.lines, computed_ms = excluded.computed_ms",
        )
        .bind(month)
        .bind(&r.employee_id)
        .bind(opd_id)
        .bind(&r.position_title)
        .bind(r.approved_minutes)
        .bind(r.performance_bp)
        .bind(r.discipline_bp)
        .bind(r.usage_penalty_bp)
        .bind(r.base_tpp)
        .bind(r.tpp)
        .bind(lines)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// The month of a `bulan` parameter ("YYYY-MM"), or the current month (WIB) when it is empty.
pub fn month_or_now(bulan: &str) -> Result<i64> {
    if bulan.trim().is_empty() {
        return Ok(month_of_day(wib_day(now_ms())));
    }
    domain::activity::parse_month(bulan)
        .ok_or_else(|| BackendError::Invalid("Bulan tidak valid (pakai format YYYY-MM).".into()))
}

/// Evidence must be a JPEG or PNG photo or a PDF (by content), at most 5 MB.
fn check_evidence(name: &str, bytes: &[u8]) -> Result<&'static str> {
    if bytes.len() > 5 * 1024 * 1024 {
        return Err(BackendError::Invalid("Bukti paling besar 5 MB.".into()));
    }
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(BackendError::Invalid("Nama berkas bukti tidak valid.".into()));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG") {
        Ok("image/png")
    } else {
        Err(BackendError::Invalid("Bukti harus foto (JPEG atau PNG) atau PDF.".into()))
    }
}

/// The text of an uploaded CSV file, or None with the file error when it is not UTF-8.
fn csv_text<'a>(bytes: &'a [u8], out: &mut CsvOutcome) -> Option<&'a str> {
    let text = std::str::from_utf8(bytes).ok();
    if text.is_none() {
        out.file_errors
            .push("Berkas harus berupa teks UTF-8 (simpan ulang CSV sebagai UTF-8).".into());
    }
    text
}

/// The records of a CSV file after its header (comma or semicolon separated).
fn read_csv(text: &str, out: &mut CsvOutcome) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delim = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        match rec {
            Ok(rec) => {
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                rows.push(rec.iter().map(str::to_string).collect());
            }
            Err(_) => out.row_errors.push((i + 2, "Baris tidak dapat dibaca sebagai CSV.".into())),
        }
    }
    rows
}

/// "YYYY-MM-DD" or "DD/MM/YYYY".
fn parse_day(s: &str) -> Option<i64> {
    if let Some(d) = domain::time::parse_iso_date(s) {
        return Some(d);
    }
    let mut it = s.split('/');
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    domain::time::parse_iso_date(&format!("{y}-{m:0>2}-{d:0>2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_checked_by_content() {
        assert_eq!(check_evidence("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), "image/jpeg");
        assert_eq!(check_evidence("a.pdf", b"%PDF-1.7").unwrap(), "application/pdf");
        assert!(check_evidence("a.jpg", b"GIF89a").is_err());
    }

    #[test]
    fn attendance_dates_in_both_forms() {
        assert_eq!(parse_day("2026-12-01"), parse_day("1/12/2026"));
        assert_eq!(parse_day("31/02/2026"), None);
    }
}
