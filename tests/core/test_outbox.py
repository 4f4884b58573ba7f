"""The e-mail outbox against a real SMTP server (aiosmtpd on 127.0.0.1): written with the
change, retried with backoff through outages, sent exactly once, given up and shown to
administrators only after OUTBOX_MAX_AGE_HOURS."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core.models import OutboxEmail
from core.notifications import notify
from core.outbox import (
    outbox_backlog,
    outbox_email_add,
    outbox_purge,
    outbox_retry_countdown,
    outbox_send_ready,
)
from core.tasks import outbox_send_task, outbox_sweep_task
from tests.clinics.factories import StaffFactory

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


def _mail(n: int, *, now=T0, **fields) -> OutboxEmail:
    return outbox_email_add(
        kind=fields.pop("kind", OutboxEmail.Kind.NOTIFICATION),
        recipient=f"person{n}@example.org",
        subject=f"Partnerskap: update {n}",
        body_text=f"Update {n}",
        now=now,
        **fields,
    )


def _restart(server) -> None:
    """The SMTP server comes back on the same address."""
    server.stop()
    server.start()


def test_a_mail_is_written_with_its_change_and_rolled_back_with_it(staff_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=staff_user, message="Your idea moved")
        raise RuntimeError("the change fails after the notification")

    assert not OutboxEmail.objects.exists()

    with transaction.atomic():
        notify(recipient=staff_user, message="Your idea moved")
    [email] = OutboxEmail.objects.all()
    assert (email.user, email.recipient, email.status) == (staff_user, staff_user.email, "ready")
    assert email.language == "sv"  # the person's region's language


def test_every_mail_arrives_exactly_once_through_a_day_long_outage(smtp_server, settings):
    """The SMTP server is down for 20 hours (connection refused), then refuses the first two
    transactions with 421: every mail is tried with growing pauses all along, and each arrives
    once, soon after the server is back."""
    settings.OUTBOX_MAX_AGE_HOURS = 24
    emails = [_mail(n) for n in range(5)]
    smtp_server.stop()

    # The beat sweep every 5 minutes for 20 hours: tried, never lost, not hammering.
    now = T0
    while now < T0 + timedelta(hours=20):
        assert outbox_send_ready(now=now).sent == []
        now += timedelta(minutes=5)
    attempts = {email.attempts for email in OutboxEmail.objects.all()}
    assert all(10 <= count <= 100 for count in attempts), attempts  # not every 5 min
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"ready"}
    assert "ConnectionRefusedError" in OutboxEmail.objects.first().last_error

    # Back, but busy: the first two transactions get "421 try again later".
    _restart(smtp_server)
    smtp_server.handler.refuse_next = 2
    while OutboxEmail.objects.filter(status="ready").exists():
        assert now < T0 + timedelta(hours=22), "mail still waiting two hours after the outage"
        outbox_send_ready(now=now)
        now += timedelta(minutes=5)
    for _ in range(3):  # later runs find nothing to send
        now += timedelta(hours=1)
        assert outbox_send_ready(now=now).sent == []

    assert smtp_server.handler.recipients() == sorted(email.recipient for email in emails)
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert outbox_backlog().waiting == 0


def test_a_mail_older_than_the_max_age_is_failed_and_shown_to_administrators(
    smtp_server, settings, client, admin_user
):
    settings.OUTBOX_MAX_AGE_HOURS = 24
    old = _mail(1, now=T0 - timedelta(hours=25))
    young = _mail(2, now=T0 - timedelta(hours=1))
    smtp_server.handler.refuse_next = 100  # 421 to everything

    result = outbox_send_ready(now=T0)

    old.refresh_from_db()
    young.refresh_from_db()
    assert result.given_up == [old.pk] and result.failed == [young.pk]
    assert (old.status, old.attempts, old.next_attempt_at) == ("failed", 1, None)
    assert "421" in old.last_error
    assert young.status == "ready" and young.next_attempt_at > T0
    backlog = outbox_backlog()
    assert (backlog.waiting, backlog.failed) == (1, 1)
    assert backlog.oldest_waiting_since == young.created_at

    client.force_login(admin_user)
    page = client.get("/admin/core/outboxemail/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert old.recipient in page.content.decode()
    assert young.recipient not in page.content.decode()

    # After the outage an administrator tries it again: it gets a new day, and goes.
    smtp_server.handler.refuse_next = 0
    later = T0 + timedelta(hours=1)
    response = client.post(
        "/admin/core/outboxemail/",
        {"action": "retry", "_selected_action": [old.pk]},
        follow=True,
    )
    assert "1 failed e-mail will be tried again." in response.content.decode()
    outbox_send_ready(now=later)
    assert smtp_server.handler.recipients() == [old.recipient, young.recipient]


def test_a_mail_is_tried_for_the_whole_max_age_before_it_fails(smtp_server, settings):
    settings.OUTBOX_MAX_AGE_HOURS = 24
    email = _mail(1)
    smtp_server.stop()

    now = T0
    while OutboxEmail.objects.get(pk=email.pk).status == "ready":
        email.refresh_from_db()
        now = max(now, email.next_attempt_at)
        outbox_send_ready(now=now)

    email.refresh_from_db()
    assert email.status == "failed"
    # The last attempt fell on the deadline, not before it.
    assert now >= T0 + timedelta(hours=24) > now - timedelta(minutes=1)


def test_the_backoff_grows_with_jitter_and_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 1800

    waits = [outbox_retry_countdown(attempt=n) for n in range(1, 12)]

    assert 15 <= waits[0] <= 30 and 30 <= waits[1] <= 60 and 60 <= waits[2] <= 120
    assert all(900 <= wait <= 1800 for wait in waits[7:])
    assert len({round(outbox_retry_countdown(attempt=5), 3) for _ in range(20)}) > 1


def test_sending_again_never_sends_twice(smtp_server):
    emails = [_mail(n) for n in range(3)]

    assert len(outbox_send_ready().sent) == 3
    assert outbox_send_ready().sent == []
    outbox_send_task.apply(throw=True)
    outbox_sweep_task.apply(throw=True)

    assert smtp_server.handler.recipients() == sorted(email.recipient for email in emails)


def test_a_redelivered_writer_writes_its_mail_once(smtp_server):
    first = _mail(1, idempotency_key="task:abc")
    again = _mail(1, idempotency_key="task:abc")

    assert again.pk == first.pk
    outbox_send_ready()
    assert smtp_server.handler.recipients() == ["person1@example.org"]


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_mail_once(smtp_server, monkeypatch):
    """Two workers drain the same outbox at the same time (rows claimed with SKIP LOCKED on
    PostgreSQL; SQLite serialises the writers): every mail is sent by exactly one of them."""
    # Committed at once here, each mail would queue (and eagerly run) a sender of its own.
    monkeypatch.setattr("core.outbox._sender_queue", lambda: None)
    emails = [_mail(n) for n in range(8)]
    smtp_server.handler.delay = 0.05  # each send takes a while, so the senders overlap
    results, errors = [], []
    start = threading.Barrier(2)

    def sender():
        try:
            start.wait()
            results.append(outbox_send_ready())
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent = sorted(pk for result in results for pk in result.sent)
    assert sent == sorted(email.pk for email in emails)
    assert smtp_server.handler.recipients() == sorted(email.recipient for email in emails)


class _RefusingRecipients:
    """An SMTP server that knows no mailbox: 550 to every RCPT TO."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"


def test_an_address_the_server_refuses_for_good_fails_at_once(smtp_server):
    email = _mail(1)
    smtp_server.handler.handle_RCPT = _RefusingRecipients().handle_RCPT

    outbox_send_ready(now=T0)

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert "550" in email.last_error


def test_a_link_that_sets_a_password_is_not_kept_once_sent(smtp_server, client, admin_user):
    email = _mail(1, kind=OutboxEmail.Kind.INVITATION)
    client.force_login(admin_user)
    page = client.get(f"/admin/core/outboxemail/{email.pk}/change/").content.decode()
    assert "Update 1" not in page  # the link is never shown in the admin

    outbox_send_ready()

    email.refresh_from_db()
    assert email.status == "sent" and (email.body_text, email.body_html) == ("", "")
    assert smtp_server.handler.messages[0].get_content().strip() == "Update 1"


def test_the_sweep_deletes_old_sent_and_failed_mail_but_keeps_waiting_mail(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    old = T0 - timedelta(days=31)
    sent, failed, waiting = _mail(1, now=old), _mail(2, now=old), _mail(3, now=old)
    OutboxEmail.objects.filter(pk=sent.pk).update(status="sent", sent_at=old)
    OutboxEmail.objects.filter(pk=failed.pk).update(status="failed", next_attempt_at=None)
    recent = _mail(4, now=T0 - timedelta(days=1))
    OutboxEmail.objects.filter(pk=recent.pk).update(status="sent", sent_at=T0)

    assert outbox_purge(now=T0) == 2

    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}


def test_notify_sends_through_the_outbox_after_the_commit(
    staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=staff_user, message="Your idea moved", url="/portfolio/ideas/1/")
    assert mail.outbox == []  # nothing sent before the commit
    assert OutboxEmail.objects.get().status == "ready"

    for callback in callbacks:
        callback()  # the commit: the sender is queued (run eagerly here)

    [message] = mail.outbox
    assert message.to == [staff_user.email]
    assert "/portfolio/ideas/1/" in message.body
    assert OutboxEmail.objects.get().status == "sent"


def test_the_sweep_is_scheduled_every_minute_by_the_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="core.tasks.outbox_sweep_task")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_a_person_who_is_erased_gets_no_more_mail_and_their_mail_is_blanked(
    admin_user, smtp_server
):
    from clinics.selectors import personal_data_for
    from clinics.services import user_erase

    person = StaffFactory(email="sara@example.org")
    notify(recipient=person, message="First")
    outbox_send_ready()
    notify(recipient=person, message="Second")
    assert [row["subject"] for row in personal_data_for(user=person)["emails_to_me"]] == [
        "Partnerskap: First",
        "Partnerskap: Second",
    ]

    user_erase(user=person, erased_by=admin_user)
    outbox_send_ready()

    assert smtp_server.handler.recipients() == ["sara@example.org"]
    rows = OutboxEmail.objects.filter(user=person).order_by("pk")
    assert [row.status for row in rows] == ["sent", "cancelled"]
    assert {(row.recipient, row.subject, row.body_text) for row in rows} == {("", "", "")}
