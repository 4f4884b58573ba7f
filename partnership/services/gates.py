"""Gate decisions at the end of a phase, and what ending a partner's part does.

A decision is final. A correction is a new decision naming the one it corrects; only the
decision in force (the newest of its chain) can be corrected. Ending a partner's part (no-go)
closes its open milestones through the partners app's milestone service (status blocked, with
the decision in the comment: the milestone keeps its history) and cancels its planned and due
instalments in this and later phases. Approved and paid instalments stay: the target behind
them was met, and the region owes or has paid them.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from clinics.selectors import leaders_of_clinic
from core.notifications import notify
from partners.models import Milestone, PartnerMembership, PartnerOrganisation
from partners.services.milestones import milestone_update

from ..access import gate_can_decide
from ..models import GateDecision, GateOutcome, Instalment, InterimTarget, Phase
from .phases import agreement_partners

Outcome = GateOutcome.Outcome


@dataclass(frozen=True)
class PartnerOutcome:
    outcome: str
    note: str = ""


def partners_at_gate(phase: Phase) -> list[PartnerOrganisation]:
    """The partners still in the partnership when ``phase`` ends: those of the agreement that
    no decision in force of an earlier phase has ended."""
    ended = set(
        GateOutcome.objects.filter(
            decision__phase__agreement=phase.agreement_id,
            decision__phase__number__lt=phase.number,
            decision__corrected_by__isnull=True,
            outcome=Outcome.NO_GO,
        ).values_list("organisation", flat=True)
    )
    return [o for o in agreement_partners(phase.agreement) if o.pk not in ended]


def _evidence(phase: Phase) -> dict:
    """The phase's targets and their indicators' measured values, as the leader sees them."""
    targets = InterimTarget.objects.filter(phase=phase).prefetch_related("indicators")
    return {
        "targets": [
            {
                "id": t.pk,
                "description": t.description,
                "organisation": t.organisation_id,
                "performance_level": t.performance_level,
                "status": t.status,
                "indicators": [
                    {
                        "id": i.pk,
                        "name": i.name,
                        "unit": i.unit,
                        "target": str(i.target),
                        "value": None if i.latest_value is None else str(i.latest_value),
                        "measured_on": i.latest_measured_on.isoformat()
                        if i.latest_measured_on
                        else None,
                    }
                    for i in t.indicators.all()
                ],
            }
            for t in targets
        ]
    }


def _end_partner(phase: Phase, organisation_id: int, decision: GateDecision, actor: User) -> None:
    project = phase.agreement.project
    comment = str(
        format_lazy(
            _("The partner's part ended at the gate of phase “{phase}”: {note}"),
            phase=phase.name,
            note=decision.note[:200],
        )
    )
    open_milestones = Milestone.objects.filter(
        project=project, responsible_party=organisation_id
    ).exclude(status__in=[Milestone.Status.DONE, Milestone.Status.BLOCKED])
    for milestone in open_milestones.select_related("project", "project__lead_clinic"):
        milestone_update(
            milestone=milestone,
            actor=actor,
            expected_version=milestone.version,
            status=Milestone.Status.BLOCKED,
            progress=milestone.progress,
            comment=comment,
        )
    for instalment in Instalment.objects.select_for_update().filter(
        phase__agreement=phase.agreement_id,
        phase__number__gte=phase.number,
        organisation=organisation_id,
        status__in=[Instalment.Status.PLANNED, Instalment.Status.DUE],
    ):
        instalment.status = Instalment.Status.CANCELLED
        instalment._history_user = actor
        instalment.save()


def _notify_parties(phase: Phase, decision: GateDecision) -> None:
    """Every party hears of the decision: the partners' users and the steering leaders. The
    message names no partner's outcome: each reads its own on the phase page."""
    project = phase.agreement.project
    recipients = {u.pk: u for u in leaders_of_clinic(project.lead_clinic).filter(is_active=True)}
    if project.owner_id and project.owner.is_active:
        recipients.setdefault(project.owner_id, project.owner)
    organisation_ids = decision.outcomes.values("organisation")
    for membership in PartnerMembership.objects.filter(
        organisation__in=organisation_ids, user__is_active=True
    ).select_related("user"):
        recipients.setdefault(membership.user_id, membership.user)
    message = format_lazy(
        _("A gate decision was taken on phase “{phase}” of “{project}”."),
        phase=phase.name,
        project=project.title,
    )
    url = reverse("partnership:phase_detail", args=[phase.pk])
    for recipient in recipients.values():
        if recipient.pk != decision.decided_by_id:
            notify(recipient=recipient, message=message, url=url)


@transaction.atomic
def gate_decide(
    *,
    phase: Phase,
    actor: User,
    note: str,
    outcomes: dict[int, PartnerOutcome],
    corrects: GateDecision | None = None,
) -> GateDecision:
    """Decide, per partner still in, go / go with conditions / no-go at the end of ``phase``."""
    if not gate_can_decide(access_for(actor), phase):
        raise PermissionDenied
    # One decision at a time per phase: the second leader sees the first one's decision.
    phase = (
        Phase.objects.select_for_update()
        .select_related("agreement__project__lead_clinic", "agreement__project__owner")
        .get(pk=phase.pk)
    )
    in_force = GateDecision.objects.filter(phase=phase).in_force().first()
    if corrects is None and in_force is not None:
        raise ValidationError(
            _("This phase has a gate decision already; correct it instead."), code="decided"
        )
    if corrects is not None and (in_force is None or corrects.pk != in_force.pk):
        raise ValidationError(
            _("Only the decision in force can be corrected; reload the page."), code="stale"
        )
    note = note.strip()
    errors = {}
    if not note:
        errors["note"] = _("Say what was decided and why.")
    partners = partners_at_gate(phase)
    for organisation in partners:
        given = outcomes.get(organisation.pk)
        field = f"outcome_{organisation.pk}"
        if given is None or given.outcome not in Outcome.values:
            errors[field] = _("Choose go, go with conditions or no-go.")
        elif given.outcome == Outcome.GO_WITH_CONDITIONS and not given.note.strip():
            errors[f"note_{organisation.pk}"] = _("State the conditions.")
    if set(outcomes) - {o.pk for o in partners}:
        errors.setdefault("__all__", []).append(
            _("An outcome is given for a partner who is no longer in the partnership.")
        )
    if errors:
        raise ValidationError(errors)
    decision = GateDecision(
        phase=phase,
        note=note,
        decided_by=actor,
        decided_at=timezone.now(),
        corrects=corrects,
        evidence=_evidence(phase),
    )
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    for organisation in partners:
        given = outcomes[organisation.pk]
        outcome = GateOutcome(
            decision=decision,
            organisation=organisation,
            outcome=given.outcome,
            note=given.note.strip(),
        )
        outcome.full_clean()
        outcome._history_user = actor
        outcome.save()
        if given.outcome == Outcome.NO_GO:
            _end_partner(phase, organisation.pk, decision, actor)
    _notify_parties(phase, decision)
    return decision
