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

    // ---------- Registration ----------

    /// Positions the clerk may send a letter to for its first disposition (heads of the OPD and
    /// their deputies), the one the OPD set to receive its mail (the head unless set) first.
    pub async fn disposer_choices(&self, opd_id: &str) -> Result<Vec<PositionChoice>> {
        let first = self.incoming_disposer(opd_id).await.ok();
        let mut out: Vec<PositionChoice> = self
            .position_directory(opd_id)
            .await?
            .into_iter()
            .filter(|(_, _, level, _)| *level <= 3)
            .map(|(id, title, _, holder)| PositionChoice {
                direct: Some(&id) == first.as_ref(),
                position_id: id,
                title,
                holder,
                peer: false,
            })
            .collect();
        out.sort_by_key(|c| !c.direct);
        Ok(out)
    }

    /// Senders registered before, most recent first, for suggestions while typing.
    pub async fn sender_suggestions(&self, opd_id: &str) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT sender_name, MAX(received_ms) AS last FROM incoming_letter WHERE opd_id = $1 GROUP BY sender_name ORDER BY last DESC LIMIT 200")
            .bind(opd_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("sender_name")?)).collect()
    }

    /// Registers scanned mail: the next agenda number of the OPD, the scan, and an entry in the
    /// Kotak Masuk of whoever gives the first disposition. A repeated submit (same client id)
    /// returns the first registration; the same sender, number and date already registered is
    /// reported first unless the clerk confirmed.
    pub async fn register_incoming(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        input: &RegisterInput,
        scan_pdf: Vec<u8>,
        pages: i64,
        original: &str,
    ) -> Result<RegisterOutcome> {
        let opd_id = user.opd_id.clone();
        if !user.caps.is_tu_of(&opd_id) {
            return Err(BackendError::Forbidden(
                "Hanya petugas TU / pencatat surat yang dapat meregistrasi surat masuk.".into(),
            ));
        }
        let now = now_ms();
        let today = domain::time::wib_day(now);
        let (received_day, letter_day) =
            check_register(input, today).map_err(BackendError::invalid)?;
        let client_id = input.client_id.trim();
        if let Some(done) = self.registered_with(&opd_id, client_id).await? {
            return Ok(done);
        }
        let dup = duplicate_key(&input.sender_name, &input.letter_number, letter_day);
        if !input.confirm_duplicate
            && let Some(r) = sqlx::query("SELECT agenda_seq, agenda_year, created_ms, subject FROM incoming_letter WHERE opd_id = $1 AND dup_key = $2 ORDER BY created_ms LIMIT 1")
                .bind(&opd_id)
                .bind(&dup)
                .fetch_optional(&self.pool)
                .await?
            {
                return Ok(RegisterOutcome::PossibleDuplicate {
                    agenda_number: format!("{}/{}", r.try_get::<i64, _>("agenda_seq")?, r.try_get::<i64, _>("agenda_year")?),
                    registered_ms: r.try_get("created_ms")?,
                    subject: r.try_get("subject")?,
                });
            }
        let disposer = match input.disposer_position_id.trim() {
            "" => self.incoming_disposer(&opd_id).await?,
            p => {
                if !self.disposer_choices(&opd_id).await?.iter().any(|c| c.position_id == p) {
                    return Err(BackendError::invalid(
                        "Pilih pejabat penerima disposisi pertama dari daftar.",
                    ));
                }
                p.to_string()
            }
        };
        if scan_pdf.is_empty() {
            return Err(BackendError::invalid(
                "Unggah hasil pindai surat (PDF atau foto halaman-halamannya).",
            ));
        }
        let opd = self.get_opd(&opd_id).await?;
        // The received time: the chosen day, at the current time of day when it is today.
        let received_ms = if received_day == today {
            now
        } else {
            received_day * domain::time::DAY_MS - domain::time::WIB_OFFSET_MS + 8 * 3600 * 1000
        };
        let year = domain::time::wib_year(received_ms) as i64;
        let sha = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(&scan_pdf))
        };
        let id = new_id();
        let mut tx = self.begin_write().await?;
        let seq = next_number(&mut tx, &opd_id, "agenda", year).await?;
        let inserted = sqlx::query(
            "INSERT INTO incoming_letter (id, pemda_id, opd_id, source, outgoing_letter_id, agenda_seq, agenda_year, received_ms, sender_name, sender_opd_id, \
             letter_number, letter_day, sifat, urgency, attachment_count, subject, summary, klasifikasi, registered_by, created_ms, client_id, dup_key, disposer_position_id, status) \
             VALUES ($1, $2, $3, 'scan', NULL, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 'open')",
        )
        .bind(&id)
        .bind(&opd.pemda_id)
        .bind(&opd_id)
        .bind(seq)
        .bind(year)
        .bind(received_ms)
        .bind(input.sender_name.trim())
        .bind(input.letter_number.trim())
        .bind(letter_day)
        .bind(input.sifat.code())
        .bind(input.urgency.code())
        .bind(input.attachment_count)
        .bind(input.subject.trim())
        .bind(input.summary.trim())
        .bind(input.klasifikasi.trim())
        .bind(&user.employee_id)
        .bind(now)
        .bind(client_id)
        .bind(&dup)
        .bind(&disposer)
        .execute(tx.conn())
        .await;
        if let Err(e) = inserted {
            // A double submit that raced this one: its registration stands.
            drop(tx);
            if let Some(done) = self.registered_with(&opd_id, client_id).await? {
                return Ok(done);
            }
            return Err(e.into());
        }
        sqlx::query("INSERT INTO incoming_scan (incoming_id, pdf, sha256, pages, original, created_ms) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id)
            .bind(scan_pdf)
            .bind(&sha)
            .bind(pages)
            .bind(domain::files::clean_name(original))
            .bind(now)
            .execute(tx.conn())
            .await?;
        let key = format!("p:{disposer}");
        sqlx::query(
            "INSERT INTO inbox_entry (id, incoming_id, owner_key, role, subject, sender_name, sifat, urgency, letter_number, read_ms, read_by, created_ms) \
             VALUES ($1, $2, $3, 'to', $4, $5, $6, $7, $8, NULL, NULL, $9)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(&key)
        .bind(input.subject.trim())
        .bind(input.sender_name.trim())
        .bind(input.sifat.code())
        .bind(input.urgency.code())
        .bind(input.letter_number.trim())
        .bind(now)
        .execute(tx.conn())
        .await?;
        super::counters::bump_inbox(&mut tx, &key, 1, 1).await?;
        let clerk_position = user.positions.first().map(|p| p.position_id.clone());
        record_work(
            &mut tx,
            &user.employee_id,
            clerk_position.as_deref(),
            "incoming.register",
            "incoming_letter",
            &id,
            input.subject.trim(),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "incoming.register",
            "incoming_letter",
            Some(&id),
            json!({ "agenda": format!("{seq}/{year}"), "pages": pages }),
        )
        .await?;
        tx.commit().await?;
        Ok(RegisterOutcome::Registered { id, agenda_number: format!("{seq}/{year}") })
    }

    async fn registered_with(
        &self,
        opd_id: &str,
        client_id: &str,
    ) -> Result<Option<RegisterOutcome>> {
        let r = sqlx::query("SELECT id, agenda_seq, agenda_year FROM incoming_letter WHERE opd_id = $1 AND client_id = $2")
            .bind(opd_id)
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok(RegisterOutcome::Registered {
                id: r.try_get("id")?,
                agenda_number: format!(
                    "{}/{}",
                    r.try_get::<i64, _>("agenda_seq")?,
                    r.try_get::<i64, _>("agenda_year")?
                ),
            })
        })
        .transpose()
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

    // ---------- Disposition acts ----------

    /// Gives a disposition: the first one of the letter (by its addressee) or passes a received one
    /// further down. Either happens once: a second attempt (say by a Plh at the same moment) is
    /// refused and nothing of it is saved.
    pub async fn dispose(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        input: &DisposeInput,
    ) -> Result<Vec<String>> {
        let acc = self.incoming_access(user, &input.incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let (giver, parent) = match &input.parent_id {
            None => {
                let g = acc.root_position.clone().ok_or_else(|| {
                    BackendError::Forbidden(
                        "Disposisi pertama diberikan oleh pejabat yang dituju surat ini.".into(),
                    )
                })?;
                if acc.inc.disposed_ms.is_some() {
                    return Err(invalid(DispositionError::AlreadyForwarded));
                }
                (g, None)
            }
            Some(pid) => {
                let n = acc.node(pid)?;
                if !acc.holds(&n.to_position_id) {
                    return Err(BackendError::Forbidden(
                        "Hanya penerima disposisi ini yang dapat meneruskannya.".into(),
                    ));
                }
                check_forward(&n.rule()).map_err(invalid)?;
                (n.to_position_id.clone(), Some(n.clone()))
            }
        };
        let dir = self.position_directory(&acc.inc.opd_id).await?;
        let titles: HashMap<String, String> =
            dir.iter().map(|(id, t, ..)| (id.clone(), t.clone())).collect();
        let holders: HashMap<String, String> = {
            let mut m = HashMap::new();
            for r in &input.recipients {
                if let Some(h) = self.holders_of(&r.position_id).await?.into_iter().next() {
                    m.insert(r.position_id.clone(), h.id);
                }
            }
            m
        };
        let targets = targets_for(
            &acc,
            &giver,
            self.incoming_settings(&acc.inc.opd_id).await?.peer_disposition,
        );
        let now = now_ms();
        let today = domain::time::wib_day(now);
        let (instructions, deadline) = check_dispose(
            input,
            &targets,
            &titles,
            parent.as_ref().and_then(|p| p.deadline_day),
            today,
        )
        .map_err(invalid)?;
        let depth = parent.as_ref().map(|p| p.depth + 1).unwrap_or(0);
        let mut tx = self.begin_write().await?;
        let claimed = match &parent {
            None => sqlx::query("UPDATE incoming_letter SET disposed_ms = $1, status = 'disposed' WHERE id = $2 AND disposed_ms IS NULL AND status = 'open'")
                .bind(now)
                .bind(&acc.inc.id)
                .execute(tx.conn())
                .await?
                .rows_affected(),
            Some(p) => sqlx::query("UPDATE disposition SET forwarded_ms = $1, version = version + 1 WHERE id = $2 AND forwarded_ms IS NULL AND status = 'open'")
                .bind(now)
                .bind(&p.id)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        };
        if claimed == 0 {
            return Err(invalid(DispositionError::AlreadyForwarded));
        }
        let mut ids = Vec::new();
        for r in &input.recipients {
            let nid = new_id();
            sqlx::query(
                "INSERT INTO disposition (id, incoming_id, opd_id, parent_id, depth, from_position_id, from_employee_id, to_position_id, to_employee_id, is_lead, \
                 instructions, note, deadline_day, created_ms, status, subject, sender_name, sifat, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $16, $17, 1)",
            )
            .bind(&nid)
            .bind(&acc.inc.id)
            .bind(&acc.inc.opd_id)
            .bind(parent.as_ref().map(|p| p.id.clone()))
            .bind(depth)
            .bind(&giver)
            .bind(&user.employee_id)
            .bind(&r.position_id)
            .bind(holders.get(&r.position_id).cloned())
            .bind(if r.lead { 1i64 } else { 0 })
            .bind(Instruction::join(&instructions))
            .bind(input.note.trim())
            .bind(deadline)
            .bind(now)
            .bind(&acc.inc.subject)
            .bind(&acc.inc.sender_name)
            .bind(acc.inc.sifat.code())
            .execute(tx.conn())
            .await?;
            ids.push(nid);
        }
        let to: Vec<&str> = input
            .recipients
            .iter()
            .map(|r| titles.get(&r.position_id).map(String::as_str).unwrap_or(""))
            .collect();
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&giver),
            "disposition.give",
            "incoming_letter",
            &acc.inc.id,
            &to.join(", "),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "disposition.give",
            "incoming_letter",
            Some(&acc.inc.id),
            json!({ "parent": input.parent_id, "to": input.recipients.iter().map(|r| &r.position_id).collect::<Vec<_>>(), "deadline": deadline }),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// The recipient reports what was done (text, files, or a reply letter), closing their branch
    /// once every branch they passed on is done. The giver is told through their lists.
    pub async fn report_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        report: FollowUpReport<'_>,
    ) -> Result<()> {
        let FollowUpReport { node_id, expected_version, text, letter_id, files } = report;
        let incoming_id = self.node_incoming(node_id).await?;
        let acc = self.incoming_access(user, &incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let n = acc.node(node_id)?.clone();
        if !acc.holds(&n.to_position_id) {
            return Err(BackendError::Forbidden(
                "Hanya penerima disposisi ini yang dapat melaporkan tindak lanjutnya.".into(),
            ));
        }
        let letter_id = letter_id.map(str::trim).filter(|s| !s.is_empty());
        if let Some(l) = letter_id {
            self.visible_letter(user, l).await.map_err(|_| {
                BackendError::invalid("Surat balasan yang ditautkan tidak ditemukan.")
            })?;
        }
        check_report(&n.rule(), &acc.rules(), text, letter_id.is_some()).map_err(invalid)?;
        if files.len() > MAX_REPORT_FILES {
            return Err(BackendError::invalid(format!(
                "Paling banyak {MAX_REPORT_FILES} berkas untuk satu laporan."
            )));
        }
        let mut checked = Vec::new();
        for (name, bytes) in files {
            let kind = domain::files::sniff(&bytes).map_err(|e| {
                BackendError::invalid(format!("{}: {e}", domain::files::clean_name(&name)))
            })?;
            checked.push((domain::files::clean_name(&name), kind.content_type(), bytes));
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE disposition SET status = 'reported', report_text = $1, report_letter_id = $2, reported_ms = $3, reported_by = $4, version = version + 1 \
             WHERE id = $5 AND version = $6 AND status = 'open' AND NOT EXISTS (SELECT 1 FROM disposition c WHERE c.parent_id = $5 AND c.status <> 'done')",
        )
        .bind(text.trim())
        .bind(letter_id)
        .bind(now)
        .bind(&user.employee_id)
        .bind(node_id)
        .bind(expected_version)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(BackendError::Conflict("Disposisi ini baru saja berubah (dilaporkan atau diteruskan oleh orang lain). Muat ulang halaman; tulisan Anda masih ada di formulir.".into()));
        }
        for (name, ct, bytes) in checked {
            sqlx::query("INSERT INTO disposition_file (id, disposition_id, name, content_type, size, data, uploaded_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(new_id())
                .bind(node_id)
                .bind(name)
                .bind(ct)
                .bind(bytes.len() as i64)
                .bind(bytes)
                .bind(&user.employee_id)
                .bind(now)
                .execute(tx.conn())
                .await?;
        }
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&n.to_position_id),
            "disposition.report",
            "disposition",
            node_id,
            &acc.inc.subject,
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "disposition.report",
            "disposition",
            Some(node_id),
            json!({ "letter": letter_id }),
        )
        .await?;
        tx.commit().await
    }

    /// The giver accepts a reported follow-up (the branch closes; the letter completes when it was
    /// the last) or sends it back with a note.
    pub async fn review_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        node_id: &str,
        expected_version: i64,
        accept: bool,
        note: &str,
    ) -> Result<()> {
        let incoming_id = self.node_incoming(node_id).await?;
        let acc = self.incoming_access(user, &incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let n = acc.node(node_id)?.clone();
        if !acc.holds(&n.from_position_id) {
            return Err(BackendError::Forbidden("Hanya pemberi disposisi ini yang dapat menerima atau mengembalikan tindak lanjutnya.".into()));
        }
        let new = check_review(&n.rule(), accept, note).map_err(invalid)?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query("UPDATE disposition SET status = $1, review_note = $2, done_ms = $3, version = version + 1 WHERE id = $4 AND version = $5 AND status = 'reported'")
            .bind(new.code())
            .bind(note.trim())
            .bind(if accept { Some(now) } else { None })
            .bind(node_id)
            .bind(expected_version)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(BackendError::Conflict(
                "Tindak lanjut ini sudah dijawab. Muat ulang halaman.".into(),
            ));
        }
        if accept {
            sqlx::query("UPDATE incoming_letter SET status = 'complete' WHERE id = $1 AND status = 'disposed' AND NOT EXISTS (SELECT 1 FROM disposition d WHERE d.incoming_id = $1 AND d.status <> 'done')")
                .bind(&incoming_id)
                .execute(tx.conn())
                .await?;
        }
        let kind = if accept { "disposition.accept" } else { "disposition.return" };
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&n.from_position_id),
            kind,
            "disposition",
            node_id,
            note.trim(),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            kind,
            "disposition",
            Some(node_id),
            json!({ "note": note.trim() }),
        )
        .await?;
        tx.commit().await
    }

    /// Files the letter once every branch is done.
    pub async fn archive_incoming(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
    ) -> Result<()> {
        let acc = self.incoming_access(user, id).await?;
        if acc.archived() {
            return Ok(());
        }
        if !tree_complete(&acc.rules()) {
            return Err(invalid(DispositionError::TreeIncomplete));
        }
        if !acc.can_archive() {
            return Err(BackendError::forbidden());
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE incoming_letter SET status = 'archived', archived_ms = $1, archived_by = $2 WHERE id = $3 AND status <> 'archived' \
             AND NOT EXISTS (SELECT 1 FROM disposition d WHERE d.incoming_id = $3 AND d.status <> 'done')",
        )
        .bind(now)
        .bind(&user.employee_id)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(invalid(DispositionError::TreeIncomplete));
        }
        let pos = acc
            .root_position
            .clone()
            .or_else(|| user.positions.first().map(|p| p.position_id.clone()));
        record_work(
            &mut tx,
            &user.employee_id,
            pos.as_deref(),
            "incoming.archive",
            "incoming_letter",
            id,
            &acc.inc.subject,
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "incoming.archive",
            "incoming_letter",
            Some(id),
            json!({}),
        )
        .await?;
        tx.commit().await
    }

    async fn node_incoming(&self, node_id: &str) -> Result<String> {
        Ok(sqlx::query("SELECT incoming_id FROM disposition WHERE id = $1")
            .bind(node_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Disposisi tidak ditemukan."))?
            .try_get("incoming_id")?)
    }

    // ---------- Documents ----------

    /// The document of an incoming letter: the scan, or the signed PDF of a letter delivered from
    /// inside the system.
    pub async fn incoming_document(&self, user: &SessionUser, id: &str) -> Result<Vec<u8>> {
        let acc = self.incoming_access(user, id).await?;
        let row = match &acc.inc.outgoing_letter_id {
            Some(l) => {
                sqlx::query("SELECT pdf FROM letter_document WHERE letter_id = $1")
                    .bind(l)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT pdf FROM incoming_scan WHERE incoming_id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        Ok(row
            .ok_or_else(|| BackendError::not_found("Berkas surat tidak ditemukan."))?
            .try_get("pdf")?)
    }

    /// A file of a follow-up report, to those who see its branch.
    pub async fn disposition_file(
        &self,
        user: &SessionUser,
        file_id: &str,
    ) -> Result<(String, String, Vec<u8>)> {
        let r = sqlx::query("SELECT f.disposition_id, f.name, f.content_type, f.data, d.incoming_id FROM disposition_file f JOIN disposition d ON d.id = f.disposition_id WHERE f.id = $1")
            .bind(file_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Berkas tidak ditemukan."))?;
        let acc = self.incoming_access(user, &r.try_get::<String, _>("incoming_id")?).await?;
        acc.node(&r.try_get::<String, _>("disposition_id")?)
            .map_err(|_| BackendError::not_found("Berkas tidak ditemukan."))?;
        Ok((r.try_get("name")?, r.try_get("content_type")?, r.try_get("data")?))
    }

    /// The lembar disposisi of what this user sees of the tree.
    pub async fn disposition_sheet(
        &self,
        user: &SessionUser,
        id: &str,
    ) -> Result<crate::render::DispositionSheet> {
        use domain::Lang::Id;
        use domain::time::{long_date, long_datetime};
        let acc = self.incoming_access(user, id).await?;
        let opd = self.get_opd(&acc.inc.opd_id).await?;
        let pemda = self.get_pemda(&opd.pemda_id).await?;
        let today = domain::time::wib_day(now_ms());
        let mut address = opd.address.clone();
        if !opd.phone.is_empty() {
            address.push_str(&format!(", Telepon {}", opd.phone));
        }
        let steps = acc
            .nodes
            .iter()
            .zip(&acc.visible)
            .filter(|(_, v)| **v)
            .map(|(n, _)| crate::render::SheetStep {
                depth: n.depth.max(0) as u32,
                from: format!("{} — {}", n.from_title, n.from_name),
                to: match &n.to_name {
                    Some(name) => format!("{} — {}", n.to_title, name),
                    None => n.to_title.clone(),
                },
                lead: n.lead,
                instructions: n.instructions.iter().map(|i| i.label(Id).to_string()).collect(),
                deadline: n.deadline_day.map(|d| long_date(d, Id)).unwrap_or_else(|| "-".into()),
                note: n.note.clone(),
                given_at: long_datetime(n.created_ms, Id),
                read_at: n.read_ms.map(|m| long_datetime(m, Id)).unwrap_or_default(),
                followup: match n.reported_ms {
                    Some(m) if !n.report_text.is_empty() || n.report_letter_id.is_some() => {
                        format!("{} ({})", n.report_text, long_datetime(m, Id))
                    }
                    _ => String::new(),
                },
                status: node_status_label(
                    n.status,
                    overdue(n.status, n.deadline_day, today),
                    n.forwarded,
                )
                .to_string(),
            })
            .collect();
        Ok(crate::render::DispositionSheet {
            pemda_name: pemda.name.to_uppercase(),
            opd_name: opd.name.to_uppercase(),
            opd_address: address,
            logo: self.opd_logo(&opd.id).await?,
            sender: acc.inc.sender_name.clone(),
            letter_number: acc.inc.letter_number.clone(),
            letter_date: long_date(acc.inc.letter_day, Id),
            received_date: long_date(domain::time::wib_day(acc.inc.received_ms), Id),
            agenda: acc.inc.agenda_number(),
            sifat: acc.inc.sifat.label().to_string(),
            urgency: acc.inc.urgency.label().to_string(),
            hal: acc.inc.subject.clone(),
            summary: acc.inc.summary.clone(),
            instruction_labels: Instruction::all()
                .iter()
                .map(|i| i.label(Id).to_string())
                .collect(),
            steps,
            printed_note: format!("Dicetak {} WIB dari e-Office", long_datetime(now_ms(), Id)),
        })
    }

    // ---------- Lists ----------

    /// The register of the OPD's incoming mail, for its records clerks. Confidential letters appear
    /// only to the clerk who registered them.
    pub async fn incoming_list(
        &self,
        user: &SessionUser,
        q: &str,
        sifat: Option<Sifat>,
        status: Option<IncomingStatus>,
        page: i64,
    ) -> Result<IncomingPage> {
        if !user.caps.is_tu_of(&user.opd_id) {
            return Err(BackendError::Forbidden(
                "Daftar surat masuk hanya untuk petugas TU / pencatat surat.".into(),
            ));
        }
        let page = page.max(1);
        let mut f = Filter::new();
        let (opd, me) = (f.arg(&user.opd_id), f.arg(&user.employee_id));
        f.cond(format!(
            "opd_id = {opd} AND ({} OR registered_by = {me})",
            not_confidential("sifat")
        ));
        f.search(q, &["LOWER(subject)", "LOWER(sender_name)", "LOWER(letter_number)"]);
        f.eq_code("sifat", sifat);
        f.eq_code("status", status);
        let where_ = f.where_sql();
        let sql = format!(
            "SELECT id, agenda_seq, agenda_year, received_ms, sender_name, letter_number, subject, sifat, urgency, status, source FROM incoming_letter WHERE {where_} \
             ORDER BY received_ms DESC, id DESC {}",
            page_sql(page, PAGE_SIZE)
        );
        let lq = f.bind(sqlx::query(&sql));
        let count_sql = format!("SELECT COUNT(*) AS n FROM incoming_letter WHERE {where_}");
        let cq = f.bind(sqlx::query(&count_sql));
        let rows = lq.fetch_all(&self.pool).await?;
        let total: i64 = cq.fetch_one(&self.pool).await?.try_get("n")?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(IncomingListItem {
                    id: r.try_get("id")?,
                    agenda_number: format!(
                        "{}/{}",
                        r.try_get::<i64, _>("agenda_seq")?,
                        r.try_get::<i64, _>("agenda_year")?
                    ),
                    received_ms: r.try_get("received_ms")?,
                    sender_name: r.try_get("sender_name")?,
                    letter_number: r.try_get("letter_number")?,
                    subject: r.try_get("subject")?,
                    sifat: r.code("sifat")?,
                    urgency: r.code("urgency")?,
                    status: r.code("status")?,
                    source: r.try_get("source")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(IncomingPage { items, total, page })
    }

    /// Disposisi Masuk ("masuk": to me), Keluar ("keluar": from me) and Lewat Tenggat ("tenggat":
    /// mine or given by me, open, past the deadline), newest first.
    pub async fn disposition_list(
        &self,
        user: &SessionUser,
        tab: &str,
        q: &str,
        status: &str,
        page: i64,
    ) -> Result<DispositionPage> {
        let page = page.max(1);
        let positions = position_ids(user);
        if positions.is_empty() {
            return Ok(DispositionPage { items: vec![], total: 0, page });
        }
        let today = domain::time::wib_day(now_ms());
        let mut f = Filter::new();
        let ins = f.args_in(positions);
        f.cond(match tab {
            "keluar" => format!("d.from_position_id IN ({ins})"),
            "tenggat" => format!(
                "(d.to_position_id IN ({ins}) OR d.from_position_id IN ({ins})) AND d.status <> 'done' AND d.deadline_day < {today}"
            ),
            _ => format!("d.to_position_id IN ({ins})"),
        });
        f.search(q, &["LOWER(d.subject)", "LOWER(d.sender_name)"]);
        match status {
            "unread" => f.cond("d.read_ms IS NULL"),
            other => f.eq_code("d.status", NodeStatus::from_code(other)),
        }
        let where_ = f.where_sql();
        let sql = format!(
            "SELECT d.id, d.incoming_id, d.subject, d.sender_name, d.sifat, fp.title AS from_title, tp.title AS to_title, d.instructions, d.deadline_day, d.created_ms, \
             d.read_ms, d.status FROM disposition d JOIN position fp ON fp.id = d.from_position_id JOIN position tp ON tp.id = d.to_position_id \
             WHERE {where_} ORDER BY d.created_ms DESC, d.id DESC {}",
            page_sql(page, PAGE_SIZE)
        );
        let count_sql = format!("SELECT COUNT(*) AS n FROM disposition d WHERE {where_}");
        let lq = f.bind(sqlx::query(&sql));
        let cq = f.bind(sqlx::query(&count_sql));
        let rows = lq.fetch_all(&self.pool).await?;
        let total: i64 = cq.fetch_one(&self.pool).await?.try_get("n")?;
        let items = rows
            .iter()
            .map(|r| {
                let status: NodeStatus = r.code("status")?;
                let deadline_day: Option<i64> = r.try_get("deadline_day")?;
                Ok(DispositionItem {
                    id: r.try_get("id")?,
                    incoming_id: r.try_get("incoming_id")?,
                    subject: r.try_get("subject")?,
                    sender_name: r.try_get("sender_name")?,
                    sifat: r.code("sifat")?,
                    from_title: r.try_get("from_title")?,
                    to_title: r.try_get("to_title")?,
                    instructions: Instruction::parse_list(&r.text("instructions")?),
                    deadline_day,
                    created_ms: r.try_get("created_ms")?,
                    read: r.try_get::<Option<i64>, _>("read_ms")?.is_some(),
                    status,
                    overdue: overdue(status, deadline_day, today),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DispositionPage { items, total, page })
    }

    /// Badges: dispositions to me not opened yet, follow-ups waiting for my answer, mine overdue.
    pub async fn disposition_counts(&self, user: &SessionUser) -> Result<DispositionCounts> {
        let positions = position_ids(user);
        if positions.is_empty() {
            return Ok(DispositionCounts::default());
        }
        let today = domain::time::wib_day(now_ms());
        let ins = placeholders(1, positions.len());
        let sql = format!(
            "SELECT (SELECT COUNT(*) FROM disposition WHERE to_position_id IN ({ins}) AND read_ms IS NULL) AS unread, \
             (SELECT COUNT(*) FROM disposition WHERE from_position_id IN ({ins}) AND status = 'reported') AS to_review, \
             (SELECT COUNT(*) FROM disposition WHERE to_position_id IN ({ins}) AND status <> 'done' AND deadline_day < {today}) AS overdue"
        );
        let mut q = sqlx::query(&sql);
        for p in &positions {
            q = q.bind(p);
        }
        let r = q.fetch_one(&self.pool).await?;
        Ok(DispositionCounts {
            unread: r.try_get("unread")?,
            to_review: r.try_get("to_review")?,
            overdue: r.try_get("overdue")?,
        })
    }
}

/// The status words of a node, as lists, the tree and the sheet print them.
pub fn node_status_label(status: NodeStatus, overdue: bool, forwarded: bool) -> &'static str {
    match (status, overdue, forwarded) {
        (NodeStatus::Done, ..) => "Selesai",
        (NodeStatus::Reported, ..) => "Dilaporkan, menunggu diterima",
        (NodeStatus::Open, true, _) => "Lewat tenggat",
        (NodeStatus::Open, false, true) => "Diteruskan",
        (NodeStatus::Open, false, false) => "Menunggu tindak lanjut",
    }
}
