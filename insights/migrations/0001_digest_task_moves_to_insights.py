# The digest job's code moved from portfolio.tasks to insights.tasks: point the beat schedule
# (a row an administrator may have edited) at the new path, keeping its timing.

from django.db import migrations

OLD = "portfolio.tasks.digests_dispatch_task"
NEW = "insights.tasks.digests_dispatch_task"


def forwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=OLD).update(task=NEW)


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("portfolio", "0003_digests"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
