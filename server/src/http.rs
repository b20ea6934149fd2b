//! The axum router: pages and server functions (Leptos), static assets, a few plain routes,
//! and the protections every request passes through.

use app::api::ctx::{
    AppState, LANG_COOKIE, SESSION_COOKIE, client_ip_from, cookie_from, session_for_token,
};
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use backend::rights::Caller;
use backend::{BackendError, Store};
use domain::Code;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::path::PathBuf;
use tower_http::compression::CompressionLayer;

pub async fn serve(
    store: Store,
    addr: SocketAddr,
    site_root: PathBuf,
    secure_cookies: bool,
    trust_proxy: bool,
    signer: std::sync::Arc<dyn backend::sign::LetterSigner>,
    readiness: crate::ops::Readiness,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if !site_root.join("pkg").exists() {
        tracing::warn!(
            "{} has no pkg/ folder: pages will render but not become interactive. Build with scripts/build.sh.",
            site_root.display()
        );
    }
    let (pkg_dir, css) = asset_names(&site_root.join("pkg"));
    app::app::set_stylesheet(&css);
    let options = LeptosOptions::builder()
        .output_name("eoffice")
        .site_root(site_root.display().to_string())
        .site_pkg_dir(pkg_dir)
        .site_addr(addr)
        .build();
    let state = AppState { store, options, secure_cookies, trust_proxy, signer };
    let app = with_request_ids(
        router(state)
            .route("/readyz", get(move || crate::ops::readyz(readiness.clone())))
            .layer(middleware::from_fn(crate::ops::track)),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("e-Office berjalan di http://{addr}");
    // SIGINT (Ctrl-C) or SIGTERM (systemd, docker) stops taking connections and lets running
    // requests finish; the live notification streams never finish by themselves, so after ten
    // seconds the process exits anyway (the browsers reconnect to another copy or to the restart).
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
    let mut stop_rx = stop_rx;
    tokio::select! {
        r = std::future::IntoFuture::into_future(server) => r?,
        _ = async move {
            let _ = stop_rx.wait_for(|s| *s).await;
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        } => tracing::info!("open connections after 10 s of shutdown closed"),
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub fn router(state: AppState) -> Router {
    app::api::ctx::set_global_state(state.clone());
    let routes = generate_route_list(App);
    let options = state.options.clone();
    let pkg_dir = std::path::Path::new(&*options.site_root).join("pkg");
    // The browser assets of this build and of the two before it (a page opened before a
    // deployment loads its chunks from its own build): from the compressed copies
    // `scripts/build.sh` writes beside them when those are current (Leptos' own file handler
    // would send them even when stale).
    let mut pkg = tower_http::services::ServeDir::new(&pkg_dir);
    let build_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    if precompressed_fresh(&build_dir) {
        pkg = pkg.precompressed_br().precompressed_gzip();
    } else {
        tracing::warn!(
            "{}: compressed copies older than their assets; compressing on the fly (scripts/build.sh writes them)",
            build_dir.display()
        );
    }
    Router::new()
        .nest_service("/pkg", pkg)
        .route("/bahasa/{lang}", get(switch_language))
        .route("/admin/opd/{opd}/pegawai.csv", get(export_employees))
        .route("/surat-keluar/{id}/pdf", get(letter_pdf))
        .route("/lampiran/{id}", get(attachment))
        .route("/surat-masuk/{id}/berkas", get(incoming_document))
        .route("/surat-masuk/{id}/halaman/{page}", get(incoming_page_image))
        .route("/surat-masuk/{id}/lembar-disposisi", get(disposition_sheet))
        .route("/disposisi/berkas/{id}", get(disposition_file))
        .route("/kinerja/bukti/{id}", get(activity_evidence))
        .route("/kinerja/rekap.xlsx", get(recap_xlsx))
        .route("/kinerja/rekap.pdf", get(recap_pdf))
        .route("/kinerja/laporan.pdf", get(personal_pdf))
        .route("/kinerja/bank.csv", get(export_bank))
        .route("/panduan/{file}", get(guide_pdf))
        .route("/notifikasi/stream", get(notification_stream))
        .route("/healthz", get(|| async { "ok" }))
        // Browsers ask for it on pages without an icon link (the PDFs, the verification pages).
        .route("/favicon.ico", get(|| async { Redirect::permanent("/icon.svg") }))
        .merge(crate::verifikasi::routes(&state))
        .leptos_routes_with_context(&state, routes, || {}, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(with_render_owner))
        .layer(middleware::from_fn_with_state(state.clone(), protect))
        // Attachments and scans travel as base64 inside server-function calls: a 20 MB scan is about 27 MB.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .with_state(state)
}

const BODY_LIMIT: usize = 28 * 1024 * 1024;

/// Every request gets an id (kept when the reverse proxy sent one in X-Request-Id), carried by the
/// log lines written while it runs and sent back in the answer; failures (5xx) are logged.
fn with_request_ids(router: Router) -> Router {
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |req: &axum::http::Request<axum::body::Body>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        },
    );
    // The last layer added runs first: the id is set, then copied to the answer, then traced.
    router
        .layer(trace)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Where the current build's browser assets are: `scripts/build.sh` puts each build in a folder
/// named by the hash of its content (`pkg/<hash>/`: the script, the wasm main module and chunks,
/// the stylesheet) and writes that name to `pkg/current-build`. Gives Leptos' package folder
/// (`pkg/<hash>`, where the hydration script, the chunks and their manifest are found) and the
/// stylesheet's address. Without such a build (an older layout) the assets sit in `pkg/` itself.
pub fn asset_names(pkg_dir: &std::path::Path) -> (String, String) {
    let current = std::fs::read_to_string(pkg_dir.join("current-build")).unwrap_or_default();
    let build = current.trim();
    if is_content_hash(build) && pkg_dir.join(build).is_dir() {
        (format!("pkg/{build}"), format!("/pkg/{build}/style.css"))
    } else {
        ("pkg".to_string(), "/style.css".to_string())
    }
}

/// The 16 hex digits `scripts/build.sh` names a build's folder with.
fn is_content_hash(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a `/pkg/` path lies in a build's folder, named by its content (then what is under that
/// name never changes).
fn is_content_named(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    parts.next() == Some("pkg")
        && parts.next().is_some_and(is_content_hash)
        && parts.next().is_some()
}

/// Whether the brotli and gzip copies `scripts/build.sh` writes beside the browser assets can be
/// served as they are: none of them older than its asset. A build that replaced the wasm without
/// writing new copies would otherwise hand browsers the previous version's code; then everything is
/// compressed on the fly instead. A folder without copies (or without assets) has nothing stale.
fn precompressed_fresh(dir: &std::path::Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return true };
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| !matches!(p.extension().and_then(|x| x.to_str()), Some("br" | "gz")))
        .all(|asset| {
            let Some(made) = modified(&asset) else { return true };
            ["br", "gz"].iter().all(|ext| {
                let copy = std::path::PathBuf::from(format!("{}.{ext}", asset.display()));
                !copy.exists() || modified(&copy).is_some_and(|t| t >= made)
            })
        })
}

/// The signed-in caller of a plain (non-Leptos) route: an extractor that answers 401 itself when
/// there is no usable session.
struct RouteUser(Caller);

impl FromRequestParts<AppState> for RouteUser {
    type Rejection = RouteError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, RouteError> {
        let token = cookie_from(&parts.headers, SESSION_COOKIE)
            .ok_or(RouteError::from(BackendError::Unauthenticated))?;
        match session_for_token(&state.store, &token).await? {
            Some(u)
                if !u.must_change_password && !u.must_enrol_second_factor(backend::now_ms()) =>
            {
                let ip = client_ip_from(parts, state.trust_proxy);
                Ok(RouteUser(Caller::new(u, Some(ip))))
            }
            _ => Err(BackendError::Unauthenticated.into()),
        }
    }
}

/// An error of a plain route, answered with its status and the message for the user (internal
/// causes are logged, never sent), so the handlers can use `?`.
struct RouteError(BackendError);

impl From<BackendError> for RouteError {
    fn from(e: BackendError) -> Self {
        RouteError(e)
    }
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, self.0.user_message()).into_response()
    }
}

type RouteResult = Result<Response, RouteError>;

/// Work that must not block the runtime (PDF rendering); a task that died is an internal error.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> backend::Result<T> + Send + 'static,
) -> Result<T, RouteError> {
    Ok(tokio::task::spawn_blocking(f).await.map_err(|e| BackendError::caused(what, e))??)
}

/// A file for the browser to show inline, with a safe download name.
fn file_response(bytes: Vec<u8>, name: &str, content_type: &str) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{ascii}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The letter as PDF: the final document once signed, a marked preview before.
async fn letter_pdf(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let (pdf, name) = state.store.letter_pdf(&caller.user, &id).await?;
    Ok(file_response(pdf, &name, "application/pdf"))
}

async fn attachment(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let (bytes, name, ct) = state.store.attachment(&caller.user, &id).await?;
    Ok(file_response(bytes, &name, &ct))
}

/// The scan of a registered letter, or the signed PDF of one delivered from inside the system.
async fn incoming_document(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let (pdf, _) = state.store.incoming_document(&caller.user, &id).await?;
    Ok(file_response(pdf, &format!("surat-masuk-{id}.pdf"), "application/pdf"))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    w: Option<u32>,
}

/// One page of the letter as PNG, for the viewer (phones cannot show a PDF inline). `w` is the
/// width in pixels, 320..=2400 (zooming asks for a wider one).
async fn incoming_page_image(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path((id, page)): Path<(String, u32)>,
    Query(q): Query<PageQuery>,
) -> RouteResult {
    let (pdf, sifat) = state.store.incoming_document(&caller.user, &id).await?;
    let width = q.w.unwrap_or(1000).clamp(320, 2400);
    let key = (id, page, width, pdf.len());
    let png = match page_images::get(&key) {
        Some(png) => png,
        None => {
            // Rendering parses the whole scan: a few at a time, the rest wait their turn.
            let _turn = page_images::RENDERING
                .acquire()
                .await
                .map_err(|e| backend::BackendError::caused("page render permit", e))?;
            match page_images::get(&key) {
                Some(png) => png,
                None => {
                    let png = blocking("render scan page", move || {
                        backend::render::scan_page_png(&pdf, page, width)
                    })
                    .await?;
                    page_images::put(key, png)
                }
            }
        }
    };
    // Pages of a Rahasia letter stay out of every cache, the browser's included.
    let cache = if sifat.is_confidential() { "private, no-store" } else { "private, max-age=3600" };
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, cache)], png.to_vec())
        .into_response())
}

/// Rendered pages of scans, shared by everyone allowed to see them (the access check runs on
/// every request before this is read). Bounded in bytes; the oldest pages go first.
mod page_images {
    use std::collections::{HashMap, VecDeque};
    use std::sync::{Arc, LazyLock, Mutex};

    /// (incoming letter id, page, width, scan size)
    pub type Key = (String, u32, u32, usize);
    const MAX_BYTES: usize = 48 * 1024 * 1024;
    /// Pages rendered at once, at most.
    pub static RENDERING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

    #[derive(Default)]
    struct Cache {
        map: HashMap<Key, Arc<Vec<u8>>>,
        order: VecDeque<Key>,
        bytes: usize,
    }

    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Default::default);

    pub fn get(key: &Key) -> Option<Arc<Vec<u8>>> {
        CACHE.lock().unwrap_or_else(|p| p.into_inner()).map.get(key).cloned()
    }

    pub fn put(key: Key, png: Vec<u8>) -> Arc<Vec<u8>> {
        let png = Arc::new(png);
        let mut c = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if png.len() > MAX_BYTES / 8 || c.map.contains_key(&key) {
            return png;
        }
        c.bytes += png.len();
        c.map.insert(key.clone(), png.clone());
        c.order.push_back(key);
        while c.bytes > MAX_BYTES {
            let Some(old) = c.order.pop_front() else { break };
            if let Some(v) = c.map.remove(&old) {
                c.bytes -= v.len();
            }
        }
        png
    }
}

/// The lembar disposisi as PDF, with the cascade this user may see.
async fn disposition_sheet(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let sheet = state.store.disposition_sheet(&caller.user, &id).await?;
    let pdf = blocking("render disposition sheet", move || {
        backend::render::render_disposition_sheet(&sheet)
    })
    .await?;
    Ok(file_response(pdf, &format!("lembar-disposisi-{id}.pdf"), "application/pdf"))
}

async fn disposition_file(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let (name, ct, bytes) = state.store.disposition_file(&caller.user, &id).await?;
    Ok(file_response(bytes, &name, &ct))
}

async fn activity_evidence(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(id): Path<String>,
) -> RouteResult {
    let (name, ct, bytes) = state.store.activity_evidence(&caller.user, &id).await?;
    Ok(file_response(bytes, &name, &ct))
}

#[derive(serde::Deserialize)]
struct RecapQuery {
    opd: String,
    #[serde(default)]
    bulan: String,
}

/// An OPD's month, for those who see its recap.
async fn recap_of(
    state: &AppState,
    user: &domain::model::SessionUser,
    q: &RecapQuery,
) -> Result<domain::activity::Recap, BackendError> {
    let month = backend::store::kinerja::month_or_now(&q.bulan)?;
    if !state.store.may_see_recap(user, &q.opd).await? {
        return Err(BackendError::Forbidden(
            "Rekap kinerja OPD hanya untuk Admin OPD, kepala OPD, dan Admin Pemda.".into(),
        ));
    }
    state.store.opd_month(&q.opd, month, false).await
}

/// The OPD's monthly recap as a workbook.
async fn recap_xlsx(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Query(q): Query<RecapQuery>,
) -> RouteResult {
    let recap = recap_of(&state, &caller.user, &q).await?;
    let bytes = backend::render::recap_xlsx(&recap)?;
    let name = format!("rekap-kinerja-{}.xlsx", domain::activity::month_iso(recap.month));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// The OPD's monthly recap as a printable PDF.
async fn recap_pdf(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Query(q): Query<RecapQuery>,
) -> RouteResult {
    let recap = recap_of(&state, &caller.user, &q).await?;
    let report = state.store.recap_report(&recap).await?;
    let pdf =
        blocking("render recap report", move || backend::render::render_report(&report)).await?;
    let name = format!("rekap-kinerja-{}.pdf", domain::activity::month_iso(recap.month));
    Ok(file_response(pdf, &name, "application/pdf"))
}

#[derive(serde::Deserialize)]
struct MonthQuery {
    #[serde(default)]
    bulan: String,
}

/// The caller's own monthly report as a printable PDF.
async fn personal_pdf(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Query(q): Query<MonthQuery>,
) -> RouteResult {
    let month = backend::store::kinerja::month_or_now(&q.bulan)?;
    let report = state.store.personal_report(&caller.user, month).await?;
    let pdf =
        blocking("render personal report", move || backend::render::render_report(&report)).await?;
    let name = format!("laporan-kinerja-{}.pdf", domain::activity::month_iso(month));
    Ok(file_response(pdf, &name, "application/pdf"))
}

/// The user guide of a role (`/panduan/staf.pdf`, ...) in the caller's language, built from the
/// in-app help texts with the screenshots the browser tests took into the site's `panduan/`.
async fn guide_pdf(
    State(state): State<AppState>,
    RouteUser(_caller): RouteUser,
    headers: axum::http::HeaderMap,
    Path(file): Path<String>,
) -> RouteResult {
    let lang = cookie_from(&headers, LANG_COOKIE)
        .map(|v| domain::Lang::from_code_or_default(&v))
        .unwrap_or_default();
    let role = file.strip_suffix(".pdf").and_then(domain::help::GuideRole::from_code).ok_or_else(
        || BackendError::not_found(lang.t("Panduan itu tidak ada.", "There is no such guide.")),
    )?;
    let shots = std::path::Path::new(&*state.options.site_root).join("panduan");
    let pdf = blocking("render user guide", move || {
        let guide = backend::help::user_guide(role, lang, &shots, backend::now_ms());
        backend::render::render_guide(&guide)
    })
    .await?;
    Ok(file_response(pdf, &format!("panduan-e-office-{}.pdf", role.code()), "application/pdf"))
}

/// The caller's notices, live (server-sent events): an event `unread` at once and after every
/// new notice for them, carrying the unread count and the newest unread notice as JSON. A page that
/// loses the stream reconnects (the browser's EventSource does) and the first event brings it up
/// to date, so nothing is shown twice. The stream ends when the session does.
async fn notification_stream(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> RouteResult {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let token = cookie_from(&headers, SESSION_COOKIE)
        .ok_or(RouteError::from(BackendError::Unauthenticated))?;
    let user = session_for_token(&state.store, &token)
        .await?
        .ok_or(RouteError::from(BackendError::Unauthenticated))?;
    let store = state.store.clone();
    let rx = store.subscribe_notifications();
    let me = user.employee_id.clone();
    // (store, receiver, session token, whether the first event went out)
    let stream = futures::stream::unfold(
        (store, rx, token, false),
        move |(store, mut rx, token, started)| {
            let me = me.clone();
            async move {
                if started {
                    // Wait for a notice for this person (a lagging receiver just re-reads the count).
                    loop {
                        match rx.recv().await {
                            Ok(id) if id == me => break,
                            Ok(_) => continue,
                            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                        }
                    }
                    // Logged out (or expired) meanwhile: stop.
                    if !matches!(session_for_token(&store, &token).await, Ok(Some(_))) {
                        return None;
                    }
                }
                let data = match store.unread_notifications(&me).await {
                    Ok((unread, newest)) => {
                        serde_json::json!({ "unread": unread, "newest": newest })
                    }
                    Err(e) => {
                        tracing::warn!("notification stream: {e}");
                        return None;
                    }
                };
                let event = Event::default().event("unread").data(data.to_string());
                Some((Ok::<_, std::convert::Infallible>(event), (store, rx, token, true)))
            }
        },
    );
    let mut resp = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    // Proxies must not buffer the stream.
    resp.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn export_bank(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Query(q): Query<RecapQuery>,
) -> RouteResult {
    let admin = state.store.opd_admin(caller, &q.opd).await?;
    let csv = state.store.export_bank(&admin).await?;
    let name =
        format!("bank-aktivitas-{}.csv", admin.opd().short_name.to_lowercase().replace(' ', "-"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        csv,
    )
        .into_response())
}

/// Polls a page request under the reactive owner of the page being rendered, once the shell has
/// left it in the request (`app::app::RenderOwner`).
///
/// After rendering, Leptos names the page's wasm chunks in its head (so that they download with
/// the main module, not one round trip after it) and adds the other head tags; it finds the chunk
/// manifest, the nonce and the head's collector through the reactive owner that happens to be
/// current on the thread at that moment, and sets none. On a multi-threaded runtime that is often
/// some other request's owner, or none: measured here, 194 of 300 concurrent page loads went out
/// without their chunk preloads. Polling under the page's own owner makes every one complete.
async fn with_render_owner(mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::GET || path.starts_with("/pkg/") || path.starts_with("/api/") {
        return next.run(req).await;
    }
    let slot = app::app::RenderOwner::default();
    req.extensions_mut().insert(slot.clone());
    WithRenderOwner { slot, inner: Box::pin(next.run(req)) }.await
}

struct WithRenderOwner<F> {
    slot: app::app::RenderOwner,
    inner: std::pin::Pin<Box<F>>,
}

impl<F: std::future::Future> std::future::Future for WithRenderOwner<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = &mut *self;
        let owner = this.slot.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match owner {
            Some(owner) => owner.with(|| this.inner.as_mut().poll(cx)),
            None => this.inner.as_mut().poll(cx),
        }
    }
}

const STRICT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Refuses cross-site state-changing requests (the Origin check) and adds security headers.
async fn protect(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // One script nonce per request, chosen here so that the page's policy never depends on the
    // render reporting it back (the shell uses the same nonce for the hydration scripts).
    let nonce = leptos::nonce::Nonce::new().to_string();
    req.extensions_mut().insert(app::app::CspNonce(nonce.clone()));
    let method = req.method().clone();
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok());
        // The scheme counts too: an http page must not post to the https site.
        let scheme = if state.secure_cookies { "https" } else { "http" };
        let cross_site = match origin {
            Some(o) => o.split_once("://") != Some((scheme, host)),
            None => {
                req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok())
                    == Some("cross-site")
            }
        };
        if cross_site {
            tracing::warn!(origin = ?origin, host, "refused cross-site request");
            return (StatusCode::FORBIDDEN, "Permintaan lintas situs ditolak.").into_response();
        }
    }
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let ok = res.status().is_success();
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // Pages set their own policy with the response's script nonce; everything else gets a strict one.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let is_page = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html"));
        let policy = if is_page { app::app::page_csp(&nonce) } else { STRICT_CSP.to_string() };
        if let Ok(v) = HeaderValue::from_str(&policy) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    if path.starts_with("/pkg/") {
        // A name that carries its content's hash never changes: browsers keep it for a year
        // without asking. Any other asset name is reused by the next build: revalidate it.
        let cache = if ok && is_content_named(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        // Sent as brotli, gzip or plain by what the browser accepts: shared caches must keep them apart.
        if !h.contains_key(header::VARY) {
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
    } else if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[derive(serde::Deserialize)]
struct Next_ {
    ke: Option<String>,
}

/// Sets the language cookie and goes back; a plain link, so it works without JavaScript.
async fn switch_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<Next_>,
) -> Response {
    let lang = domain::Lang::from_code_or_default(&lang);
    let back = q.ke.filter(|p| is_local_path(p)).unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        lang.code(),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    let mut res = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Whether a redirect target stays on this site: an absolute path whose second character does not
/// make it protocol-relative (`//`, or `/\` which browsers read the same), with no control
/// characters or spaces (browsers drop tabs and newlines, so `/\t/evil` would become `//evil`).
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p[1..].starts_with(['/', '\\'])
        && !p.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// The employees of an OPD as CSV, for its admins.
async fn export_employees(
    State(state): State<AppState>,
    RouteUser(caller): RouteUser,
    Path(opd): Path<String>,
) -> RouteResult {
    let admin = state.store.opd_admin(caller, &opd).await?;
    let csv = backend::import::export(&state.store, &admin).await?;
    let name = format!("pegawai-{}.csv", admin.opd().short_name.to_lowercase().replace(' ', "-"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    async fn app() -> Router {
        let path = std::env::temp_dir().join(format!("eoffice-http-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let options =
            LeptosOptions::builder().output_name("eoffice").site_root("target/site").build();
        router(AppState {
            store,
            options,
            secure_cookies: true,
            trust_proxy: false,
            signer: std::sync::Arc::new(backend::sign::ApprovalOnly),
        })
    }

    fn req(method: Method, uri: &str, headers: &[(&str, &str)]) -> Request {
        let mut b = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "kominfo.example.go.id");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn cross_site_posts_are_refused_same_site_pass() {
        let app = app().await;
        let evil = app
            .clone()
            .oneshot(req(Method::POST, "/api/current_user", &[("origin", "https://evil.example")]))
            .await
            .unwrap();
        assert_eq!(evil.status(), StatusCode::FORBIDDEN);
        let fetch_meta = app
            .clone()
            .oneshot(req(Method::POST, "/api/current_user", &[("sec-fetch-site", "cross-site")]))
            .await
            .unwrap();
        assert_eq!(fetch_meta.status(), StatusCode::FORBIDDEN);
        let plain_http = app
            .clone()
            .oneshot(req(
                Method::POST,
                "/api/current_user",
                &[("origin", "http://kominfo.example.go.id")],
            ))
            .await
            .unwrap();
        assert_eq!(plain_http.status(), StatusCode::FORBIDDEN, "the scheme is part of the origin");
        let same = app
            .clone()
            .oneshot(req(
                Method::POST,
                "/api/current_user",
                &[("origin", "https://kominfo.example.go.id")],
            ))
            .await
            .unwrap();
        assert_eq!(same.status(), StatusCode::OK);
        let get = app
            .oneshot(req(Method::GET, "/healthz", &[("origin", "https://evil.example")]))
            .await
            .unwrap();
        assert_eq!(get.status(), StatusCode::OK, "reads are not state changes");
    }

    #[tokio::test]
    async fn security_headers_and_language_cookie() {
        let app = app().await;
        let res = app.clone().oneshot(req(Method::GET, "/healthz", &[])).await.unwrap();
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        assert!(
            res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        let res =
            app.clone().oneshot(req(Method::GET, "/bahasa/en?ke=/profil", &[])).await.unwrap();
        assert_eq!(res.headers()[header::LOCATION], "/profil");
        let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("eoffice_bahasa=en;") && cookie.contains("Secure"), "{cookie}");
        // Open redirects are not possible through the language switch.
        for evil in
            ["//evil.example", "/%5Cevil.example", "/%09/evil.example", "/%0A/evil", "http://evil"]
        {
            let uri = format!("/bahasa/id?ke={evil}");
            let res = app.clone().oneshot(req(Method::GET, &uri, &[])).await.unwrap();
            assert_eq!(res.headers()[header::LOCATION], "/", "{evil}");
        }
        let res = app
            .clone()
            .oneshot(req(Method::GET, "/bahasa/id?ke=/surat-keluar?tab=draf", &[]))
            .await;
        assert_eq!(res.unwrap().headers()[header::LOCATION], "/surat-keluar?tab=draf");
        // The browser's default icon request finds the app's icon.
        let res = app.oneshot(req(Method::GET, "/favicon.ico", &[])).await.unwrap();
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(res.headers()[header::LOCATION], "/icon.svg");
    }

    async fn app_with_pki() -> (Router, Store) {
        let path = std::env::temp_dir().join(format!("eoffice-http-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        backend::seed::seed_demo(&store).await.unwrap();
        store.set_pki_master(Some(backend::random_token(32)));
        store.set_public_base("http://kominfo.example.go.id");
        let pemda = store.sole_pemda().await.unwrap().unwrap();
        store.init_pki(&backend::Actor::system(), &pemda).await.unwrap();
        let options =
            LeptosOptions::builder().output_name("eoffice").site_root("target/site").build();
        (
            router(AppState {
                store: store.clone(),
                options,
                secure_cookies: true,
                trust_proxy: false,
                signer: std::sync::Arc::new(backend::sign::ApprovalOnly),
            }),
            store,
        )
    }

    async fn body_of(res: Response) -> Vec<u8> {
        axum::body::to_bytes(res.into_body(), 20 * 1024 * 1024).await.unwrap().to_vec()
    }

    #[tokio::test]
    async fn pki_publication_and_tsa() {
        let (app, store) = app_with_pki().await;
        let res = app.clone().oneshot(req(Method::GET, "/pki/crl", &[])).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pkix-crl");
        assert_eq!(body_of(res).await[0], 0x30, "DER SEQUENCE");
        // Later generations of the issuing CA publish at /pki/crl/N once they exist.
        // The issuer's name is in the DER as UTF-8 text.
        let crl_issuer = |der: Vec<u8>| String::from_utf8_lossy(&der).into_owned();
        for path in ["/pki/crl/2", "/pki/crl/0", "/pki/crl/dua"] {
            let res = app.clone().oneshot(req(Method::GET, path, &[])).await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let pemda = store.sole_pemda().await.unwrap().unwrap();
        store.renew_issuing_ca(&backend::Actor::system(), &pemda, None).await.unwrap();
        let first = app.clone().oneshot(req(Method::GET, "/pki/crl", &[])).await.unwrap();
        let second = app.clone().oneshot(req(Method::GET, "/pki/crl/2", &[])).await.unwrap();
        assert_eq!(second.status(), StatusCode::OK);
        let (first, second) = (crl_issuer(body_of(first).await), crl_issuer(body_of(second).await));
        assert!(first.contains("Issuing CA e-Office") && !first.contains(" G2"), "{first}");
        assert!(second.contains("Issuing CA e-Office") && second.contains(" G2"), "{second}");
        let res = app.clone().oneshot(req(Method::GET, "/pki/root.pem", &[])).await.unwrap();
        assert!(
            String::from_utf8(body_of(res).await)
                .unwrap()
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        // An RFC 3161 request gets a granted reply.
        let query = tte::tsa::make_request(&[7u8; 32], Some(42), true);
        let mut r = req(Method::POST, "/tsa", &[("content-type", "application/timestamp-query")]);
        *r.body_mut() = Body::from(query);
        let res = app.clone().oneshot(r).await.unwrap();
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/timestamp-reply");
        assert!(tte::tsa::token_from_response(&body_of(res).await).is_ok());
        let mut r = req(Method::POST, "/tsa", &[]);
        *r.body_mut() = Body::from(vec![0u8; 70 * 1024]);
        assert_eq!(app.oneshot(r).await.unwrap().status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn verification_pages_and_json() {
        let (app, _) = app_with_pki().await;
        let res = app
            .clone()
            .oneshot(req(Method::GET, "/verifikasi/tidak-ada-dokumen", &[]))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let text = String::from_utf8(body_of(res).await).unwrap();
        assert!(text.contains("Dokumen tidak ditemukan") && text.contains("lang=\"id\""), "{text}");
        let res = app.clone().oneshot(req(Method::GET, "/verifikasi", &[])).await.unwrap();
        let text = String::from_utf8(body_of(res).await).unwrap();
        assert!(
            text.contains("<label for=\"berkas\"")
                && text.contains("enctype=\"multipart/form-data\""),
            "{text}"
        );
        // Machines: garbage is answered, not crashed on.
        let mut r = req(Method::POST, "/api/verifikasi", &[("content-type", "application/pdf")]);
        *r.body_mut() = Body::from("<script>bukan pdf</script>");
        let res = app.clone().oneshot(r).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let v: serde_json::Value = serde_json::from_slice(&body_of(res).await).unwrap();
        assert_eq!(v["outcome"], "not_pdf");
        assert_eq!(v["issued_here"], false);
        // The form posts multipart; an upload is escaped in the page.
        let body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n<b>x</b>\r\n--B--\r\n";
        let mut r = req(
            Method::POST,
            "/verifikasi",
            &[("content-type", "multipart/form-data; boundary=B")],
        );
        *r.body_mut() = Body::from(body);
        let res = app.clone().oneshot(r).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let text = String::from_utf8(body_of(res).await).unwrap();
        assert!(text.contains("BUKAN PDF") && !text.contains("<b>x</b>"), "{text}");
        let mut r = req(
            Method::POST,
            "/verifikasi",
            &[("content-type", "multipart/form-data; boundary=B")],
        );
        *r.body_mut() = Body::from("--B--");
        assert_eq!(app.oneshot(r).await.unwrap().status(), StatusCode::BAD_REQUEST);
    }

    /// A site folder with one asset and its compressed copies (marked so the test can tell which was sent).
    fn site_with_copies(name: &str) -> std::path::PathBuf {
        let site = std::env::temp_dir().join(format!("eoffice-site-{name}-{}", backend::new_id()));
        let pkg = site.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("eoffice.js"), "console.log('asli');").unwrap();
        std::fs::write(pkg.join("eoffice.js.br"), "BROTLI-COPY").unwrap();
        std::fs::write(pkg.join("eoffice.js.gz"), "GZIP-COPY").unwrap();
        site
    }

    async fn app_on_site(site: &std::path::Path) -> Router {
        let path = std::env::temp_dir().join(format!("eoffice-http-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let options = LeptosOptions::builder()
            .output_name("eoffice")
            .site_root(site.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        router(AppState {
            store,
            options,
            secure_cookies: true,
            trust_proxy: false,
            signer: std::sync::Arc::new(backend::sign::ApprovalOnly),
        })
    }

    #[tokio::test]
    async fn browser_assets_are_sent_from_their_compressed_copies_unless_stale() {
        let site = site_with_copies("fresh");
        let app = app_on_site(&site).await;
        let res = app
            .clone()
            .oneshot(req(
                Method::GET,
                "/pkg/eoffice.js",
                &[("accept-encoding", "gzip, deflate, br, zstd")],
            ))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
        assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(res.headers()[header::VARY], "accept-encoding");
        assert_eq!(body_of(res).await, b"BROTLI-COPY");
        let res = app
            .clone()
            .oneshot(req(Method::GET, "/pkg/eoffice.js", &[("accept-encoding", "gzip")]))
            .await
            .unwrap();
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(body_of(res).await, b"GZIP-COPY");
        let res = app.oneshot(req(Method::GET, "/pkg/eoffice.js", &[])).await.unwrap();
        assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body_of(res).await, b"console.log('asli');");

        // The asset was rebuilt after its copies: they are not sent.
        let stale = site_with_copies("stale");
        let js = stale.join("pkg").join("eoffice.js");
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        std::fs::File::options().write(true).open(&js).unwrap().set_modified(later).unwrap();
        let app = app_on_site(&stale).await;
        let res = app
            .oneshot(req(Method::GET, "/pkg/eoffice.js", &[("accept-encoding", "br, gzip")]))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // (Too small for on-the-fly compression, so it arrives as it is.)
        assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body_of(res).await, b"console.log('asli');", "stale copies are not served");
        for s in [site, stale] {
            let _ = std::fs::remove_dir_all(s);
        }
    }

    /// A build's assets sit in a folder named by their content: the server finds the current
    /// one, and browsers may keep anything under such a name for a year; other names are
    /// revalidated.
    #[tokio::test]
    async fn content_named_builds_are_found_and_cached_for_a_year() {
        let site = site_with_copies("hashed");
        let pkg = site.join("pkg");
        assert_eq!(asset_names(&pkg), ("pkg".to_string(), "/style.css".to_string()));
        let build = pkg.join("0123456789abcdef");
        std::fs::create_dir_all(&build).unwrap();
        std::fs::write(build.join("eoffice.js"), "console.log('baru');").unwrap();
        std::fs::write(build.join("eoffice_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(build.join("page_1234.wasm"), b"\0asm").unwrap();
        std::fs::write(build.join("style.css"), "body{}").unwrap();
        // Named but missing, or not a hash: the flat layout stays.
        std::fs::write(pkg.join("current-build"), "fedcba9876543210\n").unwrap();
        assert_eq!(asset_names(&pkg), ("pkg".to_string(), "/style.css".to_string()));
        std::fs::write(pkg.join("current-build"), "../../etc\n").unwrap();
        assert_eq!(asset_names(&pkg), ("pkg".to_string(), "/style.css".to_string()));
        std::fs::write(pkg.join("current-build"), "0123456789abcdef\n").unwrap();
        assert_eq!(
            asset_names(&pkg),
            ("pkg/0123456789abcdef".to_string(), "/pkg/0123456789abcdef/style.css".to_string())
        );
        let app = app_on_site(&site).await;
        for path in [
            "/pkg/0123456789abcdef/eoffice.js",
            "/pkg/0123456789abcdef/eoffice_bg.wasm",
            "/pkg/0123456789abcdef/page_1234.wasm",
            "/pkg/0123456789abcdef/style.css",
        ] {
            let res = app.clone().oneshot(req(Method::GET, path, &[])).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(
                res.headers()[header::CACHE_CONTROL],
                "public, max-age=31536000, immutable",
                "{path}"
            );
        }
        for path in ["/pkg/eoffice.js", "/pkg/current-build"] {
            let res = app.clone().oneshot(req(Method::GET, path, &[])).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        }
        // A name that is not there is not cached either.
        let res =
            app.oneshot(req(Method::GET, "/pkg/1111111111111111/eoffice.js", &[])).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        let _ = std::fs::remove_dir_all(site);
    }

    #[tokio::test]
    async fn export_needs_a_session() {
        let app = app().await;
        let res = app.oneshot(req(Method::GET, "/admin/opd/x/pegawai.csv", &[])).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }

    /// The CSV export goes to the OPD's admin, and to nobody else with a session.
    #[tokio::test]
    async fn export_is_for_the_opds_admins() {
        let (app, store) = demo_app(false).await;
        let cookie_of = |email: &'static str| {
            let store = store.clone();
            async move {
                let e = store.find_employee_by_email(email).await.unwrap().unwrap();
                let token = backend::random_token(32);
                store.open_session(&backend::Actor::system(), &e.id, &token, "test").await.unwrap();
                (e.opd_id, format!("{SESSION_COOKIE}={token}"))
            }
        };
        let (opd, admin) = cookie_of("agus.prasetyo@bojonegorokab.go.id").await;
        let (_, staff) = cookie_of("putri.ayu@bojonegorokab.go.id").await;
        let uri = format!("/admin/opd/{opd}/pegawai.csv");
        let res = app.clone().oneshot(req(Method::GET, &uri, &[("cookie", &admin)])).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let csv = String::from_utf8(body_of(res).await).unwrap();
        assert!(csv.starts_with("nip,nama,jabatan"), "{csv}");
        let res = app.clone().oneshot(req(Method::GET, &uri, &[("cookie", &staff)])).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = app
            .oneshot(req(Method::GET, "/admin/opd/tidak-ada/pegawai.csv", &[("cookie", &admin)]))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }

    async fn demo_app(trust_proxy: bool) -> (Router, Store) {
        let path = std::env::temp_dir().join(format!("eoffice-http-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        backend::seed::seed_demo(&store).await.unwrap();
        let options =
            LeptosOptions::builder().output_name("eoffice").site_root("target/site").build();
        let app = router(AppState {
            store: store.clone(),
            options,
            secure_cookies: true,
            trust_proxy,
            signer: std::sync::Arc::new(backend::sign::ApprovalOnly),
        });
        (app, store)
    }

    /// Pages of a Rahasia scan are sent `no-store`; those of a Biasa one may stay in the browser's
    /// private cache for an hour.
    #[tokio::test]
    async fn rahasia_scan_pages_are_never_stored() {
        use domain::disposition::{RegisterInput, RegisterOutcome};
        use domain::letter::{Sifat, Urgency};
        let (app, store) = demo_app(false).await;
        let tu = store.find_employee_by_email("sri.wahyuni@bojonegorokab.go.id").await.unwrap();
        let tu = store.session_user(&tu.unwrap().id, backend::today_wib()).await.unwrap();
        let token = backend::random_token(32);
        store.open_session(&backend::Actor::system(), &tu.employee_id, &token, "t").await.unwrap();
        let cookie = format!("{SESSION_COOKIE}={token}");
        let scan = backend::render::render_letter(&backend::render::LetterDocument {
            hal: "Surat dari luar".into(),
            ..Default::default()
        })
        .unwrap();
        let today = domain::time::wib_day(backend::now_ms());
        for (n, (sifat, cache)) in
            [(Sifat::Biasa, "private, max-age=3600"), (Sifat::Rahasia, "private, no-store")]
                .into_iter()
                .enumerate()
        {
            let input = RegisterInput {
                client_id: format!("scan-{n}"),
                received: domain::time::iso_date(today),
                sender_name: "Dinas Pendidikan".into(),
                letter_number: format!("800/{n}/2026"),
                letter_date: domain::time::iso_date(today - 1),
                sifat,
                urgency: Urgency::Biasa,
                attachment_count: 0,
                subject: "Permohonan data".into(),
                summary: "Permohonan data guru.".into(),
                klasifikasi: String::new(),
                disposer_position_id: String::new(),
                confirm_duplicate: false,
            };
            let RegisterOutcome::Registered { id, .. } =
                store.register_incoming(&tu, None, &input, scan.clone(), 1, "p.pdf").await.unwrap()
            else {
                panic!("not registered");
            };
            let uri = format!("/surat-masuk/{id}/halaman/0?w=320");
            let res =
                app.clone().oneshot(req(Method::GET, &uri, &[("cookie", &cookie)])).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{sifat:?}");
            assert_eq!(res.headers()[header::CACHE_CONTROL], cache, "{sifat:?}");
            assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
        }
    }

    /// The anonymous verification routes answer at most 60 requests a minute per address (then
    /// 429 with Retry-After), other addresses unaffected; uploads are bounded at 15 MB.
    #[tokio::test]
    async fn verification_routes_are_rate_limited_and_bounded() {
        let (app, _) = demo_app(true).await;
        let from = |ip: &'static str| [("x-forwarded-for", ip)];
        let mut statuses = Vec::new();
        for _ in 0..61 {
            let res = app
                .clone()
                .oneshot(req(Method::GET, "/verifikasi/tidak-ada-dokumen", &from("198.51.100.7")))
                .await
                .unwrap();
            statuses.push(res.status());
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                let wait: u64 =
                    res.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
                assert!((1..=60).contains(&wait), "{wait}");
            }
        }
        // The route itself answers (a page that says the document is unknown) until the limit.
        assert!(statuses[..60].iter().all(|s| *s == StatusCode::NOT_FOUND), "{statuses:?}");
        assert_eq!(statuses[60], StatusCode::TOO_MANY_REQUESTS);
        let other = app
            .clone()
            .oneshot(req(Method::GET, "/verifikasi/tidak-ada-dokumen", &from("198.51.100.8")))
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND);

        // A small non-PDF is checked and reported; a body over 15 MB is refused unread.
        let post = |ip: &'static str, body: Vec<u8>| {
            axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/verifikasi")
                .header(header::HOST, "kominfo.example.go.id")
                .header(header::CONTENT_TYPE, "application/pdf")
                .header("x-forwarded-for", ip)
                .body(Body::from(body))
                .unwrap()
        };
        let res = app.clone().oneshot(post("198.51.100.9", b"bukan pdf".to_vec())).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(String::from_utf8(body_of(res).await).unwrap().contains("not_pdf"));
        let big = vec![b'%'; backend::store::pki::VERIFY_MAX_BYTES + 128 * 1024];
        let res = app.oneshot(post("198.51.100.9", big)).await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
