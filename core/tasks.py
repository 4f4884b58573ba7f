"""The e-mail outbox's tasks: the sender, queued after each commit that writes mail, and the
sweep, run every minute by beat (django-celery-beat; created by migration core 0002)."""

from celery import shared_task


@shared_task
def outbox_send_task() -> int:
    """Write the mail of pending password-reset requests, then send every due mail. Running
    twice at once is harmless: each row is claimed under a lock and skipped by the other."""
    from core.outbox import outbox_send_ready
    from core.password_reset import password_reset_requests_render

    password_reset_requests_render()
    return len(outbox_send_ready().sent)


@shared_task
def outbox_sweep_task() -> int:
    """The beat job: send what a failed queueing or a failed attempt left waiting (the
    backoff's retries happen here), and delete mail older than OUTBOX_KEEP_DAYS."""
    from core.outbox import outbox_purge, outbox_send_ready
    from core.password_reset import password_reset_requests_render

    password_reset_requests_render()
    sent = len(outbox_send_ready().sent)
    outbox_purge()
    return sent


# --- Tasks of the previous release ---------------------------------------------------------------
# Messages queued before an upgrade may still wait in the broker under these names: they are
# turned into outbox mail, so none is lost in the switch. Nothing queues them any more.


@shared_task(bind=True, name="core.tasks.send_notification_email_task")
def send_notification_email_task(self, recipient_id: int, text: str, url: str = "") -> None:
    from django.db import transaction

    from clinics.models import User
    from core.notifications import notification_email_add

    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is not None and recipient.email:
        with transaction.atomic():
            notification_email_add(
                recipient=recipient, text=text, url=url, idempotency_key=f"task:{self.request.id}"
            )


@shared_task(name="clinics.tasks.password_reset_email_task")
def password_reset_email_task(*, email: str, domain: str, use_https: bool, language: str) -> None:
    from core.password_reset import password_reset_request

    password_reset_request(email=email, domain=domain, use_https=use_https, language=language)
