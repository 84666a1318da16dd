from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor

from xinfang.core import partitions


class DatabaseSchemaEditor(PostgresSchemaEditor):
    """Django's PostgreSQL schema editor, with foreign keys to partitioned tables kept by trigger pairs."""

    # Every foreign key goes through _create_fk_sql (after the table or column exists), never inline, so a
    # reference to a partitioned table can become its trigger pair.
    sql_create_column_inline_fk = None

    def _partitioned_target(self, field) -> str | None:
        if not (field.remote_field and field.db_constraint and getattr(field, "target_field", None)):
            return None
        table = field.target_field.model._meta.db_table
        return table if partitions.is_partitioned(table, self.connection) else None

    def _create_fk_sql(self, model, field, suffix):
        if target := self._partitioned_target(field):
            return partitions.add_fk_sql(
                model._meta.db_table, field.column, target, field.target_field.column, model._meta.pk.column
            )
        return super()._create_fk_sql(model, field, suffix)

    def remove_field(self, model, field):
        if target := self._partitioned_target(field):
            self.execute(partitions.drop_fk_sql(model._meta.db_table, field.column, target))
        super().remove_field(model, field)

    def delete_model(self, model):
        for field in model._meta.local_fields:
            if target := self._partitioned_target(field):
                self.execute(partitions.drop_fk_sql(model._meta.db_table, field.column, target))
        super().delete_model(model)
