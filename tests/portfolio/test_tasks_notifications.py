"""The notification e-mail: one message per notification, its subject always one line."""

import pytest
from django.core import mail

from core.models import OutboxEmail
from core.notifications import notify
from core.tasks import send_notification_email_task

pytestmark = pytest.mark.django_db


def test_a_line_break_in_the_text_is_flattened_in_the_subject(
    staff_user, django_capture_on_commit_callbacks
):
    staff_user.preferred_language = "en"
    staff_user.save()

    # A project title or an older idea title may hold a line break (titles are checked now).
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=staff_user,
            message="New idea: “Reminders\r\nBcc: victim@example.org”",
            url="/x/",
        )

    [message] = mail.outbox
    assert message.subject == "Partnerskap: New idea: “Reminders Bcc: victim@example.org”"
    assert message.to == [staff_user.email]
    assert "victim@example.org" not in message.bcc
    assert "\r\nBcc: victim@example.org" in message.body


def test_a_long_text_gives_a_short_subject(staff_user, django_capture_on_commit_callbacks):
    staff_user.notify_in_app = False  # the e-mail alone (an in-app message holds 300 characters)
    staff_user.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=staff_user, message="word " * 100)

    [message] = mail.outbox
    assert len(message.subject) <= 130
    assert "\n" not in message.subject


def test_a_task_queued_by_the_previous_release_writes_its_mail_once(staff_user):
    # Messages of the old task may wait in the broker at an upgrade: redelivered, they still
    # make one mail.
    for _ in range(2):
        send_notification_email_task.apply(
            args=[staff_user.pk, "Your idea moved", "/x/"], task_id="old-task-1", throw=True
        )

    [email] = OutboxEmail.objects.all()
    assert (email.kind, email.recipient, email.status) == (
        "notification",
        staff_user.email,
        "ready",
    )
    assert email.subject == "Partnerskap: Your idea moved"
