//! The enterprise portal (企业端): thin server functions over
//! `service::portal` and the enterprise's side of `service::appeals`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::appeals::NoticeView;
pub use shared::portal::{Figure, HistoryRow, PortalYear};

#[server(prefix = "/api", endpoint = "get_portal")]
pub async fn get_portal(year: Option<i32>) -> Result<PortalYear, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::portal::views::year(&svc, &actor, year).await?)
}

/// 一企一单确认 (a plain form post works too).
#[server(prefix = "/api", endpoint = "confirm_year")]
pub async fn confirm_year(year: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::file::confirm(&svc, &actor, year).await?)
}

#[server(prefix = "/api", endpoint = "withdraw_appeal")]
pub async fn withdraw_appeal(id: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::file::withdraw(&svc, &actor, id).await?)
}

#[server(prefix = "/api", endpoint = "notices")]
pub async fn notices() -> Result<Vec<NoticeView>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::read::notices(&svc, &actor).await?)
}

#[server(prefix = "/api", endpoint = "notices_read")]
pub async fn mark_notices_read() -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::read::mark_read(&svc, &actor).await?)
}

use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Files an appeal: a multipart form with `year`, pairs of `field` and
/// `claimed`, `explanation`, and up to five `files` (PDF, JPEG, PNG; 10 MB
/// each; the type is read from the content). Returns (id, receipt).
#[server(prefix = "/api", endpoint = "file_appeal", input = MultipartFormData)]
pub async fn file_appeal(data: MultipartData) -> Result<(i32, String), AppError> {
    use service::appeals::file::{NewAppeal, Upload};
    use service::appeals::{MAX_FILES, MAX_FILE_BYTES};
    let (svc, actor) = crate::context::request().await?;
    service::authz::enterprise(&actor)?;
    let mut multipart = data.into_inner().ok_or_else(|| {
        AppError::from(shared::ServiceError::invalid(
            "没有收到申诉内容",
            "No appeal was received",
        ))
    })?;
    let mut new = NewAppeal {
        year: 0,
        items: Vec::new(),
        explanation: String::new(),
        files: Vec::new(),
    };
    let mut fields: Vec<String> = Vec::new();
    let mut claims: Vec<String> = Vec::new();
    while let Some(mut part) = multipart.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = part.file_name().unwrap_or_default().to_string();
            let bytes = crate::upload::read_file(&mut part, MAX_FILE_BYTES, &file_name).await?;
            if file_name.is_empty() && bytes.is_empty() {
                continue; // the file input left empty
            }
            if new.files.len() >= MAX_FILES {
                return Err(AppError::from(shared::ServiceError::invalid(
                    format!("证明材料最多 {MAX_FILES} 个文件"),
                    format!("At most {MAX_FILES} evidence files"),
                )));
            }
            new.files.push(Upload {
                name: file_name,
                bytes,
            });
            continue;
        }
        let text = part.text().await.map_err(bad)?;
        if text.len() > 64 * 1024 {
            return Err(AppError::from(shared::ServiceError::invalid(
                format!("{name}：内容过长"),
                format!("{name}: too long"),
            )));
        }
        match name.as_str() {
            "year" => {
                new.year = text.trim().parse().map_err(|_| {
                    AppError::from(shared::ServiceError::invalid("年度无效", "Not a year"))
                })?
            }
            "field" => fields.push(text),
            "claimed" => claims.push(text),
            "explanation" => new.explanation = text,
            _ => {}
        }
    }
    new.items = fields
        .into_iter()
        .zip(claims)
        .filter(|(f, _)| !f.trim().is_empty())
        .collect();
    Ok(service::appeals::file::file(&svc, &actor, new).await?)
}

#[cfg(feature = "ssr")]
fn bad(e: impl std::fmt::Display) -> AppError {
    AppError::from(shared::ServiceError::invalid(
        format!("上传中断：{e}"),
        format!("The upload broke off: {e}"),
    ))
}
