"""Shares of risk and of value sum to exactly 100 % on every agreement that has left draft.

The rule spans rows, so a CHECK constraint cannot hold it; triggers do, on PostgreSQL and
SQLite alike, whatever writes the rows (a form, the admin, a script, raw SQL). A draft is the
region's working copy and may be incomplete; proposing it, or changing a party of a proposed,
signed, active or ended agreement, must leave both sums at 100.
"""

from django.db import migrations

SUMS_OK = """
    (SELECT ROUND(COALESCE(SUM(risk_share), 0), 2) FROM partners_agreementparty
      WHERE agreement_id = {agreement}) = 100
    AND (SELECT ROUND(COALESCE(SUM(value_share), 0), 2) FROM partners_agreementparty
      WHERE agreement_id = {agreement}) = 100
"""

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION partners_agreement_shares_check() RETURNS trigger AS $$
DECLARE
    target_id bigint;
    target_status varchar;
BEGIN
    IF TG_TABLE_NAME = 'partners_agreement' THEN
        target_id := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        target_id := OLD.agreement_id;
    ELSE
        target_id := NEW.agreement_id;
    END IF;
    SELECT status INTO target_status FROM partners_agreement WHERE id = target_id;
    IF target_status IS NOT NULL AND target_status <> 'draft' AND NOT ({SUMS_OK.format(agreement="target_id")}) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'agreement ' || target_id || ': shares of risk and of value must each sum to 100';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Deferred to commit, so a service may rewrite all parties of an agreement in one transaction.
CREATE CONSTRAINT TRIGGER partners_agreement_shares_on_agreement
    AFTER INSERT OR UPDATE OF status ON partners_agreement
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION partners_agreement_shares_check();
CREATE CONSTRAINT TRIGGER partners_agreement_shares_on_party
    AFTER INSERT OR UPDATE OR DELETE ON partners_agreementparty
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION partners_agreement_shares_check();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS partners_agreement_shares_on_party ON partners_agreementparty;
DROP TRIGGER IF EXISTS partners_agreement_shares_on_agreement ON partners_agreement;
DROP FUNCTION IF EXISTS partners_agreement_shares_check();
"""

# SQLite has no deferred triggers: the check runs at each statement, which is why services
# write a non-draft agreement's parties before they move its status out of draft. A row-level
# DELETE check would also refuse deleting a whole agreement (its parties go one by one), so on
# SQLite, the development database, removing a party is left to the services.
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER partners_agreement_shares_on_agreement_{event.lower()}
AFTER {event} ON partners_agreement
WHEN NEW.status <> 'draft' AND NOT ({SUMS_OK.format(agreement="NEW.id")})
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: agreement shares must each sum to 100');
END;
"""
    for event in ("INSERT", "UPDATE")
] + [
    f"""
CREATE TRIGGER partners_agreement_shares_on_party_{event.lower()}
AFTER {event} ON partners_agreementparty
WHEN (SELECT status FROM partners_agreement WHERE id = {row}.agreement_id) <> 'draft'
    AND NOT ({SUMS_OK.format(agreement=row + ".agreement_id")})
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: agreement shares must each sum to 100');
END;
"""
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"))
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS partners_agreement_shares_on_agreement_insert;",
    "DROP TRIGGER IF EXISTS partners_agreement_shares_on_agreement_update;",
    "DROP TRIGGER IF EXISTS partners_agreement_shares_on_party_insert;",
    "DROP TRIGGER IF EXISTS partners_agreement_shares_on_party_update;",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        sql = statements.get(vendor)
        if sql is None:
            raise NotImplementedError(f"No share-sum triggers for {vendor}")
        for statement in [sql] if isinstance(sql, str) else sql:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
