//! Demo data: Kabupaten Bojonegoro with Dinas Kominfo (about 40 people) and Bappeda.
//! Names are fictional. Every demo account shares one password, printed at start.

use crate::store::org::{CleanEmployee, OpdInput};
use crate::store::org::{NewAccount, NewUnit, PositionSpec};
use crate::{Actor, Result, Store, auth, new_id};
use domain::Code;
use domain::nip::Nip;
use domain::org::{PositionLevel, UnitKind};
use domain::roles::Role;
use sqlx::Row;

pub const DEMO_PASSWORD: &str = "eoffice2026";

#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub role: &'static str,
    pub nip: String,
    pub email: String,
    pub name: String,
}

struct Person {
    name: &'static str,
    handle: &'static str,
    female: bool,
    title: &'static str,
    level: PositionLevel,
    roles: &'static [Role],
    demo_role: Option<&'static str>,
}

const fn p(
    name: &'static str,
    handle: &'static str,
    female: bool,
    title: &'static str,
    level: PositionLevel,
) -> Person {
    Person { name, handle, female, title, level, roles: &[], demo_role: None }
}

struct UnitSpec {
    name: &'static str,
    kind: UnitKind,
    code: &'static str,
    people: Vec<Person>,
    children: Vec<UnitSpec>,
}

fn kominfo() -> UnitSpec {
    use PositionLevel::*;
    let staf = |name, handle, female, title| p(name, handle, female, title, Staf);
    let seksi = |name: &'static str, code, kasi: Person, staff: Vec<Person>| {
        let mut people = vec![kasi];
        people.extend(staff);
        UnitSpec { name, kind: UnitKind::Seksi, code, people, children: vec![] }
    };
    UnitSpec {
        name: "Pimpinan Dinas Kominfo",
        kind: UnitKind::Opd,
        code: "412.208",
        people: vec![Person {
            demo_role: Some("Kepala Dinas"),
            ..p(
                "Drs. Bambang Sutrisno, M.Si.",
                "bambang.sutrisno",
                false,
                "Kepala Dinas Komunikasi dan Informatika",
                KepalaOpd,
            )
        }],
        children: vec![
            UnitSpec {
                name: "Sekretariat",
                kind: UnitKind::Sekretariat,
                code: "412.208.1",
                people: vec![Person {
                    demo_role: Some("Sekretaris Dinas"),
                    ..p(
                        "Dra. Ratna Kusumawati, M.M.",
                        "ratna.kusumawati",
                        true,
                        "Sekretaris Dinas",
                        Sekretaris,
                    )
                }],
                children: vec![
                    UnitSpec {
                        name: "Subbagian Umum dan Kepegawaian",
                        kind: UnitKind::Subbagian,
                        code: "412.208.1.1",
                        people: vec![
                            p(
                                "Siti Aminah, S.Sos.",
                                "siti.aminah",
                                true,
                                "Kepala Subbagian Umum dan Kepegawaian",
                                KepalaSeksi,
                            ),
                            Person {
                                roles: &[Role::Tu],
                                demo_role: Some("TU / Pencatat Surat"),
                                ..staf(
                                    "Sri Wahyuni",
                                    "sri.wahyuni",
                                    true,
                                    "Pengadministrasi Persuratan",
                                )
                            },
                            Person {
                                roles: &[Role::AdminOpd],
                                demo_role: Some("Admin OPD"),
                                ..staf(
                                    "Agus Prasetyo, A.Md.",
                                    "agus.prasetyo",
                                    false,
                                    "Pranata Komputer Terampil",
                                )
                            },
                            staf("Dewi Lestari", "dewi.lestari", true, "Pengelola Kepegawaian"),
                        ],
                        children: vec![],
                    },
                    UnitSpec {
                        name: "Subbagian Keuangan dan Program",
                        kind: UnitKind::Subbagian,
                        code: "412.208.1.2",
                        people: vec![
                            p(
                                "Hendra Gunawan, S.E.",
                                "hendra.gunawan",
                                false,
                                "Kepala Subbagian Keuangan dan Program",
                                KepalaSeksi,
                            ),
                            staf(
                                "Nur Hidayati, S.E.",
                                "nur.hidayati",
                                true,
                                "Bendahara Pengeluaran",
                            ),
                        ],
                        children: vec![],
                    },
                ],
            },
            UnitSpec {
                name: "Bidang Informasi dan Komunikasi Publik",
                kind: UnitKind::Bidang,
                code: "412.208.2",
                people: vec![p(
                    "Ir. Joko Santoso, M.T.",
                    "joko.santoso",
                    false,
                    "Kepala Bidang Informasi dan Komunikasi Publik",
                    KepalaBidang,
                )],
                children: vec![
                    seksi(
                        "Seksi Pengelolaan Informasi Publik",
                        "412.208.2.1",
                        p(
                            "Rina Marlina, S.I.Kom.",
                            "rina.marlina",
                            true,
                            "Kepala Seksi Pengelolaan Informasi Publik",
                            KepalaSeksi,
                        ),
                        vec![
                            staf(
                                "Fajar Nugroho, S.I.Kom.",
                                "fajar.nugroho",
                                false,
                                "Pranata Humas Ahli Pertama",
                            ),
                            staf("Yuli Astuti", "yuli.astuti", true, "Pengelola Informasi Publik"),
                            staf("Rudi Hartono", "rudi.hartono", false, "Pengelola Media"),
                        ],
                    ),
                    seksi(
                        "Seksi Komunikasi Publik",
                        "412.208.2.2",
                        p(
                            "Wahyu Hidayat, S.Sos.",
                            "wahyu.hidayat",
                            false,
                            "Kepala Seksi Komunikasi Publik",
                            KepalaSeksi,
                        ),
                        vec![
                            staf(
                                "Anisa Rahmawati, S.I.Kom.",
                                "anisa.rahmawati",
                                true,
                                "Pranata Humas Ahli Muda",
                            ),
                            staf(
                                "Dedi Kurniawan",
                                "dedi.kurniawan",
                                false,
                                "Pengelola Kemitraan Media",
                            ),
                            staf(
                                "Lina Permatasari",
                                "lina.permatasari",
                                true,
                                "Pengadministrasi Umum",
                            ),
                        ],
                    ),
                ],
            },
            UnitSpec {
                name: "Bidang E-Government",
                kind: UnitKind::Bidang,
                code: "412.208.3",
                people: vec![Person {
                    demo_role: Some("Kepala Bidang"),
                    ..p(
                        "Teguh Wibowo, S.T., M.Kom.",
                        "teguh.wibowo",
                        false,
                        "Kepala Bidang E-Government",
                        KepalaBidang,
                    )
                }],
                children: vec![
                    seksi(
                        "Seksi Layanan E-Government",
                        "412.208.3.1",
                        Person {
                            demo_role: Some("Kepala Seksi"),
                            ..p(
                                "Eko Saputro, S.Kom.",
                                "eko.saputro",
                                false,
                                "Kepala Seksi Layanan E-Government",
                                KepalaSeksi,
                            )
                        },
                        vec![
                            Person {
                                demo_role: Some("Staf"),
                                ..staf(
                                    "Putri Ayu Lestari, S.Kom.",
                                    "putri.ayu",
                                    true,
                                    "Pranata Komputer Ahli Pertama",
                                )
                            },
                            Person {
                                roles: &[Role::AdminPemda],
                                demo_role: Some("Admin Pemda"),
                                ..staf(
                                    "Arif Setiawan, S.T.",
                                    "arif.setiawan",
                                    false,
                                    "Pranata Komputer Ahli Muda",
                                )
                            },
                            staf(
                                "Bayu Firmansyah, A.Md.Kom.",
                                "bayu.firmansyah",
                                false,
                                "Pengelola Sistem Informasi",
                            ),
                            staf("Maya Sari", "maya.sari", true, "Pengadministrasi Umum"),
                        ],
                    ),
                    seksi(
                        "Seksi Infrastruktur TIK",
                        "412.208.3.2",
                        p(
                            "Andi Susanto, S.Kom.",
                            "andi.susanto",
                            false,
                            "Kepala Seksi Infrastruktur TIK",
                            KepalaSeksi,
                        ),
                        vec![
                            staf(
                                "Rizky Ramadhan, S.Kom.",
                                "rizky.ramadhan",
                                false,
                                "Pranata Komputer Ahli Pertama",
                            ),
                            staf("Fitri Handayani", "fitri.handayani", true, "Teknisi Jaringan"),
                            staf("Slamet Riyadi", "slamet.riyadi", false, "Pengelola Data Center"),
                            staf(
                                "Indah Purnamasari",
                                "indah.purnamasari",
                                true,
                                "Pengadministrasi Umum",
                            ),
                        ],
                    ),
                ],
            },
            UnitSpec {
                name: "Bidang Statistik dan Persandian",
                kind: UnitKind::Bidang,
                code: "412.208.4",
                people: vec![p(
                    "Heru Prabowo, S.Si., M.Stat.",
                    "heru.prabowo",
                    false,
                    "Kepala Bidang Statistik dan Persandian",
                    KepalaBidang,
                )],
                children: vec![
                    seksi(
                        "Seksi Statistik Sektoral",
                        "412.208.4.1",
                        p(
                            "Lilis Suryani, S.Si.",
                            "lilis.suryani",
                            true,
                            "Kepala Seksi Statistik Sektoral",
                            KepalaSeksi,
                        ),
                        vec![
                            staf(
                                "Yoga Pratama, S.Stat.",
                                "yoga.pratama",
                                false,
                                "Statistisi Ahli Pertama",
                            ),
                            staf("Wulan Sari", "wulan.sari", true, "Pengolah Data"),
                            staf("Bagus Santoso", "bagus.santoso", false, "Pengolah Data"),
                        ],
                    ),
                    seksi(
                        "Seksi Persandian dan Keamanan Informasi",
                        "412.208.4.2",
                        p(
                            "Dimas Aditya, S.Kom.",
                            "dimas.aditya",
                            false,
                            "Kepala Seksi Persandian dan Keamanan Informasi",
                            KepalaSeksi,
                        ),
                        vec![
                            staf(
                                "Novi Kartika, S.Kom.",
                                "novi.kartika",
                                true,
                                "Sandiman Ahli Pertama",
                            ),
                            staf(
                                "Irfan Maulana",
                                "irfan.maulana",
                                false,
                                "Pengelola Keamanan Informasi",
                            ),
                            staf("Ayu Wandira", "ayu.wandira", true, "Pengadministrasi Umum"),
                        ],
                    ),
                ],
            },
        ],
    }
}

/// The regency secretariat, reduced to its head: the Sekda sees every OPD's dashboard.
fn setda() -> UnitSpec {
    UnitSpec {
        name: "Pimpinan Sekretariat Daerah",
        kind: UnitKind::Opd,
        code: "000.1",
        people: vec![Person {
            roles: &[Role::PimpinanDaerah],
            demo_role: Some("Sekretaris Daerah (Pimpinan Daerah)"),
            ..p(
                "Drs. Nurul Azizah, M.Si.",
                "nurul.azizah",
                true,
                "Sekretaris Daerah",
                PositionLevel::KepalaOpd,
            )
        }],
        children: vec![],
    }
}

fn bappeda() -> UnitSpec {
    use PositionLevel::*;
    UnitSpec {
        name: "Pimpinan Bappeda",
        kind: UnitKind::Opd,
        code: "050.13",
        people: vec![Person {
            demo_role: Some("Kepala Bappeda (OPD lain)"),
            ..p(
                "Dr. Ir. Suharto Wijaya, M.P.",
                "suharto.wijaya",
                false,
                "Kepala Badan Perencanaan Pembangunan Daerah",
                KepalaOpd,
            )
        }],
        children: vec![
            UnitSpec {
                name: "Sekretariat",
                kind: UnitKind::Sekretariat,
                code: "050.13.1",
                people: vec![p(
                    "Endang Susilowati, S.E., M.M.",
                    "endang.susilowati",
                    true,
                    "Sekretaris Badan",
                    Sekretaris,
                )],
                children: vec![UnitSpec {
                    name: "Subbagian Umum",
                    kind: UnitKind::Subbagian,
                    code: "050.13.1.1",
                    people: vec![
                        p(
                            "Mulyono, S.Sos.",
                            "mulyono",
                            false,
                            "Kepala Subbagian Umum",
                            KepalaSeksi,
                        ),
                        Person {
                            roles: &[Role::Tu],
                            demo_role: Some("TU Bappeda (OPD lain)"),
                            ..p(
                                "Tri Wahyuningsih",
                                "tri.wahyuningsih",
                                true,
                                "Pengadministrasi Persuratan",
                                Staf,
                            )
                        },
                    ],
                    children: vec![],
                }],
            },
            UnitSpec {
                name: "Bidang Perencanaan dan Pendanaan",
                kind: UnitKind::Bidang,
                code: "050.13.2",
                people: vec![
                    p(
                        "Budi Raharjo, S.T., M.T.",
                        "budi.raharjo",
                        false,
                        "Kepala Bidang Perencanaan dan Pendanaan",
                        KepalaBidang,
                    ),
                    p(
                        "Kartini Puspita, S.E.",
                        "kartini.puspita",
                        true,
                        "Perencana Ahli Pertama",
                        Staf,
                    ),
                ],
                children: vec![],
            },
        ],
    }
}

struct Ctx<'a> {
    store: &'a Store,
    actor: Actor,
    pemda_id: String,
    opd_id: String,
    hash: String,
    serial: u32,
    logins: Vec<DemoLogin>,
}

/// Deterministic, valid NIP from a serial number.
fn demo_nip(serial: u32, female: bool, level: PositionLevel) -> String {
    let birth_year = 1968 + (level.code() as u32) * 3 + serial % 7;
    let month = 1 + serial % 12;
    let day = 1 + (serial * 7) % 28;
    let appointed = birth_year + 24 + serial % 4;
    format!(
        "{birth_year:04}{month:02}{day:02}{appointed:04}{:02}{}{:03}",
        1 + (serial * 5) % 12,
        if female { 2 } else { 1 },
        serial
    )
}

fn walk<'a>(
    ctx: &'a mut Ctx<'_>,
    spec: &'a UnitSpec,
    parent: Option<&'a str>,
    sort: &'a mut i64,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>> {
    Box::pin(async move {
        let store = ctx.store;
        let mut tx = store.begin_write().await?;
        let unit_id = match parent {
            None => {
                // The root unit is created with the OPD; rename it to the spec.
                let r: String = sqlx::query_scalar(
                    "SELECT id FROM unit WHERE opd_id = $1 AND parent_id IS NULL",
                )
                .bind(&ctx.opd_id)
                .fetch_one(tx.conn())
                .await?;
                sqlx::query("UPDATE unit SET name = $1, code = $2 WHERE id = $3")
                    .bind(spec.name)
                    .bind(spec.code)
                    .bind(&r)
                    .execute(tx.conn())
                    .await?;
                r
            }
            Some(p) => {
                let id = new_id();
                *sort += 1;
                store
                    .insert_unit(
                        &mut tx,
                        &ctx.actor,
                        NewUnit {
                            opd_id: &ctx.opd_id,
                            id: &id,
                            parent_id: Some(p),
                            name: spec.name,
                            kind: spec.kind,
                            code: spec.code,
                            sort: *sort,
                        },
                    )
                    .await?;
                id
            }
        };
        // Staff positions may be shared by several people with the same title in one unit.
        let mut titles: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        for person in &spec.people {
            ctx.serial += 1;
            let pos_id = match titles.get(person.title) {
                Some(id) => id.clone(),
                None => {
                    store
                        .upsert_position_tx(
                            &mut tx,
                            &ctx.actor,
                            PositionSpec {
                                opd_id: &ctx.opd_id,
                                id: None,
                                unit_id: &unit_id,
                                title: person.title,
                                level: person.level,
                            },
                        )
                        .await?
                }
            };
            titles.insert(person.title, pos_id.clone());
            let nip = demo_nip(ctx.serial, person.female, person.level);
            let email = format!("{}@bojonegorokab.go.id", person.handle);
            let clean = CleanEmployee {
                nip: Nip::parse(&nip, 2026)
                    .map_err(|e| crate::BackendError::caused(format!("demo NIP {nip}"), e))?,
                name: person.name.to_string(),
                email: Some(email.clone()),
                phone: format!("0812{:08}", 30_000_000 + ctx.serial * 7919),
            };
            let eid = store
                .insert_employee_tx(
                    &mut tx,
                    &ctx.actor,
                    NewAccount {
                        pemda_id: &ctx.pemda_id,
                        opd_id: &ctx.opd_id,
                        employee: &clean,
                        position_id: Some(&pos_id),
                        password_hash: &ctx.hash,
                        must_change: false,
                    },
                )
                .await?;
            for role in person.roles {
                let scope = if matches!(role, Role::AdminPemda | Role::PimpinanDaerah) {
                    ctx.pemda_id.clone()
                } else {
                    ctx.opd_id.clone()
                };
                sqlx::query("INSERT INTO role_grant (employee_id, role, scope_id, created_ms) VALUES ($1, $2, $3, $4)")
                    .bind(&eid)
                    .bind(role.code())
                    .bind(&scope)
                    .bind(crate::now_ms())
                    .execute(tx.conn())
                    .await?;
            }
            if let Some(r) = person.demo_role {
                ctx.logins.push(DemoLogin {
                    role: r,
                    nip: nip.clone(),
                    email,
                    name: person.name.to_string(),
                });
            }
        }
        tx.commit().await?;
        for child in &spec.children {
            walk(ctx, child, Some(&unit_id), sort).await?;
        }
        Ok(())
    })
}

/// Seeds the demo Pemda if the database has none. Returns the demo logins (empty if already seeded).
pub async fn seed_demo(store: &Store) -> Result<Vec<DemoLogin>> {
    if store.count_pemda().await? > 0 {
        return Ok(vec![]);
    }
    let actor = Actor::system();
    let hash = auth::hash_password(DEMO_PASSWORD).await?;
    let mut tx = store.begin_write().await?;
    let pemda_id = store
        .create_pemda(
            &mut tx,
            &actor,
            "Pemerintah Kabupaten Bojonegoro",
            "Kabupaten Bojonegoro",
            "3522",
        )
        .await?;
    tx.commit().await?;
    let mut ctx = Ctx {
        store,
        actor,
        pemda_id: pemda_id.clone(),
        opd_id: String::new(),
        hash,
        serial: 0,
        logins: vec![],
    };
    let opds = [
        (
            OpdInput {
                name: "Dinas Komunikasi dan Informatika".into(),
                short_name: "Dinas Kominfo".into(),
                code: "412.208".into(),
                address: "Jl. P. Mas Tumapel No. 1, Bojonegoro 62111".into(),
                phone: "(0353) 881826".into(),
                email: "kominfo@bojonegorokab.go.id".into(),
                website: "kominfo.bojonegorokab.go.id".into(),
            },
            kominfo(),
        ),
        (
            OpdInput {
                name: "Badan Perencanaan Pembangunan Daerah".into(),
                short_name: "Bappeda".into(),
                code: "050.13".into(),
                address: "Jl. P. Mas Tumapel No. 1, Bojonegoro 62111".into(),
                phone: "(0353) 881350".into(),
                email: "bappeda@bojonegorokab.go.id".into(),
                website: "bappeda.bojonegorokab.go.id".into(),
            },
            bappeda(),
        ),
        (
            OpdInput {
                name: "Sekretariat Daerah".into(),
                short_name: "Setda".into(),
                code: "000.1".into(),
                address: "Jl. P. Mas Tumapel No. 1, Bojonegoro 62111".into(),
                phone: "(0353) 881826".into(),
                email: "setda@bojonegorokab.go.id".into(),
                website: "bojonegorokab.go.id".into(),
            },
            setda(),
        ),
    ];
    for (input, spec) in &opds {
        let mut tx = store.begin_write().await?;
        ctx.opd_id = store.create_opd_tx(&mut tx, &ctx.actor, &pemda_id, input).await?;
        tx.commit().await?;
        let mut sort = 0;
        walk(&mut ctx, spec, None, &mut sort).await?;
    }
    seed_activity_bank(store).await?;
    // The demo's people know their way around; accounts added later get the first-login tour.
    store.finish_tour_for_everyone().await?;
    Ok(ctx.logins)
}

/// A small activity bank for every staff position of the demo, so logging work outside e-Office
/// can be tried from the bank as well as in free text.
async fn seed_activity_bank(store: &Store) -> Result<()> {
    const BANK: &[(&str, i64, &str)] = &[
        ("Menyusun laporan kegiatan", 60, "laporan"),
        ("Mengolah dan memutakhirkan data", 30, "dokumen"),
        ("Mengikuti rapat koordinasi", 60, "kegiatan"),
        ("Melayani konsultasi masyarakat", 20, "layanan"),
    ];
    let positions = sqlx::query("SELECT id, opd_id FROM position WHERE level = $1")
        .bind(PositionLevel::Staf.code())
        .fetch_all(&store.pool)
        .await?;
    let mut tx = store.begin_write().await?;
    for r in &positions {
        let (id, opd): (String, String) = (r.try_get("id")?, r.try_get("opd_id")?);
        for (name, minutes, unit) in BANK {
            sqlx::query(
                "INSERT INTO activity_bank (id, opd_id, position_id, name, minutes, unit, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new_id())
            .bind(&opd)
            .bind(&id)
            .bind(*name)
            .bind(*minutes)
            .bind(*unit)
            .bind(crate::now_ms())
            .execute(tx.conn())
            .await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_nips_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for s in 1..=120 {
            for &level in PositionLevel::ALL {
                let n = demo_nip(s, s % 2 == 0, level);
                Nip::parse(&n, 2026).unwrap_or_else(|e| panic!("{n}: {e}"));
                if level == PositionLevel::Staf {
                    assert!(seen.insert(n));
                }
            }
        }
    }

    #[test]
    fn demo_tree_is_about_forty_people() {
        fn count(u: &UnitSpec) -> usize {
            u.people.len() + u.children.iter().map(count).sum::<usize>()
        }
        let n = count(&kominfo());
        assert!((36..=46).contains(&n), "{n}");
        assert_eq!(kominfo().children.iter().filter(|c| c.kind == UnitKind::Bidang).count(), 3);
    }
}

/// The demo accounts worth trying, by role, as (role, email).
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("Kepala Dinas", "bambang.sutrisno@bojonegorokab.go.id"),
    ("Sekretaris Dinas", "ratna.kusumawati@bojonegorokab.go.id"),
    ("Kepala Bidang", "teguh.wibowo@bojonegorokab.go.id"),
    ("Kepala Seksi", "eko.saputro@bojonegorokab.go.id"),
    ("Staf", "putri.ayu@bojonegorokab.go.id"),
    ("TU / Pencatat Surat", "sri.wahyuni@bojonegorokab.go.id"),
    ("Admin OPD", "agus.prasetyo@bojonegorokab.go.id"),
    ("Admin Pemda", "arif.setiawan@bojonegorokab.go.id"),
    ("Kepala Bappeda (OPD lain)", "suharto.wijaya@bojonegorokab.go.id"),
    ("Sekretaris Daerah (Pimpinan Daerah)", "nurul.azizah@bojonegorokab.go.id"),
];

/// The demo accounts present in this database (none once an installation removed them).
pub async fn demo_logins(store: &Store) -> Result<Vec<DemoLogin>> {
    let mut out = Vec::new();
    for (role, email) in DEMO_ACCOUNTS {
        if let Some(e) = store.find_employee_by_email(email).await? {
            out.push(DemoLogin { role, nip: e.nip, email: email.to_string(), name: e.name });
        }
    }
    Ok(out)
}

/// What a real installation starts from: its Pemda, a first OPD and one Admin Pemda.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    pub pemda_name: String,
    pub pemda_short: String,
    pub pemda_code: String,
    pub opd: OpdInput,
    pub admin_nip: String,
    pub admin_name: String,
    pub admin_email: String,
}

/// Creates the first Pemda, OPD and Admin Pemda of an empty database. Returns the admin's
/// temporary password (shown once; it must be changed at first login).
pub async fn bootstrap(store: &Store, b: &Bootstrap) -> Result<String> {
    if store.count_pemda().await? > 0 {
        return Err(crate::BackendError::Conflict(
            "Database sudah berisi Pemda; inisialisasi hanya untuk database kosong.".into(),
        ));
    }
    let clean = crate::store::org::clean_employee(&crate::store::org::EmployeeInput {
        nip: b.admin_nip.clone(),
        name: b.admin_name.clone(),
        email: b.admin_email.clone(),
        phone: String::new(),
        position_id: None,
    })?;
    let name = domain::account::required_text(&b.pemda_name, 200)
        .ok_or_else(|| crate::BackendError::invalid("Nama Pemda wajib diisi."))?;
    Store::clean_opd(&b.opd)?;
    let temp = auth::temporary_password();
    let hash = auth::hash_password(&temp).await?;
    let actor = Actor::system();
    let mut tx = store.begin_write().await?;
    let pemda_id = store
        .create_pemda(&mut tx, &actor, &name, b.pemda_short.trim(), b.pemda_code.trim())
        .await?;
    let opd = Store::clean_opd(&b.opd)?;
    let opd_id = store.create_opd_tx(&mut tx, &actor, &pemda_id, &opd).await?;
    let eid = store
        .insert_employee_tx(
            &mut tx,
            &actor,
            NewAccount {
                pemda_id: &pemda_id,
                opd_id: &opd_id,
                employee: &clean,
                position_id: None,
                password_hash: &hash,
                must_change: true,
            },
        )
        .await?;
    for (role, scope) in [(Role::AdminPemda, &pemda_id), (Role::AdminOpd, &opd_id)] {
        sqlx::query("INSERT INTO role_grant (employee_id, role, scope_id, created_ms) VALUES ($1, $2, $3, $4)")
            .bind(&eid)
            .bind(role.code())
            .bind(scope)
            .bind(crate::now_ms())
            .execute(tx.conn())
            .await?;
        tx.audit(
            &actor,
            "role.grant",
            "employee",
            Some(&eid),
            serde_json::json!({ "role": role.code(), "scope_id": scope }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(temp)
}

/// The starting list of archive classification codes (klasifikasi arsip) every new Pemda gets,
/// in the shape of Permendagri 83/2022; each Pemda edits its own copy.
pub const KLASIFIKASI: &[(&str, &str)] = &[
    ("000", "Umum"),
    ("000.1", "Ketatausahaan dan Kerumahtanggaan"),
    ("000.1.1", "Telekomunikasi"),
    ("000.1.2", "Perjalanan Dinas"),
    ("000.1.3", "Rapat dan Pertemuan"),
    ("000.2", "Perlengkapan"),
    ("000.3", "Pengadaan Barang dan Jasa"),
    ("000.4", "Perpustakaan"),
    ("000.5", "Kearsipan"),
    ("000.5.6.2", "Layanan Informasi Publik"),
    ("000.6", "Persandian"),
    ("000.7", "Perencanaan Pembangunan"),
    ("000.8", "Organisasi dan Tata Laksana"),
    ("000.9", "Penelitian, Pengkajian, dan Pengembangan"),
    ("100", "Pemerintahan"),
    ("100.1", "Otonomi Daerah"),
    ("100.2", "Pemerintahan Desa"),
    ("200", "Politik dan Kesatuan Bangsa"),
    ("300", "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat"),
    ("400", "Kesejahteraan Rakyat"),
    ("400.3", "Pendidikan"),
    ("400.7", "Kesehatan"),
    ("400.14", "Hubungan Masyarakat dan Komunikasi Publik"),
    ("500", "Perekonomian"),
    ("500.12", "Komunikasi dan Informatika"),
    ("500.12.1", "Aplikasi dan Layanan Elektronik (SPBE)"),
    ("600", "Pekerjaan Umum dan Penataan Ruang"),
    ("700", "Pengawasan"),
    ("800", "Kepegawaian"),
    ("800.1", "Pengadaan dan Pengembangan Pegawai"),
    ("800.1.11", "Cuti"),
    ("900", "Keuangan"),
    ("900.1", "Anggaran"),
];

/// Demo work for the leaders' dashboard, added by `serve --demo` to a fresh demo (the store tests
/// start from the organisation alone): a request registered by the clerk of Dinas Kominfo six days
/// ago and disposed by the Kepala Dinas to the Kepala Bidang E-Government, whose deadline passed
/// two days ago. The dashboard lists it as overdue, where it can be reminded, escalated or
/// reassigned.
pub async fn seed_demo_overdue(store: &Store) -> Result<()> {
    use domain::disposition::{
        DisposeInput, Instruction, RecipientInput, RegisterInput, RegisterOutcome,
    };
    use domain::letter::{Sifat, Urgency};
    use domain::time::iso_date;
    let today = crate::today_wib();
    let session = |email: &'static str| async move {
        let e = store
            .find_employee_by_email(email)
            .await?
            .ok_or_else(|| crate::BackendError::internal(format!("demo account {email}")))?;
        store.session_user(&e.id, today).await
    };
    let tu = session("sri.wahyuni@bojonegorokab.go.id").await?;
    let kadis = session("bambang.sutrisno@bojonegorokab.go.id").await?;
    let kabid = session("teguh.wibowo@bojonegorokab.go.id").await?;
    let subject = "Permohonan dukungan jaringan internet sekolah";
    let input = RegisterInput {
        client_id: "demo-lewat-tenggat".into(),
        received: iso_date(today - 6),
        sender_name: "Dinas Pendidikan Kabupaten Bojonegoro".into(),
        letter_number: "400.3/1187/412.201/2026".into(),
        letter_date: iso_date(today - 8),
        sifat: Sifat::Biasa,
        urgency: Urgency::Segera,
        attachment_count: 1,
        subject: subject.into(),
        summary: "Permohonan pemasangan jaringan internet untuk 12 SD di wilayah selatan.".into(),
        klasifikasi: String::new(),
        disposer_position_id: String::new(),
        confirm_duplicate: false,
    };
    let scan = crate::render::render_letter(&crate::render::LetterDocument {
        hal: subject.into(),
        ..Default::default()
    })?;
    let id = match store.register_incoming(&tu, None, &input, scan, 1, "pindai.pdf").await? {
        RegisterOutcome::Registered { id, .. } => id,
        other => return Err(crate::BackendError::internal(format!("demo letter: {other:?}"))),
    };
    store.incoming_view(&kadis, &id).await?;
    let kabid_position = kabid
        .positions
        .first()
        .ok_or_else(|| crate::BackendError::internal("the demo Kabid has no position"))?;
    store
        .dispose(
            &kadis,
            None,
            &DisposeInput {
                incoming_id: id.clone(),
                parent_id: None,
                recipients: vec![RecipientInput {
                    position_id: kabid_position.position_id.clone(),
                    lead: true,
                }],
                instructions: vec![Instruction::Selesaikan],
                deadline: iso_date(today),
                note: "Koordinasikan dengan Dinas Pendidikan dan laporkan.".into(),
            },
        )
        .await?;
    // Back to when it happened: disposed five days ago, due two days ago.
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE disposition SET deadline_day = $1, created_ms = $2 WHERE incoming_id = $3")
        .bind(today - 2)
        .bind(crate::now_ms() - 5 * domain::time::DAY_MS)
        .bind(&id)
        .execute(tx.conn())
        .await?;
    tx.commit().await
}
