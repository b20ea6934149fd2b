//! Append-only audit chain: who changed what, when, from where; each row hashes the previous one.

use super::{Actor, DbKind, Store, WriteTx};
use crate::{Result, now_ms};
use domain::Code;
use domain::audit::{AuditEntry, ChainBreak, ChainVerifier, GENESIS_HASH, entry_hash};
use domain::letter::Sifat;
use domain::model::AuditRow;
use sqlx::Row;

/// What the audit log shows instead of the detail of a row about a confidential letter.
pub const CONFIDENTIAL_DETAIL: &str = r#"{"rahasia":"isi disembunyikan"}"#;

/// Whether an audited change may alter what a session user resolves to (positions, acting
/// appointments, grants, names, account state). Letter work and logins are frequent and never do;
/// everything else invalidates the cached session users, so a new kind of change is safe by default.
pub fn invalidates_sessions(action: &str) -> bool {
    !(action.starts_with("letter.")
        || action.starts_with("incoming.")
        || action.starts_with("disposition.")
        || action.starts_with("klasifikasi.")
        || matches!(action, "auth.login" | "auth.login_failed" | "auth.logout"))
}

impl WriteTx {
    /// Appends one audit row inside this transaction.
    pub async fn audit(
        &mut self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        if self.kind() == DbKind::Postgres {
            // Serialises appenders across all server copies until this transaction ends.
            sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                .execute(self.conn())
                .await?;
        }
        let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(self.conn())
            .await?;
        let (prev_seq, prev_hash) = match last {
            Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
            None => (0, GENESIS_HASH.to_string()),
        };
        let entry = AuditEntry {
            seq: prev_seq + 1,
            at_ms: now_ms(),
            actor_id: actor.employee_id.clone(),
            actor_ip: actor.ip.clone(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.map(str::to_string),
            detail: detail.to_string(),
        };
        let hash = entry_hash(&prev_hash, &entry);
        if invalidates_sessions(action) {
            sqlx::query("UPDATE cache_generation SET gen = gen + 1 WHERE id = 1")
                .execute(self.conn())
                .await?;
        }
        sqlx::query(
            "INSERT INTO audit_log (seq, at_ms, actor_id, actor_ip, action, entity, entity_id, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(entry.seq)
        .bind(entry.at_ms)
        .bind(entry.actor_id)
        .bind(entry.actor_ip)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(entry.entity_id)
        .bind(entry.detail)
        .bind(prev_hash)
        .bind(hash)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

/// Result of walking the whole chain.
#[derive(Debug, PartialEq)]
pub enum ChainStatus {
    Intact { rows: i64, last_hash: String },
    Broken { rows_ok: i64, first_break: ChainBreak },
}

/// Walks the chain on one connection (a backup walks it inside its snapshot's transaction).
pub(crate) async fn walk_chain(conn: &mut sqlx::AnyConnection) -> Result<ChainStatus> {
    let mut v = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at_ms, actor_id, actor_ip, action, entity, entity_id, detail, prev_hash, hash \
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000",
        )
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            return Ok(ChainStatus::Intact {
                rows: v.rows_checked(),
                last_hash: v.last_hash().to_string(),
            });
        }
        for r in &rows {
            let e = AuditEntry {
                seq: r.try_get("seq")?,
                at_ms: r.try_get("at_ms")?,
                actor_id: r.try_get("actor_id")?,
                actor_ip: r.try_get("actor_ip")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                detail: r.try_get("detail")?,
            };
            let prev: String = r.try_get("prev_hash")?;
            let hash: String = r.try_get("hash")?;
            if let Err(b) = v.check(&e, &prev, &hash) {
                return Ok(ChainStatus::Broken { rows_ok: v.rows_checked(), first_break: b });
            }
            after = e.seq;
        }
    }
}

impl Store {
    /// Walks the chain in pages, in sequence order, and stops at the first broken link.
    pub async fn verify_audit_chain(&self) -> Result<ChainStatus> {
        let mut conn = self.pool.acquire().await?;
        walk_chain(&mut conn).await
    }

    /// Newest audit rows. The Admin Pemda reads this log but is outside the circle of Rahasia and
    /// Sangat Rahasia letters: rows about such a letter (outgoing, incoming, or a disposition of
    /// one) keep their ids and kinds, while their detail (hal, number, notes) is withheld.
    pub async fn recent_audit(&self, limit: i64, before_seq: Option<i64>) -> Result<Vec<AuditRow>> {
        let rows = sqlx::query(
            "SELECT a.seq, a.at_ms, e.name AS actor_name, a.actor_ip, a.action, a.entity, a.entity_id, a.detail, \
             COALESCE(l.sifat, il.sifat, dl.sifat) AS sifat \
             FROM audit_log a LEFT JOIN employee e ON e.id = a.actor_id \
             LEFT JOIN letter l ON a.entity = 'letter' AND l.id = a.entity_id \
             LEFT JOIN incoming_letter il ON a.entity = 'incoming_letter' AND il.id = a.entity_id \
             LEFT JOIN disposition d ON a.entity = 'disposition' AND d.id = a.entity_id \
             LEFT JOIN incoming_letter dl ON dl.id = d.incoming_id \
             WHERE a.seq < $1 ORDER BY a.seq DESC LIMIT $2",
        )
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    seq: r.try_get("seq")?,
                    at_ms: r.try_get("at_ms")?,
                    actor_name: r.try_get("actor_name")?,
                    actor_ip: r.try_get("actor_ip")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    detail: if r
                        .try_get::<Option<String>, _>("sifat")?
                        .and_then(|s| Sifat::from_code(&s))
                        .is_some_and(Sifat::is_confidential)
                    {
                        CONFIDENTIAL_DETAIL.to_string()
                    } else {
                        r.try_get("detail")?
                    },
                })
            })
            .collect()
    }
}
