"""PostgreSQL: validated results and issued numbers are unmodifiable in the database itself.

- Results of an inscription in a validated session (its result columns, its CCP results) change only inside the UD's
  correction service (examens.models.results_correction), which sets the transaction-local setting
  `ceres.correction` and journals the correction; any other UPDATE/DELETE/INSERT is refused, whatever the code path
  (bulk update(), _raw_delete(), plain SQL).
- A validated session stays validated with its PV number, date and validating agent (same exception).
- An issued number (certification, printed parchemin) never changes and its row is never deleted (R1).
Nothing here on SQLite: the ORM guards remain (development database).
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION ceres_correction_open() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('ceres.correction', true), '') = 'on'
$$;

CREATE OR REPLACE FUNCTION ceres_session_validee(session bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM examens_sessionexamen WHERE id = session AND status = 'validee')
$$;

CREATE OR REPLACE FUNCTION ceres_inscription_results_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ceres_correction_open() OR NOT ceres_session_validee(OLD.session_id) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE'
       OR NEW.session_id IS DISTINCT FROM OLD.session_id
       OR (NEW.entretien_final, NEW.ccs_result, NEW.decision, NEW.absence_justified, NEW.incidents)
          IS DISTINCT FROM (OLD.entretien_final, OLD.ccs_result, OLD.decision, OLD.absence_justified, OLD.incidents)
    THEN
        RAISE EXCEPTION 'Les résultats d''une session validée ne se modifient que par une correction de l''unité départementale.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ceres_inscription_results_locked
    BEFORE UPDATE OR DELETE ON examens_inscription
    FOR EACH ROW EXECUTE FUNCTION ceres_inscription_results_locked();

CREATE OR REPLACE FUNCTION ceres_resultatccp_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locked boolean;
BEGIN
    IF ceres_correction_open() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    SELECT ceres_session_validee(i.session_id) INTO locked FROM examens_inscription i
        WHERE i.id = CASE WHEN TG_OP = 'INSERT' THEN NEW.inscription_id ELSE OLD.inscription_id END;
    IF locked OR (TG_OP = 'UPDATE' AND NEW.inscription_id IS DISTINCT FROM OLD.inscription_id AND EXISTS (
        SELECT 1 FROM examens_inscription i WHERE i.id = NEW.inscription_id AND ceres_session_validee(i.session_id)))
    THEN
        RAISE EXCEPTION 'Les résultats d''une session validée ne se modifient que par une correction de l''unité départementale.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER ceres_resultatccp_locked
    BEFORE INSERT OR UPDATE OR DELETE ON examens_resultatccp
    FOR EACH ROW EXECUTE FUNCTION ceres_resultatccp_locked();

CREATE OR REPLACE FUNCTION ceres_session_validated_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'validee' OR ceres_correction_open() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE'
       OR (NEW.status, NEW.pv_number, NEW.validated_at, NEW.validated_by_id)
          IS DISTINCT FROM (OLD.status, OLD.pv_number, OLD.validated_at, OLD.validated_by_id)
    THEN
        RAISE EXCEPTION 'Une session validée le reste, avec son numéro de PV.' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ceres_session_validated_locked
    BEFORE UPDATE OR DELETE ON examens_sessionexamen
    FOR EACH ROW EXECUTE FUNCTION ceres_session_validated_locked();

CREATE OR REPLACE FUNCTION ceres_issued_number_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.number IS NULL OR OLD.number = '' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' OR NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'Le numéro % est attribué : il ne change plus et sa ligne ne se supprime pas.', OLD.number
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ceres_certification_number_locked
    BEFORE UPDATE OR DELETE ON examens_certification
    FOR EACH ROW EXECUTE FUNCTION ceres_issued_number_locked();
CREATE TRIGGER ceres_parchemin_number_locked
    BEFORE UPDATE OR DELETE ON documents_parchemin
    FOR EACH ROW EXECUTE FUNCTION ceres_issued_number_locked();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ceres_inscription_results_locked ON examens_inscription;
DROP TRIGGER IF EXISTS ceres_resultatccp_locked ON examens_resultatccp;
DROP TRIGGER IF EXISTS ceres_session_validated_locked ON examens_sessionexamen;
DROP TRIGGER IF EXISTS ceres_certification_number_locked ON examens_certification;
DROP TRIGGER IF EXISTS ceres_parchemin_number_locked ON documents_parchemin;
DROP FUNCTION IF EXISTS ceres_inscription_results_locked();
DROP FUNCTION IF EXISTS ceres_resultatccp_locked();
DROP FUNCTION IF EXISTS ceres_session_validated_locked();
DROP FUNCTION IF EXISTS ceres_issued_number_locked();
DROP FUNCTION IF EXISTS ceres_session_validee(bigint);
DROP FUNCTION IF EXISTS ceres_correction_open();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_compteur_vers_editique"), ("examens", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
