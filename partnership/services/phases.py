"""Phases, their budget ceilings per partner, and interim targets: written only here."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from partners.models import Agreement, PartnerOrganisation

from ..access import phase_can_manage, target_can_assess
from ..models import Instalment, InterimTarget, Phase, PhaseBudget

PHASE_FIELDS = ("name", "starts_on", "ends_on", "currency")


def agreement_partners(agreement: Agreement) -> list[PartnerOrganisation]:
    """The partner organisations party to ``agreement`` (the region is not a partner here)."""
    return list(
        PartnerOrganisation.objects.filter(agreement_parties__agreement=agreement).order_by("name")
    )


def ceiling_field(organisation_id: int) -> str:
    """The form field (and error key) of one partner's budget ceiling."""
    return f"ceiling_{organisation_id}"


def _save_ceilings(phase: Phase, ceilings: dict[int, Decimal], actor: User) -> None:
    partner_ids = {o.pk for o in agreement_partners(phase.agreement)}
    unknown = set(ceilings) - partner_ids
    if unknown:
        raise ValidationError(_("A budget ceiling is given for an organisation not party."))
    committed = dict(
        Instalment.objects.filter(phase=phase)
        .not_cancelled()
        .values("organisation")
        .annotate(total=Sum("amount"))
        .values_list("organisation", "total")
    )
    errors = {}
    existing = {b.organisation_id: b for b in phase.budgets.select_for_update()}
    for organisation_id, ceiling in ceilings.items():
        if ceiling < 0:
            errors[ceiling_field(organisation_id)] = _("A budget ceiling cannot be negative.")
        elif ceiling < committed.get(organisation_id, 0):
            errors[ceiling_field(organisation_id)] = _(
                "The instalments planned for this partner already sum to more."
            )
    if errors:
        raise ValidationError(errors)
    for organisation_id, ceiling in ceilings.items():
        budget = existing.get(organisation_id) or PhaseBudget(
            phase=phase, organisation_id=organisation_id
        )
        if budget.pk and budget.ceiling == ceiling:
            continue
        budget.ceiling = ceiling
        budget.full_clean()
        budget._history_user = actor
        budget.save()


@transaction.atomic
def phase_create(
    *, agreement: Agreement, actor: User, ceilings: dict[int, Decimal], **fields
) -> Phase:
    """Add the next phase (numbered after the last one) with a ceiling per partner."""
    if not phase_can_manage(access_for(actor), agreement):
        raise PermissionDenied
    # Lock the agreement: two leaders adding a phase at once get numbers one after the other.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    last = agreement.phases.aggregate(last=Max("number"))["last"] or 0
    phase = Phase(agreement=agreement, number=last + 1, **{k: fields[k] for k in PHASE_FIELDS})
    phase.full_clean()
    phase._history_user = actor
    phase.save()
    _save_ceilings(phase, ceilings, actor)
    return phase


@transaction.atomic
def phase_edit(
    *,
    phase: Phase,
    actor: User,
    expected_version,
    ceilings: dict[int, Decimal],
    **fields,
) -> Phase:
    """Change the plan of a phase; refused if someone saved it since the form was loaded."""
    if not phase_can_manage(access_for(actor), phase.agreement):
        raise PermissionDenied
    current = Phase.objects.select_for_update().select_related("agreement").get(pk=phase.pk)
    check_version(current, expected_version)
    for name in PHASE_FIELDS:
        setattr(current, name, fields[name])
    current.full_clean()
    current._history_user = actor
    current.save()
    _save_ceilings(current, ceilings, actor)
    return current


TARGET_FIELDS = ("description", "due_on", "performance_level", "organisation")


def _target_links_check(phase: Phase, organisation, milestones, indicators) -> None:
    project_id = phase.agreement.project_id
    errors = {}
    if organisation is not None and organisation.pk not in {
        o.pk for o in agreement_partners(phase.agreement)
    }:
        errors["organisation"] = _("The partner must be party to the agreement.")
    if any(m.project_id != project_id for m in milestones):
        errors["milestones"] = _("Choose milestones of this project.")
    if any(i.project_id != project_id for i in indicators):
        errors["indicators"] = _("Choose value indicators of this project.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_create(
    *, phase: Phase, actor: User, milestones=(), indicators=(), **fields
) -> InterimTarget:
    if not phase_can_manage(access_for(actor), phase.agreement):
        raise PermissionDenied
    _target_links_check(phase, fields.get("organisation"), milestones, indicators)
    target = InterimTarget(phase=phase, **{k: fields.get(k) for k in TARGET_FIELDS})
    target.full_clean()
    target._history_user = actor
    target.save()
    target.milestones.set(milestones)
    target.indicators.set(indicators)
    return target


@transaction.atomic
def target_assess(
    *, target: InterimTarget, actor: User, expected_version, status: str
) -> InterimTarget:
    """Mark a target met or not met (who and when are kept), or open again."""
    if not target_can_assess(access_for(actor), target):
        raise PermissionDenied
    current = InterimTarget.objects.select_for_update().select_related("phase").get(pk=target.pk)
    check_version(current, expected_version)
    if status not in InterimTarget.Status.values:
        raise ValidationError({"status": _("Choose met, not met or open.")})
    if (
        current.status == InterimTarget.Status.MET
        and status != InterimTarget.Status.MET
        and current.instalments.filter(
            status__in=[Instalment.Status.APPROVED, Instalment.Status.PAID]
        ).exists()
    ):
        raise ValidationError(
            {"status": _("An instalment for this target is approved or paid: it stays met.")}
        )
    current.status = status
    if status == InterimTarget.Status.OPEN:
        current.assessed_by, current.assessed_at = None, None
    else:
        current.assessed_by, current.assessed_at = actor, timezone.now()
    current.full_clean()
    current._history_user = actor
    current.save()
    if status == InterimTarget.Status.MET:
        # Its planned instalments are due now (``services.instalments_due``).
        from .instalments_due import instalments_of_target_mark_due

        instalments_of_target_mark_due(current)
    return current
