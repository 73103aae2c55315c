//! Building blocks the migrations share. They only assemble statements, so changing them
//! never changes a migration that already ran unless its output changes: keep it stable.

use sea_orm_migration::{prelude::*, schema::*};

/// `created_at` and `updated_at`, present on every mutable table.
pub fn stamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
}

/// A foreign key from `from.0.from.1` to `to.id`. Rows that belong to their parent go
/// with it (`Cascade`); references to who did something are cleared (`SetNull`).
pub fn fk(
    name: &str,
    from: (&'static str, &'static str),
    to: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to, "id")
        .on_delete(on_delete)
        .to_owned()
}
