//! 分类施策 applied: each county's differentiated-electricity procedure of
//! a year (差别化电价: surcharge, the D-class list it reviewed, its public
//! window and its filing with the city), and the remediation ledger
//! (整治提升台账): one entry per enterprise and year, made from the
//! published classes and the three-year tax per mu, with the county's plan.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ElectricityProcedures {
    Table,
    Id,
    Year,
    County,
    Surcharge,
    Version,
    Exclusions,
    WindowStart,
    WindowEnd,
    Approval,
    PublishedAt,
    FiledAt,
    FilingNo,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum RemediationEntries {
    Table,
    Id,
    Year,
    Uscc,
    Name,
    County,
    Scale,
    Class,
    Reasons,
    AvgTaxPerMu,
    Plan,
    Person,
    Milestones,
    ExitedIn,
    Active,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ElectricityProcedures as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .if_not_exists()
                .col(pk_auto(E::Id))
                .col(integer(E::Year))
                .col(string(E::County))
                .col(string(E::Surcharge))
                .col(integer_null(E::Version))
                .col(text(E::Exclusions))
                .col(date_null(E::WindowStart))
                .col(date_null(E::WindowEnd))
                .col(string(E::Approval).default(""))
                .col(timestamp_with_time_zone_null(E::PublishedAt))
                .col(timestamp_with_time_zone_null(E::FiledAt))
                .col(string(E::FilingNo).default(""))
                .col(timestamp_with_time_zone(E::UpdatedAt))
                .col(string(E::UpdatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_electricity_year_county")
                .table(E::Table)
                .col(E::Year)
                .col(E::County)
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        use RemediationEntries as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .if_not_exists()
                .col(pk_auto(R::Id))
                .col(integer(R::Year))
                .col(string(R::Uscc))
                .col(string(R::Name))
                .col(string(R::County))
                .col(string(R::Scale))
                .col(string_null(R::Class))
                .col(string(R::Reasons))
                .col(double_null(R::AvgTaxPerMu))
                .col(string_null(R::Plan))
                .col(string(R::Person).default(""))
                .col(text(R::Milestones))
                .col(integer_null(R::ExitedIn))
                .col(boolean(R::Active).default(true))
                .col(timestamp_with_time_zone(R::UpdatedAt))
                .col(string(R::UpdatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_remediation_year_uscc")
                .table(R::Table)
                .col(R::Year)
                .col(R::Uscc)
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RemediationEntries::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ElectricityProcedures::Table).to_owned())
            .await
    }
}
