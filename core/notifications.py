"""Tell a person what happened: in the app and by e-mail, as each person prefers."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from clinics.models import User
from core.models import Notification


def notify(*, recipient: User, message, url: str = "") -> Notification | None:
    """Notify ``recipient``. ``message`` may be lazy: it is rendered in the recipient's language.

    The in-app message is stored only if they want in-app notifications; the e-mail is queued
    after the transaction commits, only if they want e-mail and have an address.
    """
    if not recipient.is_active:
        return None
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = str(message)
    notification = None
    if recipient.notify_in_app:
        notification = Notification.objects.create(recipient=recipient, message=text, url=url)
    if recipient.notify_by_email and recipient.email:
        from core.tasks import send_notification_email_task

        transaction.on_commit(lambda: send_notification_email_task.delay(recipient.pk, text, url))
    return notification


def notification_mark_read(*, recipient: User, notification_ids=None) -> int:
    from django.utils import timezone

    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def notification_settings_update(*, user: User, notify_in_app: bool, notify_by_email: bool) -> User:
    """Turn a person's in-app and e-mail notifications on or off."""
    user.notify_in_app = notify_in_app
    user.notify_by_email = notify_by_email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["notify_in_app", "notify_by_email"])
    return user
