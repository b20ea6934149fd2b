//! The installation's own certificate authority: root CA, issuing CA, TSA certificate, signing
//! certificates for officials, and CRLs.
//!
//! Every private key leaves this module encrypted ([`EncryptedKey`]); the caller stores the serialisable
//! [`Pki`] record and the issued certificates in its database. Revocation is a record the caller keeps;
//! [`make_crl`] turns that list into a signed X.509 CRL.

use std::time::{Duration, SystemTime};

use der::asn1::{
    BitString, GeneralizedTime, Ia5String, OctetString, PrintableString, SetOfVec, UtcTime,
    Utf8StringRef,
};
use der::{Any, Decode, Encode, Tagged};
use spki::ObjectIdentifier;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, CrlNumber, CrlReason,
    ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, Extensions};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

use crate::asn1::{self, alg_ecdsa_sha256};
use crate::keys::{EncryptedKey, KdfParams, KeyError, Passphrase, UnlockedKey};
use crate::tsa::Tsa;

const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_SERIAL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");
const OID_C: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const OID_O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const OID_OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const OID_TITLE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.12");

const DAY: u64 = 86_400;

/// Errors of the PKI.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// Key protection failed (e.g. wrong passphrase for the CA keys).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// ASN.1 encoding failed or a stored certificate is corrupt.
    #[error("ASN.1: {0}")]
    Der(String),
    /// Input rejected.
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl From<der::Error> for PkiError {
    fn from(e: der::Error) -> Self {
        PkiError::Der(e.to_string())
    }
}

/// A CA (or TSA) certificate with its encrypted private key, as stored by the caller.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredCert {
    /// DER certificate, base64 in serde form.
    #[serde(with = "b64")]
    pub cert_der: Vec<u8>,
    /// The private key, encrypted.
    pub key: EncryptedKey,
}

impl StoredCert {
    /// The parsed certificate.
    pub fn certificate(&self) -> Result<Certificate, PkiError> {
        Ok(Certificate::from_der(&self.cert_der)?)
    }
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as B64;
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(v))
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        B64.decode(s.as_bytes()).map_err(serde::de::Error::custom)
    }
}

/// Names used in the CA subjects.
#[derive(Clone, Debug)]
pub struct PkiNames {
    /// Installation name, e.g. "Kabupaten Contoh".
    pub installation: String,
    /// Organisation (the pemda), e.g. "Pemerintah Kabupaten Contoh".
    pub pemda: String,
}

/// The installation's PKI: root CA (self-signed, ~20 years), issuing CA (pathLen 0, ~10 years) and the
/// TSA certificate (critical EKU id-kp-timeStamping, ~10 years), all P-256 / ECDSA-SHA256.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pki {
    /// Root CA.
    pub root: StoredCert,
    /// Issuing CA (signs officials' certificates, CRLs and the TSA certificate).
    pub issuing: StoredCert,
    /// Time-stamp authority.
    pub tsa: StoredCert,
}

/// An issuing CA with its key unlocked, ready to issue certificates and CRLs.
pub struct IssuingCa {
    /// The CA certificate.
    pub cert: Certificate,
    /// The CA key.
    pub key: UnlockedKey,
}

/// Subject of an official's signing certificate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignerSubject {
    /// Full name (CN).
    pub name: String,
    /// NIP (subject serialNumber).
    pub nip: String,
    /// Position / jabatan (title).
    pub position: String,
    /// OPD (OU).
    pub opd: String,
    /// Pemda (O).
    pub pemda: String,
    /// Optional e-mail (subjectAltName rfc822Name).
    pub email: Option<String>,
}

/// Options of [`issue_signing_cert`].
#[derive(Clone, Debug)]
pub struct IssueOptions {
    /// Start of validity (usually now).
    pub now: SystemTime,
    /// CRL distribution point URL written into the certificate.
    pub crl_url: Option<String>,
    /// KDF parameters for the official's key (default [`KdfParams::DEFAULT`]).
    pub kdf: KdfParams,
}

impl IssueOptions {
    /// Now, no CRL URL, default KDF.
    pub fn now() -> Self {
        IssueOptions { now: SystemTime::now(), crl_url: None, kdf: KdfParams::DEFAULT }
    }
}

/// A freshly issued signing certificate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedCert {
    /// Certificate and the official's encrypted key.
    pub stored: StoredCert,
    /// Serial number, lowercase hex (for the caller's revocation records).
    pub serial_hex: String,
    /// Not-after, unix seconds.
    pub not_after_unix: i64,
}

/// A revoked certificate entry for [`make_crl`].
#[derive(Clone, Debug)]
pub struct RevokedEntry {
    /// Serial number bytes (big-endian, as in the certificate; see [`serial_from_hex`]).
    pub serial: Vec<u8>,
    /// When it was revoked.
    pub revoked_at: SystemTime,
    /// Reason.
    pub reason: RevocationReason,
}

/// CRL reason codes (RFC 5280 5.3.1) that this system uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RevocationReason {
    /// unspecified (0)
    Unspecified,
    /// keyCompromise (1), e.g. passphrase leaked
    KeyCompromise,
    /// affiliationChanged (3), e.g. moved to another OPD
    AffiliationChanged,
    /// superseded (4), e.g. renewed or forgotten passphrase and re-issued
    Superseded,
    /// cessationOfOperation (5), e.g. retired
    CessationOfOperation,
}

impl RevocationReason {
    fn to_x509(self) -> CrlReason {
        match self {
            RevocationReason::Unspecified => CrlReason::Unspecified,
            RevocationReason::KeyCompromise => CrlReason::KeyCompromise,
            RevocationReason::AffiliationChanged => CrlReason::AffiliationChanged,
            RevocationReason::Superseded => CrlReason::Superseded,
            RevocationReason::CessationOfOperation => CrlReason::CessationOfOperation,
        }
    }
}

/// Converts a time to an RFC 5280 `Time` (UTCTime before 2050, GeneralizedTime after), whole seconds.
pub(crate) fn x509_time(t: SystemTime) -> Result<Time, PkiError> {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| PkiError::Invalid("time before 1970".into()))?;
    let d = Duration::from_secs(secs.as_secs());
    if secs.as_secs() < 2_524_608_000 {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(d)?))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(d)?))
    }
}

fn utf8_value(s: &str) -> Result<Any, PkiError> {
    Ok(Any::encode_from(&Utf8StringRef::new(s)?)?)
}

fn printable_value(s: &str) -> Result<Any, PkiError> {
    let p = PrintableString::new(s)
        .map_err(|_| PkiError::Invalid(format!("not a printable string: {s:?}")))?;
    Ok(Any::encode_from(&p)?)
}

fn rdn(oid: ObjectIdentifier, value: Any) -> Result<RelativeDistinguishedName, PkiError> {
    let mut set = SetOfVec::new();
    set.insert(AttributeTypeAndValue { oid, value })?;
    Ok(RelativeDistinguishedName(set))
}

/// Builds a Name from (oid, value) pairs in order (most general first).
fn name(parts: Vec<(ObjectIdentifier, Any)>) -> Result<Name, PkiError> {
    let mut rdns = Vec::new();
    for (oid, v) in parts {
        rdns.push(rdn(oid, v)?);
    }
    Ok(RdnSequence(rdns))
}

fn ca_name(cn: &str, pemda: &str) -> Result<Name, PkiError> {
    name(vec![
        (OID_C, printable_value("ID")?),
        (OID_O, utf8_value(pemda)?),
        (OID_CN, utf8_value(cn)?),
    ])
}

/// Random 16-byte positive serial number.
fn random_serial() -> Result<SerialNumber, PkiError> {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b[0] &= 0x7f;
    if b[0] == 0 {
        b[0] = 0x01; // keep it 16 bytes long and minimal
    }
    Ok(SerialNumber::new(&b)?)
}

/// Parses a hex serial (as in [`IssuedCert::serial_hex`]) into bytes for [`RevokedEntry`].
pub fn serial_from_hex(s: &str) -> Result<Vec<u8>, PkiError> {
    hex::decode(s.trim()).map_err(|_| PkiError::Invalid("bad hex serial".into()))
}

fn key_id(spki: &spki::SubjectPublicKeyInfoOwned) -> Vec<u8> {
    // RFC 7093 method 1: leftmost 160 bits of the SHA-256 hash of the subjectPublicKey.
    let h = asn1::sha256(spki.subject_public_key.raw_bytes());
    h[..20].to_vec()
}

/// What every end-entity certificate (an official's, the TSA's) starts with: not a CA (critical),
/// and key usage digitalSignature + nonRepudiation (critical). The caller adds its extended key usage.
fn leaf_extensions() -> Result<Vec<Extension>, PkiError> {
    Ok(vec![
        ext(
            asn1::ID_CE_BASIC_CONSTRAINTS,
            true,
            &BasicConstraints { ca: false, path_len_constraint: None },
        )?,
        ext(
            asn1::ID_CE_KEY_USAGE,
            true,
            &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
        )?,
    ])
}

fn ext<T: Encode>(oid: ObjectIdentifier, critical: bool, v: &T) -> Result<Extension, PkiError> {
    Ok(Extension { extn_id: oid, critical, extn_value: OctetString::new(v.to_der()?)? })
}

fn spki_of(key: &UnlockedKey) -> Result<spki::SubjectPublicKeyInfoOwned, PkiError> {
    Ok(spki::SubjectPublicKeyInfoOwned::from_der(&key.public_key_der())?)
}

/// Signs a TBSCertificate with the issuer key (ECDSA P-256 / SHA-256).
fn sign_tbs(tbs: TbsCertificate, issuer_key: &UnlockedKey) -> Result<Certificate, PkiError> {
    let msg = tbs.to_der()?;
    let sig = asn1::ecdsa_sign(issuer_key.signing_key(), &msg);
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg_ecdsa_sha256(),
        signature: BitString::from_bytes(&sig)?,
    })
}

struct CertSpec<'a> {
    subject: Name,
    subject_key: &'a spki::SubjectPublicKeyInfoOwned,
    issuer: Option<(&'a Certificate, &'a UnlockedKey)>, // None = self-signed with self_key
    self_key: Option<&'a UnlockedKey>,
    not_before: SystemTime,
    days: u64,
    extensions: Vec<Extension>,
}

fn make_cert(spec: CertSpec<'_>) -> Result<Certificate, PkiError> {
    let ski = key_id(spec.subject_key);
    let (issuer_name, issuer_ski, signer) = match spec.issuer {
        Some((c, k)) => (
            c.tbs_certificate.subject.clone(),
            key_id(&c.tbs_certificate.subject_public_key_info),
            k,
        ),
        None => (
            spec.subject.clone(),
            ski.clone(),
            spec.self_key.ok_or_else(|| PkiError::Invalid("self-signed needs a key".into()))?,
        ),
    };
    let mut exts = vec![ext(
        ObjectIdentifier::new_unwrap("2.5.29.14"),
        false,
        &SubjectKeyIdentifier(OctetString::new(ski)?),
    )?];
    if spec.issuer.is_some() {
        exts.push(ext(
            ObjectIdentifier::new_unwrap("2.5.29.35"),
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(issuer_ski)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?);
    }
    exts.extend(spec.extensions);
    let not_after = spec.not_before + Duration::from_secs(spec.days * DAY);
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: random_serial()?,
        signature: alg_ecdsa_sha256(),
        issuer: issuer_name,
        validity: Validity {
            not_before: x509_time(spec.not_before)?,
            not_after: x509_time(not_after)?,
        },
        subject: spec.subject,
        subject_public_key_info: spec.subject_key.clone(),
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(Extensions::from(exts)),
    };
    sign_tbs(tbs, signer)
}

fn ca_extensions(path_len: Option<u8>) -> Result<Vec<Extension>, PkiError> {
    Ok(vec![
        ext(
            asn1::ID_CE_BASIC_CONSTRAINTS,
            true,
            &BasicConstraints { ca: true, path_len_constraint: path_len },
        )?,
        ext(asn1::ID_CE_KEY_USAGE, true, &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))?,
    ])
}

/// An issuing CA certified by the root, and a TSA certified by that issuing CA, their keys
/// encrypted under `ca_passphrase`. `suffix` follows the names (empty for the first generation).
#[allow(clippy::too_many_arguments)]
fn issuing_and_tsa(
    names: &PkiNames,
    suffix: &str,
    root: &Certificate,
    root_key: &UnlockedKey,
    not_before: SystemTime,
    days: u64,
    ca_passphrase: &Passphrase,
    kdf: KdfParams,
) -> Result<(StoredCert, StoredCert), PkiError> {
    let issuing_key = UnlockedKey::generate();
    let issuing_spki = spki_of(&issuing_key)?;
    let issuing = make_cert(CertSpec {
        subject: ca_name(
            &format!("Issuing CA e-Office {}{suffix}", names.installation),
            &names.pemda,
        )?,
        subject_key: &issuing_spki,
        issuer: Some((root, root_key)),
        self_key: None,
        not_before,
        days,
        extensions: ca_extensions(Some(0))?,
    })?;
    let tsa_key = UnlockedKey::generate();
    let tsa_spki = spki_of(&tsa_key)?;
    let tsa = make_cert(CertSpec {
        subject: ca_name(&format!("TSA e-Office {}{suffix}", names.installation), &names.pemda)?,
        subject_key: &tsa_spki,
        issuer: Some((&issuing, &issuing_key)),
        self_key: None,
        not_before,
        days: days.saturating_sub(2),
        extensions: {
            let mut e = leaf_extensions()?;
            e.push(ext(
                asn1::ID_CE_EXT_KEY_USAGE,
                true,
                &ExtendedKeyUsage(vec![asn1::ID_KP_TIME_STAMPING]),
            )?);
            e
        },
    })?;
    let store = |c: &Certificate, k: &UnlockedKey| -> Result<StoredCert, PkiError> {
        Ok(StoredCert {
            cert_der: c.to_der()?,
            key: EncryptedKey::encrypt_with(k, ca_passphrase, kdf)?,
        })
    };
    Ok((store(&issuing, &issuing_key)?, store(&tsa, &tsa_key)?))
}

fn crl_dp(url: &str) -> Result<Extension, PkiError> {
    let uri = Ia5String::new(url).map_err(|_| PkiError::Invalid("CRL URL must be ASCII".into()))?;
    let dp = CrlDistributionPoints(vec![DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::UniformResourceIdentifier(uri),
        ])),
        reasons: None,
        crl_issuer: None,
    }]);
    ext(ObjectIdentifier::new_unwrap("2.5.29.31"), false, &dp)
}

impl Pki {
    /// Creates the installation PKI with default KDF parameters for the CA keys.
    pub fn init(
        names: &PkiNames,
        ca_passphrase: &Passphrase,
        now: SystemTime,
    ) -> Result<Pki, PkiError> {
        Self::init_with(names, ca_passphrase, now, KdfParams::DEFAULT)
    }

    /// Like [`Pki::init`] with explicit KDF parameters (tests use cheap ones).
    pub fn init_with(
        names: &PkiNames,
        ca_passphrase: &Passphrase,
        now: SystemTime,
        kdf: KdfParams,
    ) -> Result<Pki, PkiError> {
        // Back-date a little so that clocks slightly behind still accept the certificates.
        let nb = now.checked_sub(Duration::from_secs(3600)).unwrap_or(now);
        let root_key = UnlockedKey::generate();
        let root_spki = spki_of(&root_key)?;
        let root = make_cert(CertSpec {
            subject: ca_name(&format!("Root CA e-Office {}", names.installation), &names.pemda)?,
            subject_key: &root_spki,
            issuer: None,
            self_key: Some(&root_key),
            not_before: nb,
            days: 20 * 365 + 5,
            extensions: ca_extensions(None)?,
        })?;
        let (issuing, tsa) =
            issuing_and_tsa(names, "", &root, &root_key, nb, 10 * 365 + 2, ca_passphrase, kdf)?;
        Ok(Pki {
            root: StoredCert {
                cert_der: root.to_der()?,
                key: EncryptedKey::encrypt_with(&root_key, ca_passphrase, kdf)?,
            },
            issuing,
            tsa,
        })
    }

    /// A new generation of the issuing CA and the TSA under the same root (the root key signs the
    /// new issuing CA): new keys, new certificates whose names end in " G{generation}" so that
    /// validators tell the generations' CRLs apart. Valid 10 years, or to the root's end if that
    /// comes first. The previous generation's certificates and keys are the caller's to keep.
    pub fn renew_issuing(
        &self,
        names: &PkiNames,
        ca_passphrase: &Passphrase,
        now: SystemTime,
        generation: u32,
        kdf: KdfParams,
    ) -> Result<Pki, PkiError> {
        let root = self.root_cert()?;
        let root_key = self.root.key.decrypt(ca_passphrase)?;
        let nb = now.checked_sub(Duration::from_secs(3600)).unwrap_or(now);
        let root_end =
            SystemTime::UNIX_EPOCH + root.tbs_certificate.validity.not_after.to_unix_duration();
        let left_days = root_end.duration_since(nb).map(|d| d.as_secs() / DAY).unwrap_or(0);
        if left_days < 30 {
            return Err(PkiError::Invalid(
                "the root CA ends within 30 days: a new PKI is needed, not a new issuing CA".into(),
            ));
        }
        let suffix = format!(" G{generation}");
        let (issuing, tsa) = issuing_and_tsa(
            names,
            &suffix,
            &root,
            &root_key,
            nb,
            (10 * 365 + 2).min(left_days),
            ca_passphrase,
            kdf,
        )?;
        Ok(Pki { root: self.root.clone(), issuing, tsa })
    }

    /// The root certificate (the trust anchor for verification).
    pub fn root_cert(&self) -> Result<Certificate, PkiError> {
        self.root.certificate()
    }

    /// The issuing CA certificate.
    pub fn issuing_cert(&self) -> Result<Certificate, PkiError> {
        self.issuing.certificate()
    }

    /// Unlocks the issuing CA.
    pub fn unlock_issuing(&self, ca_passphrase: &Passphrase) -> Result<IssuingCa, PkiError> {
        Ok(IssuingCa {
            cert: self.issuing.certificate()?,
            key: self.issuing.key.decrypt(ca_passphrase)?,
        })
    }

    /// Unlocks the TSA (its token carries the TSA certificate and the issuing CA certificate).
    pub fn unlock_tsa(&self, ca_passphrase: &Passphrase) -> Result<Tsa, PkiError> {
        let key = self.tsa.key.decrypt(ca_passphrase)?;
        Ok(Tsa::new(self.tsa.certificate()?, key, vec![self.issuing.certificate()?]))
    }

    /// Re-encrypts all CA keys under a new passphrase.
    pub fn change_passphrase(&self, old: &Passphrase, new: &Passphrase) -> Result<Pki, PkiError> {
        let re = |s: &StoredCert| -> Result<StoredCert, PkiError> {
            Ok(StoredCert { cert_der: s.cert_der.clone(), key: s.key.change_passphrase(old, new)? })
        };
        Ok(Pki { root: re(&self.root)?, issuing: re(&self.issuing)?, tsa: re(&self.tsa)? })
    }
}

/// Issues a signing certificate for an official: a new P-256 key, encrypted under the official's own
/// passphrase, and a certificate from the issuing CA with subject C=ID, O=pemda, OU=opd, title=position,
/// serialNumber=NIP, CN=name; keyUsage digitalSignature + nonRepudiation (critical); extKeyUsage
/// emailProtection + document signing (non-critical); AKI, SKI, and the CRL distribution point if given.
///
/// Renewal is simply issuing again with the same subject.
pub fn issue_signing_cert(
    ca: &IssuingCa,
    subject: &SignerSubject,
    validity_days: u32,
    official_passphrase: &Passphrase,
    opts: &IssueOptions,
) -> Result<IssuedCert, PkiError> {
    if subject.name.trim().is_empty() || subject.nip.trim().is_empty() {
        return Err(PkiError::Invalid("name and NIP are required".into()));
    }
    if validity_days == 0 || validity_days > 3660 {
        return Err(PkiError::Invalid("validity must be 1..3660 days".into()));
    }
    let mut parts = vec![(OID_C, printable_value("ID")?), (OID_O, utf8_value(&subject.pemda)?)];
    if !subject.opd.trim().is_empty() {
        parts.push((OID_OU, utf8_value(&subject.opd)?));
    }
    if !subject.position.trim().is_empty() {
        parts.push((OID_TITLE, utf8_value(&subject.position)?));
    }
    parts.push((OID_SERIAL_NUMBER, printable_value(subject.nip.trim())?));
    parts.push((OID_CN, utf8_value(&subject.name)?));
    let subj = name(parts)?;

    let key = UnlockedKey::generate();
    let spki = spki_of(&key)?;
    let mut exts = leaf_extensions()?;
    exts.push(ext(
        asn1::ID_CE_EXT_KEY_USAGE,
        false,
        &ExtendedKeyUsage(vec![asn1::ID_KP_EMAIL_PROTECTION, asn1::ID_KP_DOCUMENT_SIGNING_MS]),
    )?);
    if let Some(url) = &opts.crl_url {
        exts.push(crl_dp(url)?);
    }
    if let Some(email) = subject.email.as_deref().filter(|e| !e.trim().is_empty()) {
        let e = Ia5String::new(email.trim())
            .map_err(|_| PkiError::Invalid("e-mail must be ASCII".into()))?;
        exts.push(ext(
            ObjectIdentifier::new_unwrap("2.5.29.17"),
            false,
            &SubjectAltName(vec![GeneralName::Rfc822Name(e)]),
        )?);
    }
    let nb = opts.now.checked_sub(Duration::from_secs(300)).unwrap_or(opts.now);
    let cert = make_cert(CertSpec {
        subject: subj,
        subject_key: &spki,
        issuer: Some((&ca.cert, &ca.key)),
        self_key: None,
        not_before: nb,
        days: validity_days as u64,
        extensions: exts,
    })?;
    let serial_hex = hex::encode(cert.tbs_certificate.serial_number.as_bytes());
    let not_after_unix =
        cert.tbs_certificate.validity.not_after.to_unix_duration().as_secs() as i64;
    Ok(IssuedCert {
        stored: StoredCert {
            cert_der: cert.to_der()?,
            key: EncryptedKey::encrypt_with(&key, official_passphrase, opts.kdf)?,
        },
        serial_hex,
        not_after_unix,
    })
}

/// Makes a DER X.509 v2 CRL signed by the issuing CA, listing `revoked` (with reason codes), with the
/// authority key identifier and a CRL number equal to `this_update` in unix seconds (monotonic as long
/// as CRLs are made at most once per second).
pub fn make_crl(
    ca: &IssuingCa,
    revoked: &[RevokedEntry],
    this_update: SystemTime,
    next_update: SystemTime,
) -> Result<Vec<u8>, PkiError> {
    let mut list = Vec::new();
    for r in revoked {
        let mut entry_exts = Vec::new();
        if r.reason != RevocationReason::Unspecified {
            entry_exts.push(ext(
                ObjectIdentifier::new_unwrap("2.5.29.21"),
                false,
                &r.reason.to_x509(),
            )?);
        }
        list.push(RevokedCert {
            serial_number: SerialNumber::new(&r.serial)?,
            revocation_date: x509_time(r.revoked_at)?,
            crl_entry_extensions: if entry_exts.is_empty() { None } else { Some(entry_exts) },
        });
    }
    let number =
        this_update.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let crl_exts = vec![
        ext(
            ObjectIdentifier::new_unwrap("2.5.29.35"),
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(key_id(
                    &ca.cert.tbs_certificate.subject_public_key_info,
                ))?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
        ext(
            ObjectIdentifier::new_unwrap("2.5.29.20"),
            false,
            &CrlNumber(der::asn1::Uint::new(&number.to_be_bytes())?),
        )?,
    ];
    let tbs = TbsCertList {
        version: Version::V2,
        signature: alg_ecdsa_sha256(),
        issuer: ca.cert.tbs_certificate.subject.clone(),
        this_update: x509_time(this_update)?,
        next_update: Some(x509_time(next_update)?),
        revoked_certificates: if list.is_empty() { None } else { Some(list) },
        crl_extensions: Some(crl_exts),
    };
    let sig = asn1::ecdsa_sign(ca.key.signing_key(), &tbs.to_der()?);
    let crl = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: alg_ecdsa_sha256(),
        signature: BitString::from_bytes(&sig)?,
    };
    Ok(crl.to_der()?)
}

/// Fields of a certificate subject as shown to people.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubjectFields {
    /// CN
    pub common_name: Option<String>,
    /// serialNumber (NIP for officials)
    pub serial_number: Option<String>,
    /// title (position / jabatan)
    pub title: Option<String>,
    /// OU (OPD)
    pub organizational_unit: Option<String>,
    /// O (pemda)
    pub organization: Option<String>,
    /// C
    pub country: Option<String>,
}

fn attr_string(v: &Any) -> Option<String> {
    use der::Tag;
    match v.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            std::str::from_utf8(v.value()).ok().map(str::to_string)
        }
        Tag::BmpString => {
            let b = v.value();
            if !b.len().is_multiple_of(2) {
                return None;
            }
            let u: Vec<u16> = b.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&u).ok()
        }
        _ => None,
    }
}

/// Extracts the usual fields of a Name.
pub fn subject_fields(n: &Name) -> SubjectFields {
    let mut f = SubjectFields::default();
    for rdn in n.0.iter() {
        for atv in rdn.0.iter() {
            let v = attr_string(&atv.value);
            let slot = match atv.oid {
                OID_CN => &mut f.common_name,
                OID_SERIAL_NUMBER => &mut f.serial_number,
                OID_TITLE => &mut f.title,
                OID_OU => &mut f.organizational_unit,
                OID_O => &mut f.organization,
                OID_C => &mut f.country,
                _ => continue,
            };
            if slot.is_none() {
                *slot = v;
            }
        }
    }
    f
}

/// PEM of a DER certificate.
pub fn cert_to_pem(der_bytes: &[u8]) -> String {
    use base64::Engine as _;
    let b = base64::engine::general_purpose::STANDARD.encode(der_bytes);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::crl::CertificateList;

    fn pki() -> (Pki, Passphrase) {
        let p = Passphrase::new("ca-pass");
        let names = PkiNames {
            installation: "Kab. Contoh".into(),
            pemda: "Pemerintah Kabupaten Contoh".into(),
        };
        (Pki::init_with(&names, &p, SystemTime::now(), KdfParams::TEST_ONLY_FAST).unwrap(), p)
    }

    fn subject() -> SignerSubject {
        SignerSubject {
            name: "Budi Santoso, S.H.".into(),
            nip: "198001012005011001".into(),
            position: "Kepala Dinas".into(),
            opd: "Dinas Komunikasi dan Informatika".into(),
            pemda: "Pemerintah Kabupaten Contoh".into(),
            email: Some("budi@example.go.id".into()),
        }
    }

    fn has_ext(c: &Certificate, oid: ObjectIdentifier) -> Option<bool> {
        c.tbs_certificate.extensions.as_ref()?.iter().find(|e| e.extn_id == oid).map(|e| e.critical)
    }

    #[test]
    fn chain_verifies_and_fields() {
        let (pki, pass) = pki();
        let root = pki.root_cert().unwrap();
        let issuing = pki.issuing_cert().unwrap();
        let tsa = pki.tsa.certificate().unwrap();
        assert!(asn1::cert_signed_by(&root, &root));
        assert!(asn1::cert_signed_by(&issuing, &root));
        assert!(asn1::cert_signed_by(&tsa, &issuing));
        assert!(!asn1::cert_signed_by(&tsa, &root));
        assert_eq!(has_ext(&tsa, asn1::ID_CE_EXT_KEY_USAGE), Some(true));
        let bc: BasicConstraints = issuing.tbs_certificate.get().unwrap().unwrap().1;
        assert_eq!(bc.path_len_constraint, Some(0));
        assert!(
            root.tbs_certificate.subject.to_string().contains("CN=Root CA e-Office Kab. Contoh")
        );

        let ca = pki.unlock_issuing(&pass).unwrap();
        let opts = IssueOptions {
            now: SystemTime::now(),
            crl_url: Some("https://eoffice.example.go.id/pki/crl".into()),
            kdf: KdfParams::TEST_ONLY_FAST,
        };
        let issued =
            issue_signing_cert(&ca, &subject(), 365, &Passphrase::new("pejabat"), &opts).unwrap();
        let cert = issued.stored.certificate().unwrap();
        assert!(asn1::cert_signed_by(&cert, &issuing));
        let f = subject_fields(&cert.tbs_certificate.subject);
        assert_eq!(f.common_name.as_deref(), Some("Budi Santoso, S.H."));
        assert_eq!(f.serial_number.as_deref(), Some("198001012005011001"));
        assert_eq!(f.title.as_deref(), Some("Kepala Dinas"));
        assert_eq!(f.organizational_unit.as_deref(), Some("Dinas Komunikasi dan Informatika"));
        assert_eq!(f.country.as_deref(), Some("ID"));
        assert_eq!(has_ext(&cert, asn1::ID_CE_KEY_USAGE), Some(true));
        assert_eq!(has_ext(&cert, ObjectIdentifier::new_unwrap("2.5.29.31")), Some(false));
        assert_eq!(has_ext(&cert, ObjectIdentifier::new_unwrap("2.5.29.35")), Some(false));
        let ku: KeyUsage = cert.tbs_certificate.get().unwrap().unwrap().1;
        assert!(ku.digital_signature() && ku.non_repudiation());
        let serial = cert.tbs_certificate.serial_number.as_bytes();
        assert!(serial.len() == 16 && serial[0] < 0x80);
        assert_eq!(issued.serial_hex.len(), 32);
        // The official's key opens only with the official's passphrase.
        assert!(issued.stored.key.decrypt(&pass).is_err());
        let k = issued.stored.key.decrypt(&Passphrase::new("pejabat")).unwrap();
        assert_eq!(
            k.public_key_der(),
            cert.tbs_certificate.subject_public_key_info.to_der().unwrap()
        );
        // Wrong CA passphrase.
        assert!(matches!(
            pki.unlock_issuing(&Passphrase::new("x")),
            Err(PkiError::Key(KeyError::WrongPassphrase))
        ));
        // Serde round trip of the stored PKI.
        let json = serde_json::to_string(&pki).unwrap();
        let back: Pki = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pki);
    }

    #[test]
    fn crl_lists_revoked_serial() {
        let (pki, pass) = pki();
        let ca = pki.unlock_issuing(&pass).unwrap();
        let mut opts = IssueOptions::now();
        opts.kdf = KdfParams::TEST_ONLY_FAST;
        let issued = issue_signing_cert(&ca, &subject(), 30, &Passphrase::new("p"), &opts).unwrap();
        let now = SystemTime::now();
        let der = make_crl(
            &ca,
            &[RevokedEntry {
                serial: serial_from_hex(&issued.serial_hex).unwrap(),
                revoked_at: now,
                reason: RevocationReason::KeyCompromise,
            }],
            now,
            now + Duration::from_secs(7 * DAY),
        )
        .unwrap();
        let crl = CertificateList::from_der(&der).unwrap();
        let revoked = crl.tbs_cert_list.revoked_certificates.as_ref().unwrap();
        assert_eq!(revoked.len(), 1);
        assert_eq!(hex::encode(revoked[0].serial_number.as_bytes()), issued.serial_hex);
        assert_eq!(crl.tbs_cert_list.issuer, ca.cert.tbs_certificate.subject);
        let tbs = crl.tbs_cert_list.to_der().unwrap();
        assert!(asn1::ecdsa_verify(
            &ca.cert.tbs_certificate.subject_public_key_info,
            &tbs,
            crl.signature.as_bytes().unwrap()
        ));
        // Empty CRL is fine too.
        let empty = make_crl(&ca, &[], now, now + Duration::from_secs(DAY)).unwrap();
        assert!(
            CertificateList::from_der(&empty).unwrap().tbs_cert_list.revoked_certificates.is_none()
        );
    }

    #[test]
    fn renewal_keeps_the_root_and_makes_a_new_issuing_ca() {
        let (pki, pass) = pki();
        let names = PkiNames {
            installation: "Kab. Contoh".into(),
            pemda: "Pemerintah Kabupaten Contoh".into(),
        };
        let next = pki
            .renew_issuing(&names, &pass, SystemTime::now(), 2, KdfParams::TEST_ONLY_FAST)
            .unwrap();
        let root = pki.root_cert().unwrap();
        assert_eq!(next.root, pki.root);
        let issuing = next.issuing_cert().unwrap();
        let tsa = next.tsa.certificate().unwrap();
        assert!(asn1::cert_signed_by(&issuing, &root));
        assert!(asn1::cert_signed_by(&tsa, &issuing));
        assert!(!asn1::cert_signed_by(&tsa, &pki.issuing_cert().unwrap()));
        assert_ne!(
            issuing.tbs_certificate.subject_public_key_info,
            pki.issuing_cert().unwrap().tbs_certificate.subject_public_key_info
        );
        let cn = subject_fields(&issuing.tbs_certificate.subject).common_name.unwrap();
        assert_eq!(cn, "Issuing CA e-Office Kab. Contoh G2");
        assert!(subject_fields(&tsa.tbs_certificate.subject).common_name.unwrap().ends_with(" G2"));
        // The new keys open with the same CA passphrase; a wrong one renews nothing.
        next.unlock_issuing(&pass).unwrap();
        next.unlock_tsa(&pass).unwrap();
        assert!(matches!(
            pki.renew_issuing(
                &names,
                &Passphrase::new("x"),
                SystemTime::now(),
                2,
                KdfParams::TEST_ONLY_FAST
            ),
            Err(PkiError::Key(KeyError::WrongPassphrase))
        ));
        // Never beyond the root: near its end, the new issuing CA ends with it; at its end, refused.
        let root_end =
            SystemTime::UNIX_EPOCH + root.tbs_certificate.validity.not_after.to_unix_duration();
        let late = root_end - Duration::from_secs(400 * DAY);
        let short = pki.renew_issuing(&names, &pass, late, 3, KdfParams::TEST_ONLY_FAST).unwrap();
        let end =
            short.issuing_cert().unwrap().tbs_certificate.validity.not_after.to_unix_duration();
        assert!(end <= root.tbs_certificate.validity.not_after.to_unix_duration());
        assert!(pki.renew_issuing(&names, &pass, root_end, 4, KdfParams::TEST_ONLY_FAST).is_err());
    }

    #[test]
    fn pem_has_header() {
        let (pki, _) = pki();
        let pem = cert_to_pem(&pki.root.cert_der);
        assert!(
            pem.starts_with("-----BEGIN CERTIFICATE-----\n")
                && pem.ends_with("-----END CERTIFICATE-----\n")
        );
    }
}
