//! Passwords (argon2id), login with lock-out and back-off, password changes and resets.

use crate::{Actor, BackendError, Result, Store, now_ms, random_token};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use domain::account::{check_new_password, minutes_left};
use domain::nip::{Nip, looks_like_nip};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Password hashes running at once, at most: argon2 takes ~19 MB and a core for a moment each, so a
/// burst of logins waits here instead of exhausting memory and starving every other request.
pub fn max_parallel_hashes() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2)
}

static HASH_PERMITS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(max_parallel_hashes()));
static HASHES_RUNNING: AtomicUsize = AtomicUsize::new(0);
static HASHES_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most password hashes that ran at the same time since the process started (for tests).
pub fn peak_parallel_hashes() -> usize {
    HASHES_PEAK.load(Ordering::SeqCst)
}

/// Runs one argon2 computation on a blocking thread, within the cap of `max_parallel_hashes`.
async fn with_hash_permit<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _permit = HASH_PERMITS
        .acquire()
        .await
        .map_err(|e| BackendError::caused("password hashing permit", e))?;
    tokio::task::spawn_blocking(move || {
        let now = HASHES_RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        HASHES_PEAK.fetch_max(now, Ordering::SeqCst);
        let out = f();
        HASHES_RUNNING.fetch_sub(1, Ordering::SeqCst);
        out
    })
    .await
    .map_err(|e| BackendError::caused("password hashing task", e))
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not stall the async runtime.
pub async fn hash_password(password: &str) -> Result<String> {
    let pw = password.to_string();
    with_hash_permit(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| BackendError::caused("hash password", e))
    })
    .await?
}

pub async fn verify_password(password: &str, hash: &str) -> bool {
    let pw = password.to_string();
    let hash = hash.to_string();
    with_hash_permit(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    })
    .await
    .unwrap_or(false)
}

/// A temporary password an admin hands over; the account must change it at next login.
pub fn temporary_password() -> String {
    // Unambiguous characters, 10 letters + 2 digits so it passes the policy.
    use rand::Rng;
    const L: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
    const D: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    let mut s: String = (0..10).map(|_| L[rng.gen_range(0..L.len())] as char).collect();
    s.push(D[rng.gen_range(0..D.len())] as char);
    s.push(D[rng.gen_range(0..D.len())] as char);
    s
}

pub const WRONG_CREDENTIALS: &str = "NIP/email atau kata sandi salah.";

/// What a right password leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum LoginStep {
    /// A new session: its token and the employee id.
    Session { token: String, employee_id: String },
    /// The person has a second factor: the token of the challenge that `login_code` completes.
    Code { challenge: String },
}

impl LoginStep {
    /// The session, when the login needed no second step.
    pub fn into_session(self) -> Option<(String, String)> {
        match self {
            LoginStep::Session { token, employee_id } => Some((token, employee_id)),
            LoginStep::Code { .. } => None,
        }
    }
}

/// Logs in by NIP or email: a session, or for someone with a second factor, a challenge.
pub async fn login(
    store: &Store,
    identifier: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<LoginStep> {
    let now = now_ms();
    let identifier = identifier.trim();
    if identifier.is_empty() || password.is_empty() {
        return Err(BackendError::invalid("Isi NIP atau email, dan kata sandi."));
    }
    if let Some(t) = store.throttle(ip).await?
        && t.blocked_until_ms > now
    {
        return Err(BackendError::RateLimited(format!(
            "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi dalam {} menit.",
            minutes_left(t.blocked_until_ms, now)
        )));
    }
    let employee = if looks_like_nip(identifier) {
        let nip = Nip::parse(identifier, crate::store::org::current_year())
            .map_err(|e| BackendError::invalid(e.to_string()))?;
        store.find_employee_by_nip(nip.as_str()).await?
    } else {
        store.find_employee_by_email(identifier).await?
    };
    let account = match employee {
        Some(e) => store.account_by_employee(&e.id).await?,
        None => None,
    };
    let Some(acc) = account else {
        // Spend comparable time so unknown identifiers are not told apart by timing.
        let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
        address_failure(store, ip, now).await?;
        return Err(BackendError::Invalid(WRONG_CREDENTIALS.into()));
    };
    let actor = Actor::user(&acc.employee.id, Some(ip.to_string()));
    let attempt = store.reserve_password_attempt(&acc.employee.id).await?;
    let password_ok = verify_password(password, &acc.password_hash).await;
    let Some(failures) = attempt else {
        let locked_until = store
            .account_by_employee(&acc.employee.id)
            .await?
            .map_or(acc.locked_until_ms, |a| a.locked_until_ms);
        // Only someone who knows the password learns that the account is locked; to anyone else a
        // locked account looks like any wrong password, so locking does not reveal which accounts exist.
        if password_ok {
            return Err(BackendError::RateLimited(format!(
                "Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam {} menit, atau minta Admin OPD membukanya.",
                minutes_left(locked_until, now)
            )));
        }
        address_failure(store, ip, now).await?;
        return Err(BackendError::Invalid(WRONG_CREDENTIALS.into()));
    };
    if !password_ok {
        store.record_login_failure(&actor, &acc.employee.id, failures).await?;
        address_failure(store, ip, now).await?;
        return Err(BackendError::Invalid(WRONG_CREDENTIALS.into()));
    }
    if !acc.employee.active {
        return Err(BackendError::Forbidden("Akun Anda nonaktif. Hubungi Admin OPD.".into()));
    }
    if !store.get_opd(&acc.employee.opd_id).await?.active {
        return Err(BackendError::Forbidden(
            "OPD Anda dinonaktifkan di e-Office. Hubungi Admin Pemda.".into(),
        ));
    }
    let (enrolled, _) = store.second_factor_flags(&acc.employee.id, &acc.employee.pemda_id).await?;
    if enrolled {
        let challenge = store.open_login_challenge(&acc.employee.id).await?;
        return Ok(LoginStep::Code { challenge });
    }
    let token = random_token(32);
    store.open_session(&actor, &acc.employee.id, &token, user_agent).await?;
    Ok(LoginStep::Session { token, employee_id: acc.employee.id })
}

/// The second step of a login: the code from the authenticator (or a recovery code) for a live
/// challenge. Returns the new session token and the employee id; the session counts as checked.
pub async fn login_code(
    store: &Store,
    challenge: &str,
    code: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(String, String)> {
    let Some(employee_id) = store.login_challenge(challenge).await? else {
        return Err(BackendError::Unauthenticated);
    };
    let actor = Actor::user(&employee_id, Some(ip.to_string()));
    store.check_second_factor(&actor, &employee_id, code).await?;
    store.close_login_challenge(challenge).await?;
    let token = random_token(32);
    store.open_session(&actor, &employee_id, &token, user_agent).await?;
    store.mark_session_checked(&token).await?;
    Ok((token, employee_id))
}

async fn address_failure(store: &Store, ip: &str, now: i64) -> Result<()> {
    store.count_address_failure(ip, now).await.map(|_| ())
}

/// The user changes their own password; other sessions end, the current one stays.
pub async fn change_password(
    store: &Store,
    actor: &Actor,
    employee_id: &str,
    current_token: &str,
    old: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    let acc = store.account_by_employee(employee_id).await?.ok_or(BackendError::Unauthenticated)?;
    // Counted like a login attempt, so a borrowed session cannot guess the password without limit,
    // and refused like one while the account is locked.
    let Some(failures) = store.reserve_password_attempt(employee_id).await? else {
        return Err(BackendError::RateLimited(format!(
            "Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam {} menit.",
            minutes_left(acc.locked_until_ms, now_ms())
        )));
    };
    if !verify_password(old, &acc.password_hash).await {
        store.record_login_failure(actor, employee_id, failures).await?;
        return Err(BackendError::invalid("Kata sandi lama salah."));
    }
    check_new_password(new, confirm, Some(old), &acc.employee.nip)
        .map_err(|e| BackendError::invalid(e.to_string()))?;
    let hash = hash_password(new).await?;
    let keep = crate::store::accounts::token_hash(current_token);
    store.set_password(actor, employee_id, &hash, false, Some(&keep), "auth.password_change").await
}

/// An admin resets an employee's password to a temporary one (returned once), to be changed at
/// next login. Every session of the person ends, and their Beranda then says who reset it and
/// when. The head and Sekretaris of an OPD and every certificate holder (whose account signs
/// letters) are reset by the Admin Pemda only, never by an Admin OPD alone.
pub async fn admin_reset_password(
    store: &Store,
    admin: &crate::rights::OpdAdmin,
    employee_id: &str,
) -> Result<String> {
    store.employee_of(admin, employee_id).await?;
    let caller = &admin.caller().user;
    if !caller.caps.is_admin_pemda() && store.is_signing_official(employee_id).await? {
        return Err(BackendError::Forbidden(
            "Kata sandi Kepala OPD, Sekretaris, atau pemegang sertifikat TTE hanya dapat direset oleh Admin Pemda."
                .into(),
        ));
    }
    let actor = &admin.actor();
    let temp = temporary_password();
    let hash = hash_password(&temp).await?;
    store.set_password(actor, employee_id, &hash, true, None, "auth.password_reset").await?;
    let when = domain::time::long_datetime(now_ms(), domain::Lang::Id);
    store
        .notify(
            employee_id,
            "password_reset",
            &format!("Kata sandi Anda direset oleh {} pada {when}.", caller.name),
        )
        .await?;
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_policy() {
        for _ in 0..50 {
            let p = temporary_password();
            assert_eq!(check_new_password(&p, &p, None, "198001012005011001"), Ok(()), "{p}");
        }
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash_password("rahasia123").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("rahasia123", &h).await);
        assert!(!verify_password("rahasia124", &h).await);
        assert!(!verify_password("x", "not a hash").await);
    }
}
