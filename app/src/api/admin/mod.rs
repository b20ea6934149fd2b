//! Administration: structure and people of an OPD (Admin OPD), OPDs and admins (Admin Pemda), audit.

pub mod audit;
pub mod backup;
pub mod employees;
pub mod letters;
pub mod opds;
pub mod structure;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmployeePage {
    pub rows: Vec<domain::model::EmployeeRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleHolder {
    pub person: domain::model::PersonBrief,
    pub role: domain::roles::Role,
    pub scope_id: String,
    pub scope_name: String,
}

pub const PER_PAGE: i64 = 25;
