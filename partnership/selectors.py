"""Reads of the innovation partnership pages, each scoped by the ``visible_to`` query sets."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from clinics.models import User
from partners.models import Agreement, Milestone

from .models import GateDecision, GateOutcome, Instalment, InterimTarget, Phase, PhaseBudget
from .querysets import own_organisation_id


def phase_for_user_or_404(user: User, pk: int) -> Phase:
    return get_object_or_404(
        Phase.objects.visible_to(user).select_related(
            "agreement", "agreement__project", "agreement__project__lead_clinic__region"
        ),
        pk=pk,
    )


def target_for_user_or_404(user: User, pk: int) -> InterimTarget:
    return get_object_or_404(
        InterimTarget.objects.visible_to(user).select_related(
            "phase", "phase__agreement", "phase__agreement__project"
        ),
        pk=pk,
    )


def instalment_for_user_or_404(user: User, pk: int) -> Instalment:
    return get_object_or_404(
        Instalment.objects.visible_to(user).select_related(
            "phase", "phase__agreement", "phase__agreement__project", "target"
        ),
        pk=pk,
    )


def phases_of_agreement(user: User, agreement: Agreement) -> QuerySet[Phase]:
    """The agreement's phases with the budget ceilings the reader may see (a partner: its own)."""
    return (
        Phase.objects.visible_to(user)
        .filter(agreement=agreement)
        .prefetch_related(
            Prefetch(
                "budgets",
                queryset=PhaseBudget.objects.visible_to(user).select_related("organisation"),
                to_attr="visible_budgets",
            )
        )
        .order_by("number")
    )


def _outcomes_visible_to(user: User) -> QuerySet[GateOutcome]:
    outcomes = GateOutcome.objects.select_related("organisation")
    organisation_id = own_organisation_id(user)
    if user.is_partner:
        # A partner reads its own outcome and note, never another partner's.
        return outcomes.filter(organisation=organisation_id)
    return outcomes


def phase_page(user: User, phase: Phase) -> dict:
    """Everything the phase page shows, as the reader may see it (a constant number of
    queries, whatever the number of targets, instalments and decisions)."""
    targets = list(
        InterimTarget.objects.visible_to(user)
        .filter(phase=phase)
        .select_related("organisation", "assessed_by")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.visible_to(user).order_by("due_on"),
            ),
            "indicators",
        )
    )
    decisions = list(
        GateDecision.objects.visible_to(user)
        .filter(phase=phase)
        .select_related("decided_by", "corrects")
        .prefetch_related(
            Prefetch("outcomes", queryset=_outcomes_visible_to(user), to_attr="visible_outcomes")
        )
        .order_by("-decided_at", "-pk")
    )
    # Value indicators are the region's internal measures (partners do not read them on the
    # project page or over the API either): partners see whether a target is met, not the
    # measured values behind it.
    show_indicators = not user.is_partner
    for target in targets:
        target.shown_indicators = list(target.indicators.all()) if show_indicators else []
    visible_target_ids = {t.pk for t in targets}
    corrected_ids = {d.corrects_id for d in decisions if d.corrects_id}
    for decision in decisions:
        decision.is_corrected = decision.pk in corrected_ids
        # The stored evidence names every target; a partner reads only the ones it may see.
        decision.visible_evidence = [
            t if show_indicators else {**t, "indicators": []}
            for t in decision.evidence.get("targets", [])
            if t.get("id") in visible_target_ids
        ]
    return {
        "targets": targets,
        "budgets": list(
            PhaseBudget.objects.visible_to(user).filter(phase=phase).select_related("organisation")
        ),
        "instalments": list(
            Instalment.objects.visible_to(user)
            .filter(phase=phase)
            .select_related("organisation", "target", "approved_by")
        ),
        "decisions": decisions,
        "decision_in_force": next((d for d in decisions if not d.is_corrected), None),
    }
