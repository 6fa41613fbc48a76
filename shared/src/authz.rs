//! The one authorization module: what an actor may read and write. No other
//! copy of a scope rule exists; pages call these functions only to grey out
//! what the server would refuse anyway.
//!
//! * city administrators and the console: the whole city, every field;
//! * county officials: their own county's enterprises, every field, and
//!   they may neither move an enterprise out of the county nor merge it
//!   into a lessor of another county;
//! * department clerks: every county, but only the fields their department
//!   provides; they never create enterprises or change identity;
//! * enterprise users: their own enterprise's records (the portal), never
//!   the workspace;
//! * the public: published data only.

use crate::actor::{Actor, Role};
use crate::error::ServiceError;
use grading::record::{Column, COLUMNS};
use grading::{County, Department};

/// Identity of a record: never changed through the form.
const FIXED: &[&str] = &["uscc", "year"];
/// The columns that say which enterprise a row is (a department's sheet
/// carries them, but may not change them).
pub const IDENTITY: &[&str] = &["uscc", "name", "county", "industry", "scale", "year"];

/// The officials' workspace (lists, records, imports, exports, live
/// events): city administrators, county officials and department clerks.
pub fn workspace(actor: &Actor) -> Result<(), ServiceError> {
    match actor {
        Actor::Public => Err(ServiceError::Unauthorized),
        Actor::System(_) => Ok(()),
        Actor::User(u) if u.must_change_password => Err(ServiceError::Forbidden),
        Actor::User(u) => match u.role {
            Role::CityAdmin | Role::CountyOfficial | Role::Department => Ok(()),
            Role::Enterprise | Role::LeadUnit | Role::Implementer => Err(ServiceError::Forbidden),
        },
    }
}

/// The enterprise portal: an enterprise user, and the USCC it speaks for.
pub fn enterprise(actor: &Actor) -> Result<&grading::Uscc, ServiceError> {
    match actor {
        Actor::Public => Err(ServiceError::Unauthorized),
        Actor::User(u) if u.role == Role::Enterprise && !u.must_change_password => {
            u.uscc.as_ref().ok_or(ServiceError::Forbidden)
        }
        _ => Err(ServiceError::Forbidden),
    }
}

/// Who reviews a contested field: the department that provides it (its
/// code), or `county` for what the county registers (identity, land
/// protection flags, safety and special-rule facts) — "谁提供、谁核对".
pub fn reviewer_of(column: &Column) -> &'static str {
    column.department.code()
}

/// Whether the actor may read an appeal of enterprise `uscc` in `county`
/// whose items go to `reviewers`: the enterprise itself, the county's
/// officials, a department with an item in it, the city administrator.
pub fn may_read_appeal(actor: &Actor, uscc: &str, county: &str, reviewers: &[&str]) -> bool {
    match actor {
        Actor::Public => false,
        Actor::System(_) => true,
        Actor::User(u) if u.must_change_password => false,
        Actor::User(u) => match u.role {
            Role::CityAdmin => true,
            Role::CountyOfficial => county_scope(actor) == Some(county),
            Role::Department => u.department.is_some_and(|d| reviewers.contains(&d.code())),
            Role::Enterprise => u.uscc.as_ref().is_some_and(|u| u.as_str() == uscc),
            Role::LeadUnit | Role::Implementer => false,
        },
    }
}

/// Whether the actor may decide an item of `reviewer` in an appeal of
/// `county`: the department for its own fields, the county's officials for
/// the county's, the city administrator for any.
pub fn may_decide_item(actor: &Actor, county: &str, reviewer: &str) -> bool {
    if workspace(actor).is_err() {
        return false;
    }
    match actor.role() {
        None | Some(Role::CityAdmin) => true,
        Some(Role::CountyOfficial) => county_scope(actor) == Some(county) && reviewer == "county",
        Some(Role::Department) => department(actor).is_some_and(|d| d.code() == reviewer),
        Some(Role::Enterprise) | Some(Role::LeadUnit) | Some(Role::Implementer) => false,
    }
}

/// Whether the actor may read the targets dashboard of a document
/// (`public`: the administrator has opened it to everyone): every signed-in
/// official and lead unit; enterprises and the public only when public.
pub fn may_read_targets(actor: &Actor, public: bool) -> bool {
    match actor {
        Actor::System(_) => true,
        Actor::User(u) if u.must_change_password => public,
        Actor::User(u) if u.role != Role::Enterprise => true,
        _ => public,
    }
}

/// Whether the actor may read the entitlement list of measure `key` for
/// enterprises of `county` (分类施策): the city administrator every list;
/// an implementing unit the lists of its measures, for its county when it
/// is bound to one; a county's officials every measure's list of their
/// county. The lists are made from published versions only.
pub fn may_read_measure(actor: &Actor, key: &str, county: &str) -> bool {
    match actor {
        Actor::Public => false,
        Actor::System(_) => true,
        Actor::User(u) if u.must_change_password => false,
        Actor::User(u) => match u.role {
            Role::CityAdmin => true,
            Role::CountyOfficial => u.county.is_some_and(|c| c.code() == county),
            Role::Implementer => {
                u.measures.iter().any(|m| m == key) && u.county.is_none_or(|c| c.code() == county)
            }
            Role::Department | Role::Enterprise | Role::LeadUnit => false,
        },
    }
}

/// The measures whose lists the actor may open at all (for some county).
pub fn readable_measures<'a>(actor: &Actor, keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter()
        .copied()
        .filter(|k| {
            grading::County::ALL
                .iter()
                .any(|c| may_read_measure(actor, k, c.code()))
        })
        .collect()
}

/// Whether the actor may read staff account names in histories and
/// timelines: officials, clerks and lead units. The public and enterprises
/// read the unit that acted instead (`accounts::users::acting_units`).
pub fn sees_account_names(actor: &Actor) -> bool {
    match actor {
        Actor::System(_) => true,
        Actor::User(u) if u.must_change_password => false,
        Actor::User(u) => u.role != Role::Enterprise,
        Actor::Public => false,
    }
}

/// Whether the actor may report the actuals of a target led by `lead`
/// (units as the text names them) in `scope` (`city` or a county code): a
/// lead unit of the target, a county's officials for their county's
/// targets, the city administrator.
pub fn may_report(actor: &Actor, lead: &[String], scope: &str) -> bool {
    match actor {
        Actor::Public => false,
        Actor::System(_) => true,
        Actor::User(u) if u.must_change_password => false,
        Actor::User(u) => match u.role {
            Role::CityAdmin => true,
            Role::LeadUnit => u.units.iter().any(|x| lead.contains(x)),
            Role::CountyOfficial => scope != "city" && county_scope(actor) == Some(scope),
            Role::Department | Role::Enterprise | Role::Implementer => false,
        },
    }
}

/// Whether the actor handles the appeal as a whole (registers it as under
/// review) and manages the accounts of `county`'s enterprises: the
/// county's officials and the city administrator.
pub fn county_officer(actor: &Actor, county: &str) -> bool {
    workspace(actor).is_ok() && department(actor).is_none() && may_see(actor, county)
}

/// Account administration and publication: the city administrator.
pub fn city_admin(actor: &Actor) -> Result<(), ServiceError> {
    match actor {
        Actor::Public => Err(ServiceError::Unauthorized),
        Actor::System(_) => Ok(()),
        Actor::User(u) if u.role == Role::CityAdmin => Ok(()),
        Actor::User(_) => Err(ServiceError::Forbidden),
    }
}

/// The county a workspace actor is confined to (None: the whole city).
/// A county official without a county reaches nothing.
pub fn county_scope(actor: &Actor) -> Option<&'static str> {
    match actor.user() {
        Some(u) if u.role == Role::CountyOfficial => Some(u.county.map_or("", County::code)),
        _ => None,
    }
}

/// Whether the actor may see an enterprise of `county` (code) in the
/// workspace: its record, its grade, its row in a list, a push about it.
pub fn may_see(actor: &Actor, county: &str) -> bool {
    workspace(actor).is_ok() && county_scope(actor).is_none_or(|c| c == county)
}

/// Whether the actor may change `column` of a record it can see.
pub fn may_write_field(actor: &Actor, column: &Column) -> bool {
    if FIXED.contains(&column.key) {
        return false;
    }
    match actor {
        Actor::Public => false,
        Actor::System(_) => true,
        Actor::User(u) => match u.role {
            Role::CityAdmin | Role::CountyOfficial => true,
            Role::Department => u.department == Some(column.department),
            Role::Enterprise | Role::LeadUnit | Role::Implementer => false,
        },
    }
}

/// Field keys the actor may change on a record it can see.
pub fn editable_fields(actor: &Actor) -> Vec<String> {
    COLUMNS
        .iter()
        .filter(|c| may_write_field(actor, c))
        .map(|c| c.key.to_string())
        .collect()
}

/// The department an actor writes for, if it is a department clerk.
pub fn department(actor: &Actor) -> Option<Department> {
    actor
        .user()
        .filter(|u| u.role == Role::Department)
        .and_then(|u| u.department)
}

/// Whether the actor may bring `column` in a file: a department only its
/// own columns and the identity columns (which must then match the
/// stored record).
pub fn may_import_column(actor: &Actor, column: &Column) -> bool {
    match department(actor) {
        Some(d) => IDENTITY.contains(&column.key) || column.department == d,
        None => workspace(actor).is_ok(),
    }
}

/// Whether the actor may create an enterprise-year in `county`: not a
/// department (it provides figures for enterprises the counties register),
/// a county official only in their county.
pub fn may_create(actor: &Actor, county: &str) -> bool {
    department(actor).is_none() && may_see(actor, county)
}

/// Whether the actor may put an enterprise (new or moved) in `county`.
pub fn may_place_in(actor: &Actor, county: &str) -> bool {
    may_see(actor, county)
}

/// Whether a record the actor writes may name as its lessor an enterprise
/// of `lessor_county` (None: no such record that year). A county official
/// may merge only into a lessor registered in their own county, and learns
/// nothing of other counties from the refusal.
pub fn may_name_lessor(actor: &Actor, lessor_county: Option<&str>) -> bool {
    match county_scope(actor) {
        None => true,
        Some(own) => lessor_county == Some(own),
    }
}

/// Why a write is refused, naming the column at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub column: &'static str,
    pub reason: grading::Words,
    /// The actor may not do this at all (a 403), rather than a value that
    /// cannot stand (a 422).
    pub forbidden: bool,
}

/// Whether the actor may turn the record `stored` (None: a new one) into
/// `new` (field → text). `lessor_county`: the county of the record the new
/// `lessor_uscc` names that year, if any. Every writer asks this: the
/// form, the import, the appeal review, the write path itself.
pub fn check_write(
    actor: &Actor,
    stored: Option<&std::collections::BTreeMap<String, String>>,
    new: &std::collections::BTreeMap<String, String>,
    lessor_county: Option<&str>,
) -> Result<(), Refusal> {
    let get = |f: &std::collections::BTreeMap<String, String>, k: &str| {
        f.get(k).cloned().unwrap_or_default()
    };
    use grading::Words;
    let refuse = |column: &'static str, reason: Words| Refusal {
        column,
        reason,
        forbidden: true,
    };
    let county = get(new, "county");
    match stored {
        None if department(actor).is_some() => {
            return Err(refuse(
                "uscc",
                Words::new(
                    "部门不能新建企业：该企业在本年度尚未登记，请先由县（市、区）登记",
                    "A department cannot add an enterprise: it is not registered this year; the county registers it first",
                ),
            ))
        }
        None if !may_create(actor, &county) => {
            return Err(refuse("county", other_county()))
        }
        None => {}
        Some(old) => {
            if !may_see(actor, &get(old, "county")) {
                return Err(refuse("uscc", Words::new(NOT_IN_REACH, NOT_IN_REACH_EN)));
            }
            for c in COLUMNS {
                let (before, after) = (get(old, c.key), get(new, c.key));
                if before == after || may_write_field(actor, c) {
                    continue;
                }
                let reason = if IDENTITY.contains(&c.key) {
                    Words::new(
                        format!("与已登记的记录不一致（已登记为“{before}”），不能在此修改"),
                        format!("Differs from the registered record (registered as “{before}”) and cannot be changed here"),
                    )
                } else {
                    Words::new(
                        format!("该字段由{}提供，本账户不能修改", c.department.zh()),
                        format!("This field comes from {}; this account cannot change it", c.department.en()),
                    )
                };
                return Err(refuse(c.key, reason));
            }
        }
    }
    if !may_place_in(actor, &county) {
        return Err(refuse(
            "county",
            Words::new(
                "只能登记在本县（市、区）",
                "Enterprises can be registered in this county only",
            ),
        ));
    }
    let lessor = get(new, "lessor_uscc");
    let lessor_changed = stored.is_none_or(|old| get(old, "lessor_uscc") != lessor);
    if !lessor.is_empty() && lessor_changed && !may_name_lessor(actor, lessor_county) {
        return Err(Refusal {
            column: "lessor_uscc",
            reason: Words::new(
                "出租方须为本县（市、区）该年度已登记的企业",
                "The lessor must be an enterprise registered in this county that year",
            ),
            forbidden: false,
        });
    }
    Ok(())
}

/// A row of another county in a county's import or form.
pub fn other_county() -> grading::Words {
    grading::Words::new(
        "只能导入本县（市、区）的企业",
        "Only enterprises of this county can be imported",
    )
}

/// What a writer is told about a record out of its reach: the same as for
/// one that does not exist.
pub const NOT_IN_REACH: &str = "本账户无权修改该统一社会信用代码的企业（或该企业不存在）";
/// [`NOT_IN_REACH`] in English.
pub const NOT_IN_REACH_EN: &str =
    "This account may not change the enterprise with this code (or there is no such enterprise)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::UserInfo;

    fn user(role: Role, county: Option<County>, department: Option<Department>) -> Actor {
        Actor::User(UserInfo {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            county,
            department,
            uscc: grading::Uscc::complete("91330402MA2B0001X"),
            must_change_password: false,
            units: vec!["市金融办".into()],
            measures: vec!["land_use_tax".into()],
        })
    }

    /// The screens show an area exactly to the roles the server's rules
    /// let in, so no page is linked that would only be refused.
    #[test]
    fn the_screens_areas_follow_the_servers_rules() {
        for role in Role::ALL {
            let dept = (role == Role::Department).then_some(Department::Tax);
            let a = user(role, Some(County::Nanhu), dept);
            let u = a.user().unwrap();
            let serves = |area| may_open(u, area);
            assert_eq!(serves(Area::Workspace), workspace(&a).is_ok(), "{role:?}");
            assert_eq!(serves(Area::Portal), enterprise(&a).is_ok(), "{role:?}");
            assert_eq!(serves(Area::Admin), city_admin(&a).is_ok(), "{role:?}");
            assert_eq!(
                serves(Area::Ledger),
                county_officer(&a, "nanhu"),
                "{role:?}"
            );
            assert_eq!(
                serves(Area::Electricity),
                may_read_measure(&a, "electricity", "nanhu"),
                "{role:?}"
            );
            assert_eq!(
                serves(Area::Measures),
                !readable_measures(&a, &["land_use_tax"]).is_empty(),
                "{role:?}"
            );
        }
    }

    #[test]
    fn who_reads_an_entitlement_list() {
        let admin = user(Role::CityAdmin, None, None);
        let tax_unit = user(Role::Implementer, None, None);
        let tax_unit_nanhu = user(Role::Implementer, Some(County::Nanhu), None);
        let nanhu = user(Role::CountyOfficial, Some(County::Nanhu), None);
        let clerk = user(Role::Department, None, Some(Department::Tax));
        let firm = user(Role::Enterprise, Some(County::Nanhu), None);
        assert!(may_read_measure(&admin, "land", "haining"));
        assert!(may_read_measure(&tax_unit, "land_use_tax", "haining"));
        assert!(
            !may_read_measure(&tax_unit, "land", "haining"),
            "not its measure"
        );
        assert!(may_read_measure(&tax_unit_nanhu, "land_use_tax", "nanhu"));
        assert!(!may_read_measure(
            &tax_unit_nanhu,
            "land_use_tax",
            "haining"
        ));
        assert!(may_read_measure(&nanhu, "land", "nanhu"));
        assert!(!may_read_measure(&nanhu, "land", "haining"));
        for a in [&clerk, &firm, &Actor::Public] {
            assert!(!may_read_measure(a, "land_use_tax", "nanhu"));
        }
        assert_eq!(
            readable_measures(&tax_unit, &["land_use_tax", "land"]),
            ["land_use_tax"]
        );
    }

    fn col(key: &str) -> &'static Column {
        grading::record::column_by_key(key).unwrap()
    }

    #[test]
    fn the_role_matrix() {
        let admin = user(Role::CityAdmin, None, None);
        let nanhu = user(Role::CountyOfficial, Some(County::Nanhu), None);
        let tax = user(Role::Department, None, Some(Department::Tax));
        let firm = user(Role::Enterprise, Some(County::Nanhu), None);
        let console = Actor::System("cli".into());

        assert_eq!(workspace(&Actor::Public), Err(ServiceError::Unauthorized));
        assert_eq!(workspace(&firm), Err(ServiceError::Forbidden));
        for a in [&admin, &nanhu, &tax, &console] {
            assert!(workspace(a).is_ok());
        }
        assert!(may_see(&nanhu, "nanhu") && !may_see(&nanhu, "haining"));
        assert!(may_see(&tax, "haining") && may_see(&admin, "haining"));
        assert!(!may_see(&firm, "nanhu") && !may_see(&Actor::Public, "nanhu"));

        assert!(may_write_field(&tax, col("tax_wan")));
        assert!(!may_write_field(&tax, col("revenue_wan")));
        assert!(!may_write_field(&tax, col("county")));
        assert!(may_write_field(&nanhu, col("county")));
        assert!(!may_write_field(&admin, col("uscc")));
        assert!(!may_write_field(&firm, col("tax_wan")));

        assert!(may_import_column(&tax, col("county")));
        assert!(!may_import_column(&tax, col("land_mu")));
        assert!(!may_create(&tax, "nanhu"));
        assert!(may_create(&nanhu, "nanhu") && !may_create(&nanhu, "haining"));
        assert!(may_create(&console, "haining"));

        assert!(may_name_lessor(&nanhu, Some("nanhu")));
        assert!(!may_name_lessor(&nanhu, Some("haining")));
        assert!(!may_name_lessor(&nanhu, None));
        assert!(may_name_lessor(&admin, None));
    }

    #[test]
    fn who_reads_and_decides_an_appeal() {
        let admin = user(Role::CityAdmin, None, None);
        let nanhu = user(Role::CountyOfficial, Some(County::Nanhu), None);
        let haining = user(Role::CountyOfficial, Some(County::Haining), None);
        let tax = user(Role::Department, None, Some(Department::Tax));
        let eco = user(Role::Department, None, Some(Department::Ecology));
        let firm = user(Role::Enterprise, Some(County::Nanhu), None);
        let own = grading::Uscc::complete("91330402MA2B0001X").unwrap();
        let own = own.as_str();
        let reviewers = ["tax", "county"];
        for a in [&admin, &nanhu, &tax, &firm] {
            assert!(may_read_appeal(a, own, "nanhu", &reviewers));
        }
        assert!(!may_read_appeal(&haining, own, "nanhu", &reviewers));
        assert!(!may_read_appeal(&eco, own, "nanhu", &reviewers));
        assert!(!may_read_appeal(
            &firm,
            "91330402MA2B0002XX",
            "nanhu",
            &reviewers
        ));
        assert!(!may_read_appeal(&Actor::Public, own, "nanhu", &reviewers));

        assert!(may_decide_item(&tax, "nanhu", "tax") && !may_decide_item(&tax, "nanhu", "county"));
        assert!(
            may_decide_item(&nanhu, "nanhu", "county") && !may_decide_item(&nanhu, "nanhu", "tax")
        );
        assert!(!may_decide_item(&haining, "nanhu", "county"));
        assert!(!may_decide_item(&firm, "nanhu", "county"));
        assert!(may_decide_item(&admin, "nanhu", "tax"));
        assert!(
            county_officer(&nanhu, "nanhu")
                && !county_officer(&tax, "nanhu")
                && !county_officer(&haining, "nanhu")
        );
        assert_eq!(enterprise(&firm).map(grading::Uscc::as_str), Ok(own));
        assert_eq!(enterprise(&nanhu), Err(ServiceError::Forbidden));
    }

    #[test]
    fn who_reads_and_reports_targets() {
        let fin = user(Role::LeadUnit, None, None);
        let nanhu = user(Role::CountyOfficial, Some(County::Nanhu), None);
        let tax = user(Role::Department, None, Some(Department::Tax));
        let firm = user(Role::Enterprise, Some(County::Nanhu), None);
        let admin = user(Role::CityAdmin, None, None);
        let lead = |u: &[&str]| u.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(may_report(
            &fin,
            &lead(&["市金融办", "人行嘉兴市中心支行"]),
            "city"
        ));
        assert!(!may_report(&fin, &lead(&["人行嘉兴市中心支行"]), "city"));
        assert!(may_report(&nanhu, &lead(&["各县（市、区）政府"]), "nanhu"));
        assert!(!may_report(
            &nanhu,
            &lead(&["各县（市、区）政府"]),
            "haining"
        ));
        assert!(!may_report(&nanhu, &lead(&["市金融办"]), "city"));
        assert!(!may_report(&tax, &lead(&["市金融办"]), "city"));
        assert!(!may_report(&firm, &lead(&["市金融办"]), "city"));
        assert!(may_report(&admin, &lead(&["市金融办"]), "city"));
        assert!(!may_report(&Actor::Public, &lead(&["市金融办"]), "city"));
        for a in [&fin, &nanhu, &tax, &admin] {
            assert!(may_read_targets(a, false));
        }
        assert!(!may_read_targets(&firm, false) && may_read_targets(&firm, true));
        assert!(!may_read_targets(&Actor::Public, false) && may_read_targets(&Actor::Public, true));
        assert_eq!(workspace(&fin), Err(ServiceError::Forbidden));
    }

    #[test]
    fn a_one_time_password_opens_nothing() {
        let mut u = match user(Role::CountyOfficial, Some(County::Nanhu), None) {
            Actor::User(u) => u,
            _ => unreachable!(),
        };
        u.must_change_password = true;
        let a = Actor::User(u.clone());
        assert_eq!(workspace(&a), Err(ServiceError::Forbidden));
        u.role = Role::Enterprise;
        assert_eq!(enterprise(&Actor::User(u)), Err(ServiceError::Forbidden));
    }

    #[test]
    fn a_county_official_without_a_county_reaches_nothing() {
        let lost = user(Role::CountyOfficial, None, None);
        for c in County::ALL {
            assert!(!may_see(&lost, c.code()));
        }
    }
}

/// The areas of the screens. Which of them a user's pages show comes from
/// [`may_open`]. The server still checks every request with the rules above,
/// so this decides what is rendered and linked, never what is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// 我的评价, 通知: the enterprise portal.
    Portal,
    /// 企业评价, 县域概览, 数据导入: the officials' workspace.
    Workspace,
    /// 申诉: the enterprise's own appeals, or the review of them.
    Appeals,
    /// 政策目标: the targets dashboard (signed in).
    Targets,
    /// 分类施策: the entitlement lists.
    Measures,
    /// 差别化电价: the D-class electricity procedures.
    Electricity,
    /// 整治提升台账: the remediation ledger.
    Ledger,
    /// 企业账户: the county's enterprise accounts.
    EnterpriseAccounts,
    /// 用户管理, 公示管理: the city administrator's pages.
    Admin,
}

/// Whether `user`'s screens show `area`: the same roles the server's rules
/// above let in (`workspace`, `may_read_measure`, `county_officer`,
/// `city_admin`, …).
pub fn may_open(user: &crate::actor::UserInfo, area: Area) -> bool {
    use Role::*;
    let role = user.role;
    match area {
        Area::Portal => role == Enterprise,
        Area::Workspace => matches!(role, CityAdmin | CountyOfficial | Department),
        Area::Appeals => matches!(role, Enterprise | CityAdmin | CountyOfficial | Department),
        Area::Targets => role != Enterprise,
        Area::Measures => matches!(role, CityAdmin | CountyOfficial | Implementer),
        Area::Electricity => {
            matches!(role, CityAdmin | CountyOfficial)
                || (role == Implementer && user.measures.iter().any(|m| m == "electricity"))
        }
        Area::Ledger | Area::EnterpriseAccounts => matches!(role, CityAdmin | CountyOfficial),
        Area::Admin => role == CityAdmin,
    }
}
