//! Accounts, role grants, sessions and login throttling.

use super::org::employee_from;
use super::{Actor, CodeCols, Cost, Store};
use crate::rights::{OpdAdmin, SomeAdmin};
use crate::{BackendError, Result, now_ms};
use domain::Code;
use domain::model::{Employee, HeldPosition, PersonBrief, SessionUser};
use domain::roles::{Caps, Grant, RightsError, Role, check_grant};
use serde_json::json;
use sqlx::Row;

/// Idle sessions end after 12 hours; any session ends after 7 days.
pub const SESSION_IDLE_MS: i64 = 12 * 3600 * 1000;
pub const SESSION_MAX_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Clone, Debug)]
pub struct AccountRow {
    pub employee: Employee,
    pub password_hash: String,
    pub must_change: bool,
    pub failed_count: i64,
    pub locked_until_ms: i64,
}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub token_hash: String,
    pub employee_id: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    pub expires_ms: i64,
    /// The session-cache generation read together with the row (see `cache_generation`).
    pub cache_gen: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Throttle {
    pub failures: i64,
    pub window_start_ms: i64,
    pub blocked_until_ms: i64,
}

pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    pub async fn account_by_employee(&self, employee_id: &str) -> Result<Option<AccountRow>> {
        let r = sqlx::query(
            "SELECT e.id, e.pemda_id, e.opd_id, e.nip, e.name, e.email, e.phone, e.position_id, e.active, \
                    a.password_hash, a.must_change, a.failed_count, a.locked_until_ms \
             FROM employee e JOIN account a ON a.employee_id = e.id WHERE e.id = $1",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(AccountRow {
                employee: employee_from(&r)?,
                password_hash: r.try_get("password_hash")?,
                must_change: r.try_get::<i64, _>("must_change")? != 0,
                failed_count: r.try_get("failed_count")?,
                locked_until_ms: r.try_get("locked_until_ms")?,
            })
        })
        .transpose()
    }

    /// Takes one password attempt of an account before its password is checked, in one atomic
    /// step: refused (None) while the account is locked; otherwise counted as a failure in advance
    /// and, when that count reaches the limit, the lock is set at once. So a burst of parallel
    /// guesses gets no more checks than a sequence would; a correct password then clears the count
    /// (`open_session`, `set_password`). Returns the count including this attempt.
    pub async fn reserve_password_attempt(&self, employee_id: &str) -> Result<Option<i64>> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "UPDATE account SET failed_count = failed_count + 1 WHERE employee_id = $1 AND locked_until_ms <= $2 RETURNING failed_count",
        )
        .bind(employee_id)
        .bind(now)
        .fetch_optional(tx.conn())
        .await?
        else {
            return Ok(None);
        };
        let failures: i64 = row.try_get("failed_count")?;
        if let Some(d) = domain::account::account_lock_ms(failures) {
            sqlx::query("UPDATE account SET locked_until_ms = $1 WHERE employee_id = $2")
                .bind(now + d)
                .bind(employee_id)
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await?;
        Ok(Some(failures))
    }

    /// Audits a wrong password (counted already by `reserve_password_attempt`).
    pub async fn record_login_failure(
        &self,
        actor: &Actor,
        employee_id: &str,
        failures: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        tx.audit(
            actor,
            "auth.login_failed",
            "employee",
            Some(employee_id),
            json!({ "failed_count": failures, "locked": domain::account::account_lock_ms(failures).is_some() }),
        )
        .await?;
        tx.commit().await
    }

    /// Records a successful login and opens a session.
    pub async fn open_session(
        &self,
        actor: &Actor,
        employee_id: &str,
        token: &str,
        user_agent: &str,
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE account SET failed_count = 0, locked_until_ms = 0, last_login_ms = $1 WHERE employee_id = $2")
            .bind(now)
            .bind(employee_id)
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO session (token_hash, employee_id, created_ms, last_seen_ms, expires_ms, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)")
            .bind(token_hash(token))
            .bind(employee_id)
            .bind(now)
            .bind(now + SESSION_MAX_MS)
            .bind(actor.ip.clone().unwrap_or_default())
            .bind(user_agent.chars().take(300).collect::<String>())
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "DELETE FROM session WHERE employee_id = $1 AND (expires_ms < $2 OR last_seen_ms < $3)",
        )
        .bind(employee_id)
        .bind(now)
        .bind(now - SESSION_IDLE_MS)
        .execute(tx.conn())
        .await?;
        tx.audit(actor, "auth.login", "employee", Some(employee_id), json!({})).await?;
        tx.commit().await
    }

    /// Finds a live session; refreshes its idle timer at most once a minute.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>> {
        let hash = token_hash(token);
        // Every request reads its session: on SQLite through the fast read path (see `fast_read`).
        let sql = "SELECT token_hash, employee_id, created_ms, last_seen_ms, expires_ms, (SELECT gen FROM cache_generation WHERE id = 1) AS cache_gen \
             FROM session WHERE token_hash = $1";
        let rows = self
            .read_rows(Cost::Bounded, sql.into(), vec![hash.clone()], |r| {
                Ok(SessionRow {
                    token_hash: r.text("token_hash")?,
                    employee_id: r.text("employee_id")?,
                    created_ms: r.int("created_ms")?,
                    last_seen_ms: r.int("last_seen_ms")?,
                    expires_ms: r.int("expires_ms")?,
                    cache_gen: r.int("cache_gen")?,
                })
            })
            .await?;
        let Some(s) = rows.into_iter().next() else { return Ok(None) };
        let now = now_ms();
        if s.expires_ms < now || s.last_seen_ms + SESSION_IDLE_MS < now {
            let mut tx = self.begin_write().await?;
            sqlx::query("DELETE FROM session WHERE token_hash = $1")
                .bind(&hash)
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            return Ok(None);
        }
        if now - s.last_seen_ms > 60_000 {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE session SET last_seen_ms = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
        }
        Ok(Some(s))
    }

    pub async fn close_session(&self, actor: &Actor, token: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n > 0 {
            tx.audit(actor, "auth.logout", "employee", actor.employee_id.as_deref(), json!({}))
                .await?;
        }
        tx.commit().await
    }

    /// Sets a new password hash. `keep_session` (a token hash) survives; every other session ends.
    pub(crate) async fn set_password(
        &self,
        actor: &Actor,
        employee_id: &str,
        hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
        action: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE account SET password_hash = $1, must_change = $2, failed_count = 0, locked_until_ms = 0, password_changed_ms = $3 WHERE employee_id = $4")
            .bind(hash)
            .bind(must_change as i64)
            .bind(now_ms())
            .bind(employee_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Akun tidak ditemukan."));
        }
        sqlx::query("DELETE FROM session WHERE employee_id = $1 AND token_hash <> $2")
            .bind(employee_id)
            .bind(keep_session.unwrap_or(""))
            .execute(tx.conn())
            .await?;
        tx.audit(
            actor,
            action,
            "employee",
            Some(employee_id),
            json!({ "must_change": must_change }),
        )
        .await?;
        tx.commit().await
    }

    /// Whether the person holds or acts in an OPD's head or Sekretaris position, or has a signing
    /// certificate that is live or waiting for its passphrase.
    pub async fn is_signing_official(&self, employee_id: &str) -> Result<bool> {
        let n: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM employee e JOIN opd o ON e.position_id IN (o.head_position_id, o.secretary_position_id) WHERE e.id = $1) \
             + (SELECT COUNT(*) FROM acting a JOIN opd o ON a.position_id IN (o.head_position_id, o.secretary_position_id) WHERE a.employee_id = $1 AND a.ended = 0) \
             + (SELECT COUNT(*) FROM signing_cert WHERE employee_id = $1 AND status IN ('menunggu_passphrase', 'aktif')) AS n",
        )
        .bind(employee_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    pub async fn unlock_account(&self, admin: &OpdAdmin, employee_id: &str) -> Result<()> {
        self.employee_of(admin, employee_id).await?;
        let actor = &admin.actor();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE account SET failed_count = 0, locked_until_ms = 0 WHERE employee_id = $1",
        )
        .bind(employee_id)
        .execute(tx.conn())
        .await?;
        tx.audit(actor, "auth.unlock", "employee", Some(employee_id), json!({})).await?;
        tx.commit().await
    }

    // ---------- Address throttling ----------

    pub async fn throttle(&self, address: &str) -> Result<Option<Throttle>> {
        let r = sqlx::query("SELECT failures, window_start_ms, blocked_until_ms FROM login_throttle WHERE address = $1")
            .bind(address)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok(Throttle {
                failures: r.try_get("failures")?,
                window_start_ms: r.try_get("window_start_ms")?,
                blocked_until_ms: r.try_get("blocked_until_ms")?,
            })
        })
        .transpose()
    }

    /// Counts a failed login from an address in one statement: a new window starts when the old one
    /// has passed; the address is blocked once the window holds too many failures.
    pub async fn count_address_failure(&self, address: &str, now: i64) -> Result<Throttle> {
        use domain::account::{ADDRESS_BLOCK_MS, ADDRESS_MAX_FAILURES, ADDRESS_WINDOW_MS};
        let mut tx = self.begin_write().await?;
        let r = sqlx::query(
            "INSERT INTO login_throttle (address, failures, window_start_ms, blocked_until_ms) VALUES ($1, 1, $2, 0) \
             ON CONFLICT (address) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start_ms < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
               window_start_ms = CASE WHEN login_throttle.window_start_ms < $3 THEN $2 ELSE login_throttle.window_start_ms END \
             RETURNING failures, window_start_ms, blocked_until_ms",
        )
        .bind(address)
        .bind(now)
        .bind(now - ADDRESS_WINDOW_MS)
        .fetch_one(tx.conn())
        .await?;
        let mut t = Throttle {
            failures: r.try_get("failures")?,
            window_start_ms: r.try_get("window_start_ms")?,
            blocked_until_ms: r.try_get("blocked_until_ms")?,
        };
        if t.failures >= ADDRESS_MAX_FAILURES && t.blocked_until_ms <= now {
            t.blocked_until_ms = now + ADDRESS_BLOCK_MS;
            sqlx::query("UPDATE login_throttle SET blocked_until_ms = $1 WHERE address = $2")
                .bind(t.blocked_until_ms)
                .bind(address)
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await?;
        Ok(t)
    }

    pub async fn clear_throttle(&self, address: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_throttle WHERE address = $1")
            .bind(address)
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    // ---------- Roles ----------

    pub async fn grants_of(&self, employee_id: &str) -> Result<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT role, scope_id FROM role_grant WHERE employee_id = $1 ORDER BY role",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let role: String = r.try_get("role").ok()?;
                Some(Grant { role: Role::from_code(&role)?, scope_id: r.try_get("scope_id").ok()? })
            })
            .collect())
    }

    /// The employee a role is granted to or revoked from, when the admin may do so
    /// (`domain::roles::check_grant`); someone of another Pemda is "not found".
    async fn role_target(
        &self,
        admin: &SomeAdmin,
        employee_id: &str,
        role: Role,
        scope_id: &str,
    ) -> Result<()> {
        let user = &admin.caller().user;
        let emp = match self.get_employee(employee_id).await {
            Ok(e) if e.pemda_id == user.pemda_id => e,
            Ok(_) | Err(BackendError::NotFound(_)) => {
                return Err(BackendError::not_found("Pegawai tidak ditemukan."));
            }
            Err(e) => return Err(e),
        };
        check_grant(&user.caps, role, scope_id, &emp.opd_id)?;
        Ok(())
    }

    pub async fn grant_role(
        &self,
        admin: &SomeAdmin,
        employee_id: &str,
        role: Role,
        scope_id: &str,
    ) -> Result<()> {
        self.role_target(admin, employee_id, role, scope_id).await?;
        if employee_id == admin.caller().user.employee_id {
            return Err(RightsError::SelfGrant.into());
        }
        let actor = &admin.actor();
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query(
            "SELECT role FROM role_grant WHERE employee_id = $1 AND role = $2 AND scope_id = $3",
        )
        .bind(employee_id)
        .bind(role.code())
        .bind(scope_id)
        .fetch_optional(tx.conn())
        .await?;
        if exists.is_some() {
            return Err(BackendError::Conflict(format!(
                "Pegawai ini sudah memiliki peran {}.",
                role.label_id()
            )));
        }
        sqlx::query("INSERT INTO role_grant (employee_id, role, scope_id, created_ms) VALUES ($1, $2, $3, $4)")
            .bind(employee_id)
            .bind(role.code())
            .bind(scope_id)
            .bind(now_ms())
            .execute(tx.conn())
            .await?;
        tx.audit(
            actor,
            "role.grant",
            "employee",
            Some(employee_id),
            json!({ "role": role.code(), "scope_id": scope_id }),
        )
        .await?;
        tx.commit().await
    }

    pub async fn revoke_role(
        &self,
        admin: &SomeAdmin,
        employee_id: &str,
        role: Role,
        scope_id: &str,
    ) -> Result<()> {
        self.role_target(admin, employee_id, role, scope_id).await?;
        if role == Role::AdminPemda && employee_id == admin.caller().user.employee_id {
            return Err(RightsError::OwnPemdaAdminRole.into());
        }
        let actor = &admin.actor();
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "DELETE FROM role_grant WHERE employee_id = $1 AND role = $2 AND scope_id = $3",
        )
        .bind(employee_id)
        .bind(role.code())
        .bind(scope_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Peran tersebut tidak ditemukan."));
        }
        tx.audit(
            actor,
            "role.revoke",
            "employee",
            Some(employee_id),
            json!({ "role": role.code(), "scope_id": scope_id }),
        )
        .await?;
        tx.commit().await
    }

    /// Everyone holding an admin or TU role in a Pemda, with the role and scope.
    pub async fn list_role_holders(
        &self,
        pemda_id: &str,
    ) -> Result<Vec<(PersonBrief, Role, String)>> {
        let rows = sqlx::query(
            "SELECT e.id, e.nip, e.name, g.role, g.scope_id FROM role_grant g JOIN employee e ON e.id = g.employee_id \
             WHERE e.pemda_id = $1 ORDER BY g.role, e.name",
        )
        .bind(pemda_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let role = Role::from_code(&r.try_get::<String, _>("role").ok()?)?;
                Some((
                    PersonBrief {
                        id: r.try_get("id").ok()?,
                        nip: r.try_get("nip").ok()?,
                        name: r.try_get("name").ok()?,
                    },
                    role,
                    r.try_get("scope_id").ok()?,
                ))
            })
            .collect())
    }

    // ---------- The session user ----------

    /// `session_user`, answered from this copy's memory when nothing that could change it was
    /// committed since (`cache_gen` is the generation read with the session row).
    pub async fn session_user_cached(
        &self,
        employee_id: &str,
        today: i64,
        cache_gen: i64,
    ) -> Result<SessionUser> {
        if let Some(u) = self.session_cache.get(employee_id, today, cache_gen) {
            return Ok(u);
        }
        let u = self.session_user(employee_id, today).await?;
        self.session_cache.put(employee_id, today, cache_gen, &u);
        Ok(u)
    }

    /// Positions held and acted for today, grants and superior: what every rights check needs.
    pub async fn session_user(&self, employee_id: &str, today: i64) -> Result<SessionUser> {
        let acc =
            self.account_by_employee(employee_id).await?.ok_or(BackendError::Unauthenticated)?;
        let e = acc.employee;
        let pemda = self.get_pemda(&e.pemda_id).await?;
        let opd = self.get_opd(&e.opd_id).await?;
        let mut positions = Vec::new();
        if let Some(pid) = &e.position_id {
            let r = sqlx::query("SELECT p.id, p.title, p.level, u.name AS unit_name FROM position p JOIN unit u ON u.id = p.unit_id WHERE p.id = $1")
                .bind(pid)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(r) = r {
                positions.push(HeldPosition {
                    position_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    unit_name: r.try_get("unit_name")?,
                    level: r.level("level")?,
                    acting_kind: None,
                    acting_until_day: None,
                });
            }
        }
        let acting = sqlx::query(
            "SELECT p.id, p.title, p.level, u.name AS unit_name, a.kind, a.end_day FROM acting a \
             JOIN position p ON p.id = a.position_id JOIN unit u ON u.id = p.unit_id \
             WHERE a.employee_id = $1 AND a.ended = 0 AND a.start_day <= $2 AND a.end_day >= $2 ORDER BY p.level",
        )
        .bind(employee_id)
        .bind(today)
        .fetch_all(&self.pool)
        .await?;
        for r in &acting {
            positions.push(HeldPosition {
                position_id: r.try_get("id")?,
                title: r.try_get("title")?,
                unit_name: r.try_get("unit_name")?,
                level: r.level("level")?,
                acting_kind: Some(r.code("kind")?),
                acting_until_day: Some(r.try_get("end_day")?),
            });
        }
        let superior = match &e.position_id {
            Some(pid) => {
                let sup = self.superiors(&e.opd_id).await?.get(pid).cloned().flatten();
                match sup {
                    Some(sp) => self.holders_of(&sp).await?.into_iter().next(),
                    None => None,
                }
            }
            None => None,
        };
        let grants = self.grants_of(employee_id).await?;
        let (second_factor, second_factor_due_ms) =
            self.second_factor_flags(employee_id, &pemda.id).await?;
        let caps = Caps {
            pemda_id: e.pemda_id.clone(),
            opd_id: Some(e.opd_id.clone()),
            grants,
            best_level: positions.iter().map(|p| p.level).min(),
        };
        Ok(SessionUser {
            employee_id: e.id,
            nip: e.nip,
            name: e.name,
            email: e.email,
            phone: e.phone,
            pemda_id: pemda.id,
            pemda_name: pemda.name,
            opd_id: opd.id,
            opd_name: opd.name,
            positions,
            superior,
            caps,
            must_change_password: acc.must_change,
            second_factor,
            second_factor_due_ms,
        })
    }
}
