//! Reading an uploaded file out of a multipart form: counted while it
//! streams, so a larger file is refused before it is held in memory whole,
//! and a stream that breaks off (the request's size limit, a dropped
//! connection) is an error, never a shorter file taken for the whole.

use crate::error::AppError;
use shared::ServiceError;

pub async fn read_file(
    field: &mut multer::Field<'static>,
    max: usize,
    name: &str,
) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    loop {
        let mb = max >> 20;
        let chunk = field.chunk().await.map_err(|_| {
            AppError::from(ServiceError::invalid(
                format!("文件 {name} 未能完整接收（连接中断，或超过上限 {mb} MB）"),
                format!("The file {name} did not arrive whole (the connection broke, or it is over {mb} MB)"),
            ))
        })?;
        let Some(chunk) = chunk else {
            return Ok(bytes);
        };
        if bytes.len() + chunk.len() > max {
            return Err(AppError::from(ServiceError::invalid(
                format!("文件 {name} 过大（上限 {mb} MB）"),
                format!("The file {name} is too large (at most {mb} MB)"),
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
}

/// A multipart request without its form (not sent by our pages).
pub fn nothing_received() -> AppError {
    AppError::from(ServiceError::invalid(
        "没有收到文件",
        "No file was received",
    ))
}

/// A form sent without its spreadsheet.
pub fn no_sheet() -> AppError {
    AppError::from(ServiceError::invalid(
        "请选择 CSV 或 Excel（.xlsx）文件",
        "Please choose a CSV or Excel (.xlsx) file",
    ))
}
