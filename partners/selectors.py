"""Reads of the partners app, always scoped through the ``visible_to`` query sets."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import User
from portfolio.models import Project

from .ledger import split_by_shares
from .models import (
    Agreement,
    AgreementParty,
    IncomeEntry,
    Milestone,
    MilestoneUpdate,
    PartnerOrganisation,
)
from .querysets import (
    milestone_overdue_q,
    milestone_pending_q,
    partner_organisation_id,
    partner_organisations_visible_to,
)

DUE_SOON_DAYS = 14


# --- Access: one function per object, 404 alike for "missing" and "not yours" ----------------
def project_for_user_or_404(user: User, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("lead_clinic", "lead_clinic__region"),
        pk=pk,
    )


def milestone_for_user_or_404(user: User, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.visible_to(user).select_related(
            "project",
            "project__lead_clinic",
            "project__lead_clinic__region",
            "project__owner",
            "responsible_party",
            "responsible_leader",
            "confirmed_by",
        ),
        pk=pk,
    )


def milestone_update_for_user_or_404(user: User, pk: int) -> MilestoneUpdate:
    """An evidence file is exactly as visible as its milestone."""
    return get_object_or_404(
        MilestoneUpdate.objects.filter(milestone__in=Milestone.objects.visible_to(user)).exclude(
            evidence=""
        ),
        pk=pk,
    )


def agreement_for_user_or_404(user: User, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(user).select_related(
            "project", "project__lead_clinic__region", "created_by", "previous_version"
        ),
        pk=pk,
    )


def organisation_for_user_or_404(user: User, pk: int) -> PartnerOrganisation:
    return get_object_or_404(partner_organisations_visible_to(user), pk=pk)


# --- Lists -------------------------------------------------------------------------------------
def milestones_by_urgency(queryset, today=None):
    """Overdue first, then due within two weeks, then the rest; done last."""
    today = today or timezone.localdate()
    return queryset.annotate(
        urgency=Case(
            When(status=Milestone.Status.DONE, then=Value(3)),
            When(milestone_overdue_q(today), then=Value(0)),
            When(due_on__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "due_on", "pk")


# The partner start page: what needs the organisation's action first, a few rows each (the
# rest is one click away in the filtered list), then the milestones and projects a page at a time.
ACTION_ROWS = 5


@dataclass
class PartnerActions:
    """What waits for the partner's organisation: its open milestones that are overdue, due
    within ``DUE_SOON_DAYS`` or blocked, and agreement versions it has not confirmed. Each list
    holds at most ``ACTION_ROWS``; the counts say how many there are in all."""

    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    agreements_to_confirm: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return any(self.counts.values())


@dataclass
class PartnerHome:
    organisation: PartnerOrganisation | None
    actions: PartnerActions = field(default_factory=PartnerActions)


@dataclass(frozen=True)
class PartnerMilestoneFilters:
    q: str = ""
    status: str = ""
    due: str = ""
    project: int | None = None


def partner_home(user: User, today=None) -> PartnerHome:
    """A partner user's start page: what needs their organisation's action.

    Five queries, however many projects and milestones the organisation has: the counts in
    one pass of conditional aggregates, then ``ACTION_ROWS`` of each list.
    """
    membership = user.partner_membership if hasattr(user, "partner_membership") else None
    if membership is None:
        return PartnerHome(organisation=None)
    today = today or timezone.localdate()
    soon = Q(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
    # "Our" milestones: those the organisation answers for, the only ones it may update.
    ours = Milestone.objects.visible_to(user).filter(responsible_party=membership.organisation_id)
    conditions = {
        "overdue": milestone_overdue_q(today),
        "due_soon": milestone_pending_q() & soon,
        "blocked": milestone_pending_q() & Q(status=Milestone.Status.BLOCKED),
    }
    # Only open milestones due within the fortnight or blocked can count: a range of the
    # organisation's open-milestone index, not all its milestones.
    candidates = ours.exclude(status=Milestone.Status.DONE).filter(
        Q(due_on__lte=today + timedelta(days=DUE_SOON_DAYS)) | Q(status=Milestone.Status.BLOCKED)
    )
    counts = candidates.aggregate(**{name: Count("pk", filter=q) for name, q in conditions.items()})
    to_confirm = agreements_to_confirm(user)
    counts["agreements_to_confirm"] = to_confirm.count()

    def first_rows(condition):
        return list(ours.filter(condition).with_related().order_by("due_on", "pk")[:ACTION_ROWS])

    return PartnerHome(
        organisation=membership.organisation,
        actions=PartnerActions(
            overdue=first_rows(conditions["overdue"]),
            due_soon=first_rows(conditions["due_soon"]),
            blocked=first_rows(conditions["blocked"]),
            agreements_to_confirm=list(to_confirm[:ACTION_ROWS]),
            counts=counts,
        ),
    )


def agreements_to_confirm(user: User):
    """Current agreement versions proposed to the partner's organisation that it has not
    confirmed yet (``agreement_can_confirm``), oldest proposal first."""
    organisation_id = partner_organisation_id(user)
    if organisation_id is None:
        return Agreement.objects.none()
    return (
        Agreement.objects.visible_to(user)
        .current()
        .filter(
            status=Agreement.Status.PROPOSED,
            parties__organisation=organisation_id,
            parties__confirmed_at__isnull=True,
        )
        .select_related("project")
        .order_by("proposed_at", "pk")
    )


def partner_milestones(user: User, filters: PartnerMilestoneFilters, today=None):
    """The milestones of the partner's projects, narrowed by the start page's filters, most
    urgent first; without a status, the open ones (not done, of a running project). A query
    set: the page takes one page of it."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.visible_to(user)
    if filters.project:
        milestones = milestones.filter(project=filters.project)
    if filters.due == "overdue":
        milestones = milestones.filter(milestone_overdue_q(today))
    elif filters.due == "soon":
        milestones = milestones.filter(milestone_pending_q()).filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
    if filters.q:
        milestones = milestones.filter(
            Q(title__icontains=filters.q) | Q(project__title__icontains=filters.q)
        )
    milestones = milestones.with_related()
    if filters.status == "all":
        return milestones_by_urgency(milestones, today)
    if filters.status:
        milestones = milestones.filter(status=filters.status)
    else:
        # Open milestones by due date: overdue, then due soon, then the rest, which is the
        # urgency order without computing it per row, so one page of it is read off an index.
        milestones = milestones.filter(milestone_pending_q())
    return milestones.order_by("due_on", "pk")


def partner_projects(user: User):
    """The projects the partner's organisation is party to, by title (a page at a time)."""
    return Project.objects.visible_to(user).select_related("lead_clinic").order_by("title", "pk")


def milestone_history(milestone: Milestone) -> list[MilestoneUpdate]:
    """The milestone's history, newest first, each entry with readable ``change_lines``."""
    return describe_changes(list(milestone.updates.select_related("author")))


def describe_changes(updates: list[MilestoneUpdate]) -> list[MilestoneUpdate]:
    """Attach ``change_lines`` [(field label, old, new)] in words, not ids (two queries at most)."""
    party_ids, leader_ids = set(), set()
    for update in updates:
        party_ids.update(v for v in update.changes.get("responsible_party", []) if v)
        leader_ids.update(v for v in update.changes.get("responsible_leader", []) if v)
    parties = (
        dict(PartnerOrganisation.objects.filter(pk__in=party_ids).values_list("pk", "name"))
        if party_ids
        else {}
    )
    leaders = {u.pk: str(u) for u in User.objects.filter(pk__in=leader_ids)} if leader_ids else {}
    region = _("The region")
    readers = {
        "status": lambda v: Milestone.Status(v).label if v in Milestone.Status.values else v,
        "progress": lambda v: f"{v} %",
        "responsible_party": lambda v: parties.get(v, region) if v else region,
        "responsible_leader": lambda v: leaders.get(v, "–") if v else "–",
    }
    for update in updates:
        lines = []
        for name, pair in update.changes.items():
            try:
                label = Milestone._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = name
            old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            read = readers.get(name, lambda v: "–" if v in (None, "") else v)
            lines.append((label, read(old), read(new)))
        update.change_lines = lines
    return updates


def project_milestones(user: User, project: Project):
    return milestones_by_urgency(
        Milestone.objects.visible_to(user).filter(project=project).with_related()
    )


def project_agreements(user: User, project: Project):
    return Agreement.objects.visible_to(user).filter(project=project).order_by("title", "-version")


def agreement_parties(agreement: Agreement) -> list[AgreementParty]:
    return list(
        agreement.parties.select_related("organisation", "confirmed_by").order_by(
            F("organisation__name").asc(nulls_first=True)
        )
    )


def agreement_versions(user: User, agreement: Agreement) -> list[Agreement]:
    """Every version of this agreement the person may read, newest first (one query)."""
    by_pk = {
        a.pk: a for a in Agreement.objects.visible_to(user).filter(project=agreement.project_id)
    }
    chain = [agreement]
    seen = {agreement.pk}
    cursor = agreement
    while cursor.previous_version_id in by_pk and cursor.previous_version_id not in seen:
        cursor = by_pk[cursor.previous_version_id]
        chain.append(cursor)
        seen.add(cursor.pk)
    newer = {a.previous_version_id: a for a in by_pk.values() if a.previous_version_id}
    cursor = agreement
    while cursor.pk in newer and newer[cursor.pk].pk not in seen:
        cursor = newer[cursor.pk]
        chain.insert(0, cursor)
        seen.add(cursor.pk)
    return chain


@dataclass
class LedgerLine:
    income: IncomeEntry
    split: list  # [(party, amount)]
    region_share: Decimal
    reinvested: Decimal
    reinvestments: list


def agreement_ledger(agreement: Agreement, parties: list[AgreementParty]):
    """IP items, and each income entry split between the parties by their value shares."""
    ip_items = list(agreement.ip_items.all())
    entries = agreement.income.select_related("ip_item").prefetch_related(
        Prefetch("reinvestments", queryset=_reinvestments())
    )
    shares = [(party.pk, party.value_share) for party in parties]
    region = next((p for p in parties if p.organisation_id is None), None)
    lines = []
    for entry in entries:
        parts = split_by_shares(entry.amount, shares)
        reinvestments = list(entry.reinvestments.all())
        lines.append(
            LedgerLine(
                income=entry,
                split=[(party, parts[party.pk]) for party in parties],
                region_share=parts[region.pk] if region else Decimal("0.00"),
                reinvested=sum((r.amount for r in reinvestments), Decimal(0)),
                reinvestments=reinvestments,
            )
        )
    return ip_items, lines


def _reinvestments():
    from .models import Reinvestment

    return Reinvestment.objects.select_related("project")


# --- Leaders' view of a partner organisation -------------------------------------------------
@dataclass
class OrganisationOverview:
    organisation: PartnerOrganisation
    projects: list
    milestones: list
    hours: Decimal
    money: Decimal
    done: int
    on_time: int
    overdue: int = 0

    @property
    def due(self):
        """Milestones whose due date counts: those done, and open ones already overdue."""
        return self.done + self.overdue

    @property
    def on_time_rate(self):
        # An open milestone past its due date is late already: leaving it out would reward
        # never finishing over finishing late.
        return None if not self.due else round(100 * self.on_time / self.due)


def organisations_for_leader(user: User):
    return partner_organisations_visible_to(user).order_by("name")


def organisation_overview(user: User, organisation: PartnerOrganisation) -> OrganisationOverview:
    """Projects (within the leader's clinics), contributions and on-time rate: 4 queries."""
    visible_projects = Project.objects.visible_to(user)
    projects = list(
        visible_projects.filter(
            pk__in=Project.objects.filter(agreements__parties__organisation=organisation).values(
                "pk"
            )
        )
        .select_related("lead_clinic")
        .order_by("title")
    )
    # Contributions count once per agreement: the signed version in force, not older ones, nor
    # a newer one the parties have not all signed yet.
    totals = AgreementParty.objects.filter(
        organisation=organisation,
        agreement__in=Agreement.objects.visible_to(user).current(signed=True),
    ).aggregate(hours=Sum("contribution_hours"), money=Sum("contribution_money"))
    milestones_qs = Milestone.objects.visible_to(user).filter(responsible_party=organisation)
    counts = milestones_qs.aggregate(
        done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
        on_time=Count(
            "pk",
            filter=Q(status=Milestone.Status.DONE, completed_on__lte=F("due_on")),
        ),
        overdue=Count(
            "pk",
            filter=milestone_overdue_q(),
        ),
    )
    return OrganisationOverview(
        organisation=organisation,
        projects=projects,
        milestones=list(milestones_by_urgency(milestones_qs.with_related())),
        hours=totals["hours"] or Decimal(0),
        money=totals["money"] or Decimal(0),
        done=counts["done"],
        on_time=counts["on_time"],
        overdue=counts["overdue"],
    )


def milestones_for_export(user: User):
    return milestones_by_urgency(Milestone.objects.visible_to(user).with_related())


def agreement_documents(agreement):
    """The agreement's documents, newest first, with who added them (one query)."""
    return agreement.documents.select_related("uploaded_by").order_by("-created_at", "-pk")
