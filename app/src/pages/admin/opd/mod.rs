//! Managing one OPD: structure (units, positions), employees, acting officials, CSV import/export.

use super::NoAccess;
use crate::api::admin::employees::{
    ImportEmployees, ResetPassword, ResetSecondFactor, SaveEmployee, SetEmployeeActive,
    UnlockAccount, list_employees,
};
use crate::api::admin::structure::{
    CreateActing, DeletePosition, DeleteUnit, EndActing, SavePosition, SaveUnit, SetOpdLeader,
    admin_structure, list_acting,
};
use crate::app::{UserCtx, lang};
use crate::components::tabs::{Tab as TabLink, Tabs};
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use crate::error::AppError;
use domain::Code;
use domain::Lang;
use domain::model::{Employee, ImportReport, Position, Unit};
use domain::org::{LeaderSlot, PositionLevel, UnitKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

mod acting;
mod employees;
mod import;
mod incoming;
mod structure;

use acting::ActingSection;
use employees::Employees;
use import::ImportSection;
use incoming::IncomingSettingsSection;
use structure::{KopLogo, Structure};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Struktur,
    Pegawai,
    Plt,
    SuratMasuk,
    Impor,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Struktur, Tab::Pegawai, Tab::Plt, Tab::SuratMasuk, Tab::Impor];
    fn code(self) -> &'static str {
        match self {
            Tab::Struktur => "struktur",
            Tab::Pegawai => "pegawai",
            Tab::Plt => "plt",
            Tab::SuratMasuk => "surat-masuk",
            Tab::Impor => "impor",
        }
    }
    fn label(self, l: Lang) -> &'static str {
        match self {
            Tab::Struktur => l.t("Unit & Jabatan", "Units & positions"),
            Tab::Pegawai => l.t("Pegawai", "Employees"),
            Tab::Plt => l.t("Plt / Plh", "Acting officials"),
            Tab::SuratMasuk => l.t("Surat masuk", "Incoming mail"),
            Tab::Impor => l.t("Impor / Ekspor CSV", "CSV import / export"),
        }
    }
}

#[component]
pub fn AdminOpdPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    let params = use_params_map();
    let query = use_query_map();
    let opd_id = move || params.read().get("opd").unwrap_or_default();
    let tab = move || {
        let q = query.read().get("tab").unwrap_or_default();
        Tab::ALL.into_iter().find(|t| t.code() == q).unwrap_or(Tab::Struktur)
    };
    let access = move || {
        let id = opd_id();
        Suspend::new(async move {
            let Ok(Some(u)) = user.await else { return ().into_any() };
            // The server checks on every call; this only tells people without the right why the page is empty.
            if !u.caps.is_admin_pemda() && !u.caps.admin_opd_ids().contains(&id) {
                return view! { <NoAccess /> }.into_any();
            }
            ().into_any()
        })
    };
    // The sections are built outside any Suspend so their resources are created in the same order on
    // the server and in the browser.
    view! {
        <Title text=l.t("Kelola OPD", "Manage agency") />
        <p>
            <A href="/admin">{l.t("← Administrasi", "← Administration")}</A>
        </p>
        <h1>{l.t("Kelola OPD", "Manage agency")}</h1>
        <Suspense fallback=|| ()>{access}</Suspense>
        {move || {
            let id = opd_id();
            let links = Tab::ALL
                .into_iter()
                .map(|t| TabLink {
                    code: t.code(),
                    href: format!("/admin/opd/{}?tab={}", id, t.code()),
                    label: t.label(l),
                    waiting: None,
                })
                .collect();
            view! {
                <Tabs
                    label=l.t("Bagian", "Sections")
                    tabs=links
                    current=Signal::derive(move || tab().code())
                />
            }
        }}
        {move || {
            let id = opd_id();
            match tab() {
                Tab::Struktur => {
                    view! {
                        <KopLogo opd_id=id.clone() />
                        <Structure opd_id=id />
                    }
                        .into_any()
                }
                Tab::Pegawai => view! { <Employees opd_id=id /> }.into_any(),
                Tab::Plt => view! { <ActingSection opd_id=id /> }.into_any(),
                Tab::SuratMasuk => view! { <IncomingSettingsSection opd_id=id /> }.into_any(),
                Tab::Impor => view! { <ImportSection opd_id=id /> }.into_any(),
            }
        }}
    }
}

fn level_label(level: PositionLevel, l: Lang) -> &'static str {
    l.t(level.label_id(), level.label_en())
}

fn leader_label(slot: LeaderSlot, l: Lang) -> &'static str {
    match slot {
        LeaderSlot::Head => l.t("Kepala OPD", "Agency head"),
        LeaderSlot::Secretary => l.t("Sekretaris OPD", "Agency secretary"),
    }
}

fn kind_label(kind: UnitKind, l: Lang) -> &'static str {
    l.t(kind.label_id(), kind.label_en())
}
