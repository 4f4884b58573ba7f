"""Reads of the contributions page, the state-aid account and the "behind plan" line, each
scoped by ``Contribution.objects.visible_to`` (a partner: its own party only)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from clinics.models import User
from partners.models import Agreement, AgreementParty

from .models import Instalment
from .models_contributions import Contribution
from .querysets import own_organisation_id

K = Contribution.Kind
ZERO = Decimal(0)
# Behind plan: actual below this share of what was planned to date (the digest, dashboard).
BEHIND_PLAN_SHARE = Decimal("0.8")


@dataclass
class KindFigures:
    kind: str
    label: str
    planned: Decimal | None = None  # None: no plan for this kind
    planned_hours: Decimal | None = None
    plan: Contribution | None = None
    actual: Decimal = ZERO
    actual_hours: Decimal = ZERO

    @property
    def has_plan(self) -> bool:
        return self.planned is not None

    @property
    def difference(self) -> Decimal | None:
        return None if self.planned is None else self.actual - self.planned

    @property
    def percent(self) -> Decimal | None:
        """Actual as a percentage of planned; None without a plan (or a plan of nothing)."""
        if not self.planned:
            return None
        return (self.actual * 100 / self.planned).quantize(Decimal("0.1"))


@dataclass
class PartyFigures:
    party: AgreementParty
    name: str
    kinds: list[KindFigures] = field(default_factory=list)
    advantage: Decimal = ZERO  # instalments paid to the party (the state-aid account)

    @property
    def planned(self) -> Decimal | None:
        planned = [k.planned for k in self.kinds if k.planned is not None]
        return sum(planned, ZERO) if planned else None

    @property
    def actual(self) -> Decimal:
        return sum((k.actual for k in self.kinds), ZERO)

    @property
    def difference(self) -> Decimal | None:
        planned = self.planned
        return None if planned is None else self.actual - planned

    @property
    def percent(self) -> Decimal | None:
        planned = self.planned
        if not planned:
            return None
        return (self.actual * 100 / planned).quantize(Decimal("0.1"))


def contribution_for_user_or_404(user: User, pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.visible_to(user).select_related(
            "party__organisation", "party__agreement__project__lead_clinic__region"
        ),
        pk=pk,
    )


def party_for_user_or_404(user: User, pk: int) -> AgreementParty:
    """A party of an agreement the person reads; a partner user reaches its own party only."""
    parties = AgreementParty.objects.filter(
        agreement__in=Agreement.objects.visible_to(user)
    ).select_related("organisation", "agreement__project__lead_clinic__region")
    if user.is_authenticated and user.is_partner and not user.is_superuser:
        parties = parties.filter(organisation=own_organisation_id(user))
    return get_object_or_404(parties, pk=pk)


def visible_parties(user: User, agreement: Agreement) -> list[AgreementParty]:
    """The agreement's parties whose figures the reader may see: a partner, its own."""
    parties = agreement.parties.select_related("organisation", "agreement__project__lead_clinic")
    if user.is_partner and not user.is_superuser:
        parties = parties.filter(organisation=own_organisation_id(user))
    region_name = str(agreement.project.lead_clinic.region)
    rows = list(parties)
    # The region first, then the partners by name.
    rows.sort(
        key=lambda p: (
            p.organisation_id is not None,
            p.organisation.name if p.organisation_id else "",
        )
    )
    for party in rows:
        party.shown_name = party.organisation.name if party.organisation_id else region_name
    return rows


def _figures(parties: list[AgreementParty], rows: QuerySet[Contribution], on: date | None):
    """Planned and actual per party and kind: one grouped query for the sums, one for the plans
    (with their versions, for the edit links)."""
    actual_q = Q(record="actual")
    if on is not None:
        actual_q &= Q(contributed_on__lte=on)
    party_ids = [p.pk for p in parties]
    sums = {
        (row["party"], row["kind"]): row
        for row in rows.filter(actual_q, party__in=party_ids)
        .values("party", "kind")
        .annotate(value=Sum("value"), hours=Sum("hours"))
        .order_by()
    }
    plans = {
        (plan.party_id, plan.kind): plan for plan in rows.filter(party__in=party_ids).planned()
    }
    result = []
    for party in parties:
        figures = PartyFigures(party=party, name=party.shown_name)
        for kind, label in K.choices:
            plan = plans.get((party.pk, kind))
            done = sums.get((party.pk, kind), {})
            figures.kinds.append(
                KindFigures(
                    kind=kind,
                    label=label,
                    plan=plan,
                    planned=plan.value if plan else None,
                    planned_hours=plan.hours if plan else None,
                    actual=done.get("value") or ZERO,
                    actual_hours=done.get("hours") or ZERO,
                )
            )
        result.append(figures)
    return result


def contributions_page(user: User, agreement: Agreement) -> dict:
    """Planned vs actual per party and kind, and the actual contributions, as the reader may
    see them (a constant number of queries, whatever the number of rows)."""
    parties = visible_parties(user, agreement)
    rows = Contribution.objects.visible_to(user).filter(party__agreement=agreement)
    return {
        "parties": _figures(parties, rows, None),
        "actuals": list(
            rows.actual()
            .select_related(
                "party__organisation", "party__agreement__project", "recorded_by", "document"
            )
            .order_by("-contributed_on", "-pk")
        ),
    }


def state_aid_account(user: User, agreement: Agreement, on: date) -> list[PartyFigures]:
    """Per party: the plan, what it actually put in up to ``on``, and the advantage it had from
    the region up to ``on`` (instalments paid to it under the agreement's phases)."""
    parties = visible_parties(user, agreement)
    rows = Contribution.objects.visible_to(user).filter(party__agreement=agreement)
    figures = _figures(parties, rows, on)
    paid = dict(
        Instalment.objects.visible_to(user)
        .filter(phase__agreement=agreement, status="paid", paid_on__lte=on)
        .values("organisation")
        .annotate(total=Sum("amount"))
        .values_list("organisation", "total")
        .order_by()
    )
    for party in figures:
        party.advantage = paid.get(party.party.organisation_id, ZERO) or ZERO
    return figures


def planned_to_date(planned: Decimal, starts_on: date, ends_on: date, today: date) -> Decimal:
    """The share of ``planned`` due by ``today``: pro rata to the agreement's elapsed time."""
    if today >= ends_on:
        return planned
    if today < starts_on:
        return ZERO
    total_days = (ends_on - starts_on).days + 1
    elapsed = (today - starts_on).days + 1
    return planned * elapsed / total_days


@dataclass
class BehindPlan:
    agreement_id: int
    project_title: str
    party_name: str
    planned_to_date: Decimal
    actual: Decimal
    currency: str

    @property
    def percent(self) -> Decimal:
        return (self.actual * 100 / self.planned_to_date).quantize(Decimal("0.1"))


def contributions_behind_plan(agreements: QuerySet[Agreement], today: date) -> list[BehindPlan]:
    """Parties of ``agreements`` (running, with a start and an end) whose actual contributions
    so far are below 80 % of their plan pro rata to the agreement's elapsed time. One query
    whatever the number of rows: the sums per party and record, with the agreement's dates,
    its project's title and its region's name alongside."""
    from portfolio.models import Project

    running = agreements.filter(
        project__stage__in=Project.ACTIVE_STAGES,
        status__in=[Agreement.Status.SIGNED, Agreement.Status.ACTIVE],
        starts_on__isnull=False,
        ends_on__isnull=False,
        starts_on__lte=today,
    )
    sums = (
        Contribution.objects.filter(party__agreement__in=running)
        .filter(Q(record="planned") | Q(contributed_on__lte=today))
        .values(
            "party",
            "party__agreement",
            "party__agreement__starts_on",
            "party__agreement__ends_on",
            "party__agreement__project__title",
            "party__agreement__project__lead_clinic__region__name",
            "party__organisation__name",
            "record",
            "currency",
        )
        .annotate(value=Sum("value"))
        .order_by()
    )
    by_party: dict[tuple, dict] = {}
    for row in sums:
        key = (row["party__agreement"], row["party"], row["currency"])
        by_party.setdefault(key, {"row": row})[row["record"]] = row["value"] or ZERO
    behind = []
    for values in by_party.values():
        planned = values.get("planned")
        if not planned:
            continue
        row = values["row"]
        expected = planned_to_date(
            planned, row["party__agreement__starts_on"], row["party__agreement__ends_on"], today
        )
        actual = values.get("actual", ZERO)
        if expected > 0 and actual < expected * BEHIND_PLAN_SHARE:
            behind.append(
                BehindPlan(
                    agreement_id=row["party__agreement"],
                    project_title=row["party__agreement__project__title"],
                    party_name=row["party__organisation__name"]
                    or row["party__agreement__project__lead_clinic__region__name"],
                    planned_to_date=expected.quantize(Decimal("0.01")),
                    actual=actual,
                    currency=row["currency"],
                )
            )
    behind.sort(key=lambda b: (b.agreement_id, b.party_name))
    return behind


def contributions_against_plan(user: User, pairs: list[tuple[int, int]]) -> dict:
    """Planned and actual contributions per (organisation, project) of ``pairs`` and currency,
    of the current agreements (and drafts) of those projects, as ``user`` may read them
    (``Contribution.objects.visible_to``): ``{(organisation_id, project_id): {currency:
    {"planned": Decimal | None, "actual": Decimal}}}``; ``planned`` is None without a plan.
    One query whatever the number of pairs (for partner engagement)."""
    if not pairs:
        return {}
    organisations = {organisation for organisation, _project in pairs}
    projects = {project for _organisation, project in pairs}
    wanted = set(pairs)
    sums = (
        Contribution.objects.visible_to(user)
        .filter(
            party__organisation__in=organisations,
            party__agreement__project__in=projects,
            party__agreement__in=Agreement.objects.current_or_draft(),
        )
        .values("party__organisation", "party__agreement__project", "currency", "record")
        .annotate(value=Sum("value"))
        .order_by()
    )
    result: dict = {}
    for row in sums:
        key = (row["party__organisation"], row["party__agreement__project"])
        if key not in wanted:
            continue
        figures = result.setdefault(key, {}).setdefault(
            row["currency"], {"planned": None, "actual": ZERO}
        )
        if row["record"] == Contribution.Record.PLANNED:
            figures["planned"] = row["value"] or ZERO
        else:
            figures["actual"] = row["value"] or ZERO
    return result
