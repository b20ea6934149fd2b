//! What people see of letters: their lists (with search, filters and paging), the detail with
//! history and diffs, attachments, the PDF, and the directory for choosing recipients. Every read
//! goes through `visible_letter`, so a confidential letter cannot leak through any of them.

use super::fast_read::{CodeCols, Cols, Cost};
use super::letters::LetterRow;
use super::sql::{self, Filter, like_pattern, not_confidential, placeholders};
use super::{Actor, Store};
use crate::{BackendError, Result, new_id, now_ms};
use domain::files::{MAX_ATTACHMENTS, clean_name, sniff};
use domain::letter::{
    Action, LetterDraft, LetterKind, LetterState, RecipientRole, RestartPolicy, Sifat, TargetType,
    Urgency, transition,
};
use domain::letter_body::diff_lines;
use domain::letter_view::*;
use domain::model::SessionUser;
use domain::org::PositionLevel;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub(crate) fn position_ids(user: &SessionUser) -> Vec<String> {
    user.positions.iter().map(|p| p.position_id.clone()).collect()
}

/// The inbox keys of a user: themselves and every position they hold or act for.
pub(crate) fn owner_keys(user: &SessionUser) -> Vec<String> {
    let mut keys = vec![format!("e:{}", user.employee_id)];
    keys.extend(user.positions.iter().map(|p| format!("p:{}", p.position_id)));
    keys
}

/// One row of a letter list query, read the same way on both read paths.
struct ListRow {
    id: String,
    kind: LetterKind,
    subject: String,
    number: Option<String>,
    sifat: Sifat,
    urgency: Urgency,
    state: LetterState,
    recipients_text: String,
    updated_ms: i64,
    waiting_position_id: Option<String>,
    version: i64,
    drafter_name: String,
    /// Perlu Paraf only: where the letter waits, joined in the same query.
    waiting_title: Option<String>,
    waiting_holder: Option<String>,
    /// Perlu Paraf without filters only: the total from the queue counters.
    queue_total: Option<i64>,
}

impl ListRow {
    /// Perlu Paraf: the row with where it waits and the queue total (NULL when filtered).
    fn from_cols_paraf(r: &dyn Cols) -> Result<ListRow> {
        let mut row = Self::from_cols(r)?;
        row.waiting_title = r.opt_text("waiting_title")?;
        row.waiting_holder = r.opt_text("waiting_holder")?;
        row.queue_total = r.opt_int("queue_total")?;
        Ok(row)
    }

    fn from_cols(r: &dyn Cols) -> Result<ListRow> {
        Ok(ListRow {
            id: r.text("id")?,
            kind: r.code("kind")?,
            subject: r.text("subject")?,
            number: r.opt_text("number")?,
            sifat: r.code("sifat")?,
            urgency: r.code("urgency")?,
            state: letter_state(r)?,
            recipients_text: r.text("recipients_text")?,
            updated_ms: r.int("updated_ms")?,
            waiting_position_id: r.opt_text("waiting_position_id")?,
            version: r.int("version")?,
            drafter_name: r.text("drafter_name")?,
            waiting_title: None,
            waiting_holder: None,
            queue_total: None,
        })
    }
}

/// The `state` and `step` columns of a letter row.
pub(crate) fn letter_state(r: &dyn Cols) -> Result<LetterState> {
    let (code, step) = (r.text("state")?, r.int("step")?);
    LetterState::from_parts(&code, step).ok_or_else(|| {
        BackendError::internal(format!("database: unknown letter state {code:?} (step {step})"))
    })
}

fn hidden_letter() -> BackendError {
    BackendError::not_found("Surat tidak ditemukan atau Anda tidak berhak melihatnya.")
}

impl Store {
    /// The letter, if this user may see it; otherwise "not found", so its existence is not revealed.
    pub async fn visible_letter(&self, user: &SessionUser, id: &str) -> Result<LetterRow> {
        let l = match self.get_letter(id).await {
            Ok(l) => l,
            Err(BackendError::NotFound(_)) => return Err(hidden_letter()),
            Err(e) => return Err(e),
        };
        self.check_visible(user, l).await
    }

    /// `visible_letter` for a letter already read.
    pub(crate) async fn check_visible(
        &self,
        user: &SessionUser,
        l: LetterRow,
    ) -> Result<LetterRow> {
        let id = l.id.as_str();
        let positions = position_ids(user);
        let holds = |p: &str| positions.iter().any(|x| x == p);
        let mut inv = Involvement {
            drafter: l.drafter_id == user.employee_id,
            in_chain: holds(&l.signer_position_id)
                || l.chain.iter().any(|p| holds(p))
                || l.co_signer_position_id.as_deref().is_some_and(holds),
            clerk: user.caps.is_tu_of(&l.opd_id),
            ..Default::default()
        };
        if !domain::letter_view::may_see(l.sifat, inv) {
            inv.acted = sqlx::query(
                "SELECT 1 AS ok FROM letter_action WHERE letter_id = $1 AND actor_id = $2 LIMIT 1",
            )
            .bind(id)
            .bind(&user.employee_id)
            .fetch_optional(&self.pool)
            .await?
            .is_some();
        }
        if !domain::letter_view::may_see(l.sifat, inv) && l.state.is_final() {
            let keys = owner_keys(user);
            let sql = format!(
                "SELECT 1 AS ok FROM inbox_entry e JOIN incoming_letter i ON i.id = e.incoming_id WHERE i.outgoing_letter_id = $1 AND e.owner_key IN ({}) LIMIT 1",
                placeholders(2, keys.len())
            );
            let mut q = sqlx::query(&sql).bind(id);
            for k in &keys {
                q = q.bind(k);
            }
            inv.addressee = q.fetch_optional(&self.pool).await?.is_some();
        }
        if domain::letter_view::may_see(l.sifat, inv) { Ok(l) } else { Err(hidden_letter()) }
    }

    /// One page of a letter list.
    pub async fn list_letters(
        &self,
        user: &SessionUser,
        tab: ListTab,
        filter: &ListFilter,
        page: i64,
    ) -> Result<LetterPage> {
        let page = page.max(1);
        let mut f = Filter::new();
        match tab {
            ListTab::Draf => {
                let me = f.arg(&user.employee_id);
                f.cond(format!("l.drafter_id = {me}"));
                f.cond("l.state IN ('draft', 'returned')");
            }
            ListTab::PerluParaf => {
                let ps = position_ids(user);
                if ps.is_empty() {
                    return Ok(LetterPage { items: vec![], total: 0, page });
                }
                let list = f.args_in(ps);
                f.cond(format!("l.waiting_position_id IN ({list})"));
            }
            ListTab::DalamProses => {
                let me = f.arg(&user.employee_id);
                f.cond(format!("l.drafter_id = {me}"));
                f.cond("l.state IN ('review', 'signing', 'cosigning')");
            }
            ListTab::Terkirim => {
                let me = f.arg(&user.employee_id);
                f.cond("l.state IN ('signed', 'sent')");
                let mine =
                    format!("l.drafter_id = {me} OR l.signed_by = {me} OR l.co_signer_id = {me}");
                if user.caps.is_tu_of(&user.opd_id) {
                    let opd = f.arg(&user.opd_id);
                    let open = not_confidential("l.sifat");
                    f.cond(format!("({mine} OR (l.opd_id = {opd} AND {open}))"));
                } else {
                    f.cond(format!("({mine})"));
                }
            }
        }
        let searched = f.search(
            &filter.q,
            &["LOWER(l.subject)", "LOWER(COALESCE(l.number, ''))", "l.recipients_text"],
        );
        f.eq_code("l.kind", filter.kind);
        f.eq_code("l.sifat", filter.sifat);
        let day_ms = 86_400_000i64;
        let wib = 7 * 3_600_000i64;
        if let Some(d) = filter.from_day {
            f.cond(format!("l.updated_ms >= {}", d * day_ms - wib));
        }
        if let Some(d) = filter.to_day {
            f.cond(format!("l.updated_ms < {}", (d + 1) * day_ms - wib));
        }
        let where_sql = f.where_sql();
        let count_sql = format!("SELECT COUNT(*) AS n FROM letter l WHERE {where_sql}");
        let unfiltered = !searched
            && filter.kind.is_none()
            && filter.sifat.is_none()
            && filter.from_day.is_none()
            && filter.to_day.is_none();
        // Perlu Paraf without filters takes its total from the queue counters, in the same query as
        // the page; every other list counts its matches.
        let queue_total = tab == ListTab::PerluParaf && unfiltered;
        let counted: Option<i64> = if queue_total {
            None
        } else {
            Some(self.read_count(Cost::Scan, count_sql, f.args().to_vec()).await?)
        };
        // The page of ids is picked first, from the index where the list has one; the joins run for
        // 50 rows only. Perlu Paraf reads each position's queue from its own index range
        // (waiting_position_id, updated_ms, id) backwards, so nothing sorts a whole queue.
        let offset = sql::offset(page, PAGE_SIZE);
        let id_page = if tab == ListTab::PerluParaf {
            // Arguments 1..=n are the positions (pushed first above); the rest are the filters.
            let n = position_ids(user).len();
            let rest: Vec<&String> = f.conds().iter().skip(1).collect();
            let rest_sql = rest.iter().map(|c| format!(" AND {c}")).collect::<String>();
            let per_pos = (1..=n)
                .map(|i| {
                    format!(
                        "SELECT * FROM (SELECT l.id, l.updated_ms FROM letter l WHERE l.waiting_position_id = ${i}{rest_sql} \
                         ORDER BY l.updated_ms DESC, l.id DESC LIMIT {}) AS q{i}",
                        offset + PAGE_SIZE
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            format!(
                "SELECT id FROM ({per_pos}) AS u ORDER BY updated_ms DESC, id DESC LIMIT {PAGE_SIZE} OFFSET {offset}"
            )
        } else {
            format!(
                "SELECT l.id FROM letter l WHERE {where_sql} ORDER BY l.updated_ms DESC, l.id DESC LIMIT {PAGE_SIZE} OFFSET {offset}"
            )
        };
        // In Perlu Paraf every letter waits at one of the user's own positions (arguments 1..=n), so
        // where it waits is joined once per position instead of being looked up per row.
        let (extra_cols, extra_joins) = if tab == ListTab::PerluParaf {
            let ps = placeholders(1, position_ids(user).len());
            let total_col = if queue_total {
                format!(
                    ", (SELECT CAST(COALESCE(SUM(pq.waiting), 0) AS BIGINT) FROM position_queue pq WHERE pq.position_id IN ({ps})) AS queue_total"
                )
            } else {
                ", CAST(NULL AS BIGINT) AS queue_total".to_string()
            };
            (
                format!(", p.title AS waiting_title, h.holder AS waiting_holder{total_col}"),
                format!(
                    " LEFT JOIN position p ON p.id = l.waiting_position_id \
                     LEFT JOIN (SELECT e.position_id AS hp, MIN(e.name) AS holder FROM employee e WHERE e.active = 1 AND e.position_id IN ({ps}) GROUP BY e.position_id) h \
                     ON h.hp = l.waiting_position_id"
                ),
            )
        } else {
            (String::new(), String::new())
        };
        let list_sql = format!(
            "SELECT l.id, l.kind, l.subject, l.number, l.sifat, l.urgency, l.state, l.step, l.recipients_text, l.updated_ms, l.waiting_position_id, l.version, \
             d.name AS drafter_name{extra_cols} FROM letter l JOIN employee d ON d.id = l.drafter_id{extra_joins} \
             WHERE l.id IN ({id_page}) ORDER BY l.updated_ms DESC, l.id DESC"
        );
        let map =
            if tab == ListTab::PerluParaf { ListRow::from_cols_paraf } else { ListRow::from_cols };
        // An unfiltered Perlu Paraf page reads a few pages per position from the queue index; the
        // other lists, every filter and deep pages may scan.
        let cost = Cost::of_page(queue_total, page);
        let rows = self.read_rows(cost, list_sql, f.into_args(), map).await?;
        // Where each letter waits: the position's title and its first holder, once per position.
        let label = |title: String, holder: Option<String>| match holder {
            Some(h) => format!("{title} ({h})"),
            None => format!("{title} (kosong)"),
        };
        let total = match counted {
            Some(n) => n,
            None => match rows.first() {
                Some(r) => r.queue_total.ok_or_else(|| BackendError::internal("no queue total"))?,
                None => self.queue_count(&position_ids(user)).await?,
            },
        };
        let mut waiting_label: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        if tab == ListTab::PerluParaf {
            for r in &rows {
                if let (Some(w), Some(t)) = (&r.waiting_position_id, &r.waiting_title) {
                    waiting_label
                        .entry(w.clone())
                        .or_insert_with(|| label(t.clone(), r.waiting_holder.clone()));
                }
            }
        }
        let mut waiting_ids: Vec<String> = rows
            .iter()
            .filter_map(|r| r.waiting_position_id.clone())
            .filter(|w| !waiting_label.contains_key(w))
            .collect();
        waiting_ids.sort();
        waiting_ids.dedup();
        if !waiting_ids.is_empty() {
            let sql = format!(
                "SELECT p.id, p.title, (SELECT e.name FROM employee e WHERE e.position_id = p.id AND e.active = 1 ORDER BY e.name LIMIT 1) AS holder \
                 FROM position p WHERE p.id IN ({})",
                placeholders(1, waiting_ids.len())
            );
            let found = self
                .read_rows(Cost::Bounded, sql, waiting_ids, |r| {
                    Ok((r.text("id")?, r.text("title")?, r.opt_text("holder")?))
                })
                .await?;
            for (id, title, holder) in found {
                waiting_label.insert(id, label(title, holder));
            }
        }
        let items = rows
            .into_iter()
            .map(|r| LetterListItem {
                id: r.id,
                kind: r.kind,
                subject: r.subject,
                number: r.number,
                sifat: r.sifat,
                urgency: r.urgency,
                state_label: r.state.label().to_string(),
                state: r.state,
                drafter_name: r.drafter_name,
                waiting_at: r.waiting_position_id.and_then(|w| waiting_label.get(&w).cloned()),
                recipients: r.recipients_text,
                updated_ms: r.updated_ms,
                version: r.version,
            })
            .collect();
        Ok(LetterPage { items, total, page })
    }

    /// Counts for the navigation badges.
    pub async fn letter_counts(&self, user: &SessionUser) -> Result<Counts> {
        let ps = position_ids(user);
        let perlu_paraf = self.queue_count(&ps).await?;
        let d = self.disposition_counts(user).await?;
        let returned = self
            .read_count(
                Cost::Bounded,
                "SELECT COUNT(*) AS n FROM letter WHERE drafter_id = $1 AND state = 'returned'"
                    .into(),
                vec![user.employee_id.clone()],
            )
            .await?;
        Ok(Counts {
            perlu_paraf,
            kotak_masuk_unread: self.inbox_unread(user).await?,
            disposisi: d.unread + d.to_review,
            disposisi_laporan: d.to_review,
            dikembalikan: returned,
            notifications_unread: 0,
        })
    }

    /// What this user may do with the letter now, by asking the state machine.
    fn allowed(user: &SessionUser, l: &LetterRow) -> Allowed {
        let Some((role, _)) = Self::role_of(user, l) else { return Allowed::default() };
        let can = |a: Action| {
            transition(
                l.state,
                l.chain.len(),
                l.co_signer_position_id.is_some(),
                RestartPolicy::FromFirstReviewer,
                role,
                &a,
            )
            .is_ok()
        };
        let waiting_mine = l
            .waiting_position_id
            .as_ref()
            .is_some_and(|p| user.positions.iter().any(|h| &h.position_id == p));
        // Only the official printed in the second block adds the second signature (others holding
        // the position may still return the letter).
        let printed_co_signer = l.state != LetterState::CoSigning
            || l.co_signer_id.as_deref() == Some(user.employee_id.as_str());
        Allowed {
            edit: (l.state.drafter_may_edit() && l.drafter_id == user.employee_id)
                || (waiting_mine
                    && matches!(l.state, LetterState::Review { .. } | LetterState::Signing)),
            submit: can(Action::Submit),
            approve: can(Action::Approve),
            ret: can(Action::Return { note: "x".into() }),
            sign: can(Action::Sign) && printed_co_signer,
            mark_sent: can(Action::MarkSent),
            withdraw: can(Action::Withdraw),
        }
    }

    pub async fn letter_detail(&self, user: &SessionUser, id: &str) -> Result<LetterDetail> {
        let l = self.visible_letter(user, id).await?;
        let draft = self.letter_content(id, l.version).await?;
        let r = sqlx::query(
            "SELECT o.name AS opd_name, d.name AS drafter_name, p.title AS signer_title, l.signed_ms, l.co_signed_ms, \
             (SELECT COUNT(*) FROM letter_document x WHERE x.letter_id = l.id) AS docs \
             FROM letter l JOIN opd o ON o.id = l.opd_id JOIN employee d ON d.id = l.drafter_id JOIN position p ON p.id = l.signer_position_id WHERE l.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let mut chain = Vec::new();
        // Reviewers, the signer, then the co-signer: (position, kind) with kind 0 reviewer, 1 signer, 2 co-signer.
        let stops: Vec<(String, u8)> = l
            .chain
            .iter()
            .map(|p| (p.clone(), 0))
            .chain(std::iter::once((l.signer_position_id.clone(), 1)))
            .chain(l.co_signer_position_id.iter().map(|p| (p.clone(), 2)))
            .collect();
        let current = match l.state {
            LetterState::Review { step } => Some(step),
            LetterState::Signing => Some(l.chain.len()),
            LetterState::CoSigning => Some(l.chain.len() + 1),
            _ => None,
        };
        let done_all = matches!(l.state, LetterState::Signed | LetterState::Sent);
        let co_signer = match &l.co_signer_position_id {
            Some(p) => Some(self.co_signer_option(p).await?),
            None => None,
        };
        for (i, (p, kind)) in stops.iter().enumerate() {
            let pos = self.get_position(p).await?;
            let holder = if *kind == 2 {
                // The official printed on the letter once the signer has signed, else who holds it now.
                match (&l.co_signer_id, &co_signer) {
                    (Some(e), _) => Some(self.get_employee(e).await?.name),
                    (None, Some(o)) => o.holder_name.clone(),
                    (None, None) => None,
                }
            } else {
                self.holders_of(p).await?.into_iter().next().map(|h| h.name)
            };
            let status = if done_all || current.is_some_and(|c| i < c) {
                StopStatus::Done
            } else if current == Some(i) {
                StopStatus::Current
            } else {
                StopStatus::Pending
            };
            chain.push(ChainStop {
                position_title: pos.title,
                holder,
                status,
                is_signer: *kind == 1,
                is_co_signer: *kind == 2,
            });
        }
        let history = sqlx::query(
            "SELECT e.name, p.title, a.action, a.note, a.version, a.at_ms FROM letter_action a JOIN employee e ON e.id = a.actor_id \
             LEFT JOIN position p ON p.id = a.position_id WHERE a.letter_id = $1 ORDER BY a.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(HistoryEntry {
                actor_name: r.try_get("name")?,
                position_title: r.try_get("title")?,
                action: r.code("action")?,
                note: r.try_get("note")?,
                version: r.try_get("version")?,
                at_ms: r.try_get("at_ms")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let mut history = history;
        for (name, at_ms) in self.letter_reminders(id).await? {
            history.push(HistoryEntry {
                actor_name: name,
                position_title: None,
                action: domain::letter::ActionKind::Remind,
                note: String::new(),
                version: 0,
                at_ms,
            });
        }
        history.sort_by_key(|h| h.at_ms);
        let versions = sqlx::query(
            "SELECT v.version, e.name, v.conflict, v.created_ms FROM letter_version v JOIN employee e ON e.id = v.author_id WHERE v.letter_id = $1 ORDER BY v.version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(VersionInfo {
                version: r.try_get("version")?,
                author_name: r.try_get("name")?,
                conflict: r.try_get::<i64, _>("conflict")? != 0,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let conflicts = versions
            .iter()
            .filter(|v| v.conflict && v.version > l.version)
            .map(|v| v.version)
            .collect();
        let state_label = l.state.label().to_string();
        Ok(LetterDetail {
            id: l.id.clone(),
            opd_name: r.try_get("opd_name")?,
            draft,
            state: l.state,
            state_label,
            version: l.version,
            number: l.number.clone(),
            drafter_name: r.try_get("drafter_name")?,
            signer_title: r.try_get("signer_title")?,
            signed_ms: r.try_get("signed_ms")?,
            co_signer,
            co_signed_ms: r.try_get("co_signed_ms")?,
            void_numbers: self
                .void_numbers(id)
                .await?
                .into_iter()
                .map(|(n, why, _)| format!("{n} — {why}"))
                .collect(),
            chain,
            history,
            versions,
            attachments: self.attachments_of(id).await?,
            allowed: Self::allowed(user, &l),
            has_document: r.try_get::<i64, _>("docs")? > 0,
            conflicts,
            reply_to: self.reply_ref_of(user, l.reply_to_incoming_id.as_deref()).await?,
        })
    }

    /// Differences between two versions, header fields and body separately.
    pub async fn letter_diff(
        &self,
        user: &SessionUser,
        id: &str,
        from: i64,
        to: i64,
    ) -> Result<VersionDiff> {
        self.visible_letter(user, id).await?;
        let a = self.letter_content(id, from).await?;
        let b = self.letter_content(id, to).await?;
        let header = |d: &LetterDraft| -> Vec<String> {
            let mut v = vec![
                format!("Jenis: {}", d.kind.label()),
                format!("Klasifikasi: {}", d.klasifikasi),
                format!("Sifat: {}", d.sifat.label()),
                format!("Hal: {}", d.subject),
                format!("Lampiran: {}", d.attachment_count),
            ];
            v.extend(d.recipients.iter().map(|r| {
                format!(
                    "{}: {}",
                    if r.role == RecipientRole::To { "Yth." } else { "Tembusan" },
                    r.name
                )
            }));
            v
        };
        Ok(VersionDiff {
            from,
            to,
            header: diff_lines(&header(&a), &header(&b)),
            body: diff_lines(&a.body.plain_lines(), &b.body.plain_lines()),
        })
    }

    /// The PDF of a letter: the stored final document once signed, otherwise a fresh preview.
    pub async fn letter_pdf(&self, user: &SessionUser, id: &str) -> Result<(Vec<u8>, String)> {
        let l = self.visible_letter(user, id).await?;
        if let Some(r) = sqlx::query("SELECT pdf FROM letter_document WHERE letter_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        {
            let name = l.number.clone().unwrap_or_else(|| l.id.clone()).replace('/', "-");
            return Ok((r.try_get("pdf")?, format!("surat-{name}.pdf")));
        }
        let draft = self.letter_content(id, l.version).await?;
        let signer = self.signer_info(&l.signer_position_id, None).await?;
        let co_signer = match &l.co_signer_position_id {
            Some(p) => Some(self.signer_info(p, None).await?),
            None => None,
        };
        let mut doc =
            self.letter_document(&l, &draft, None, None, &signer, co_signer.as_ref()).await?;
        doc.watermark = Some("PRATINJAU - BELUM DITANDATANGANI".into());
        let pdf = crate::render::render_letter(&doc)?;
        Ok((pdf, format!("pratinjau-{}.pdf", l.id)))
    }

    pub async fn attachments_of(&self, letter_id: &str) -> Result<Vec<AttachmentInfo>> {
        sqlx::query("SELECT id, name, content_type, size FROM letter_attachment WHERE letter_id = $1 ORDER BY created_ms, id")
            .bind(letter_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(AttachmentInfo { id: r.try_get("id")?, name: r.try_get("name")?, content_type: r.try_get("content_type")?, size: r.try_get("size")? }))
            .collect()
    }

    /// Adds an attachment; its type is decided by its content.
    pub async fn add_attachment(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        letter_id: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<AttachmentInfo> {
        let l = self.visible_letter(user, letter_id).await?;
        if !self.may_edit(user, &l).await {
            return Err(BackendError::Forbidden(
                "Lampiran hanya dapat diubah oleh yang sedang memegang surat ini.".into(),
            ));
        }
        let kind = sniff(&bytes).map_err(|e| BackendError::invalid(e.to_string()))?;
        let name = clean_name(name);
        let mut tx = self.begin_write().await?;
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM letter_attachment WHERE letter_id = $1")
                .bind(letter_id)
                .fetch_one(tx.conn())
                .await?
                .try_get("n")?;
        if n as usize >= MAX_ATTACHMENTS {
            return Err(BackendError::invalid(format!(
                "Lampiran paling banyak {MAX_ATTACHMENTS} berkas per surat."
            )));
        }
        let id = new_id();
        let size = bytes.len() as i64;
        sqlx::query("INSERT INTO letter_attachment (id, letter_id, name, content_type, size, sha256, data, uploaded_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&id)
            .bind(letter_id)
            .bind(&name)
            .bind(kind.content_type())
            .bind(size)
            .bind(hex::encode(Sha256::digest(&bytes)))
            .bind(bytes)
            .bind(&user.employee_id)
            .bind(now_ms())
            .execute(tx.conn())
            .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "letter.attachment_add",
            "letter",
            Some(letter_id),
            json!({ "name": name, "size": size }),
        )
        .await?;
        tx.commit().await?;
        Ok(AttachmentInfo { id, name, content_type: kind.content_type().into(), size })
    }

    pub async fn remove_attachment(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        attachment_id: &str,
    ) -> Result<()> {
        let r = sqlx::query("SELECT letter_id, name FROM letter_attachment WHERE id = $1")
            .bind(attachment_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Lampiran tidak ditemukan."))?;
        let letter_id: String = r.try_get("letter_id")?;
        let l = self.visible_letter(user, &letter_id).await?;
        if !self.may_edit(user, &l).await {
            return Err(BackendError::Forbidden(
                "Lampiran hanya dapat diubah oleh yang sedang memegang surat ini.".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM letter_attachment WHERE id = $1")
            .bind(attachment_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "letter.attachment_remove",
            "letter",
            Some(&letter_id),
            json!({ "name": r.try_get::<String, _>("name")? }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An attachment's bytes, for whoever may see its letter.
    pub async fn attachment(
        &self,
        user: &SessionUser,
        attachment_id: &str,
    ) -> Result<(Vec<u8>, String, String)> {
        let r = sqlx::query(
            "SELECT letter_id, name, content_type, data FROM letter_attachment WHERE id = $1",
        )
        .bind(attachment_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Lampiran tidak ditemukan."))?;
        self.visible_letter(user, &r.try_get::<String, _>("letter_id")?).await?;
        Ok((r.try_get("data")?, r.try_get("name")?, r.try_get("content_type")?))
    }

    /// Recipient picker: OPDs, units and people of the user's Pemda matching the text.
    pub async fn search_directory(
        &self,
        user: &SessionUser,
        q: &str,
        limit: i64,
    ) -> Result<Vec<DirectoryEntry>> {
        let q = q.trim();
        if q.chars().count() < 2 {
            return Ok(vec![]);
        }
        let Some(pat) = like_pattern(q) else { return Ok(vec![]) };
        let mut out = Vec::new();
        for r in sqlx::query("SELECT id, name, short_name FROM opd WHERE pemda_id = $1 AND active = 1 AND (LOWER(name) LIKE $2 ESCAPE '\\' OR LOWER(short_name) LIKE $2 ESCAPE '\\') ORDER BY name LIMIT $3")
            .bind(&user.pemda_id)
            .bind(&pat)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
        {
            let short: String = r.try_get("short_name")?;
            out.push(DirectoryEntry { target_type: TargetType::Opd, target_id: r.try_get("id")?, name: format!("Kepala {short}"), detail: r.try_get("name")? });
        }
        for r in sqlx::query(
            "SELECT u.id, u.name, o.short_name FROM unit u JOIN opd o ON o.id = u.opd_id WHERE o.pemda_id = $1 AND o.active = 1 AND u.parent_id IS NOT NULL \
             AND LOWER(u.name) LIKE $2 ESCAPE '\\' ORDER BY u.name LIMIT $3",
        )
        .bind(&user.pemda_id)
        .bind(&pat)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        {
            let unit: String = r.try_get("name")?;
            let opd: String = r.try_get("short_name")?;
            out.push(DirectoryEntry { target_type: TargetType::Unit, target_id: r.try_get("id")?, name: format!("Kepala {unit} {opd}"), detail: opd });
        }
        for r in sqlx::query(
            "SELECT e.id, e.name, e.nip, p.title, o.short_name FROM employee e JOIN opd o ON o.id = e.opd_id LEFT JOIN position p ON p.id = e.position_id \
             WHERE e.pemda_id = $1 AND e.active = 1 AND (LOWER(e.name) LIKE $2 ESCAPE '\\' OR e.nip LIKE $2 ESCAPE '\\' OR LOWER(COALESCE(p.title, '')) LIKE $2 ESCAPE '\\') \
             ORDER BY e.name LIMIT $3",
        )
        .bind(&user.pemda_id)
        .bind(&pat)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        {
            let title: Option<String> = r.try_get("title")?;
            let opd: String = r.try_get("short_name")?;
            out.push(DirectoryEntry {
                target_type: TargetType::Employee,
                target_id: r.try_get("id")?,
                name: r.try_get("name")?,
                detail: format!("{} — {opd}", title.unwrap_or_else(|| "Tanpa jabatan".into())),
            });
        }
        out.truncate(limit as usize * 2);
        Ok(out)
    }

    /// Positions of the user's OPD that may sign for this drafter: the head, and for types that allow
    /// it the Sekretaris and Kepala Bidang above the drafter.
    pub async fn signer_options(&self, user: &SessionUser) -> Result<Vec<(String, String)>> {
        let Some(mine) = user.positions.iter().find(|p| p.acting_kind.is_none()) else {
            return Ok(vec![]);
        };
        let superiors = self.superiors(&user.opd_id).await?;
        let mut out = Vec::new();
        let mut cur = Some(mine.position_id.clone());
        let mut guard = 0;
        while let Some(p) = cur {
            let pos = self.get_position(&p).await?;
            if pos.level <= PositionLevel::KepalaBidang {
                out.push((pos.id.clone(), pos.title.clone()));
            }
            cur = superiors.get(&p).cloned().flatten();
            guard += 1;
            if guard > 32 {
                break;
            }
        }
        Ok(out)
    }

    /// Klasifikasi arsip codes of a Pemda.
    pub async fn list_klasifikasi(&self, pemda_id: &str) -> Result<Vec<(String, String)>> {
        sqlx::query("SELECT code, name FROM klasifikasi WHERE pemda_id = $1 ORDER BY code")
            .bind(pemda_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
            .collect()
    }
}
