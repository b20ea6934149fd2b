//! The audit chain: each row's hash covers its content and the previous row's hash, so editing,
//! inserting or deleting any row breaks every link after it.

use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<String>,
    pub actor_ip: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: String,
}

fn field(h: &mut Sha256, s: &str) {
    // Length-prefixed so that moving bytes between fields changes the hash.
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

fn opt(h: &mut Sha256, s: &Option<String>) {
    match s {
        None => h.update([0u8]),
        Some(v) => {
            h.update([1u8]);
            field(h, v);
        }
    }
}

pub fn entry_hash(prev_hash: &str, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    field(&mut h, prev_hash);
    h.update(e.seq.to_be_bytes());
    h.update(e.at_ms.to_be_bytes());
    opt(&mut h, &e.actor_id);
    opt(&mut h, &e.actor_ip);
    field(&mut h, &e.action);
    field(&mut h, &e.entity);
    opt(&mut h, &e.entity_id);
    field(&mut h, &e.detail);
    hex::encode(h.finalize())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// A sequence number is missing or out of order (a row was deleted or inserted).
    Gap { expected_seq: i64, found_seq: i64 },
    /// The stored previous-hash does not match the hash of the row before it.
    PrevMismatch { seq: i64 },
    /// The stored hash does not match the row's content (the row was edited).
    HashMismatch { seq: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Gap { found_seq, .. } => *found_seq,
            ChainBreak::PrevMismatch { seq } | ChainBreak::HashMismatch { seq } => *seq,
        }
    }
    pub fn describe(&self) -> String {
        match self {
            ChainBreak::Gap { expected_seq, found_seq } => {
                format!(
                    "row {expected_seq} is missing (next row found is {found_seq}): a row was deleted or inserted"
                )
            }
            ChainBreak::PrevMismatch { seq } => {
                format!("row {seq} does not link to the row before it")
            }
            ChainBreak::HashMismatch { seq } => {
                format!("row {seq} was changed after it was written")
            }
        }
    }
}

/// Incremental verifier: feed rows in sequence order.
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { expected_seq: 1, prev_hash: GENESIS_HASH.to_string() }
    }
}

impl ChainVerifier {
    pub fn check(
        &mut self,
        e: &AuditEntry,
        stored_prev: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if e.seq != self.expected_seq {
            return Err(ChainBreak::Gap { expected_seq: self.expected_seq, found_seq: e.seq });
        }
        if stored_prev != self.prev_hash {
            return Err(ChainBreak::PrevMismatch { seq: e.seq });
        }
        if entry_hash(stored_prev, e) != stored_hash {
            return Err(ChainBreak::HashMismatch { seq: e.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = stored_hash.to_string();
        Ok(())
    }
    pub fn rows_checked(&self) -> i64 {
        self.expected_seq - 1
    }
    pub fn last_hash(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(seq: i64, action: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at_ms: 1_700_000_000_000 + seq,
            actor_id: Some("u1".into()),
            actor_ip: None,
            action: action.into(),
            entity: "employee".into(),
            entity_id: Some(format!("e{seq}")),
            detail: "{}".into(),
        }
    }

    fn chain(n: i64) -> Vec<(AuditEntry, String, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|i| {
                let entry = e(i, "update");
                let h = entry_hash(&prev, &entry);
                let row = (entry, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn verify(rows: &[(AuditEntry, String, String)]) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for (entry, p, h) in rows {
            v.check(entry, p, h)?;
        }
        Ok(v.rows_checked())
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn edit_is_detected() {
        let mut rows = chain(5);
        rows[2].0.detail = "{\"tampered\":true}".into();
        assert_eq!(verify(&rows), Err(ChainBreak::HashMismatch { seq: 3 }));
    }

    #[test]
    fn edit_with_recomputed_hash_breaks_next_link() {
        let mut rows = chain(5);
        rows[2].0.action = "delete".into();
        rows[2].2 = entry_hash(&rows[2].1, &rows[2].0);
        assert_eq!(verify(&rows), Err(ChainBreak::PrevMismatch { seq: 4 }));
    }

    #[test]
    fn deletion_is_detected() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify(&rows), Err(ChainBreak::Gap { expected_seq: 2, found_seq: 3 }));
    }

    #[test]
    fn fields_are_not_ambiguous() {
        let mut a = e(1, "ab");
        a.entity = "c".into();
        let mut b = e(1, "a");
        b.entity = "bc".into();
        assert_ne!(entry_hash(GENESIS_HASH, &a), entry_hash(GENESIS_HASH, &b));
    }
}
