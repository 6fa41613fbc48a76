//! Schema migrations: one path for SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_init;
mod m20261122_000001_grade_years;
mod m20261130_000001_versions;
mod m20261130_000002_disclosures;
mod m20261130_000003_appeals;
mod m20261130_000004_targets;
mod m20261201_000001_session_idle;
mod m20261205_000001_password_expiry;
mod m20261205_000002_measures;
mod m20261205_000003_classes_applied;
mod m20261205_000004_english_texts;
mod m20261206_000001_ruleset_drafts;
mod m20261206_000002_signoffs;
mod m20261207_000001_shared_state;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_init::Migration),
            Box::new(m20261122_000001_grade_years::Migration),
            Box::new(m20261130_000001_versions::Migration),
            Box::new(m20261130_000002_disclosures::Migration),
            Box::new(m20261130_000003_appeals::Migration),
            Box::new(m20261130_000004_targets::Migration),
            Box::new(m20261201_000001_session_idle::Migration),
            Box::new(m20261205_000001_password_expiry::Migration),
            Box::new(m20261205_000002_measures::Migration),
            Box::new(m20261205_000003_classes_applied::Migration),
            Box::new(m20261205_000004_english_texts::Migration),
            Box::new(m20261206_000001_ruleset_drafts::Migration),
            Box::new(m20261206_000002_signoffs::Migration),
            Box::new(m20261207_000001_shared_state::Migration),
        ]
    }
}
