"""A partner's instalments in a phase that are not cancelled sum to at most the phase's budget
ceiling for that partner (none without a ceiling).

The rule spans rows, so a CHECK constraint cannot hold it. On PostgreSQL a constraint trigger,
deferred to commit, holds it whatever writes the rows (a service, the admin, a script, raw
SQL), on instalments and on the ceilings alike. On SQLite, the development database, the
services check it (``partnership.services.instalments``).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION partnership_instalment_ceiling_check() RETURNS trigger AS $$
DECLARE
    the_phase bigint;
    the_partner bigint;
    planned numeric;
    allowed numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        the_phase := OLD.phase_id;
        the_partner := OLD.organisation_id;
    ELSE
        the_phase := NEW.phase_id;
        the_partner := NEW.organisation_id;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO planned FROM partnership_instalment
        WHERE phase_id = the_phase AND organisation_id = the_partner AND status <> 'cancelled';
    SELECT COALESCE(MAX(ceiling), 0) INTO allowed FROM partnership_phasebudget
        WHERE phase_id = the_phase AND organisation_id = the_partner;
    IF planned > allowed THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'phase ' || the_phase || ', partner ' || the_partner
                || ': instalments exceed the budget ceiling';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER partnership_instalment_ceiling_on_instalment
    AFTER INSERT OR UPDATE ON partnership_instalment
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION partnership_instalment_ceiling_check();
CREATE CONSTRAINT TRIGGER partnership_instalment_ceiling_on_budget
    AFTER UPDATE OR DELETE ON partnership_phasebudget
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION partnership_instalment_ceiling_check();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS partnership_instalment_ceiling_on_budget ON partnership_phasebudget;
DROP TRIGGER IF EXISTS partnership_instalment_ceiling_on_instalment ON partnership_instalment;
DROP FUNCTION IF EXISTS partnership_instalment_ceiling_check();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_phases_targets_gates_instalments")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_REVERSE))]
