//! Bulk import and export of employees as CSV: nip, nama, jabatan, unit, atasan, email (+ telepon).
//! A file with any bad row imports nothing; the preview reports every problem row by row.

use crate::rights::OpdAdmin;
use crate::store::org::{CleanEmployee, EmployeeInput, clean_employee, current_year};
use crate::store::org::{NewAccount, PositionSpec};
use crate::{BackendError, Result, Store, auth};
use domain::model::{Employee, ImportReport, ImportRow, Unit};
use domain::nip::Nip;
use domain::org::{PositionLevel, UnitNode, is_same_or_ancestor};
use domain::roles::Role;
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub const REQUIRED_COLUMNS: [&str; 6] = ["nip", "nama", "jabatan", "unit", "atasan", "email"];
pub const MAX_ROWS: usize = 20_000;
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

struct Parsed {
    rows: Vec<(usize, HashMap<&'static str, String>)>,
}

fn parse(bytes: &[u8]) -> std::result::Result<Parsed, Vec<String>> {
    if bytes.is_empty() {
        return Err(vec!["Berkas kosong.".into()]);
    }
    if bytes.len() > MAX_BYTES {
        return Err(vec![format!(
            "Berkas terlalu besar (maksimal {} MB).",
            MAX_BYTES / 1024 / 1024
        )]);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![format!(
            "Berkas bukan teks UTF-8 (byte tidak valid di posisi {}). Simpan ulang dari spreadsheet sebagai \"CSV UTF-8\".",
            e.valid_up_to() + 1
        )]
    })?;
    let first_line = text.lines().next().unwrap_or("");
    let delim =
        if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| vec![format!("Baris judul kolom tidak dapat dibaca: {e}")])?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut missing = Vec::new();
    let mut idx: HashMap<&'static str, usize> = HashMap::new();
    for col in REQUIRED_COLUMNS {
        match headers.iter().position(|h| h == col) {
            Some(i) => {
                idx.insert(col, i);
            }
            None => missing.push(col),
        }
    }
    if let Some(i) = headers.iter().position(|h| h == "telepon") {
        idx.insert("telepon", i);
    }
    if !missing.is_empty() {
        return Err(vec![format!(
            "Kolom wajib tidak ada: {}. Baris pertama harus berisi judul kolom: {}.",
            missing.join(", "),
            REQUIRED_COLUMNS.join(", ")
        )]);
    }
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| vec![format!("Baris {line} tidak dapat dibaca: {e}")])?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(vec![format!(
                "Terlalu banyak baris (maksimal {MAX_ROWS}). Bagi berkas menjadi beberapa bagian."
            )]);
        }
        let map =
            idx.iter().map(|(k, &i)| (*k, rec.get(i).unwrap_or("").trim().to_string())).collect();
        rows.push((line, map));
    }
    if rows.is_empty() {
        return Err(vec!["Berkas tidak berisi data pegawai (hanya judul kolom).".into()]);
    }
    Ok(Parsed { rows })
}

/// What a valid row will do.
struct Planned {
    clean: CleanEmployee,
    unit_id: String,
    position_title: String,
    level: PositionLevel,
    existing_position: Option<String>,
    existing_employee: Option<String>,
}

async fn plan(
    store: &Store,
    admin: &OpdAdmin,
    bytes: &[u8],
) -> Result<(ImportReport, Vec<Planned>)> {
    let (opd, caller) = (admin.opd(), &admin.caller().user);
    let parsed = match parse(bytes) {
        Ok(p) => p,
        Err(file_errors) => {
            return Ok((
                ImportReport { file_errors, rows: vec![], committed: false, new_accounts: vec![] },
                vec![],
            ));
        }
    };
    let units = store.list_units(&opd.id).await?;
    let nodes: Vec<UnitNode> = units
        .iter()
        .map(|u| UnitNode { id: u.id.clone(), parent_id: u.parent_id.clone() })
        .collect();
    let positions = store.list_positions(&opd.id).await?;
    let unit_by_name: HashMap<String, &Unit> =
        units.iter().map(|u| (u.name.to_lowercase(), u)).collect();
    let year = current_year();

    // First pass: the unit of every NIP in the file, so superiors listed later in the file are known.
    let mut file_unit: HashMap<String, String> = HashMap::new();
    for (_, m) in &parsed.rows {
        if let (Ok(n), Some(u)) =
            (Nip::parse(&m["nip"], year), unit_by_name.get(&m["unit"].to_lowercase()))
        {
            file_unit.entry(n.as_str().to_string()).or_insert(u.id.clone());
        }
    }

    let mut seen_nip: HashMap<String, usize> = HashMap::new();
    let mut seen_email: HashMap<String, usize> = HashMap::new();
    let mut head_taken: HashMap<(String, String), usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut planned = Vec::new();
    for (line, m) in &parsed.rows {
        let mut errors = Vec::new();
        let input = EmployeeInput {
            nip: m["nip"].clone(),
            name: m["nama"].clone(),
            email: m["email"].clone(),
            phone: m.get("telepon").cloned().unwrap_or_default(),
            position_id: None,
        };
        let clean = match clean_employee(&input) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e.user_message());
                None
            }
        };
        let mut action = String::new();
        let mut existing_employee = None;
        // An admin's record the caller may not change through a file, and why (checked once the
        // row's position is known: a row that changes nothing passes, so an export re-imports).
        let mut guarded: Option<(Employee, String)> = None;
        if let Some(c) = &clean {
            if let Some(first) = seen_nip.insert(c.nip.as_str().to_string(), *line) {
                errors.push(format!("NIP {} ganda: sudah ada di baris {first}.", c.nip));
            }
            if let Some(e) = &c.email
                && let Some(first) = seen_email.insert(e.clone(), *line)
            {
                errors.push(format!("Email {e} ganda: sudah ada di baris {first}."));
            }
            match store.find_employee_by_nip(c.nip.as_str()).await? {
                Some(e) if e.opd_id != opd.id => errors.push(format!("NIP {} sudah terdaftar di OPD lain; mutasi pegawai dilakukan oleh Admin Pemda.", c.nip)),
                Some(e) => {
                    action = "ubah".into();
                    existing_employee = Some(e.id.clone());
                    // An admin never changes their own record through a file, and an Admin OPD
                    // never an admin's (which would reach their position or account).
                    if e.id == caller.employee_id {
                        guarded = Some((e, "Baris ini adalah data Anda sendiri: data dan jabatan Anda diubah oleh admin lain, tidak lewat impor.".into()));
                    } else if !caller.caps.is_admin_pemda()
                        && store
                            .grants_of(&e.id)
                            .await?
                            .iter()
                            .any(|g| matches!(g.role, Role::AdminPemda | Role::AdminOpd))
                    {
                        let why = format!(
                            "{} adalah admin; datanya hanya dapat diubah oleh Admin Pemda.",
                            e.name
                        );
                        guarded = Some((e, why));
                    }
                }
                None => action = "baru".into(),
            }
            if let Some(e) = &c.email
                && let Some(other) = store.find_employee_by_email(e).await?
                && other.nip != c.nip.as_str()
            {
                errors.push(format!("Email {e} sudah dipakai pegawai lain."));
            }
        }
        let unit = unit_by_name.get(&m["unit"].to_lowercase()).copied();
        if m["unit"].is_empty() {
            errors.push("Unit wajib diisi.".into());
        } else if unit.is_none() {
            errors.push(format!("Unit \"{}\" tidak ditemukan di {}. Tambahkan unitnya dahulu atau perbaiki ejaannya.", m["unit"], opd.short_name));
        }
        let title = m["jabatan"].clone();
        let level = PositionLevel::infer_from_title(&title);
        let mut existing_position = None;
        if title.is_empty() {
            errors.push("Jabatan wajib diisi.".into());
        } else if title.chars().count() > 200 {
            errors.push("Nama jabatan terlalu panjang (maksimal 200 karakter).".into());
        } else if let Some(u) = unit {
            existing_position = positions
                .iter()
                .find(|p| p.unit_id == u.id && p.title.eq_ignore_ascii_case(&title))
                .map(|p| p.id.clone());
            let level_here = existing_position
                .as_ref()
                .and_then(|id| positions.iter().find(|p| &p.id == id))
                .map(|p| p.level)
                .unwrap_or(level);
            if level_here.is_head() {
                if existing_position.is_none()
                    && let Some(h) = positions
                        .iter()
                        .find(|p| p.unit_id == u.id && p.level < PositionLevel::Staf)
                {
                    errors.push(format!(
                        "Unit {} sudah memiliki jabatan pimpinan \"{}\".",
                        u.name, h.title
                    ));
                }
                if let Some(first) = head_taken.insert((u.id.clone(), title.to_lowercase()), *line)
                {
                    errors.push(format!(
                        "Jabatan pimpinan \"{title}\" diisi dua orang (lihat baris {first})."
                    ));
                }
                if let (Some(pid), Some(c)) = (&existing_position, &clean) {
                    for h in store.holders_of(pid).await? {
                        if h.nip != c.nip.as_str() && !seen_nip_later(&parsed, &h.nip, year) {
                            errors.push(format!(
                                "Jabatan \"{title}\" sudah dijabat oleh {} ({}).",
                                h.name, h.nip
                            ));
                        }
                    }
                }
            }
        }
        if let (Some((e, why)), Some(c)) = (&guarded, &clean) {
            let same = c.name == e.name
                && c.email == e.email
                && c.phone == e.phone
                && existing_position.is_some()
                && existing_position == e.position_id;
            if !same {
                errors.push(why.clone());
            }
        }
        let sup = m["atasan"].trim();
        if !sup.is_empty() {
            match Nip::parse(sup, year) {
                Err(_) => errors.push(format!("NIP atasan \"{sup}\" tidak valid.")),
                Ok(sn) => {
                    if clean.as_ref().is_some_and(|c| c.nip == sn) {
                        errors.push("Atasan tidak boleh pegawai itu sendiri.".into());
                    } else {
                        let sup_unit = match file_unit.get(sn.as_str()) {
                            Some(u) => Some(u.clone()),
                            None => match store.find_employee_by_nip(sn.as_str()).await? {
                                Some(e) => match &e.position_id {
                                    Some(pid) => positions
                                        .iter()
                                        .find(|p| &p.id == pid)
                                        .map(|p| p.unit_id.clone()),
                                    None => None,
                                },
                                None => {
                                    errors.push(format!("Atasan dengan NIP {sn} tidak ditemukan (tidak ada di berkas maupun di data pegawai)."));
                                    None
                                }
                            },
                        };
                        if let (Some(su), Some(u)) = (sup_unit, unit)
                            && !is_same_or_ancestor(&nodes, &su, &u.id)
                        {
                            errors.push(format!(
                                "Atasan {sn} tidak berada di unit {} atau unit di atasnya.",
                                u.name
                            ));
                        }
                    }
                }
            }
        }
        rows.push(ImportRow {
            line: *line,
            nip: m["nip"].clone(),
            name: m["nama"].clone(),
            position: title.clone(),
            unit: m["unit"].clone(),
            superior_nip: sup.to_string(),
            email: m["email"].clone(),
            action: if errors.is_empty() { action } else { String::new() },
            errors: errors.clone(),
        });
        if errors.is_empty()
            && let (Some(clean), Some(u)) = (clean, unit)
        {
            planned.push(Planned {
                clean,
                unit_id: u.id.clone(),
                position_title: title,
                level,
                existing_position,
                existing_employee,
            });
        }
    }
    Ok((
        ImportReport { file_errors: vec![], rows, committed: false, new_accounts: vec![] },
        planned,
    ))
}

fn seen_nip_later(parsed: &Parsed, nip: &str, year: u32) -> bool {
    parsed.rows.iter().any(|(_, m)| Nip::parse(&m["nip"], year).is_ok_and(|n| n.as_str() == nip))
}

/// Checks a file and reports what would happen, row by row. Writes nothing.
pub async fn preview(store: &Store, admin: &OpdAdmin, bytes: &[u8]) -> Result<ImportReport> {
    Ok(plan(store, admin, bytes).await?.0)
}

/// Imports a file if and only if every row is valid, in one transaction.
pub async fn commit(store: &Store, admin: &OpdAdmin, bytes: &[u8]) -> Result<ImportReport> {
    let (actor, opd) = (&admin.actor(), admin.opd());
    let (mut report, planned) = plan(store, admin, bytes).await?;
    if report.error_count() > 0 {
        return Ok(report);
    }
    // Hash temporary passwords before taking the write lock.
    let mut temps = Vec::new();
    for p in planned.iter().filter(|p| p.existing_employee.is_none()) {
        let t = auth::temporary_password();
        let h = auth::hash_password(&t).await?;
        temps.push((p.clean.nip.as_str().to_string(), t, h));
    }
    let mut tx = store.begin_write().await?;
    let mut created_positions: HashMap<(String, String), String> = HashMap::new();
    let mut new_accounts = Vec::new();
    let mut touched = HashSet::new();
    for p in &planned {
        let pos_id = match &p.existing_position {
            Some(id) => id.clone(),
            None => {
                let key = (p.unit_id.clone(), p.position_title.to_lowercase());
                match created_positions.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = store
                            .upsert_position_tx(
                                &mut tx,
                                actor,
                                PositionSpec {
                                    opd_id: &opd.id,
                                    id: None,
                                    unit_id: &p.unit_id,
                                    title: &p.position_title,
                                    level: p.level,
                                },
                            )
                            .await?;
                        created_positions.insert(key, id.clone());
                        id
                    }
                }
            }
        };
        match &p.existing_employee {
            Some(eid) => {
                store
                    .update_employee_tx(&mut tx, actor, &opd.id, eid, &p.clean, Some(&pos_id))
                    .await?
            }
            None => {
                let (_, temp, hash) = temps
                    .iter()
                    .find(|(n, _, _)| n == p.clean.nip.as_str())
                    .ok_or_else(|| BackendError::internal("missing temp password"))?;
                store
                    .insert_employee_tx(
                        &mut tx,
                        actor,
                        NewAccount {
                            pemda_id: &opd.pemda_id,
                            opd_id: &opd.id,
                            employee: &p.clean,
                            position_id: Some(&pos_id),
                            password_hash: hash,
                            must_change: true,
                        },
                    )
                    .await?;
                new_accounts.push((
                    p.clean.nip.as_str().to_string(),
                    p.clean.name.clone(),
                    temp.clone(),
                ));
            }
        }
        touched.insert(p.clean.nip.as_str().to_string());
    }
    tx.audit(
        actor,
        "employee.import",
        "opd",
        Some(&opd.id),
        json!({ "rows": planned.len(), "created": new_accounts.len() }),
    )
    .await?;
    tx.commit().await?;
    report.committed = true;
    report.new_accounts = new_accounts;
    Ok(report)
}

/// The same CSV the import takes, for every employee of the OPD, superiors derived from the tree.
pub async fn export(store: &Store, admin: &OpdAdmin) -> Result<String> {
    let opd_id = admin.opd().id.as_str();
    let chart = store.org_chart(opd_id, crate::today_wib()).await?;
    let unit_name: HashMap<&str, &str> =
        chart.units.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let holder_nip: HashMap<&str, &str> = chart
        .positions
        .iter()
        .filter_map(|p| p.holders.first().map(|h| (p.position.id.as_str(), h.nip.as_str())))
        .collect();
    let (employees, _) = store.list_employees(opd_id, "", 0, i64::MAX / 2).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| BackendError::caused("write employee CSV", e);
    w.write_record(["nip", "nama", "jabatan", "unit", "atasan", "email", "telepon"]).map_err(io)?;
    for row in employees.iter().filter(|r| r.employee.active) {
        let e = &row.employee;
        let pv = e
            .position_id
            .as_deref()
            .and_then(|pid| chart.positions.iter().find(|p| p.position.id == pid));
        let superior = pv
            .and_then(|p| p.superior_position_id.as_deref())
            .and_then(|sp| holder_nip.get(sp).copied())
            .unwrap_or("");
        w.write_record([
            e.nip.as_str(),
            e.name.as_str(),
            pv.map(|p| p.position.title.as_str()).unwrap_or(""),
            pv.and_then(|p| unit_name.get(p.position.unit_id.as_str()).copied()).unwrap_or(""),
            superior,
            e.email.as_deref().unwrap_or(""),
            e.phone.as_str(),
        ])
        .map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| BackendError::caused("write employee CSV", e))?;
    String::from_utf8(bytes).map_err(|e| BackendError::caused("employee CSV text", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_bad_files() {
        assert!(parse(b"").is_err());
        let bad_utf8 =
            b"nip,nama,jabatan,unit,atasan,email\n198001012005011001,Bud\xe9,Staf,Seksi,,\n";
        let err = parse(bad_utf8).err().unwrap();
        assert!(err[0].contains("UTF-8"), "{err:?}");
        let err = parse(b"nip,nama\n1,2\n").err().unwrap();
        assert!(err[0].contains("jabatan, unit, atasan, email"), "{err:?}");
        assert!(parse(b"nip,nama,jabatan,unit,atasan,email\n").is_err());
    }

    #[test]
    fn parse_accepts_bom_semicolons_and_any_column_order() {
        let f = "\u{feff}Email;NIP;Nama;Jabatan;Unit;Atasan\nx@y.id;198001012005011001;Budi;Staf;Seksi A;\n\n";
        let p = parse(f.as_bytes()).unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].0, 2);
        assert_eq!(p.rows[0].1["nip"], "198001012005011001");
        assert_eq!(p.rows[0].1["email"], "x@y.id");
    }
}
