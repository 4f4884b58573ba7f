"""Factories of the innovation partnership tests."""

from datetime import date
from decimal import Decimal

from partnership.models import Instalment, InterimTarget, Phase, PhaseBudget


def phase_with_budgets(agreement, *, number=1, name="Research", ceilings=None, **kwargs):
    """A phase of ``agreement`` with a budget ceiling per organisation (``{org: amount}``)."""
    phase = Phase.objects.create(
        agreement=agreement,
        number=number,
        name=name,
        starts_on=kwargs.pop("starts_on", date(2026, 1, 1)),
        ends_on=kwargs.pop("ends_on", date(2026, 6, 30)),
        **kwargs,
    )
    for organisation, ceiling in (ceilings or {}).items():
        PhaseBudget.objects.create(phase=phase, organisation=organisation, ceiling=Decimal(ceiling))
    return phase


def target_of(phase, organisation=None, **kwargs):
    return InterimTarget.objects.create(
        phase=phase,
        organisation=organisation,
        description=kwargs.pop("description", "Prototype tested with ten patients"),
        due_on=kwargs.pop("due_on", date(2026, 4, 1)),
        performance_level=kwargs.pop("performance_level", "8 of 10 patients complete triage"),
        **kwargs,
    )


def instalment_of(target, organisation, amount="1000", **kwargs):
    return Instalment.objects.create(
        phase=target.phase,
        target=target,
        organisation=organisation,
        amount=Decimal(amount),
        planned_on=kwargs.pop("planned_on", date(2026, 4, 15)),
        **kwargs,
    )
