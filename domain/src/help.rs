//! In-app help: a short text per page (what the page is for, the steps, the common mistakes), the
//! printable user guide per role that the server builds from the same texts, and the tour a new
//! account is offered at its first login. Texts are kept in Bahasa Indonesia and English side by
//! side, as everywhere in the UI. The browser never compiles them in: it asks the server for the
//! one it shows, so the help costs no bytes of the first load.

use crate::roles::{Caps, Role};
use crate::{Code, Lang};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// A text in both languages: (Bahasa Indonesia, English).
pub type Text = (&'static str, &'static str);

fn pick(l: Lang, t: Text) -> String {
    l.t(t.0, t.1).to_string()
}

/// Who a user guide is written for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum GuideRole {
    /// Staff without a leading position.
    Staf,
    /// Heads of a section or a division (Kasi, Kabid): paraf, validation, dispositions.
    Pejabat,
    /// Heads and secretaries of an OPD, and the regency's leaders.
    Kepala,
    /// Records clerk (Tata Usaha).
    Tu,
    /// Admin OPD and Admin Pemda.
    Admin,
}

impl Code for GuideRole {}

impl GuideRole {
    pub fn label(self, l: Lang) -> &'static str {
        match self {
            GuideRole::Staf => l.t("Staf", "Staff"),
            GuideRole::Pejabat => l.t("Kasi dan Kabid", "Section and division heads"),
            GuideRole::Kepala => l.t("Kepala OPD dan pimpinan", "Heads of agency and leaders"),
            GuideRole::Tu => l.t("TU (pencatat surat)", "Records clerk (TU)"),
            GuideRole::Admin => l.t("Admin OPD dan Admin Pemda", "Agency and regency admins"),
        }
    }

    /// The guide that fits a user best: an admin's or the clerk's role first, then the highest
    /// position held or acted for.
    pub fn of(caps: &Caps) -> GuideRole {
        use crate::org::PositionLevel;
        if caps.has_role(Role::AdminPemda) || caps.has_role(Role::AdminOpd) {
            GuideRole::Admin
        } else if caps.has_role(Role::Tu) {
            GuideRole::Tu
        } else if caps.is_regency_leader()
            || caps.best_level.is_some_and(|l| l <= PositionLevel::Sekretaris)
        {
            GuideRole::Kepala
        } else if caps.best_level.is_some_and(|l| l <= PositionLevel::KepalaSeksi) {
            GuideRole::Pejabat
        } else {
            GuideRole::Staf
        }
    }

    /// The guide's download address.
    pub fn guide_href(self) -> String {
        format!("/panduan/{}.pdf", self.code())
    }
}

/// The help of one page.
pub struct Topic {
    /// Stable name: the screenshot file of the user guide is `<key>.jpg`.
    pub key: &'static str,
    pub title: Text,
    pub purpose: Text,
    pub steps: &'static [Text],
    pub mistakes: &'static [Text],
    /// The guides this page appears in, in the order of [`TOPICS`].
    pub roles: &'static [GuideRole],
}

/// The help of a page in one language, as the browser shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HelpText {
    pub key: String,
    pub title: String,
    pub purpose: String,
    pub steps: Vec<String>,
    pub mistakes: Vec<String>,
    /// The guide for the reader's own role, then the others.
    pub guides: Vec<(String, String)>,
}

impl Topic {
    pub fn text(&self, l: Lang, reader: GuideRole) -> HelpText {
        let mut roles: Vec<GuideRole> = vec![reader];
        roles.extend(GuideRole::all().iter().copied().filter(|r| *r != reader));
        HelpText {
            key: self.key.to_string(),
            title: pick(l, self.title),
            purpose: pick(l, self.purpose),
            steps: self.steps.iter().map(|t| pick(l, *t)).collect(),
            mistakes: self.mistakes.iter().map(|t| pick(l, *t)).collect(),
            guides: roles.iter().map(|r| (r.label(l).to_string(), r.guide_href())).collect(),
        }
    }
}

use GuideRole::{Admin, Kepala, Pejabat, Staf, Tu};

const EVERYONE: &[GuideRole] = &[Staf, Pejabat, Kepala, Tu, Admin];
const OFFICERS: &[GuideRole] = &[Staf, Pejabat, Kepala, Tu];

/// Every page's help, in the order the guides print them.
pub const TOPICS: &[Topic] = &[
    Topic {
        key: "beranda",
        title: ("Beranda", "Home"),
        purpose: (
            "Halaman pertama setelah masuk: jabatan Anda, atasan langsung, pintasan ke pekerjaan, dan pemberitahuan terbaru.",
            "The first page after logging in: your position, your direct superior, shortcuts to your work and the latest notices.",
        ),
        steps: &[
            (
                "Periksa jabatan dan atasan langsung Anda. Bila salah, hubungi Admin OPD.",
                "Check your position and direct superior. If they are wrong, contact your agency admin.",
            ),
            (
                "Buka pekerjaan lewat Pintasan atau lewat Menu. Angka di samping menu menunjukkan yang menunggu Anda.",
                "Open your work through the shortcuts or the Menu. The numbers beside the menu show what waits for you.",
            ),
            (
                "Bila diminta, aktifkan verifikasi dua langkah sebelum tenggatnya.",
                "When asked, turn on two-step verification before its deadline.",
            ),
        ],
        mistakes: &[
            (
                "Mengabaikan angka pada tombol Menu: itu surat atau disposisi yang menunggu Anda.",
                "Ignoring the number on the Menu button: it counts letters or dispositions waiting for you.",
            ),
            (
                "Memakai akun orang lain. Setiap paraf, disposisi, dan aktivitas tercatat atas nama pemilik akun.",
                "Using someone else's account. Every paraf, disposition and activity is recorded in the account owner's name.",
            ),
        ],
        roles: EVERYONE,
    },
    Topic {
        key: "kotak-masuk",
        title: ("Kotak Masuk", "Inbox"),
        purpose: (
            "Surat yang sudah ditandatangani dan dikirim kepada Anda atau kepada jabatan yang Anda pegang (termasuk sebagai Plt/Plh).",
            "Signed letters delivered to you or to a position you hold (also as acting official).",
        ),
        steps: &[
            (
                "Buka surat dari daftar; surat yang dibuka tercatat sudah dibaca.",
                "Open a letter from the list; opening it records that you read it.",
            ),
            (
                "Cari dengan hal, pengirim, atau nomor; centang \"Belum dibaca saja\" untuk menyaring.",
                "Search by subject, sender or number; tick \"Unread only\" to filter.",
            ),
            (
                "Unduh PDF surat bila perlu dicetak; tanda tangannya dapat diperiksa lewat kode QR.",
                "Download the letter's PDF to print it; its signature can be checked through the QR code.",
            ),
        ],
        mistakes: &[(
            "Mencari surat masuk dari luar instansi di sini: surat kertas yang dipindai ada di Surat Masuk dan Disposisi.",
            "Looking here for letters from outside: scanned paper letters are under Incoming mail and Dispositions.",
        )],
        roles: EVERYONE,
    },
    Topic {
        key: "surat-keluar",
        title: ("Surat Keluar", "Outgoing letters"),
        purpose: (
            "Surat yang Anda susun, yang menunggu paraf atau tanda tangan Anda, dan yang dikembalikan kepada Anda untuk diperbaiki.",
            "Letters you drafted, those waiting for your paraf or signature, and those returned to you for correction.",
        ),
        steps: &[
            (
                "Tekan \"+ Tulis surat\" untuk membuat draf baru.",
                "Press \"+ Write a letter\" to start a new draft.",
            ),
            (
                "Pilih tab: Draf, Perlu Paraf, Dikembalikan, Dalam Proses, atau Selesai. Tab yang sedang dibuka ditandai.",
                "Pick a tab: drafts, to approve, returned, in progress or done. The open tab is marked.",
            ),
            (
                "Surat yang dikembalikan diberi tanda \"Dikembalikan\"; buka, baca catatannya di bagian atas, perbaiki, lalu ajukan lagi.",
                "A returned letter is marked \"Returned\"; open it, read the note at the top, correct it and submit it again.",
            ),
            (
                "Pejabat penanda tangan dapat memilih beberapa surat lalu menandatangani sekaligus dengan passphrase TTE.",
                "A signing official can select several letters and sign them at once with the signing passphrase.",
            ),
        ],
        mistakes: &[
            (
                "Menunggu surat yang dikembalikan di tab Draf: lihat tab Dikembalikan.",
                "Waiting for a returned letter under Drafts: look under Returned.",
            ),
            (
                "Mengira surat sudah terkirim padahal masih menunggu paraf: lihat \"menunggu di\" pada daftar.",
                "Thinking a letter has been sent while it still waits for a paraf: see \"waiting at\" in the list.",
            ),
        ],
        roles: OFFICERS,
    },
    Topic {
        key: "tulis-surat",
        title: ("Tulis surat", "Write a letter"),
        purpose: (
            "Menyusun naskah dinas: jenis, klasifikasi, sifat, hal, penerima, isi, dan lampiran. Draf tersimpan otomatis.",
            "Drafting an official letter: kind, classification, confidentiality, subject, recipients, body and attachments. The draft saves itself.",
        ),
        steps: &[
            (
                "Pilih jenis naskah, klasifikasi arsip, sifat, dan tingkat urgensi; isi hal (perihal).",
                "Choose the kind of letter, the archive classification, the confidentiality and the urgency; fill in the subject.",
            ),
            (
                "Tambahkan penerima: cari OPD, unit, atau pegawai (paling sedikit 2 huruf) lalu pilih Kepada atau Tembusan; penerima di luar Pemda diisi dengan nama dan alamat.",
                "Add recipients: search for an agency, unit or employee (at least 2 letters) and add them as To or Copy; recipients outside the regency get a name and an address.",
            ),
            (
                "Tulis isi surat; pakai tombol Tebal, Miring, daftar, dan Tabel. Periksa hasilnya di Pratinjau isi.",
                "Write the body; use Bold, Italic, the lists and Table. Check the result in the preview.",
            ),
            (
                "Lampirkan berkas bila perlu, lalu tekan \"Ajukan untuk paraf\". Surat naik ke atasan langsung Anda.",
                "Attach files if needed, then press \"Submit for paraf\". The letter goes up to your direct superior.",
            ),
        ],
        mistakes: &[
            (
                "Menutup halaman saat tertulis \"Perubahan belum tersimpan\": tunggu sampai \"Tersimpan\".",
                "Closing the page while it says \"Unsaved changes\": wait for \"Saved\".",
            ),
            (
                "Memilih sifat Rahasia untuk surat biasa: surat rahasia tidak terlihat oleh yang tidak berhak, juga di pencarian.",
                "Marking an ordinary letter Rahasia (secret): secret letters are hidden from everyone without the right, in search too.",
            ),
            (
                "Lupa klasifikasi arsip: nomor surat dan jadwal retensi bergantung padanya.",
                "Forgetting the archive classification: the letter number and the retention schedule depend on it.",
            ),
        ],
        roles: &[Staf, Pejabat, Kepala, Tu],
    },
    Topic {
        key: "surat-keluar-detail",
        title: ("Surat: paraf, kembalikan, tanda tangan", "A letter: paraf, return, sign"),
        purpose: (
            "Satu surat dengan posisinya di jalur paraf, naskahnya, riwayat, dan versi. Di sini surat diparaf, dikembalikan, atau ditandatangani.",
            "One letter with its place on the approval path, its text, history and versions. Here it is approved, returned or signed.",
        ),
        steps: &[
            (
                "Baca \"Posisi surat\": siapa yang sudah paraf dan di mana surat sekarang.",
                "Read \"Where the letter is\": who approved it and where it is now.",
            ),
            (
                "Bila surat menunggu Anda: \"Setujui (paraf)\" meneruskannya ke atas; \"Kembalikan ke penyusun\" memintanya diperbaiki (catatan wajib).",
                "When the letter waits for you: \"Approve (paraf)\" sends it up; \"Return to the author\" asks for a correction (a note is required).",
            ),
            (
                "Penanda tangan mengisi passphrase TTE lalu menekan Tandatangani; surat diberi nomor, dibuat PDF bertanda tangan, dan dikirim ke penerima.",
                "The signer enters the signing passphrase and presses Sign; the letter is numbered, made a signed PDF and delivered.",
            ),
            (
                "Pakai \"Bandingkan\" di bagian Versi untuk melihat apa yang diubah sejak paraf sebelumnya.",
                "Use \"Compare\" under Versions to see what changed since the last paraf.",
            ),
        ],
        mistakes: &[
            (
                "Mengembalikan surat tanpa catatan yang jelas: penyusun membaca catatan Anda di bagian atas surat.",
                "Returning a letter without a clear note: the author reads your note at the top of the letter.",
            ),
            (
                "Lupa passphrase TTE: passphrase tidak dapat dipulihkan; buat sertifikat baru lewat Admin (lihat Sertifikat TTE).",
                "Forgetting the signing passphrase: it cannot be recovered; get a new certificate through the admin (see Signing certificate).",
            ),
        ],
        roles: &[Staf, Pejabat, Kepala, Tu],
    },
    Topic {
        key: "nomor-manual",
        title: ("Nomor surat manual", "Manual letter numbers"),
        purpose: (
            "Mengambil nomor dari buku agenda yang sama untuk surat yang ditandatangani di atas kertas, agar penomoran tidak ganda.",
            "Taking a number from the same register for a letter signed on paper, so that no number is used twice.",
        ),
        steps: &[
            (
                "Pilih klasifikasi arsip dan isi tujuan serta hal surat.",
                "Choose the classification and fill in the addressee and subject.",
            ),
            (
                "Tekan \"Ambil nomor berikutnya\"; nomor tampil dan tercatat di daftar di bawahnya.",
                "Press \"Take the next number\"; the number is shown and listed below.",
            ),
        ],
        mistakes: &[(
            "Mengambil nomor untuk surat yang disusun di e-Office: surat itu diberi nomor otomatis saat ditandatangani.",
            "Taking a number for a letter drafted in e-Office: it is numbered automatically when signed.",
        )],
        roles: &[Tu],
    },
    Topic {
        key: "surat-masuk",
        title: ("Surat Masuk", "Incoming mail"),
        purpose: (
            "Buku agenda surat masuk OPD: semua surat yang diregistrasi TU dan yang datang dari OPD lain lewat e-Office.",
            "The agency's incoming register: every letter the clerk registered and those arriving from other agencies through e-Office.",
        ),
        steps: &[
            (
                "Tekan \"Registrasi surat masuk\" untuk mencatat surat kertas.",
                "Press \"Register incoming mail\" to record a paper letter.",
            ),
            (
                "Cari dengan hal, asal, atau nomor; saring dengan sifat dan status.",
                "Search by subject, sender or number; filter by confidentiality and status.",
            ),
            (
                "Buka surat untuk melihat pindaian dan alur disposisinya.",
                "Open a letter to see its scan and disposition tree.",
            ),
        ],
        mistakes: &[(
            "Meregistrasi surat yang sama dua kali: e-Office memperingatkan bila nomor dan asal surat sudah ada.",
            "Registering the same letter twice: e-Office warns when the number and sender already exist.",
        )],
        roles: &[Tu],
    },
    Topic {
        key: "registrasi",
        title: ("Registrasi surat masuk", "Register incoming mail"),
        purpose: (
            "Mencatat surat kertas: pindaian atau foto halaman, data surat, dan pejabat yang akan memberi disposisi.",
            "Recording a paper letter: the scan or photos of its pages, its details and the official who will give the disposition.",
        ),
        steps: &[
            (
                "Pilih berkas PDF hasil pindai, atau ambil foto tiap halaman dengan kamera; urutkan halaman bila perlu.",
                "Choose the scanned PDF, or photograph each page with the camera; reorder the pages if needed.",
            ),
            (
                "Isi tanggal diterima, asal surat, nomor dan tanggal surat, sifat, urgensi, dan hal.",
                "Fill in the date received, the sender, the letter's number and date, confidentiality, urgency and subject.",
            ),
            (
                "Pilih pejabat di \"Diteruskan untuk didisposisi oleh\", lalu tekan Registrasi. Nomor agenda diberikan otomatis.",
                "Choose the official under \"Forwarded for a disposition to\", then press Register. The agenda number is given automatically.",
            ),
        ],
        mistakes: &[
            (
                "Foto yang miring atau gelap: ambil ulang sebelum menyimpan, pindaian dipakai sampai surat diarsipkan.",
                "Skewed or dark photos: retake them before saving; the scan is kept until the letter is archived.",
            ),
            (
                "Surat rahasia dicatat dengan sifat Biasa: pilih sifat yang tertulis pada surat.",
                "A secret letter recorded as ordinary: choose the confidentiality written on the letter.",
            ),
        ],
        roles: &[Tu],
    },
    Topic {
        key: "surat-masuk-detail",
        title: ("Surat masuk dan disposisinya", "An incoming letter and its dispositions"),
        purpose: (
            "Pindaian surat, rinciannya, dan alur disposisi: siapa memberi instruksi kepada siapa, tenggatnya, dan tindak lanjutnya.",
            "The letter's scan, its details and the disposition tree: who instructed whom, by when, and what was done.",
        ),
        steps: &[
            (
                "Beri disposisi: pilih penerima (bawahan langsung, jabatan lain di bawah Anda, atau rekan setingkat), penanggung jawab, instruksi, tenggat, dan catatan, lalu \"Kirim disposisi\".",
                "Give a disposition: choose the recipients (direct subordinates, other positions under you or peers), who is responsible, the instructions, the deadline and a note, then \"Send disposition\".",
            ),
            (
                "Penerima melaporkan tindak lanjut (boleh dengan berkas atau surat balasan) lewat \"Laporkan tindak lanjut\".",
                "The recipient reports the follow-up (with a file or a reply letter if any) through \"Report follow-up\".",
            ),
            (
                "Pemberi disposisi menerima laporan dengan \"Terima tindak lanjut\" atau mengembalikannya dengan catatan.",
                "The one who gave the disposition accepts the report with \"Accept follow-up\" or returns it with a note.",
            ),
            (
                "Unduh lembar disposisi (PDF) untuk arsip kertas.",
                "Download the disposition sheet (PDF) for the paper file.",
            ),
        ],
        mistakes: &[
            (
                "Tenggat yang terlewat: disposisi lewat tenggat tampil di dasbor pimpinan.",
                "Missed deadlines: overdue dispositions show on the leaders' dashboard.",
            ),
            (
                "Melaporkan tanpa menjelaskan apa yang sudah dilakukan: laporan dapat dikembalikan.",
                "Reporting without saying what was done: the report can be returned.",
            ),
        ],
        roles: OFFICERS,
    },
    Topic {
        key: "disposisi",
        title: ("Disposisi", "Dispositions"),
        purpose: (
            "Disposisi untuk Anda, disposisi yang Anda berikan dan laporannya, serta yang lewat tenggat.",
            "Dispositions for you, the ones you gave and their reports, and the overdue ones.",
        ),
        steps: &[
            (
                "Tab Disposisi Masuk: instruksi untuk Anda. Buka, kerjakan, lalu laporkan tindak lanjut.",
                "Incoming tab: instructions for you. Open, act, then report the follow-up.",
            ),
            (
                "Tab Disposisi Keluar: yang Anda berikan. Laporan yang menunggu tanggapan Anda diberi tanda.",
                "Outgoing tab: the ones you gave. Reports waiting for your answer are marked.",
            ),
            (
                "Saring dengan status: belum dibaca, menunggu tindak lanjut, dilaporkan, selesai.",
                "Filter by status: unread, waiting for follow-up, reported, done.",
            ),
        ],
        mistakes: &[(
            "Lupa menanggapi laporan bawahan: angka pada menu Disposisi juga menghitung laporan yang menunggu Anda.",
            "Forgetting to answer a subordinate's report: the number on the Dispositions menu also counts reports waiting for you.",
        )],
        roles: &[Staf, Pejabat, Kepala],
    },
    Topic {
        key: "kinerja",
        title: ("Kinerja: aktivitas saya", "Performance: my activities"),
        purpose: (
            "Aktivitas bulan ini: pekerjaan di e-Office terhitung otomatis, aktivitas lain dicatat sendiri lalu divalidasi atasan. Nilainya menentukan TPP.",
            "This month's activities: work in e-Office counts by itself, other work is logged here and validated by your superior. The score feeds the allowance (TPP).",
        ),
        steps: &[
            (
                "Periksa \"Nilai bulan ini\" dan menit efektif yang disetujui terhadap target bulanan.",
                "Check \"This month's score\" and the approved effective minutes against the monthly target.",
            ),
            (
                "Catat aktivitas di luar e-Office: tanggal, jam mulai dan selesai, aktivitas dari bank jabatan, uraian, dan bukti bila ada; tekan \"Simpan aktivitas\".",
                "Log work outside e-Office: date, start and end, the activity from your position's bank, a description and evidence if any; press \"Save activity\".",
            ),
            (
                "Unduh laporan bulanan (PDF) untuk arsip Anda.",
                "Download the monthly report (PDF) for your records.",
            ),
        ],
        mistakes: &[
            (
                "Mencatat lagi pekerjaan e-Office (surat, paraf, disposisi): itu sudah terhitung otomatis.",
                "Logging e-Office work (letters, paraf, dispositions) again: it already counts by itself.",
            ),
            (
                "Mencatat terlambat: aktivitas hanya dapat dicatat mundur beberapa hari sesuai aturan Pemda.",
                "Logging too late: activities can only be logged a few days back, by the regency's rule.",
            ),
        ],
        roles: EVERYONE,
    },
    Topic {
        key: "validasi",
        title: ("Validasi aktivitas", "Validating activities"),
        purpose: (
            "Aktivitas bawahan langsung yang menunggu persetujuan Anda.",
            "Activities of your direct subordinates waiting for your approval.",
        ),
        steps: &[
            (
                "Periksa uraian, menit, dan bukti; setujui, pertanyakan, atau tolak. Catatan wajib bila ditolak.",
                "Check the description, minutes and evidence; approve, question or reject. A note is required to reject.",
            ),
            (
                "\"Setujui semua hari ini\" menyetujui seluruh aktivitas satu hari sekaligus.",
                "\"Approve the whole day\" approves all of one day's activities at once.",
            ),
        ],
        mistakes: &[(
            "Menunda validasi sampai bulan ditutup: aktivitas yang belum divalidasi tidak dihitung.",
            "Leaving validation until the month is closed: unvalidated activities do not count.",
        )],
        roles: &[Pejabat, Kepala],
    },
    Topic {
        key: "rekap",
        title: ("Rekap kinerja", "Performance recap"),
        purpose: (
            "Nilai kinerja, disiplin, dan TPP setiap pegawai OPD dalam sebulan; penutupan bulan.",
            "Each employee's performance, discipline and allowance for a month; closing the month.",
        ),
        steps: &[
            ("Pilih OPD dan bulan, lalu Tampilkan.", "Choose the agency and month, then Show."),
            (
                "Impor data kehadiran (CSV) sebelum menutup bulan.",
                "Import attendance (CSV) before closing the month.",
            ),
            (
                "Tekan \"Tutup bulan\" untuk membekukan nilai; unduh XLSX atau cetak PDF untuk bagian keuangan.",
                "Press \"Close the month\" to freeze the scores; download XLSX or print the PDF for finance.",
            ),
        ],
        mistakes: &[(
            "Menutup bulan sebelum semua aktivitas divalidasi dan kehadiran diimpor.",
            "Closing the month before every activity is validated and attendance imported.",
        )],
        roles: &[Kepala, Admin],
    },
    Topic {
        key: "predikat",
        title: ("Predikat tahunan", "Yearly rating"),
        purpose: (
            "Hasil kerja setahun dari bulan yang ditutup dan penilaian perilaku kerja oleh atasan.",
            "A year's results from the closed months and the superior's rating of work behaviour.",
        ),
        steps: &[
            ("Pilih tahun.", "Choose the year."),
            (
                "Atasan memilih penilaian perilaku kerja tiap bawahan lalu menekan Simpan.",
                "The superior chooses each subordinate's behaviour rating and presses Save.",
            ),
        ],
        mistakes: &[(
            "Mengharapkan predikat sebelum ada bulan yang ditutup: predikat dihitung dari bulan yang ditutup.",
            "Expecting a rating before any month is closed: it is computed from closed months.",
        )],
        roles: &[Kepala, Admin],
    },
    Topic {
        key: "pengaturan-kinerja",
        title: ("Pengaturan Kinerja", "Performance settings"),
        purpose: (
            "Aturan penilaian Pemda: target menit, bobot, jam kerja, batas layanan, potongan, hari libur, bank aktivitas, dan kelas jabatan.",
            "The regency's scoring rules: minute targets, weights, working hours, service limits, deductions, holidays, the activity bank and position classes.",
        ),
        steps: &[
            (
                "Ubah angka aturan lalu \"Simpan pengaturan\".",
                "Change the rules, then \"Save settings\".",
            ),
            (
                "Catat hari libur agar tidak dihitung sebagai hari kerja.",
                "Record holidays so that they do not count as working days.",
            ),
            (
                "Ekspor dan impor bank aktivitas jabatan sebagai CSV.",
                "Export and import the positions' activity bank as CSV.",
            ),
        ],
        mistakes: &[(
            "Mengubah aturan di tengah bulan: nilai bulan berjalan ikut berubah; ubah sebelum bulan dimulai.",
            "Changing the rules mid-month: the running month's scores change too; change them before the month starts.",
        )],
        roles: &[Admin],
    },
    Topic {
        key: "dasbor",
        title: ("Dasbor pimpinan", "Leaders' dashboard"),
        purpose: (
            "Satu layar untuk melihat surat yang tertahan, disposisi lewat tenggat, waktu layanan, pemakaian e-Office, dan kuadran kinerja, lalu bertindak.",
            "One screen to see stuck letters, overdue dispositions, service times, use of e-Office and the performance quadrants, and to act.",
        ),
        steps: &[
            (
                "Lihat Ringkasan, lalu surat yang menunggu per tingkat.",
                "Read the summary, then the letters waiting per level.",
            ),
            (
                "Pada disposisi lewat tenggat: Ingatkan, eskalasi ke atasan, atau alihkan kepada jabatan lain dengan alasan.",
                "On an overdue disposition: remind, escalate to the superior, or reassign it to another position with a reason.",
            ),
            (
                "Pimpinan daerah memilih OPD di \"Lingkup dasbor\".",
                "Regency leaders choose the agency under \"Dashboard scope\".",
            ),
        ],
        mistakes: &[(
            "Menganggap pegawai tanpa aktivitas e-Office menganggur: periksa juga aktivitas yang dicatat di luar e-Office.",
            "Taking employees without e-Office activity as idle: check the work they logged outside e-Office too.",
        )],
        roles: &[Pejabat, Kepala],
    },
    Topic {
        key: "notifikasi",
        title: ("Notifikasi", "Notifications"),
        purpose: (
            "Pemberitahuan untuk Anda: surat masuk, permintaan paraf, disposisi, laporan, dan pengingat.",
            "Notices for you: incoming letters, paraf requests, dispositions, reports and reminders.",
        ),
        steps: &[
            (
                "Buka pemberitahuan untuk menuju ke pekerjaan yang dimaksud.",
                "Open a notice to go to the work it is about.",
            ),
            (
                "\"Tandai semua dibaca\" mengosongkan hitungan.",
                "\"Mark all read\" clears the count.",
            ),
            (
                "Di Pengaturan notifikasi pilih kelompok yang ditampilkan dan ringkasan e-mail harian; uji e-mail dengan \"Kirim e-mail uji\".",
                "Under notification settings choose which groups show and the daily e-mail digest; check e-mail with \"Send a test e-mail\".",
            ),
        ],
        mistakes: &[(
            "Mematikan semua notifikasi: pekerjaan tetap menunggu di Kotak Masuk, Surat Keluar, dan Disposisi.",
            "Switching every notice off: work still waits in the Inbox, Outgoing letters and Dispositions.",
        )],
        roles: EVERYONE,
    },
    Topic {
        key: "organisasi",
        title: ("Struktur Organisasi", "Organisation chart"),
        purpose: (
            "Pohon OPD, unit, dan jabatan beserta pemangku dan Plt/Plh-nya.",
            "The tree of agencies, units and positions with their holders and acting officials.",
        ),
        steps: &[
            ("Pilih OPD untuk melihat strukturnya.", "Choose an agency to see its structure."),
            (
                "Jabatan kosong dan Plt/Plh ditandai.",
                "Vacant positions and acting officials are marked.",
            ),
        ],
        mistakes: &[(
            "Meminta perubahan struktur kepada TU: struktur diubah oleh Admin OPD.",
            "Asking the clerk to change the structure: the agency admin changes it.",
        )],
        roles: EVERYONE,
    },
    Topic {
        key: "profil",
        title: ("Profil dan kata sandi", "Profile and password"),
        purpose: (
            "Data Anda, jabatan, peran, riwayat kuadran kinerja, dan penggantian kata sandi.",
            "Your details, position, roles, performance quadrant history and changing your password.",
        ),
        steps: &[
            (
                "Periksa nama, NIP, jabatan, dan peran Anda.",
                "Check your name, NIP, position and roles.",
            ),
            (
                "Ganti kata sandi: isi kata sandi lama, kata sandi baru dua kali, lalu \"Simpan kata sandi\".",
                "Change your password: the old one, the new one twice, then \"Save password\".",
            ),
        ],
        mistakes: &[(
            "Memakai kata sandi yang sama dengan aplikasi lain: pilih kata sandi khusus e-Office.",
            "Reusing a password from another application: choose one for e-Office only.",
        )],
        roles: EVERYONE,
    },
    Topic {
        key: "keamanan",
        title: ("Keamanan akun", "Account security"),
        purpose: (
            "Verifikasi dua langkah dengan aplikasi autentikator, kode pemulihan, dan sesi yang sedang aktif.",
            "Two-step verification with an authenticator app, recovery codes and your active sessions.",
        ),
        steps: &[
            (
                "Tekan Aktifkan, pindai kode dengan aplikasi autentikator, lalu isi kode enam angka.",
                "Press Turn on, scan the code with an authenticator app, then enter the six-digit code.",
            ),
            ("Simpan kode pemulihan di tempat aman.", "Keep the recovery codes somewhere safe."),
            (
                "Akhiri sesi di perangkat yang tidak Anda kenal.",
                "End the sessions on devices you do not recognise.",
            ),
        ],
        mistakes: &[(
            "Kehilangan ponsel tanpa kode pemulihan: minta admin mengatur ulang, lalu aktifkan lagi.",
            "Losing the phone without recovery codes: ask the admin for a reset, then turn it on again.",
        )],
        roles: EVERYONE,
    },
    Topic {
        key: "tte",
        title: ("Sertifikat TTE", "Signing certificate"),
        purpose: (
            "Sertifikat tanda tangan elektronik Anda dan passphrase yang melindungi kunci tanda tangan.",
            "Your electronic signing certificate and the passphrase that protects the signing key.",
        ),
        steps: &[
            (
                "Buat passphrase (dua kali sama) lalu \"Aktifkan sertifikat\". Passphrase diminta setiap kali menandatangani.",
                "Choose a passphrase (twice the same), then \"Activate certificate\". It is asked every time you sign.",
            ),
            (
                "Ganti passphrase dengan mengisi yang lama dan yang baru.",
                "Change the passphrase by entering the old and the new one.",
            ),
        ],
        mistakes: &[(
            "Memberitahukan passphrase kepada orang lain, juga kepada TU atau admin: tanda tangan elektronik setara tanda tangan basah.",
            "Telling anyone the passphrase, the clerk or the admin included: an electronic signature counts as a handwritten one.",
        )],
        roles: &[Pejabat, Kepala],
    },
    Topic {
        key: "admin",
        title: ("Administrasi", "Administration"),
        purpose: (
            "Untuk Admin Pemda: daftar OPD, admin dan peran, keadaan cadangan data, hasil survei kepuasan, dan jalan ke log audit serta pengaturan.",
            "For the regency admin: the agencies, admins and roles, the state of the backups, the satisfaction survey results and the way to the audit log and settings.",
        ),
        steps: &[
            (
                "Tambah atau ubah OPD; tekan Kelola untuk mengatur isinya.",
                "Add or edit an agency; press Manage to organise it.",
            ),
            (
                "Beri atau cabut peran (Admin OPD, TU, Pimpinan Daerah).",
                "Grant or revoke roles (agency admin, clerk, regency leadership).",
            ),
            (
                "Lihat kartu Cadangan data: cadangan terakhir harus berhasil dan tidak terlambat.",
                "Check the Backups card: the last backup must have succeeded and not be late.",
            ),
        ],
        mistakes: &[
            (
                "Memberi peran admin kepada banyak orang: setiap peran admin tercatat di log audit.",
                "Granting admin roles to many people: every admin role is recorded in the audit log.",
            ),
            (
                "Membiarkan cadangan gagal atau terlambat: hubungi pengelola server hari itu juga, sebelum data hilang.",
                "Leaving a failed or late backup: call the server administrator the same day, before data is lost.",
            ),
        ],
        roles: &[Admin],
    },
    Topic {
        key: "kelola-opd",
        title: ("Kelola OPD", "Manage an agency"),
        purpose: (
            "Unit dan jabatan, pegawai, Plt/Plh, dan impor atau ekspor CSV satu OPD.",
            "One agency's units and positions, employees, acting officials, and CSV import or export.",
        ),
        steps: &[
            (
                "Tab Unit & Jabatan: susun bagian, bidang, seksi, dan jabatan.",
                "Units & positions tab: build the divisions, sections and positions.",
            ),
            (
                "Tab Pegawai: tambah pegawai dengan NIP, tempatkan pada jabatan, atau atur ulang kata sandinya.",
                "Employees tab: add employees by NIP, place them in positions or reset their password.",
            ),
            (
                "Tab Plt / Plh: tunjuk pejabat pengganti dengan tanggal mulai dan selesai.",
                "Acting tab: appoint an acting official with start and end dates.",
            ),
            (
                "Impor pegawai dari CSV; baris yang salah ditunjukkan dengan alasannya.",
                "Import employees from CSV; wrong rows are shown with the reason.",
            ),
        ],
        mistakes: &[(
            "Memindahkan pegawai tanpa memeriksa surat yang menunggu paraf jabatannya: tunjuk Plt/Plh bila jabatan kosong.",
            "Moving an employee without checking letters waiting at their position: appoint an acting official when it is vacant.",
        )],
        roles: &[Admin],
    },
    Topic {
        key: "audit",
        title: ("Log audit", "Audit log"),
        purpose: (
            "Catatan berantai setiap tindakan penting: siapa, kapan, dari mana. Rantainya dapat diperiksa keutuhannya.",
            "A chained record of every important action: who, when, from where. The chain can be checked for tampering.",
        ),
        steps: &[
            ("Saring dengan tindakan dan tanggal.", "Filter by action and date."),
            ("Periksa keutuhan rantai.", "Verify the chain."),
        ],
        mistakes: &[(
            "Mengira log dapat dihapus: log audit hanya dapat ditambah.",
            "Expecting the log can be deleted: the audit log can only grow.",
        )],
        roles: &[Admin],
    },
    Topic {
        key: "pengaturan-naskah",
        title: ("Pengaturan naskah dinas", "Letter settings"),
        purpose: (
            "Kode klasifikasi arsip, format nomor surat, dan logo kop surat.",
            "Archive classification codes, the letter number format and the letterhead logo.",
        ),
        steps: &[
            ("Tambah atau ubah kode klasifikasi.", "Add or edit classification codes."),
            (
                "Atur format nomor surat; contoh nomor ditampilkan.",
                "Set the number format; an example number is shown.",
            ),
            ("Unggah logo kop surat (PNG atau JPEG).", "Upload the letterhead logo (PNG or JPEG)."),
        ],
        mistakes: &[(
            "Mengubah format nomor di tengah tahun: nomor yang sudah keluar tidak berubah, yang baru memakai format baru.",
            "Changing the number format mid-year: numbers already given stay, new ones use the new format.",
        )],
        roles: &[Admin],
    },
    Topic {
        key: "admin-tte",
        title: ("Sertifikat TTE (admin)", "Signing certificates (admin)"),
        purpose: (
            "Sertifikat semua pejabat: menerbitkan, mencabut, dan menerbitkan ulang bila passphrase lupa.",
            "Every official's certificate: issuing, revoking and re-issuing when a passphrase is forgotten.",
        ),
        steps: &[
            (
                "Terbitkan sertifikat untuk pejabat penanda tangan.",
                "Issue a certificate for a signing official.",
            ),
            (
                "Cabut sertifikat yang kuncinya hilang atau pejabatnya berhenti.",
                "Revoke a certificate whose key is lost or whose holder left.",
            ),
        ],
        mistakes: &[(
            "Mencabut sertifikat yang masih dipakai: surat lama tetap sah, tetapi pejabat tidak dapat menandatangani sampai sertifikat baru diaktifkan.",
            "Revoking a certificate still in use: old letters stay valid, but the official cannot sign until a new one is activated.",
        )],
        roles: &[Admin],
    },
];

/// The topic of a page path (without query), if the page has help.
pub fn topic_for_path(path: &str) -> Option<&'static Topic> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let key = match segs.as_slice() {
        [] => "beranda",
        ["kotak-masuk", ..] => "kotak-masuk",
        ["surat-keluar"] => "surat-keluar",
        ["surat-keluar", "baru"] | ["surat-keluar", _, "ubah"] => "tulis-surat",
        ["surat-keluar", "nomor-manual"] => "nomor-manual",
        ["surat-keluar", _] => "surat-keluar-detail",
        ["surat-masuk"] => "surat-masuk",
        ["surat-masuk", "baru"] => "registrasi",
        ["surat-masuk", _] => "surat-masuk-detail",
        ["disposisi"] => "disposisi",
        ["kinerja"] => "kinerja",
        ["kinerja", "validasi"] => "validasi",
        ["kinerja", "rekap"] => "rekap",
        ["kinerja", "predikat"] => "predikat",
        ["kinerja", "pengaturan"] => "pengaturan-kinerja",
        ["dashboard"] => "dasbor",
        ["notifikasi", ..] => "notifikasi",
        ["organisasi", ..] => "organisasi",
        ["profil"] | ["ganti-sandi"] => "profil",
        ["keamanan"] => "keamanan",
        ["profil", "tte"] => "tte",
        ["admin"] => "admin",
        ["admin", "opd", _] => "kelola-opd",
        ["admin", "audit"] => "audit",
        ["admin", "naskah"] => "pengaturan-naskah",
        ["admin", "tte"] => "admin-tte",
        _ => return None,
    };
    topic(key)
}

pub fn topic(key: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.key == key)
}

/// The pages of one role's guide, in order.
pub fn guide_topics(role: GuideRole) -> impl Iterator<Item = &'static Topic> {
    TOPICS.iter().filter(move |t| t.roles.contains(&role))
}

/// The guide's opening words, above the pages.
pub fn guide_intro(l: Lang) -> Vec<String> {
    vec![
        pick(
            l,
            (
                "e-Office mengurus naskah dinas dari awal sampai arsip: surat keluar disusun, diparaf berjenjang, ditandatangani secara elektronik, diberi nomor, dan dikirim; surat masuk dicatat, didisposisikan, dan ditindaklanjuti. Pekerjaan di e-Office terhitung otomatis sebagai aktivitas e-Kinerja.",
                "e-Office handles official letters from start to archive: outgoing letters are drafted, approved level by level, signed electronically, numbered and delivered; incoming letters are registered, disposed and followed up. Work in e-Office counts by itself as e-Kinerja activity.",
            ),
        ),
        pick(
            l,
            (
                "Setiap bagian panduan ini sama dengan panel \"Bantuan halaman ini\" di halaman yang dibahas, dengan gambar layar halaman tersebut. Pada ponsel, menu dibuka dengan tombol Menu di kiri atas.",
                "Every part of this guide is the same as the \"Help for this page\" panel on the page it describes, with a screenshot of that page. On a phone, the menu opens with the Menu button at the top left.",
            ),
        ),
    ]
}

/// One step of the first-login tour, in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TourStep {
    pub title: String,
    pub body: String,
}

struct TourText {
    title: Text,
    body: Text,
    /// Shown to these roles only; empty for everyone.
    only: &'static [GuideRole],
}

const TOUR: &[TourText] = &[
    TourText {
        title: ("Selamat datang di e-Office", "Welcome to e-Office"),
        body: (
            "Surat keluar, surat masuk, disposisi, tanda tangan elektronik, dan e-Kinerja ada di satu aplikasi. Pekerjaan Anda di sini terhitung otomatis sebagai aktivitas kinerja.",
            "Outgoing and incoming letters, dispositions, electronic signatures and e-Kinerja live in one application. Your work here counts by itself as performance activity.",
        ),
        only: &[],
    },
    TourText {
        title: ("Menu dan angka penanda", "The menu and its counts"),
        body: (
            "Semua halaman ada di Menu (di ponsel: tombol Menu di kiri atas). Angka di samping Kotak Masuk, Surat Keluar, dan Disposisi adalah pekerjaan yang menunggu Anda; tekan untuk langsung menuju ke sana.",
            "Every page is in the Menu (on a phone: the Menu button at the top left). The numbers beside the Inbox, Outgoing letters and Dispositions are work waiting for you; press one to go straight there.",
        ),
        only: &[],
    },
    TourText {
        title: ("Surat untuk Anda", "Letters for you"),
        body: (
            "Surat yang ditandatangani untuk Anda masuk ke Kotak Masuk. Instruksi atasan atas surat masuk ada di Disposisi: kerjakan, lalu laporkan tindak lanjutnya di sana.",
            "Signed letters for you arrive in the Inbox. A superior's instructions on incoming mail are under Dispositions: act on them, then report the follow-up there.",
        ),
        only: &[GuideRole::Staf, GuideRole::Pejabat, GuideRole::Kepala],
    },
    TourText {
        title: ("Menulis dan memaraf surat", "Writing and approving letters"),
        body: (
            "Di Surat Keluar tekan \"+ Tulis surat\"; draf tersimpan otomatis. \"Ajukan untuk paraf\" mengirimnya ke atasan langsung. Surat yang dikembalikan menunjukkan catatan atasan di bagian atas.",
            "Under Outgoing letters press \"+ Write a letter\"; the draft saves itself. \"Submit for paraf\" sends it to your direct superior. A returned letter shows the superior's note at the top.",
        ),
        only: &[GuideRole::Staf, GuideRole::Pejabat, GuideRole::Kepala, GuideRole::Tu],
    },
    TourText {
        title: ("Mencatat surat masuk", "Registering incoming mail"),
        body: (
            "Sebagai TU, catat surat kertas di Surat Masuk > Registrasi surat masuk: pindai atau foto halamannya, isi datanya, dan pilih pejabat yang memberi disposisi.",
            "As the clerk, record paper letters under Incoming mail > Register incoming mail: scan or photograph the pages, fill in the details and choose who gives the disposition.",
        ),
        only: &[GuideRole::Tu],
    },
    TourText {
        title: ("Memimpin dari satu layar", "Leading from one screen"),
        body: (
            "Dasbor pimpinan menunjukkan surat yang tertahan, disposisi lewat tenggat, dan siapa yang belum aktif; dari sana Anda dapat mengingatkan atau mengalihkan.",
            "The leaders' dashboard shows stuck letters, overdue dispositions and who has been idle; from there you can remind or reassign.",
        ),
        only: &[GuideRole::Pejabat, GuideRole::Kepala],
    },
    TourText {
        title: ("Mengatur organisasi", "Running the organisation"),
        body: (
            "Di Administrasi Anda mengelola OPD, unit, jabatan, pegawai, Plt/Plh, dan peran. Setiap perubahan tercatat di log audit.",
            "Under Administration you manage agencies, units, positions, employees, acting officials and roles. Every change is recorded in the audit log.",
        ),
        only: &[GuideRole::Admin],
    },
    TourText {
        title: ("Kinerja", "Performance"),
        body: (
            "Di Kinerja lihat nilai bulan ini dan catat pekerjaan di luar e-Office; atasan memvalidasinya. Nilai itu menentukan TPP.",
            "Under Performance see this month's score and log work outside e-Office; your superior validates it. The score feeds the allowance (TPP).",
        ),
        only: &[],
    },
    TourText {
        title: ("Bantuan selalu ada", "Help is always there"),
        body: (
            "Setiap halaman punya panel \"Bantuan halaman ini\" di bagian atas: gunanya, langkah-langkahnya, dan kesalahan yang sering terjadi, serta panduan PDF untuk peran Anda.",
            "Every page has a \"Help for this page\" panel at the top: what it is for, the steps and the common mistakes, with the PDF guide for your role.",
        ),
        only: &[],
    },
];

/// The tour for a reader of the given role.
pub fn tour(l: Lang, role: GuideRole) -> Vec<TourStep> {
    TOUR.iter()
        .filter(|s| s.only.is_empty() || s.only.contains(&role))
        .map(|s| TourStep { title: pick(l, s.title), body: pick(l, s.body) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_of_the_app_has_help() {
        for path in [
            "/",
            "/kotak-masuk",
            "/kotak-masuk/abc",
            "/surat-keluar",
            "/surat-keluar/baru",
            "/surat-keluar/abc",
            "/surat-keluar/abc/ubah",
            "/surat-keluar/nomor-manual",
            "/surat-masuk",
            "/surat-masuk/baru",
            "/surat-masuk/abc",
            "/disposisi",
            "/kinerja",
            "/kinerja/validasi",
            "/kinerja/rekap",
            "/kinerja/predikat",
            "/kinerja/pengaturan",
            "/dashboard",
            "/notifikasi",
            "/notifikasi/pengaturan",
            "/organisasi",
            "/organisasi/abc",
            "/profil",
            "/ganti-sandi",
            "/keamanan",
            "/profil/tte",
            "/admin",
            "/admin/opd/abc",
            "/admin/audit",
            "/admin/naskah",
            "/admin/tte",
        ] {
            assert!(topic_for_path(path).is_some(), "{path} has no help");
        }
        assert!(topic_for_path("/masuk").is_none());
        assert_eq!(topic_for_path("/surat-keluar/baru").map(|t| t.key), Some("tulis-surat"));
        assert_eq!(topic_for_path("/surat-keluar/x1").map(|t| t.key), Some("surat-keluar-detail"));
    }

    #[test]
    fn every_topic_is_complete_in_both_languages_and_in_some_guide() {
        let mut keys = std::collections::HashSet::new();
        for t in TOPICS {
            assert!(keys.insert(t.key), "{} twice", t.key);
            assert!(!t.roles.is_empty(), "{} is in no guide", t.key);
            assert!(!t.steps.is_empty() && !t.mistakes.is_empty(), "{}", t.key);
            for (id, en) in [t.title, t.purpose].iter().chain(t.steps).chain(t.mistakes) {
                assert!(!id.trim().is_empty() && !en.trim().is_empty(), "{}", t.key);
                assert_ne!(id, en, "{}: untranslated", t.key);
            }
        }
        for r in GuideRole::all() {
            assert!(guide_topics(*r).count() >= 5, "{r} guide too thin");
            assert!(guide_topics(*r).any(|t| t.key == "beranda"));
        }
    }

    #[test]
    fn the_tour_fits_the_role() {
        let tu = tour(Lang::Id, GuideRole::Tu);
        assert!(tu.iter().any(|s| s.title == "Mencatat surat masuk"));
        assert!(!tu.iter().any(|s| s.title == "Mengatur organisasi"));
        let admin = tour(Lang::En, GuideRole::Admin);
        assert!(admin.iter().any(|s| s.title == "Running the organisation"));
        assert_eq!(admin.first().map(|s| s.title.as_str()), Some("Welcome to e-Office"));
        assert_eq!(admin.last().map(|s| s.title.as_str()), Some("Help is always there"));
    }

    #[test]
    fn the_reader_s_own_guide_comes_first() {
        let h = topic("beranda").map(|t| t.text(Lang::Id, GuideRole::Tu)).unwrap_or_default();
        assert_eq!(h.guides.len(), GuideRole::all().len());
        assert_eq!(h.guides[0].1, "/panduan/tu.pdf");
    }

    #[test]
    fn guide_roles_follow_grants_and_positions() {
        use crate::org::PositionLevel;
        use crate::roles::Grant;
        let mut caps = Caps { pemda_id: "p".into(), ..Default::default() };
        assert_eq!(GuideRole::of(&caps), GuideRole::Staf);
        caps.best_level = Some(PositionLevel::KepalaSeksi);
        assert_eq!(GuideRole::of(&caps), GuideRole::Pejabat);
        caps.best_level = Some(PositionLevel::KepalaOpd);
        assert_eq!(GuideRole::of(&caps), GuideRole::Kepala);
        caps.grants.push(Grant { role: Role::Tu, scope_id: "o".into() });
        assert_eq!(GuideRole::of(&caps), GuideRole::Tu);
        caps.grants.push(Grant { role: Role::AdminOpd, scope_id: "o".into() });
        assert_eq!(GuideRole::of(&caps), GuideRole::Admin);
    }
}
