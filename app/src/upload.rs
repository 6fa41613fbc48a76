//! Reading an uploaded file out of a multipart form: counted while it
//! streams, so a larger file is refused before it is held in memory whole,
//! and a stream that breaks off (the request's size limit, a dropped
//! connection) is an error, never a shorter file taken for the whole.

use crate::error::AppError;

pub async fn read_file(
    field: &mut multer::Field<'static>,
    max: usize,
    name: &str,
) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    loop {
        let chunk = field.chunk().await.map_err(|_| {
            AppError::Invalid(format!(
                "文件 {name} 未能完整接收（连接中断，或超过上限 {} MB）",
                max >> 20
            ))
        })?;
        let Some(chunk) = chunk else {
            return Ok(bytes);
        };
        if bytes.len() + chunk.len() > max {
            return Err(AppError::Invalid(format!(
                "文件 {name} 过大（上限 {} MB）",
                max >> 20
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
}
