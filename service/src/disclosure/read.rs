//! Reading publications, for anyone. Served from memory: a version is
//! immutable, so once loaded it is kept (no lock shared with saves, no
//! query per request); the index of publications is kept a few seconds,
//! and dropped at once when any server process publishes (`signals`).

use super::*;
use crate::actor::Actor;
use crate::exports::Download;
use crate::kept::Kept;
use crate::store::{self, stored_status};
use crate::{authz, dataio, Result, ServiceError, Services};
use entity::{disclosure, disclosure_change, disclosure_row, disclosure_version};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const INDEX_TTL: Duration = Duration::from_secs(5);

/// A frozen version, as served.
pub struct Snapshot {
    pub year: i32,
    pub version: i32,
    pub rows: Vec<PublicRow>,
    by_uscc: HashMap<String, usize>,
    pub by_county: Vec<Distribution>,
    pub by_cohort: Vec<Distribution>,
    /// Rendered bodies (API JSON, CSV, .xlsx), made once: the version
    /// never changes.
    rendered: std::sync::Mutex<HashMap<&'static str, Arc<Vec<u8>>>>,
}

struct Publication {
    head: disclosure::Model,
    versions: Vec<disclosure_version::Model>,
}

#[derive(Default)]
pub struct Cache {
    index: RwLock<Option<(Instant, Arc<Vec<Publication>>)>>,
    snapshots: Kept<Snapshot>,
    /// The rows and frozen figures of versions, as the entitlement lists
    /// read them (`measures::lists`); immutable like the snapshots.
    pub(crate) frozen: Kept<crate::measures::lists::Version>,
    /// Bumped whenever the index is dropped: pages rendered from an older
    /// index (the server's cache of public pages) are dropped with it.
    generation: std::sync::atomic::AtomicU64,
}

impl Cache {
    /// Drops the index (a version was just published, here or by another
    /// process: `signals`).
    pub fn forget_index(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut i) = self.index.write() {
            *i = None;
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

use crate::clock::minute;

fn info(v: &disclosure_version::Model) -> VersionInfo {
    VersionInfo {
        version: v.version,
        kind: v.kind.clone(),
        published_at: minute(v.published_at),
        note: v.note.clone(),
        note_en: v.note_en.clone().unwrap_or_else(|| v.note.clone()),
        rows: v.rows as u32,
        changes: v.changes as u32,
    }
}

fn notice_of(p: &Publication) -> Notice {
    let d = &p.head;
    Notice {
        year: d.year,
        status: PublicationStatus::stored(&d.status),
        window_start: day(d.window_start),
        window_end: day(d.window_end),
        contact_phone: d.contact_phone.clone(),
        contact_address: d.contact_address.clone(),
        notice: d.notice.clone(),
        objection: d.objection.clone(),
        show_scores: d.show_scores,
        versions: p.versions.iter().map(info).collect(),
    }
}

async fn index(svc: &Services) -> Result<Arc<Vec<Publication>>> {
    let cache = &svc.disclosures;
    if let Ok(guard) = cache.index.read() {
        if let Some((at, idx)) = guard.as_ref() {
            if at.elapsed() < INDEX_TTL {
                return Ok(idx.clone());
            }
        }
    }
    let heads = disclosure::Entity::find()
        .order_by_desc(disclosure::Column::Year)
        .all(&svc.db)
        .await?;
    let mut versions: BTreeMap<i32, Vec<disclosure_version::Model>> = BTreeMap::new();
    for v in disclosure_version::Entity::find()
        .order_by_asc(disclosure_version::Column::Version)
        .all(&svc.db)
        .await?
    {
        versions.entry(v.year).or_default().push(v);
    }
    let idx: Arc<Vec<Publication>> = Arc::new(
        heads
            .into_iter()
            .map(|head| Publication {
                versions: versions.remove(&head.year).unwrap_or_default(),
                head,
            })
            .collect(),
    );
    if let Ok(mut guard) = cache.index.write() {
        *guard = Some((Instant::now(), idx.clone()));
    }
    Ok(idx)
}

/// Loads the index and each year's latest version ahead of the first
/// reader (after a publication, here or in another process): a version of
/// 26,000 rows takes a few hundred milliseconds to read and index.
pub async fn warm(svc: &Services) -> Result<()> {
    let idx = index(svc).await?;
    for p in idx.iter().filter(|p| !p.versions.is_empty()) {
        snapshot(svc, p.head.year, None).await?;
    }
    Ok(())
}

/// Every publication, newest year first.
pub async fn publications(svc: &Services) -> Result<Vec<PublicationSummary>> {
    Ok(index(svc)
        .await?
        .iter()
        .filter_map(|p| {
            let last = p.versions.last()?;
            Some(PublicationSummary {
                year: p.head.year,
                status: PublicationStatus::stored(&p.head.status),
                window_start: day(p.head.window_start),
                window_end: day(p.head.window_end),
                latest_version: last.version,
                corrections: p.versions.iter().filter(|v| v.kind == "correction").count() as u32,
                published_at: minute(p.versions[0].published_at),
            })
        })
        .collect())
}

/// The notice of a year's publication.
pub async fn notice(svc: &Services, year: i32) -> Result<Notice> {
    let idx = index(svc).await?;
    let p = idx
        .iter()
        .find(|p| p.head.year == year && !p.versions.is_empty())
        .ok_or(ServiceError::NotFound)?;
    Ok(notice_of(p))
}

/// A version of a year's publication (the latest when `version` is None).
pub async fn snapshot(svc: &Services, year: i32, version: Option<i32>) -> Result<Arc<Snapshot>> {
    let idx = index(svc).await?;
    let p = idx
        .iter()
        .find(|p| p.head.year == year)
        .ok_or(ServiceError::NotFound)?;
    let v = match version {
        Some(v) => p.versions.iter().find(|x| x.version == v),
        None => p.versions.last(),
    }
    .ok_or(ServiceError::NotFound)?;
    let key = (year, v.version);
    if let Some(s) = svc.disclosures.snapshots.get(key) {
        return Ok(s);
    }
    let rows: Vec<PublicRow> = disclosure_row::Entity::find()
        .filter(disclosure_row::Column::Year.eq(year))
        .filter(disclosure_row::Column::Version.eq(v.version))
        .order_by_asc(disclosure_row::Column::Uscc)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PublicRow {
                county: store::stored_county(&r.county)?,
                industry: store::stored_industry(&r.industry)?,
                scale: store::stored_scale(&r.scale)?,
                uscc: r.uscc,
                name: r.name,
                status: stored_status(&r.status),
                class: store::stored_class(r.class.as_deref()),
                version: r.since,
                score: r.score,
            })
        })
        .collect::<Result<_>>()?;
    let snap = Arc::new(Snapshot::new(year, v.version, rows));
    svc.disclosures.snapshots.put(key, snap.clone());
    Ok(snap)
}

impl Snapshot {
    fn new(year: i32, version: i32, rows: Vec<PublicRow>) -> Snapshot {
        let tally = |key: &dyn Fn(&PublicRow) -> String| {
            let mut m: BTreeMap<String, Distribution> = BTreeMap::new();
            for r in &rows {
                let k = key(r);
                let d = m.entry(k.clone()).or_insert_with(|| Distribution {
                    key: k,
                    ..Default::default()
                });
                match r.class {
                    Some(c) if r.status == grading::Status::Graded => d.classes[c as usize] += 1,
                    _ => d.not_graded += 1,
                }
            }
            m.into_values().collect::<Vec<_>>()
        };
        let by_county = tally(&|r| r.county.code().to_string());
        let by_cohort = tally(&|r| {
            if r.scale == grading::Scale::Below {
                grading::Scale::Below.code().to_string()
            } else {
                r.industry.code().to_string()
            }
        });
        Snapshot {
            year,
            version,
            by_uscc: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.uscc.clone(), i))
                .collect(),
            rows,
            by_county,
            by_cohort,
            rendered: Default::default(),
        }
    }

    /// The body `kind` of this version, rendered by `make` the first time.
    pub fn rendered(
        &self,
        kind: &'static str,
        make: impl FnOnce(&Snapshot) -> Result<Vec<u8>>,
    ) -> Result<Arc<Vec<u8>>> {
        if let Some(b) = self.rendered.lock().ok().and_then(|m| m.get(kind).cloned()) {
            return Ok(b);
        }
        let body = Arc::new(make(self)?);
        if let Ok(mut m) = self.rendered.lock() {
            m.insert(kind, body.clone());
        }
        Ok(body)
    }

    pub fn get(&self, uscc: &str) -> Option<&PublicRow> {
        self.by_uscc.get(uscc).map(|&i| &self.rows[i])
    }

    /// The rows a query keeps, in USCC order.
    pub fn filter<'a>(&'a self, q: &'a PublicQuery) -> impl Iterator<Item = &'a PublicRow> + 'a {
        let text =
            q.q.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| (t.to_lowercase(), t.to_uppercase()));
        let is = |want: &Option<String>, have: &str| {
            want.as_deref()
                .filter(|w| !w.is_empty())
                .is_none_or(|w| w == have)
        };
        self.rows.iter().filter(move |r| {
            is(&q.county, r.county.code())
                && is(&q.industry, r.industry.code())
                && is(&q.scale, r.scale.code())
                && q.class
                    .as_deref()
                    .filter(|w| !w.is_empty())
                    .is_none_or(|w| r.class.map(grading::Class::code) == Some(w))
                && text.as_ref().is_none_or(|(lower, upper)| {
                    r.uscc.contains(upper.as_str())
                        || r.name.to_lowercase().contains(lower.as_str())
                })
        })
    }
}

/// A page of a publication: notice, distributions, filtered rows.
pub async fn page(svc: &Services, year: i32, q: &PublicQuery) -> Result<PublicPage> {
    let notice = notice(svc, year).await?;
    let snap = snapshot(svc, year, q.version).await?;
    let hits: Vec<&PublicRow> = snap.filter(q).collect();
    let total = hits.len() as u64;
    let pages = total.div_ceil(PUBLIC_PER_PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    Ok(PublicPage {
        notice,
        version: snap.version,
        by_county: snap.by_county.clone(),
        by_cohort: snap.by_cohort.clone(),
        total,
        page,
        pages,
        rows: hits
            .into_iter()
            .skip(((page - 1) * PUBLIC_PER_PAGE) as usize)
            .take(PUBLIC_PER_PAGE as usize)
            .cloned()
            .collect(),
    })
}

/// The correction notices of a year (and the changes its final version
/// made, if any), newest first.
pub async fn corrections(svc: &Services, year: i32) -> Result<Vec<Correction>> {
    let notice = notice(svc, year).await?;
    let changes = disclosure_change::Entity::find()
        .filter(disclosure_change::Column::Year.eq(year))
        .order_by_asc(disclosure_change::Column::Uscc)
        .all(&svc.db)
        .await?;
    let mut by_version: BTreeMap<i32, Vec<ChangeRow>> = BTreeMap::new();
    for c in changes {
        by_version.entry(c.version).or_default().push(ChangeRow {
            county: store::stored_county(&c.county)?,
            uscc: c.uscc,
            name: c.name,
            before_status: c.before_status.as_deref().map(stored_status),
            before_class: store::stored_class(c.before_class.as_deref()),
            after_status: c.after_status.as_deref().map(stored_status),
            after_class: store::stored_class(c.after_class.as_deref()),
            cause: c.cause,
        });
    }
    Ok(notice
        .versions
        .into_iter()
        .rev()
        .filter(|v| v.kind == "correction" || v.changes > 0)
        .map(|v| Correction {
            year,
            changes: by_version.remove(&v.version).unwrap_or_default(),
            info: v,
        })
        .collect())
}

/// An enterprise's latest published row of every year.
pub async fn card(svc: &Services, uscc: &grading::Uscc) -> Result<EnterpriseCard> {
    let idx = index(svc).await?;
    let mut years = Vec::new();
    for p in idx.iter().filter(|p| !p.versions.is_empty()) {
        let snap = snapshot(svc, p.head.year, None).await?;
        if let Some(r) = snap.get(uscc.as_str()) {
            years.push(CardYear {
                year: p.head.year,
                publication: PublicationStatus::stored(&p.head.status),
                row: r.clone(),
            });
        }
    }
    let name = years
        .first()
        .map(|y| y.row.name.clone())
        .ok_or(ServiceError::NotFound)?;
    Ok(EnterpriseCard {
        uscc: uscc.to_string(),
        name,
        years,
    })
}

pub const PUBLIC_HEADERS: [&str; 8] = [
    "uscc", "name", "county", "industry", "scale", "status", "class", "version",
];

/// A version's list as CSV (the API's column names) or .xlsx.
pub async fn download(
    svc: &Services,
    year: i32,
    version: Option<i32>,
    xlsx: bool,
) -> Result<(Arc<Snapshot>, Download)> {
    let snap = snapshot(svc, year, version).await?;
    let show_scores = notice(svc, year).await?.show_scores;
    let make = |snap: &Snapshot| -> Result<Vec<u8>> {
        let mut headers: Vec<&str> = PUBLIC_HEADERS.to_vec();
        if show_scores {
            headers.push("score");
        }
        let rows: Vec<Vec<String>> = snap
            .rows
            .iter()
            .map(|r| {
                let mut v = vec![
                    r.uscc.clone(),
                    r.name.clone(),
                    r.county.code().to_string(),
                    r.industry.code().to_string(),
                    r.scale.code().to_string(),
                    r.status.code().to_string(),
                    r.class.map(|c| c.code().to_string()).unwrap_or_default(),
                    r.version.to_string(),
                ];
                if show_scores {
                    v.push(r.score.map(grading::format_score).unwrap_or_default());
                }
                v
            })
            .collect();
        if xlsx {
            dataio::xlsx_bytes(&[dataio::Sheet {
                name: "公示",
                headers: &headers,
                rows: &rows,
            }])
        } else {
            dataio::csv_bytes(&headers, &rows)
        }
    };
    let body = snap.rendered(if xlsx { "xlsx" } else { "csv" }, make)?;
    let name = format!("muyi-disclosure-{year}-v{}", snap.version);
    let download = if xlsx {
        Download {
            name: format!("{name}.xlsx"),
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes: body.to_vec(),
        }
    } else {
        Download {
            name: format!("{name}.csv"),
            mime: "text/csv; charset=utf-8",
            bytes: body.to_vec(),
        }
    };
    Ok((snap, download))
}

/// A version's list as people read it: the rows the page's search and
/// filters keep, counties, industries, sizes and statuses in words, headers
/// and file name in the reader's language (Chinese unless `en`). The API's
/// files keep the column codes for machines.
pub async fn people_download(
    svc: &Services,
    year: i32,
    q: &PublicQuery,
    en: bool,
    xlsx: bool,
) -> Result<Download> {
    let snap = snapshot(svc, year, q.version).await?;
    let show_scores = notice(svc, year).await?.show_scores;
    let w = |zh: &'static str, e: &'static str| if en { e } else { zh };
    let mut headers = vec![
        w("统一社会信用代码", "USCC"),
        w("企业名称", "Name"),
        w("县（市、区）", "County"),
        w("行业", "Industry"),
        w("规模", "Size"),
        w("评价状态", "Status"),
        w("等次", "Class"),
    ];
    if show_scores {
        headers.push(w("得分", "Score"));
    }
    headers.push(w("公示版本", "Version"));
    let word = |zh: &'static str, e: &'static str| w(zh, e).to_string();
    let rows_of = |snap: &Snapshot| -> Vec<Vec<String>> {
        snap.filter(q)
            .map(|r| {
                let mut v = vec![
                    r.uscc.clone(),
                    dataio::guard(&r.name).into_owned(),
                    word(r.county.zh(), r.county.en()),
                    word(r.industry.zh(), r.industry.en()),
                    word(r.scale.zh(), r.scale.en()),
                    word(r.status.zh(), r.status.en()),
                    r.class
                        .filter(|_| r.status == grading::Status::Graded)
                        .map(|c| c.code().to_string())
                        .unwrap_or_default(),
                ];
                if show_scores {
                    v.push(r.score.map(grading::format_score).unwrap_or_default());
                }
                v.push(if en {
                    format!("v{}", r.version)
                } else {
                    format!("第 {} 版", r.version)
                });
                v
            })
            .collect()
    };
    // What the file holds, in its name: year, version, and the filters.
    let mut parts = vec![if en {
        format!("Jiaxing enterprise classes {year} v{}", snap.version)
    } else {
        format!(
            "{year}年度工业企业绩效综合评价结果公示-第{}版",
            snap.version
        )
    }];
    fn picked(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(c) = picked(&q.county).and_then(grading::County::parse) {
        parts.push(w(c.zh(), c.en()).to_string());
    }
    if let Some(c) = picked(&q.industry).and_then(grading::Industry::parse) {
        parts.push(w(c.zh(), c.en()).to_string());
    }
    if let Some(c) = picked(&q.scale).and_then(grading::Scale::parse) {
        parts.push(w(c.zh(), c.en()).to_string());
    }
    if let Some(c) = picked(&q.class) {
        parts.push(if en {
            format!("class {c}")
        } else {
            format!("{c}类")
        });
    }
    if let Some(t) = picked(&q.q) {
        let t: String = t.chars().filter(|c| c.is_alphanumeric()).take(20).collect();
        parts.push(if en {
            format!("matching {t}")
        } else {
            format!("含{t}")
        });
    }
    let name = parts.join("-");
    let make = |snap: &Snapshot| -> Result<Vec<u8>> {
        let rows = rows_of(snap);
        if xlsx {
            dataio::xlsx_bytes(&[dataio::Sheet {
                name: w("公示名单", "Published list"),
                headers: &headers,
                rows: &rows,
            }])
        } else {
            dataio::csv_bytes(&headers, &rows)
        }
    };
    // The whole version in a language is made once (it never changes); a
    // filtered list is made for its request.
    let filtered = [&q.q, &q.county, &q.industry, &q.scale, &q.class]
        .into_iter()
        .any(|v| picked(v).is_some());
    let bytes = if filtered {
        make(&snap)?
    } else {
        let kind = match (en, xlsx) {
            (false, true) => "people-zh.xlsx",
            (false, false) => "people-zh.csv",
            (true, true) => "people-en.xlsx",
            (true, false) => "people-en.csv",
        };
        snap.rendered(kind, make)?.to_vec()
    };
    let (ext, mime) = if xlsx {
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    } else {
        ("csv", "text/csv; charset=utf-8")
    };
    Ok(Download {
        name: format!("{name}.{ext}"),
        mime,
        bytes,
    })
}

/// A version's whole list for the open data API, as JSON.
pub async fn list_json(
    svc: &Services,
    year: i32,
    version: Option<i32>,
) -> Result<(Arc<Snapshot>, Arc<Vec<u8>>)> {
    let status = notice(svc, year).await?.status;
    let snap = snapshot(svc, year, version).await?;
    let body = snap.rendered("json", |s| {
        serde_json::to_vec(&PublishedList {
            year,
            version: s.version,
            status,
            rows: s.rows.clone(),
        })
        .map_err(ServiceError::internal)
    })?;
    Ok((snap, body))
}

/// Every graded year with its publication, for the administrator.
pub async fn admin_years(svc: &Services, actor: &Actor) -> Result<Vec<AdminYear>> {
    authz::city_admin(actor)?;
    // The administrator sees what is stored, not a copy seconds old.
    svc.disclosures.forget_index();
    let idx = index(svc).await?;
    let mut out = Vec::new();
    for year in crate::workspace::views::graded_years(&svc.db).await? {
        let head = idx.iter().find(|p| p.head.year == year);
        let publication = head.map(notice_of);
        let unsigned = crate::signoff::complete(&svc.db, year).await?;
        out.push(AdminYear {
            year,
            signed_off: unsigned.is_empty(),
            unsigned: unsigned.iter().map(|p| p.words()).collect(),
            may_finalize: head.is_some_and(|p| {
                PublicationStatus::stored(&p.head.status) == PublicationStatus::Window
                    && crate::clock::today() > p.head.window_end
            }),
            pending_changes: super::publish::pending_changes(&svc.db, year).await?,
            publication,
        });
    }
    Ok(out)
}
