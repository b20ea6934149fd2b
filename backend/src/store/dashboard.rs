//! The leaders' dashboard (DOMAIN.md section 6): what is stuck and who is idle in one scope (the
//! whole Pemda, one OPD, or one division), and the reminders a leader sends from it.
//!
//! Who sees what: the Admin Pemda and the regency's leaders (role `PimpinanDaerah`) every OPD of
//! their Pemda; the head and the secretary of an OPD (held or acted for) their OPD; the head of a
//! division their division and the units below it. Anything else is refused.
//!
//! The figures are read from the tables every module already writes (letters and their actions,
//! dispositions, work events, activities); the pure rules (quadrants, medians, rate limit) live in
//! `domain::dashboard`.

use super::kinerja::{Scope, day_start_ms};
use super::letters::{LETTER_COLS, letter_from, waiting_for};
use super::notifications::{notify_tx, position_people_tx};
use super::{Actor, Store};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::activity::{month_days, month_of_day, working_days};
use domain::dashboard::*;
use domain::letter::{LetterState, Sifat};
use domain::model::{Opd, SessionUser};
use domain::org::PositionLevel;
use domain::time::{DAY_MS, wib_day};
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// Stuck items listed per kind (the rest are counted).
const LIST_LIMIT: i64 = 8;
/// Waiting letters listed when the list is narrowed to one level.
const LEVEL_LIST_LIMIT: i64 = 50;
/// How long the regency's month figures are served before they are recomputed (in the
/// background, while the previous ones are still served).
const REGENCY_FRESH_MS: i64 = 5 * 60_000;
/// Weeks in the trend.
const WEEKS: i64 = 8;

/// What a dashboard covers, resolved against the viewer's rights.
#[derive(Clone, Debug)]
pub struct DashScope {
    pub pemda_id: String,
    /// None: every OPD of the Pemda.
    pub opd: Option<Opd>,
    /// A division (or any unit) and its name.
    pub unit: Option<(String, String)>,
    opd_ids: Vec<String>,
    /// The unit and every unit below it, when the scope is a unit.
    unit_ids: Option<Vec<String>>,
    /// The viewer sees every OPD (the way back up leads to the regency).
    regency: bool,
}

/// The month-dependent, costly part of a dashboard.
#[derive(Clone, Debug)]
pub(crate) struct MonthScan {
    approval_times: Vec<LevelTime>,
    disposition_times: Vec<LevelTime>,
    usage: Vec<UsageRow>,
    people: Vec<PersonPoint>,
    computed_ms: i64,
}

/// Where a leader's rights reach.
enum Reach {
    Pemda,
    Opd(String),
    Unit(String, String),
}

/// Ids are generated hex strings; anything else never reaches SQL text.
fn id_list(ids: &[String]) -> Result<String> {
    if ids.is_empty() {
        return Ok("''".into());
    }
    if ids.iter().any(|i| {
        i.is_empty() || !i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(BackendError::internal("unexpected id in a dashboard scope"));
    }
    Ok(ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(","))
}

impl DashScope {
    /// One whole OPD, for work done on the OPD's behalf (closing a month).
    pub(crate) fn of_opd(opd: Opd) -> DashScope {
        DashScope {
            pemda_id: opd.pemda_id.clone(),
            opd_ids: vec![opd.id.clone()],
            opd: Some(opd),
            unit: None,
            unit_ids: None,
            regency: false,
        }
    }
    /// `col IN (the scope's OPDs)`.
    fn opd_in(&self, col: &str) -> Result<String> {
        Ok(format!("{col} IN ({})", id_list(&self.opd_ids)?))
    }
    /// ` AND pos_col is a position of the scope's units` (nothing for an OPD or the Pemda).
    fn unit_and(&self, pos_col: &str) -> Result<String> {
        Ok(match &self.unit_ids {
            Some(u) => format!(
                " AND {pos_col} IN (SELECT id FROM position WHERE unit_id IN ({}))",
                id_list(u)?
            ),
            None => String::new(),
        })
    }
    /// The positions of the scope, for a `position` table alias.
    fn position_filter(&self, alias: &str) -> Result<String> {
        let mut f = format!("{alias}.opd_id IN ({})", id_list(&self.opd_ids)?);
        if let Some(u) = &self.unit_ids {
            f.push_str(&format!(" AND {alias}.unit_id IN ({})", id_list(u)?));
        }
        Ok(f)
    }
    fn has_unit(&self, unit_id: Option<&str>) -> bool {
        match &self.unit_ids {
            None => true,
            Some(u) => unit_id.is_some_and(|x| u.iter().any(|y| y == x)),
        }
    }
    fn href(&self) -> String {
        match (&self.opd, &self.unit) {
            (Some(o), Some((u, _))) => format!("/dashboard?opd={}&unit={u}", o.id),
            (Some(o), None) => format!("/dashboard?opd={}", o.id),
            _ => "/dashboard".into(),
        }
    }
}

/// The units below `root` (itself included), from (id, parent) pairs.
fn subtree(units: &[(String, Option<String>, String)], root: &str) -> Vec<String> {
    let mut out = vec![root.to_string()];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i].clone();
        out.extend(
            units.iter().filter(|u| u.1.as_deref() == Some(cur.as_str())).map(|u| u.0.clone()),
        );
        i += 1;
    }
    out
}

/// The item an intervention acts on.
struct Target {
    opd_id: String,
    /// Where it waits; None once it is finished.
    position: Option<String>,
    subject: String,
    link: String,
}

fn kind_word(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Letter => "surat",
        ItemKind::Disposition => "disposisi",
    }
}

/// The reason a leader gives for an escalation or a reassignment.
fn check_reason(note: &str) -> Result<&str> {
    let note = note.trim();
    if note.chars().count() < 5 || note.chars().count() > 500 {
        return Err(BackendError::invalid("Tulis alasannya (5 sampai 500 huruf)."));
    }
    Ok(note)
}

/// One intervention row (reminder, escalation, reassignment).
#[allow(clippy::too_many_arguments)]
async fn record_intervention(
    tx: &mut super::WriteTx,
    kind: ItemKind,
    id: &str,
    opd_id: &str,
    action: &str,
    user: &SessionUser,
    position: &str,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO intervention (id, item_kind, item_id, opd_id, action, by_employee_id, target_position_id, note, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(kind.code())
    .bind(id)
    .bind(opd_id)
    .bind(action)
    .bind(&user.employee_id)
    .bind(position)
    .bind(note)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn hidden(sifat: &str) -> bool {
    matches!(Sifat::from_code(sifat), Some(Sifat::Rahasia | Sifat::SangatRahasia))
}

impl Store {
    async fn reach(&self, user: &SessionUser) -> Result<Vec<Reach>> {
        if user.caps.is_regency_leader() {
            return Ok(vec![Reach::Pemda]);
        }
        let mut out = Vec::new();
        for p in user.positions.iter().filter(|p| p.level <= PositionLevel::KepalaBidang) {
            let pos = self.get_position(&p.position_id).await?;
            out.push(match p.level {
                PositionLevel::KepalaBidang => Reach::Unit(pos.opd_id, pos.unit_id),
                _ => Reach::Opd(pos.opd_id),
            });
        }
        Ok(out)
    }

    async fn units_of(&self, opd_id: &str) -> Result<Vec<(String, Option<String>, String)>> {
        sqlx::query(
            "SELECT id, parent_id, name FROM unit WHERE opd_id = $1 ORDER BY sort_order, name",
        )
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("parent_id")?, r.try_get("name")?)))
        .collect()
    }

    /// The scope a leader asked for (an OPD, a unit, or nothing for their widest view), or
    /// Forbidden when it is outside their rights.
    pub async fn dashboard_scope(
        &self,
        user: &SessionUser,
        opd: Option<&str>,
        unit: Option<&str>,
    ) -> Result<DashScope> {
        let refused = || {
            BackendError::Forbidden(
                "Dasbor ini di luar kewenangan Anda. Dasbor pimpinan hanya untuk Bupati/Sekda, Admin Pemda, kepala dan sekretaris OPD (OPD-nya) dan kepala bidang (bidangnya)."
                    .into(),
            )
        };
        let reach = self.reach(user).await?;
        if reach.is_empty() {
            return Err(refused());
        }
        let regency = matches!(reach[0], Reach::Pemda);
        let opd = opd.map(str::trim).filter(|s| !s.is_empty());
        let unit = unit.map(str::trim).filter(|s| !s.is_empty());
        // Nothing asked: the widest view.
        let (opd_id, unit_id) = match (opd, unit) {
            (None, None) => match &reach[0] {
                Reach::Pemda => {
                    let opds = self.list_opds(&user.pemda_id).await?;
                    return Ok(DashScope {
                        pemda_id: user.pemda_id.clone(),
                        opd: None,
                        unit: None,
                        opd_ids: opds.into_iter().filter(|o| o.active).map(|o| o.id).collect(),
                        unit_ids: None,
                        regency,
                    });
                }
                Reach::Opd(o) => (o.clone(), None),
                Reach::Unit(o, u) => (o.clone(), Some(u.clone())),
            },
            (Some(o), u) => (o.to_string(), u.map(str::to_string)),
            (None, Some(u)) => {
                let found = self.get_unit(u).await.map_err(|_| refused())?;
                (found.opd_id, Some(u.to_string()))
            }
        };
        let the_opd = self.get_opd(&opd_id).await.map_err(|_| refused())?;
        if the_opd.pemda_id != user.pemda_id {
            return Err(refused());
        }
        let units = self.units_of(&opd_id).await?;
        let unit_pick = match &unit_id {
            Some(u) => Some(
                units
                    .iter()
                    .find(|x| &x.0 == u)
                    .map(|x| (x.0.clone(), x.2.clone()))
                    .ok_or_else(refused)?,
            ),
            None => None,
        };
        let allowed = reach.iter().any(|r| match r {
            Reach::Pemda => true,
            Reach::Opd(o) => *o == opd_id,
            Reach::Unit(o, root) => {
                *o == opd_id
                    && unit_pick.as_ref().is_some_and(|(u, _)| subtree(&units, root).contains(u))
            }
        });
        if !allowed {
            return Err(refused());
        }
        let unit_ids = unit_pick.as_ref().map(|(u, _)| subtree(&units, u));
        Ok(DashScope {
            pemda_id: user.pemda_id.clone(),
            opd_ids: vec![opd_id],
            opd: Some(the_opd),
            unit: unit_pick,
            unit_ids,
            regency,
        })
    }

    /// Everything the dashboard shows for one scope, now. With `level` (a `PositionLevel` code)
    /// the list of waiting letters holds those waiting at that level only, and more of them.
    pub async fn dashboard(
        &self,
        user: &SessionUser,
        scope: &DashScope,
        level: Option<i64>,
    ) -> Result<DashboardView> {
        let now = now_ms();
        let today = wib_day(now);
        let month = month_of_day(today);
        let settings = self.kinerja_settings(&scope.pemda_id).await?;
        let dispo_service_ms = settings.disposition_service_hours * 3_600_000;
        let opd_in = |c: &str| scope.opd_in(c);

        // Letters waiting, per position, from the queue counters every move keeps in step
        // (`counters::move_queue`, checked by `counter_drift`): counting the letters themselves
        // costs a scan of every waiting letter of the regency. The oldest per position comes
        // from the `letter_waiting` index.
        let level = level.and_then(PositionLevel::from_code).map(|l| l.code());
        let per_position: Vec<(String, i64, i64, Option<i64>)> = sqlx::query(&format!(
            "SELECT q.position_id, CAST(p.level AS BIGINT) AS level, q.waiting, \
             (SELECT MIN(l.updated_ms) FROM letter l WHERE l.waiting_position_id = q.position_id) AS oldest \
             FROM position_queue q JOIN position p ON p.id = q.position_id WHERE q.waiting > 0 AND {}",
            scope.position_filter("p")?
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("position_id")?, r.try_get("level")?, r.try_get("waiting")?, r.try_get("oldest")?)))
        .collect::<Result<_>>()?;
        let mut by_level: std::collections::BTreeMap<i64, LevelWait> = Default::default();
        for (_, lv, n, oldest) in &per_position {
            let w =
                by_level.entry(*lv).or_insert(LevelWait { level: *lv, count: 0, oldest_ms: None });
            w.count += n;
            w.oldest_ms = match (w.oldest_ms, *oldest) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        let waiting: Vec<LevelWait> = by_level.into_values().collect();
        let waiting_total = waiting.iter().map(|w| w.count).sum();
        // The oldest of them: the N oldest letters all wait at one of the N positions whose own
        // oldest is oldest, so only those positions' letters are read.
        let limit = if level.is_some() { LEVEL_LIST_LIMIT } else { LIST_LIMIT };
        let mut candidates: Vec<&(String, i64, i64, Option<i64>)> =
            per_position.iter().filter(|p| level.is_none_or(|l| p.1 == l)).collect();
        candidates.sort_by_key(|p| p.3.unwrap_or(i64::MAX));
        let positions: Vec<String> =
            candidates.iter().take(limit as usize).map(|p| p.0.clone()).collect();
        let stuck_sql = format!(
            "SELECT l.id, l.subject, l.sifat, l.updated_ms, l.waiting_position_id, p.title, o.short_name FROM letter l \
             JOIN position p ON p.id = l.waiting_position_id JOIN opd o ON o.id = l.opd_id \
             WHERE l.waiting_position_id IN ({}) ORDER BY l.updated_ms, l.id LIMIT {limit}",
            id_list(&positions)?
        );
        let mut stuck = Vec::new();
        for r in sqlx::query(&stuck_sql).fetch_all(&self.pool).await? {
            let id: String = r.try_get("id")?;
            let sifat: String = r.try_get("sifat")?;
            let visible = self.visible_letter(user, &id).await.is_ok();
            let pos: String = r.try_get("waiting_position_id")?;
            stuck.push(StuckItem {
                kind: ItemKind::Letter,
                title: (visible || !hidden(&sifat)).then(|| r.try_get("subject")).transpose()?,
                link: visible.then(|| format!("/surat-keluar/{id}")),
                waiting_at: r.try_get("title")?,
                holders: self.people_names(&pos).await?,
                opd_name: r.try_get("short_name")?,
                since_ms: r.try_get("updated_ms")?,
                deadline_day: None,
                reminded_ms: self.last_reminder(ItemKind::Letter, &id).await?,
                id,
            });
        }
        // Dispositions past their deadline and not followed up.
        let overdue_where = format!(
            "d.status = 'open' AND d.deadline_day < {today} AND {}{}",
            opd_in("d.opd_id")?,
            scope.unit_and("d.to_position_id")?
        );
        let overdue_total: i64 =
            sqlx::query(&format!("SELECT COUNT(*) AS n FROM disposition d WHERE {overdue_where}"))
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
        let mut overdue = Vec::new();
        for r in sqlx::query(&format!(
            "SELECT d.id, d.incoming_id, d.subject, d.sifat, d.created_ms, d.deadline_day, d.to_position_id, p.title, o.short_name \
             FROM disposition d JOIN position p ON p.id = d.to_position_id JOIN opd o ON o.id = d.opd_id \
             WHERE {overdue_where} ORDER BY d.deadline_day, d.created_ms, d.id LIMIT {LIST_LIMIT}"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let id: String = r.try_get("id")?;
            let incoming: String = r.try_get("incoming_id")?;
            let sifat: String = r.try_get("sifat")?;
            let visible = self.incoming_access(user, &incoming).await.is_ok();
            let pos: String = r.try_get("to_position_id")?;
            overdue.push(StuckItem {
                kind: ItemKind::Disposition,
                title: (visible || !hidden(&sifat)).then(|| r.try_get("subject")).transpose()?,
                link: visible.then(|| format!("/surat-masuk/{incoming}")),
                waiting_at: r.try_get("title")?,
                holders: self.people_names(&pos).await?,
                opd_name: r.try_get("short_name")?,
                since_ms: r.try_get("created_ms")?,
                deadline_day: r.try_get("deadline_day")?,
                reminded_ms: self.last_reminder(ItemKind::Disposition, &id).await?,
                id,
            });
        }
        // Registered mail nobody has disposed within the service level (an OPD's matter, not a unit's).
        let undisposed: i64 = if scope.unit_ids.is_some() {
            0
        } else {
            sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM incoming_letter WHERE {} AND status = 'open' AND received_ms < $1",
                opd_in("opd_id")?
            ))
            .bind(now - dispo_service_ms)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?
        };

        // The month's figures (service times, use, quadrants): read in full for an OPD or a
        // unit; for the whole regency kept for a few minutes and refreshed behind the scenes.
        let scan = self.month_scan_cached(scope).await?;
        let MonthScan { approval_times, disposition_times, usage: groups, people, computed_ms: _ } =
            (*scan).clone();
        let thresholds = settings.quadrant;
        let mut quadrants = [0i64; 4];
        let mut unplaced = 0i64;
        for g in &groups {
            for (t, n) in quadrants.iter_mut().zip(g.quadrants) {
                *t += n;
            }
            unplaced += g.unplaced;
        }
        // Ten thousand points say nothing on a phone: the regency shows the quadrants per OPD.
        let mut people = if scope.opd.is_none() { Vec::new() } else { people };
        if !people.is_empty() {
            let mut proposed: HashMap<String, Vec<CandidateKind>> = HashMap::new();
            for r in sqlx::query(&format!(
                "SELECT employee_id, kind FROM reward_candidate WHERE month = $1 AND {}",
                opd_in("opd_id")?
            ))
            .bind(month)
            .fetch_all(&self.pool)
            .await?
            {
                if let Some(k) = CandidateKind::from_code(&r.try_get::<String, _>("kind")?) {
                    proposed.entry(r.try_get("employee_id")?).or_default().push(k);
                }
            }
            for p in &mut people {
                p.proposed = proposed.remove(&p.employee_id).unwrap_or_default();
            }
        }

        // Weekly trend: letters signed, median draft-to-signature time, dispositions late.
        let first_week = week_start(today) - (WEEKS - 1) * 7;
        let mut weeks: Vec<WeekTrend> = (0..WEEKS)
            .map(|i| WeekTrend {
                start_day: first_week + i * 7,
                signed: 0,
                median_turnaround_ms: None,
                overdue: 0,
            })
            .collect();
        let mut turn: Vec<Vec<i64>> = vec![Vec::new(); WEEKS as usize];
        for r in sqlx::query(&format!(
            "SELECT l.signed_ms, l.created_ms FROM letter l WHERE {} AND l.signed_ms >= $1{}",
            opd_in("l.opd_id")?,
            scope.unit_and("l.drafter_position_id")?
        ))
        .bind(day_start_ms(first_week))
        .fetch_all(&self.pool)
        .await?
        {
            let signed: i64 = r.try_get("signed_ms")?;
            let w = ((wib_day(signed) - first_week) / 7) as usize;
            if let Some(week) = weeks.get_mut(w) {
                week.signed += 1;
                turn[w].push(signed - r.try_get::<i64, _>("created_ms")?);
            }
        }
        for (w, t) in weeks.iter_mut().zip(turn.iter_mut()) {
            w.median_turnaround_ms = median(t);
        }
        for r in sqlx::query(&format!(
            "SELECT d.deadline_day, d.reported_ms FROM disposition d WHERE {}{} AND d.deadline_day >= $1 AND d.deadline_day < $2",
            opd_in("d.opd_id")?,
            scope.unit_and("d.to_position_id")?
        ))
        .bind(first_week)
        .bind(today)
        .fetch_all(&self.pool)
        .await?
        {
            let deadline: i64 = r.try_get("deadline_day")?;
            let late = match r.try_get::<Option<i64>, _>("reported_ms")? {
                Some(t) => wib_day(t) > deadline,
                None => true,
            };
            if late && let Some(week) = weeks.get_mut(((deadline - first_week) / 7) as usize) {
                week.overdue += 1;
            }
        }

        let mut crumbs = Vec::new();
        if scope.regency {
            crumbs.push(Choice { label: user.pemda_name.clone(), href: "/dashboard".into() });
        }
        if let Some(o) = &scope.opd {
            crumbs.push(Choice {
                label: o.short_name.clone(),
                href: format!("/dashboard?opd={}", o.id),
            });
        }
        if scope.unit.is_some() {
            crumbs.push(Choice { label: String::new(), href: scope.href() });
        }
        let title = match (&scope.opd, &scope.unit) {
            (_, Some((_, name))) => name.clone(),
            (Some(o), None) => o.name.clone(),
            (None, _) => user.pemda_name.clone(),
        };
        if let Some(last) = crumbs.last_mut()
            && last.label.is_empty()
        {
            last.label = title.clone();
        }
        Ok(DashboardView {
            href: scope.href(),
            level,
            title,
            crumbs,
            per_opd: scope.opd.is_none(),
            month,
            generated_ms: now,
            waiting_total,
            waiting,
            stuck,
            overdue_total,
            overdue,
            undisposed,
            approval_times,
            disposition_times,
            usage: groups,
            people,
            quadrants,
            unplaced,
            month_computed_ms: scan.computed_ms,
            thresholds,
            weeks,
            reassign_to: self.reassign_choices(scope).await?,
        })
    }

    /// The month's figures of a scope, from the regency cache when fresh enough.
    async fn month_scan_cached(&self, scope: &DashScope) -> Result<std::sync::Arc<MonthScan>> {
        if scope.opd.is_some() {
            return Ok(std::sync::Arc::new(
                self.month_scan(scope, month_of_day(wib_day(now_ms()))).await?,
            ));
        }
        let key = scope.pemda_id.clone();
        let now = now_ms();
        let cached = self.dash_cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        match cached {
            Some(c) if now - c.computed_ms < REGENCY_FRESH_MS => Ok(c),
            Some(c) => {
                // Stale: answer with it and refresh once in the background.
                let refreshing = {
                    let mut busy = self.dash_refreshing.lock().unwrap_or_else(|e| e.into_inner());
                    !busy.insert(key.clone())
                };
                if !refreshing {
                    let store = self.clone();
                    let scope = scope.clone();
                    tokio::spawn(async move {
                        if let Err(e) = store.refresh_regency(&scope).await {
                            tracing::warn!("dashboard refresh: {e}");
                        }
                        store
                            .dash_refreshing
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .remove(&scope.pemda_id);
                    });
                }
                Ok(c)
            }
            None => self.refresh_regency(scope).await,
        }
    }

    async fn refresh_regency(&self, scope: &DashScope) -> Result<std::sync::Arc<MonthScan>> {
        let scan =
            std::sync::Arc::new(self.month_scan(scope, month_of_day(wib_day(now_ms()))).await?);
        self.dash_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(scope.pemda_id.clone(), scan.clone());
        Ok(scan)
    }

    /// Computes the regency figures of every Pemda ahead of the first visit (at server start).
    pub async fn warm_dashboards(&self) -> Result<()> {
        for pemda in sqlx::query("SELECT id FROM pemda").fetch_all(&self.pool).await? {
            let pemda_id: String = pemda.try_get("id")?;
            let opds = self.list_opds(&pemda_id).await?;
            let scope = DashScope {
                pemda_id,
                opd: None,
                unit: None,
                opd_ids: opds.into_iter().filter(|o| o.active).map(|o| o.id).collect(),
                unit_ids: None,
                regency: true,
            };
            self.refresh_regency(&scope).await?;
        }
        Ok(())
    }

    /// This month's service times per level, e-Office use per OPD or unit, and everyone's place
    /// on the quadrants.
    async fn month_scan(&self, scope: &DashScope, month: i64) -> Result<MonthScan> {
        let now = now_ms();
        let (from, to) = month_days(month).ok_or_else(|| BackendError::internal("month"))?;
        // A past month is judged over all of it.
        let today = wib_day(now).min(to);
        let month_start = day_start_ms(from);
        let month_end = day_start_ms(to);
        let week_ago = now - 7 * DAY_MS;
        let settings = self.kinerja_settings(&scope.pemda_id).await?;
        let service_ms = settings.stale_review_hours * 3_600_000;
        let dispo_service_ms = settings.disposition_service_hours * 3_600_000;
        let opd_in = |c: &str| scope.opd_in(c);
        // This month's approval steps: how long each level took, and who kept to the service level.
        let mut approvals: HashMap<String, (i64, i64)> = HashMap::new();
        let mut drafts: HashMap<String, (i64, i64)> = HashMap::new();
        let mut level_waits: HashMap<i64, Vec<i64>> = HashMap::new();
        {
            let rows = sqlx::query(&format!(
                "SELECT a.letter_id, a.actor_id, a.action, a.at_ms, CAST(p.level AS BIGINT) AS level, p.unit_id, l.drafter_id \
                 FROM letter_action a JOIN letter l ON l.id = a.letter_id LEFT JOIN position p ON p.id = a.position_id \
                 WHERE {} AND a.letter_id IN (SELECT letter_id FROM letter_action WHERE at_ms >= $1 AND at_ms < $2) \
                 AND a.at_ms < $2 ORDER BY a.letter_id, a.seq",
                opd_in("l.opd_id")?
            ))
            .bind(month_start)
            .bind(month_end)
            .fetch_all(&self.pool)
            .await?;
            let mut prev: Option<(String, i64)> = None;
            let mut decided: HashMap<String, (String, bool)> = HashMap::new();
            for r in &rows {
                let letter: String = r.try_get("letter_id")?;
                let at: i64 = r.try_get("at_ms")?;
                let action: String = r.try_get("action")?;
                let decision = matches!(action.as_str(), "paraf" | "return" | "sign" | "cosign");
                if decision && at >= month_start {
                    let drafter: String = r.try_get("drafter_id")?;
                    let e = decided.entry(letter.clone()).or_insert((drafter, true));
                    if action == "return" {
                        e.1 = false;
                    }
                }
                if let Some((l, before)) = &prev
                    && *l == letter
                    && decision
                    && at >= month_start
                {
                    let wait = at - before;
                    let actor: String = r.try_get("actor_id")?;
                    let e = approvals.entry(actor).or_default();
                    e.0 += 1;
                    if wait <= service_ms {
                        e.1 += 1;
                    }
                    let unit: Option<String> = r.try_get("unit_id")?;
                    if let Some(level) = r.try_get::<Option<i64>, _>("level")?
                        && scope.has_unit(unit.as_deref())
                    {
                        level_waits.entry(level).or_default().push(wait);
                    }
                }
                prev = Some((letter, at));
            }
            for (drafter, clean) in decided.into_values() {
                let e = drafts.entry(drafter).or_default();
                e.0 += 1;
                if clean {
                    e.1 += 1;
                }
            }
        }
        let approval_times = PositionLevel::ALL
            .iter()
            .filter(|l| **l != PositionLevel::Staf)
            .map(|l| {
                let mut w = level_waits.remove(&l.code()).unwrap_or_default();
                LevelTime {
                    label: l.label_id().to_string(),
                    count: w.len() as i64,
                    median_ms: median(&mut w),
                    service_ms,
                }
            })
            .collect();

        // Dispositions due this month (on time or not) and how long each level took to report.
        let mut dispo_due: HashMap<String, (i64, i64)> = HashMap::new();
        let mut dispo_waits: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT d.to_employee_id, d.deadline_day, d.created_ms, d.reported_ms, CAST(p.level AS BIGINT) AS level \
             FROM disposition d JOIN position p ON p.id = d.to_position_id \
             WHERE {}{} AND ((d.deadline_day >= $1 AND d.deadline_day <= $2) OR d.reported_ms >= $3)",
            opd_in("d.opd_id")?,
            scope.unit_and("d.to_position_id")?
        ))
        .bind(from)
        .bind(today)
        .bind(month_start)
        .fetch_all(&self.pool)
        .await?
        {
            let reported: Option<i64> = r.try_get("reported_ms")?;
            if let Some(rep) = reported.filter(|t| *t >= month_start && *t < month_end) {
                let created: i64 = r.try_get("created_ms")?;
                dispo_waits.entry(r.try_get("level")?).or_default().push(rep - created);
            }
            let (Some(deadline), Some(who)) = (
                r.try_get::<Option<i64>, _>("deadline_day")?,
                r.try_get::<Option<String>, _>("to_employee_id")?,
            ) else {
                continue;
            };
            if deadline < from || deadline > today || deadline >= to {
                continue;
            }
            // Judged once it is reported or its deadline has passed.
            let judged = reported.is_some() || deadline < today;
            if judged {
                let e = dispo_due.entry(who).or_default();
                e.0 += 1;
                if reported.is_some_and(|t| wib_day(t) <= deadline) {
                    e.1 += 1;
                }
            }
        }
        let disposition_times = PositionLevel::ALL
            .iter()
            .map(|l| {
                let mut w = dispo_waits.remove(&l.code()).unwrap_or_default();
                LevelTime {
                    label: l.label_id().to_string(),
                    count: w.len() as i64,
                    median_ms: median(&mut w),
                    service_ms: dispo_service_ms,
                }
            })
            .filter(|t| t.count > 0 || t.label != PositionLevel::KepalaOpd.label_id())
            .collect();

        // People, their activities and their e-Office use.
        if let Some(o) = &scope.opd {
            self.sync_activities(Scope::Opd(&o.id), month).await?;
        } else {
            for o in &scope.opd_ids {
                self.sync_activities(Scope::Opd(o), month).await?;
            }
        }
        let mut acts: HashMap<String, [i64; 5]> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT employee_id, CAST(SUM(CASE WHEN status = 'approved' THEN minutes ELSE 0 END) AS BIGINT) AS approved, \
             SUM(CASE WHEN validator_id IS NOT NULL THEN 1 ELSE 0 END) AS validated, \
             SUM(CASE WHEN validator_id IS NOT NULL AND status = 'approved' THEN 1 ELSE 0 END) AS ok, \
             SUM(CASE WHEN source = 'manual' THEN 1 ELSE 0 END) AS manual, \
             SUM(CASE WHEN source = 'manual' AND created_ms >= $1 THEN 1 ELSE 0 END) AS manual_week \
             FROM activity WHERE {} AND month = $2 GROUP BY employee_id",
            opd_in("opd_id")?
        ))
        .bind(week_ago)
        .bind(month)
        .fetch_all(&self.pool)
        .await?
        {
            let n = |c: &str| -> Result<i64> {
                Ok(r.try_get::<Option<i64>, _>(c)?.unwrap_or(0))
            };
            acts.insert(
                r.try_get("employee_id")?,
                [n("approved")?, n("validated")?, n("ok")?, n("manual")?, n("manual_week")?],
            );
        }
        let mut events: HashMap<String, (i64, i64)> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT employee_id, SUM(CASE WHEN at_ms >= $1 THEN 1 ELSE 0 END) AS week, \
             SUM(CASE WHEN entity = 'letter' AND at_ms >= $2 THEN 1 ELSE 0 END) AS letters \
             FROM work_event WHERE {} AND at_ms >= $3 GROUP BY employee_id",
            opd_in("opd_id")?
        ))
        .bind(week_ago)
        .bind(month_start)
        .bind(week_ago.min(month_start))
        .fetch_all(&self.pool)
        .await?
        {
            events.insert(
                r.try_get("employee_id")?,
                (
                    r.try_get::<Option<i64>, _>("week")?.unwrap_or(0),
                    r.try_get::<Option<i64>, _>("letters")?.unwrap_or(0),
                ),
            );
        }
        let holidays = self.holiday_days(&scope.pemda_id, month).await?;
        let month_days_total = working_days(month, &holidays, to).len() as i64;
        let thresholds = settings.quadrant;
        // Groups of the usage table: OPDs for the Pemda, the units right below for an OPD or a unit.
        let mut groups: Vec<UsageRow> = Vec::new();
        let mut group_of_unit: HashMap<String, usize> = HashMap::new();
        match (&scope.opd, &scope.unit) {
            (None, _) => {
                for o in self.list_opds(&scope.pemda_id).await?.into_iter().filter(|o| o.active) {
                    groups.push(UsageRow {
                        link: Some(format!("/dashboard?opd={}", o.id)),
                        id: o.id,
                        name: o.short_name,
                        people: 0,
                        active_week: 0,
                        letters_handled: 0,
                        activities: 0,
                        quadrants: [0; 4],
                        unplaced: 0,
                    });
                }
            }
            (Some(o), unit) => {
                let units = self.units_of(&o.id).await?;
                let root = match unit {
                    Some((u, _)) => u.clone(),
                    None => units
                        .iter()
                        .find(|u| u.1.is_none())
                        .map(|u| u.0.clone())
                        .unwrap_or_default(),
                };
                let root_name =
                    units.iter().find(|u| u.0 == root).map(|u| u.2.clone()).unwrap_or_default();
                groups.push(UsageRow {
                    id: root.clone(),
                    name: root_name,
                    link: None,
                    people: 0,
                    active_week: 0,
                    letters_handled: 0,
                    activities: 0,
                    quadrants: [0; 4],
                    unplaced: 0,
                });
                group_of_unit.insert(root.clone(), 0);
                for child in units.iter().filter(|u| u.1.as_deref() == Some(root.as_str())) {
                    let idx = groups.len();
                    groups.push(UsageRow {
                        id: child.0.clone(),
                        name: child.2.clone(),
                        link: Some(format!("/dashboard?opd={}&unit={}", o.id, child.0)),
                        people: 0,
                        active_week: 0,
                        letters_handled: 0,
                        activities: 0,
                        quadrants: [0; 4],
                        unplaced: 0,
                    });
                    for u in subtree(&units, &child.0) {
                        group_of_unit.insert(u, idx);
                    }
                }
            }
        }
        let group_index: HashMap<String, usize> =
            groups.iter().enumerate().map(|(i, g)| (g.id.clone(), i)).collect();
        let mut people = Vec::new();
        for r in sqlx::query(&format!(
            "SELECT e.id, e.name, e.opd_id, e.created_ms, p.unit_id, COALESCE(u.name, '') AS unit_name FROM employee e \
             JOIN position p ON p.id = e.position_id LEFT JOIN unit u ON u.id = p.unit_id \
             WHERE e.active = 1 AND {} ORDER BY e.name",
            opd_in("e.opd_id")?
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let unit: Option<String> = r.try_get("unit_id")?;
            if !scope.has_unit(unit.as_deref()) {
                continue;
            }
            let id: String = r.try_get("id")?;
            let a = acts.get(&id).copied().unwrap_or_default();
            let (week, letters) = events.get(&id).copied().unwrap_or_default();
            let group = if scope.opd.is_none() {
                group_index.get(&r.try_get::<String, _>("opd_id")?).copied()
            } else {
                unit.as_ref().and_then(|u| group_of_unit.get(u)).copied()
            };
            if let Some(g) = group.and_then(|g| groups.get_mut(g)) {
                g.people += 1;
                if week > 0 || a[4] > 0 {
                    g.active_week += 1;
                }
                g.letters_handled += letters;
                g.activities += a[3];
            }
            // Productivity against the target of the working days so far (from joining, if later).
            let joined = wib_day(r.try_get("created_ms")?).max(from);
            // At least one day's worth for anyone employed (the month's first days may be off).
            let days_so_far = (working_days(month, &holidays, today + 1)
                .iter()
                .filter(|d| **d >= joined)
                .count() as i64)
                .max(1);
            let target = prorated_target(
                settings.scoring.monthly_target_minutes,
                month_days_total,
                days_so_far,
            );
            let x_bp = productivity_bp(a[0], target);
            let (due, on_time) = dispo_due.get(&id).copied().unwrap_or_default();
            let (decided, clean) = drafts.get(&id).copied().unwrap_or_default();
            let (given, in_time) = approvals.get(&id).copied().unwrap_or_default();
            let q = QualityCounts {
                dispositions_due: due,
                dispositions_on_time: on_time,
                drafts_decided: decided,
                drafts_clean: clean,
                activities_validated: a[1],
                activities_approved: a[2],
                approvals: given,
                approvals_in_time: in_time,
            };
            let y_bp = quality_bp(&q);
            let quadrant = y_bp.map(|y| classify(x_bp, y, thresholds));
            if let Some(g) = group.and_then(|g| groups.get_mut(g)) {
                match quadrant {
                    Some(q) => g.quadrants[Quadrant::ALL.iter().position(|x| *x == q).unwrap_or(3)] += 1,
                    None => g.unplaced += 1,
                }
            }
            people.push(PersonPoint {
                name: r.try_get("name")?,
                unit: r.try_get("unit_name")?,
                x_bp,
                y_bp,
                quadrant,
                employee_id: id,
                proposed: Vec::new(),
            });
        }

        Ok(MonthScan { approval_times, disposition_times, usage: groups, people, computed_ms: now })
    }

    /// Who acts for a position today, by name ("kosong" when nobody does).
    async fn people_names(&self, position_id: &str) -> Result<String> {
        let today = wib_day(now_ms());
        let names: Vec<String> = sqlx::query(
            "SELECT name FROM employee WHERE position_id = $1 AND active = 1 \
             UNION SELECT e.name FROM acting a JOIN employee e ON e.id = a.employee_id \
             WHERE a.position_id = $1 AND a.ended = 0 AND a.start_day <= $2 AND a.end_day >= $2 AND e.active = 1",
        )
        .bind(position_id)
        .bind(today)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<std::result::Result<_, _>>()?;
        Ok(if names.is_empty() { "(jabatan kosong)".into() } else { names.join(", ") })
    }

    async fn last_reminder(&self, kind: ItemKind, id: &str) -> Result<Option<i64>> {
        Ok(sqlx::query(
            "SELECT MAX(at_ms) AS t FROM intervention WHERE item_kind = $1 AND item_id = $2 AND action = 'remind'",
        )
        .bind(kind.code())
        .bind(id)
        .fetch_one(&self.pool)
        .await?
        .try_get("t")?)
    }

    /// What an intervention acts on: the item's OPD, the position it waits at (None once
    /// finished), its subject and where it is read. Checks that the caller leads that position
    /// (it is in their dashboard) and is not the one it waits for.
    async fn intervention_target(
        &self,
        user: &SessionUser,
        kind: ItemKind,
        id: &str,
    ) -> Result<Target> {
        let not_found =
            || BackendError::not_found("Surat atau disposisi tersebut tidak ditemukan.");
        let t = match kind {
            ItemKind::Letter => {
                let r = sqlx::query(
                    "SELECT opd_id, waiting_position_id, subject FROM letter WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(not_found)?;
                Target {
                    opd_id: r.try_get("opd_id")?,
                    position: r.try_get("waiting_position_id")?,
                    subject: r.try_get("subject")?,
                    link: format!("/surat-keluar/{id}"),
                }
            }
            ItemKind::Disposition => {
                let r = sqlx::query(
                    "SELECT opd_id, to_position_id, status, subject, incoming_id FROM disposition WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(not_found)?;
                let open = r.try_get::<String, _>("status")? == "open";
                Target {
                    opd_id: r.try_get("opd_id")?,
                    position: open.then(|| r.try_get("to_position_id")).transpose()?,
                    subject: r.try_get("subject")?,
                    link: format!("/surat-masuk/{}", r.try_get::<String, _>("incoming_id")?),
                }
            }
        };
        let outside = || {
            BackendError::Forbidden("Anda hanya dapat bertindak dalam lingkup dasbor Anda.".into())
        };
        // Within the leader's own dashboard: the OPD, or the division the item waits in.
        let scope = match self.dashboard_scope(user, Some(&t.opd_id), None).await {
            Ok(s) => s,
            Err(BackendError::Forbidden(_)) => {
                let unit = match &t.position {
                    Some(p) => Some(self.get_position(p).await?.unit_id),
                    None => None,
                };
                self.dashboard_scope(user, Some(&t.opd_id), unit.as_deref())
                    .await
                    .map_err(|_| outside())?
            }
            Err(e) => return Err(e),
        };
        let Some(position) = &t.position else {
            return Err(BackendError::Conflict(
                "Sudah selesai: item ini tidak lagi menunggu siapa pun.".into(),
            ));
        };
        if scope.unit_ids.is_some()
            && !scope.has_unit(Some(&self.get_position(position).await?.unit_id))
        {
            return Err(outside());
        }
        if user.positions.iter().any(|p| &p.position_id == position) {
            return Err(BackendError::invalid("Item ini sedang menunggu Anda sendiri."));
        }
        Ok(t)
    }

    /// A leader reminds whoever holds a letter or a disposition: they get a notice naming the
    /// leader; the reminder is audited, shown in the letter's history, and allowed once per item
    /// and holder every `REMIND_INTERVAL_MS`. Refused for an item outside the leader's dashboard,
    /// an item no longer waiting, or one waiting for the leader themself.
    pub async fn remind(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        kind: ItemKind,
        id: &str,
    ) -> Result<()> {
        let t = self.intervention_target(user, kind, id).await?;
        let position = t.position.clone().unwrap_or_default();
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        // Read the last reminder inside the write, so two leaders at once cannot both send one.
        // Per item and position: once the item moves on, its new holder may be reminded.
        let last: Option<i64> = sqlx::query(
            "SELECT MAX(at_ms) AS t FROM intervention WHERE item_kind = $1 AND item_id = $2 AND action = 'remind' \
             AND target_position_id = $3",
        )
        .bind(kind.code())
        .bind(id)
        .bind(&position)
        .fetch_one(tx.conn())
        .await?
        .try_get("t")?;
        if !may_remind(last, now) {
            let next = last.unwrap_or(now) + REMIND_INTERVAL_MS;
            return Err(BackendError::RateLimited(format!(
                "Pengingat untuk item ini sudah dikirim; pengingat berikutnya dapat dikirim mulai {}.",
                domain::time::long_datetime(next, domain::Lang::Id)
            )));
        }
        let people = position_people_tx(&mut tx, &position).await?;
        if people.is_empty() {
            return Err(BackendError::Conflict(
                "Jabatan ini sedang kosong: tidak ada yang dapat diingatkan. Tunjuk Plt/Plh terlebih dahulu.".into(),
            ));
        }
        record_intervention(&mut tx, kind, id, &t.opd_id, "remind", user, &position, "").await?;
        let text = format!(
            "Pengingat dari {}: {} \"{}\" menunggu tindakan Anda.",
            user.name,
            kind_word(kind),
            t.subject
        );
        notify_tx(&mut tx, &people, "reminder", &text, Some(&t.link)).await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "dashboard.remind",
            kind.code(),
            Some(id),
            json!({ "position": position, "to": people }),
        )
        .await?;
        tx.commit().await
    }

    /// A leader escalates a stuck item to the holder's superior, with a reason. A letter waiting
    /// for a paraf moves on to the next step of its chain (the paraf is recorded as skipped, by
    /// whom and why); a signature cannot be skipped. A disposition goes to the holder's superior.
    pub async fn escalate(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        kind: ItemKind,
        id: &str,
        note: &str,
    ) -> Result<()> {
        let note = check_reason(note)?;
        let t = self.intervention_target(user, kind, id).await?;
        match kind {
            ItemKind::Letter => self.escalate_letter(user, ip, id, &t, note).await,
            ItemKind::Disposition => {
                let from = t.position.clone().unwrap_or_default();
                let superior =
                    self.superiors(&t.opd_id).await?.get(&from).cloned().flatten().ok_or_else(
                        || {
                            BackendError::invalid(
                                "Jabatan ini tidak memiliki atasan untuk eskalasi.",
                            )
                        },
                    )?;
                self.move_disposition(user, ip, id, &t, &superior, note, "escalate").await
            }
        }
    }

    /// A leader gives a disposition that is not followed up to another position of the OPD (in
    /// their dashboard), with a reason.
    pub async fn reassign_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        to_position_id: &str,
        note: &str,
    ) -> Result<()> {
        let note = check_reason(note)?;
        let t = self.intervention_target(user, ItemKind::Disposition, id).await?;
        let to = self
            .get_position(to_position_id)
            .await
            .map_err(|_| BackendError::invalid("Pilih jabatan tujuan pengalihan."))?;
        if to.opd_id != t.opd_id {
            return Err(BackendError::invalid("Jabatan tujuan harus di OPD yang sama."));
        }
        // The new holder must be within the leader's dashboard too.
        let scope = match self.dashboard_scope(user, Some(&t.opd_id), None).await {
            Ok(s) => s,
            Err(_) => self.dashboard_scope(user, Some(&t.opd_id), Some(&to.unit_id)).await?,
        };
        if !scope.has_unit(Some(&to.unit_id)) {
            return Err(BackendError::Forbidden(
                "Jabatan tujuan di luar lingkup dasbor Anda.".into(),
            ));
        }
        self.move_disposition(user, ip, id, &t, to_position_id, note, "reassign").await
    }

    async fn escalate_letter(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        t: &Target,
        note: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let lock = if tx.kind() == super::DbKind::Postgres { " FOR UPDATE" } else { "" };
        let r = sqlx::query(&format!("SELECT {LETTER_COLS} FROM letter WHERE id = $1{lock}"))
            .bind(id)
            .fetch_one(tx.conn())
            .await?;
        let l = letter_from(&r)?;
        if l.waiting_position_id != t.position {
            return Err(BackendError::Conflict(
                "Surat ini baru saja berpindah. Muat ulang dasbor.".into(),
            ));
        }
        let LetterState::Review { step } = l.state else {
            return Err(BackendError::invalid(
                "Hanya surat yang menunggu paraf yang dapat dieskalasi; tanda tangan tidak dapat dilewati. Kirim pengingat.",
            ));
        };
        let next = if step + 1 < l.chain.len() {
            LetterState::Review { step: step + 1 }
        } else {
            LetterState::Signing
        };
        let waiting = waiting_for(next, &l);
        let (code, new_step) = next.to_parts();
        let now = now_ms();
        sqlx::query("UPDATE letter SET state = $1, step = $2, waiting_position_id = $3, updated_ms = $4 WHERE id = $5")
            .bind(code)
            .bind(new_step)
            .bind(&waiting)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
        super::counters::move_queue(&mut tx, l.waiting_position_id.as_deref(), waiting.as_deref())
            .await?;
        let seq: i64 = sqlx::query("SELECT COUNT(*) AS n FROM letter_action WHERE letter_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        sqlx::query(
            "INSERT INTO letter_action (letter_id, seq, actor_id, position_id, action, note, from_state, to_state, version, at_ms) \
             VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(seq + 1)
        .bind(&user.employee_id)
        .bind(domain::letter::ActionKind::Escalate.code())
        .bind(note)
        .bind(l.state.code())
        .bind(code)
        .bind(l.version)
        .bind(now)
        .execute(tx.conn())
        .await?;
        let skipped = l.waiting_position_id.clone().unwrap_or_default();
        record_intervention(
            &mut tx,
            ItemKind::Letter,
            id,
            &t.opd_id,
            "escalate",
            user,
            &skipped,
            note,
        )
        .await?;
        let before = position_people_tx(&mut tx, &skipped).await?;
        let text = format!(
            "Surat \"{}\" dieskalasi oleh {} ke tingkat berikutnya tanpa paraf Anda. Alasan: {note}",
            t.subject, user.name
        );
        notify_tx(&mut tx, &before, "escalated", &text, Some(&t.link)).await?;
        if let Some(w) = &waiting {
            let after = position_people_tx(&mut tx, w).await?;
            let what = if next == LetterState::Signing { "tanda tangan" } else { "paraf" };
            let text = format!(
                "Surat menunggu {what} Anda (dieskalasi oleh {}): \"{}\"",
                user.name, t.subject
            );
            notify_tx(&mut tx, &after, "letter_escalated", &text, Some(&t.link)).await?;
        }
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "dashboard.escalate",
            "letter",
            Some(id),
            json!({ "skipped": skipped, "to": waiting, "note": note }),
        )
        .await?;
        tx.commit().await
    }

    /// Gives an open disposition that was not passed further down to another position.
    #[allow(clippy::too_many_arguments)]
    async fn move_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        t: &Target,
        to_position: &str,
        note: &str,
        action: &str,
    ) -> Result<()> {
        let from = t.position.clone().unwrap_or_default();
        if to_position == from {
            return Err(BackendError::invalid("Disposisi ini sudah di jabatan tersebut."));
        }
        let giver: String = sqlx::query("SELECT from_position_id FROM disposition WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?
            .try_get("from_position_id")?;
        if giver == to_position {
            return Err(BackendError::invalid(
                "Jabatan tujuan adalah pemberi disposisi ini sendiri; pilih jabatan lain.",
            ));
        }
        let mut tx = self.begin_write().await?;
        let holder: Option<String> = sqlx::query(
            "SELECT id FROM employee WHERE position_id = $1 AND active = 1 ORDER BY name LIMIT 1",
        )
        .bind(to_position)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let changed = sqlx::query(
            "UPDATE disposition SET to_position_id = $1, to_employee_id = $2, read_ms = NULL, read_by = NULL, version = version + 1 \
             WHERE id = $3 AND status = 'open' AND forwarded_ms IS NULL AND to_position_id = $4 \
             AND NOT EXISTS (SELECT 1 FROM disposition c WHERE c.parent_id = $3)",
        )
        .bind(to_position)
        .bind(&holder)
        .bind(id)
        .bind(&from)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(BackendError::Conflict(
                "Disposisi ini sudah diteruskan ke bawah atau baru saja berubah; tindaki di tingkat berikutnya atau muat ulang dasbor.".into(),
            ));
        }
        record_intervention(
            &mut tx,
            ItemKind::Disposition,
            id,
            &t.opd_id,
            action,
            user,
            &from,
            note,
        )
        .await?;
        let (verb, kind) = if action == "escalate" {
            ("dieskalasi", "escalated")
        } else {
            ("dialihkan", "reassigned")
        };
        let before = position_people_tx(&mut tx, &from).await?;
        let text = format!(
            "Disposisi \"{}\" {verb} oleh {} kepada jabatan lain. Alasan: {note}",
            t.subject, user.name
        );
        notify_tx(&mut tx, &before, kind, &text, Some(&t.link)).await?;
        let after = position_people_tx(&mut tx, to_position).await?;
        let text = format!(
            "Disposisi {verb} kepada Anda oleh {}: \"{}\". Alasan: {note}",
            user.name, t.subject
        );
        notify_tx(&mut tx, &after, "disposition_new", &text, Some(&t.link)).await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            &format!("dashboard.{action}"),
            "disposition",
            Some(id),
            json!({ "from": from, "to": to_position, "note": note }),
        )
        .await?;
        tx.commit().await
    }

    /// Positions a disposition can be given to from this dashboard: (id, title with holder).
    pub async fn reassign_choices(&self, scope: &DashScope) -> Result<Vec<(String, String)>> {
        let Some(opd) = &scope.opd else { return Ok(Vec::new()) };
        let rows = sqlx::query(
            "SELECT p.id, p.title, p.unit_id, (SELECT MIN(e.name) FROM employee e WHERE e.position_id = p.id AND e.active = 1) AS holder \
             FROM position p WHERE p.opd_id = $1 ORDER BY p.level, p.title",
        )
        .bind(&opd.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let unit: String = r.try_get("unit_id")?;
            if !scope.has_unit(Some(&unit)) {
                continue;
            }
            let title: String = r.try_get("title")?;
            let label = match r.try_get::<Option<String>, _>("holder")? {
                Some(h) => format!("{title} — {h}"),
                None => format!("{title} (kosong)"),
            };
            out.push((r.try_get("id")?, label));
        }
        Ok(out)
    }

    /// Stores everyone's quadrant of an OPD's month; called when the month closes, so the
    /// profile keeps the history as it stood.
    pub(crate) async fn store_quadrants(&self, opd: &Opd, month: i64) -> Result<()> {
        let scan = self.month_scan(&DashScope::of_opd(opd.clone()), month).await?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM kinerja_quadrant WHERE opd_id = $1 AND month = $2")
            .bind(&opd.id)
            .bind(month)
            .execute(tx.conn())
            .await?;
        for p in &scan.people {
            sqlx::query(
                "INSERT INTO kinerja_quadrant (month, employee_id, opd_id, x_bp, y_bp, quadrant, computed_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(month)
            .bind(&p.employee_id)
            .bind(&opd.id)
            .bind(p.x_bp)
            .bind(p.y_bp)
            .bind(p.quadrant.map(|q| q.letter()))
            .bind(now)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await
    }

    /// The caller's quadrants: this month as it stands, then the closed months (newest first).
    pub async fn my_quadrants(&self, user: &SessionUser) -> Result<Vec<QuadrantMonth>> {
        let mut out = Vec::new();
        if !user.positions.is_empty() {
            let opd = self.get_opd(&user.opd_id).await?;
            let month = month_of_day(wib_day(now_ms()));
            let scan = self.month_scan(&DashScope::of_opd(opd), month).await?;
            if let Some(p) = scan.people.iter().find(|p| p.employee_id == user.employee_id) {
                out.push(QuadrantMonth {
                    month,
                    x_bp: p.x_bp,
                    y_bp: p.y_bp,
                    quadrant: p.quadrant,
                    live: true,
                });
            }
        }
        for r in sqlx::query(
            "SELECT month, x_bp, y_bp, quadrant FROM kinerja_quadrant WHERE employee_id = $1 ORDER BY month DESC LIMIT 24",
        )
        .bind(&user.employee_id)
        .fetch_all(&self.pool)
        .await?
        {
            let month: i64 = r.try_get("month")?;
            if out.iter().any(|q| q.month == month) {
                continue;
            }
            out.push(QuadrantMonth {
                month,
                x_bp: r.try_get("x_bp")?,
                y_bp: r.try_get("y_bp")?,
                quadrant: r.try_get::<Option<String>, _>("quadrant")?.as_deref().and_then(Quadrant::from_letter),
                live: false,
            });
        }
        Ok(out)
    }

    /// A leader puts someone in quadrant A this month forward for a reward or a promotion: in
    /// their dashboard only, once per kind and month, with a reason; audited, and the person is
    /// told.
    pub async fn propose_candidate(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        employee_id: &str,
        kind: CandidateKind,
        note: &str,
    ) -> Result<()> {
        let note = check_reason(note)?;
        let e = self.get_employee(employee_id).await?;
        let unit = match &e.position_id {
            Some(p) => Some(self.get_position(p).await?.unit_id),
            None => None,
        };
        let outside = || BackendError::Forbidden("Pegawai ini di luar lingkup dasbor Anda.".into());
        let scope = match self.dashboard_scope(user, Some(&e.opd_id), None).await {
            Ok(s) => s,
            Err(BackendError::Forbidden(_)) => self
                .dashboard_scope(user, Some(&e.opd_id), unit.as_deref())
                .await
                .map_err(|_| outside())?,
            Err(err) => return Err(err),
        };
        if !scope.has_unit(unit.as_deref()) {
            return Err(outside());
        }
        if e.id == user.employee_id {
            return Err(BackendError::invalid("Anda tidak dapat mengusulkan diri sendiri."));
        }
        let month = month_of_day(wib_day(now_ms()));
        let scan = self.month_scan(&scope, month).await?;
        let place = scan.people.iter().find(|p| p.employee_id == e.id).and_then(|p| p.quadrant);
        if place != Some(Quadrant::A) {
            return Err(BackendError::invalid(
                "Hanya pegawai di kuadran A bulan ini yang dapat diusulkan.",
            ));
        }
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query(
            "SELECT 1 AS x FROM reward_candidate WHERE employee_id = $1 AND month = $2 AND kind = $3",
        )
        .bind(&e.id)
        .bind(month)
        .bind(kind.code())
        .fetch_optional(tx.conn())
        .await?;
        if exists.is_some() {
            return Err(BackendError::Conflict(format!(
                "{} sudah diusulkan sebagai {} bulan ini.",
                e.name,
                kind.label(domain::Lang::Id).to_lowercase()
            )));
        }
        sqlx::query(
            "INSERT INTO reward_candidate (id, employee_id, month, opd_id, kind, note, by_employee_id, at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&e.id)
        .bind(month)
        .bind(&e.opd_id)
        .bind(kind.code())
        .bind(note)
        .bind(&user.employee_id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        let text = format!(
            "{} mengusulkan Anda sebagai {} atas kinerja bulan ini (kuadran A). Catatan: {note}",
            user.name,
            kind.label(domain::Lang::Id).to_lowercase()
        );
        notify_tx(&mut tx, std::slice::from_ref(&e.id), "candidate", &text, Some("/profil"))
            .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "dashboard.candidate",
            "employee",
            Some(&e.id),
            json!({ "kind": kind.code(), "month": month, "note": note }),
        )
        .await?;
        tx.commit().await
    }

    /// The reminders of a letter, for its history: (leader's name, at_ms).
    pub async fn letter_reminders(&self, letter_id: &str) -> Result<Vec<(String, i64)>> {
        sqlx::query(
            "SELECT e.name, i.at_ms FROM intervention i JOIN employee e ON e.id = i.by_employee_id \
             WHERE i.item_kind = 'letter' AND i.item_id = $1 ORDER BY i.at_ms",
        )
        .bind(letter_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("name")?, r.try_get("at_ms")?)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_and_id_lists() {
        let units = vec![
            ("root".to_string(), None, "Pimpinan".to_string()),
            ("bid".to_string(), Some("root".to_string()), "Bidang".to_string()),
            ("sek".to_string(), Some("bid".to_string()), "Seksi".to_string()),
            ("other".to_string(), Some("root".to_string()), "Lain".to_string()),
        ];
        assert_eq!(subtree(&units, "bid"), vec!["bid".to_string(), "sek".to_string()]);
        assert_eq!(subtree(&units, "root").len(), 4);
        assert_eq!(id_list(&["ab12".into(), "cd".into()]).unwrap(), "'ab12','cd'");
        assert_eq!(id_list(&[]).unwrap(), "''", "an empty scope matches nothing");
        assert!(id_list(&["x' OR 1=1 --".into()]).is_err());
    }

    #[test]
    fn secret_letters_are_not_named() {
        assert!(hidden("rahasia"));
        assert!(hidden("sangat_rahasia"));
        assert!(!hidden("biasa"));
        assert!(!hidden("terbatas"));
    }
}
