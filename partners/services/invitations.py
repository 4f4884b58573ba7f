"""A leader invites a partner user; the user sets a password through a one-time link."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.models import User

from ..models import PartnerMembership, PartnerOrganisation
from ..querysets import partner_organisations_visible_to


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
    """Create a partner user without a usable password and e-mail them a link to set one."""
    if not actor.is_leader and not actor.is_superuser:
        raise PermissionDenied
    # A leader may add people only to organisations that are party to their own projects.
    if not partner_organisations_visible_to(actor).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Choose a partner of one of your projects.")})
    email = User.objects.normalize_email(email).strip()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("Someone with this e-mail address already has an account.")}
        )
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

    from ..tasks import send_partner_invitation_task

    transaction.on_commit(lambda: send_partner_invitation_task.delay(user.pk, actor.pk))
    return user


@transaction.atomic
def partner_accept_invitation(*, user: User, password: str) -> User:
    """Set the invited user's first password; this also spends the link (the hash changes)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
