from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import TimeStampedModel


class StoredDocument(TimeStampedModel):
    """A file an object carries (a project's plan, an agreement's signed contract), with who
    added it and when. Abstract: each owner adds its foreign key and the ``file`` field with
    its own folder (``core.uploads.stored_upload_name``); the upload checks are the idea
    attachments' (``attachment_check``)."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class Notification(models.Model):
    """An in-app message to one person (idea status, questions, stage changes)."""

    class Kind(models.TextChoices):
        # Every notification without a kind of its own (status changes, questions, stages).
        GENERAL = "general", _("General")
        COMMENT = "comment", _("A new comment in a discussion I take part in")
        MENTION = "mention", _("A comment that mentions me")
        MILESTONE_UPDATED = "milestone_updated", _("A partner updated a milestone")
        MILESTONE_DONE = "milestone_done", _("A partner marked a milestone done")
        MILESTONE_BLOCKED = "milestone_blocked", _("A partner marked a milestone blocked")
        AGREEMENT_CONFIRMED = "agreement_confirmed", _("A partner confirmed an agreement")

    # Kinds a person may switch off one by one (notification settings); "general" stays on.
    # Kept here with the kinds, though two of them are the partners app's news: the settings
    # page and ``notify`` below the partners layer must know them (as OutboxEmail.Kind does).
    SWITCHABLE_KINDS = (Kind.MENTION, Kind.COMMENT)
    LEADER_KINDS = (
        Kind.MILESTONE_UPDATED,
        Kind.MILESTONE_DONE,
        Kind.MILESTONE_BLOCKED,
        Kind.AGREEMENT_CONFIRMED,
    )

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        # The table keeps the name it had when notifications lived in the portfolio app.
        db_table = "portfolio_notification"
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The unread badge in the header: one person's unread messages.
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return self.message


class NotificationKindOff(models.Model):
    """A kind of notification one person switched off: neither in the app nor by e-mail.

    Every kind is on unless a row says otherwise, so a new person (or a new kind) needs no row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_kinds_off",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Notification.Kind.choices)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification kind switched off")
        verbose_name_plural = _("notification kinds switched off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_kind_off_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting mail whose next attempt has come (the sender's query)."""
        return self.filter(status=OutboxEmail.Status.READY, next_attempt_at__lte=now)


class OutboxEmail(TimeStampedModel):
    """One e-mail to one address, written in the same transaction as the change it tells of.

    Nothing sends mail directly: a service writes the rendered message here, and the sender
    (``core.outbox.outbox_send_ready``) sends it, retrying with backoff until ``send_until``.
    A change that rolls back takes its mail with it; a mail whose change committed is sent
    whatever happens to the broker or the SMTP server meanwhile. See README, "E-mail".
    """

    class Status(models.TextChoices):
        READY = "ready", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("Notification")
        INVITATION = "invitation", _("Partner invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    # These carry a link that sets a password: their text is blanked once sent and never shown
    # in the admin, so reading the outbox never lets anyone into someone else's account.
    CREDENTIAL_KINDS = frozenset({Kind.INVITATION, Kind.PASSWORD_RESET})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
        verbose_name=_("person"),
    )
    recipient = models.EmailField(_("recipient"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("plain text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.READY
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    send_until = models.DateTimeField(
        _("tried until"), help_text=_("After this the mail is given up and marked failed.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Set where a caller may run twice for one mail (a redelivered task): the second insert
    # fails on the constraint and nothing is sent twice. Empty for the others.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="outbox_email_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_email_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(next_attempt_at__isnull=False),
                name="outbox_email_ready_has_next_attempt",
            ),
        ]
        indexes = [
            # The sender's query (``due``) and the backlog count: only waiting mail is indexed,
            # so the index stays small however much sent mail the table keeps.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="ready"),
                name="outbox_email_due_idx",
            ),
            # The admin's list filtered by status, newest first; the failed count.
            models.Index(fields=["status", "-created_at"], name="outbox_email_status_idx"),
            # The sweep's purge of old sent and failed mail.
            models.Index(fields=["created_at"], name="outbox_email_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient or '–'} ({self.get_status_display()})"


class PasswordResetRequest(models.Model):
    """An address someone asked a password-reset link for, until the sender has looked it up.

    The reset page writes one of these for every request, whether or not an account has the
    address (the page must not tell, not even by how long it takes); the sender looks the
    address up, writes the mail (if any) into the outbox and deletes the request, in one
    transaction.
    """

    email = models.EmailField(_("e-mail"), max_length=254)
    domain = models.CharField(_("domain"), max_length=255)
    use_https = models.BooleanField(_("HTTPS"), default=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"
