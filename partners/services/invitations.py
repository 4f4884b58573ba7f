"""A leader invites a partner user; the user sets a password through a one-time link."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User

from ..access import organisations_invitable_by
from ..models import PartnerMembership, PartnerOrganisation


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
    _invitation_send(user=user, actor=actor)
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
    _invitation_send(user=user, actor=actor)
    return user


def _invitation_send(*, user: User, actor: User) -> None:
    from ..tasks import send_partner_invitation_task

    transaction.on_commit(lambda: send_partner_invitation_task.delay(user.pk, actor.pk))


@transaction.atomic
def partner_accept_invitation(*, user: User, password: str) -> User:
    """Set the invited user's first password; this also spends the link (the hash changes)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
