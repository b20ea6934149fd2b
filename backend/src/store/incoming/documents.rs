//! The files of an incoming letter: the scan (or the delivered PDF), follow-up attachments, and
//! the printed lembar disposisi.

use super::*;

impl Store {
    // ---------- Documents ----------

    /// The document of an incoming letter: the scan, or the signed PDF of a letter delivered from
    /// inside the system.
    /// The letter's PDF, with its sifat (so callers keep confidential pages out of caches).
    pub async fn incoming_document(
        &self,
        user: &SessionUser,
        id: &str,
    ) -> Result<(Vec<u8>, Sifat)> {
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
        let pdf = row
            .ok_or_else(|| BackendError::not_found("Berkas surat tidak ditemukan."))?
            .try_get("pdf")?;
        Ok((pdf, acc.inc.sifat))
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
        let kop = self.kop(&acc.inc.opd_id).await?;
        let today = domain::time::wib_day(now_ms());
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
            pemda_name: kop.pemda_name,
            opd_name: kop.opd_name,
            opd_address: kop.address,
            logo: kop.logo,
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
            printed_note: format!("Dicetak {} dari e-Office", long_datetime(now_ms(), Id)),
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
