//! What the administrator watches and schedules: `/readyz`, the Prometheus metrics on their own
//! address, request ids in the log, and the scheduled backups.

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backend::Store;
use domain::model::BackupRun;
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The Prometheus recorder, when `--metrics-addr` is set (otherwise the metric macros are no-ops).
static METRICS: OnceLock<PrometheusHandle> = OnceLock::new();

/// Settings of `/readyz`.
#[derive(Clone)]
pub struct Readiness {
    pub store: Store,
    /// The data folder, whose disk must keep `min_free_mb` free.
    pub data: PathBuf,
    pub min_free_mb: u64,
}

#[derive(serde::Serialize)]
struct ReadyReport {
    ready: bool,
    database: String,
    schema: String,
    disk: String,
}

/// Free megabytes on the disk of `path` (the nearest existing ancestor).
fn free_mb(path: &Path) -> Option<u64> {
    let mut p = path;
    while !p.exists() {
        p = p.parent()?;
    }
    let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
    let s = nix::sys::statvfs::statvfs(p).ok()?;
    Some((s.blocks_available() as u64).saturating_mul(s.fragment_size() as u64) / (1024 * 1024))
}

/// 200 when this copy can serve: the database answers within two seconds with the schema this
/// program expects, and the data folder's disk has room; 503 with the reason otherwise.
pub async fn readyz(r: Readiness) -> Response {
    let known = backend::store::ops::known_schema_version();
    let (db_ok, database, schema_ok, schema) =
        match tokio::time::timeout(Duration::from_secs(2), r.store.schema_version()).await {
            // A newer schema is a rolling upgrade under way (new copies migrated it, compatibly):
            // this copy still serves. An older one means migrations did not run.
            Ok(Ok(v)) => (
                true,
                "ok".to_string(),
                v >= known,
                if v == known {
                    format!("ok ({v})")
                } else if v > known {
                    format!(
                        "ok (database at {v}, newer than this copy's {known}: upgrade this copy)"
                    )
                } else {
                    format!("database at {v}, behind this program's {known}")
                },
            ),
            Ok(Err(e)) => (false, format!("error: {}", e.chain()), false, "unknown".into()),
            Err(_) => (false, "no answer within 2 s".into(), false, "unknown".into()),
        };
    let (disk_ok, disk) = match free_mb(&r.data) {
        Some(mb) if mb >= r.min_free_mb => (true, format!("ok ({mb} MB free)")),
        Some(mb) => (false, format!("{mb} MB free, below {} MB", r.min_free_mb)),
        None => (false, format!("cannot read free space of {}", r.data.display())),
    };
    let ready = db_ok && schema_ok && disk_ok;
    metrics::gauge!("eoffice_ready").set(if ready { 1.0 } else { 0.0 });
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let mut res =
        (status, axum::Json(ReadyReport { ready, database, schema, disk })).into_response();
    res.headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

// --- Metrics --------------------------------------------------------------------------------------

/// Installs the Prometheus recorder and serves `/metrics` on `addr` (keep it on a private address:
/// the main address never serves it).
pub async fn start_metrics(addr: SocketAddr, ready: Readiness) -> Result<(), String> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&[0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0])
        .map_err(|e| e.to_string())?
        .install_recorder()
        .map_err(|e| format!("metrics recorder: {e}"))?;
    let _ = METRICS.set(handle);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr} for metrics: {e}"))?;
    let app = Router::new().route("/metrics", get(move || render_metrics(ready.clone())));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("metrics listener stopped: {e}");
        }
    });
    println!("Metrik Prometheus di http://{addr}/metrics");
    Ok(())
}

/// The figures read at scrape time (readiness, pool, letters waiting, the last backup of any
/// copy, manual ones included), then everything recorded.
async fn render_metrics(ready: Readiness) -> Response {
    let store = ready.store.clone();
    let _ = readyz(ready).await;
    if let Ok(Ok(runs)) =
        tokio::time::timeout(Duration::from_secs(5), store.recent_backups(50)).await
        && let Some(last) = runs.iter().find(|r| r.ok)
    {
        metrics::gauge!("eoffice_backup_last_success_seconds")
            .set(last.finished_ms as f64 / 1000.0);
    }
    let (open, idle) = store.pool_use();
    metrics::gauge!("eoffice_db_pool_connections", "state" => "open").set(open as f64);
    metrics::gauge!("eoffice_db_pool_connections", "state" => "idle").set(idle as f64);
    match tokio::time::timeout(Duration::from_secs(5), store.letters_waiting_by_level()).await {
        Ok(Ok(levels)) => {
            for (level, n) in levels {
                metrics::gauge!("eoffice_letters_waiting", "level" => level.to_string())
                    .set(n as f64);
            }
        }
        Ok(Err(e)) => tracing::warn!("metrics: letters waiting: {}", e.chain()),
        Err(_) => tracing::warn!("metrics: letters waiting: no answer within 5 s"),
    }
    let body = METRICS.get().map(|h| h.render()).unwrap_or_default();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Counts and times every request by route (the route's pattern, or the server function's
/// address; anything unmatched is "other", so a scan of random addresses adds no series).
pub async fn track(req: Request, next: Next) -> Response {
    if METRICS.get().is_none() {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let route = if path.starts_with("/api/") && path.len() < 64 {
        path.to_string()
    } else if let Some(m) = req.extensions().get::<MatchedPath>() {
        m.as_str().to_string()
    } else if path.starts_with("/pkg/") {
        "/pkg/*".to_string()
    } else {
        "other".to_string()
    };
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("eoffice_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("eoffice_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// A background job's result, for `/metrics` and the log.
pub fn job_result(job: &'static str, result: &Result<(), String>) {
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("eoffice_job_runs_total", "job" => job, "result" => outcome).increment(1);
    match result {
        Ok(()) => metrics::gauge!("eoffice_job_last_success_seconds", "job" => job)
            .set(backend::now_ms() as f64 / 1000.0),
        Err(e) => tracing::warn!(job, "background job failed: {e}"),
    }
}

/// A signer that counts the letters it signs, for `/metrics` (also the per-official signer its
/// `unlock` returns).
pub struct Counting<P>(pub P);

impl<P> backend::sign::LetterSigner for Counting<P>
where
    P: std::ops::Deref + Send + Sync,
    P::Target: backend::sign::LetterSigner,
{
    fn kind(&self) -> &'static str {
        self.0.kind()
    }
    fn appearance(&self, ctx: &backend::sign::SignContext) -> backend::sign::Appearance {
        self.0.appearance(ctx)
    }
    fn sign<'a>(
        &'a self,
        pdf: Vec<u8>,
        ctx: &'a backend::sign::SignContext,
        credentials: &'a backend::sign::SignCredentials,
    ) -> backend::sign::SignFuture<'a> {
        let kind = self.0.kind();
        let signing = self.0.sign(pdf, ctx, credentials);
        Box::pin(async move {
            let r = signing.await;
            let result = if r.is_ok() { "ok" } else { "error" };
            metrics::counter!("eoffice_signatures_total", "signer" => kind, "result" => result)
                .increment(1);
            r
        })
    }
    fn unlock<'a>(
        &'a self,
        store: &'a Store,
        user: &'a domain::model::SessionUser,
        ip: Option<String>,
        credentials: &'a backend::sign::SignCredentials,
    ) -> backend::sign::UnlockFuture<'a> {
        let unlocking = self.0.unlock(store, user, ip, credentials);
        Box::pin(async move {
            Ok(unlocking
                .await?
                .map(|s| Box::new(Counting(s)) as Box<dyn backend::sign::LetterSigner + 'a>))
        })
    }
}

// --- Scheduled backups ----------------------------------------------------------------------------

/// "90s", "30m", "24h", "7d" (a bare number is seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| format!("not a duration: {s:?} (e.g. 24h, 30m, 7d)"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("unknown unit in {s:?}: use s, m, h or d")),
    };
    if secs == 0 {
        return Err("a duration must be more than zero".into());
    }
    Ok(Duration::from_secs(secs))
}

pub fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// One backup now into `dir`, recorded for the Admin Pemda; prunes to `keep` when it succeeded.
pub async fn backup_once(
    store: &Store,
    dir: &Path,
    keep: Option<usize>,
    trigger: &str,
    key: backend::store::backup::KeyChoice<'_>,
) -> Result<(PathBuf, backend::store::backup::Manifest), String> {
    let started = backend::now_ms();
    let result = store.backup_into(dir, key).await.map_err(|e| e.chain());
    let run = BackupRun {
        started_ms: started,
        finished_ms: backend::now_ms(),
        ok: result.is_ok(),
        trigger: trigger.to_string(),
        location: match &result {
            Ok((p, _)) => p.display().to_string(),
            Err(_) => dir.display().to_string(),
        },
        bytes: result.as_ref().map(|(_, m)| m.bytes() as i64).unwrap_or(0),
        error: result.as_ref().err().cloned(),
        host: host_name(),
    };
    if let Err(e) = store.record_backup(&run).await {
        tracing::warn!("backup not recorded: {}", e.chain());
    }
    if result.is_ok()
        && let Some(keep) = keep
        && let Err(e) = backend::store::backup::prune(dir, keep)
    {
        tracing::warn!("old backups not pruned: {}", e.chain());
    }
    result
}

/// Runs a backup whenever the last scheduled one (by any copy on the same database) is `every`
/// old; only one copy at a time holds the job's lock.
pub fn schedule_backups(store: Store, dir: PathBuf, every: Duration, keep: usize) {
    tokio::spawn(async move {
        let tick = every.min(Duration::from_secs(300));
        let mut timer = tokio::time::interval(tick);
        loop {
            timer.tick().await;
            let lock = match store.try_job_lock("backup").await {
                Ok(Some(l)) => l,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!("backup lock: {}", e.chain());
                    continue;
                }
            };
            let due = match store.last_scheduled_backup_ms().await {
                Ok(Some(t)) => backend::now_ms() - t >= every.as_millis() as i64,
                Ok(None) => true,
                Err(e) => {
                    tracing::warn!("backup schedule: {}", e.chain());
                    false
                }
            };
            if due {
                let key = backend::store::backup::KeyChoice { key_file: None, include: false };
                let result = backup_once(&store, &dir, Some(keep), "scheduled", key).await.map(
                    |(path, m)| {
                        tracing::info!(path = %path.display(), bytes = m.bytes(), "backup written");
                    },
                );
                job_result("backup", &result);
            }
            lock.release().await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h").unwrap(), Duration::from_secs(86_400));
        assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1800));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(7 * 86_400));
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5w").is_err());
    }

    /// A TCP relay in front of PostgreSQL that the test can cut (every open connection and every
    /// new one), as when the database server stops, and restore.
    struct Relay {
        addr: SocketAddr,
        up: std::sync::Arc<std::sync::atomic::AtomicBool>,
        conns: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    }

    impl Relay {
        async fn start(target: &'static str) -> Relay {
            use std::sync::atomic::Ordering;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
            let conns = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let (up2, conns2) = (up.clone(), conns.clone());
            tokio::spawn(async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if !up2.load(Ordering::SeqCst) {
                        drop(client);
                        continue;
                    }
                    let task = tokio::spawn(async move {
                        if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    conns2.lock().unwrap().push(task.abort_handle());
                }
            });
            Relay { addr, up, conns }
        }

        fn cut(&self) {
            self.up.store(false, std::sync::atomic::Ordering::SeqCst);
            for c in self.conns.lock().unwrap().drain(..) {
                c.abort();
            }
        }

        fn restore(&self) {
            self.up.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    async fn ready(r: &Readiness) -> (StatusCode, serde_json::Value) {
        let res = readyz(r.clone()).await;
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readyz_follows_the_database_and_the_disk() {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let admin = std::env::var("EOFFICE_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("eoffice_ready_{}", backend::new_id());
        let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let relay = Relay::start("127.0.0.1:5432").await;
        let store =
            Store::connect(&format!("postgres://postgres@{}/{name}", relay.addr)).await.unwrap();
        let mut r = Readiness { store: store.clone(), data: std::env::temp_dir(), min_free_mb: 1 };

        let (status, body) = ready(&r).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ready"], true);
        assert!(body["schema"].as_str().unwrap().starts_with("ok"), "{body}");

        relay.cut();
        let (status, body) = ready(&r).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["ready"], false);
        assert_ne!(body["database"], "ok");

        relay.restore();
        let mut back = false;
        for _ in 0..20 {
            if ready(&r).await.0 == StatusCode::OK {
                back = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(back, "ready again once the database answers");

        // A disk short of space makes the copy unready too.
        r.min_free_mb = u64::MAX;
        let (status, body) = ready(&r).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body["disk"].as_str().unwrap().contains("below"), "{body}");

        store.close().await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }

    /// The metrics listener serves what the request tracker and the scrape-time readers recorded:
    /// requests by route (an unknown address counts as "other"), readiness, pool use.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn metrics_count_requests_by_route() {
        let path = std::env::temp_dir().join(format!("eoffice-metrics-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let ready = Readiness { store: store.clone(), data: std::env::temp_dir(), min_free_mb: 1 };
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = free.local_addr().unwrap();
        drop(free);
        start_metrics(addr, ready).await.unwrap();
        let app = Router::new()
            .route("/surat/{id}", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(track));
        use tower::ServiceExt;
        for uri in ["/surat/1", "/surat/2", "/no/such/page"] {
            let req =
                axum::http::Request::builder().uri(uri).body(axum::body::Body::empty()).unwrap();
            app.clone().oneshot(req).await.unwrap();
        }
        let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        conn.write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n").await.unwrap();
        let mut text = String::new();
        conn.read_to_string(&mut text).await.unwrap();
        assert!(text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200"), "{text}");
        let line = text
            .lines()
            .find(|l| {
                l.starts_with("eoffice_http_requests_total") && l.contains("route=\"/surat/{id}\"")
            })
            .unwrap_or_else(|| panic!("no per-route count in {text}"));
        assert!(line.ends_with(" 2"), "{line}");
        assert!(
            text.lines().any(|l| l.starts_with("eoffice_http_requests_total")
                && l.contains("route=\"other\"")
                && l.contains("status=\"404\"")),
            "{text}"
        );
        assert!(text.contains("eoffice_ready 1"), "{text}");
        assert!(text.contains("eoffice_db_pool_connections{state=\"open\"}"), "{text}");
        store.close().await;
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn free_space_of_a_missing_folder_is_its_parents() {
        assert!(free_mb(&std::env::temp_dir().join("no/such/folder")).is_some());
    }
}
