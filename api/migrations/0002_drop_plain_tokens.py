"""Drop the plain-text tokens of rest_framework.authtoken (no longer installed).

Their keys were stored as written; they cannot be turned into digests without keeping them,
so every holder creates a new token on their account page (README, "REST API"). The table
itself is left, empty, in case the old code is ever run against this database again; an
operator may drop it (``DROP TABLE authtoken_token``).
"""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return  # a database made after the change: there never were plain tokens
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(OLD_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_token")]

    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop)]
