//! CMS SignedData building and strict checking (shared by PAdES signatures and time-stamp tokens).

use std::time::SystemTime;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Tag, Tagged};
use spki::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::asn1::{self, *};
use crate::keys::UnlockedKey;

/// Produces the unsigned attributes from the signature value.
pub(crate) type UnsignedAttrsFn<'a> = dyn FnMut(&[u8]) -> Result<Vec<Attribute>, String> + 'a;

/// Signs with ECDSA P-256 / SHA-256 and returns the DER `ContentInfo` of a SignedData.
///
/// Signed attributes are exactly content-type, message-digest and signing-certificate-v2.
/// `unsigned` receives the signature value and may return unsigned attributes (e.g. a time stamp).
pub(crate) fn build_signed_data(
    key: &UnlockedKey,
    cert: &Certificate,
    chain: &[Certificate],
    econtent_type: ObjectIdentifier,
    econtent: Option<&[u8]>,
    digest: &[u8; 32],
    unsigned: &mut UnsignedAttrsFn<'_>,
) -> Result<Vec<u8>, String> {
    let e = |x: der::Error| x.to_string();
    let attr = |oid: ObjectIdentifier, v: Any| -> Result<Attribute, String> {
        let mut values = SetOfVec::new();
        values.insert(v).map_err(e)?;
        Ok(Attribute { oid, values })
    };
    let mut signed = SetOfVec::new();
    signed
        .insert(attr(ID_CONTENT_TYPE, Any::encode_from(&econtent_type).map_err(e)?)?)
        .map_err(e)?;
    signed
        .insert(attr(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.to_vec()).map_err(e)?).map_err(e)?,
        )?)
        .map_err(e)?;
    let scv2 = asn1::signing_certificate_v2(cert).map_err(e)?;
    signed
        .insert(attr(ID_AA_SIGNING_CERTIFICATE_V2, Any::encode_from(&scv2).map_err(e)?)?)
        .map_err(e)?;
    let to_sign = signed.to_der().map_err(e)?;
    let signature = asn1::ecdsa_sign(key.signing_key(), &to_sign);
    let unsigned_attrs = unsigned(&signature)?;
    let unsigned_attrs = if unsigned_attrs.is_empty() {
        None
    } else {
        Some(SetOfVec::try_from(unsigned_attrs).map_err(e)?)
    };
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: alg_sha256(),
        signed_attrs: Some(signed),
        signature_algorithm: alg_ecdsa_sha256(),
        signature: OctetString::new(signature).map_err(e)?,
        unsigned_attrs,
    };
    let mut certs = vec![CertificateChoices::Certificate(cert.clone())];
    for c in chain {
        if c != cert
            && !certs.iter().any(|x| matches!(x, CertificateChoices::Certificate(y) if y == c))
        {
            certs.push(CertificateChoices::Certificate(c.clone()));
        }
    }
    let econtent = match econtent {
        Some(b) => Some(Any::new(Tag::OctetString, b.to_vec()).map_err(e)?),
        None => None,
    };
    let sd = SignedData {
        version: if econtent_type == ID_DATA { CmsVersion::V1 } else { CmsVersion::V3 },
        digest_algorithms: SetOfVec::try_from(vec![alg_sha256()]).map_err(e)?,
        encap_content_info: EncapsulatedContentInfo { econtent_type, econtent },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(e)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(e)?),
    };
    let ci =
        ContentInfo { content_type: ID_SIGNED_DATA, content: Any::encode_from(&sd).map_err(e)? };
    ci.to_der().map_err(e)
}

/// Result of a strict SignedData check.
#[derive(Debug, Default)]
pub(crate) struct CmsCheck {
    pub signer_cert: Option<Certificate>,
    pub certs: Vec<Certificate>,
    pub signature: Vec<u8>,
    pub econtent: Option<Vec<u8>>,
    /// message-digest matches the content digest
    pub digest_ok: bool,
    /// the signature verifies over the signed attributes with the signer's key
    pub signature_ok: bool,
    /// signing-certificate(-v2) matches the signer certificate
    pub ess_ok: bool,
    pub has_signing_time_attr: bool,
    pub unsigned_attrs: Vec<Attribute>,
    pub problems: Vec<String>,
}

fn is_sha256(a: &spki::AlgorithmIdentifierOwned) -> bool {
    a.oid == ID_SHA256
        && a.parameters.as_ref().is_none_or(|p| p.tag() == Tag::Null && p.value().is_empty())
}

/// Parses and checks a DER CMS ContentInfo(SignedData) with exactly one ECDSA-P256/SHA-256 signer.
///
/// `detached_digest`: for detached signatures, the SHA-256 of the signed content. For encapsulated content
/// (time-stamp tokens), pass `None`: the digest of the eContent is used.
/// Returns `Err` when the structure cannot be parsed at all.
pub(crate) fn check_signed_data(
    der_bytes: &[u8],
    expected_econtent_type: ObjectIdentifier,
    detached_digest: Option<[u8; 32]>,
) -> Result<CmsCheck, String> {
    let ci = ContentInfo::from_der(der_bytes).map_err(|e| format!("CMS ContentInfo: {e}"))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err("CMS content is not SignedData".into());
    }
    let sd: SignedData = ci.content.decode_as().map_err(|e| format!("CMS SignedData: {e}"))?;
    let mut out = CmsCheck::default();
    let p = &mut out.problems;

    if sd.encap_content_info.econtent_type != expected_econtent_type {
        p.push(format!("unexpected eContentType {}", sd.encap_content_info.econtent_type));
    }
    if sd.digest_algorithms.len() != 1 || !sd.digest_algorithms.iter().all(is_sha256) {
        p.push("digestAlgorithms must be exactly SHA-256".into());
    }
    if sd.signer_infos.0.len() != 1 {
        p.push(format!("expected exactly one SignerInfo, found {}", sd.signer_infos.0.len()));
    }
    if sd.crls.is_some() {
        // Not produced by this system; harmless, but note it.
    }
    if let Some(certs) = &sd.certificates {
        for c in certs.0.iter() {
            match c {
                CertificateChoices::Certificate(c) => out.certs.push(c.clone()),
                CertificateChoices::Other(_) => {
                    p.push("unsupported certificate format in CMS".into())
                }
            }
        }
    }
    let Some(si) = sd.signer_infos.0.iter().next() else {
        return Ok(out);
    };
    let sid_is_ski = matches!(si.sid, SignerIdentifier::SubjectKeyIdentifier(_));
    let expected_sd_version = if sid_is_ski || sd.encap_content_info.econtent_type != ID_DATA {
        CmsVersion::V3
    } else {
        CmsVersion::V1
    };
    if sd.version != expected_sd_version {
        p.push(format!("SignedData version {:?} should be {:?}", sd.version, expected_sd_version));
    }
    let expected_si_version = if sid_is_ski { CmsVersion::V3 } else { CmsVersion::V1 };
    if si.version != expected_si_version {
        p.push(format!("SignerInfo version {:?} should be {:?}", si.version, expected_si_version));
    }
    if !is_sha256(&si.digest_alg) {
        p.push(format!("unsupported digest algorithm {}", si.digest_alg.oid));
    }
    if si.signature_algorithm.oid != ID_ECDSA_WITH_SHA256
        || si.signature_algorithm.parameters.is_some()
    {
        p.push(format!(
            "unsupported signature algorithm {} (only ECDSA P-256 with SHA-256 is verified)",
            si.signature_algorithm.oid
        ));
    }
    // Find the signer certificate.
    let signer = out.certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.issuer == ias.issuer
                && c.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, s)| s.0 == ski.0),
    });
    out.signer_cert = signer.cloned();
    if out.signer_cert.is_none() {
        p.push("signer certificate not found in the signature".into());
    }
    out.signature = si.signature.as_bytes().to_vec();

    // Content digest.
    let content_digest = match detached_digest {
        Some(d) => {
            if sd.encap_content_info.econtent.is_some() {
                p.push("signature is not detached".into());
            }
            d
        }
        None => match &sd.encap_content_info.econtent {
            Some(any) if any.tag() == Tag::OctetString => {
                out.econtent = Some(any.value().to_vec());
                asn1::sha256(any.value())
            }
            _ => {
                p.push("encapsulated content missing".into());
                [0u8; 32]
            }
        },
    };

    let Some(signed) = &si.signed_attrs else {
        p.push("signed attributes missing".into());
        return Ok(out);
    };
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    let mut content_type_ok = false;
    for a in signed.iter() {
        if seen.contains(&a.oid) {
            p.push(format!("duplicate signed attribute {}", a.oid));
        }
        seen.push(a.oid);
        if a.values.len() != 1 {
            p.push(format!("signed attribute {} must have one value", a.oid));
            continue;
        }
        let Some(v) = a.values.iter().next() else {
            continue;
        };
        match a.oid {
            ID_CONTENT_TYPE => {
                content_type_ok = v.decode_as::<ObjectIdentifier>().ok()
                    == Some(sd.encap_content_info.econtent_type);
            }
            ID_MESSAGE_DIGEST => {
                out.digest_ok = v
                    .decode_as::<OctetString>()
                    .map(|o| o.as_bytes() == content_digest)
                    .unwrap_or(false);
            }
            ID_AA_SIGNING_CERTIFICATE_V2 => {
                if let (Ok(scv2), Some(c)) =
                    (v.decode_as::<SigningCertificateV2>(), &out.signer_cert)
                {
                    out.ess_ok = ess_v2_matches(&scv2, c);
                }
            }
            ID_AA_SIGNING_CERTIFICATE => {
                // SHA-1 variant: accepted only in time-stamp tokens, checked by hash length here.
                if let (Ok(sc), Some(c)) = (v.decode_as::<SigningCertificate>(), &out.signer_cert) {
                    out.ess_ok = sc.certs.first().is_some_and(|id| {
                        id.cert_hash.as_bytes().len() == 20
                            && sha1_matches(id.cert_hash.as_bytes(), c)
                    });
                }
            }
            ID_SIGNING_TIME => out.has_signing_time_attr = true,
            _ => {}
        }
    }
    if !content_type_ok {
        p.push("content-type attribute missing or wrong".into());
    }
    if !seen.contains(&ID_MESSAGE_DIGEST) {
        p.push("message-digest attribute missing".into());
    }
    if !seen.contains(&ID_AA_SIGNING_CERTIFICATE_V2) && !seen.contains(&ID_AA_SIGNING_CERTIFICATE) {
        p.push("signing-certificate-v2 attribute missing".into());
    }
    if let Some(c) = &out.signer_cert {
        match signed.to_der() {
            Ok(msg) => {
                out.signature_ok = asn1::ecdsa_verify(
                    &c.tbs_certificate.subject_public_key_info,
                    &msg,
                    &out.signature,
                );
            }
            Err(e) => p.push(format!("signed attributes: {e}")),
        }
    }
    if let Some(u) = &si.unsigned_attrs {
        out.unsigned_attrs = u.iter().cloned().collect();
    }
    Ok(out)
}

fn ess_v2_matches(scv2: &SigningCertificateV2, cert: &Certificate) -> bool {
    let Some(id) = scv2.certs.first() else {
        return false;
    };
    if let Some(alg) = &id.hash_algorithm
        && !is_sha256(alg)
    {
        return false;
    }
    let Ok(der_bytes) = cert.to_der() else {
        return false;
    };
    if id.cert_hash.as_bytes() != asn1::sha256(&der_bytes) {
        return false;
    }
    if let Some(is) = &id.issuer_serial {
        let issuer_ok = is.issuer.iter().any(|g| {
            matches!(g, x509_cert::ext::pkix::name::GeneralName::DirectoryName(n) if *n == cert.tbs_certificate.issuer)
        });
        if !issuer_ok || is.serial_number != cert.tbs_certificate.serial_number {
            return false;
        }
    }
    true
}

fn sha1_matches(_hash: &[u8], _cert: &Certificate) -> bool {
    // SHA-1 is not compiled in; foreign SHA-1 ESS identifiers are not accepted.
    false
}

/// Outcome of chain validation.
#[derive(Debug, Clone)]
pub(crate) struct ChainResult {
    pub trusted: bool,
    /// Certificates on the validated path, leaf first (anchor last when trusted).
    pub path: Vec<Certificate>,
    pub problems: Vec<String>,
}

fn valid_at(c: &Certificate, at: SystemTime) -> bool {
    let nb: SystemTime = c.tbs_certificate.validity.not_before.to_system_time();
    let na: SystemTime = c.tbs_certificate.validity.not_after.to_system_time();
    nb <= at && at <= na
}

fn is_ca(c: &Certificate) -> (bool, Option<u8>) {
    match c.tbs_certificate.get::<x509_cert::ext::pkix::BasicConstraints>() {
        Ok(Some((_, bc))) => (bc.ca, bc.path_len_constraint),
        _ => (false, None),
    }
}

/// Builds and checks a path from `leaf` through `pool` to one of `anchors`, with signatures verified and
/// every certificate valid at `at`. ECDSA P-256 / SHA-256 only.
pub(crate) fn validate_chain(
    leaf: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
    at: SystemTime,
) -> ChainResult {
    let mut res = ChainResult { trusted: false, path: vec![leaf.clone()], problems: Vec::new() };
    let mut cur = leaf.clone();
    for depth in 0..8 {
        if !valid_at(&cur, at) {
            res.problems.push(format!(
                "certificate {} not valid at the signing time",
                cur.tbs_certificate.subject
            ));
            return res;
        }
        if anchors.iter().any(|a| a == &cur) {
            res.trusted = true;
            return res;
        }
        // Prefer an anchor as issuer.
        if let Some(a) = anchors.iter().find(|a| {
            a.tbs_certificate.subject == cur.tbs_certificate.issuer && asn1::cert_signed_by(&cur, a)
        }) {
            if !valid_at(a, at) {
                res.problems.push("trust anchor not valid at the signing time".into());
                return res;
            }
            if depth > 0 && !is_ca(a).0 {
                res.problems.push("trust anchor is not a CA".into());
                return res;
            }
            res.path.push(a.clone());
            res.trusted = true;
            return res;
        }
        let next = pool.iter().find(|c| {
            *c != &cur
                && c.tbs_certificate.subject == cur.tbs_certificate.issuer
                && asn1::cert_signed_by(&cur, c)
        });
        let Some(next) = next else {
            res.problems.push(format!(
                "issuer {} not found or signature invalid",
                cur.tbs_certificate.issuer
            ));
            return res;
        };
        let (ca, path_len) = is_ca(next);
        if !ca {
            res.problems.push(format!("{} is not a CA", next.tbs_certificate.subject));
            return res;
        }
        // Number of intermediates below `next` (excluding the leaf).
        if let Some(pl) = path_len
            && (depth as u8) > pl
        {
            res.problems.push("path length constraint exceeded".into());
            return res;
        }
        res.path.push(next.clone());
        cur = next.clone();
    }
    res.problems.push("certificate chain too long".into());
    res
}

/// True when the certificate has the extended key usage `oid`; `critical_only` requires the extension
/// to be critical and to contain only that purpose (RFC 3161 TSA rule).
pub(crate) fn has_eku(c: &Certificate, oid: ObjectIdentifier, tsa_rule: bool) -> bool {
    match c.tbs_certificate.get::<x509_cert::ext::pkix::ExtendedKeyUsage>() {
        Ok(Some((critical, eku))) => {
            if tsa_rule {
                critical && eku.0.len() == 1 && eku.0[0] == oid
            } else {
                eku.0.contains(&oid)
            }
        }
        _ => false,
    }
}
