"""Editing an interim target agreed up front, while it is not assessed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version

from ..access import phase_can_manage
from ..models import InterimTarget
from .phases import _target_links_check

TARGET_EDIT_FIELDS = ("description", "due_on", "performance_level")


@transaction.atomic
def target_edit(
    *, target: InterimTarget, actor: User, expected_version, milestones, indicators, **fields
) -> InterimTarget:
    """Change the target's terms and links. Refused once it is assessed (met or not met: open
    it again first) and when someone saved it since the form was loaded (stale)."""
    if not phase_can_manage(access_for(actor), target.phase.agreement):
        raise PermissionDenied
    current = (
        InterimTarget.objects.select_for_update()
        .select_related("phase__agreement")
        .get(pk=target.pk)
    )
    check_version(current, expected_version)
    if current.status != InterimTarget.Status.OPEN:
        raise ValidationError(
            _("This target is assessed: open it again before changing it."), code="assessed"
        )
    _target_links_check(current.phase, current.organisation, milestones, indicators)
    for name in TARGET_EDIT_FIELDS:
        setattr(current, name, fields[name])
    current.full_clean()
    current._history_user = actor
    current.save()
    # The links are in the target's history as a saved target (its version moves with them).
    current.milestones.set(milestones)
    current.indicators.set(indicators)
    return current
