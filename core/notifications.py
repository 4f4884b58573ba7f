"""Tell a person what happened: in the app and by e-mail, as each person prefers."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from clinics.models import User
from core.models import Notification, NotificationKindOff, OutboxEmail
from core.outbox import outbox_email_add


def notify(
    *, recipient: User, message, url: str = "", kind: str = Notification.Kind.GENERAL
) -> Notification | None:
    """Notify ``recipient``. ``message`` may be lazy: it is rendered in the recipient's language.

    The in-app message is stored only if they want in-app notifications; the e-mail is written
    to the outbox, in the caller's transaction, only if they want e-mail and have an address.
    Nothing at all if they switched this ``kind`` off (``notification_kinds_update``).
    """
    if not recipient.is_active:
        return None
    if (
        kind != Notification.Kind.GENERAL
        and NotificationKindOff.objects.filter(user=recipient, kind=kind).exists()
    ):
        return None
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = str(message)
    notification = None
    with transaction.atomic():
        if recipient.notify_in_app:
            notification = Notification.objects.create(
                recipient=recipient, message=text[:300], url=url[:300], kind=kind
            )
        if recipient.notify_by_email and recipient.email:
            notification_email_add(recipient=recipient, text=text, url=url)
    return notification


def notification_email_add(
    *, recipient: User, text: str, url: str = "", idempotency_key: str | None = None
) -> OutboxEmail:
    """The notification e-mail, in the recipient's language, into the outbox."""
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
        body = f"{text}\n\n{link}\n\n" + _(
            "You get this e-mail because notifications by e-mail are on in Partnerskap."
        )
        # One line, and short: a line break in a header is refused (BadHeaderError), and a
        # title or a project name in the text may hold one from before titles were checked.
        subject = " ".join(f"Partnerskap: {text}".split())[:130]
    return outbox_email_add(
        kind=OutboxEmail.Kind.NOTIFICATION,
        user=recipient,
        recipient=recipient.email,
        subject=subject,
        body_text=body,
        language=language,
        idempotency_key=idempotency_key,
    )


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


def notification_kinds_for(user: User) -> tuple[str, ...]:
    """The kinds a person may switch on and off: everyone's, and the leaders' own."""
    kinds = Notification.SWITCHABLE_KINDS
    if user.is_leader:
        kinds += Notification.LEADER_KINDS
    return kinds


def notification_kinds_off(user: User) -> set[str]:
    return set(NotificationKindOff.objects.filter(user=user).values_list("kind", flat=True))


@transaction.atomic
def notification_kinds_update(*, user: User, enabled: dict[str, bool]) -> None:
    """Switch the kinds in ``enabled`` on (True) or off (False); others stay as they are.
    Only kinds the person may switch (``notification_kinds_for``) are taken."""
    allowed = set(notification_kinds_for(user))
    off = [kind for kind, on in enabled.items() if kind in allowed and not on]
    on = [kind for kind, is_on in enabled.items() if kind in allowed and is_on]
    NotificationKindOff.objects.filter(user=user, kind__in=on).delete()
    existing = notification_kinds_off(user)
    NotificationKindOff.objects.bulk_create(
        [NotificationKindOff(user=user, kind=kind) for kind in off if kind not in existing]
    )
