//! Who is calling, and proof of what they may administer.
//!
//! Every store method that changes organisation data (OPDs, units, positions, employees and their
//! accounts, acting officials, roles, settings) takes one of the proof values below. Their fields
//! are private and the only ways to make one are the checks here, so a call that skipped the
//! check does not compile. The pure rules behind the checks live in `domain::roles`.

use crate::store::Actor;
use crate::{BackendError, Result, Store};
use domain::model::{Opd, SessionUser};
use domain::roles::RightsError;

/// The signed-in person a request acts for, and the address it came from (for the audit chain).
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: SessionUser,
    pub ip: Option<String>,
}

impl Caller {
    pub fn new(user: SessionUser, ip: Option<String>) -> Caller {
        Caller { user, ip }
    }
    /// Who the audit chain records.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.employee_id, self.ip.clone())
    }
}

impl From<RightsError> for BackendError {
    fn from(e: RightsError) -> Self {
        BackendError::Forbidden(e.to_string())
    }
}

/// Proof that the caller administers this OPD: its Admin OPD, or the Admin Pemda of its Pemda.
#[derive(Clone, Debug)]
pub struct OpdAdmin {
    caller: Caller,
    opd: Opd,
}

impl OpdAdmin {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn opd(&self) -> &Opd {
        &self.opd
    }
    pub fn actor(&self) -> Actor {
        self.caller.actor()
    }
}

/// Proof that the caller is the Admin Pemda of their Pemda.
#[derive(Clone, Debug)]
pub struct PemdaAdmin {
    caller: Caller,
}

impl PemdaAdmin {
    /// Checks the caller's rights; nothing else about the request is looked at first.
    pub fn check(caller: Caller) -> Result<PemdaAdmin> {
        if caller.user.caps.is_admin_pemda() {
            Ok(PemdaAdmin { caller })
        } else {
            Err(RightsError::NotAdmin.into())
        }
    }
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn pemda_id(&self) -> &str {
        &self.caller.user.pemda_id
    }
    pub fn actor(&self) -> Actor {
        self.caller.actor()
    }
}

/// Proof that the caller holds some administration role (Admin Pemda, or Admin OPD of an OPD):
/// enough to ask for a role grant, which `domain::roles::check_grant` then decides.
#[derive(Clone, Debug)]
pub struct SomeAdmin {
    caller: Caller,
}

impl SomeAdmin {
    pub fn check(caller: Caller) -> Result<SomeAdmin> {
        if caller.user.caps.is_some_admin() {
            Ok(SomeAdmin { caller })
        } else {
            Err(RightsError::NotAdmin.into())
        }
    }
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn actor(&self) -> Actor {
        self.caller.actor()
    }
}

impl Store {
    /// The proof that `caller` administers the OPD `opd_id`, or Forbidden (NotFound for an OPD
    /// that does not exist).
    pub async fn opd_admin(&self, caller: Caller, opd_id: &str) -> Result<OpdAdmin> {
        let opd = self.get_opd(opd_id).await?;
        if !caller.user.caps.can_admin_opd(&opd.id, &opd.pemda_id) {
            return Err(RightsError::NotAdmin.into());
        }
        Ok(OpdAdmin { caller, opd })
    }
}
