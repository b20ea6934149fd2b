//! The lists: the clerk's register, Disposisi Masuk / Keluar / Lewat Tenggat, and the badges.

use super::*;

impl Store {
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
