"""PostgreSQL: the journal is insert-only in the database itself, whatever the code path (ORM bulk operations,
_raw_delete(), plain SQL). Nothing here on SQLite (development): the ORM guards (JournalQuerySet) remain."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ceres_journal_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('ceres.maintenance', true) = 'on' THEN
        RETURN NULL;  -- test databases only (tests/conftest.py); see docs/decisions/0004-immutabilite-postgresql.md
    END IF;
    RAISE EXCEPTION 'Le journal est en ajout seul : % refusé sur %.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ceres_journal_insert_only_rows
    BEFORE UPDATE OR DELETE ON core_journalentry
    FOR EACH ROW EXECUTE FUNCTION ceres_journal_insert_only();
CREATE TRIGGER ceres_journal_insert_only_truncate
    BEFORE TRUNCATE ON core_journalentry
    FOR EACH STATEMENT EXECUTE FUNCTION ceres_journal_insert_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ceres_journal_insert_only_rows ON core_journalentry;
DROP TRIGGER IF EXISTS ceres_journal_insert_only_truncate ON core_journalentry;
DROP FUNCTION IF EXISTS ceres_journal_insert_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
