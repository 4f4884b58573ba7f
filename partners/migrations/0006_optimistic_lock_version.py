"""The agreement's optimistic lock (``revision``, core.concurrency.VersionField).

On SQLite, adding a NOT NULL column makes Django rebuild the table (create a copy, drop the
old one, rename), which drops the share-sum triggers of migration 0002 with the old table
(and the rebuild fails on the party triggers, which name the agreement table). So on SQLite
the triggers are dropped before the rebuild and created again after it, from 0002's own SQL.
PostgreSQL adds the column in place and keeps its triggers.
"""

from importlib import import_module

import core.concurrency
from django.db import migrations

share_triggers = import_module("partners.migrations.0002_agreement_share_triggers")


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0005_constraint_messages'),
    ]

    operations = [
        migrations.RunPython(
            _on_sqlite(share_triggers.SQLITE_REVERSE), _on_sqlite(share_triggers.SQLITE_FORWARD)
        ),
        migrations.AddField(
            model_name='agreement',
            name='revision',
            field=core.concurrency.VersionField(verbose_name='revision'),
        ),
        migrations.RunPython(
            _on_sqlite(share_triggers.SQLITE_FORWARD), _on_sqlite(share_triggers.SQLITE_REVERSE)
        ),
    ]
