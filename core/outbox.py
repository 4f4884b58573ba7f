"""Every e-mail goes through the outbox: written with the change, sent exactly once, later.

The flow (see README, "E-mail"):

1. A service calls ``outbox_email_add`` inside its own transaction: the rendered message is a
   row of ``OutboxEmail``, committed with the change that causes it or rolled back with it.
2. When the transaction commits, ``outbox_send_task`` is queued. Queueing may fail (the broker
   is down): that is logged, never raised, so the person's request still succeeds; the beat job
   ``outbox_sweep_task`` (every minute) sends whatever is waiting.
3. ``outbox_send_ready`` sends due rows in batches, one SMTP connection per batch. Each row is
   claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` in a transaction, sent, and marked sent in
   that same transaction: a concurrent sender skips it, a killed worker leaves it waiting.
4. A failed attempt is recorded (attempts, last error) and the next one scheduled with
   exponential backoff and jitter, for ``OUTBOX_MAX_AGE_HOURS``; a failure after that marks the
   mail failed, where administrators see it (admin, *Outgoing e-mails*; ``outbox_backlog``).

All time arithmetic takes ``now`` as an argument, so tests can run hours on a controllable clock.
"""

import logging
import random
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from clinics.models import User
from core.models import OutboxEmail
from core.smtp_batches import SEND_ERRORS, send_in_batches

logger = logging.getLogger(__name__)

Status = OutboxEmail.Status

# Connection refused, timeouts and every SMTP error: recorded on the row, tried again later.

# One quick retry when queueing the sender: a request must not wait on a broker that is down
# (the sweep sends the mail within a minute anyway).
QUEUE_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


# --- Writing mail ---------------------------------------------------------------------------------


def outbox_email_add(
    *,
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "",
    user: User | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    queue_sender: bool = True,
) -> OutboxEmail:
    """Put one e-mail in the outbox, in the caller's transaction; the sender is queued when
    that transaction commits (``queue_sender=False``: the caller is the sender and sends next).
    With an ``idempotency_key`` already in the outbox, nothing new is written and the existing
    mail is returned (a task that runs twice writes its mail once)."""
    now = now or timezone.now()
    email = OutboxEmail(
        kind=kind,
        user=user,
        recipient=recipient,
        language=language,
        # One line: a line break in a header is refused (BadHeaderError) at every attempt.
        subject=" ".join(subject.split())[:300],
        body_text=body_text,
        body_html=body_html,
        next_attempt_at=now,
        send_until=now + timedelta(hours=settings.OUTBOX_MAX_AGE_HOURS),
        idempotency_key=idempotency_key or "",
        created_at=now,
    )
    # Not the address: one Django's validator refuses is still the SMTP server's to judge (the
    # row records its answer), and must never undo the change that writes the mail. Nothing
    # that costs a query either (the person, the key's and the status's constraints): the
    # database checks those on insert, and a mail should not slow down the change it tells of.
    email.full_clean(exclude=["recipient", "user", "idempotency_key"], validate_constraints=False)
    if idempotency_key:
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError:
            return OutboxEmail.objects.get(idempotency_key=idempotency_key)
    else:
        email.save()
    if queue_sender:
        outbox_sender_queue_on_commit()
    return email


def outbox_emails_cancel(*, user: User, kind: str | None = None) -> int:
    """Stop mail to ``user`` that is still waiting (of one ``kind``, or all): a newer
    invitation replaces an older one, an erased person gets nothing more."""
    waiting = OutboxEmail.objects.filter(user=user, status=Status.READY)
    if kind is not None:
        waiting = waiting.filter(kind=kind)
    return waiting.update(status=Status.CANCELLED, next_attempt_at=None, updated_at=timezone.now())


def outbox_emails_retry(*, emails: QuerySet[OutboxEmail], now: datetime | None = None) -> int:
    """An administrator's "try again" for failed mail (after a long outage, say): each gets a
    fresh ``OUTBOX_MAX_AGE_HOURS``. Sent, waiting and cancelled mail is left as it is."""
    now = now or timezone.now()
    return emails.filter(status=Status.FAILED).update(
        status=Status.READY,
        attempts=0,
        next_attempt_at=now,
        send_until=now + timedelta(hours=settings.OUTBOX_MAX_AGE_HOURS),
        updated_at=now,
    )


# --- Queueing the sender ------------------------------------------------------------------------


def _sender_queue() -> None:
    from core.tasks import outbox_send_task

    try:
        outbox_send_task.apply_async(retry=True, retry_policy=QUEUE_RETRY_POLICY)
    except Exception:
        # Deliberately broad (kombu, redis, socket, DNS errors ...): this runs after the
        # commit, so raising would turn a saved change into an error page (and a retry into a
        # conflict). The mail is safe in the outbox.
        logger.warning(
            "Could not queue the e-mail sender; the outbox sweep will send the mail",
            exc_info=True,
        )


def outbox_sender_queue_on_commit() -> None:
    """Queue a sender when the current transaction commits (at once outside one). Never
    raises, whatever the broker does. A transaction that writes several mails queues several
    senders: they share the work, each row going to whichever claims it first."""
    transaction.on_commit(_sender_queue)


def task_queue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` when the transaction commits; a broker failure is logged, not raised.
    For jobs whose work a periodic run picks up anyway (the digests' fan-out and sender)."""

    def queue():
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=QUEUE_RETRY_POLICY)
        except Exception:  # deliberately broad: see _sender_queue
            logger.warning(
                "Could not queue %s; its periodic run will catch up", task.name, exc_info=True
            )

    transaction.on_commit(queue)


# --- Sending --------------------------------------------------------------------------------------


def outbox_retry_countdown(*, attempt: int) -> float:
    """Seconds before attempt ``attempt + 1``: doubling from ``OUTBOX_RETRY_BASE_SECONDS`` up
    to ``OUTBOX_RETRY_MAX_SECONDS``, with jitter so a recovering server is not hit by every
    waiting mail at once."""
    backoff = min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0),
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )
    return random.uniform(backoff / 2, backoff)


@dataclass
class OutboxSendResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # this attempt failed; tried again later
    given_up: list[int] = field(default_factory=list)  # failed for good


def outbox_message(email: OutboxEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def _refused_for_good(exc: Exception) -> bool:
    """The server refused the address itself (5xx to RCPT TO: no such mailbox, say): trying
    again for days would not change its answer. Everything else may pass."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return all(code >= 500 for code, _message in exc.recipients.values())
    return False


def _record_failure(email: OutboxEmail, exc: Exception, now: datetime, result: OutboxSendResult):
    email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if now >= email.send_until or _refused_for_good(exc):
        email.status = Status.FAILED
        email.next_attempt_at = None
        result.given_up.append(email.pk)
        logger.error(
            "E-mail %s (%s) failed for good after %s attempts: %s",
            email.pk,
            email.kind,
            email.attempts,
            email.last_error,
        )
    else:
        countdown = outbox_retry_countdown(attempt=email.attempts)
        # The last attempt falls on the deadline, so mail is tried for the whole of it.
        email.next_attempt_at = min(now + timedelta(seconds=countdown), email.send_until)
        result.failed.append(email.pk)
        logger.warning(
            "E-mail %s failed (attempt %s), next at %s: %s",
            email.pk,
            email.attempts,
            email.next_attempt_at,
            exc,
        )
    email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"])


def _send_one(pk, connection, open_error, now: datetime, result: OutboxSendResult) -> bool:
    """Send one due mail while holding its row; True if the connection is still usable."""
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True).due(now).filter(pk=pk).first()
        )
        if email is None:  # sent by another sender meanwhile, or being sent right now
            return True
        email.attempts += 1
        if open_error is not None:
            _record_failure(email, open_error, now, result)
            return False
        try:
            connection.send_messages([outbox_message(email, connection)])
        except SEND_ERRORS as exc:
            _record_failure(email, exc, now, result)
            return False
        email.status = Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        fields = ["attempts", "status", "sent_at", "next_attempt_at", "last_error", "updated_at"]
        email.last_error = ""
        if email.kind in OutboxEmail.CREDENTIAL_KINDS:
            # The link sets a password: once sent, the outbox keeps no copy of it.
            email.body_text = email.body_html = ""
            fields += ["body_text", "body_html"]
        email.save(update_fields=fields)
        result.sent.append(pk)
        return True


def outbox_send_ready(
    *, now: datetime | None = None, batch_size: int | None = None
) -> OutboxSendResult:
    """Send every mail whose next attempt is due, ``batch_size`` per SMTP connection."""
    now = now or timezone.now()
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    result = OutboxSendResult()

    def next_batch(tried: set[int]) -> list[int]:
        return list(
            OutboxEmail.objects.due(now)
            .order_by("next_attempt_at", "pk")
            .exclude(pk__in=tried)
            .values_list("pk", flat=True)[:batch_size]
        )

    send_in_batches(
        next_batch=next_batch,
        send_one=lambda pk, connection, open_error: _send_one(
            pk, connection, open_error, now, result
        ),
    )
    return result


def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete sent, failed and cancelled mail older than ``OUTBOX_KEEP_DAYS``: the messages
    hold personal data, and nobody needs them once a month has passed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _by_model = (
        OutboxEmail.objects.filter(created_at__lt=cutoff).exclude(status=Status.READY).delete()
    )
    return deleted


# --- What administrators (and a health check) read ---------------------------------------------


@dataclass(frozen=True)
class OutboxBacklog:
    waiting: int  # not sent yet, still being tried
    failed: int  # given up (kept for OUTBOX_KEEP_DAYS)
    oldest_waiting_since: datetime | None

    def waiting_longer_than(self, seconds: float, *, now: datetime | None = None) -> bool:
        if self.oldest_waiting_since is None:
            return False
        return ((now or timezone.now()) - self.oldest_waiting_since).total_seconds() > seconds


def outbox_backlog() -> OutboxBacklog:
    """How much mail waits and how much failed, in one query (for a /health/ check)."""
    counts = OutboxEmail.objects.filter(status__in=[Status.READY, Status.FAILED]).aggregate(
        waiting=Count("pk", filter=Q(status=Status.READY)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        oldest=Min("created_at", filter=Q(status=Status.READY)),
    )
    return OutboxBacklog(
        waiting=counts["waiting"], failed=counts["failed"], oldest_waiting_since=counts["oldest"]
    )
