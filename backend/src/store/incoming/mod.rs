//! Surat masuk: the clerk's registration of scanned mail, the disposition tree (given, passed down,
//! followed up, accepted or sent back), filing, and the lists. Letters delivered from the surat
//! keluar flow arrive on the same `incoming_letter` record and are disposed the same way.
//!
//! Every read goes through [`Store::incoming_access`], which applies `domain::disposition`'s rules:
//! a viewer sees the branches addressed to them or below them, the addressee and the records clerk
//! see the whole tree, and confidential letters are invisible to anyone outside it.

use super::letter_views::{owner_keys, position_ids};
use super::letters::{next_number, record_work};
use super::sql::{Filter, not_confidential, page_sql, placeholders};
use super::{Actor, CodeCols, Cols, Store};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::disposition::{
    DisposeInput, DispositionCounts, DispositionError, DispositionItem, DispositionPage,
    IncomingListItem, IncomingPage, IncomingStatus, IncomingView, Instruction, Node, NodeStatus,
    NodeView, PAGE_SIZE, PositionChoice, RegisterInput, RegisterOutcome, Targets, Viewer,
    check_dispose, check_forward, check_register, check_report, check_review, duplicate_key,
    overdue, positions_below, tree_complete, visible_nodes,
};
use domain::letter::{Sifat, Urgency};
use domain::letter_view::AttachmentInfo;
use domain::model::SessionUser;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet};

mod acts;
mod documents;
mod lists;
mod register;

pub use documents::node_status_label;

const HIDDEN: &str = "Surat tidak ditemukan atau Anda tidak berhak melihatnya.";
/// Files attached to one follow-up report.
pub const MAX_REPORT_FILES: usize = 5;

/// Scans are parsed, checked and assembled off the async threads, two at a time: a crafted PDF can
/// take seconds of CPU, and must not stall the requests of everyone else.
static SCAN_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Turns an upload into the stored scan: a PDF is checked (parses, not encrypted, page count), photos
/// are combined into one PDF in the order given. Returns the PDF and its page count.
pub async fn prepare_scan(pdf: Option<Vec<u8>>, images: Vec<Vec<u8>>) -> Result<(Vec<u8>, i64)> {
    let _slot =
        SCAN_SLOTS.acquire().await.map_err(|_| BackendError::internal("scan queue closed"))?;
    tokio::task::spawn_blocking(move || match pdf {
        Some(bytes) => crate::render::check_scan_pdf(&bytes).map(|info| (bytes, info.pages as i64)),
        None => {
            let n = images.len() as i64;
            crate::render::images_to_pdf(&images).map(|pdf| (pdf, n))
        }
    })
    .await
    .map_err(|_| BackendError::internal("scan worker failed"))?
}

/// Where `giver` may dispose to on this letter: every position below them, and their peers where
/// the OPD allows it, but never a position already on the path down to here (no loops).
fn targets_for(acc: &Access, giver: &str, peers_allowed: bool) -> Targets {
    let mut t = Targets::of(&acc.superiors, giver, peers_allowed);
    if !t.peers.is_empty() {
        // The giver's own node (addressed to them, not passed on yet) and its ancestors.
        let mut cur = acc
            .nodes
            .iter()
            .find(|n| n.to_position_id == giver && n.status == NodeStatus::Open && !n.forwarded);
        while let Some(n) = cur {
            t.peers.remove(&n.from_position_id);
            t.peers.remove(&n.to_position_id);
            cur = n.parent_id.as_ref().and_then(|p| acc.nodes.iter().find(|x| &x.id == p));
        }
    }
    t
}

fn invalid(e: DispositionError) -> BackendError {
    match e {
        DispositionError::AlreadyForwarded => BackendError::Conflict(e.to_string()),
        other => BackendError::invalid(other.to_string()),
    }
}

/// The incoming letter as stored.
#[derive(Clone, Debug)]
pub struct IncomingRow {
    pub id: String,
    pub opd_id: String,
    pub source: String,
    pub outgoing_letter_id: Option<String>,
    pub agenda_seq: i64,
    pub agenda_year: i64,
    pub received_ms: i64,
    pub sender_name: String,
    pub letter_number: String,
    pub letter_day: i64,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub attachment_count: i64,
    pub subject: String,
    pub summary: String,
    pub klasifikasi: String,
    pub registered_by: Option<String>,
    pub disposer_position_id: Option<String>,
    pub disposed_ms: Option<i64>,
    pub status: IncomingStatus,
}

impl IncomingRow {
    pub fn agenda_number(&self) -> String {
        format!("{}/{}", self.agenda_seq, self.agenda_year)
    }
    fn confidential(&self) -> bool {
        self.sifat.is_confidential()
    }
}

const INCOMING_COLS: &str = "id, opd_id, source, outgoing_letter_id, agenda_seq, agenda_year, received_ms, sender_name, letter_number, letter_day, sifat, urgency, \
     attachment_count, subject, summary, klasifikasi, registered_by, disposer_position_id, disposed_ms, status";

fn incoming_from(r: &AnyRow) -> Result<IncomingRow> {
    Ok(IncomingRow {
        id: r.try_get("id")?,
        opd_id: r.try_get("opd_id")?,
        source: r.try_get("source")?,
        outgoing_letter_id: r.try_get("outgoing_letter_id")?,
        agenda_seq: r.try_get("agenda_seq")?,
        agenda_year: r.try_get("agenda_year")?,
        received_ms: r.try_get("received_ms")?,
        sender_name: r.try_get("sender_name")?,
        letter_number: r.try_get("letter_number")?,
        letter_day: r.try_get("letter_day")?,
        sifat: r.code("sifat")?,
        urgency: r.code("urgency")?,
        attachment_count: r.try_get("attachment_count")?,
        subject: r.try_get("subject")?,
        summary: r.try_get("summary")?,
        klasifikasi: r.try_get("klasifikasi")?,
        registered_by: r.try_get("registered_by")?,
        disposer_position_id: r.try_get("disposer_position_id")?,
        disposed_ms: r.try_get("disposed_ms")?,
        status: r.code("status")?,
    })
}

/// One node with the names the views print.
#[derive(Clone, Debug)]
pub struct NodeRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub from_position_id: String,
    pub from_title: String,
    pub from_name: String,
    pub to_position_id: String,
    pub to_title: String,
    pub to_name: Option<String>,
    pub lead: bool,
    pub instructions: Vec<Instruction>,
    pub note: String,
    pub deadline_day: Option<i64>,
    pub created_ms: i64,
    pub read_ms: Option<i64>,
    pub read_by_name: Option<String>,
    pub forwarded: bool,
    pub status: NodeStatus,
    pub report_text: String,
    pub report_letter_id: Option<String>,
    pub reported_ms: Option<i64>,
    pub reported_by_name: Option<String>,
    pub review_note: String,
    pub done_ms: Option<i64>,
    pub version: i64,
}

impl NodeRow {
    fn rule(&self) -> Node {
        Node {
            id: self.id.clone(),
            parent_id: self.parent_id.clone(),
            from_position_id: self.from_position_id.clone(),
            to_position_id: self.to_position_id.clone(),
            status: self.status,
            deadline_day: self.deadline_day,
            forwarded: self.forwarded,
        }
    }
}

/// Parents before children, siblings in the order they were given: the order of the tree view
/// and of the printed sheet.
fn tree_order(mut nodes: Vec<NodeRow>) -> Vec<NodeRow> {
    nodes.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
    let mut out = Vec::with_capacity(nodes.len());
    fn walk(parent: Option<&str>, nodes: &[NodeRow], out: &mut Vec<NodeRow>, depth: usize) {
        if depth > 64 {
            return;
        }
        for n in nodes.iter().filter(|n| n.parent_id.as_deref() == parent) {
            out.push(n.clone());
            walk(Some(&n.id), nodes, out, depth + 1);
        }
    }
    walk(None, &nodes, &mut out, 0);
    out
}

/// What one user may see and do with one incoming letter.
pub struct Access {
    pub inc: IncomingRow,
    /// In tree order.
    pub nodes: Vec<NodeRow>,
    pub visible: Vec<bool>,
    pub viewer: Viewer,
    /// The position this user gives the first disposition as, when they are its addressee.
    pub root_position: Option<String>,
    pub superiors: HashMap<String, Option<String>>,
    pub is_clerk: bool,
}

impl Access {
    fn holds(&self, position: &str) -> bool {
        self.viewer.positions.contains(position)
    }
    fn node(&self, id: &str) -> Result<&NodeRow> {
        self.nodes
            .iter()
            .zip(&self.visible)
            .find(|(n, v)| n.id == id && **v)
            .map(|(n, _)| n)
            .ok_or_else(|| BackendError::not_found("Disposisi tidak ditemukan."))
    }
    fn rules(&self) -> Vec<Node> {
        self.nodes.iter().map(NodeRow::rule).collect()
    }
    fn archived(&self) -> bool {
        self.inc.status == IncomingStatus::Archived
    }
    /// The addressee, or the clerk once every branch is done.
    fn can_archive(&self) -> bool {
        if self.archived() || !tree_complete(&self.rules()) {
            return false;
        }
        self.root_position.is_some()
            || (self.is_clerk && !self.inc.confidential() && !self.nodes.is_empty())
    }
}

/// A follow-up report on a disposition: its text, an optional reply letter it points to, and
/// files (name and bytes, checked by content when stored).
pub struct FollowUpReport<'a> {
    pub node_id: &'a str,
    /// The node's version the reporter saw; a report on a changed node is refused.
    pub expected_version: i64,
    pub text: &'a str,
    pub letter_id: Option<&'a str>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Store {
    async fn incoming_row(&self, id: &str) -> Result<IncomingRow> {
        let r = sqlx::query(&format!("SELECT {INCOMING_COLS} FROM incoming_letter WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found(HIDDEN))?;
        incoming_from(&r)
    }

    async fn nodes_of(&self, incoming_id: &str) -> Result<Vec<NodeRow>> {
        let rows = sqlx::query(
            "SELECT d.id, d.parent_id, d.depth, d.from_position_id, fp.title AS from_title, fe.name AS from_name, d.to_position_id, tp.title AS to_title, \
             te.name AS to_name, d.is_lead, d.instructions, d.note, d.deadline_day, d.created_ms, d.read_ms, re.name AS read_by_name, d.forwarded_ms, d.status, \
             d.report_text, d.report_letter_id, d.reported_ms, rp.name AS reported_by_name, d.review_note, d.done_ms, d.version \
             FROM disposition d JOIN position fp ON fp.id = d.from_position_id JOIN position tp ON tp.id = d.to_position_id \
             JOIN employee fe ON fe.id = d.from_employee_id LEFT JOIN employee te ON te.id = d.to_employee_id \
             LEFT JOIN employee re ON re.id = d.read_by LEFT JOIN employee rp ON rp.id = d.reported_by WHERE d.incoming_id = $1",
        )
        .bind(incoming_id)
        .fetch_all(&self.pool)
        .await?;
        let nodes = rows
            .iter()
            .map(|r| {
                Ok(NodeRow {
                    id: r.try_get("id")?,
                    parent_id: r.try_get("parent_id")?,
                    depth: r.try_get("depth")?,
                    from_position_id: r.try_get("from_position_id")?,
                    from_title: r.try_get("from_title")?,
                    from_name: r.try_get("from_name")?,
                    to_position_id: r.try_get("to_position_id")?,
                    to_title: r.try_get("to_title")?,
                    to_name: r.try_get("to_name")?,
                    lead: r.try_get::<i64, _>("is_lead")? != 0,
                    instructions: Instruction::parse_list(&r.text("instructions")?),
                    note: r.try_get("note")?,
                    deadline_day: r.try_get("deadline_day")?,
                    created_ms: r.try_get("created_ms")?,
                    read_ms: r.try_get("read_ms")?,
                    read_by_name: r.try_get("read_by_name")?,
                    forwarded: r.try_get::<Option<i64>, _>("forwarded_ms")?.is_some(),
                    status: r.code("status")?,
                    report_text: r.try_get("report_text")?,
                    report_letter_id: r.try_get("report_letter_id")?,
                    reported_ms: r.try_get("reported_ms")?,
                    reported_by_name: r.try_get("reported_by_name")?,
                    review_note: r.try_get("review_note")?,
                    done_ms: r.try_get("done_ms")?,
                    version: r.try_get("version")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(tree_order(nodes))
    }

    /// The letter and what this user may see of it; "not found" when they may see nothing.
    pub async fn incoming_access(&self, user: &SessionUser, id: &str) -> Result<Access> {
        let inc = self.incoming_row(id).await?;
        let opd = self.get_opd(&inc.opd_id).await?;
        if opd.pemda_id != user.pemda_id {
            return Err(BackendError::not_found(HIDDEN));
        }
        let nodes = self.nodes_of(id).await?;
        let superiors = self.superiors(&inc.opd_id).await?;
        let positions: HashSet<String> = position_ids(user).into_iter().collect();
        let mut below = HashSet::new();
        for p in &positions {
            below.extend(positions_below(&superiors, p));
        }
        // Addressees: the position the clerk sent it to, and the inbox owners of the letter.
        let keys = owner_keys(user);
        let entries = sqlx::query("SELECT owner_key, role FROM inbox_entry WHERE incoming_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let mut addressee = false;
        let mut root_position = inc.disposer_position_id.clone().filter(|d| positions.contains(d));
        for e in &entries {
            let key: String = e.try_get("owner_key")?;
            if !keys.contains(&key) {
                continue;
            }
            addressee = true;
            if root_position.is_none() && e.try_get::<String, _>("role")? == "to" {
                root_position = match key.strip_prefix("p:") {
                    Some(p) => Some(p.to_string()),
                    None => user
                        .positions
                        .iter()
                        .map(|h| h.position_id.clone())
                        .find(|p| superiors.contains_key(p)),
                };
            }
        }
        let is_clerk = user.caps.is_tu_of(&inc.opd_id);
        let above_disposer = inc.disposer_position_id.as_ref().is_some_and(|d| below.contains(d));
        let whole_tree = addressee
            || root_position.is_some()
            || above_disposer
            || (is_clerk && !inc.confidential());
        let viewer = Viewer { positions, below, whole_tree };
        let rules: Vec<Node> = nodes.iter().map(NodeRow::rule).collect();
        let is_registrar = inc.registered_by.as_deref() == Some(user.employee_id.as_str());
        let sifat = inc.sifat;
        if !domain::disposition::may_open(sifat, &rules, &viewer, is_registrar, is_clerk) {
            return Err(BackendError::not_found(HIDDEN));
        }
        let visible = visible_nodes(&rules, &viewer);
        Ok(Access { inc, nodes, visible, viewer, root_position, superiors, is_clerk })
    }

    /// Titles and current holders of every position of an OPD.
    async fn position_directory(&self, opd_id: &str) -> Result<Vec<(String, String, i64, String)>> {
        let rows = sqlx::query(
            "SELECT p.id, p.title, p.level, (SELECT MIN(e.name) FROM employee e WHERE e.position_id = p.id AND e.active = 1) AS holder \
             FROM position p WHERE p.opd_id = $1 ORDER BY p.level, p.title",
        )
        .bind(opd_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("title")?,
                    r.try_get("level")?,
                    r.try_get::<Option<String>, _>("holder")?.unwrap_or_default(),
                ))
            })
            .collect()
    }

    // ---------- The letter page ----------

    /// The incoming letter with its tree as this user may see it. Opening it is the read receipt of
    /// the user's inbox entries and of the dispositions addressed to them (each counts as work).
    pub async fn incoming_view(&self, user: &SessionUser, id: &str) -> Result<IncomingView> {
        self.mark_incoming_read(user, id).await?;
        let acc = self.incoming_access(user, id).await?;
        let today = domain::time::wib_day(now_ms());
        let rules = acc.rules();
        let archived = acc.archived();
        let files = self.report_files(&acc).await?;
        let mut givers: Vec<String> = Vec::new();
        let can_dispose_root =
            acc.root_position.is_some() && acc.inc.disposed_ms.is_none() && !archived;
        if can_dispose_root {
            givers.extend(acc.root_position.clone());
        }
        let mut nodes = Vec::new();
        for (n, visible) in acc.nodes.iter().zip(&acc.visible) {
            if !visible {
                continue;
            }
            let rule = n.rule();
            let can_forward =
                !archived && acc.holds(&n.to_position_id) && check_forward(&rule).is_ok();
            if can_forward && !givers.contains(&n.to_position_id) {
                givers.push(n.to_position_id.clone());
            }
            nodes.push(NodeView {
                id: n.id.clone(),
                parent_id: n.parent_id.clone(),
                depth: n.depth,
                from_title: n.from_title.clone(),
                from_name: n.from_name.clone(),
                to_position_id: n.to_position_id.clone(),
                to_title: n.to_title.clone(),
                to_name: n.to_name.clone().unwrap_or_default(),
                lead: n.lead,
                instructions: n.instructions.clone(),
                note: n.note.clone(),
                deadline_day: n.deadline_day,
                created_ms: n.created_ms,
                read_ms: n.read_ms,
                read_by_name: n.read_by_name.clone(),
                forwarded: n.forwarded,
                status: n.status,
                report_text: n.report_text.clone(),
                report_letter_id: n.report_letter_id.clone(),
                reported_ms: n.reported_ms,
                reported_by_name: n.reported_by_name.clone(),
                review_note: n.review_note.clone(),
                done_ms: n.done_ms,
                overdue: overdue(n.status, n.deadline_day, today),
                files: files.get(&n.id).cloned().unwrap_or_default(),
                can_forward,
                can_report: !archived
                    && acc.holds(&n.to_position_id)
                    && check_report(&rule, &rules, "x", false).is_ok(),
                can_review: !archived
                    && acc.holds(&n.from_position_id)
                    && n.status == NodeStatus::Reported,
                version: n.version,
            });
        }
        let mut choices = Vec::new();
        if !givers.is_empty() {
            let dir = self.position_directory(&acc.inc.opd_id).await?;
            let peers_allowed = self.incoming_settings(&acc.inc.opd_id).await?.peer_disposition;
            for g in givers {
                let targets = targets_for(&acc, &g, peers_allowed);
                let mut list: Vec<PositionChoice> = dir
                    .iter()
                    .filter(|(id, ..)| targets.below.contains(id) || targets.peers.contains(id))
                    .map(|(id, title, _, holder)| PositionChoice {
                        position_id: id.clone(),
                        title: title.clone(),
                        holder: holder.clone(),
                        direct: acc.superiors.get(id).cloned().flatten().as_deref()
                            == Some(g.as_str()),
                        peer: targets.peers.contains(id),
                    })
                    .collect();
                // Direct subordinates first; the directory is already ordered by level and title.
                list.sort_by_key(|c| !c.direct);
                choices.push((g, list));
            }
        }
        let disposer_title = match &acc.inc.disposer_position_id {
            Some(p) => self.get_position(p).await.map(|p| p.title).unwrap_or_default(),
            None => String::new(),
        };
        let scan_pages: i64 = match &acc.inc.outgoing_letter_id {
            // A letter signed inside the system: its pages, counted from the signed PDF.
            Some(l) => match sqlx::query("SELECT pdf FROM letter_document WHERE letter_id = $1")
                .bind(l)
                .fetch_optional(&self.pool)
                .await?
            {
                Some(r) => crate::render::check_scan_pdf(&r.try_get::<Vec<u8>, _>("pdf")?)
                    .map(|i| i.pages as i64)
                    .unwrap_or(1),
                None => 0,
            },
            None => sqlx::query("SELECT pages FROM incoming_scan WHERE incoming_id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("pages"))
                .transpose()?
                .unwrap_or(0),
        };
        let opd = self.get_opd(&acc.inc.opd_id).await?;
        let inc = &acc.inc;
        Ok(IncomingView {
            id: inc.id.clone(),
            opd_name: opd.name,
            agenda_number: inc.agenda_number(),
            source: inc.source.clone(),
            received_ms: inc.received_ms,
            sender_name: inc.sender_name.clone(),
            letter_number: inc.letter_number.clone(),
            letter_day: inc.letter_day,
            sifat: inc.sifat,
            urgency: inc.urgency,
            attachment_count: inc.attachment_count,
            subject: inc.subject.clone(),
            summary: inc.summary.clone(),
            klasifikasi: inc.klasifikasi.clone(),
            status: inc.status,
            scan_pages,
            outgoing_letter_id: inc.outgoing_letter_id.clone(),
            disposer_title,
            nodes,
            can_dispose_root,
            choices,
            root_position_id: acc.root_position.clone(),
            can_archive: acc.can_archive(),
            whole_tree: acc.viewer.whole_tree,
            today,
            can_reply: !archived
                && acc.inc.opd_id == user.opd_id
                && user.positions.iter().any(|p| p.acting_kind.is_none()),
            replies: self.replies_of(user, id).await?,
        })
    }

    async fn report_files(&self, acc: &Access) -> Result<HashMap<String, Vec<AttachmentInfo>>> {
        let rows = sqlx::query(
            "SELECT f.id, f.disposition_id, f.name, f.content_type, f.size FROM disposition_file f JOIN disposition d ON d.id = f.disposition_id \
             WHERE d.incoming_id = $1 ORDER BY f.created_ms",
        )
        .bind(&acc.inc.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<AttachmentInfo>> = HashMap::new();
        for r in rows {
            out.entry(r.try_get("disposition_id")?).or_default().push(AttachmentInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
            });
        }
        Ok(out)
    }

    async fn mark_incoming_read(&self, user: &SessionUser, id: &str) -> Result<()> {
        let keys = owner_keys(user);
        let positions = position_ids(user);
        let mut sql = format!(
            "SELECT id, owner_key FROM inbox_entry WHERE incoming_id = $1 AND read_ms IS NULL AND owner_key IN ({})",
            placeholders(2, keys.len())
        );
        let mut q = sqlx::query(&sql).bind(id);
        for k in &keys {
            q = q.bind(k);
        }
        let entries = q.fetch_all(&self.pool).await?;
        let nodes = if positions.is_empty() {
            vec![]
        } else {
            sql = format!(
                "SELECT id, to_position_id FROM disposition WHERE incoming_id = $1 AND read_ms IS NULL AND to_position_id IN ({})",
                placeholders(2, positions.len())
            );
            let mut q = sqlx::query(&sql).bind(id);
            for p in &positions {
                q = q.bind(p);
            }
            q.fetch_all(&self.pool).await?
        };
        if entries.is_empty() && nodes.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        for e in &entries {
            let entry_id: String = e.try_get("id")?;
            let owner: String = e.try_get("owner_key")?;
            super::inbox::mark_entry_read(&mut tx, &user.employee_id, &entry_id, &owner, id, now)
                .await?;
        }
        for n in &nodes {
            let node_id: String = n.try_get("id")?;
            let pos: String = n.try_get("to_position_id")?;
            let changed = sqlx::query("UPDATE disposition SET read_ms = $1, read_by = $2 WHERE id = $3 AND read_ms IS NULL")
                .bind(now)
                .bind(&user.employee_id)
                .bind(&node_id)
                .execute(tx.conn())
                .await?
                .rows_affected();
            if changed > 0 {
                record_work(
                    &mut tx,
                    &user.employee_id,
                    Some(&pos),
                    "disposition.read",
                    "disposition",
                    &node_id,
                    "",
                )
                .await?;
            }
        }
        tx.commit().await
    }
}
