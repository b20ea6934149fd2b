//! Outgoing e-mail (the notice digests), through the SMTP server an installation names.

use crate::{BackendError, Result};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// An SMTP connection pool and the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain, for a relay on the same network), `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://user:password@host:465` (TLS); `from`: `e-Office <eoffice@pemda.go.id>`.
    pub fn new(url: &str, from: &str) -> Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| BackendError::invalid(format!("Alamat server SMTP tidak valid: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| {
            BackendError::invalid(format!("Alamat pengirim e-mail tidak valid ({from}): {e}"))
        })?;
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<()> {
        let to = to.parse::<Mailbox>().map_err(|e| {
            BackendError::invalid(format!("Alamat e-mail penerima tidak valid ({to}): {e}"))
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| BackendError::caused("composing an e-mail", e))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| BackendError::caused("sending an e-mail over SMTP", e))?;
        Ok(())
    }
}
