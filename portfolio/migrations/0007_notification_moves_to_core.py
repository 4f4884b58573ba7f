# Notifications move to the core app (core 0001 takes the model over): the table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0006_dashboard_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
