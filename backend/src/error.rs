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
    /// A failure that is not the user's: what was being done, and the error underneath, kept as
    /// the source so the log shows the whole chain. Never shown to the user.
    #[error("internal: {context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
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
    /// An internal failure without an underlying error (a broken invariant).
    pub fn internal(context: impl Into<String>) -> Self {
        BackendError::Internal { context: context.into(), source: None }
    }
    /// An internal failure caused by `source`, while doing `context`.
    pub fn caused(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        BackendError::Internal { context: context.into(), source: Some(Box::new(source)) }
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
            BackendError::Db(_) | BackendError::Migrate(_) | BackendError::Internal { .. } => 500,
        }
    }

    /// Text for the user. Internal causes are logged here, once, and never sent.
    pub fn user_message(&self) -> String {
        match self {
            BackendError::Db(e) if is_unique_violation(e) => "Data yang sama sudah ada.".into(),
            BackendError::Db(_) | BackendError::Migrate(_) | BackendError::Internal { .. } => {
                tracing::error!(error = %self.chain(), "internal error");
                "Terjadi kesalahan pada server. Silakan coba lagi; bila berulang, hubungi admin."
                    .into()
            }
            other => other.to_string(),
        }
    }
}

impl BackendError {
    /// The error and every cause under it, "outer: inner: innermost", for the log.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut cur = std::error::Error::source(self);
        while let Some(e) = cur {
            out.push_str(": ");
            out.push_str(&e.to_string());
            cur = e.source();
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_their_cause_and_never_show_it() {
        let io = std::io::Error::other("disk full");
        let e = BackendError::caused("write scan", io);
        assert_eq!(e.status(), 500);
        assert_eq!(e.chain(), "internal: write scan: disk full");
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.user_message().contains("disk"));
        assert_eq!(BackendError::internal("no row").chain(), "internal: no row");
        assert_eq!(BackendError::invalid("Isi hal surat.").user_message(), "Isi hal surat.");
    }
}
