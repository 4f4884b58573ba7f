"""Scale-up decisions: scale up to named clinics, continue piloting, or phase out.

Taken like a gate decision (``partnership.services.gates``): final, with who, when, a note and
the evidence (the comparison across clinics as it was). A correction is a new decision naming
the one in force. Scaling up plans an adoption for each named clinic that has none. The
project's team and the leaders who steer it hear of it in the application.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import Clinic, User
from clinics.selectors import leaders_of_clinic
from core.notifications import notify
from portfolio.models import Project
from portfolio.selectors.team import project_team_users

from ..access import scale_decision_can_take
from ..models import ScaleDecision
from ..selectors import comparison_evidence, project_comparison
from .adoptions import adoptions_plan_for_clinics

Outcome = ScaleDecision.Outcome


def _notify(project: Project, decision: ScaleDecision) -> None:
    recipients = {u.pk: u for u in leaders_of_clinic(project.lead_clinic)}
    for user in project_team_users(project):
        recipients.setdefault(user.pk, user)
    if project.owner.is_active:
        recipients.setdefault(project.owner_id, project.owner)
    message = format_lazy(
        _("A scale-up decision was taken on “{project}”: {outcome}."),
        project=project.title,
        outcome=Outcome(decision.outcome).label,
    )
    url = reverse("evidence:project_adoptions", args=[project.pk])
    for recipient in recipients.values():
        if recipient.pk != decision.decided_by_id:
            notify(recipient=recipient, message=message, url=url)


@transaction.atomic
def scale_decide(
    *,
    project: Project,
    actor: User,
    outcome: str,
    note: str,
    clinics: list[Clinic] = (),
    corrects: ScaleDecision | None = None,
) -> ScaleDecision:
    if not scale_decision_can_take(access_for(actor), project):
        raise PermissionDenied
    # One decision at a time per project: the second leader sees the first one's.
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("lead_clinic__region", "owner")
        .get(pk=project.pk)
    )
    in_force = ScaleDecision.objects.filter(project=project).in_force().order_by("-pk").first()
    if corrects is not None and (in_force is None or corrects.pk != in_force.pk):
        raise ValidationError(
            _("Only the decision in force can be corrected; reload the page."), code="stale"
        )
    if corrects is None and in_force is not None:
        raise ValidationError(
            _("This project has a scale-up decision already; correct it instead."),
            code="decided",
        )
    clinics = list(clinics)
    errors = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Say what was decided and why.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose scale up, continue piloting or phase out.")
    elif outcome == Outcome.SCALE_UP:
        if not clinics:
            errors["clinics"] = _("Name the clinics to scale up to.")
        elif any(
            c.pk == project.lead_clinic_id or c.region_id != project.lead_clinic.region_id
            for c in clinics
        ):
            errors["clinics"] = _(
                "Name clinics of the project's region other than the pilot clinic."
            )
    elif clinics:
        errors["clinics"] = _("Clinics are named only when scaling up.")
    if errors:
        raise ValidationError(errors)
    decision = ScaleDecision(
        project=project,
        outcome=outcome,
        note=note,
        decided_by=actor,
        decided_at=timezone.now(),
        corrects=corrects,
        evidence=comparison_evidence(project_comparison(project)),
    )
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    decision.clinics.set(clinics)
    if outcome == Outcome.SCALE_UP:
        adoptions_plan_for_clinics(project=project, clinics=clinics, actor=actor)
    _notify(project, decision)
    return decision
