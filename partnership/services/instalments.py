"""Instalments: payments from the region to a partner, each tied to an interim target.

Status moves only along ``TRANSITIONS``; approving needs the target met. The sum of a
partner's instalments in a phase that are not cancelled stays within the phase's budget
ceiling for that partner: checked here under a lock of the ceiling's row (a clear error next
to the amount), and by the database on PostgreSQL whatever writes the rows (migration 0002).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from core.formatting import format_money
from partners.models import PartnerOrganisation

from ..access import instalment_can_manage
from ..models import Instalment, InterimTarget, Phase, PhaseBudget
from .gates import partners_at_gate

S = Instalment.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PLANNED: (S.DUE, S.CANCELLED),
    S.DUE: (S.APPROVED, S.CANCELLED),
    S.APPROVED: (S.PAID, S.CANCELLED),
    S.PAID: (),
    S.CANCELLED: (),
}


def ceiling_left(phase: Phase, organisation_id: int, *, lock: bool = False) -> Decimal | None:
    """What may still be planned for the partner in the phase; None without a ceiling."""
    budgets = PhaseBudget.objects.filter(phase=phase, organisation=organisation_id)
    if lock:
        budgets = budgets.select_for_update()
    budget = budgets.first()
    if budget is None:
        return None
    committed = (
        Instalment.objects.filter(phase=phase, organisation=organisation_id)
        .not_cancelled()
        .aggregate(total=Sum("amount"))["total"]
    ) or Decimal(0)
    return budget.ceiling - committed


@transaction.atomic
def instalment_create(
    *,
    phase: Phase,
    actor: User,
    target: InterimTarget,
    organisation: PartnerOrganisation,
    amount: Decimal,
    planned_on,
) -> Instalment:
    if not instalment_can_manage(access_for(actor), phase):
        raise PermissionDenied
    errors = {}
    if target.phase_id != phase.pk:
        errors["target"] = _("Choose a target of this phase.")
    elif target.organisation_id not in (None, organisation.pk):
        errors["target"] = _("This target is another partner's.")
    if organisation.pk not in {o.pk for o in partners_at_gate(phase)}:
        errors["organisation"] = _("This partner is no longer in the partnership.")
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be positive.")
    if errors:
        raise ValidationError(errors)
    left = ceiling_left(phase, organisation.pk, lock=True)
    if left is None:
        raise ValidationError({"organisation": _("The phase has no budget for this partner.")})
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "This exceeds the partner's budget ceiling for the phase: %(left)s left."
                )
                % {"left": format_money(max(left, Decimal(0)), phase.currency)}
            },
            code="ceiling",
        )
    instalment = Instalment(
        phase=phase,
        target=target,
        organisation=organisation,
        amount=amount,
        planned_on=planned_on,
    )
    instalment.full_clean()
    instalment._history_user = actor
    instalment.save()
    return instalment


@transaction.atomic
def instalment_transition(
    *, instalment: Instalment, actor: User, expected_version, to_status: str
) -> Instalment:
    """Move an instalment one step: due, approved (its target met), paid, or cancelled."""
    if not instalment_can_manage(access_for(actor), instalment.phase):
        raise PermissionDenied
    current = (
        Instalment.objects.select_for_update()
        .select_related("target", "phase")
        .get(pk=instalment.pk)
    )
    check_version(current, expected_version)
    if to_status not in TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            {
                "status": _("An instalment that is %(status)s cannot become %(new)s.")
                % {
                    "status": current.get_status_display().lower(),
                    "new": str(dict(S.choices).get(to_status, to_status)).lower(),
                }
            },
            code="transition",
        )
    if to_status == S.APPROVED:
        if current.target.status != InterimTarget.Status.MET:
            raise ValidationError(
                {"status": _("Mark the interim target met before approving the instalment.")},
                code="target_not_met",
            )
        current.approved_by, current.approved_at = actor, timezone.now()
    if to_status == S.PAID:
        current.paid_on = timezone.localdate()
    current.status = to_status
    current.full_clean()
    current._history_user = actor
    current.save()
    return current
