"""The notification e-mail: one message per notification, its subject always one line."""

import pytest
from django.core import mail

from core.tasks import send_notification_email_task

pytestmark = pytest.mark.django_db


def test_a_line_break_in_the_text_is_flattened_in_the_subject(staff_user):
    staff_user.preferred_language = "en"
    staff_user.save()

    # A project title or an older idea title may hold a line break (titles are checked now).
    send_notification_email_task.apply(
        args=[staff_user.pk, "New idea: “Reminders\r\nBcc: victim@example.org”", "/x/"],
        throw=True,
    )

    [message] = mail.outbox
    assert message.subject == "Partnerskap: New idea: “Reminders Bcc: victim@example.org”"
    assert message.to == [staff_user.email]
    assert "victim@example.org" not in message.bcc
    assert "\r\nBcc: victim@example.org" in message.body


def test_a_long_text_gives_a_short_subject(staff_user):
    send_notification_email_task.apply(args=[staff_user.pk, "word " * 100], throw=True)

    [message] = mail.outbox
    assert len(message.subject) <= 130
    assert "\n" not in message.subject
