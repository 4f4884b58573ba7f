"""Partner engagement: how soon and how lately each partner organisation takes part in each
project, whether its milestones are done on time, and the *needing action* list for leaders.

One row per organisation and project where the organisation is party to the project's current
agreement (or the draft being written), of the projects the leader reads
(``Project.objects.visible_to``). Every figure is computed in SQL, one query for all rows
whatever their number; the days are counted in the site's calendar (``today``).

- *Invited*: the earliest invitation still recorded for a member of the organisation
  (``PartnerMembership.invited_at``; accounts made otherwise have none).
- *Activity*: a member's login (``first_login_at``, ``User.last_login``) or a member's update of
  one of the project's milestones (``MilestoneUpdate``).
- *Milestones on time*: the organisation's milestones of the project done on or before their due
  date; *late*: done after it, or overdue and still open (``milestone_overdue_q``).

Figures other apps know (contributions against the plan, in the partnership app) are added
through ``register_engagement_figure``: this app sits below them and cannot read them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from portfolio.models import Project

from .models import Agreement, AgreementParty, Milestone, MilestoneUpdate, PartnerMembership
from .querysets import milestone_overdue_q

# The needing-action thresholds, in calendar days.
INACTIVE_DAYS = 60  # no activity for this many days (or more) on a running project
INVITATION_UNUSED_DAYS = 7  # an invitation not used after this many days
BLOCKED_MORE_THAN_DAYS = 14  # a milestone blocked for more than this many days
NEEDING_ACTION_LIMIT = 20


# --- Figures other apps add ----------------------------------------------------------------------
@dataclass(frozen=True)
class EngagementFigure:
    name: str
    label: object  # a lazily translated heading
    # compute(user, pairs) -> {(organisation_id, project_id): text}; a bounded number of queries
    # for all pairs together.
    compute: Callable


_figures: dict[str, EngagementFigure] = {}


def register_engagement_figure(*, name: str, label, compute: Callable) -> None:
    """Add a column to the engagement table, e.g. the partnership app's "contributions against
    the plan" from its ``AppConfig.ready()``. Registering twice replaces."""
    _figures[name] = EngagementFigure(name=name, label=label, compute=compute)


def engagement_figures() -> list[EngagementFigure]:
    return list(_figures.values())


# --- First login --------------------------------------------------------------------------------
def partner_first_login_record(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in`` (connected in ``PartnersConfig.ready``): a partner user's
    first login is their organisation's first activity. Django's signal is the one place every
    way of logging in (password, single sign-on, two-factor) passes; one UPDATE, only once."""
    if getattr(user, "is_partner", False):
        PartnerMembership.objects.filter(user=user, first_login_at__isnull=True).update(
            first_login_at=timezone.now()
        )


# --- The rows -----------------------------------------------------------------------------------
@dataclass
class EngagementRow:
    organisation_id: int
    organisation_name: str
    project_id: int
    project_title: str
    project_active: bool
    invited_at: datetime | None
    first_activity_at: datetime | None
    last_activity_at: datetime | None
    on_time: int
    late: int
    today: date
    extra: dict = field(default_factory=dict)

    @property
    def days_to_first_activity(self) -> int | None:
        if self.invited_at is None or self.first_activity_at is None:
            return None
        return max((_day(self.first_activity_at) - _day(self.invited_at)).days, 0)

    @property
    def days_since_last_activity(self) -> int | None:
        if self.last_activity_at is None:
            return None
        return (self.today - _day(self.last_activity_at)).days


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _first(queryset, field_name: str, *, newest: bool) -> Subquery:
    order = f"-{field_name}" if newest else field_name
    return Subquery(
        queryset.filter(**{f"{field_name}__isnull": False}).order_by(order).values(field_name)[:1],
        output_field=DateTimeField(),
    )


def engagement_pairs(user: User, *, organisation=None, today: date | None = None) -> QuerySet:
    """Organisation and project, one row each, annotated with every engagement figure: one
    query. Parties of the current agreements (and drafts) of the projects ``user`` reads."""
    agreements = Agreement.objects.filter(project__in=Project.objects.visible_to(user).values("pk"))
    parties = AgreementParty.objects.filter(
        agreement__in=agreements.current_or_draft(), organisation__isnull=False
    )
    if organisation is not None:
        parties = parties.filter(organisation=organisation)
    members = PartnerMembership.objects.filter(organisation=OuterRef("organisation")).order_by()
    updates = MilestoneUpdate.objects.filter(
        milestone__project=OuterRef("project_id"),
        author__partner_membership__organisation=OuterRef("organisation"),
    ).order_by()
    milestones = Milestone.objects.filter(
        project=OuterRef("project_id"), responsible_party=OuterRef("organisation")
    ).order_by()
    today = today or timezone.localdate()
    on_time = Q(status=Milestone.Status.DONE, completed_on__lte=F("due_on"))
    late = Q(status=Milestone.Status.DONE, completed_on__gt=F("due_on")) | milestone_overdue_q(
        today
    )
    return (
        parties.values("organisation", "organisation__name")
        .annotate(
            project_id=F("agreement__project_id"),
            project_title=F("agreement__project__title"),
            project_stage=F("agreement__project__stage"),
            party_since=Min("created_at"),
        )
        .annotate(
            invited_at=_first(members, "invited_at", newest=False),
            first_login_at=_first(members, "first_login_at", newest=False),
            last_login_at=_first(members, "user__last_login", newest=True),
            first_update_at=_first(updates, "created_at", newest=False),
            last_update_at=_first(updates, "created_at", newest=True),
            on_time=_count(milestones, on_time),
            late=_count(milestones, late),
        )
        .order_by("organisation__name", "project_title", "project_id")
    )


def _count(queryset, condition: Q):
    return Coalesce(
        Subquery(
            queryset.filter(condition)
            .values("responsible_party")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _earliest(*moments):
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def _latest(*moments):
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def _rows(user: User, queryset, today: date) -> list[EngagementRow]:
    rows = [
        EngagementRow(
            organisation_id=row["organisation"],
            organisation_name=row["organisation__name"],
            project_id=row["project_id"],
            project_title=row["project_title"],
            project_active=row["project_stage"] in Project.ACTIVE_STAGES,
            invited_at=row["invited_at"],
            first_activity_at=_earliest(row["first_login_at"], row["first_update_at"]),
            last_activity_at=_latest(row["last_login_at"], row["last_update_at"]),
            on_time=row["on_time"],
            late=row["late"],
            today=today,
        )
        for row in queryset
    ]
    if rows:
        pairs = [(row.organisation_id, row.project_id) for row in rows]
        for figure in engagement_figures():
            values = figure.compute(user, pairs)
            for row in rows:
                row.extra[figure.name] = values.get((row.organisation_id, row.project_id))
    return rows


def engagement_for_organisation(user: User, organisation, today: date | None = None):
    """The organisation's engagement in each project the leader reads: one query (and one per
    registered figure)."""
    today = today or timezone.localdate()
    return _rows(user, engagement_pairs(user, organisation=organisation, today=today), today)


def engagement_summary(user: User, today: date | None = None) -> dict:
    """The leader's partners in figures, for a board report: pairs, mean days from invitation
    to first activity, how many were active within ``INACTIVE_DAYS``, milestones on time and
    late, and the needing-action counts. A fixed number of queries."""
    today = today or timezone.localdate()
    rows = _rows(user, engagement_pairs(user, today=today), today)
    waits = [row.days_to_first_activity for row in rows if row.days_to_first_activity is not None]
    needing = needing_action(user, today=today)
    return {
        "pairs": len(rows),
        "organisations": len({row.organisation_id for row in rows}),
        "mean_days_to_first_activity": (sum(waits) / len(waits)) if waits else None,
        "active_recently": sum(
            1
            for row in rows
            if row.days_since_last_activity is not None
            and row.days_since_last_activity < INACTIVE_DAYS
        ),
        "milestones_on_time": sum(row.on_time for row in rows),
        "milestones_late": sum(row.late for row in rows),
        "inactive_partners": needing.inactive_count,
        "unused_invitations": needing.invitations_count,
        "blocked_milestones": needing.blocked_count,
    }


# --- Needing action ------------------------------------------------------------------------------
@dataclass
class NeedingAction:
    today: date
    inactive: list = field(default_factory=list)
    inactive_count: int = 0
    invitations: list = field(default_factory=list)
    invitations_count: int = 0
    blocked: list = field(default_factory=list)
    blocked_count: int = 0

    @property
    def count(self) -> int:
        return self.inactive_count + self.invitations_count + self.blocked_count

    def __bool__(self):
        return self.count > 0


# How many rows the query finds before its LIMIT (``COUNT(*) OVER ()``): each list and its
# count in one query, however long the list is.
_TOTAL = Window(expression=Count("*"))


def needing_action(user: User, *, today: date | None = None, limit: int = NEEDING_ACTION_LIMIT):
    """What a leader should chase, in their projects (``visible_to``): partners with no activity
    for ``INACTIVE_DAYS`` days or more on a running project, invitations unused after
    ``INVITATION_UNUSED_DAYS`` days, milestones blocked more than ``BLOCKED_MORE_THAN_DAYS``
    days. Three queries (each list with its count), whatever the data; none for a person who
    is not a leader."""
    today = today or timezone.localdate()
    result = NeedingAction(today=today)
    if not access_for(user).is_leader:
        return result

    # 1. Silent partners. With no activity at all, the silence counts from the day the
    # organisation became party, so a partner who joined last week is not "inactive".
    inactive_before = _start_of(today - timedelta(days=INACTIVE_DAYS - 1))
    pairs = (
        engagement_pairs(user, today=today)
        .filter(agreement__project__stage__in=Project.ACTIVE_STAGES)
        .annotate(
            reference=Greatest(
                F("party_since"),
                Coalesce(F("last_login_at"), F("party_since")),
                Coalesce(F("last_update_at"), F("party_since")),
            )
        )
        .filter(reference__lt=inactive_before)
        .annotate(total=_TOTAL)
    )
    shown = list(pairs[:limit])
    result.inactive = _rows(user, shown, today)
    result.inactive_count = shown[0]["total"] if shown else 0

    # 2. Invitations never used: the invitee has no password yet.
    organisations = AgreementParty.objects.filter(
        agreement__in=Agreement.objects.filter(
            project__in=Project.objects.visible_to(user).values("pk")
        ).current_or_draft(),
        organisation__isnull=False,
    ).values("organisation")
    invitations = (
        PartnerMembership.objects.filter(
            organisation__in=organisations,
            user__is_active=True,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
            invited_at__lt=_start_of(today - timedelta(days=INVITATION_UNUSED_DAYS - 1)),
        )
        .select_related("user", "organisation")
        .annotate(total=_TOTAL)
        .order_by("invited_at", "pk")
    )
    rows = list(invitations[:limit])
    result.invitations_count = rows[0].total if rows else 0
    result.invitations = [
        {
            "membership": membership,
            "days": (today - _day(membership.invited_at)).days,
        }
        for membership in rows
    ]

    # 3. Milestones blocked for more than two weeks: since the update that blocked them (or,
    # without one, the milestone's last save).
    blocked_at = Subquery(
        MilestoneUpdate.objects.filter(milestone=OuterRef("pk"), changes__status__1="blocked")
        .order_by("-created_at", "-pk")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )
    blocked = (
        Milestone.objects.visible_to(user)
        .filter(status=Milestone.Status.BLOCKED, project__stage__in=Project.ACTIVE_STAGES)
        .annotate(blocked_since=Coalesce(blocked_at, F("updated_at")))
        .filter(blocked_since__lt=_start_of(today - timedelta(days=BLOCKED_MORE_THAN_DAYS)))
        .select_related("project", "responsible_party")
        .annotate(total=_TOTAL)
        .order_by("blocked_since", "pk")
    )
    rows = list(blocked[:limit])
    result.blocked_count = rows[0].total if rows else 0
    result.blocked = [
        {"milestone": milestone, "days": (today - _day(milestone.blocked_since)).days}
        for milestone in rows
    ]
    return result


# Label used by templates for the registry's columns (kept here so the catalogue has it once).
ENGAGEMENT_HEADING = _("Partner engagement")
