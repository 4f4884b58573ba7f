"""The project's progress roll-up mode and its milestones' weights: written only here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import STALE_MESSAGE, check_version
from partners.models import Milestone
from portfolio.models import Project

from ..access import progress_mode_can_choose
from ..models import MilestoneWeight, ProgressSetting


def weight_field(milestone_id: int) -> str:
    """The form field (and error key) of one milestone's weight."""
    return f"weight_{milestone_id}"


@transaction.atomic
def project_progress_set(
    *, project: Project, actor: User, expected_version, mode: str, weights: dict[int, int]
) -> ProgressSetting:
    """Choose the project's roll-up mode and the weights of its milestones (``{milestone id:
    weight}``). A project that never had a setting is at version 0; a stale form is refused
    with the current values."""
    if not progress_mode_can_choose(access_for(actor), project):
        raise PermissionDenied
    # Lock the project: two leaders saving the first setting at once do not both create it.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    setting = ProgressSetting.objects.select_for_update().filter(project=project).first()
    if setting is not None:
        check_version(setting, expected_version)
    elif str(expected_version).strip() != "0":
        # A form loaded before the first setting existed says 0; anything else does not show
        # what it was based on (or was loaded after a setting that is gone): refused as stale.
        raise ValidationError(STALE_MESSAGE, code="stale")
    if mode not in ProgressSetting.Mode.values:
        raise ValidationError({"mode": _("Choose how the progress rolls up.")})
    milestone_ids = set(Milestone.objects.filter(project=project).values_list("pk", flat=True))
    errors = {}
    for milestone_id, weight in weights.items():
        if milestone_id not in milestone_ids:
            errors["mode"] = _("Choose milestones of this project.")
        elif weight is None or not 1 <= weight <= 100:
            errors[weight_field(milestone_id)] = _("A weight runs from 1 to 100.")
    if errors:
        raise ValidationError(errors)
    setting = setting or ProgressSetting(project=project)
    setting.mode = mode
    setting.full_clean()
    setting._history_user = actor
    setting.save()
    existing = {
        w.milestone_id: w
        for w in MilestoneWeight.objects.select_for_update().filter(milestone__project=project)
    }
    for milestone_id, weight in weights.items():
        row = existing.get(milestone_id)
        if row is None and weight == 1 or row is not None and row.weight == weight:
            continue  # Without a row a milestone weighs 1: nothing to write.
        row = row or MilestoneWeight(milestone_id=milestone_id)
        row.weight = weight
        row.full_clean()
        row._history_user = actor
        row.save()
    return setting
