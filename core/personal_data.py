"""Notifications in a person's data export and erasure (see ``clinics.personal_data``)."""

from clinics.personal_data import rows
from core.models import Notification


def notifications_personal_data(user) -> dict:
    return {
        "notifications": rows(
            Notification.objects.filter(recipient=user).order_by("created_at"),
            "message",
            "url",
            "created_at",
            "read_at",
        )
    }


def notifications_erase(user, old_username: str) -> None:
    Notification.objects.filter(recipient=user).delete()
