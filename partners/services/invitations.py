"""A leader invites a partner user; the user sets a password through a one-time link."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.models import OutboxEmail
from core.outbox import outbox_email_add, outbox_emails_cancel

from ..access import organisations_invitable_by
from ..models import PartnerMembership, PartnerOrganisation
from ..tokens import invitation_token_generator


@transaction.atomic
def partner_invite(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    organisation: PartnerOrganisation,
    preferred_language: str = "",
) -> User:
    """Create a partner user without a usable password and e-mail them a link to set one.

    Inviting someone again who was invited to the same organisation but never set a password
    sends them a new link (the old ones stop working): an expired link is not a dead end.
    """
    access = access_for(actor)
    if not access.is_leader:
        raise PermissionDenied
    # A leader may add people only to organisations party to a project they steer: an account
    # reads every project of its organisation, so inviting is a steering right.
    if not organisations_invitable_by(access).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Choose a partner of one of your projects.")})
    email = User.objects.normalize_email(email).strip()
    existing = User.objects.filter(
        Q(email__iexact=email) | Q(username__iexact=email)
    ).select_related("partner_membership")
    if existing:
        pending = _pending_invitee(list(existing), organisation)
        if pending is None:
            raise ValidationError(
                {"email": _("Someone with this e-mail address already has an account.")}
            )
        return _invitation_resend(user=pending, actor=actor)
    user = User(
        username=email.lower(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=User.Role.PARTNER,
        preferred_language=preferred_language,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    PartnerMembership.objects.create(user=user, organisation=organisation)
    partner_invitation_email_add(user=user, actor=actor)
    return user


def _pending_invitee(people: list[User], organisation: PartnerOrganisation) -> User | None:
    """The one person behind the address if they are an invited partner user of this
    organisation who has not set a password yet (their link expired or got lost)."""
    if len(people) != 1:
        return None
    person = people[0]
    membership = getattr(person, "partner_membership", None)
    if (
        person.is_active
        and person.is_partner
        and not person.has_usable_password()
        and membership is not None
        and membership.organisation_id == organisation.pk
    ):
        return person
    return None


def _invitation_resend(*, user: User, actor: User) -> User:
    """A new link for an invitee who never set a password. A fresh unusable password changes
    what the links' tokens hash, so every earlier link stops working."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    partner_invitation_email_add(user=user, actor=actor)
    return user


def partner_invitation_email_add(*, user: User, actor: User | None) -> None:
    """Write the invitation, with its link, into the outbox in the invitation's transaction.

    The link's time limit counts from here; the mail normally leaves within seconds, and an
    outage of the mail server (retried for OUTBOX_MAX_AGE_HOURS) costs it at most that much of
    its days. A resend replaces any earlier invitation still waiting: its link no longer works.
    """
    outbox_emails_cancel(user=user, kind=OutboxEmail.Kind.INVITATION)
    membership = PartnerMembership.objects.select_related("organisation").get(user=user)
    # Partner engagement counts from the latest invitation (an unused one is a needing-action).
    membership.invited_at = timezone.now()
    membership.save(update_fields=["invited_at", "updated_at"])
    path = reverse(
        "partners:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    days = max(settings.PARTNER_INVITATION_TIMEOUT // 86400, 1)
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = gettext(
            "%(inviter)s has invited you to Partnerskap as a user for %(organisation)s.\n\n"
            "Set your password here (the link works once, for %(days)s days):\n%(link)s\n\n"
            "Your user name is %(username)s."
        ) % {
            "inviter": actor or "Partnerskap",
            "organisation": membership.organisation,
            "days": days,
            "link": f"{settings.SITE_URL.rstrip('/')}{path}",
            "username": user.username,
        }
        subject = gettext("Partnerskap: you are invited")
    outbox_email_add(
        kind=OutboxEmail.Kind.INVITATION,
        user=user,
        recipient=user.email,
        subject=subject,
        body_text=body,
        language=language,
    )


@transaction.atomic
def partner_accept_invitation(*, user: User, password: str) -> User:
    """Set the invited user's first password; this also spends the link (the hash changes)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
