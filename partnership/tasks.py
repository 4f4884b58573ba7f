"""The innovation partnership's periodic job (django-celery-beat; created by migration 0003)."""

from celery import shared_task


@shared_task
def instalments_mark_due_task() -> int:
    """Hourly: planned instalments whose target is met or whose date has come become due.
    Idempotent: a second run finds nothing planned to move."""
    from .services.instalments_due import instalments_mark_due

    return instalments_mark_due()
