//! e-Kinerja: one's own activities and explained month, validation of one's staff, the OPD
//! recap with attendance, closing and the activity bank, and the Pemda's settings.

use crate::error::AppError;
use domain::activity::{
    ActivityView, BankItem, CsvOutcome, KinerjaSettings, MonthResult, Recap, YearView,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What "Aktivitas Saya" shows for a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyKinerja {
    pub month: i64,
    pub today: i64,
    pub closed: bool,
    pub activities: Vec<ActivityView>,
    pub bank: Vec<BankItem>,
    pub result: Option<MonthResult>,
    pub monthly_target: i64,
    pub day_max_minutes: i64,
    pub closing_days: i64,
}

/// Which parts of e-Kinerja the caller reaches (the tabs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KinerjaAccess {
    pub has_position: bool,
    /// Has staff whose activities they validate; with how many waiting.
    pub validates: bool,
    pub waiting: i64,
    /// OPDs whose recap they see (id, name).
    pub recap_opds: Vec<(String, String)>,
    /// OPDs they administer (bank, attendance, closing).
    pub admin_opds: Vec<String>,
    pub pemda_admin: bool,
}

#[cfg(feature = "ssr")]
fn month_or_now(bulan: &str) -> Result<i64, AppError> {
    Ok(backend::store::kinerja::month_or_now(bulan)?)
}

/// A refusal of bad input (HTTP 422, like the store's).
#[cfg(feature = "ssr")]
fn invalid(message: impl Into<String>) -> AppError {
    backend::BackendError::Invalid(message.into()).into()
}

#[cfg(feature = "ssr")]
fn decode(b64: &str, what: &str) -> Result<Vec<u8>, AppError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| invalid(format!("{what} tidak dapat dibaca; pilih berkasnya lagi.")))
}

#[server(prefix = "/api", endpoint = "kinerja_access", output = crate::api::JsonReply)]
pub async fn get_kinerja_access() -> Result<KinerjaAccess, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let store = &state().store;
    let waiting = store.validation_count(&s.user).await?;
    let validates = store.validates_anyone(&s.user).await?;
    let mut recap_opds = Vec::new();
    for opd in store.list_opds(&s.user.pemda_id).await? {
        if store.may_see_recap(&s.user, &opd.id).await? {
            recap_opds.push((opd.id.clone(), opd.name.clone()));
        }
    }
    let admin_opds = recap_opds
        .iter()
        .filter(|(id, _)| s.user.caps.can_admin_opd(id, &s.user.pemda_id))
        .map(|(id, _)| id.clone())
        .collect();
    Ok(KinerjaAccess {
        has_position: !s.user.positions.is_empty(),
        validates,
        waiting,
        recap_opds,
        admin_opds,
        pemda_admin: s.user.caps.is_admin_pemda(),
    })
}

#[server(prefix = "/api", endpoint = "my_kinerja", output = crate::api::JsonReply)]
pub async fn get_my_kinerja(bulan: String) -> Result<MyKinerja, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let month = month_or_now(&bulan)?;
    let store = &state().store;
    let activities = store.my_activities(&s.user, month).await?;
    let (closed, result) = store.my_month(&s.user, month).await?;
    let settings = store.kinerja_settings(&s.user.pemda_id).await?;
    Ok(MyKinerja {
        month,
        today: domain::time::wib_day(backend::now_ms()),
        closed,
        activities,
        bank: store.my_bank(&s.user).await?,
        result,
        monthly_target: settings.scoring.monthly_target_minutes,
        day_max_minutes: settings.day_max_minutes,
        closing_days: settings.closing_days,
    })
}

/// An activity done outside e-Office, as the form sends it: times "HH:MM", evidence base64.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityInput {
    pub client_id: String,
    pub tanggal: String,
    pub mulai: String,
    pub selesai: String,
    pub bank_id: String,
    pub uraian: String,
    pub jumlah: i64,
    pub bukti_nama: String,
    pub bukti: String,
}

/// Logs an activity done outside e-Office; returns its id.
#[server(prefix = "/api", endpoint = "add_activity", input = Json, output = crate::api::JsonReply)]
pub async fn add_activity(a: ActivityInput) -> Result<String, AppError> {
    use super::ctx::*;
    use domain::activity::parse_hhmm;
    let s = require_session().await?;
    let ActivityInput {
        client_id,
        tanggal,
        mulai,
        selesai,
        bank_id,
        uraian,
        jumlah,
        bukti_nama,
        bukti,
    } = a;
    let day = domain::time::parse_iso_date(&tanggal)
        .ok_or_else(|| invalid("Tanggal aktivitas tidak valid."))?;
    let (Some(start), Some(end)) = (parse_hhmm(&mulai), parse_hhmm(&selesai)) else {
        return Err(invalid("Jam mulai dan jam selesai wajib diisi (HH:MM)."));
    };
    let evidence = if bukti.trim().is_empty() {
        None
    } else {
        Some((bukti_nama.clone(), decode(&bukti, "Bukti")?))
    };
    let a = backend::store::kinerja::NewActivity {
        client_id,
        day,
        start,
        end,
        bank_id: Some(bank_id).filter(|b| !b.trim().is_empty()),
        description: uraian,
        quantity: jumlah,
        evidence,
    };
    Ok(state().store.log_activity(&s.actor(), &s.user, &a).await?)
}

#[server(prefix = "/api", endpoint = "remove_activity", output = crate::api::JsonReply)]
pub async fn remove_activity(id: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.delete_activity(&s.actor(), &s.user, &id).await?)
}

/// The caller's staff's activities of a month: those waiting, or all.
#[server(prefix = "/api", endpoint = "validation_list", output = crate::api::JsonReply)]
pub async fn validation_list(bulan: String, semua: bool) -> Result<Vec<ActivityView>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let month = month_or_now(&bulan)?;
    Ok(state().store.staff_activities(&s.user, month, !semua).await?)
}

/// Approves or rejects activities (one, or all of a person's day).
#[server(prefix = "/api", endpoint = "validate_activities", input = Json, output = crate::api::JsonReply)]
pub async fn validate_activities(
    ids: Vec<String>,
    setuju: bool,
    catatan: String,
    menit: Option<i64>,
) -> Result<usize, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state()
        .store
        .validate_activities(&s.actor(), &s.user, &ids, setuju, &catatan, menit)
        .await?)
}

#[server(prefix = "/api", endpoint = "kinerja_recap", output = crate::api::JsonReply)]
pub async fn kinerja_recap(opd_id: String, bulan: String) -> Result<Recap, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let month = month_or_now(&bulan)?;
    let store = &state().store;
    if !store.may_see_recap(&s.user, &opd_id).await? {
        return Err(backend::BackendError::Forbidden(
            "Rekap kinerja OPD hanya untuk Admin OPD, kepala OPD, dan Admin Pemda.".into(),
        )
        .into());
    }
    Ok(store.opd_month(&opd_id, month, false).await?)
}

#[server(prefix = "/api", endpoint = "import_attendance", input = Json, output = crate::api::JsonReply)]
pub async fn import_attendance(opd_id: String, berkas: String) -> Result<CsvOutcome, AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let bytes = decode(&berkas, "Berkas kehadiran")?;
    Ok(state().store.import_attendance(&admin, &bytes).await?)
}

#[server(prefix = "/api", endpoint = "import_bank", input = Json, output = crate::api::JsonReply)]
pub async fn import_bank(opd_id: String, berkas: String) -> Result<CsvOutcome, AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let bytes = decode(&berkas, "Berkas bank aktivitas")?;
    Ok(state().store.import_bank(&admin, &bytes).await?)
}

#[server(prefix = "/api", endpoint = "close_kinerja_month", output = crate::api::JsonReply)]
pub async fn close_kinerja_month(opd_id: String, bulan: String) -> Result<(), AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let month = month_or_now(&bulan)?;
    Ok(state().store.close_month(&admin, month).await?)
}

#[server(prefix = "/api", endpoint = "reopen_kinerja_month", output = crate::api::JsonReply)]
pub async fn reopen_kinerja_month(
    opd_id: String,
    bulan: String,
    alasan: String,
) -> Result<(), AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    let month = month_or_now(&bulan)?;
    Ok(state().store.reopen_month(&admin, month, &alasan).await?)
}

/// The settings and this year's holidays (day, name).
#[server(prefix = "/api", endpoint = "get_kinerja_settings", output = crate::api::JsonReply)]
pub async fn get_kinerja_settings(
    tahun: i64,
) -> Result<(KinerjaSettings, Vec<(i64, String)>), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let store = &state().store;
    let settings = store.kinerja_settings(&s.user.pemda_id).await?;
    let year = if tahun == 0 { domain::time::wib_year(backend::now_ms()) as i64 } else { tahun };
    Ok((settings, store.holidays(&s.user.pemda_id, year).await?))
}

#[server(prefix = "/api", endpoint = "save_kinerja_settings", input = Json, output = crate::api::JsonReply)]
pub async fn save_kinerja_settings(settings: KinerjaSettings) -> Result<(), AppError> {
    use super::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.set_kinerja_settings(&admin, &settings).await?)
}

/// Adds a holiday ("YYYY-MM-DD", name), or with an empty name removes it.
#[server(prefix = "/api", endpoint = "set_holiday", output = crate::api::JsonReply)]
pub async fn set_holiday(tanggal: String, nama: String) -> Result<(), AppError> {
    use super::ctx::*;
    let admin = require_pemda_admin().await?;
    let day = domain::time::parse_iso_date(&tanggal)
        .ok_or_else(|| invalid("Tanggal hari libur tidak valid."))?;
    Ok(state().store.set_holiday(&admin, day, &nama).await?)
}

/// The annual predikat page: the caller's year and the years of the staff whose behaviour they
/// rate, with the Pemda's thresholds for the work result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearPage {
    pub year: i64,
    pub this_year: i64,
    pub mine: YearView,
    pub staff: Vec<YearView>,
    pub hasil_meets_bp: i64,
    pub hasil_above_bp: i64,
}

#[server(prefix = "/api", endpoint = "kinerja_year", output = crate::api::JsonReply)]
pub async fn get_kinerja_year(tahun: i64) -> Result<YearPage, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let store = &state().store;
    let this_year = domain::time::wib_year(backend::now_ms()) as i64;
    let year = if tahun == 0 { this_year } else { tahun };
    if !(2000..=this_year + 1).contains(&year) {
        return Err(invalid("Tahun tidak valid."));
    }
    let settings = store.kinerja_settings(&s.user.pemda_id).await?;
    Ok(YearPage {
        year,
        this_year,
        mine: store.year_view(&s.user.employee_id, year).await?,
        staff: store.staff_years(&s.user, year).await?,
        hasil_meets_bp: settings.hasil_meets_bp,
        hasil_above_bp: settings.hasil_above_bp,
    })
}

/// The superior's behaviour rating (perilaku kerja) of a member of their staff for a year.
#[server(prefix = "/api", endpoint = "rate_behaviour", output = crate::api::JsonReply)]
pub async fn rate_behaviour(pegawai: String, tahun: i64, perilaku: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    use domain::Code;
    let rating = domain::kinerja::Rating::from_code(&perilaku)
        .ok_or_else(|| invalid("Pilih penilaian perilaku kerja."))?;
    Ok(state().store.rate_behaviour(&s.actor(), &s.user, &pegawai, tahun, rating).await?)
}

/// The positions of an OPD with their class (kelas jabatan), for its admin.
#[server(prefix = "/api", endpoint = "position_classes", output = crate::api::JsonReply)]
pub async fn get_position_classes(
    opd_id: String,
) -> Result<Vec<domain::activity::PositionClass>, AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.position_classes(&admin).await?)
}

/// Sets position classes: (position id, class, or None for the level's default).
#[server(prefix = "/api", endpoint = "save_position_classes", input = Json, output = crate::api::JsonReply)]
pub async fn save_position_classes(
    opd_id: String,
    classes: Vec<(String, Option<i64>)>,
) -> Result<usize, AppError> {
    use super::ctx::*;
    let admin = require_opd_admin(&opd_id).await?;
    Ok(state().store.set_position_classes(&admin, &classes).await?)
}
