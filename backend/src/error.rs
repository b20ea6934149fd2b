use thiserror::Error;

/// One error type for every backend service. Messages of the user-facing variants are in Bahasa Indonesia
/// and safe to show; database and internal causes are logged and replaced by a generic message.
#[derive(Debug, Error)]
pub enum BackendError {
    #[error("Sesi Anda berakhir. Silakan masuk kembali.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    RateLimited(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("internal: {0}")]
    Internal(String),
}

pub type Result<T, E = BackendError> = std::result::Result<T, E>;

impl BackendError {
    pub fn forbidden() -> Self {
        BackendError::Forbidden("Anda tidak berwenang melakukan tindakan ini.".into())
    }
    pub fn invalid(msg: impl Into<String>) -> Self {
        BackendError::Invalid(msg.into())
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        BackendError::NotFound(msg.into())
    }

    /// HTTP status for API callers.
    pub fn status(&self) -> u16 {
        match self {
            BackendError::Unauthenticated => 401,
            BackendError::Forbidden(_) => 403,
            BackendError::NotFound(_) => 404,
            BackendError::Invalid(_) => 422,
            BackendError::Conflict(_) => 409,
            BackendError::RateLimited(_) => 429,
            BackendError::Db(_) | BackendError::Migrate(_) | BackendError::Internal(_) => 500,
        }
    }

    /// Text for the user. Internal causes are logged here, once, and never sent.
    pub fn user_message(&self) -> String {
        match self {
            BackendError::Db(e) if is_unique_violation(e) => "Data yang sama sudah ada.".into(),
            BackendError::Db(_) | BackendError::Migrate(_) | BackendError::Internal(_) => {
                tracing::error!(error = %self, "internal error");
                "Terjadi kesalahan pada server. Silakan coba lagi; bila berulang, hubungi admin."
                    .into()
            }
            other => other.to_string(),
        }
    }
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() || {
                let m = d.message();
                m.contains("UNIQUE constraint failed") || m.contains("duplicate key value")
            }
        }
        _ => false,
    }
}
