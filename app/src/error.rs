//! The error every server function returns: a status and a message safe to show to the user.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub status: u16,
    pub message: String,
}

impl AppError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        AppError { status, message: message.into() }
    }
    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::new(
                0,
                "Tidak dapat menghubungi server. Periksa koneksi internet Anda lalu coba lagi.",
            ),
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::Deserialization(e) => {
                AppError::new(400, format!("Permintaan tidak valid: {e}"))
            }
            other => AppError::new(500, format!("Terjadi kesalahan: {other}")),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<backend::BackendError> for AppError {
    /// Also sets the HTTP status of the server function response, for API callers. A plain HTML form
    /// post (no JavaScript) keeps the redirect back to the form that the server function layer sets.
    fn from(e: backend::BackendError) -> Self {
        let status = e.status();
        let plain_form = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(axum::http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .unwrap_or(false);
        if plain_form {
            return AppError::new(status, e.user_message());
        }
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(code) = axum::http::StatusCode::from_u16(status)
        {
            opts.set_status(code);
        }
        AppError::new(status, e.user_message())
    }
}

pub type AppResult<T> = Result<T, AppError>;
