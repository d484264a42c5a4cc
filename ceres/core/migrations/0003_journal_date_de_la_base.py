"""PostgreSQL: a journal entry carries the date of its insertion. A row inserted in plain SQL with another date
(back-dated or future-dated beyond a 5-minute clock tolerance between the application and the database) is refused
(issue #16). Test databases and the national bench generator, which replay history, set ceres.maintenance = on."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ceres_journal_dated_now() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('ceres.maintenance', true) = 'on' THEN
        RETURN NEW;  -- see docs/decisions/0004-immutabilite-postgresql.md
    END IF;
    IF NEW.created_at < now() - interval '5 minutes' OR NEW.created_at > clock_timestamp() + interval '5 minutes' THEN
        RAISE EXCEPTION 'Le journal ne reçoit que des entrées datées de leur insertion (date fournie : %).',
            NEW.created_at USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ceres_journal_dated_now
    BEFORE INSERT ON core_journalentry
    FOR EACH ROW EXECUTE FUNCTION ceres_journal_dated_now();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ceres_journal_dated_now ON core_journalentry;
DROP FUNCTION IF EXISTS ceres_journal_dated_now();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_journal_ajout_seul_postgresql")]

    operations = [migrations.RunPython(forward, backward)]
