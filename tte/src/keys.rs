//! Key protection: private keys at rest are encrypted under a key derived from a passphrase.
//!
//! Scheme (version `tte1`): Argon2id (default m = 19456 KiB, t = 2, p = 1, random 16-byte salt) derives a
//! 32-byte key; XChaCha20-Poly1305 with a random 24-byte nonce encrypts the PKCS#8 DER of the key. The
//! parameter header (`tte1$argon2id$m=..,t=..,p=..`) is bound to the ciphertext as associated data, so the
//! stored parameters cannot be weakened without the decryption failing.
//!
//! The compact string form is
//! `tte1$argon2id$m=19456,t=2,p=1$<salt b64>$<nonce b64>$<ciphertext b64>` (standard base64, no padding);
//! serde uses that string.

use std::fmt;
use std::str::FromStr;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use p256::ecdsa::SigningKey;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rand::RngCore;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

/// Errors of key protection.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The passphrase does not open the key (or the blob was altered).
    #[error("wrong passphrase / passphrase salah")]
    WrongPassphrase,
    /// The stored blob is not in a known format.
    #[error("malformed encrypted key: {0}")]
    Malformed(String),
    /// The KDF parameters are out of range.
    #[error("invalid KDF parameters: {0}")]
    Params(String),
    /// The decrypted key is not a P-256 PKCS#8 key.
    #[error("unsupported or corrupt private key: {0}")]
    BadKey(String),
}

/// A passphrase. Its `Debug` and `Display` never print the content and it is wiped from memory on drop.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps a passphrase.
    pub fn new(s: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(s.into()))
    }
    /// Number of characters, for the caller's strength rules.
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
    /// Whether two passphrases are the same text (e.g. a "new" secret that is the old one).
    pub fn is_same(&self, other: &Passphrase) -> bool {
        self.bytes() == other.bytes()
    }
}

impl From<&str> for Passphrase {
    fn from(s: &str) -> Self {
        Passphrase::new(s)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

impl fmt::Display for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Argon2id cost parameters stored beside each encrypted key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Parallelism.
    pub p: u32,
}

impl KdfParams {
    /// The default, OWASP's Argon2id recommendation: m = 19456 KiB, t = 2, p = 1.
    pub const DEFAULT: KdfParams = KdfParams { m_kib: 19456, t: 2, p: 1 };
    /// Very cheap parameters for bulk operations in tests only. Never use for real keys.
    pub const TEST_ONLY_FAST: KdfParams = KdfParams { m_kib: 64, t: 1, p: 1 };

    fn argon2(&self) -> Result<Argon2<'static>, KeyError> {
        if self.m_kib > 4 * 1024 * 1024 || self.t > 64 || self.p > 16 {
            // Refuse absurd stored parameters (a blob could otherwise make us allocate terabytes).
            return Err(KeyError::Params("parameters too large".into()));
        }
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| KeyError::Params(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    fn header(&self) -> String {
        format!("tte1$argon2id$m={},t={},p={}", self.m_kib, self.t, self.p)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams::DEFAULT
    }
}

/// A private key encrypted under a passphrase (see the module documentation for the scheme).
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptedKey {
    params: KdfParams,
    salt: [u8; 16],
    nonce: [u8; 24],
    ciphertext: Vec<u8>,
}

impl fmt::Debug for EncryptedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedKey").field("params", &self.params).finish_non_exhaustive()
    }
}

fn derive_key(
    params: &KdfParams,
    pass: &Passphrase,
    salt: &[u8],
) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let mut out = Zeroizing::new([0u8; 32]);
    params
        .argon2()?
        .hash_password_into(pass.bytes(), salt, out.as_mut())
        .map_err(|e| KeyError::Params(e.to_string()))?;
    Ok(out)
}

impl EncryptedKey {
    /// Encrypts `key` under `pass` with the default KDF parameters.
    pub fn encrypt(key: &UnlockedKey, pass: &Passphrase) -> Result<Self, KeyError> {
        Self::encrypt_with(key, pass, KdfParams::DEFAULT)
    }

    /// Encrypts `key` under `pass` with the given KDF parameters.
    pub fn encrypt_with(
        key: &UnlockedKey,
        pass: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, KeyError> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut nonce);
        let k = derive_key(&params, pass, &salt)?;
        let cipher = XChaCha20Poly1305::new(k.as_ref().into());
        let pkcs8 = key.pkcs8_der()?;
        let header = params.header();
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload { msg: pkcs8.as_slice(), aad: header.as_bytes() },
            )
            .map_err(|_| KeyError::Malformed("encryption failed".into()))?;
        Ok(EncryptedKey { params, salt, nonce, ciphertext })
    }

    /// Opens the key. A wrong passphrase gives [`KeyError::WrongPassphrase`].
    pub fn decrypt(&self, pass: &Passphrase) -> Result<UnlockedKey, KeyError> {
        let k = derive_key(&self.params, pass, &self.salt)?;
        let cipher = XChaCha20Poly1305::new(k.as_ref().into());
        let header = self.params.header();
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&self.nonce),
                    Payload { msg: &self.ciphertext, aad: header.as_bytes() },
                )
                .map_err(|_| KeyError::WrongPassphrase)?,
        );
        UnlockedKey::from_pkcs8_der(&plain)
    }

    /// Re-encrypts the key under a new passphrase (fresh salt and nonce; the stored parameters, raised to
    /// at least the current default). Fails with [`KeyError::WrongPassphrase`] if `old` is wrong.
    pub fn change_passphrase(
        &self,
        old: &Passphrase,
        new: &Passphrase,
    ) -> Result<EncryptedKey, KeyError> {
        let key = self.decrypt(old)?;
        // Keep stored parameters, but never go below the current default.
        let params = KdfParams {
            m_kib: self.params.m_kib.max(KdfParams::DEFAULT.m_kib),
            t: self.params.t.max(KdfParams::DEFAULT.t),
            p: self.params.p.max(KdfParams::DEFAULT.p),
        };
        EncryptedKey::encrypt_with(&key, new, params)
    }

    /// The KDF parameters of this blob.
    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// The compact string form (see module docs).
    pub fn to_compact(&self) -> String {
        format!(
            "{}${}${}${}",
            self.params.header(),
            B64.encode(self.salt),
            B64.encode(self.nonce),
            B64.encode(&self.ciphertext)
        )
    }

    /// Parses the compact string form.
    pub fn from_compact(s: &str) -> Result<Self, KeyError> {
        let bad = |m: &str| KeyError::Malformed(m.to_string());
        let parts: Vec<&str> = s.trim().split('$').collect();
        if parts.len() != 6 || parts[0] != "tte1" || parts[1] != "argon2id" {
            return Err(bad("expected tte1$argon2id$params$salt$nonce$ciphertext"));
        }
        let mut m = None;
        let mut t = None;
        let mut p = None;
        for kv in parts[2].split(',') {
            let (k, v) = kv.split_once('=').ok_or_else(|| bad("bad parameter"))?;
            let v: u32 = v.parse().map_err(|_| bad("bad parameter value"))?;
            match k {
                "m" => m = Some(v),
                "t" => t = Some(v),
                "p" => p = Some(v),
                _ => return Err(bad("unknown parameter")),
            }
        }
        let params = KdfParams {
            m_kib: m.ok_or_else(|| bad("missing m"))?,
            t: t.ok_or_else(|| bad("missing t"))?,
            p: p.ok_or_else(|| bad("missing p"))?,
        };
        let salt: [u8; 16] = B64
            .decode(parts[3])
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("bad salt"))?;
        let nonce: [u8; 24] = B64
            .decode(parts[4])
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("bad nonce"))?;
        let ciphertext = B64.decode(parts[5]).map_err(|_| bad("bad ciphertext"))?;
        if ciphertext.len() < 16 {
            return Err(bad("ciphertext too short"));
        }
        Ok(EncryptedKey { params, salt, nonce, ciphertext })
    }
}

impl fmt::Display for EncryptedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_compact())
    }
}

impl FromStr for EncryptedKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        EncryptedKey::from_compact(s)
    }
}

impl serde::Serialize for EncryptedKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_compact())
    }
}

impl<'de> serde::Deserialize<'de> for EncryptedKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EncryptedKey::from_compact(&s).map_err(serde::de::Error::custom)
    }
}

/// A decrypted P-256 private key, held only as long as needed. The scalar is wiped on drop (the inner
/// `ecdsa::SigningKey` zeroizes itself); `Debug` never shows it.
pub struct UnlockedKey {
    key: SigningKey,
}

impl fmt::Debug for UnlockedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UnlockedKey(P-256, <redacted>)")
    }
}

impl UnlockedKey {
    /// Generates a fresh P-256 key from the OS random generator.
    pub fn generate() -> Self {
        UnlockedKey { key: SigningKey::random(&mut OsRng) }
    }

    /// Reads a PKCS#8 DER P-256 private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = SigningKey::from_pkcs8_der(der).map_err(|e| KeyError::BadKey(e.to_string()))?;
        Ok(UnlockedKey { key })
    }

    /// The PKCS#8 DER (wiped when the returned buffer is dropped).
    pub fn pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        // `SecretDocument` wipes itself on drop; the copy is wiped by `Zeroizing`.
        let doc = self.key.to_pkcs8_der().map_err(|e| KeyError::BadKey(e.to_string()))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// SubjectPublicKeyInfo DER of the public key.
    pub fn public_key_der(&self) -> Vec<u8> {
        self.key
            .verifying_key()
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default()
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrong_passphrase() {
        let k = UnlockedKey::generate();
        let pass = Passphrase::new("kata sandi rahasia");
        let enc = EncryptedKey::encrypt_with(&k, &pass, KdfParams::TEST_ONLY_FAST).unwrap();
        let back = enc.decrypt(&pass).unwrap();
        assert_eq!(k.public_key_der(), back.public_key_der());
        assert!(matches!(enc.decrypt(&Passphrase::new("salah")), Err(KeyError::WrongPassphrase)));
    }

    #[test]
    fn default_params_round_trip() {
        let k = UnlockedKey::generate();
        let pass = Passphrase::new("p");
        let enc = EncryptedKey::encrypt(&k, &pass).unwrap();
        assert_eq!(enc.params(), KdfParams { m_kib: 19456, t: 2, p: 1 });
        assert!(enc.to_compact().starts_with("tte1$argon2id$m=19456,t=2,p=1$"));
        assert_eq!(enc.decrypt(&pass).unwrap().public_key_der(), k.public_key_der());
    }

    #[test]
    fn compact_and_serde_round_trip() {
        let k = UnlockedKey::generate();
        let pass = Passphrase::new("abc");
        let enc = EncryptedKey::encrypt_with(&k, &pass, KdfParams::TEST_ONLY_FAST).unwrap();
        let s = enc.to_compact();
        let parsed: EncryptedKey = s.parse().unwrap();
        assert_eq!(parsed, enc);
        let json = serde_json::to_string(&enc).unwrap();
        let back: EncryptedKey = serde_json::from_str(&json).unwrap();
        assert_eq!(back.decrypt(&pass).unwrap().public_key_der(), k.public_key_der());
        // Weakening the stored parameters breaks decryption (the header is authenticated).
        let weakened = s.replacen("t=1", "t=2", 1);
        let w: EncryptedKey = weakened.parse().unwrap();
        assert!(matches!(w.decrypt(&pass), Err(KeyError::WrongPassphrase)));
        assert!(EncryptedKey::from_compact("garbage").is_err());
        assert!(EncryptedKey::from_compact("tte1$argon2id$m=1$a$b$c").is_err());
    }

    #[test]
    fn change_passphrase() {
        let k = UnlockedKey::generate();
        let old = Passphrase::new("lama");
        let new = Passphrase::new("baru");
        let enc = EncryptedKey::encrypt_with(&k, &old, KdfParams::TEST_ONLY_FAST).unwrap();
        assert!(matches!(enc.change_passphrase(&new, &new), Err(KeyError::WrongPassphrase)));
        let enc2 = enc.change_passphrase(&old, &new).unwrap();
        assert!(matches!(enc2.decrypt(&old), Err(KeyError::WrongPassphrase)));
        assert_eq!(enc2.decrypt(&new).unwrap().public_key_der(), k.public_key_der());
    }

    #[test]
    fn secrets_never_printed() {
        let p = Passphrase::new("sangat-rahasia");
        assert!(!format!("{p:?} {p}").contains("rahasia"));
        let k = UnlockedKey::generate();
        assert_eq!(format!("{k:?}"), "UnlockedKey(P-256, <redacted>)");
        let enc = EncryptedKey::encrypt_with(&k, &p, KdfParams::TEST_ONLY_FAST).unwrap();
        assert!(!format!("{enc:?}").contains(&B64.encode(&enc.ciphertext)));
    }

    #[test]
    fn absurd_params_refused() {
        let k = UnlockedKey::generate();
        let p = Passphrase::new("x");
        let enc = EncryptedKey::encrypt_with(&k, &p, KdfParams::TEST_ONLY_FAST).unwrap();
        let s = enc.to_compact().replacen("m=64", "m=4000000000", 1);
        let e: EncryptedKey = s.parse().unwrap();
        assert!(matches!(e.decrypt(&p), Err(KeyError::Params(_))));
    }
}
