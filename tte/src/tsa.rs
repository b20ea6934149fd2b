//! In-process RFC 3161 time-stamp authority, the [`TimestampSource`] trait used by PAdES B-T signing,
//! and time-stamp token verification.
//!
//! Tokens are CMS SignedData (eContentType id-ct-TSTInfo) signed with ECDSA P-256 / SHA-256, with signed
//! attributes content-type, message-digest and signing-certificate-v2 and the TSA certificate plus its
//! issuing CA included. The TSA policy defaults to [`crate::asn1::DEFAULT_TSA_POLICY`].

use std::time::{Duration, SystemTime};

use der::asn1::{BitString, GeneralizedTime, Int, OctetString};
use der::{Decode, Encode};
use rand::RngCore;
use spki::ObjectIdentifier;
use x509_cert::Certificate;

use crate::asn1::{self, *};
use crate::cms;
use crate::keys::UnlockedKey;

/// Errors of the time-stamp authority.
#[derive(Debug, thiserror::Error)]
pub enum TsaError {
    /// The request was refused (RFC 3161 failure reason in the text).
    #[error("time-stamp request refused: {0}")]
    Refused(String),
    /// Internal error.
    #[error("time-stamp authority failure: {0}")]
    Internal(String),
}

/// Something that returns a DER RFC 3161 TimeStampToken (a CMS ContentInfo) for a SHA-256 imprint.
///
/// Implemented by the in-process [`Tsa`] and by [`FnTimestampSource`] (e.g. an HTTP client).
pub trait TimestampSource {
    /// Returns the DER `TimeStampToken` for the SHA-256 `imprint`.
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, TsaError>;
}

/// Adapts a closure to [`TimestampSource`].
pub struct FnTimestampSource<F>(pub F);

impl<F> TimestampSource for FnTimestampSource<F>
where
    F: Fn(&[u8; 32]) -> Result<Vec<u8>, TsaError>,
{
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, TsaError> {
        (self.0)(imprint)
    }
}

/// The in-process time-stamp authority.
pub struct Tsa {
    cert: Certificate,
    key: UnlockedKey,
    chain: Vec<Certificate>,
    policy: ObjectIdentifier,
}

impl std::fmt::Debug for Tsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tsa")
            .field("subject", &self.cert.tbs_certificate.subject.to_string())
            .finish_non_exhaustive()
    }
}

const FAIL_BAD_ALG: usize = 0;
const FAIL_BAD_REQUEST: usize = 2;
const FAIL_BAD_DATA_FORMAT: usize = 5;
const FAIL_UNACCEPTED_POLICY: usize = 15;
const FAIL_UNACCEPTED_EXTENSION: usize = 16;
const FAIL_SYSTEM_FAILURE: usize = 25;

impl Tsa {
    /// A TSA with its certificate (which must carry the critical id-kp-timeStamping EKU), key and the
    /// certificates to include above it (the issuing CA).
    pub fn new(cert: Certificate, key: UnlockedKey, chain: Vec<Certificate>) -> Self {
        Tsa { cert, key, chain, policy: DEFAULT_TSA_POLICY }
    }

    /// Replaces the TSA policy OID.
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = policy;
        self
    }

    /// The TSA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The policy OID put in every TSTInfo.
    pub fn policy(&self) -> ObjectIdentifier {
        self.policy
    }

    /// Issues a token for a SHA-256 imprint at `now` (no nonce, certificates included).
    pub fn stamp(&self, imprint: &[u8; 32], now: SystemTime) -> Result<Vec<u8>, TsaError> {
        self.stamp_inner(imprint, None, true, now)
    }

    fn stamp_inner(
        &self,
        imprint: &[u8],
        nonce: Option<Int>,
        include_certs: bool,
        now: SystemTime,
    ) -> Result<Vec<u8>, TsaError> {
        let ie = |e: der::Error| TsaError::Internal(e.to_string());
        let secs = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| TsaError::Internal("clock".into()))?;
        let gen_time =
            GeneralizedTime::from_unix_duration(Duration::from_secs(secs.as_secs())).map_err(ie)?;
        let mut serial = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut serial);
        serial[0] = (serial[0] & 0x7f) | 0x01;
        let tst = TstInfo {
            version: 1,
            policy: self.policy,
            message_imprint: MessageImprint {
                hash_algorithm: alg_sha256(),
                hashed_message: OctetString::new(imprint.to_vec()).map_err(ie)?,
            },
            serial_number: Int::new(&serial).map_err(ie)?,
            gen_time,
            accuracy: Some(Accuracy { seconds: Some(1), millis: None, micros: None }),
            ordering: None,
            nonce,
            tsa: None,
            extensions: None,
        };
        let tst_der = tst.to_der().map_err(ie)?;
        let digest = asn1::sha256(&tst_der);
        let chain: &[Certificate] = if include_certs { &self.chain } else { &[] };
        let token = if include_certs {
            cms::build_signed_data(
                &self.key,
                &self.cert,
                chain,
                ID_CT_TSTINFO,
                Some(&tst_der),
                &digest,
                &mut |_| Ok(vec![]),
            )
        } else {
            build_without_certs(&self.key, &self.cert, &tst_der, &digest)
        };
        token.map_err(TsaError::Internal)
    }

    /// Handles a DER `TimeStampReq` (the body of an `application/timestamp-query` POST) and returns the
    /// DER `TimeStampResp` (`application/timestamp-reply`). Never fails: errors become rejection responses.
    pub fn handle_http_request(&self, body: &[u8], now: SystemTime) -> Vec<u8> {
        let reject = |bit: usize, text: &str| status_response(2, Some(text), Some(bit), None);
        let Ok(req) = TimeStampReq::from_der(body) else {
            return reject(FAIL_BAD_REQUEST, "malformed TimeStampReq");
        };
        if req.version != 1 {
            return reject(FAIL_BAD_REQUEST, "unsupported version");
        }
        if req.message_imprint.hash_algorithm.oid != ID_SHA256 {
            return reject(FAIL_BAD_ALG, "only SHA-256 imprints are accepted");
        }
        if req.message_imprint.hashed_message.as_bytes().len() != 32 {
            return reject(FAIL_BAD_DATA_FORMAT, "imprint must be 32 bytes");
        }
        if let Some(p) = req.req_policy
            && p != self.policy
        {
            return reject(FAIL_UNACCEPTED_POLICY, "unaccepted policy");
        }
        if req.extensions.as_ref().is_some_and(|e| !e.is_empty()) {
            return reject(FAIL_UNACCEPTED_EXTENSION, "extensions are not supported");
        }
        match self.stamp_inner(
            req.message_imprint.hashed_message.as_bytes(),
            req.nonce.clone(),
            req.cert_req.unwrap_or(false),
            now,
        ) {
            Ok(token) => status_response(0, None, None, Some(&token)),
            Err(_) => reject(FAIL_SYSTEM_FAILURE, "internal error"),
        }
    }
}

fn build_without_certs(
    key: &UnlockedKey,
    cert: &Certificate,
    tst_der: &[u8],
    digest: &[u8; 32],
) -> Result<Vec<u8>, String> {
    // Same as with certificates, then drop the certificate set.
    let full =
        cms::build_signed_data(key, cert, &[], ID_CT_TSTINFO, Some(tst_der), digest, &mut |_| {
            Ok(vec![])
        })?;
    let ci = ::cms::content_info::ContentInfo::from_der(&full).map_err(|e| e.to_string())?;
    let mut sd: ::cms::signed_data::SignedData =
        ci.content.decode_as().map_err(|e| e.to_string())?;
    sd.certificates = None;
    let ci = ::cms::content_info::ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: der::Any::encode_from(&sd).map_err(|e| e.to_string())?,
    };
    ci.to_der().map_err(|e| e.to_string())
}

fn status_response(
    status: u8,
    text: Option<&str>,
    fail_bit: Option<usize>,
    token: Option<&[u8]>,
) -> Vec<u8> {
    let fail_info = fail_bit.and_then(|bit| {
        let mut bytes = vec![0u8; bit / 8 + 1];
        bytes[bit / 8] = 0x80 >> (bit % 8);
        BitString::new((7 - bit % 8) as u8, bytes).ok()
    });
    let resp = TimeStampResp {
        status: PkiStatusInfo {
            status,
            status_string: text.map(|t| vec![t.to_string()]),
            fail_info,
        },
        time_stamp_token: token.and_then(|t| der::Any::from_der(t).ok()),
    };
    resp.to_der().unwrap_or_default()
}

impl TimestampSource for Tsa {
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, TsaError> {
        self.stamp(imprint, SystemTime::now())
    }
}

/// Builds a DER `TimeStampReq` for a SHA-256 imprint (for HTTP clients).
pub fn make_request(imprint: &[u8; 32], nonce: Option<u64>, cert_req: bool) -> Vec<u8> {
    let req = TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: alg_sha256(),
            hashed_message: OctetString::new(imprint.to_vec())
                .expect("32-byte octet string always encodes"),
        },
        req_policy: None,
        nonce: nonce.and_then(|n| der::asn1::Uint::new(&n.to_be_bytes()).ok()).and_then(|u| {
            // Positive INTEGER: reuse the unsigned encoding (leading zero added when needed).
            Int::from_der(&u.to_der().ok()?).ok()
        }),
        cert_req: if cert_req { Some(true) } else { None },
        extensions: None,
    };
    req.to_der().unwrap_or_default()
}

/// Extracts the token from a DER `TimeStampResp`; `Err` with the status text when not granted.
pub fn token_from_response(resp: &[u8]) -> Result<Vec<u8>, TsaError> {
    let r = TimeStampResp::from_der(resp)
        .map_err(|e| TsaError::Internal(format!("malformed response: {e}")))?;
    if r.status.status > 1 {
        let text = r.status.status_string.map(|v| v.join("; ")).unwrap_or_default();
        return Err(TsaError::Refused(format!("status {}: {text}", r.status.status)));
    }
    let t = r.time_stamp_token.ok_or_else(|| TsaError::Internal("granted without token".into()))?;
    t.to_der().map_err(|e| TsaError::Internal(e.to_string()))
}

/// Result of checking a time-stamp token.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimestampReport {
    /// genTime, unix seconds.
    pub gen_time_unix: Option<i64>,
    /// genTime, RFC 3339 UTC.
    pub gen_time: Option<String>,
    /// TSA certificate subject.
    pub tsa_subject: Option<String>,
    /// Token signature, imprint, ESS binding, EKU and chain all check out.
    pub valid: bool,
    /// What failed (English).
    pub problems: Vec<String>,
}

/// Verifies a DER TimeStampToken against the expected SHA-256 imprint and trust anchors.
pub fn verify_token(token: &[u8], imprint: &[u8; 32], anchors: &[Certificate]) -> TimestampReport {
    let mut rep = TimestampReport::default();
    let chk = match cms::check_signed_data(token, ID_CT_TSTINFO, None) {
        Ok(c) => c,
        Err(e) => {
            rep.problems.push(e);
            return rep;
        }
    };
    rep.problems.extend(chk.problems.iter().cloned());
    let Some(content) = &chk.econtent else {
        rep.problems.push("TSTInfo missing".into());
        return rep;
    };
    let tst = match TstInfo::from_der(content) {
        Ok(t) => t,
        Err(e) => {
            rep.problems.push(format!("TSTInfo: {e}"));
            return rep;
        }
    };
    let gen_t = tst.gen_time.to_unix_duration();
    rep.gen_time_unix = Some(gen_t.as_secs() as i64);
    rep.gen_time = Some(crate::rfc3339(gen_t.as_secs() as i64));
    if tst.version != 1 {
        rep.problems.push("TSTInfo version must be 1".into());
    }
    if tst.message_imprint.hash_algorithm.oid != ID_SHA256
        || tst.message_imprint.hashed_message.as_bytes() != imprint
    {
        rep.problems.push("time-stamp imprint does not match the signature".into());
    }
    if !chk.digest_ok {
        rep.problems.push("time-stamp message digest mismatch".into());
    }
    if !chk.signature_ok {
        rep.problems.push("time-stamp signature invalid".into());
    }
    if !chk.ess_ok {
        rep.problems.push("time-stamp signing-certificate attribute does not match".into());
    }
    if let Some(c) = &chk.signer_cert {
        rep.tsa_subject = Some(c.tbs_certificate.subject.to_string());
        if !cms::has_eku(c, ID_KP_TIME_STAMPING, true) {
            rep.problems.push(
                "TSA certificate lacks the critical id-kp-timeStamping extended key usage".into(),
            );
        }
        let at = SystemTime::UNIX_EPOCH + gen_t;
        let chain = cms::validate_chain(c, &chk.certs, anchors, at);
        if !chain.trusted {
            rep.problems.push("TSA certificate is not trusted".into());
            rep.problems.extend(chain.problems);
        }
    }
    rep.valid = rep.problems.is_empty();
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::pki::{Pki, PkiNames};

    fn tsa() -> (Tsa, Certificate) {
        let p = Passphrase::new("x");
        let names = PkiNames { installation: "Uji".into(), pemda: "Pemda Uji".into() };
        let pki = Pki::init_with(&names, &p, SystemTime::now(), KdfParams::TEST_ONLY_FAST).unwrap();
        (pki.unlock_tsa(&p).unwrap(), pki.root_cert().unwrap())
    }

    #[test]
    fn token_parses_and_verifies() {
        let (tsa, root) = tsa();
        let imprint = asn1::sha256(b"hello");
        let now = SystemTime::now();
        let token = tsa.stamp(&imprint, now).unwrap();
        let rep = verify_token(&token, &imprint, std::slice::from_ref(&root));
        assert!(rep.valid, "{:?}", rep.problems);
        let expect = now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
        assert_eq!(rep.gen_time_unix, Some(expect));
        assert!(rep.tsa_subject.unwrap().contains("TSA e-Office Uji"));
        // Wrong imprint, wrong anchor.
        assert!(!verify_token(&token, &asn1::sha256(b"other"), std::slice::from_ref(&root)).valid);
        assert!(!verify_token(&token, &imprint, &[]).valid);
        // Parse the TSTInfo directly.
        let chk = cms::check_signed_data(&token, ID_CT_TSTINFO, None).unwrap();
        let tst = TstInfo::from_der(chk.econtent.as_ref().unwrap()).unwrap();
        assert_eq!(tst.policy, DEFAULT_TSA_POLICY);
        assert_eq!(tst.message_imprint.hashed_message.as_bytes(), imprint);
    }

    #[test]
    fn http_protocol() {
        let (tsa, root) = tsa();
        let imprint = asn1::sha256(b"doc");
        let req = make_request(&imprint, Some(0xdead_beef), true);
        let resp = tsa.handle_http_request(&req, SystemTime::now());
        let token = token_from_response(&resp).unwrap();
        assert!(verify_token(&token, &imprint, std::slice::from_ref(&root)).valid);
        let chk = cms::check_signed_data(&token, ID_CT_TSTINFO, None).unwrap();
        let tst = TstInfo::from_der(chk.econtent.as_ref().unwrap()).unwrap();
        let sent = TimeStampReq::from_der(&req).unwrap().nonce.unwrap();
        assert_eq!(tst.nonce.unwrap(), sent);
        // Without certReq: no certificates in the token.
        let req = make_request(&imprint, None, false);
        let token = token_from_response(&tsa.handle_http_request(&req, SystemTime::now())).unwrap();
        assert!(cms::check_signed_data(&token, ID_CT_TSTINFO, None).unwrap().certs.is_empty());
        // Garbage and a SHA-1-length imprint are refused, not crashing.
        assert!(matches!(
            token_from_response(&tsa.handle_http_request(b"junk", SystemTime::now())),
            Err(TsaError::Refused(_))
        ));
        let mut bad = TimeStampReq::from_der(&make_request(&imprint, None, true)).unwrap();
        bad.message_imprint.hashed_message = OctetString::new(vec![1u8; 20]).unwrap();
        let resp = tsa.handle_http_request(&bad.to_der().unwrap(), SystemTime::now());
        let r = TimeStampResp::from_der(&resp).unwrap();
        assert_eq!(r.status.status, 2);
        assert!(r.status.fail_info.is_some());
    }
}
