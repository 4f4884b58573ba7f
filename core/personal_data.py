"""Notifications and e-mail in a person's data export and erasure (``clinics.personal_data``)."""

from clinics.personal_data import rows
from core.models import Notification, NotificationKindOff, OutboxEmail
from core.outbox import outbox_emails_cancel


def notifications_personal_data(user) -> dict:
    return {
        "notifications": rows(
            Notification.objects.filter(recipient=user).order_by("created_at"),
            "kind",
            "message",
            "url",
            "created_at",
            "read_at",
        ),
        "notification_kinds_switched_off": rows(
            NotificationKindOff.objects.filter(user=user).order_by("kind"), "kind"
        ),
        # When and where each e-mail went, and what about; not the texts (a link in one may
        # still set the password, and the notifications above say the same).
        "emails_to_me": rows(
            OutboxEmail.objects.filter(user=user).order_by("created_at", "pk"),
            "kind",
            "recipient",
            "subject",
            "status",
            "created_at",
            "sent_at",
        ),
    }


def notifications_erase(user, old_username: str) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationKindOff.objects.filter(user=user).delete()
    # Mail still waiting has nowhere to go now; every record loses the address and the text
    # (which greets the person by name), and keeps its kind, status and dates.
    outbox_emails_cancel(user=user)
    OutboxEmail.objects.filter(user=user).update(
        recipient="", subject="", body_text="", body_html="", last_error=""
    )
