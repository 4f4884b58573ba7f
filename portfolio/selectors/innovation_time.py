"""Reads of innovation time: a person's own rows, and the leaders' totals per clinic, project
and month, each scoped by who may see whose time.

Whose time a row is: the person's clinic, or for a person without one (a leader) the project's
lead clinic (``row_clinic``). Months are those of the week's Monday, so a week is counted
once, in one month, and a clinic's allotted time for a month is its weekly allotment times the
Mondays of that month (``mondays_in_month``).
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clinics.access import access_for, clinics_led_by
from clinics.models import Clinic, User
from portfolio.models import InnovationTime, Project, ProjectMember

# How far back a person's own list and the leaders' totals reach by default.
TOTALS_MONTHS = 6


def week_monday(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week ``day`` falls in: how a week is stored."""
    return day - datetime.timedelta(days=day.weekday())


def innovation_time_editable_weeks(today: datetime.date | None = None) -> tuple[datetime.date, ...]:
    """The weeks a person may still record or correct: this week and the one before.

    Hours are often written down on the Monday after a week ends (Friday's work, a week with
    a day off), so the previous week stays open; older weeks are closed, so the totals a
    leader reported at the start of a month do not change under them.
    """
    this_week = week_monday(today or timezone.localdate())
    return (this_week, this_week - datetime.timedelta(weeks=1))


def innovation_time_projects_for(user: User) -> QuerySet[Project]:
    """Projects a person may record time on: the running projects they may open (their
    clinic's, and the one their idea became; a leader's clinics') and those whose team they
    are on. Partners: none."""
    access = access_for(user)
    if not (access.is_staff or access.is_leader):
        return Project.objects.none()
    teams = ProjectMember.objects.filter(user=user, accepted_at__isnull=False).values("project")
    return (
        Project.objects.filter(
            Q(pk__in=Project.objects.visible_to(user).values("pk")) | Q(pk__in=teams)
        )
        .filter(stage__in=Project.ACTIVE_STAGES)
        .select_related("lead_clinic")
        .order_by("title", "pk")
    )


def innovation_time_project_for_user_or_404(user: User, pk) -> Project:
    return get_object_or_404(innovation_time_projects_for(user), pk=pk)


def innovation_time_of_person(user: User) -> QuerySet[InnovationTime]:
    """The person's own rows, newest week first."""
    return (
        InnovationTime.objects.filter(person=user)
        .select_related("project")
        .order_by("-week", "project__title", "pk")
    )


def innovation_time_row(user: User, *, project: Project, week: datetime.date):
    """The person's row for one project and week, or None."""
    return InnovationTime.objects.filter(person=user, project=project, week=week).first()


def row_clinic():
    """The clinic whose time a row is, as an expression (see the module's docstring)."""
    return Coalesce(F("person__clinic"), F("project__lead_clinic"))


def innovation_time_visible_to(user: User) -> QuerySet[InnovationTime]:
    """Rows a person may read: leaders those of their clinics' people and of the projects
    their clinics lead; staff their own; partners and everyone else none."""
    access = access_for(user)
    rows = InnovationTime.objects.all()
    if access.is_superuser:
        return rows
    if access.is_leader:
        clinics = clinics_led_by(user)
        # A person without a clinic counts for the project's lead clinic: the second term.
        return rows.filter(Q(person__clinic__in=clinics) | Q(project__lead_clinic__in=clinics))
    if access.is_staff:
        return rows.filter(person=user)
    return rows.none()


def _since(months: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def mondays_in_month(month: datetime.date) -> int:
    days = calendar.monthrange(month.year, month.month)[1]
    first_monday = (7 - month.replace(day=1).weekday()) % 7 + 1
    return len(range(first_monday, days + 1, 7))


@dataclass
class ClinicMonthTotal:
    clinic: Clinic
    month: datetime.date
    hours: Decimal

    @property
    def allotted(self) -> Decimal | None:
        """The clinic's allotted hours in this month, if it has set an allotment."""
        weekly = self.clinic.allotted_innovation_hours_per_week
        if weekly is None:
            return None
        return weekly * mondays_in_month(self.month)


def innovation_time_totals_by_clinic(
    user: User, *, months: int = TOTALS_MONTHS, today: datetime.date | None = None
) -> list[ClinicMonthTotal]:
    """Hours per clinic and month over the last ``months`` months, newest first: two queries
    whatever the number of rows (one aggregate, one for the clinics)."""
    totals = list(
        innovation_time_visible_to(user)
        .filter(week__gte=_since(months, today))
        .annotate(row_clinic_id=row_clinic(), month=TruncMonth("week"))
        .values("row_clinic_id", "month")
        .annotate(hours=Sum("hours"))
        .order_by("-month", "row_clinic_id")
    )
    clinics = Clinic.objects.in_bulk({row["row_clinic_id"] for row in totals})
    return [
        ClinicMonthTotal(
            clinic=clinics[row["row_clinic_id"]], month=row["month"], hours=row["hours"]
        )
        for row in totals
    ]


def innovation_time_totals_by_project_month(
    user: User, *, project: Project | None = None, months: int = TOTALS_MONTHS
) -> list[dict]:
    """Hours per project and month (``project``, ``project__title``, ``month``, ``hours``)
    that ``user`` may see, newest month first: one query."""
    rows = innovation_time_visible_to(user).filter(week__gte=_since(months))
    if project is not None:
        rows = rows.filter(project=project)
    return list(
        rows.annotate(month=TruncMonth("week"))
        .values("project", "project__title", "month")
        .annotate(hours=Sum("hours"))
        .order_by("-month", "project__title", "project")
    )


@dataclass
class ClinicProjectMonthTotal(ClinicMonthTotal):
    project_title: str = ""


def innovation_time_totals_by_clinic_project_month(
    user: User, *, months: int = TOTALS_MONTHS, today: datetime.date | None = None
) -> list[ClinicProjectMonthTotal]:
    """Hours per clinic, project and month (the exports), newest month first: two queries."""
    totals = list(
        innovation_time_visible_to(user)
        .filter(week__gte=_since(months, today))
        .annotate(row_clinic_id=row_clinic(), month=TruncMonth("week"))
        .values("row_clinic_id", "project__title", "project", "month")
        .annotate(hours=Sum("hours"))
        .order_by("-month", "row_clinic_id", "project__title", "project")
    )
    clinics = Clinic.objects.select_related("region").in_bulk(
        {row["row_clinic_id"] for row in totals}
    )
    return [
        ClinicProjectMonthTotal(
            clinic=clinics[row["row_clinic_id"]],
            month=row["month"],
            hours=row["hours"],
            project_title=row["project__title"],
        )
        for row in totals
    ]
