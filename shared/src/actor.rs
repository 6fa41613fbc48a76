//! Who is asking. Pages, HTTP routes, the command line and the tests all
//! name an [`Actor`] when they call a workflow; nothing reads it from an
//! ambient context.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CityAdmin,
    CountyOfficial,
    Department,
    Enterprise,
    /// A lead unit of policy targets (牵头单位: 人行嘉兴市中心支行, 市金融办 …):
    /// reports the monthly actuals of its targets.
    LeadUnit,
    /// A unit that applies classes (实施单位: 税务, 电力, 生态环境 …): reads
    /// and downloads the entitlement lists of its measures (分类施策).
    Implementer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::CityAdmin,
        Role::CountyOfficial,
        Role::Department,
        Role::Enterprise,
        Role::LeadUnit,
        Role::Implementer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::CityAdmin => "city_admin",
            Role::CountyOfficial => "county_official",
            Role::Department => "department",
            Role::Enterprise => "enterprise",
            Role::LeadUnit => "lead_unit",
            Role::Implementer => "implementer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

/// A signed-in account as pages see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub county: Option<grading::County>,
    pub department: Option<grading::Department>,
    pub uscc: Option<grading::Uscc>,
    /// Signed in with a one-time password: nothing but changing it is
    /// allowed until it is changed.
    #[serde(default)]
    pub must_change_password: bool,
    /// For a lead unit: the units it speaks for (as the policy texts name
    /// them).
    #[serde(default)]
    pub units: Vec<String>,
    /// For an implementing unit: the measures (keys) it applies; its
    /// `county`, when set, bounds the lists to that county.
    #[serde(default)]
    pub measures: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in: a citizen, a journalist, a bank.
    Public,
    /// A signed-in account, bound by its role.
    User(UserInfo),
    /// The operator at the console (`server import`, `server seed`): the
    /// whole city, named in the audit log by this name.
    System(String),
}

impl Actor {
    pub fn user(&self) -> Option<&UserInfo> {
        match self {
            Actor::User(u) => Some(u),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }

    /// The name the audit log records.
    pub fn name(&self) -> &str {
        match self {
            Actor::Public => "public",
            Actor::User(u) => &u.username,
            Actor::System(name) => name,
        }
    }

    pub fn user_id(&self) -> Option<i32> {
        self.user().map(|u| u.id)
    }
}
