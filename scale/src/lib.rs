//! Benchmark-scale data: about 50 more OPDs with ~10,000 employees in total and ~1,000,000 letters
//! on top of the demo Pemda, so list and inbox queries can be measured at the size of a large
//! kabupaten after a few years of use (the `eoffice-scale` command, which `scripts/bench.sh` runs).
//! It is a crate of its own so the production binary carries none of it.
//!
//! The normal store functions validate, hash passwords and audit row by row; at this volume that
//! would take hours. The generator therefore writes the same rows directly with multi-row INSERTs
//! in a few large transactions. It mirrors what `create_letter`, `act_on_letter` and `deliver`
//! write (states, frozen chains, numbering, per-OPD agenda numbers, inbox owner keys), so the
//! application reads the generated data exactly like data it produced itself. Not generated:
//! `letter_action` (history), `letter_recipient` (nothing reads it back), `work_event`,
//! `letter_document` (the PDF is rendered at signing; a generated signed letter has none).
//!
//! The SQL is portable (SQLite and PostgreSQL through sqlx Any); only cache tuning and the final
//! WAL checkpoint are SQLite-specific and skipped on PostgreSQL.

use backend::store::{DbKind, Store, WriteTx};
use backend::{BackendError, Result, auth, new_id, now_ms};
use domain::Code;
use domain::letter::{
    DEFAULT_NUMBER_FORMAT, LetterDraft, LetterKind, Recipient, RecipientRole, Sifat, TargetType,
    Urgency, derive_chain, format_number,
};
use domain::letter_body::LetterBody;
use domain::nip::Nip;
use domain::org::PositionLevel;
use domain::roles::Role;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::time::Instant;

const DAY_MS: i64 = 86_400_000;
/// Bind parameters per INSERT statement (rows = this / columns). Far below the limits (SQLite 32,766,
/// PostgreSQL 65,535) on purpose: with `$n` placeholders, sqlx-sqlite asks SQLite for every
/// parameter's name and `sqlite3_bind_parameter_name` walks a list, so binding a statement costs
/// O(parameters²). 500-row statements (13,000 parameters) spent 80% of the time there and made
/// 1,065 letters/s; around 250 parameters it is a small share of the time.
const PARAMS_PER_STATEMENT: usize = 250;
/// Letters generated between two flushes of the buffers.
const FLUSH_LETTERS: usize = 500;
/// Letters per transaction: large enough that commits cost nothing, small enough that the WAL
/// (SQLite) or the transaction (PostgreSQL) stays a few hundred MB at most.
const LETTERS_PER_TX: usize = 50_000;
/// Employees per generated OPD, roughly (13 heads and the rest staff).
const TARGET_OPD_SIZE: usize = 200;
const MAX_NEW_OPDS: usize = 50;

/// What the generator did, for the command line.
#[derive(Clone, Debug, Default)]
pub struct ScaleReport {
    pub new_opds: usize,
    pub new_employees: usize,
    pub total_employees: i64,
    pub letters: usize,
    pub waiting: usize,
    pub incoming: usize,
    pub inbox_entries: usize,
    pub org_seconds: f64,
    pub letter_seconds: f64,
    pub analyze_seconds: f64,
    /// Load of the demo accounts: (email, letters waiting at their position, inbox entries, unread).
    pub demo_load: Vec<(String, i64, i64, i64)>,
}

impl fmt::Display for ScaleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Scale data generated:")?;
        writeln!(f, "  OPDs added          {}", self.new_opds)?;
        writeln!(
            f,
            "  employees added     {} (total in the Pemda: {})",
            self.new_employees, self.total_employees
        )?;
        writeln!(
            f,
            "  letters             {} ({} waiting for paraf/signature)",
            self.letters, self.waiting
        )?;
        writeln!(f, "  incoming letters    {}", self.incoming)?;
        writeln!(f, "  inbox entries       {}", self.inbox_entries)?;
        writeln!(
            f,
            "  time                org {:.1} s, letters {:.1} s, analyze {:.1} s",
            self.org_seconds, self.letter_seconds, self.analyze_seconds
        )?;
        for (email, waiting, inbox, unread) in &self.demo_load {
            writeln!(
                f,
                "  {email:<42} perlu paraf {waiting:>5}, kotak masuk {inbox:>6} ({unread} belum dibaca)"
            )?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Multi-row INSERT buffer
// ---------------------------------------------------------------------------------------------

enum Val {
    T(String),
    NT,
    I(i64),
    NI,
}

fn ot(v: Option<String>) -> Val {
    v.map(Val::T).unwrap_or(Val::NT)
}

fn oint(v: Option<i64>) -> Val {
    v.map(Val::I).unwrap_or(Val::NI)
}

/// Rows for one table, written a batch at a time with `$n` placeholders (portable).
/// Foreign keys are enforced, so a row that references a row of another buffer (a version its
/// letter, an inbox entry its incoming letter) records the parent's row index and is written only
/// once the parent is.
struct Bulk {
    table: &'static str,
    cols: &'static [&'static str],
    vals: Vec<Val>,
    /// Parent row index of each pending row (only for buffers pushed with `push_child`).
    parents: VecDeque<usize>,
    sql: HashMap<usize, String>,
    /// Rows per statement.
    batch: usize,
    written: usize,
}

impl Bulk {
    fn new(table: &'static str, cols: &'static [&'static str]) -> Bulk {
        Bulk {
            table,
            cols,
            vals: Vec::new(),
            parents: VecDeque::new(),
            sql: HashMap::new(),
            batch: (PARAMS_PER_STATEMENT / cols.len()).max(1),
            written: 0,
        }
    }

    /// Pushes a row; returns its index in the table's sequence of generated rows.
    fn push(&mut self, row: Vec<Val>) -> usize {
        debug_assert_eq!(row.len(), self.cols.len(), "{}", self.table);
        self.vals.extend(row);
        self.written + self.pending() - 1
    }

    fn push_child(&mut self, row: Vec<Val>, parent: usize) -> usize {
        self.parents.push_back(parent);
        self.push(row)
    }

    fn pending(&self) -> usize {
        self.vals.len() / self.cols.len()
    }

    /// Leading pending rows whose parent is already written (`parent_written` rows of it).
    fn ready(&self, parent_written: usize) -> usize {
        self.parents.iter().take_while(|&&p| p < parent_written).count()
    }

    fn statement(&mut self, rows: usize) -> String {
        let (table, cols) = (self.table, self.cols);
        self.sql
            .entry(rows)
            .or_insert_with(|| {
                let w = cols.len();
                let mut s = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
                for r in 0..rows {
                    if r > 0 {
                        s.push_str(", ");
                    }
                    s.push('(');
                    for c in 0..w {
                        if c > 0 {
                            s.push_str(", ");
                        }
                        s.push_str(&format!("${}", r * w + c + 1));
                    }
                    s.push(')');
                }
                s
            })
            .clone()
    }

    /// Writes full batches of the first `ready` pending rows; with `all`, also a last partial one.
    /// Full batches reuse one prepared statement.
    async fn flush_ready(&mut self, tx: &mut WriteTx, mut ready: usize, all: bool) -> Result<()> {
        while ready >= self.batch || (all && ready > 0) {
            let n = ready.min(self.batch);
            ready -= n;
            let sql = self.statement(n);
            let vals: Vec<Val> = self.vals.drain(..n * self.cols.len()).collect();
            if !self.parents.is_empty() {
                self.parents.drain(..n);
            }
            let mut q = sqlx::query(&sql);
            for v in vals {
                q = match v {
                    Val::T(s) => q.bind(s),
                    Val::NT => q.bind(None::<String>),
                    Val::I(i) => q.bind(i),
                    Val::NI => q.bind(None::<i64>),
                };
            }
            q.execute(tx.conn()).await?;
            self.written += n;
        }
        Ok(())
    }

    /// For buffers without parents: writes full batches, with `all` everything.
    async fn flush(&mut self, tx: &mut WriteTx, all: bool) -> Result<()> {
        self.flush_ready(tx, self.pending(), all).await
    }
}

// ---------------------------------------------------------------------------------------------
// Names and texts
// ---------------------------------------------------------------------------------------------

/// (name, short name, unit code). Fictional but shaped like a kabupaten's agencies.
const OPDS: &[(&str, &str, &str)] = &[
    ("Dinas Pendidikan", "Disdik", "420.1"),
    ("Dinas Kesehatan", "Dinkes", "440.1"),
    ("Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang", "Dinas PU BMPR", "600.1"),
    ("Dinas Pekerjaan Umum Sumber Daya Air", "Dinas PU SDA", "600.2"),
    ("Dinas Perumahan Kawasan Permukiman dan Cipta Karya", "Disperkim", "600.3"),
    ("Dinas Sosial", "Dinsos", "460.1"),
    ("Dinas Tenaga Kerja", "Disnaker", "560.1"),
    ("Dinas Pemberdayaan Perempuan Perlindungan Anak dan Keluarga Berencana", "DP3AKB", "463.1"),
    ("Dinas Ketahanan Pangan", "DKP", "520.1"),
    ("Dinas Pertanian", "Distan", "520.2"),
    ("Dinas Lingkungan Hidup", "DLH", "660.1"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "470.1"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "140.1"),
    ("Dinas Perhubungan", "Dishub", "550.1"),
    ("Dinas Koperasi dan Usaha Mikro", "Diskopum", "518.1"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "503.1"),
    ("Dinas Kepemudaan dan Olahraga", "Dispora", "426.1"),
    ("Dinas Kebudayaan dan Pariwisata", "Disbudpar", "556.1"),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", "045.1"),
    ("Dinas Peternakan dan Perikanan", "Disnakkan", "524.1"),
    ("Dinas Perdagangan", "Disdag", "510.1"),
    ("Dinas Perindustrian", "Disperin", "530.1"),
    ("Dinas Energi dan Sumber Daya Mineral", "Dinas ESDM", "540.1"),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", "361.1"),
    ("Dinas Pertanahan", "Disnah", "590.1"),
    ("Dinas Perkebunan", "Disbun", "525.1"),
    ("Dinas Kehutanan", "Dishut", "522.1"),
    ("Dinas Kelautan", "Diskel", "523.1"),
    ("Dinas Penataan Bangunan", "Distaban", "640.1"),
    ("Dinas Kebersihan dan Pertamanan", "DKP Taman", "658.1"),
    ("Dinas Pengendalian Penduduk", "Dalduk", "476.1"),
    ("Dinas Kesejahteraan Rakyat", "Dinkesra", "400.1"),
    ("Dinas Pemuda dan Kewirausahaan", "Dispemwira", "427.1"),
    ("Dinas Pasar", "Dispas", "511.1"),
    ("Dinas Pengelolaan Air Minum", "Dispam", "690.1"),
    ("Dinas Keluarga Berencana", "Dinas KB", "474.1"),
    ("Dinas Transmigrasi", "Distrans", "562.1"),
    ("Dinas Pangan Daerah", "Dispangda", "521.1"),
    ("Satuan Polisi Pamong Praja", "Satpol PP", "300.1"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "800.1"),
    ("Badan Pendapatan Daerah", "Bapenda", "973.1"),
    ("Badan Keuangan dan Aset Daerah", "BKAD", "900.1"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "360.1"),
    ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", "200.1"),
    ("Badan Penelitian dan Pengembangan Daerah", "Balitbangda", "070.1"),
    ("Badan Pengelolaan Keuangan Desa", "BPKD", "143.1"),
    ("Badan Pengadaan Barang dan Jasa", "BPBJ", "027.1"),
    ("Badan Amil dan Zakat Daerah", "Bazda", "451.1"),
    ("Badan Pengawas Lingkungan", "Bapedal", "661.1"),
    ("Badan Pengembangan Wilayah", "Bapewil", "650.1"),
];

/// (bidang, its two seksi). Each OPD takes three consecutive entries, so unit names stay unique in an OPD.
const BIDANG: &[(&str, &str, &str)] = &[
    (
        "Bidang Perencanaan dan Evaluasi",
        "Seksi Perencanaan Program",
        "Seksi Monitoring dan Evaluasi",
    ),
    ("Bidang Pelayanan", "Seksi Pelayanan Umum", "Seksi Pengaduan dan Informasi"),
    ("Bidang Pembinaan", "Seksi Pembinaan Teknis", "Seksi Pengembangan Kapasitas"),
    ("Bidang Sarana dan Prasarana", "Seksi Pembangunan Sarana", "Seksi Pemeliharaan Prasarana"),
    ("Bidang Data dan Informasi", "Seksi Pengelolaan Data", "Seksi Sistem Informasi"),
    ("Bidang Pengendalian dan Pengawasan", "Seksi Pengendalian", "Seksi Pengawasan dan Penertiban"),
    ("Bidang Pemberdayaan", "Seksi Pemberdayaan Masyarakat", "Seksi Kemitraan"),
    ("Bidang Perlindungan", "Seksi Perlindungan dan Jaminan", "Seksi Rehabilitasi"),
    ("Bidang Pengembangan Usaha", "Seksi Fasilitasi Usaha", "Seksi Promosi dan Pemasaran"),
    ("Bidang Tata Kelola", "Seksi Regulasi dan Standardisasi", "Seksi Tata Laksana"),
];

const STAFF_TITLES: &[&str] = &[
    "Pengadministrasi Umum",
    "Pengolah Data",
    "Analis Kebijakan Ahli Pertama",
    "Pranata Komputer Terampil",
    "Pengelola Keuangan",
    "Penyusun Program dan Anggaran",
    "Pengelola Sarana dan Prasarana",
    "Analis Perencanaan",
    "Verifikator Keuangan",
    "Pengelola Layanan Operasional",
    "Penelaah Teknis Kebijakan",
    "Pengelola Barang Milik Daerah",
];

const MALE: &[&str] = &[
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Dimas",
    "Eko",
    "Fajar",
    "Hadi",
    "Hendra",
    "Heru",
    "Imam",
    "Joko",
    "Kurniawan",
    "Luthfi",
    "Mochamad",
    "Muhammad",
    "Nur",
    "Prasetyo",
    "Rahmat",
    "Rizky",
    "Rudi",
    "Slamet",
    "Sugeng",
    "Suharto",
    "Supriyadi",
    "Teguh",
    "Wahyu",
    "Yoga",
    "Yusuf",
];
const FEMALE: &[&str] = &[
    "Anisa", "Ayu", "Dewi", "Endang", "Fitri", "Indah", "Kartini", "Lestari", "Lilis", "Lina",
    "Maya", "Novi", "Nurul", "Putri", "Ratna", "Rina", "Siti", "Sri", "Tri", "Wulan", "Yuli",
    "Yuni", "Diah", "Erna",
];
const FAMILY: &[&str] = &[
    "Santoso",
    "Wibowo",
    "Saputro",
    "Susanto",
    "Hidayat",
    "Prabowo",
    "Gunawan",
    "Setiawan",
    "Kurniasih",
    "Lestari",
    "Rahayu",
    "Wijaya",
    "Hartono",
    "Nugroho",
    "Purnomo",
    "Sulistyo",
    "Utomo",
    "Handayani",
    "Permatasari",
    "Suryani",
    "Wahyuningsih",
    "Kusumawati",
    "Firmansyah",
    "Pratama",
    "Maulana",
    "Ramadhan",
    "Aditya",
    "Raharjo",
    "Susilowati",
    "Yulianto",
    "Haryanto",
    "Mulyani",
];
const DEGREES_HEAD: &[&str] = &[
    "S.Sos., M.Si.",
    "S.T., M.T.",
    "S.E., M.M.",
    "S.H., M.H.",
    "Ir.",
    "S.Kom., M.Kom.",
    "S.P., M.P.",
    "S.Pd., M.Pd.",
];
const DEGREES_STAFF: &[&str] =
    &["", "", "S.Kom.", "S.E.", "S.Sos.", "A.Md.", "S.T.", "S.Pd.", "S.H.", ""];

const TOPICS: &[&str] = &[
    "Penyusunan Rencana Kerja Tahun Anggaran Berikutnya",
    "Pelaksanaan Sistem Pemerintahan Berbasis Elektronik",
    "Evaluasi Kinerja Triwulan",
    "Pemutakhiran Data Kepegawaian",
    "Penanganan Pengaduan Masyarakat",
    "Penyampaian Laporan Realisasi Anggaran",
    "Peningkatan Kualitas Pelayanan Publik",
    "Pengadaan Barang dan Jasa",
    "Penyusunan Standar Operasional Prosedur",
    "Kesiapsiagaan Menghadapi Musim Penghujan",
    "Pembinaan Disiplin Aparatur Sipil Negara",
    "Pengelolaan Arsip Dinamis",
    "Peringatan Hari Jadi Kabupaten",
    "Sosialisasi Keterbukaan Informasi Publik",
    "Verifikasi Data Penerima Bantuan",
    "Rencana Aksi Pencegahan Korupsi",
    "Musyawarah Perencanaan Pembangunan",
    "Pemeliharaan Aset Daerah",
    "Pelatihan Teknis Aparatur",
    "Monitoring Kegiatan Fisik",
];
const PLACES: &[&str] = &[
    "Surabaya",
    "Jakarta",
    "Kecamatan Kapas",
    "Kecamatan Dander",
    "Kecamatan Kalitidu",
    "Kecamatan Padangan",
    "Malang",
    "Tuban",
];
const EXTERNAL: &[(&str, &str)] = &[
    ("Bupati Bojonegoro", "Bojonegoro"),
    ("Ketua DPRD Kabupaten Bojonegoro", "Bojonegoro"),
    ("Gubernur Jawa Timur", "Surabaya"),
    ("Kepala Kantor Kementerian Agama Kabupaten Bojonegoro", "Bojonegoro"),
    ("Camat Kapas", "Kapas"),
    ("Camat Dander", "Dander"),
    ("Kepala Desa Sukorejo", "Bojonegoro"),
    ("Direktur RSUD Dr. R. Sosodoro Djatikoesoemo", "Bojonegoro"),
    ("Kepala Badan Pusat Statistik Kabupaten Bojonegoro", "Bojonegoro"),
    ("Direktur PT Bank Jatim Cabang Bojonegoro", "Bojonegoro"),
];

// ---------------------------------------------------------------------------------------------
// The organisation as the letter generator needs it
// ---------------------------------------------------------------------------------------------

struct OpdData {
    id: String,
    name: String,
    short_name: String,
    code: String,
    /// What `Store::head_position` returns: the lowest id among level-1 positions.
    head_pos: Option<String>,
    superiors: HashMap<String, Option<String>>,
    level: HashMap<String, PositionLevel>,
    /// Non-root units with their inbox owner position (what `deliver` picks for a unit recipient).
    units: Vec<(String, String, String)>,
    people: Vec<usize>,
}

struct Person {
    id: String,
    opd: usize,
    pos: String,
    name: String,
}

struct Org {
    pemda_id: String,
    number_format: String,
    opds: Vec<OpdData>,
    people: Vec<Person>,
    /// Position -> first active holder by name (as `holders_of` orders them).
    holder: HashMap<String, String>,
    /// Employee id -> index in `people`.
    by_id: HashMap<String, usize>,
    /// Unit id -> (OPD index, inbox owner position); OPD id -> OPD index.
    unit_index: HashMap<String, (usize, String)>,
    opd_index: HashMap<String, usize>,
}

async fn load_org(store: &Store, pemda_id: &str) -> Result<Org> {
    let pemda = store.get_pemda(pemda_id).await?;
    let number_format = if pemda.number_format.is_empty() {
        DEFAULT_NUMBER_FORMAT.to_string()
    } else {
        pemda.number_format
    };
    let mut opds = Vec::new();
    let mut index = HashMap::new();
    for o in store.list_opds(pemda_id).await?.into_iter().filter(|o| o.active) {
        let units = store.list_units(&o.id).await?;
        let positions = store.list_positions(&o.id).await?;
        let superiors = store.superiors(&o.id).await?;
        let head_pos = positions
            .iter()
            .filter(|p| p.level == PositionLevel::KepalaOpd)
            .map(|p| p.id.clone())
            .min();
        let mut unit_owner: HashMap<&str, (PositionLevel, &str)> = HashMap::new();
        for p in &positions {
            let e = unit_owner.entry(p.unit_id.as_str()).or_insert((p.level, p.id.as_str()));
            if (p.level, p.id.as_str()) < *e {
                *e = (p.level, p.id.as_str());
            }
        }
        let unit_list = units
            .iter()
            .filter(|u| u.parent_id.is_some())
            .filter_map(|u| {
                unit_owner
                    .get(u.id.as_str())
                    .map(|(_, p)| (u.id.clone(), u.name.clone(), p.to_string()))
            })
            .collect();
        index.insert(o.id.clone(), opds.len());
        opds.push(OpdData {
            id: o.id,
            name: o.name,
            short_name: o.short_name,
            code: o.code,
            head_pos,
            superiors,
            level: positions.iter().map(|p| (p.id.clone(), p.level)).collect(),
            units: unit_list,
            people: Vec::new(),
        });
    }
    let rows = sqlx::query("SELECT id, opd_id, position_id, name FROM employee WHERE pemda_id = $1 AND active = 1 AND position_id IS NOT NULL ORDER BY name, id")
        .bind(pemda_id)
        .fetch_all(&store.pool)
        .await?;
    let mut people = Vec::new();
    let mut holder = HashMap::new();
    let mut by_id = HashMap::new();
    for r in rows {
        let opd_id: String = r.try_get("opd_id")?;
        let Some(&oi) = index.get(&opd_id) else { continue };
        let p = Person {
            id: r.try_get("id")?,
            opd: oi,
            pos: r.try_get("position_id")?,
            name: r.try_get("name")?,
        };
        holder.entry(p.pos.clone()).or_insert_with(|| p.id.clone());
        by_id.insert(p.id.clone(), people.len());
        opds[oi].people.push(people.len());
        people.push(p);
    }
    let unit_index = opds
        .iter()
        .enumerate()
        .flat_map(|(oi, o)| o.units.iter().map(move |u| (u.0.clone(), (oi, u.2.clone()))))
        .collect();
    Ok(Org {
        pemda_id: pemda_id.to_string(),
        number_format,
        opds,
        people,
        holder,
        by_id,
        unit_index,
        opd_index: index,
    })
}

// ---------------------------------------------------------------------------------------------
// Organisation generator
// ---------------------------------------------------------------------------------------------

fn person_name(rng: &mut StdRng, female: bool, head: bool) -> (String, String) {
    let first =
        if female { FEMALE.choose(rng) } else { MALE.choose(rng) }.copied().unwrap_or("Sri");
    let family = FAMILY.choose(rng).copied().unwrap_or("Santoso");
    let degree = if head { DEGREES_HEAD.choose(rng) } else { DEGREES_STAFF.choose(rng) }
        .copied()
        .unwrap_or("");
    let name = if degree.is_empty() {
        format!("{first} {family}")
    } else if degree == "Ir." {
        format!("Ir. {first} {family}")
    } else {
        format!("{first} {family}, {degree}")
    };
    (name, format!("{}.{}", first.to_lowercase(), family.to_lowercase()))
}

/// A valid, unique NIP: birth date, appointment year-month (between 22 and 30 years of age, not
/// in the future), sex digit and a serial. Older people sit higher.
fn new_nip(
    rng: &mut StdRng,
    level: PositionLevel,
    female: bool,
    year: u32,
    taken: &mut HashSet<String>,
) -> Result<String> {
    let (lo, hi) = match level {
        PositionLevel::KepalaOpd => (1966, 1975),
        PositionLevel::Sekretaris => (1968, 1978),
        PositionLevel::KepalaBidang => (1970, 1982),
        PositionLevel::KepalaSeksi => (1974, 1988),
        PositionLevel::Staf => (1975, 2001),
    };
    for _ in 0..1000 {
        let by: u32 = rng.gen_range(lo..=hi);
        let bm: u32 = rng.gen_range(1..=12);
        let bd: u32 = rng.gen_range(1..=domain::nip::days_in_month(by, bm));
        let ay = (by + rng.gen_range(22..=30)).min(year);
        let am: u32 = rng.gen_range(1..=12);
        let serial: u32 = rng.gen_range(1..=999);
        let nip =
            format!("{by:04}{bm:02}{bd:02}{ay:04}{am:02}{}{serial:03}", if female { 2 } else { 1 });
        Nip::parse(&nip, year)
            .map_err(|e| BackendError::caused(format!("generated NIP {nip}"), e))?;
        if taken.insert(nip.clone()) {
            return Ok(nip);
        }
    }
    Err(BackendError::internal("could not find a free NIP"))
}

struct OrgBulks {
    opd: Bulk,
    unit: Bulk,
    position: Bulk,
    employee: Bulk,
    account: Bulk,
    grant: Bulk,
}

struct OrgGen<'a> {
    rng: &'a mut StdRng,
    pemda_id: String,
    hash: String,
    now: i64,
    year: u32,
    nips: HashSet<String>,
    emails: HashSet<String>,
    b: OrgBulks,
    employees: usize,
}

impl OrgGen<'_> {
    fn unit(
        &mut self,
        opd: &str,
        parent: Option<&str>,
        name: &str,
        kind: &str,
        code: &str,
        sort: i64,
    ) -> String {
        let id = new_id();
        self.b.unit.push(vec![
            Val::T(id.clone()),
            Val::T(opd.into()),
            ot(parent.map(str::to_string)),
            Val::T(name.into()),
            Val::T(kind.into()),
            Val::T(code.into()),
            Val::I(sort),
            Val::I(self.now),
        ]);
        id
    }

    fn position(&mut self, opd: &str, unit: &str, title: &str, level: PositionLevel) -> String {
        let id = new_id();
        self.b.position.push(vec![
            Val::T(id.clone()),
            Val::T(opd.into()),
            Val::T(unit.into()),
            Val::T(title.into()),
            Val::I(level.code()),
            Val::I(self.now),
        ]);
        id
    }

    fn employee(&mut self, opd: &str, pos: &str, level: PositionLevel) -> Result<String> {
        let female = self.rng.gen_bool(0.45);
        let (name, handle) = person_name(self.rng, female, level.is_head());
        let nip = new_nip(self.rng, level, female, self.year, &mut self.nips)?;
        let mut email = format!("{handle}@bojonegorokab.go.id");
        let mut n = 1;
        while !self.emails.insert(email.clone()) {
            n += 1;
            email = format!("{handle}{n}@bojonegorokab.go.id");
        }
        let phone = format!(
            "08{}{:09}",
            self.rng.gen_range(11..=59),
            self.rng.gen_range(0..1_000_000_000u32)
        );
        let id = new_id();
        self.b.employee.push(vec![
            Val::T(id.clone()),
            Val::T(self.pemda_id.clone()),
            Val::T(opd.into()),
            Val::T(nip),
            Val::T(name),
            Val::T(email),
            Val::T(phone),
            Val::T(pos.into()),
            Val::I(1),
            Val::I(self.now),
            Val::I(self.now),
        ]);
        // One shared hash (of the demo password): argon2 per account would take an hour for 10k.
        self.b.account.push(vec![
            Val::T(id.clone()),
            Val::T(self.hash.clone()),
            Val::I(0),
            Val::I(0),
            Val::I(0),
            Val::T("id".into()),
            Val::I(self.now),
            Val::I(self.now),
        ]);
        self.employees += 1;
        Ok(id)
    }

    /// One OPD: Kepala; Sekretariat with two Subbagian; three Bidang with two Seksi each; staff in
    /// the eight Subbagian/Seksi. `size` is the head count of the OPD (at least the 13 heads).
    fn opd(&mut self, i: usize, size: usize) -> Result<()> {
        use PositionLevel::*;
        let (name, short, code) = OPDS[i % OPDS.len()];
        let id = new_id();
        let now = self.now;
        self.b.opd.push(vec![
            Val::T(id.clone()),
            Val::T(self.pemda_id.clone()),
            Val::T(name.into()),
            Val::T(short.into()),
            Val::T(code.into()),
            Val::T(format!("Jl. Panglima Sudirman No. {}, Bojonegoro 62111", 10 + i)),
            Val::T(format!("(0353) 88{:04}", 1000 + i * 37)),
            Val::T(format!("{}@bojonegorokab.go.id", short.to_lowercase().replace(' ', ""))),
            Val::T(format!("{}.bojonegorokab.go.id", short.to_lowercase().replace(' ', ""))),
            Val::I(1),
            Val::I(now),
        ]);
        let mut sort = 0;
        let mut next_sort = || {
            sort += 1;
            sort
        };
        let root = self.unit(&id, None, &format!("Pimpinan {short}"), "opd", code, 0);
        let head = self.position(&id, &root, &format!("Kepala {name}"), KepalaOpd);
        self.employee(&id, &head, KepalaOpd)?;
        let secretariat = self.unit(
            &id,
            Some(&root),
            "Sekretariat",
            "sekretariat",
            &format!("{code}.1"),
            next_sort(),
        );
        let sek_title = if name.starts_with("Badan") {
            "Sekretaris Badan"
        } else if name.starts_with("Satuan") {
            "Sekretaris Satuan"
        } else {
            "Sekretaris Dinas"
        };
        let sek = self.position(&id, &secretariat, sek_title, Sekretaris);
        self.employee(&id, &sek, Sekretaris)?;
        // Leaf units (Subbagian, Seksi) get the staff.
        let mut leaves: Vec<(String, String)> = Vec::new();
        for (k, sub) in
            ["Subbagian Umum dan Kepegawaian", "Subbagian Keuangan dan Program"].iter().enumerate()
        {
            let u = self.unit(
                &id,
                Some(&secretariat),
                sub,
                "subbagian",
                &format!("{code}.1.{}", k + 1),
                next_sort(),
            );
            let p = self.position(&id, &u, &format!("Kepala {sub}"), KepalaSeksi);
            self.employee(&id, &p, KepalaSeksi)?;
            leaves.push((u, sub.to_string()));
        }
        for b in 0..3 {
            let (bidang, s1, s2) = BIDANG[(i + b) % BIDANG.len()];
            let u = self.unit(
                &id,
                Some(&root),
                bidang,
                "bidang",
                &format!("{code}.{}", b + 2),
                next_sort(),
            );
            let p = self.position(&id, &u, &format!("Kepala {bidang}"), KepalaBidang);
            self.employee(&id, &p, KepalaBidang)?;
            for (k, seksi) in [s1, s2].iter().enumerate() {
                let su = self.unit(
                    &id,
                    Some(&u),
                    seksi,
                    "seksi",
                    &format!("{code}.{}.{}", b + 2, k + 1),
                    next_sort(),
                );
                let sp = self.position(&id, &su, &format!("Kepala {seksi}"), KepalaSeksi);
                self.employee(&id, &sp, KepalaSeksi)?;
                leaves.push((su, seksi.to_string()));
            }
        }
        // Four staff titles per leaf unit; the first of Subbagian Umum keeps the mail register (TU).
        let mut titles: Vec<Vec<String>> = Vec::new();
        for (li, (u, _)) in leaves.iter().enumerate() {
            let mut t = Vec::new();
            for k in 0..4 {
                let title = if li == 0 && k == 0 {
                    "Pengadministrasi Persuratan"
                } else {
                    STAFF_TITLES[(li * 4 + k + i) % STAFF_TITLES.len()]
                };
                t.push(self.position(&id, u, title, Staf));
            }
            titles.push(t);
        }
        let staff = size.saturating_sub(13);
        for s in 0..staff {
            let li = s % leaves.len();
            let pos = titles[li][(s / leaves.len()) % 4].clone();
            let eid = self.employee(&id, &pos, Staf)?;
            if s == 0 {
                self.b.grant.push(vec![
                    Val::T(eid),
                    Val::T(Role::Tu.code().into()),
                    Val::T(id.clone()),
                    Val::I(now),
                ]);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Letter generator
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Signed,
    Sent,
    /// Review at the given step (None: any step of the chain).
    Review(Option<usize>),
    Signing,
    Draft,
    Returned,
}

struct Plan {
    drafter: usize,
    signer: Option<String>,
    target: Target,
    /// updated_ms; created_ms lies before it.
    at: i64,
}

struct LetterBulks {
    letter: Bulk,
    version: Bulk,
    incoming: Bulk,
    inbox: Bulk,
}

impl LetterBulks {
    async fn flush(&mut self, tx: &mut WriteTx, all: bool) -> Result<()> {
        // Parents first: a version, incoming letter or inbox entry never precedes its parent row.
        self.letter.flush(tx, all).await?;
        let n = self.version.ready(self.letter.written);
        self.version.flush_ready(tx, n, all).await?;
        let n = self.incoming.ready(self.letter.written);
        self.incoming.flush_ready(tx, n, all).await?;
        let n = self.inbox.ready(self.incoming.written);
        self.inbox.flush_ready(tx, n, all).await?;
        Ok(())
    }
}

struct Hot {
    /// Eko's unit and the inbox key of his position; his staff.
    kasi_unit: Option<(String, String, String)>,
    kasi_employee: Option<usize>,
    kasi_staff: Vec<usize>,
    kepala_opd: Option<usize>,
}

struct LetterGen<'a> {
    rng: StdRng,
    org: &'a Org,
    now: i64,
    b: LetterBulks,
    /// (opd id, kind, year) -> last value, continued from number_sequence.
    seq: HashMap<(String, &'static str, i64), i64>,
    hot: Hot,
    waiting: usize,
}

impl LetterGen<'_> {
    fn pick_kind(&mut self) -> LetterKind {
        let r: f64 = self.rng.r#gen();
        match r {
            x if x < 0.42 => LetterKind::SuratDinas,
            x if x < 0.62 => LetterKind::NotaDinas,
            x if x < 0.78 => LetterKind::SuratUndangan,
            x if x < 0.88 => LetterKind::SuratTugas,
            x if x < 0.93 => LetterKind::SuratKeterangan,
            x if x < 0.97 => LetterKind::SuratEdaran,
            _ => LetterKind::Pengumuman,
        }
    }

    fn subject(&mut self, kind: LetterKind) -> String {
        let topic = TOPICS.choose(&mut self.rng).copied().unwrap_or("Koordinasi");
        let n = self.rng.gen_range(0..4);
        match kind {
            LetterKind::SuratUndangan => {
                [
                    "Undangan Rapat Koordinasi",
                    "Undangan Sosialisasi",
                    "Undangan Bimbingan Teknis",
                    "Undangan Rapat Pembahasan",
                ][n]
                    .to_string()
                    + " "
                    + topic
            }
            LetterKind::SuratTugas => format!(
                "Surat Tugas Perjalanan Dinas ke {}",
                PLACES.choose(&mut self.rng).copied().unwrap_or("Surabaya")
            ),
            LetterKind::NotaDinas => {
                ["Laporan", "Usulan", "Telaahan Staf tentang", "Permohonan Persetujuan"][n]
                    .to_string()
                    + " "
                    + topic
            }
            LetterKind::SuratEdaran => format!("Edaran tentang {topic}"),
            LetterKind::Pengumuman => format!("Pengumuman {topic}"),
            LetterKind::SuratKeterangan => "Keterangan Aktif Bekerja".to_string(),
            LetterKind::SuratDinas => {
                ["Permohonan Data", "Penyampaian", "Pemberitahuan", "Permohonan Narasumber"][n]
                    .to_string()
                    + " "
                    + topic
            }
        }
    }

    /// Who signs: the head for most letters (always for Edaran/Pengumuman); otherwise sometimes the
    /// Sekretaris or Kepala Bidang above the drafter, "a.n." the head.
    fn pick_signer(&mut self, o: &OpdData, drafter_pos: &str, kind: LetterKind) -> Option<String> {
        let head = o.head_pos.clone()?;
        if kind.allows_on_behalf() && self.rng.gen_bool(0.25) {
            let mut cur = o.superiors.get(drafter_pos).cloned().flatten();
            while let Some(p) = cur {
                if matches!(
                    o.level.get(&p),
                    Some(PositionLevel::Sekretaris | PositionLevel::KepalaBidang)
                ) {
                    return Some(p);
                }
                cur = o.superiors.get(&p).cloned().flatten();
            }
        }
        Some(head)
    }

    fn recipient(&mut self, role: RecipientRole, own: usize) -> Recipient {
        let org = self.org;
        let r: f64 = self.rng.r#gen();
        let ext = |rng: &mut StdRng| {
            let (n, a) =
                EXTERNAL.choose(rng).copied().unwrap_or(("Bupati Bojonegoro", "Bojonegoro"));
            Recipient {
                role,
                target_type: TargetType::External,
                target_id: None,
                name: n.into(),
                address: a.into(),
            }
        };
        if r < 0.35 {
            // Another OPD (its head's inbox).
            let mut oi = self.rng.gen_range(0..org.opds.len());
            if oi == own && org.opds.len() > 1 {
                oi = (oi + 1) % org.opds.len();
            }
            let o = &org.opds[oi];
            if o.head_pos.is_none() {
                return ext(&mut self.rng);
            }
            return Recipient {
                role,
                target_type: TargetType::Opd,
                target_id: Some(o.id.clone()),
                name: format!("Kepala {}", o.short_name),
                address: String::new(),
            };
        }
        if r < 0.45 {
            // A unit; the demo Kasi's seksi is a popular addressee (it runs the e-government services).
            let pick = match &self.hot.kasi_unit {
                Some((uid, uname, _)) if self.rng.gen_bool(0.03) => {
                    Some((uid.clone(), uname.clone(), org.unit_index.get(uid).map(|x| x.0)))
                }
                _ => None,
            };
            let (uid, uname, oi) = match pick {
                Some((u, n, Some(oi))) => (u, n, oi),
                _ => {
                    let oi = self.rng.gen_range(0..org.opds.len());
                    match org.opds[oi].units.choose(&mut self.rng) {
                        Some(u) => (u.0.clone(), u.1.clone(), oi),
                        None => return ext(&mut self.rng),
                    }
                }
            };
            let short = &org.opds[oi].short_name;
            return Recipient {
                role,
                target_type: TargetType::Unit,
                target_id: Some(uid),
                name: format!("Kepala {uname} {short}"),
                address: String::new(),
            };
        }
        if r < 0.50 {
            let pi = match self.hot.kasi_employee {
                Some(k) if self.rng.gen_bool(0.03) => k,
                _ => self.rng.gen_range(0..org.people.len()),
            };
            let p = &org.people[pi];
            return Recipient {
                role,
                target_type: TargetType::Employee,
                target_id: Some(p.id.clone()),
                name: p.name.clone(),
                address: String::new(),
            };
        }
        ext(&mut self.rng)
    }

    fn next(&mut self, opd: &str, kind: &'static str, year: i64) -> i64 {
        let v = self.seq.entry((opd.to_string(), kind, year)).or_insert(0);
        *v += 1;
        *v
    }

    fn letter(&mut self, plan: Plan) {
        let org = self.org;
        let p = &org.people[plan.drafter];
        let o = &org.opds[p.opd];
        let Some(head) = o.head_pos.clone() else { return };
        let kind = self.pick_kind();
        let subject = self.subject(kind);
        let mut signer = plan
            .signer
            .clone()
            .or_else(|| self.pick_signer(o, &p.pos, kind))
            .unwrap_or_else(|| head.clone());
        let chain = match derive_chain(&o.superiors, &p.pos, &signer) {
            Ok(c) => c,
            Err(_) => {
                signer = head.clone();
                derive_chain(&o.superiors, &p.pos, &signer).unwrap_or_default()
            }
        };
        let target = match plan.target {
            Target::Review(_) if chain.is_empty() => Target::Signing,
            t => t,
        };
        let (state, step, waiting) = match target {
            Target::Signed => ("signed", -1, None),
            Target::Sent => ("sent", -1, None),
            Target::Review(s) => {
                let s =
                    s.unwrap_or_else(|| self.rng.gen_range(0..chain.len())).min(chain.len() - 1);
                ("review", s as i64, Some(chain[s].clone()))
            }
            Target::Signing => ("signing", -1, Some(signer.clone())),
            Target::Draft => ("draft", -1, None),
            Target::Returned => ("returned", self.rng.gen_range(0..=chain.len()) as i64, None),
        };
        if waiting.is_some() {
            self.waiting += 1;
        }
        let submitted = target != Target::Draft;
        let sign_mode = match (submitted, o.level.get(&signer)) {
            (false, _) => "",
            (true, Some(PositionLevel::KepalaOpd)) => "head",
            _ => "an",
        };
        let sifat = match self.rng.r#gen::<f64>() {
            x if x < 0.85 => Sifat::Biasa,
            x if x < 0.95 => Sifat::Terbatas,
            x if x < 0.99 => Sifat::Rahasia,
            _ => Sifat::SangatRahasia,
        };
        let urgency = match self.rng.r#gen::<f64>() {
            x if x < 0.75 => Urgency::Biasa,
            x if x < 0.95 => Urgency::Segera,
            _ => Urgency::SangatSegera,
        };
        let klasifikasi =
            backend::seed::KLASIFIKASI.choose(&mut self.rng).map(|k| k.0).unwrap_or("000");
        let attachments = if self.rng.gen_bool(0.3) { self.rng.gen_range(1..=3) } else { 0 };
        let mut recipients = vec![self.recipient(RecipientRole::To, p.opd)];
        if self.rng.gen_bool(0.15) {
            recipients.push(self.recipient(RecipientRole::To, p.opd));
        }
        if self.rng.gen_bool(0.3) {
            recipients.push(self.recipient(RecipientRole::Cc, p.opd));
        }
        let recipients_text = recipients
            .iter()
            .filter(|r| r.role == RecipientRole::To)
            .map(|r| r.name.trim().to_lowercase())
            .collect::<Vec<_>>()
            .join("; ");
        let updated = plan.at.min(self.now);
        let created = updated - self.rng.gen_range(600_000..8 * DAY_MS);
        let final_state = matches!(target, Target::Signed | Target::Sent);
        // Signed at `at`; a Sent letter was marked sent up to two days later.
        let signed_ms = final_state.then_some(updated);
        let updated = if target == Target::Sent {
            (updated + self.rng.gen_range(3_600_000..2 * DAY_MS)).min(self.now)
        } else {
            updated
        };
        let (number, number_seq, number_year, signed_by) = match signed_ms {
            Some(t) => {
                let year = domain::time::wib_year(t) as i64;
                let month = domain::time::civil_from_days(domain::time::wib_day(t)).1;
                let seq = self.next(&o.id, "surat", year);
                let n = format_number(&org.number_format, klasifikasi, seq, &o.code, year, month);
                (
                    Some(n),
                    Some(seq),
                    Some(year),
                    Some(org.holder.get(&signer).cloned().unwrap_or_else(|| p.id.clone())),
                )
            }
            None => (None, None, None, None),
        };
        let body = LetterBody::from_plain(&format!(
            "Sehubungan dengan {}, bersama ini kami sampaikan hal-hal sebagai berikut untuk menjadi perhatian dan tindak lanjut Saudara.\n\n\
             Demikian untuk menjadi maklum, atas perhatian dan kerja samanya disampaikan terima kasih.",
            subject.to_lowercase()
        ));
        let draft = LetterDraft {
            kind,
            klasifikasi: klasifikasi.into(),
            sifat,
            urgency,
            subject: subject.clone(),
            attachment_count: attachments,
            signer_position_id: if signer == head { None } else { Some(signer.clone()) },
            co_signer_position_id: None,
            recipients,
            body,
            reply_to_incoming_id: None,
        };
        let id = new_id();
        let row = self.b.letter.push(vec![
            Val::T(id.clone()),
            Val::T(org.pemda_id.clone()),
            Val::T(o.id.clone()),
            Val::T(kind.code().into()),
            Val::T(klasifikasi.into()),
            Val::T(sifat.code().into()),
            Val::T(urgency.code().into()),
            Val::T(subject.clone()),
            Val::I(attachments),
            Val::T(p.id.clone()),
            Val::T(p.pos.clone()),
            Val::T(signer.clone()),
            Val::T(sign_mode.into()),
            // The chain is frozen at submission; a draft never submitted has none yet.
            Val::T(if submitted { chain.join(",") } else { String::new() }),
            Val::T(state.into()),
            Val::I(step),
            ot(waiting),
            Val::I(1),
            ot(number.clone()),
            oint(number_seq),
            oint(number_year),
            oint(signed_ms),
            ot(signed_by),
            Val::I(created),
            Val::I(updated),
            Val::T(recipients_text),
        ]);
        let content = serde_json::to_string(&draft).unwrap_or_default();
        self.b.version.push_child(
            vec![
                Val::T(id.clone()),
                Val::I(1),
                Val::T(new_id()),
                Val::I(0),
                Val::T(p.id.clone()),
                Val::T(content),
                Val::I(0),
                Val::I(created),
            ],
            row,
        );
        if let (Some(t), Some(n)) = (signed_ms, number) {
            self.deliver(&id, row, p.opd, &draft, &n, t);
        }
    }

    /// Same targets and rows as `Store::deliver`: one incoming letter per receiving OPD with its
    /// own agenda number, one inbox entry per owner key ("to" wins over "cc").
    fn deliver(
        &mut self,
        letter_id: &str,
        letter_row: usize,
        sender: usize,
        draft: &LetterDraft,
        number: &str,
        at: i64,
    ) {
        let org = self.org;
        let mut targets: BTreeMap<usize, BTreeMap<String, RecipientRole>> = BTreeMap::new();
        for r in &draft.recipients {
            let Some(target) = r.target_id.as_deref() else { continue };
            let (oi, key) = match r.target_type {
                TargetType::Employee => match org.by_id.get(target) {
                    Some(&pi) => (org.people[pi].opd, format!("e:{target}")),
                    None => continue,
                },
                TargetType::Unit => match org.unit_index.get(target) {
                    Some((oi, pos)) => (*oi, format!("p:{pos}")),
                    None => continue,
                },
                TargetType::Opd => match org.opd_index.get(target) {
                    Some(&oi) => match &org.opds[oi].head_pos {
                        Some(h) => (oi, format!("p:{h}")),
                        None => continue,
                    },
                    None => continue,
                },
                _ => continue,
            };
            let roles = targets.entry(oi).or_default();
            let role = roles.entry(key).or_insert(r.role);
            if r.role == RecipientRole::To {
                *role = RecipientRole::To;
            }
        }
        let year = domain::time::wib_year(at) as i64;
        let day = domain::time::wib_day(at);
        let so = &org.opds[sender];
        for (oi, owners) in targets {
            let o = &org.opds[oi];
            let seq = self.next(&o.id, "agenda", year);
            let incoming = new_id();
            let incoming_row = self.b.incoming.push_child(
                vec![
                    Val::T(incoming.clone()),
                    Val::T(org.pemda_id.clone()),
                    Val::T(o.id.clone()),
                    Val::T("internal".into()),
                    Val::T(letter_id.into()),
                    Val::I(seq),
                    Val::I(year),
                    Val::I(at),
                    Val::T(so.name.clone()),
                    Val::T(so.id.clone()),
                    Val::T(number.into()),
                    Val::I(day),
                    Val::T(draft.sifat.code().into()),
                    Val::T(draft.urgency.code().into()),
                    Val::I(draft.attachment_count),
                    Val::T(draft.subject.clone()),
                    Val::T(String::new()),
                    Val::T(draft.klasifikasi.clone()),
                    Val::NT,
                    Val::I(at),
                ],
                letter_row,
            );
            for (key, role) in owners {
                // Older mail has almost all been opened; the last two weeks much less.
                let p_read = if self.now - at > 14 * DAY_MS { 0.95 } else { 0.4 };
                let (read_ms, read_by) = if self.rng.gen_bool(p_read) {
                    let reader = match key.split_once(':') {
                        Some(("e", id)) => Some(id.to_string()),
                        Some((_, pos)) => org.holder.get(pos).cloned(),
                        None => None,
                    };
                    match reader {
                        Some(r) => (
                            Some((at + self.rng.gen_range(60_000..3 * DAY_MS)).min(self.now)),
                            Some(r),
                        ),
                        None => (None, None),
                    }
                } else {
                    (None, None)
                };
                self.b.inbox.push_child(
                    vec![
                        Val::T(new_id()),
                        Val::T(incoming.clone()),
                        Val::T(key),
                        Val::T(role.code().into()),
                        Val::T(draft.subject.clone()),
                        Val::T(so.name.clone()),
                        Val::T(draft.sifat.code().into()),
                        Val::T(draft.urgency.code().into()),
                        Val::T(number.into()),
                        oint(read_ms),
                        ot(read_by),
                        Val::I(at),
                    ],
                    incoming_row,
                );
            }
        }
    }
}

const LETTER_COLS: &[&str] = &[
    "id",
    "pemda_id",
    "opd_id",
    "kind",
    "klasifikasi",
    "sifat",
    "urgency",
    "subject",
    "attachment_count",
    "drafter_id",
    "drafter_position_id",
    "signer_position_id",
    "sign_mode",
    "chain",
    "state",
    "step",
    "waiting_position_id",
    "version",
    "number",
    "number_seq",
    "number_year",
    "signed_ms",
    "signed_by",
    "created_ms",
    "updated_ms",
    "recipients_text",
];
const VERSION_COLS: &[&str] = &[
    "letter_id",
    "version",
    "client_id",
    "base_version",
    "author_id",
    "content",
    "conflict",
    "created_ms",
];
const INCOMING_COLS: &[&str] = &[
    "id",
    "pemda_id",
    "opd_id",
    "source",
    "outgoing_letter_id",
    "agenda_seq",
    "agenda_year",
    "received_ms",
    "sender_name",
    "sender_opd_id",
    "letter_number",
    "letter_day",
    "sifat",
    "urgency",
    "attachment_count",
    "subject",
    "summary",
    "klasifikasi",
    "registered_by",
    "created_ms",
];
const INBOX_COLS: &[&str] = &[
    "id",
    "incoming_id",
    "owner_key",
    "role",
    "subject",
    "sender_name",
    "sifat",
    "urgency",
    "letter_number",
    "read_ms",
    "read_by",
    "created_ms",
];

/// A write transaction with a page cache big enough for the random-key B-trees this writes
/// (the default 2 MB makes SQLite re-read index pages from disk for almost every row).
async fn begin_bulk(store: &Store) -> Result<WriteTx> {
    let mut tx = store.begin_write().await?;
    if tx.kind() == DbKind::Sqlite {
        sqlx::query("PRAGMA cache_size = -524288").execute(tx.conn()).await?;
    }
    Ok(tx)
}

/// Generates the organisation and letters (see the module documentation). `employees` is the
/// wanted total in the Pemda (demo people included), `letters` the number of letters added.
pub async fn seed_scale(
    store: &Store,
    employees: usize,
    letters: usize,
    progress: impl Fn(&str),
) -> Result<ScaleReport> {
    if store.count_pemda().await? == 0 {
        progress("Seeding the demo Pemda first");
        backend::seed::seed_demo(store).await?;
    }
    let pemda_id: String = sqlx::query("SELECT id FROM pemda ORDER BY created_ms, id LIMIT 1")
        .fetch_one(&store.pool)
        .await?
        .try_get("id")?;
    let taken: i64 = sqlx::query("SELECT COUNT(*) AS n FROM opd WHERE pemda_id = $1 AND name = $2")
        .bind(&pemda_id)
        .bind(OPDS[0].0)
        .fetch_one(&store.pool)
        .await?
        .try_get("n")?;
    if taken > 0 {
        return Err(BackendError::Conflict(
            "This database already holds scale data; use a fresh data folder.".into(),
        ));
    }
    let mut report = ScaleReport::default();
    // Deterministic: two runs give the same organisation and the same letter mix (ids differ).
    let mut rng = StdRng::seed_from_u64(20_260_101);
    let now = now_ms();

    // ---- Organisation ----
    let t0 = Instant::now();
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM employee WHERE pemda_id = $1")
        .bind(&pemda_id)
        .fetch_one(&store.pool)
        .await?
        .try_get("n")?;
    let extra = employees.saturating_sub(existing as usize);
    let n_opds =
        if extra < 13 { 0 } else { extra.div_ceil(TARGET_OPD_SIZE).clamp(1, MAX_NEW_OPDS) };
    progress(&format!(
        "Organisation: {n_opds} OPDs with {extra} employees (the Pemda has {existing})"
    ));
    let hash = auth::hash_password(backend::seed::DEMO_PASSWORD).await?;
    let mut nips = HashSet::new();
    let mut emails = HashSet::new();
    for r in sqlx::query("SELECT nip, email FROM employee").fetch_all(&store.pool).await? {
        nips.insert(r.try_get::<String, _>("nip")?);
        if let Some(e) = r.try_get::<Option<String>, _>("email")? {
            emails.insert(e);
        }
    }
    let mut og = OrgGen {
        rng: &mut rng,
        pemda_id: pemda_id.clone(),
        hash,
        now,
        year: domain::time::wib_year(now),
        nips,
        emails,
        b: OrgBulks {
            opd: Bulk::new(
                "opd",
                &[
                    "id",
                    "pemda_id",
                    "name",
                    "short_name",
                    "code",
                    "address",
                    "phone",
                    "email",
                    "website",
                    "active",
                    "created_ms",
                ],
            ),
            unit: Bulk::new(
                "unit",
                &["id", "opd_id", "parent_id", "name", "kind", "code", "sort_order", "created_ms"],
            ),
            position: Bulk::new(
                "position",
                &["id", "opd_id", "unit_id", "title", "level", "created_ms"],
            ),
            employee: Bulk::new(
                "employee",
                &[
                    "id",
                    "pemda_id",
                    "opd_id",
                    "nip",
                    "name",
                    "email",
                    "phone",
                    "position_id",
                    "active",
                    "created_ms",
                    "updated_ms",
                ],
            ),
            account: Bulk::new(
                "account",
                &[
                    "employee_id",
                    "password_hash",
                    "must_change",
                    "failed_count",
                    "locked_until_ms",
                    "lang",
                    "created_ms",
                    "password_changed_ms",
                ],
            ),
            grant: Bulk::new("role_grant", &["employee_id", "role", "scope_id", "created_ms"]),
        },
        employees: 0,
    };
    for i in 0..n_opds {
        let size = extra / n_opds + usize::from(i < extra % n_opds);
        og.opd(i, size.max(13))?;
    }
    {
        let mut tx = begin_bulk(store).await?;
        let b = &mut og.b;
        b.opd.flush(&mut tx, true).await?;
        b.unit.flush(&mut tx, true).await?;
        b.position.flush(&mut tx, true).await?;
        b.employee.flush(&mut tx, true).await?;
        b.account.flush(&mut tx, true).await?;
        b.grant.flush(&mut tx, true).await?;
        // Each generated OPD has one level-1 and at most one level-2 position: its head and Sekretaris.
        for (column, level) in [("head_position_id", 1), ("secretary_position_id", 2)] {
            sqlx::query(&format!(
                "UPDATE opd SET {column} = (SELECT p.id FROM position p WHERE p.opd_id = opd.id AND p.level = {level} ORDER BY p.id LIMIT 1) \
                 WHERE pemda_id = $1 AND {column} IS NULL"
            ))
            .bind(&og.pemda_id)
            .execute(tx.conn())
            .await?;
        }
        // One audit entry for the whole generation, so the audit log tells how the data came to be.
        tx.audit(
            &backend::Actor::system(),
            "seed.scale",
            "pemda",
            Some(&pemda_id),
            json!({ "opds": n_opds, "employees": og.employees, "letters": letters }),
        )
        .await?;
        tx.commit().await?;
    }
    report.new_opds = n_opds;
    report.new_employees = og.employees;
    report.total_employees = sqlx::query("SELECT COUNT(*) AS n FROM employee WHERE pemda_id = $1")
        .bind(&pemda_id)
        .fetch_one(&store.pool)
        .await?
        .try_get("n")?;
    report.org_seconds = t0.elapsed().as_secs_f64();
    progress(&format!(
        "Organisation done: {} employees in the Pemda ({:.1} s)",
        report.total_employees, report.org_seconds
    ));

    // ---- Letters ----
    let t1 = Instant::now();
    let org = load_org(store, &pemda_id).await?;
    if org.people.is_empty() {
        return Err(BackendError::internal("no employees with a position to draft letters"));
    }
    let mut seq = HashMap::new();
    for r in sqlx::query("SELECT opd_id, kind, year, last_value FROM number_sequence")
        .fetch_all(&store.pool)
        .await?
    {
        let kind: String = r.try_get("kind")?;
        let kind: &'static str = match kind.as_str() {
            "surat" => "surat",
            "agenda" => "agenda",
            _ => continue,
        };
        seq.insert(
            (r.try_get::<String, _>("opd_id")?, kind, r.try_get::<i64, _>("year")?),
            r.try_get::<i64, _>("last_value")?,
        );
    }
    // The demo accounts that must feel the load: the Kepala Dinas Kominfo and a Kasi.
    let kepala = employee_index(store, &org, "bambang.sutrisno@bojonegorokab.go.id").await?;
    let kasi = employee_index(store, &org, "eko.saputro@bojonegorokab.go.id").await?;
    let mut hot = Hot {
        kasi_unit: None,
        kasi_employee: kasi,
        kasi_staff: vec![],
        kepala_opd: kepala.map(|k| org.people[k].opd),
    };
    if let Some(k) = kasi {
        let kp = &org.people[k];
        let o = &org.opds[kp.opd];
        if let Some(u) = o.units.iter().find(|u| u.2 == kp.pos) {
            hot.kasi_unit = Some(u.clone());
        }
        // Staff whose direct superior is the Kasi: their letters stop at the Kasi first.
        hot.kasi_staff = o
            .people
            .iter()
            .copied()
            .filter(|&pi| {
                o.superiors.get(&org.people[pi].pos).cloned().flatten().as_deref()
                    == Some(kp.pos.as_str())
            })
            .collect();
    }
    // A few hundred letters waiting for each demo account, on top of their share of the mix.
    let forced_each = (letters * 3 / 10_000).min(letters / 4);
    let forced_kasi = if hot.kasi_staff.is_empty() { 0 } else { forced_each };
    let forced_kepala = if hot.kepala_opd.is_some() { forced_each } else { 0 };
    let mass = letters - forced_kasi - forced_kepala;
    let mut g = LetterGen {
        rng: StdRng::seed_from_u64(20_260_102),
        org: &org,
        now,
        b: LetterBulks {
            letter: Bulk::new("letter", LETTER_COLS),
            version: Bulk::new("letter_version", VERSION_COLS),
            incoming: Bulk::new("incoming_letter", INCOMING_COLS),
            inbox: Bulk::new("inbox_entry", INBOX_COLS),
        },
        seq,
        hot,
        waiting: 0,
    };
    // Finished letters are spread evenly over the last two years in generation order, so numbers and
    // agenda numbers grow with time; open ones are recent (a letter rarely waits for weeks).
    let span = 730 * DAY_MS;
    let start = now - span;
    let mut done = 0usize;
    let mut tx = begin_bulk(store).await?;
    let kominfo_people: Vec<usize> = g
        .hot
        .kepala_opd
        .map(|oi| org.opds[oi].people.iter().copied().filter(|&pi| Some(pi) != kepala).collect())
        .unwrap_or_default();
    let kepala_pos = kepala.map(|k| org.people[k].pos.clone());
    for i in 0..letters {
        let plan = if i < mass {
            let drafter = g.rng.gen_range(0..org.people.len());
            let r: f64 = g.rng.r#gen();
            let recent = now - g.rng.gen_range(0..45 * DAY_MS);
            let slot = start + ((i as i128 * span as i128) / mass.max(1) as i128) as i64;
            let (target, at) = match r {
                x if x < 0.60 => (Target::Signed, slot),
                x if x < 0.80 => (Target::Sent, slot),
                x if x < 0.86 => (Target::Review(None), recent),
                x if x < 0.90 => (Target::Signing, recent),
                // Half the drafts are being written now, half were abandoned long ago.
                x if x < 0.97 => (Target::Draft, if g.rng.gen_bool(0.5) { slot } else { recent }),
                _ => (Target::Returned, recent),
            };
            Plan { drafter, signer: None, target, at }
        } else if i < mass + forced_kasi {
            let drafter = *g.hot.kasi_staff.choose(&mut g.rng).unwrap_or(&0);
            Plan {
                drafter,
                signer: None,
                target: Target::Review(Some(0)),
                at: now - g.rng.gen_range(0..30 * DAY_MS),
            }
        } else {
            let drafter = *kominfo_people.choose(&mut g.rng).unwrap_or(&0);
            Plan {
                drafter,
                signer: kepala_pos.clone(),
                target: Target::Signing,
                at: now - g.rng.gen_range(0..30 * DAY_MS),
            }
        };
        g.letter(plan);
        if g.b.letter.pending() >= FLUSH_LETTERS {
            g.b.flush(&mut tx, false).await?;
        }
        done += 1;
        if done.is_multiple_of(LETTERS_PER_TX) || done == letters {
            g.b.flush(&mut tx, true).await?;
            tx.commit().await?;
            let secs = t1.elapsed().as_secs_f64();
            progress(&format!(
                "letters {done}/{letters}  (incoming {}, inbox entries {})  {:.0} s, {:.0} letters/s",
                g.b.incoming.written,
                g.b.inbox.written,
                secs,
                done as f64 / secs.max(0.001)
            ));
            tx = begin_bulk(store).await?;
        }
    }
    // Continue the number and agenda sequences after the generated ones, or the next real signing
    // would reuse a number and fail on the unique index.
    let mut rows: Vec<_> = g.seq.iter().collect();
    rows.sort();
    for ((opd, kind, year), last) in rows {
        sqlx::query(
            "INSERT INTO number_sequence (opd_id, kind, year, last_value) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (opd_id, kind, year) DO UPDATE SET last_value = excluded.last_value",
        )
        .bind(opd)
        .bind(*kind)
        .bind(*year)
        .bind(*last)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    report.letters = g.b.letter.written;
    report.waiting = g.waiting;
    report.incoming = g.b.incoming.written;
    report.inbox_entries = g.b.inbox.written;
    report.letter_seconds = t1.elapsed().as_secs_f64();

    // ---- Statistics for the query planner ----
    let t2 = Instant::now();
    progress("Counters (Perlu Paraf queues, Kotak Masuk totals)");
    store.rebuild_counters().await?;
    progress("ANALYZE (planner statistics)");
    sqlx::query("ANALYZE").execute(&store.pool).await?;
    if store.kind() == DbKind::Sqlite {
        // Fold the WAL back into the database file, so its size on disk is the real size.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&store.pool).await?;
    }
    report.analyze_seconds = t2.elapsed().as_secs_f64();

    for email in ["bambang.sutrisno@bojonegorokab.go.id", "eko.saputro@bojonegorokab.go.id"] {
        if let Some(i) = employee_index(store, &org, email).await? {
            let p = &org.people[i];
            let waiting: i64 =
                sqlx::query("SELECT COUNT(*) AS n FROM letter WHERE waiting_position_id = $1")
                    .bind(&p.pos)
                    .fetch_one(&store.pool)
                    .await?
                    .try_get("n")?;
            let keys = [format!("e:{}", p.id), format!("p:{}", p.pos)];
            let r = sqlx::query("SELECT COUNT(*) AS n, SUM(CASE WHEN read_ms IS NULL THEN 1 ELSE 0 END) AS u FROM inbox_entry WHERE owner_key IN ($1, $2)")
                .bind(&keys[0])
                .bind(&keys[1])
                .fetch_one(&store.pool)
                .await?;
            report.demo_load.push((
                email.to_string(),
                waiting,
                r.try_get("n")?,
                r.try_get::<Option<i64>, _>("u")?.unwrap_or(0),
            ));
        }
    }
    Ok(report)
}

async fn employee_index(store: &Store, org: &Org, email: &str) -> Result<Option<usize>> {
    Ok(store.find_employee_by_email(email).await?.and_then(|e| org.by_id.get(&e.id).copied()))
}

#[cfg(test)]
mod fast_read_tests;

// ---------------------------------------------------------------------------------------------
// e-Kinerja: a month of activities and attendance for everyone
// ---------------------------------------------------------------------------------------------

/// Adds a month of e-Kinerja data for every active employee of the first Pemda: `per_person`
/// activities (four in five automatic from e-Office work, the rest logged by hand; most approved,
/// some waiting or rejected) over the month's working days, and one attendance row per working
/// day (mostly on time, some late or leaving early, a few absent or on leave). Returns the number
/// of activities and attendance rows written.
pub async fn seed_kinerja_month(
    store: &Store,
    month: i64,
    per_person: usize,
    progress: impl Fn(&str),
) -> Result<(usize, usize)> {
    let days = domain::activity::working_days(month, &[], i64::MAX);
    if days.is_empty() {
        return Err(BackendError::Invalid("Bulan tidak valid.".into()));
    }
    let people = sqlx::query(
        "SELECT e.id, e.pemda_id, e.opd_id, e.position_id FROM employee e WHERE e.active = 1 AND e.position_id IS NOT NULL ORDER BY e.id",
    )
    .fetch_all(&store.pool)
    .await?;
    progress(&format!(
        "e-Kinerja: {} people, {per_person} activities each, {} working days",
        people.len(),
        days.len()
    ));
    let mut rng = StdRng::seed_from_u64(20_261_201);
    let now = now_ms();
    let mut acts = Bulk::new(
        "activity",
        &[
            "id",
            "pemda_id",
            "opd_id",
            "employee_id",
            "position_id",
            "day",
            "month",
            "source",
            "work_kind",
            "description",
            "quantity",
            "unit",
            "minutes",
            "status",
            "created_ms",
            "at_ms",
        ],
    );
    let mut att = Bulk::new(
        "attendance",
        &["employee_id", "day", "opd_id", "check_in", "check_out", "status"],
    );
    let kinds = domain::kinerja::WorkKind::ALL;
    let (mut n_acts, mut n_att) = (0, 0);
    let mut tx = begin_bulk(store).await?;
    for (i, r) in people.iter().enumerate() {
        let (id, pemda, opd, pos): (String, String, String, String) = (
            r.try_get("id")?,
            r.try_get("pemda_id")?,
            r.try_get("opd_id")?,
            r.try_get("position_id")?,
        );
        for k in 0..per_person {
            let day = days[k % days.len()];
            let auto = rng.gen_range(0..5) != 0;
            let kind = kinds[rng.gen_range(0..kinds.len())];
            let status = match rng.gen_range(0..20) {
                0 => "rejected",
                1..=2 => "pending",
                _ => "approved",
            };
            acts.push(vec![
                Val::T(new_id()),
                Val::T(pemda.clone()),
                Val::T(opd.clone()),
                Val::T(id.clone()),
                Val::T(pos.clone()),
                Val::I(day),
                Val::I(month),
                Val::T(if auto { "auto" } else { "manual" }.into()),
                if auto { Val::T(kind.code().into()) } else { Val::NT },
                Val::T(if auto { String::new() } else { "Menyusun laporan kegiatan".into() }),
                Val::I(1),
                Val::T(String::new()),
                Val::I(if auto { kind.default_rule().0 } else { rng.gen_range(20..90) }),
                Val::T(status.into()),
                Val::I(now),
                Val::I(now),
            ]);
        }
        for &day in &days {
            let (status, ci, co) = match rng.gen_range(0..40) {
                0 => ("tk", None, None),
                1 => ("cuti", None, None),
                2..=5 => ("hadir", Some(450 + rng.gen_range(1..100)), Some(960)),
                6..=7 => ("hadir", Some(440), Some(960 - rng.gen_range(1..100))),
                _ => ("hadir", Some(440 + rng.gen_range(0..10)), Some(960 + rng.gen_range(0..30))),
            };
            att.push(vec![
                Val::T(id.clone()),
                Val::I(day),
                Val::T(opd.clone()),
                oint(ci),
                oint(co),
                Val::T(status.into()),
            ]);
        }
        n_acts += per_person;
        n_att += days.len();
        acts.flush(&mut tx, false).await?;
        att.flush(&mut tx, false).await?;
        if (i + 1) % 1000 == 0 {
            tx.commit().await?;
            progress(&format!("  {} people, {n_acts} activities", i + 1));
            tx = begin_bulk(store).await?;
        }
    }
    acts.flush(&mut tx, true).await?;
    att.flush(&mut tx, true).await?;
    tx.commit().await?;
    if store.kind() == DbKind::Sqlite {
        sqlx::query("ANALYZE").execute(&store.pool).await?;
    } else {
        sqlx::query("ANALYZE activity").execute(&store.pool).await?;
        sqlx::query("ANALYZE attendance").execute(&store.pool).await?;
    }
    Ok((n_acts, n_att))
}

/// Computes and stores the month of every OPD of the first Pemda (what closing every OPD's month
/// does, without freezing it). Returns the number of people scored and the seconds it took.
pub async fn bench_kinerja_month(store: &Store, month: i64) -> Result<(usize, f64)> {
    let pemda_id: String = sqlx::query("SELECT id FROM pemda ORDER BY created_ms, id LIMIT 1")
        .fetch_one(&store.pool)
        .await?
        .try_get("id")?;
    let t = Instant::now();
    let mut people = 0;
    for opd in store.list_opds(&pemda_id).await? {
        people += store.opd_month(&opd.id, month, true).await?.rows.len();
    }
    Ok((people, t.elapsed().as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend::store::audit::ChainStatus;
    use domain::letter_view::{ListFilter, ListTab};

    #[test]
    fn generated_nips_are_valid_and_unique() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut taken = HashSet::new();
        for i in 0..3000 {
            let level = PositionLevel::ALL[i % 5];
            let nip = new_nip(&mut rng, level, i % 2 == 0, 2026, &mut taken).unwrap();
            assert!(Nip::parse(&nip, 2026).is_ok(), "{nip}");
        }
        assert_eq!(taken.len(), 3000);
    }

    /// A small run end to end: the app reads the generated rows like its own, and what the app
    /// writes next (numbers, the audit chain) continues cleanly after them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn small_scale_run_is_consistent() {
        let dir = std::env::temp_dir().join(format!("eoffice-scale-test-{}", new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store =
            Store::connect(&format!("sqlite://{}", dir.join("t.db").display())).await.unwrap();
        let r = seed_scale(&store, 250, 3000, |_| {}).await.unwrap();
        assert_eq!((r.letters, r.total_employees), (3000, 250));
        assert!(r.incoming > 0 && r.inbox_entries >= r.incoming && r.waiting > 0);
        // A second run on the same database is refused rather than duplicating OPDs.
        assert!(matches!(
            seed_scale(&store, 250, 10, |_| {}).await,
            Err(BackendError::Conflict(_))
        ));

        for nip in sqlx::query("SELECT nip FROM employee").fetch_all(&store.pool).await.unwrap() {
            let nip: String = nip.try_get("nip").unwrap();
            assert!(Nip::parse(&nip, domain::time::wib_year(now_ms())).is_ok(), "{nip}");
        }
        let version_rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM letter_version")
            .fetch_one(&store.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(version_rows, 3000);
        // Waiting only where someone must act, and at a position of the letter's chain or its signer.
        let bad: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM letter WHERE (state IN ('review', 'signing')) <> (waiting_position_id IS NOT NULL) \
             OR (state = 'signing' AND waiting_position_id <> signer_position_id) OR ((number IS NOT NULL) <> (state IN ('signed', 'sent')))",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(bad, 0);

        // The demo Kepala Dinas sees letters waiting and a full Kotak Masuk through the store.
        let e = store
            .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
            .await
            .unwrap()
            .unwrap();
        let kadis = store.session_user(&e.id, backend::today_wib()).await.unwrap();
        let filter =
            ListFilter { q: String::new(), kind: None, sifat: None, from_day: None, to_day: None };
        let page = store.list_letters(&kadis, ListTab::PerluParaf, &filter, 1).await.unwrap();
        assert!(!page.items.is_empty());
        let inbox = store.inbox(&kadis, "", false, 1).await.unwrap();
        assert!(!inbox.items.is_empty() && inbox.total >= inbox.items.len() as i64);

        // The next real number of every OPD and year follows the generated ones.
        let rows = sqlx::query("SELECT opd_id, number_year, MAX(number_seq) AS m FROM letter WHERE number_seq IS NOT NULL GROUP BY opd_id, number_year")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        assert!(!rows.is_empty());
        let mut tx = store.begin_write().await.unwrap();
        for row in rows {
            let (opd, year, max): (String, i64, i64) = (
                row.try_get("opd_id").unwrap(),
                row.try_get("number_year").unwrap(),
                row.try_get("m").unwrap(),
            );
            assert_eq!(
                backend::store::letters::next_number(&mut tx, &opd, "surat", year).await.unwrap(),
                max + 1
            );
        }
        drop(tx);
        assert!(matches!(store.verify_audit_chain().await.unwrap(), ChainStatus::Intact { .. }));
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
