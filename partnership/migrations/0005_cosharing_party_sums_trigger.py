"""Across a co-sharing rule's parties (the region included) each column of percentages (gain
at the floor, gain at the ceiling, cost below the floor) sums to exactly 100.

The rule spans rows, so a CHECK constraint cannot hold it. On PostgreSQL a constraint trigger,
deferred to commit (the parties are written one by one), holds it whatever writes the rows.
A rule with no parties left (being deleted) passes. The service checks it too, to put the
error next to the field (``partnership.services.cosharing``).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION partnership_sharing_party_sums_check() RETURNS trigger AS $$
DECLARE
    the_rule bigint;
    parties integer;
    gain_floor numeric;
    gain_ceiling numeric;
    cost_below numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        the_rule := OLD.rule_id;
    ELSE
        the_rule := NEW.rule_id;
    END IF;
    SELECT COUNT(*), COALESCE(SUM(gain_share_at_floor), 0),
           COALESCE(SUM(gain_share_at_ceiling), 0), COALESCE(SUM(cost_share_below_floor), 0)
        INTO parties, gain_floor, gain_ceiling, cost_below
        FROM partnership_sharingruleparty WHERE rule_id = the_rule;
    IF parties > 0 AND (gain_floor <> 100 OR gain_ceiling <> 100 OR cost_below <> 100) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'co-sharing rule ' || the_rule || ': the shares do not sum to 100';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER partnership_sharing_party_sums
    AFTER INSERT OR UPDATE OR DELETE ON partnership_sharingruleparty
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION partnership_sharing_party_sums_check();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS partnership_sharing_party_sums ON partnership_sharingruleparty;
DROP FUNCTION IF EXISTS partnership_sharing_party_sums_check();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("partnership", "0004_cosharing_rules_and_results")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_REVERSE))]
