//! `eoffice`: the e-Office server and its administration commands.
// The server renders the whole Leptos app; its deeply nested view types (the letter compose form)
// exceed the default type-layout query depth when the binary is compiled.
#![recursion_limit = "256"]

mod bench;
mod http;
mod limits;
mod ops;
mod verifikasi;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use backend::Store;
use backend::store::audit::ChainStatus;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The documented passphrase of the demo signers' certificates (`serve --demo` only).
const DEMO_TTE_PASSPHRASE: &str = "tte-demo-2026";

/// Which signer turns the rendered letter into the final document.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum SignerChoice {
    /// Approval only, no certificate (the letter says so).
    Approval,
    /// The installation's own CA: the official's key, unlocked with their passphrase.
    LocalCa,
    /// A remote signing service in the BSrE style (see --remote-signer-url).
    Remote,
}

#[derive(Parser)]
#[command(
    name = "eoffice",
    version,
    about = "e-Office: naskah dinas elektronik, disposisi dan kinerja ASN untuk Pemda"
)]
struct Cli {
    /// Log as text lines (default) or as JSON objects, one per line, with the request id.
    #[arg(long, env = "EOFFICE_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LogFormat {
    Text,
    Json,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// Data folder: holds the embedded SQLite database (eoffice.db) and, later, uploaded files.
    #[arg(long, env = "EOFFICE_DATA", default_value = "data")]
    data: PathBuf,
    /// Database URL; when unset, SQLite in the data folder. Use postgres://... for PostgreSQL.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
}

impl DbArgs {
    fn url(&self) -> anyhow_lite::Result<String> {
        if let Some(u) = &self.database_url {
            return Ok(u.clone());
        }
        std::fs::create_dir_all(&self.data)
            .map_err(|e| format!("cannot create data folder {}: {e}", self.data.display()))?;
        Ok(format!("sqlite://{}", self.data.join("eoffice.db").display()))
    }

    async fn store(&self) -> anyhow_lite::Result<Store> {
        let url = self.url()?;
        Store::connect(&url)
            .await
            .map_err(|e| format!("cannot open database: {}", e.chain()).into())
    }
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (creates and migrates the database on first start).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "EOFFICE_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        #[command(flatten)]
        db: DbArgs,
        /// Folder with the built browser assets (pkg/, style.css, ...).
        #[arg(long, env = "EOFFICE_SITE_ROOT", default_value = "target/site")]
        site_root: PathBuf,
        /// Create the demo Pemda (Kabupaten Bojonegoro, shared password) in an empty database.
        /// For trying e-Office only: a real installation starts with `eoffice init`.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when users reach the server over https).
        #[arg(long, env = "EOFFICE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Take the client address from X-Forwarded-For (only behind a trusted reverse proxy).
        #[arg(long, env = "EOFFICE_TRUST_PROXY")]
        trust_proxy: bool,
        /// Signer of letters; default local-ca when the PKI exists (`eoffice pki init`), else approval.
        #[arg(long, env = "EOFFICE_SIGNER", value_enum)]
        signer: Option<SignerChoice>,
        /// Public URL of this server as users and QR codes reach it (verification links, CRL URL in
        /// new certificates); default http://ADDR.
        #[arg(long, env = "EOFFICE_PUBLIC_BASE")]
        public_base: Option<String>,
        /// Remote signer endpoint, http://host:port/path (with --signer remote).
        #[arg(long, env = "EOFFICE_REMOTE_SIGNER_URL")]
        remote_signer_url: Option<String>,
        /// Client user name for the remote signer (HTTP basic auth).
        #[arg(long, env = "EOFFICE_REMOTE_SIGNER_USER", default_value = "")]
        remote_signer_user: String,
        /// Client password for the remote signer (prefer the environment variable).
        #[arg(
            long,
            env = "EOFFICE_REMOTE_SIGNER_PASSWORD",
            default_value = "",
            hide_env_values = true
        )]
        remote_signer_password: String,
        /// Certificate authority of the remote signer, as printed in the letter footer.
        #[arg(
            long,
            env = "EOFFICE_REMOTE_SIGNER_ISSUER",
            default_value = "Balai Sertifikasi Elektronik (BSrE), BSSN"
        )]
        remote_signer_issuer: String,
        /// SMTP server for the notice digests users may choose: smtp://host:25 (a relay on the
        /// same network), smtp://user:password@host:587?tls=required (STARTTLS) or
        /// smtps://user:password@host:465. Without it no e-mail is sent.
        #[arg(long, env = "EOFFICE_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// Sender of those e-mails.
        #[arg(long, env = "EOFFICE_MAIL_FROM", default_value = "e-Office <eoffice@localhost>")]
        mail_from: String,
        /// Take a backup this often (e.g. 24h, 12h, 30m); none when unset. With several copies on
        /// one PostgreSQL database, one copy takes each.
        #[arg(long, env = "EOFFICE_BACKUP_EVERY")]
        backup_every: Option<String>,
        /// Scheduled backups kept; older ones are removed.
        #[arg(long, env = "EOFFICE_BACKUP_KEEP", default_value_t = 14)]
        backup_keep: usize,
        /// Folder of the scheduled backups (default DATA/backups; better on another disk).
        #[arg(long, env = "EOFFICE_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// Serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464 (a private
        /// address: the main address never serves them). Off when unset.
        #[arg(long, env = "EOFFICE_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// /readyz reports "not ready" when the data folder's disk has less free space (MB).
        #[arg(long, env = "EOFFICE_MIN_FREE_MB", default_value_t = 512)]
        min_free_mb: u64,
    },
    /// Back up the database while people work: `eoffice backup --to DIR` writes a new folder in
    /// DIR with the copy and a manifest; `eoffice backup verify FOLDER` checks one.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        #[command(flatten)]
        args: BackupArgs,
    },
    /// Export everything in open formats (JSON lines per table, every letter as PDF with a JSON
    /// record) into a new folder: for leaving, or for moving between SQLite and PostgreSQL.
    Export {
        /// The new (or empty) folder to write.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import an export into a new, empty installation (same e-Office version), on SQLite or
    /// PostgreSQL.
    Import {
        /// The export folder (the one holding manifest.json).
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Restore a backup into an empty data folder (SQLite) or an empty database (--database-url).
    Restore {
        /// The backup folder (the one holding manifest.json).
        #[arg(long)]
        from: PathBuf,
        /// The PKI master key file kept apart from the backup, put into the data folder.
        #[arg(long)]
        key: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The installation's certificate authority for electronic signatures (TTE).
    Pki {
        #[command(subcommand)]
        command: PkiCommand,
    },
    /// Check the electronic signatures of a PDF. Exit 0 only when valid; 1 when invalid; 2 when the
    /// file is not a PDF, has no signature or cannot be read.
    Verify {
        /// The PDF file.
        file: PathBuf,
        /// Trust this root certificate (PEM) instead of the database's; revocation is then not
        /// checked. Repeatable.
        #[arg(long)]
        root: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Signing throughput against pyHanko's Python API, in one run (for the performance note).
    #[command(hide = true)]
    BenchSign {
        /// Letters to sign in each measurement.
        #[arg(long, short, default_value_t = 300)]
        n: usize,
        /// Threads for the second e-Office measurement.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Python of a venv with pyHanko (default: $TTE_VENV or ~/.cache/eoffice/venv).
        #[arg(long)]
        python: Option<PathBuf>,
        /// Keep the generated files (unsigned letter, test key, pyHanko output) in this folder.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create the demo Pemda (Kabupaten Bojonegoro) in an empty database.
    Seed {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set up an empty database for real use: the Pemda, a first OPD and its Admin Pemda, who gets a
    /// temporary password (printed once) to change at first login.
    Init {
        #[command(flatten)]
        db: DbArgs,
        /// Full name of the Pemda, e.g. "Pemerintah Kabupaten Bojonegoro".
        #[arg(long)]
        pemda_name: String,
        /// Short name, e.g. "Kabupaten Bojonegoro".
        #[arg(long)]
        pemda_short: String,
        /// Region code, e.g. 3522.
        #[arg(long)]
        pemda_code: String,
        /// The first OPD, e.g. "Dinas Komunikasi dan Informatika".
        #[arg(long)]
        opd_name: String,
        /// Its short name, e.g. "Dinas Kominfo".
        #[arg(long)]
        opd_short: String,
        /// Its unit code used in letter numbers, e.g. 412.208.
        #[arg(long)]
        opd_code: String,
        /// NIP of the first Admin Pemda (18 digits).
        #[arg(long)]
        admin_nip: String,
        /// Name of the first Admin Pemda, with titles.
        #[arg(long)]
        admin_name: String,
        /// Email of the first Admin Pemda.
        #[arg(long)]
        admin_email: String,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(clap::Args)]
struct BackupArgs {
    /// Folder that receives the backup (a new subfolder eoffice-YYYYMMDD-HHMMSS).
    #[arg(long)]
    to: Option<PathBuf>,
    /// Also put the PKI master key in the backup. Whoever holds such a backup can sign as the
    /// Pemda: keep the key apart instead (--key-to) unless the backup is stored encrypted.
    #[arg(long)]
    with_key: bool,
    /// Copy the PKI master key into this other folder (not inside --to).
    #[arg(long)]
    key_to: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Check a backup folder: checksums, and for SQLite every table and the audit chain.
    Verify {
        /// The backup folder (the one holding manifest.json).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit log; exit non-zero at the first broken link.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum PkiCommand {
    /// Create the root CA, issuing CA and time-stamp authority of the (single) Pemda. Their keys are
    /// encrypted under the master secret: $EOFFICE_PKI_MASTER, else DATA/pki-master.key, which is
    /// created (mode 0600) when missing. Refuses, harmlessly, when the PKI exists.
    Init {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Show the CA of this installation and whether the master secret opens it.
    Status {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Re-encrypt the CA keys under a new master secret. With DATA/pki-master.key: a new secret is
    /// made, written to pki-master.key.new, the keys re-encrypted in one transaction, then the file
    /// replaced (a run cut short is finished by running it again). With $EOFFICE_PKI_MASTER: the
    /// new value comes from $EOFFICE_PKI_MASTER_NEW. Restart every server copy afterwards.
    RotateMaster {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Replace the issuing CA and the time-stamp authority with new keys under the same root
    /// (a "generation"; before the issuing CA ends, or when its key may have leaked). Letters
    /// signed before stay valid. The old generation keeps publishing its CRL.
    RenewCa {
        /// Also revoke every official's certificate of the earlier generations, with this reason
        /// (key_compromise when the old key may have leaked, superseded for a planned renewal);
        /// they then enrol again. Without it they stay usable until they end.
        #[arg(long, value_name = "REASON")]
        revoke_issued: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A tiny boxed-error result, enough for a CLI.
mod anyhow_lite {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}

fn print_logins(logins: &[backend::seed::DemoLogin]) {
    if logins.is_empty() {
        return;
    }
    println!("Akun demo (kata sandi semua akun: {}):", backend::seed::DEMO_PASSWORD);
    for l in logins {
        println!("  {:<28} NIP {}  {}", l.role, l.nip, l.email);
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
    }
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow_lite::Result<std::process::ExitCode> {
    match cli.command {
        Command::Serve {
            addr,
            db,
            site_root,
            demo,
            secure_cookies,
            trust_proxy,
            signer,
            public_base,
            remote_signer_url,
            remote_signer_user,
            remote_signer_password,
            remote_signer_issuer,
            smtp_url,
            mail_from,
            backup_every,
            backup_keep,
            backup_dir,
            metrics_addr,
            min_free_mb,
        } => {
            let backup_every = backup_every
                .filter(|s| !s.trim().is_empty())
                .map(|s| ops::parse_duration(&s))
                .transpose()
                .map_err(|e| format!("--backup-every: {e}"))?;
            let store = db.store().await?;
            let readiness =
                ops::Readiness { store: store.clone(), data: db.data.clone(), min_free_mb };
            if let Some(addr) = metrics_addr {
                ops::start_metrics(addr, readiness.clone()).await?;
            }
            if let Some(url) = smtp_url.filter(|u| !u.trim().is_empty()) {
                store.set_mailer(
                    backend::mail::Mailer::new(&url, &mail_from).map_err(|e| e.user_message())?,
                );
                println!("E-mail: ringkasan notifikasi dikirim dari {mail_from}");
            }
            store.set_pki_master(master_secret(&db.data, demo)?);
            let public_base = public_base.unwrap_or_else(|| format!("http://{addr}"));
            store.set_public_base(&public_base);
            if demo {
                if !backend::seed::seed_demo(&store).await?.is_empty() {
                    backend::seed::seed_demo_overdue(&store).await?;
                }
                print_logins(&backend::seed::demo_logins(&store).await?);
                match store.setup_demo_tte(DEMO_TTE_PASSPHRASE).await {
                    Ok(_) => println!(
                        "TTE demo: Kepala Dinas, Sekretaris, Kabid E-Government dan Kepala Bappeda bersertifikat; passphrase TTE: {DEMO_TTE_PASSPHRASE}"
                    ),
                    Err(e) => tracing::warn!(error = %e, "demo certificates not set up"),
                }
            } else if store.count_pemda().await? == 0 {
                println!(
                    "Database masih kosong. Siapkan dengan `eoffice init --help`, atau coba data demo dengan `eoffice serve --demo`."
                );
            }
            let remote = RemoteArgs {
                url: remote_signer_url,
                user: remote_signer_user,
                password: remote_signer_password,
                issuer: remote_signer_issuer,
            };
            let signer = choose_signer(&store, signer, &public_base, remote).await?;
            println!(
                "Penanda tangan surat: {} (verifikasi publik di {public_base}/verifikasi)",
                signer.kind()
            );
            // Notices made by other copies on the same PostgreSQL database reach this copy's pages.
            store
                .listen_notifications()
                .await
                .map_err(|e| format!("cannot listen for notifications: {e}"))?;
            // Deadline notices (tomorrow, overdue), then the e-mail digests that are due: at start,
            // then every 15 minutes.
            let deadlines = store.clone();
            // With several copies on one database, one copy at a time runs them.
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
                loop {
                    every.tick().await;
                    let lock = match deadlines.try_job_lock("notices").await {
                        Ok(Some(l)) => l,
                        Ok(None) => continue,
                        Err(e) => {
                            tracing::warn!("notices lock: {}", e.chain());
                            continue;
                        }
                    };
                    let r = deadlines.send_deadline_notices().await.map(|_| ());
                    ops::job_result("deadline_notices", &r.map_err(|e| e.chain()));
                    let r = deadlines.send_email_digests(backend::now_ms()).await.map(|_| ());
                    ops::job_result("email_digests", &r.map_err(|e| e.chain()));
                    lock.release().await;
                }
            });
            if let Some(every) = backup_every {
                let dir = backup_dir.unwrap_or_else(|| db.data.join("backups"));
                println!(
                    "Cadangan terjadwal: setiap {}, {backup_keep} terakhir disimpan di {}",
                    humantime(every),
                    dir.display()
                );
                backend::store::ops::set_backup_schedule(backend::store::ops::BackupSchedule {
                    every_s: every.as_secs() as i64,
                    keep: backup_keep.max(1) as i64,
                    dir: dir.display().to_string(),
                });
                ops::schedule_backups(store.clone(), dir, every, backup_keep.max(1));
            }
            // The regency dashboards' month figures, ready before the first leader asks.
            let warm = store.clone();
            tokio::spawn(async move {
                if let Err(e) = warm.warm_dashboards().await {
                    tracing::warn!("dashboard warm-up: {e}");
                }
            });
            let signer: Arc<dyn backend::sign::LetterSigner> = Arc::new(ops::Counting(signer));
            http::serve(store, addr, site_root, secure_cookies, trust_proxy, signer, readiness)
                .await?;
        }
        Command::Backup { command: Some(BackupCommand::Verify { dir }), .. } => {
            let r = backend::store::backup::verify_backup(&dir).await.map_err(|e| e.chain())?;
            let m = &r.manifest;
            println!(
                "Cadangan UTUH / backup intact: {}
  dibuat {}, {} ({} byte), skema {}, {} tabel, log audit {} baris",
                dir.display(),
                domain::time::long_datetime(m.created_ms, domain::Lang::Id),
                m.database,
                m.bytes(),
                m.schema_version,
                m.tables.len(),
                m.audit_rows
            );
            println!(
                "  {}",
                if r.tables_checked {
                    "checksum, integritas SQLite, isi setiap tabel dan rantai audit diperiksa"
                } else {
                    "checksum dan daftar isi pg_dump diperiksa; isi tabel dibandingkan saat pemulihan"
                }
            );
            if m.key_included {
                println!("  PERINGATAN: cadangan ini berisi kunci induk PKI.");
            }
        }
        Command::Backup { command: None, args } => {
            return backup_command(args).await;
        }
        Command::Export { to, db } => {
            let store = db.store().await?;
            let m = store.export_to(&to).await.map_err(|e| e.chain())?;
            println!(
                "Ekspor selesai / export written: {}\n  {} tabel ({} baris), {} surat keluar dan {} surat masuk sebagai PDF + JSON",
                to.display(),
                m.tables.len(),
                m.tables.values().sum::<i64>(),
                m.outgoing_letters,
                m.incoming_letters
            );
            println!(
                "  Folder ini berisi data pribadi dan hash kata sandi: simpan seaman cadangan. Kunci induk PKI tidak ikut."
            );
        }
        Command::Import { from, db } => {
            let store = db.store().await?;
            let m =
                backend::store::export::import_from(&store, &from).await.map_err(|e| e.chain())?;
            println!(
                "Impor selesai / imported: {} tabel ({} baris) dari ekspor {} ({}); log audit utuh.",
                m.tables.len(),
                m.tables.values().sum::<i64>(),
                from.display(),
                m.source_database
            );
            println!(
                "  Untuk menandatangani, letakkan kunci induk PKI instalasi lama di {} (atau EOFFICE_PKI_MASTER).",
                backend::store::pki::master_path(&db.data).display()
            );
        }
        Command::Restore { from, key, db } => {
            let m = backend::store::backup::restore(
                &from,
                &db.data,
                db.database_url.as_deref(),
                key.as_deref(),
            )
            .await
            .map_err(|e| e.chain())?;
            println!(
                "Dipulihkan / restored: {} tabel, log audit {} baris utuh, sama dengan manifest {}.",
                m.tables.len(),
                m.audit_rows,
                from.display()
            );
            match db.database_url.as_deref() {
                Some(_) => println!("  Basis data: --database-url yang diberikan"),
                None => println!(
                    "  Basis data: {}",
                    db.data.join(backend::store::backup::SQLITE_FILE).display()
                ),
            }
            if !m.key_included && key.is_none() {
                println!(
                    "  Kunci induk PKI tidak ada di cadangan: letakkan salinannya di {} (atau EOFFICE_PKI_MASTER) sebelum `eoffice serve`, kalau tidak surat tidak dapat ditandatangani.",
                    backend::store::pki::master_path(&db.data).display()
                );
            }
        }
        Command::Pki { command: PkiCommand::Init { db } } => {
            let store = db.store().await?;
            let pemda = store
                .sole_pemda()
                .await
                .map_err(|e| e.user_message())?
                .ok_or("the database has no Pemda yet: run `eoffice init` first")?;
            if store.public_ca(&pemda).await?.is_some() {
                println!("PKI sudah ada untuk Pemda ini; tidak dibuat ulang.");
                return Ok(std::process::ExitCode::SUCCESS);
            }
            store.set_pki_master(master_secret(&db.data, true)?);
            let status = store
                .init_pki(&backend::Actor::system(), &pemda)
                .await
                .map_err(|e| e.user_message())?;
            println!(
                "PKI dibuat.\n  Root CA:    {}\n  Issuing CA: {}",
                status.root_subject, status.issuing_subject
            );
            if std::env::var("EOFFICE_PKI_MASTER").is_err() {
                println!(
                    "Kunci induk: {}\nCADANGKAN berkas ini terpisah dari cadangan basis data dan jaga agar hanya dapat dibaca akun server.",
                    backend::store::pki::master_path(&db.data).display()
                );
            }
        }
        Command::Pki { command: PkiCommand::Status { db } } => {
            let store = db.store().await?;
            store.set_pki_master(master_secret(&db.data, false)?);
            let Some(pemda) = store.installation_pemda().await? else {
                println!("PKI belum dibuat (eoffice pki init).");
                return Ok(std::process::ExitCode::from(1));
            };
            let s = store.pki_status(&pemda).await?;
            println!("Root CA:    {}\nIssuing CA: {}", s.root_subject, s.issuing_subject);
            match store.ca_keys(&pemda).await {
                Ok(_) => println!("Kunci induk membuka kunci CA: ya"),
                Err(e) => {
                    println!("Kunci induk membuka kunci CA: TIDAK ({e})");
                    return Ok(std::process::ExitCode::from(1));
                }
            }
        }
        Command::Pki { command: PkiCommand::RotateMaster { db } } => {
            return rotate_master(&db).await;
        }
        Command::Pki { command: PkiCommand::RenewCa { revoke_issued, db } } => {
            use domain::Code;
            let reason = revoke_issued
                .map(|r| {
                    domain::tte::RevocationReason::from_code(r.trim()).ok_or_else(|| {
                        format!(
                            "--revoke-issued: unknown reason {r:?} (key_compromise, superseded, affiliation_changed, cessation_of_operation, unspecified)"
                        )
                    })
                })
                .transpose()?;
            let store = db.store().await?;
            let Some(pemda) = store.installation_pemda().await? else {
                println!("PKI belum dibuat (eoffice pki init).");
                return Ok(std::process::ExitCode::from(1));
            };
            let master = master_secret(&db.data, false)?
                .ok_or("no PKI master secret (DATA/pki-master.key or EOFFICE_PKI_MASTER)")?;
            store.set_pki_master(Some(master));
            let done = store
                .renew_issuing_ca(&backend::Actor::system(), &pemda, reason)
                .await
                .map_err(|e| e.user_message())?;
            println!(
                "Issuing CA diperbarui (generasi {}): {}\n  CRL sertifikat yang diterbitkannya: <--public-base>{}",
                done.generation,
                done.issuing_subject,
                backend::store::pki::crl_path(done.generation)
            );
            if reason.is_some() {
                println!(
                    "  {} sertifikat pejabat generasi sebelumnya dicabut; pemegangnya diberi tahu dan perlu didaftarkan ulang di /admin/tte.",
                    done.revoked
                );
            }
            println!("Mulai ulang setiap salinan server (systemctl restart eoffice).");
        }
        Command::Verify { file, root, json, db } => {
            return verify_file(&file, &root, json, &db).await;
        }
        Command::BenchSign { n, threads, python, keep } => {
            tokio::task::spawn_blocking(move || {
                bench::run(n, threads, python, keep).map_err(|e| e.to_string())
            })
            .await??;
        }
        Command::Migrate { db } => {
            db.store().await?;
            println!("Database is up to date.");
        }
        Command::Seed { db } => {
            let store = db.store().await?;
            if backend::seed::seed_demo(&store).await?.is_empty() {
                println!("The database already has a Pemda; nothing seeded.");
            }
            print_logins(&backend::seed::demo_logins(&store).await?);
        }
        Command::Init {
            db,
            pemda_name,
            pemda_short,
            pemda_code,
            opd_name,
            opd_short,
            opd_code,
            admin_nip,
            admin_name,
            admin_email,
        } => {
            let store = db.store().await?;
            let b = backend::seed::Bootstrap {
                pemda_name,
                pemda_short,
                pemda_code,
                opd: backend::store::org::OpdInput {
                    name: opd_name,
                    short_name: opd_short,
                    code: opd_code,
                    ..Default::default()
                },
                admin_nip,
                admin_name,
                admin_email,
            };
            match backend::seed::bootstrap(&store, &b).await {
                Ok(temp) => println!(
                    "Siap. Admin Pemda masuk dengan NIP atau email dan kata sandi sementara: {temp}\n(wajib diganti saat pertama masuk; tidak akan ditampilkan lagi)"
                ),
                Err(e) => return Err(e.user_message().into()),
            }
        }
        Command::Audit { command: AuditCommand::Verify { db } } => {
            let store = db.store().await?;
            match store.verify_audit_chain().await? {
                ChainStatus::Intact { rows, last_hash } => {
                    println!("audit chain intact: {rows} rows, last hash {last_hash}")
                }
                ChainStatus::Broken { rows_ok, first_break } => {
                    println!(
                        "audit chain BROKEN at row {}: {} ({rows_ok} rows before it are intact)",
                        first_break.seq(),
                        first_break.describe()
                    );
                    return Ok(std::process::ExitCode::from(2));
                }
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// "24 jam", "30 menit", "7 hari" for the start-up message.
fn humantime(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(86_400) {
        format!("{} hari", s / 86_400)
    } else if s.is_multiple_of(3600) {
        format!("{} jam", s / 3600)
    } else if s.is_multiple_of(60) {
        format!("{} menit", s / 60)
    } else {
        format!("{s} detik")
    }
}

/// `eoffice backup --to DIR`: the copy, recorded for the Admin Pemda, and what to do with the key.
async fn backup_command(args: BackupArgs) -> anyhow_lite::Result<std::process::ExitCode> {
    let Some(to) = args.to else {
        return Err("sebutkan folder tujuan: eoffice backup --to FOLDER (atau eoffice backup verify FOLDER)".into());
    };
    let key_file = backend::store::pki::master_path(&args.db.data);
    if let Some(k) = &args.key_to {
        let inside = std::path::absolute(k)
            .ok()
            .zip(std::path::absolute(&to).ok())
            .is_some_and(|(k, t)| k.starts_with(&t));
        if inside {
            return Err("--key-to harus folder lain, di luar --to: kunci induk disimpan terpisah dari cadangan".into());
        }
    }
    let store = args.db.store().await?;
    let key =
        backend::store::backup::KeyChoice { key_file: Some(&key_file), include: args.with_key };
    let (path, m) = ops::backup_once(&store, &to, None, "manual", key).await?;
    println!(
        "Cadangan dibuat / backup written: {}
  {} ({} byte), {} tabel, log audit {} baris utuh",
        path.display(),
        m.database,
        m.bytes(),
        m.tables.len(),
        m.audit_rows
    );
    if m.key_included {
        println!(
            "PERINGATAN: kunci induk PKI ikut tersimpan di cadangan ini. Siapa pun yang memegangnya dapat menandatangani atas nama Pemda: simpan cadangan ini terenkripsi."
        );
    } else if let Some(k) = &args.key_to {
        std::fs::create_dir_all(k).map_err(|e| format!("cannot create {}: {e}", k.display()))?;
        if !key_file.exists() {
            return Err(format!("kunci induk PKI tidak ada di {}", key_file.display()).into());
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("eoffice");
        let target = k.join(format!("{name}.{}", backend::store::pki::MASTER_FILE));
        std::fs::copy(&key_file, &target)
            .map_err(|e| format!("cannot copy the key to {}: {e}", target.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
        }
        println!("Kunci induk PKI disalin terpisah ke {}", target.display());
    } else if std::env::var("EOFFICE_PKI_MASTER").is_ok() {
        println!(
            "Kunci induk PKI berasal dari EOFFICE_PKI_MASTER: simpan nilainya terpisah dari cadangan ini."
        );
    } else if key_file.exists() {
        println!(
            "Kunci induk PKI ({}) TIDAK ikut dicadangkan. Simpan salinannya terpisah, mis. `eoffice backup --to {} --key-to FOLDER_LAIN`.",
            key_file.display(),
            to.display()
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Whether `secret` opens the keys of the installation's CA.
async fn opens_ca(store: &backend::Store, pemda: &str, secret: &str) -> bool {
    store.set_pki_master(Some(secret.to_string()));
    store.ca_keys(pemda).await.is_ok()
}

/// `eoffice pki rotate-master`: see [`PkiCommand::RotateMaster`].
async fn rotate_master(db: &DbArgs) -> anyhow_lite::Result<std::process::ExitCode> {
    use backend::store::pki;
    let store = db.store().await?;
    let Some(pemda) = store.installation_pemda().await? else {
        println!("PKI belum dibuat (eoffice pki init); tidak ada yang dirotasi.");
        return Ok(std::process::ExitCode::from(1));
    };
    let actor = backend::Actor::system();
    let restart = "Mulai ulang setiap salinan server (systemctl restart eoffice) agar memakai kunci induk baru.";
    // $EOFFICE_PKI_MASTER: the administrator supplies the new value; nothing is written to disk.
    if std::env::var("EOFFICE_PKI_MASTER").is_ok() {
        let current = master_secret(&db.data, false)?.ok_or("EOFFICE_PKI_MASTER is empty")?;
        let new = std::env::var("EOFFICE_PKI_MASTER_NEW").map_err(|_| {
            "EOFFICE_PKI_MASTER is set: put the new secret (at least 32 random characters) in EOFFICE_PKI_MASTER_NEW"
        })?;
        if !opens_ca(&store, &pemda, &current).await {
            if opens_ca(&store, &pemda, &new).await {
                println!(
                    "Kunci CA sudah terenkripsi dengan EOFFICE_PKI_MASTER_NEW: rotasi sudah selesai. Pindahkan nilainya ke EOFFICE_PKI_MASTER."
                );
                return Ok(std::process::ExitCode::SUCCESS);
            }
            return Err("EOFFICE_PKI_MASTER does not open the CA keys in this database".into());
        }
        let n = store.rotate_pki_master(&actor, &new).await.map_err(|e| e.user_message())?;
        println!(
            "Kunci induk dirotasi ({n} CA). Ganti EOFFICE_PKI_MASTER dengan nilai EOFFICE_PKI_MASTER_NEW di konfigurasi setiap salinan. {restart}"
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let path = pki::master_path(&db.data);
    let next = path.with_file_name(format!("{}.new", pki::MASTER_FILE));
    let current = pki::read_master_file(&path)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{} not found (nor EOFFICE_PKI_MASTER)", path.display()))?;
    // A run cut short: the new file exists. If the database already holds the keys under it,
    // only the file swap is left; if not, it is a leftover of a run that changed nothing.
    if let Some(new) = pki::read_master_file(&next).map_err(|e| e.to_string())? {
        if opens_ca(&store, &pemda, &new).await {
            pki::replace_master_file(&next, &path).map_err(|e| e.to_string())?;
            println!(
                "Rotasi sebelumnya diselesaikan: {} memuat kunci induk baru. CADANGKAN berkas ini terpisah dari cadangan basis data. {restart}",
                path.display()
            );
            return Ok(std::process::ExitCode::SUCCESS);
        }
        std::fs::remove_file(&next).map_err(|e| format!("remove {}: {e}", next.display()))?;
    }
    if !opens_ca(&store, &pemda, &current).await {
        return Err(format!(
            "{} does not open the CA keys in this database; nothing was changed",
            path.display()
        )
        .into());
    }
    let new = pki::create_master_file(&next).map_err(|e| e.to_string())?;
    store.set_pki_master(Some(current));
    let n = match store.rotate_pki_master(&actor, &new).await {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&next);
            return Err(e.user_message().into());
        }
    };
    pki::replace_master_file(&next, &path).map_err(|e| e.to_string())?;
    println!(
        "Kunci induk dirotasi ({n} CA): {} memuat kunci baru; kunci lama tidak lagi membuka CA di basis data ini.\n\
         CADANGKAN berkas baru terpisah dari cadangan basis data. Cadangan basis data yang dibuat SEBELUM rotasi tetap memerlukan kunci lama.\n{restart}",
        path.display()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// The PKI master secret: $EOFFICE_PKI_MASTER, else DATA/pki-master.key; created there when
/// `create` and neither exists.
fn master_secret(data: &Path, create: bool) -> anyhow_lite::Result<Option<String>> {
    if let Ok(v) = std::env::var("EOFFICE_PKI_MASTER") {
        let v = v.trim().to_string();
        if v.len() < 32 {
            return Err("EOFFICE_PKI_MASTER must be at least 32 characters of random text".into());
        }
        return Ok(Some(v));
    }
    let path = backend::store::pki::master_path(data);
    if let Some(s) = backend::store::pki::read_master_file(&path).map_err(|e| e.to_string())? {
        return Ok(Some(s));
    }
    if !create {
        return Ok(None);
    }
    std::fs::create_dir_all(data)
        .map_err(|e| format!("cannot create data folder {}: {e}", data.display()))?;
    let s = backend::store::pki::create_master_file(&path).map_err(|e| e.to_string())?;
    println!("Kunci induk PKI dibuat: {} (cadangkan terpisah dari basis data)", path.display());
    Ok(Some(s))
}

struct RemoteArgs {
    url: Option<String>,
    user: String,
    password: String,
    issuer: String,
}

/// The signer for AppState: as asked, or local-ca when the PKI exists and opens, else approval.
async fn choose_signer(
    store: &Store,
    choice: Option<SignerChoice>,
    public_base: &str,
    remote: RemoteArgs,
) -> anyhow_lite::Result<Arc<dyn backend::sign::LetterSigner>> {
    let pemda = store.installation_pemda().await?;
    let choice = match choice {
        Some(c) => c,
        None if pemda.is_some() && store.has_pki_master() => SignerChoice::LocalCa,
        None => {
            if pemda.is_some() {
                tracing::warn!(
                    "the PKI exists but no master secret was found (DATA/pki-master.key or EOFFICE_PKI_MASTER): letters are signed by approval only"
                );
            }
            SignerChoice::Approval
        }
    };
    Ok(match choice {
        SignerChoice::Approval => Arc::new(backend::sign::ApprovalOnly),
        SignerChoice::LocalCa => {
            let pemda =
                pemda.ok_or("--signer local-ca needs the PKI: run `eoffice pki init` first")?;
            // Opening the CA keys now proves the master secret before the first letter waits on it.
            let ca =
                store.ca_keys(&pemda).await.map_err(|e| format!("cannot open the CA keys: {e}"))?;
            Arc::new(backend::sign::LocalCaSigner::new(public_base, ca.issuer_name.clone()))
        }
        SignerChoice::Remote => {
            let url = remote.url.ok_or(
                "--signer remote needs --remote-signer-url (or EOFFICE_REMOTE_SIGNER_URL)",
            )?;
            let cfg = backend::sign::RemoteConfig {
                url,
                user: remote.user,
                password: remote.password,
                issuer_name: remote.issuer,
                public_base: public_base.to_string(),
                timeout: std::time::Duration::from_secs(30),
            };
            Arc::new(backend::sign::RemoteSigner::new(cfg)?)
        }
    })
}

/// Certificates from a PEM file (one or more CERTIFICATE blocks).
fn read_pem_certs(path: &Path) -> anyhow_lite::Result<Vec<tte::Certificate>> {
    use base64::Engine as _;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
        let b64: String = block
            .split("-----END CERTIFICATE-----")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("{}: bad PEM: {e}", path.display()))?;
        out.push(
            tte::parse_certificate(&der)
                .map_err(|e| format!("{}: bad certificate: {e}", path.display()))?,
        );
    }
    if out.is_empty() {
        return Err(format!("{}: no certificate found", path.display()).into());
    }
    Ok(out)
}

/// `eoffice verify`: trust anchors and revocations from the database when there is one (the
/// --database-url given, or DATA/eoffice.db existing), or from --root files; without either the
/// signatures can be intact but not trusted.
async fn verify_file(
    file: &Path,
    roots: &[PathBuf],
    json: bool,
    db: &DbArgs,
) -> anyhow_lite::Result<std::process::ExitCode> {
    use domain::tte::VerifyOutcome;
    let pdf = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("Berkas tidak dapat dibaca / cannot read {}: {e}", file.display());
            return Ok(std::process::ExitCode::from(2));
        }
    };
    let (report, source) = if !roots.is_empty() {
        let mut anchors = Vec::new();
        for r in roots {
            anchors.extend(read_pem_certs(r)?);
        }
        (
            backend::store::pki::verify_with_anchors(&pdf, anchors).await?,
            "root dari --root; status pencabutan tidak diperiksa".to_string(),
        )
    } else if db.database_url.is_some() || db.data.join("eoffice.db").exists() {
        let store = db.store().await?;
        (store.verify_upload(&pdf).await?, "CA dan daftar pencabutan dari basis data".to_string())
    } else {
        (
            backend::store::pki::verify_with_anchors(&pdf, vec![]).await?,
            format!(
                "tanpa basis data ({} tidak ada) dan tanpa --root: tidak ada CA tepercaya",
                db.data.join("eoffice.db").display()
            ),
        )
    };
    // Written at once and without panicking on a closed pipe (`eoffice verify x.pdf | head`).
    use std::fmt::Write as _;
    let mut out = String::new();
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        let title = match report.outcome {
            VerifyOutcome::Valid => "SAH / VALID",
            VerifyOutcome::Invalid => "TIDAK SAH / INVALID",
            VerifyOutcome::NoSignature => "TANPA TANDA TANGAN / NO SIGNATURE",
            VerifyOutcome::NotPdf => "BUKAN PDF / NOT A PDF",
        };
        let _ = writeln!(out, "{title}\n{}\n{}", report.message_id, report.message_en);
        let _ = writeln!(out, "Berkas:   {} ({source})", file.display());
        let _ = writeln!(out, "SHA-256:  {}", report.sha256);
        if !report.signatures.is_empty() {
            let _ = writeln!(
                out,
                "Diubah setelah ditandatangani / changed after signing: {}",
                if report.modified_after_signing { "ya / yes" } else { "tidak / no" }
            );
        }
        match &report.public_id {
            Some(id) => {
                let _ = writeln!(out, "Diterbitkan instalasi ini / issued here: ya, dokumen {id}");
            }
            None if db.database_url.is_some() || db.data.join("eoffice.db").exists() => {
                let _ = writeln!(out, "Diterbitkan instalasi ini / issued here: tidak");
            }
            None => {}
        }
        let yn = |b: bool| if b { "ya" } else { "TIDAK" };
        for (i, s) in report.signatures.iter().enumerate() {
            let at = s
                .signed_ms
                .map(|t| domain::time::long_datetime(t, domain::Lang::Id))
                .unwrap_or_else(|| "tidak diketahui".into());
            let _ = writeln!(
                out,
                "Tanda tangan {}: {} (NIP {}), {} — {}",
                i + 1,
                s.signer_name,
                s.signer_nip,
                s.signer_position,
                s.signer_opd
            );
            let _ = writeln!(
                out,
                "  waktu {at}{}; penerbit {}",
                if s.timestamped { " (stempel waktu)" } else { "" },
                s.issuer
            );
            let _ = writeln!(
                out,
                "  utuh/intact {}; tepercaya/trusted {}; status sekarang/now {}; sah saat penandatanganan/valid at signing {}",
                yn(s.intact),
                yn(s.trusted),
                s.status_now,
                yn(s.valid_at_signing)
            );
            for p in &s.problems {
                let _ = writeln!(out, "  - {p}");
            }
        }
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(std::process::ExitCode::from(match report.outcome {
        VerifyOutcome::Valid => 0,
        VerifyOutcome::Invalid => 1,
        VerifyOutcome::NoSignature | VerifyOutcome::NotPdf => 2,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_key(p: &Path) -> String {
        backend::store::pki::read_master_file(p).unwrap().unwrap()
    }

    /// `pki rotate-master` on a file key: the keys move to a new secret, the old one stops opening
    /// them, and a run cut short at either step is finished (or redone) by the next run.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rotate_master_with_a_key_file() {
        let dir = std::env::temp_dir().join(format!("eoffice-rotate-{}", backend::new_id()));
        let db = DbArgs { data: dir.clone(), database_url: None };
        let store = db.store().await.unwrap();
        backend::seed::seed_demo(&store).await.unwrap();
        let pemda = store.sole_pemda().await.unwrap().unwrap();
        let key = backend::store::pki::master_path(&dir);
        let next = key.with_file_name("pki-master.key.new");
        // Nothing to rotate before the PKI exists.
        assert_eq!(rotate_master(&db).await.unwrap(), std::process::ExitCode::from(1));
        store.set_pki_master(master_secret(&dir, true).unwrap());
        store.init_pki(&backend::Actor::system(), &pemda).await.unwrap();
        let first = read_key(&key);
        assert!(opens_ca(&store, &pemda, &first).await);

        assert_eq!(rotate_master(&db).await.unwrap(), std::process::ExitCode::SUCCESS);
        let second = read_key(&key);
        assert_ne!(first, second);
        assert!(!next.exists());
        assert!(opens_ca(&store, &pemda, &second).await);
        assert!(!opens_ca(&store, &pemda, &first).await);

        // Cut short before the database changed: a stale new file is discarded and the run redone.
        std::fs::write(&next, format!("{}\n", backend::random_token(32))).unwrap();
        assert_eq!(rotate_master(&db).await.unwrap(), std::process::ExitCode::SUCCESS);
        let third = read_key(&key);
        assert!(third != second && !next.exists());
        assert!(opens_ca(&store, &pemda, &third).await);

        // Cut short after the database changed, before the file swap: the next run only swaps.
        let fourth = backend::store::pki::create_master_file(&next).unwrap();
        store.set_pki_master(Some(third.clone()));
        store.rotate_pki_master(&backend::Actor::system(), &fourth).await.unwrap();
        assert!(!opens_ca(&store, &pemda, &third).await);
        assert_eq!(rotate_master(&db).await.unwrap(), std::process::ExitCode::SUCCESS);
        assert_eq!(read_key(&key), fourth);
        assert!(!next.exists());
        assert!(opens_ca(&store, &pemda, &fourth).await);

        // A key file that does not open the CA: refused, nothing changed.
        std::fs::write(&key, format!("{}\n", backend::random_token(32))).unwrap();
        assert!(rotate_master(&db).await.is_err());
        assert!(!next.exists());
        assert!(opens_ca(&store, &pemda, &fourth).await);
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
