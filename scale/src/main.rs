//! `eoffice-scale`: fills a database with benchmark-scale data (the demo Pemda plus about 50 more
//! OPDs, their employees and letters) for load tests such as `scripts/bench.sh`. Takes minutes.

use backend::Store;
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "eoffice-scale", about = "Generate benchmark-scale data for load tests")]
struct Args {
    /// Data folder holding the embedded SQLite database (eoffice.db), as for `eoffice serve`.
    #[arg(long, env = "EOFFICE_DATA", default_value = "data")]
    data: PathBuf,
    /// Database URL; when unset, SQLite in the data folder. Use postgres://... for PostgreSQL.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Total number of employees in the Pemda.
    #[arg(long, default_value_t = 10_000)]
    employees: usize,
    /// Number of letters to generate.
    #[arg(long, default_value_t = 1_000_000)]
    letters: usize,
    /// Also add a month of e-Kinerja data (YYYY-MM) for everyone, then time computing and storing
    /// that month for every OPD (the month benchmark).
    #[arg(long)]
    kinerja_month: Option<String>,
    /// Activities per person in that month.
    #[arg(long, default_value_t = 200)]
    activities: usize,
}

async fn run(args: Args) -> Result<(), String> {
    let url = match args.database_url {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&args.data)
                .map_err(|e| format!("cannot create data folder {}: {e}", args.data.display()))?;
            format!("sqlite://{}", args.data.join("eoffice.db").display())
        }
    };
    let store = Store::connect(&url).await.map_err(|e| format!("cannot open database: {e}"))?;
    let report =
        eoffice_scale::seed_scale(&store, args.employees, args.letters, |m| println!("{m}"))
            .await
            .map_err(|e| e.user_message())?;
    print!("{report}");
    if let Some(m) = &args.kinerja_month {
        let month = domain::activity::parse_month(m).ok_or("--kinerja-month takes YYYY-MM")?;
        let t = std::time::Instant::now();
        let (acts, att) =
            eoffice_scale::seed_kinerja_month(&store, month, args.activities, |m| println!("{m}"))
                .await
                .map_err(|e| e.user_message())?;
        println!(
            "e-Kinerja data: {acts} activities, {att} attendance rows in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let (people, secs) = eoffice_scale::bench_kinerja_month(&store, month)
            .await
            .map_err(|e| e.user_message())?;
        println!("Month computed and stored for {people} people in {secs:.2} s");
    }
    println!("Demo password of every account: {}", backend::seed::DEMO_PASSWORD);
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eoffice-scale: {e}");
            ExitCode::FAILURE
        }
    }
}
