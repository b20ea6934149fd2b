//! Kotak Masuk: incoming letters addressed to a person or to a position they hold or act for.

use super::fast_read::{CodeCols, Cols, Cost};
use super::letter_views::owner_keys;
use super::letters::record_work;
use super::sql::placeholders;
use super::{Store, WriteTx};
use crate::{BackendError, Result, now_ms};
use domain::letter_view::{InboxItem, InboxPage, IncomingDetail, PAGE_SIZE};
use domain::model::SessionUser;
use sqlx::Row;

/// One row of the Kotak Masuk query, read the same way on both read paths.
struct InboxRow {
    item: InboxItem,
    all_total: i64,
    unread_total: i64,
}

impl InboxRow {
    fn from_cols(r: &dyn Cols) -> Result<InboxRow> {
        Ok(InboxRow {
            item: InboxItem {
                id: r.text("id")?,
                incoming_id: r.text("incoming_id")?,
                role: r.code("role")?,
                subject: r.text("subject")?,
                sender_name: r.text("sender_name")?,
                sifat: r.code("sifat")?,
                urgency: r.code("urgency")?,
                letter_number: r.text("letter_number")?,
                read: r.opt_int("read_ms")?.is_some(),
                created_ms: r.int("created_ms")?,
            },
            all_total: r.int("all_total")?,
            unread_total: r.int("unread_total")?,
        })
    }
}

impl Store {
    pub async fn inbox_unread(&self, user: &SessionUser) -> Result<i64> {
        Ok(self.inbox_totals(&owner_keys(user)).await?.1)
    }

    /// One page of the Kotak Masuk, newest first, optionally only unread, searchable by hal, sender or number.
    pub async fn inbox(
        &self,
        user: &SessionUser,
        q: &str,
        unread_only: bool,
        page: i64,
    ) -> Result<InboxPage> {
        let page = page.max(1);
        let offset = (page - 1) * PAGE_SIZE;
        let keys = owner_keys(user);
        let q = q.trim().to_lowercase();
        let pat = format!("%{}%", q.replace(['%', '_'], ""));
        // Binds: the keys first, then the search pattern.
        let pat_arg = keys.len() + 1;
        let mut extra = String::new();
        if unread_only {
            extra.push_str(" AND read_ms IS NULL");
        }
        if !q.is_empty() {
            extra.push_str(&format!(" AND (LOWER(subject) LIKE ${pat_arg} OR LOWER(sender_name) LIKE ${pat_arg} OR LOWER(letter_number) LIKE ${pat_arg})"));
        }
        // Each key's newest entries come from its own index range, (owner_key, created_ms, id) read
        // backwards, so a page never sorts all of a head of agency's thousands of entries.
        let per_key = (1..=keys.len())
            .map(|i| {
                format!(
                    "SELECT * FROM (SELECT id, created_ms FROM inbox_entry WHERE owner_key = ${i}{extra} \
                     ORDER BY created_ms DESC, id DESC LIMIT {}) AS k{i}",
                    offset + PAGE_SIZE
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        // The totals ride along with the page (from the counters), saving a round trip.
        let keys_in = placeholders(1, keys.len());
        let list_sql = format!(
            "SELECT id, incoming_id, role, subject, sender_name, sifat, urgency, letter_number, read_ms, created_ms, \
             (SELECT CAST(COALESCE(SUM(c.total), 0) AS BIGINT) FROM inbox_count c WHERE c.owner_key IN ({keys_in})) AS all_total, \
             (SELECT CAST(COALESCE(SUM(c.unread), 0) AS BIGINT) FROM inbox_count c WHERE c.owner_key IN ({keys_in})) AS unread_total FROM inbox_entry \
             WHERE id IN (SELECT id FROM ({per_key}) AS u ORDER BY created_ms DESC, id DESC LIMIT {PAGE_SIZE} OFFSET {offset}) \
             ORDER BY created_ms DESC, id DESC"
        );
        let mut args = keys.clone();
        if !q.is_empty() {
            args.push(pat);
        }
        // Without a filter each key's range yields its page at once; "unread only", a search or a
        // deep page may pass over many entries.
        let cost = Cost::of_page(q.is_empty() && !unread_only, page);
        let rows = self.read_rows(cost, list_sql, args.clone(), InboxRow::from_cols).await?;
        // Unfiltered totals come from the counters; a search counts its matches.
        let (all, unread) = match rows.first() {
            Some(r) => (r.all_total, r.unread_total),
            None => self.inbox_totals(&keys).await?,
        };
        let total: i64 = if !q.is_empty() {
            let count_sql = format!(
                "SELECT COUNT(*) AS n FROM inbox_entry WHERE owner_key IN ({}){extra}",
                placeholders(1, keys.len())
            );
            self.read_count(Cost::Scan, count_sql, args).await?
        } else if unread_only {
            unread
        } else {
            all
        };
        let items = rows.into_iter().map(|r| r.item).collect();
        Ok(InboxPage { items, total, unread, page })
    }

    /// Opens an inbox entry: the first opening is the read receipt (and counts as work).
    pub async fn open_inbox_entry(
        &self,
        user: &SessionUser,
        entry_id: &str,
    ) -> Result<IncomingDetail> {
        let keys = owner_keys(user);
        let r = sqlx::query(
            "SELECT e.id AS entry_id, e.owner_key, e.role, e.read_ms, i.id, i.agenda_seq, i.agenda_year, i.received_ms, i.sender_name, i.letter_number, i.letter_day, \
             i.sifat, i.urgency, i.subject, i.attachment_count, i.outgoing_letter_id, o.name AS opd_name \
             FROM inbox_entry e JOIN incoming_letter i ON i.id = e.incoming_id JOIN opd o ON o.id = i.opd_id WHERE e.id = $1",
        )
        .bind(entry_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Surat tidak ditemukan di Kotak Masuk Anda."))?;
        let owner: String = r.try_get("owner_key")?;
        if !keys.contains(&owner) {
            return Err(BackendError::not_found("Surat tidak ditemukan di Kotak Masuk Anda."));
        }
        let incoming_id: String = r.try_get("id")?;
        if r.try_get::<Option<i64>, _>("read_ms")?.is_none() {
            let mut tx = self.begin_write().await?;
            mark_entry_read(&mut tx, &user.employee_id, entry_id, &owner, &incoming_id, now_ms())
                .await?;
            tx.commit().await?;
        }
        let outgoing: Option<String> = r.try_get("outgoing_letter_id")?;
        let attachments = match &outgoing {
            Some(l) => self.attachments_of(l).await?,
            None => vec![],
        };
        let seq: i64 = r.try_get("agenda_seq")?;
        let year: i64 = r.try_get("agenda_year")?;
        Ok(IncomingDetail {
            id: incoming_id,
            entry_id: r.try_get("entry_id")?,
            role: r.code("role")?,
            opd_name: r.try_get("opd_name")?,
            agenda_number: format!("{seq}/{year}"),
            received_ms: r.try_get("received_ms")?,
            sender_name: r.try_get("sender_name")?,
            letter_number: r.try_get("letter_number")?,
            letter_day: r.try_get("letter_day")?,
            sifat: r.code("sifat")?,
            urgency: r.code("urgency")?,
            subject: r.try_get("subject")?,
            attachment_count: r.try_get("attachment_count")?,
            outgoing_letter_id: outgoing,
            attachments,
        })
    }
}

/// The read receipt of one Kotak Masuk entry: who opened it and when, the owner's unread count, and
/// the reading as work (once: an entry already read is left as it was).
pub(crate) async fn mark_entry_read(
    tx: &mut WriteTx,
    employee_id: &str,
    entry_id: &str,
    owner_key: &str,
    incoming_id: &str,
    now: i64,
) -> Result<()> {
    let changed = sqlx::query(
        "UPDATE inbox_entry SET read_ms = $1, read_by = $2 WHERE id = $3 AND read_ms IS NULL",
    )
    .bind(now)
    .bind(employee_id)
    .bind(entry_id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if changed > 0 {
        super::counters::bump_inbox(tx, owner_key, 0, -1).await?;
        record_work(
            tx,
            employee_id,
            owner_key.strip_prefix("p:"),
            "incoming.read",
            "incoming_letter",
            incoming_id,
            "",
        )
        .await?;
    }
    Ok(())
}
