//! `eoffice`: the e-Office server and its administration commands.
// The server renders the whole Leptos app; its deeply nested view types (the letter compose form)
// exceed the default type-layout query depth when the binary is compiled.
#![recursion_limit = "256"]

mod http;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use backend::Store;
use backend::store::audit::ChainStatus;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "eoffice", version, about = "e-Office: naskah dinas elektronik, disposisi dan kinerja ASN untuk Pemda")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        std::fs::create_dir_all(&self.data).map_err(|e| format!("cannot create data folder {}: {e}", self.data.display()))?;
        Ok(format!("sqlite://{}", self.data.join("eoffice.db").display()))
    }

    async fn store(&self) -> anyhow_lite::Result<Store> {
        let url = self.url()?;
        Store::connect(&url).await.map_err(|e| format!("cannot open database: {e}").into())
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
        /// Also generate benchmark-scale data on top of the demo: about 50 more OPDs and their
        /// employees, and letters with inbox entries (takes minutes; for load tests only).
        #[arg(long)]
        scale: bool,
        /// With --scale: total number of employees in the Pemda.
        #[arg(long, default_value_t = 10_000, requires = "scale")]
        employees: usize,
        /// With --scale: number of letters to generate.
        #[arg(long, default_value_t = 1_000_000, requires = "scale")]
        letters: usize,
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

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit log; exit non-zero at the first broken link.
    Verify {
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
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let cli = Cli::parse();
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
        Command::Serve { addr, db, site_root, demo, secure_cookies, trust_proxy } => {
            let store = db.store().await?;
            if demo {
                backend::seed::seed_demo(&store).await?;
                print_logins(&backend::seed::demo_logins(&store).await?);
            } else if store.count_pemda().await? == 0 {
                println!("Database masih kosong. Siapkan dengan `eoffice init --help`, atau coba data demo dengan `eoffice serve --demo`.");
            }
            http::serve(store, addr, site_root, secure_cookies, trust_proxy).await?;
        }
        Command::Migrate { db } => {
            db.store().await?;
            println!("Database is up to date.");
        }
        Command::Seed { db, scale: true, employees, letters } => {
            let store = db.store().await?;
            let report = backend::scale::seed_scale(&store, employees, letters, |m| println!("{m}")).await.map_err(|e| e.user_message())?;
            print!("{report}");
            print_logins(&backend::seed::demo_logins(&store).await?);
        }
        Command::Seed { db, .. } => {
            let store = db.store().await?;
            if backend::seed::seed_demo(&store).await?.is_empty() {
                println!("The database already has a Pemda; nothing seeded.");
            }
            print_logins(&backend::seed::demo_logins(&store).await?);
        }
        Command::Init { db, pemda_name, pemda_short, pemda_code, opd_name, opd_short, opd_code, admin_nip, admin_name, admin_email } => {
            let store = db.store().await?;
            let b = backend::seed::Bootstrap {
                pemda_name,
                pemda_short,
                pemda_code,
                opd: backend::store::org::OpdInput { name: opd_name, short_name: opd_short, code: opd_code, ..Default::default() },
                admin_nip,
                admin_name,
                admin_email,
            };
            match backend::seed::bootstrap(&store, &b).await {
                Ok(temp) => println!("Siap. Admin Pemda masuk dengan NIP atau email dan kata sandi sementara: {temp}\n(wajib diganti saat pertama masuk; tidak akan ditampilkan lagi)"),
                Err(e) => return Err(e.user_message().into()),
            }
        }
        Command::Audit { command: AuditCommand::Verify { db } } => {
            let store = db.store().await?;
            match store.verify_audit_chain().await? {
                ChainStatus::Intact { rows, last_hash } => println!("audit chain intact: {rows} rows, last hash {last_hash}"),
                ChainStatus::Broken { rows_ok, first_break } => {
                    println!("audit chain BROKEN at row {}: {} ({rows_ok} rows before it are intact)", first_break.seq(), first_break.describe());
                    return Ok(std::process::ExitCode::from(2));
                }
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
