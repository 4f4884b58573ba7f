"""Notifications are written by ``notify`` (which also sends the e-mail) and marked read by the
person: the admin shows them and writes none."""

import pytest
from django.urls import reverse

from core.models import Notification

pytestmark = pytest.mark.django_db


def test_notifications_are_not_written_in_the_admin(client, admin_user, staff_user):
    notice = Notification.objects.create(recipient=staff_user, message="Your idea is accepted")
    client.force_login(admin_user)
    change = reverse("admin:core_notification_change", args=[notice.pk])

    page = client.get(change)
    posted = client.post(change, {"recipient": staff_user.pk, "message": "Forged"})
    add = client.get(reverse("admin:core_notification_add"))

    assert page.status_code == 200 and 'name="message"' not in page.content.decode()
    assert (posted.status_code, add.status_code) == (403, 403)
    notice.refresh_from_db()
    assert (notice.message, notice.read_at) == ("Your idea is accepted", None)
