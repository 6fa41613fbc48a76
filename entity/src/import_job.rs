//! An import between its preview and its commit, and the commit's progress
//! and outcome: in the database, so that whichever server process gets the
//! next request (commit, progress poll) finds it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub struct Model {
    /// A random id: the only handle the uploader's browser holds.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_id: Option<i32>,
    pub file: String,
    pub rows: i64,
    pub created_at: DateTimeUtc,
    /// The checked drafts (compressed JSON), until the commit has run.
    #[sea_orm(column_type = "Blob", nullable)]
    pub payload: Option<Vec<u8>>,
    /// `previewed`, `running` or `finished`.
    pub state: String,
    pub phase: String,
    pub done: i64,
    pub total: i64,
    /// JSON: `{"ok": Written}` or `{"error": text}` once finished.
    #[sea_orm(column_type = "Text", nullable)]
    pub result: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
